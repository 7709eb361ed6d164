//! What generated contract tests (`tests/contract.rs`, `Options::contract_tests`) share: the mock
//! server's address, placeholder credentials, the arguments decoded from the spec's examples, and
//! the verdict on each call against a Prism mock (`prism mock --errors <spec>`), written to a
//! report and turned into a pass or a panic.
//!
//! Each call ends in one [`Outcome`]: [`Outcome::Pass`], [`Outcome::Client`] (the SDK's fault: a
//! request Prism flags, a success it cannot decode) or [`Outcome::Spec`] (the spec's own fault:
//! Prism rejects the spec's own example, or cannot produce a response the spec documents).
//! `codegen/README.md` lists the rules [`classify`] applies.

use crate::config::{Config, RetryPolicy};
use crate::credentials::Credentials;
use crate::error::{Error, ServiceError};
use crate::options::CallOptions;
use crate::response::Response;
use crate::security::SchemeCredential;
use crate::service::{ServiceInfo, SigningScheme};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::io::Write;

/// The variable naming the mock server's base URL (`http://127.0.0.1:4010`).
pub const MOCK_URL_VAR: &str = "CLOUDSPEC_MOCK_URL";
/// The variable naming the report file each test appends its one JSON line to.
pub const REPORT_VAR: &str = "CLOUDSPEC_CONTRACT_REPORT";
/// The placeholder every credential is made of: Prism checks that credentials are present and
/// well-formed, never what they are.
pub const PLACEHOLDER: &str = "contract-placeholder";

/// How one call against the mock ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The request was valid and the response decoded.
    Pass,
    /// The SDK's fault, and why.
    Client(String),
    /// The spec's own fault, and why.
    Spec(String),
}

impl Outcome {
    /// `pass`, `client` or `spec`, as the report writes it.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Client(_) => "client",
            Outcome::Spec(_) => "spec",
        }
    }

    /// The reason (empty for a pass).
    pub fn detail(&self) -> &str {
        match self {
            Outcome::Pass => "",
            Outcome::Client(detail) | Outcome::Spec(detail) => detail,
        }
    }
}

/// Where an argument's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The spec's own example (of the parameter, the media type or the schema).
    Spec,
    /// Built by the generator from the schema.
    Synthesised,
}

/// How a security scheme takes its placeholder credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    /// A token: bearer, OAuth 2, OpenID Connect, or an API key (by scheme name).
    Token(&'static str),
    /// A user name and password (HTTP `basic`, by scheme name).
    Basic(&'static str),
}

/// One contract test: one operation called once against the mock.
#[derive(Debug)]
pub struct Call {
    operation: &'static str,
    url: String,
    /// The request locations (`body`, `query.limit`) holding the spec's own examples, sent as written.
    spec_values: Vec<&'static str>,
    synthesised: usize,
    caveats: Caveats,
    broken_response_example: Option<&'static str>,
}

/// What the spec is known to make fail, whatever the SDK does (the generator finds it in the
/// spec and the test tells the call): the verdict puts such failures down to the spec.
#[derive(Debug, Clone, Copy, Default)]
pub struct Caveats {
    /// Why Prism flags the body, and the body's top-level members that concerns (none: all of it).
    pub body: Option<(&'static str, &'static [&'static str])>,
    /// Why a success that does not decode may be another operation's answer.
    pub same_request: Option<&'static str>,
}

impl Call {
    /// Starts the test of `operation`: the mock's URL from [`MOCK_URL_VAR`], or a panic saying how
    /// to run the contract tests.
    pub fn start(operation: &'static str) -> Self {
        let url = std::env::var(MOCK_URL_VAR).ok().filter(|u| !u.trim().is_empty()).unwrap_or_else(|| {
            panic!(
                "{MOCK_URL_VAR} is not set: contract tests call a Prism mock of the spec. Start one with \
                 `prism mock -h 127.0.0.1 -p 4010 --errors <spec>` and run \
                 `{MOCK_URL_VAR}=http://127.0.0.1:4010 cargo test --test contract`, or let \
                 `cargo xtask corpus --contract` do both"
            )
        });
        Self::start_with_url(operation, url)
    }

    fn start_with_url(operation: &'static str, url: String) -> Self {
        Self {
            operation,
            url,
            spec_values: Vec::new(),
            synthesised: 0,
            caveats: Caveats::default(),
            broken_response_example: None,
        }
    }

    /// A configuration for the mock: its URL, a placeholder credential for every security scheme
    /// and the signing scheme's placeholder keys, and no retries (each test makes one call).
    pub fn config(&self, service: &'static ServiceInfo, schemes: &[Placeholder]) -> Config {
        // No pooled connections: a second call (for a generated response) must not meet a
        // connection the mock has closed meanwhile.
        let http = reqwest::Client::builder().pool_max_idle_per_host(0).build();
        let http = http.unwrap_or_else(|e| self.fail(Outcome::Client(format!("the HTTP client cannot be built: {e}"))));
        let mut builder =
            Config::builder().endpoint(self.url.as_str()).retry(RetryPolicy::disabled()).http_client(http);
        for scheme in schemes {
            builder = match *scheme {
                Placeholder::Token(name) => builder.security_credential(name, SchemeCredential::bearer(PLACEHOLDER)),
                Placeholder::Basic(name) => {
                    builder.security_credential(name, SchemeCredential::basic(PLACEHOLDER, PLACEHOLDER))
                }
            };
        }
        builder = match service.signing {
            SigningScheme::HuaweiSdkHmacSha256 => builder
                .credentials(Credentials::huawei_aksk(PLACEHOLDER, PLACEHOLDER))
                .project_id(PLACEHOLDER)
                .instance_metadata(false),
            // The signer needs a region for a host outside Alibaba Cloud's endpoint table.
            SigningScheme::AliyunAcsHmacSha1 => builder
                .credentials(Credentials::aliyun(PLACEHOLDER, PLACEHOLDER))
                .region_unchecked("cn-hangzhou")
                .instance_metadata(false),
            _ => builder,
        };
        builder.build().unwrap_or_else(|e| self.fail(Outcome::Client(format!("the configuration is refused: {e}"))))
    }

    /// The argument at `location` (`body`, `path.id`, `query.limit`, `header.X-Name`) decoded from
    /// its JSON text. A value that does not decode into its type is the SDK's fault (its types
    /// cannot hold what the spec describes).
    pub fn value<T: DeserializeOwned>(&mut self, location: &'static str, origin: Origin, json: &str) -> T {
        match serde_json::from_str(json) {
            Ok(value) => {
                match origin {
                    Origin::Spec => self.spec_values.push(location),
                    Origin::Synthesised => self.synthesised += 1,
                }
                value
            }
            Err(e) => {
                let whose = if origin == Origin::Spec { "the spec's example" } else { "the synthesised value" };
                self.fail(Outcome::Client(format!(
                    "{whose} for {location} does not decode into {}: {e}",
                    std::any::type_name::<T>()
                )))
            }
        }
    }

    /// The spec makes Prism flag the body whatever the SDK sends, for `why` (a schema no value
    /// satisfies, a form part Prism cannot read): its violations at `members`, the body's
    /// top-level members (none: anywhere in the body), are the spec's.
    pub fn body_caveat(&mut self, why: &'static str, members: &'static [&'static str]) {
        self.caveats.body = Some((why, members));
    }

    /// The spec's success response example, which Prism answers with, breaks its schema (`why`
    /// says where): a success that does not decode is asked for again, generated from the schema.
    pub fn broken_response_example(&mut self, why: &'static str) {
        self.broken_response_example = Some(why);
    }

    /// Another operation is the same request on the wire (`why` names it): a success that does not
    /// decode may be the mock's answer for the other one, the spec's fault.
    pub fn same_request(&mut self, why: &'static str) {
        self.caveats.same_request = Some(why);
    }

    /// Whether to call again asking Prism for a response generated from the schema
    /// ([`generated_responses`](Self::generated_responses)): the spec's own response example
    /// breaks its schema, so it tests nothing of the SDK's decoding.
    pub fn retry_with_generated_response<T>(&self, result: &Result<Response<T>, Error>) -> bool {
        let violations = match result {
            Ok(response) => violations(response.headers().get("sl-violations")),
            Err(Error::UndecodableResponse { status, .. }) => {
                return self.broken_response_example.is_some() && (200..300).contains(status)
            }
            // Prism's own report that its response breaks the schema.
            Err(Error::Service(e)) if problem_kind(&e.body).as_deref() == Some("VIOLATIONS") => return true,
            Err(Error::Service(e)) => violations(e.headers.get("sl-violations")),
            Err(_) => None,
        };
        violations.is_some_and(|found| !found.is_empty() && found.iter().all(|v| v.place() == "response"))
    }

    /// Options asking Prism for a response generated from the schema (`Prefer: dynamic=true`).
    pub fn generated_responses(&self) -> CallOptions {
        CallOptions::new().header("Prefer", "dynamic=true")
    }

    /// The call's verdict: reported, then a pass or a panic (`client failure: ..` or `spec fault: ..`).
    pub fn finish<T>(self, result: Result<Response<T>, Error>) {
        let outcome = classify(&result, &self.spec_values, self.synthesised == 0, &self.caveats);
        if outcome != Outcome::Pass {
            self.fail(outcome);
        }
        report(self.operation, &outcome);
    }

    fn fail(&self, outcome: Outcome) -> ! {
        report(self.operation, &outcome);
        match outcome {
            Outcome::Spec(detail) => panic!("spec fault: {detail}"),
            Outcome::Client(detail) => panic!("client failure: {detail}"),
            Outcome::Pass => panic!("client failure: a pass cannot fail"),
        }
    }
}

/// Appends `{"operation","outcome","detail"}` as one line to the file [`REPORT_VAR`] names, in one
/// write to a file opened for appending, so tests running in parallel never interleave.
pub fn report(operation: &str, outcome: &Outcome) {
    let Some(path) = std::env::var_os(REPORT_VAR).filter(|p| !p.is_empty()) else { return };
    let line = serde_json::json!({"operation": operation, "outcome": outcome.label(), "detail": outcome.detail()});
    let line = format!("{line}\n");
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| file.write_all(line.as_bytes()));
    if let Err(e) = written {
        panic!("cannot append to the contract report {}: {e}", std::path::Path::new(&path).display());
    }
}

/// The verdict on one call. `spec_values` are the request locations that carry the spec's own
/// examples; `all_from_spec` says every argument did (so a constraint our validation finds broken
/// is the spec's); `caveats` what the spec is known to make fail.
pub fn classify<T>(
    result: &Result<Response<T>, Error>,
    spec_values: &[&str],
    all_from_spec: bool,
    caveats: &Caveats,
) -> Outcome {
    match result {
        Ok(response) => match violations(response.headers().get("sl-violations")) {
            Some(found) if !found.is_empty() => verdict_on_violations(&found, spec_values, caveats),
            _ => Outcome::Pass,
        },
        Err(Error::Service(e)) => classify_service_error(e, spec_values, caveats),
        Err(Error::UndecodableResponse { status, reason, body, .. }) => {
            let what = format!("the HTTP {status} response does not decode: {reason}; body: {}", excerpt(body));
            match caveats.same_request {
                Some(why) => Outcome::Spec(format!("{why}; {what}")),
                None => Outcome::Client(what),
            }
        }
        Err(Error::Validation(e)) if all_from_spec => {
            Outcome::Spec(format!("the spec's example breaks its own schema's constraints: {e}"))
        }
        Err(e) => Outcome::Client(e.to_string()),
    }
}

/// An error status: Prism's own problem (`application/problem+json`, its type naming the reason)
/// or a response the spec documents, returned because the request broke it (`sl-violations`).
fn classify_service_error(e: &ServiceError, spec_values: &[&str], caveats: &Caveats) -> Outcome {
    let status = e.status;
    if let Some(found) = violations(e.headers.get("sl-violations")).filter(|v| !v.is_empty()) {
        return verdict_on_violations(&found, spec_values, caveats);
    }
    let problem: Option<Value> = serde_json::from_str(&e.body).ok();
    let Some(kind) = problem_kind(&e.body) else {
        // A documented error response to a request Prism found valid: the operation documents no
        // success response Prism could give.
        return Outcome::Spec(format!(
            "Prism answered the valid request with the documented HTTP {status} (no success response it can produce): {}",
            excerpt(&e.body)
        ));
    };
    let problem = problem.unwrap_or_default();
    let detail = problem.get("detail").and_then(Value::as_str).unwrap_or_default();
    if let Some(found) = problem.get("validation").and_then(|v| parse_violations(v.clone())).filter(|v| !v.is_empty()) {
        return verdict_on_violations(&found, spec_values, caveats);
    }
    let what = format!("HTTP {status} {kind}: {detail}");
    match kind.as_str() {
        // Prism cannot produce a response: the spec defines none it can use, or its own
        // example breaks its schema, or the schema is beyond Prism.
        // `UNKNOWN`: Prism failed inside while building its answer.
        "NO_RESPONSE_RESPONSE_DEFINED" | "NO_RESPONSE_DEFINED" | "VIOLATIONS" | "SCHEMA_TOO_COMPLEX" | "UNKNOWN" => {
            Outcome::Spec(what)
        }
        _ => Outcome::Client(what),
    }
}

/// The type of a Prism problem body (`https://stoplight.io/prism/errors#VIOLATIONS`), read from
/// the text so a body cut at the error-body limit still tells.
fn problem_kind(body: &str) -> Option<String> {
    let (_, rest) = body.split_once("prism/errors#")?;
    let kind: String = rest.chars().take_while(|c| c.is_ascii_uppercase() || *c == '_').collect();
    (!kind.is_empty()).then_some(kind)
}

/// One of Prism's violations: where, how bad, what.
#[derive(Debug, Clone, serde::Deserialize)]
struct Violation {
    #[serde(default)]
    location: Vec<Value>,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    message: String,
}

impl Violation {
    /// `body`, `query.limit`, `path.id`, `header.x-name`, or `response`.
    fn place(&self) -> String {
        let parts: Vec<String> =
            self.location.iter().map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned)).collect();
        match parts.as_slice() {
            [first, ..] if first == "response" => "response".to_owned(),
            [_, body, ..] if body == "body" => "body".to_owned(),
            [_, kind, name, ..] => format!("{kind}.{name}"),
            _ => parts.join("."),
        }
    }
}

impl Violation {
    /// The body's top-level member it is at (`attributes` of `request.body.attributes.name`), or
    /// that the body lacks (`must have required property 'grant_type'` at the body).
    fn body_member(&self) -> Option<String> {
        match self.location.as_slice() {
            [_, body, member, ..] if body == "body" => {
                Some(member.as_str().map_or_else(|| member.to_string(), str::to_owned))
            }
            [_, body] if body == "body" => {
                let (_, named) = self.message.split_once("required property '")?;
                named.strip_suffix('\'').map(str::to_owned)
            }
            _ => None,
        }
    }
}

fn violations(header: Option<&reqwest::header::HeaderValue>) -> Option<Vec<Violation>> {
    let value: Value = serde_json::from_slice(header?.as_bytes()).ok()?;
    parse_violations(value)
}

fn parse_violations(value: Value) -> Option<Vec<Violation>> {
    serde_json::from_value(value).ok()
}

/// Violations of the response are the spec's (Prism answered with the spec's own example or a
/// value from its schema); violations of the request are the SDK's, unless every one is at a
/// place that holds the spec's own example, sent as written, or that a body caveat covers.
fn verdict_on_violations(found: &[Violation], spec_values: &[&str], caveats: &Caveats) -> Outcome {
    let text: Vec<String> = found.iter().map(|v| format!("[{}] {}: {}", v.severity, v.place(), v.message)).collect();
    let text = text.join("; ");
    let spec_owned = |v: &Violation| {
        let place = v.place();
        place == "response" || spec_values.iter().any(|s| s.eq_ignore_ascii_case(&place))
    };
    if found.iter().all(|v| v.place() == "response") {
        Outcome::Spec(format!("Prism's response breaks the spec's own schema: {text}"))
    } else if found.iter().all(spec_owned) {
        Outcome::Spec(format!("Prism rejects the spec's own example: {text}"))
    } else if let Some(why) = caveats
        .body
        .filter(|(_, members)| {
            let covered = |v: &Violation| {
                v.place() == "body"
                    && (members.is_empty() || v.body_member().is_some_and(|m| members.contains(&m.as_str())))
            };
            found.iter().all(|v| spec_owned(v) || covered(v))
        })
        .map(|(why, _)| why)
    {
        Outcome::Spec(format!("{why}: {text}"))
    } else {
        Outcome::Client(format!("Prism flags the request: {text}"))
    }
}

/// At most 300 characters of a body, on one line.
fn excerpt(body: &str) -> String {
    let flat: String = body.chars().map(|c| if c.is_control() { ' ' } else { c }).take(300).collect();
    if body.chars().count() > 300 {
        format!("{flat}…")
    } else {
        flat
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::Parts;
    use reqwest::header::{HeaderMap, HeaderValue};

    const VIOLATION: &str =
        r#"[{"location":["request","query","limit"],"severity":"Error","code":"type","message":"must be integer"}]"#;

    fn ok_with(violations: Option<&str>) -> Result<Response<()>, Error> {
        let mut headers = HeaderMap::new();
        if let Some(v) = violations {
            headers.insert("sl-violations", HeaderValue::from_str(v).unwrap());
        }
        Ok(Response::from_parts((), Parts::new(200, headers, None)))
    }

    fn service_error(status: u16, body: &str, violations: Option<&str>) -> Result<Response<()>, Error> {
        let mut headers = HeaderMap::new();
        if let Some(v) = violations {
            headers.insert("sl-violations", HeaderValue::from_str(v).unwrap());
        }
        let error = ServiceError::from_response("Op", status, headers, body.as_bytes(), &[]);
        Err(Error::Service(Box::new(error)))
    }

    fn problem(kind: &str, status: u16) -> String {
        format!(r#"{{"type":"https://stoplight.io/prism/errors#{kind}","title":"t","status":{status},"detail":"why"}}"#)
    }

    #[test]
    fn a_clean_success_passes_and_a_flagged_one_is_the_clients() {
        assert_eq!(classify(&ok_with(None), &[], false, &Caveats::default()), Outcome::Pass);
        let flagged = classify(&ok_with(Some(VIOLATION)), &[], false, &Caveats::default());
        assert!(matches!(&flagged, Outcome::Client(d) if d.contains("query.limit: must be integer")), "{flagged:?}");
    }

    #[test]
    fn request_violations_are_the_clients_unless_the_spec_example_was_sent() {
        // A documented 422 returned with the violations in the header.
        let documented = service_error(422, r#"{"code":1}"#, Some(VIOLATION));
        assert!(matches!(classify(&documented, &[], false, &Caveats::default()), Outcome::Client(_)));
        assert!(
            matches!(classify(&documented, &["query.limit"], false, &Caveats::default()), Outcome::Spec(d) if d.contains("own example"))
        );
        // Prism's own 422 problem, with the violations in its body.
        let body = r#"{"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","status":422,"detail":"d","validation":[{"location":["request","body","name"],"severity":"Error","message":"must be string"}]}"#;
        let own = classify(&service_error(422, body, None), &[], false, &Caveats::default());
        assert!(matches!(&own, Outcome::Client(d) if d.contains("body: must be string")), "{own:?}");
        assert!(matches!(
            classify(&service_error(422, body, None), &["body"], true, &Caveats::default()),
            Outcome::Spec(_)
        ));
    }

    #[test]
    fn prisms_problems_name_whose_fault_it_is() {
        for (kind, status) in [("NO_RESPONSE_RESPONSE_DEFINED", 500), ("VIOLATIONS", 500), ("SCHEMA_TOO_COMPLEX", 500)]
        {
            let outcome =
                classify(&service_error(status, &problem(kind, status), None), &[], false, &Caveats::default());
            assert!(matches!(&outcome, Outcome::Spec(d) if d.contains(kind)), "{outcome:?}");
        }
        for (kind, status) in [("NO_PATH_MATCHED_ERROR", 404), ("UNAUTHORIZED", 401), ("INVALID_CONTENT_TYPE", 415)] {
            let outcome =
                classify(&service_error(status, &problem(kind, status), None), &[], false, &Caveats::default());
            assert!(matches!(&outcome, Outcome::Client(d) if d.contains(kind)), "{outcome:?}");
        }
        let response = r#"[{"location":["response","body"],"severity":"Error","message":"bad"}]"#;
        assert!(
            matches!(classify(&ok_with(Some(response)), &[], false, &Caveats::default()), Outcome::Spec(d) if d.contains("response"))
        );
        let documented_error =
            classify(&service_error(404, r#"{"message":"x"}"#, None), &[], false, &Caveats::default());
        assert!(matches!(documented_error, Outcome::Spec(d) if d.contains("no success response")));
    }

    #[test]
    fn a_response_that_breaks_the_schema_is_asked_for_again() {
        let call = Call::start_with_url("Op", String::new());
        let response = r#"[{"location":["response","body","id"],"severity":"Error","message":"must match pattern"}]"#;
        assert!(call.retry_with_generated_response(&ok_with(Some(response))));
        let cut = format!("{}, \"validation\": [", &problem("VIOLATIONS", 500)[..60]);
        assert!(call.retry_with_generated_response(&service_error(500, &cut, None)), "a body cut short still tells");
        assert!(!call.retry_with_generated_response(&ok_with(Some(VIOLATION))), "a request violation is not Prism's");
        assert!(!call.retry_with_generated_response(&ok_with(None)));
        assert_eq!(call.generated_responses().headers(), [("Prefer".to_owned(), "dynamic=true".to_owned())]);
    }

    #[test]
    fn undecodable_successes_are_the_clients() {
        let error = Error::UndecodableResponse {
            operation: "Op",
            status: 200,
            request_id: None,
            body: "[1]".into(),
            reason: "expected a map".into(),
        };
        let outcome = classify::<()>(&Err(error), &["body"], true, &Caveats::default());
        assert_eq!(outcome, Outcome::Client("the HTTP 200 response does not decode: expected a map; body: [1]".into()));
    }

    #[test]
    fn caveats_put_what_the_spec_makes_fail_down_to_the_spec() {
        let at = |member: &str| {
            format!(r#"[{{"location":["request","body","{member}"],"severity":"Error","message":"must be object"}}]"#)
        };
        let parts = Caveats { body: Some(("Prism reads parts as text", &["attributes"])), same_request: None };
        let outcome = classify(&ok_with(Some(&at("attributes"))), &[], false, &parts);
        assert_eq!(outcome, Outcome::Spec("Prism reads parts as text: [Error] body: must be object".into()));
        assert!(
            matches!(classify(&ok_with(Some(&at("name"))), &[], false, &parts), Outcome::Client(_)),
            "another member"
        );
        let missing = r#"[{"location":["request","body"],"severity":"Error","message":"Request body must have required property 'grant_type'"}]"#;
        let undeclared =
            Caveats { body: Some(("Prism drops undeclared form fields", &["grant_type"])), same_request: None };
        assert!(matches!(classify(&ok_with(Some(missing)), &[], false, &undeclared), Outcome::Spec(_)));
        assert!(matches!(classify(&ok_with(Some(missing)), &[], false, &parts), Outcome::Client(_)));
        let whole = Caveats { body: Some(("no form matches", &[])), same_request: None };
        assert!(matches!(classify(&ok_with(Some(&at("name"))), &[], false, &whole), Outcome::Spec(_)));
        let also_query = format!("[{},{}]", &at("name")[1..at("name").len() - 1], &VIOLATION[1..VIOLATION.len() - 1]);
        assert!(matches!(classify(&ok_with(Some(&also_query)), &[], false, &whole), Outcome::Client(_)), "a query too");
        let undecodable = || {
            Err::<Response<()>, _>(Error::UndecodableResponse {
                operation: "Op",
                status: 200,
                request_id: None,
                body: "{}".into(),
                reason: "missing field".into(),
            })
        };
        let shadowed = Caveats { body: None, same_request: Some("one request on the wire") };
        assert!(
            matches!(classify(&undecodable(), &[], false, &shadowed), Outcome::Spec(d) if d.starts_with("one request"))
        );
        assert!(matches!(classify(&undecodable(), &[], false, &Caveats::default()), Outcome::Client(_)));
        let mut call = Call::start_with_url("Op", String::new());
        assert!(!call.retry_with_generated_response(&undecodable()));
        call.broken_response_example("`created_by` is given as a list");
        assert!(call.retry_with_generated_response(&undecodable()), "the spec's example cannot decode: ask again");
    }

    #[test]
    fn the_report_is_one_json_line_per_call() {
        let path = std::env::temp_dir().join(format!("contract-report-{}.jsonl", std::process::id()));
        let _ = std::fs::remove_file(&path);
        std::env::set_var(REPORT_VAR, &path);
        report("getPet", &Outcome::Pass);
        report("putPet", &Outcome::Spec("Prism: \"no\"\nresponse".into()));
        std::env::remove_var(REPORT_VAR);
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines[0], serde_json::json!({"operation": "getPet", "outcome": "pass", "detail": ""}));
        assert_eq!(lines[1]["outcome"], "spec");
        assert_eq!(lines[1]["detail"], "Prism: \"no\"\nresponse");
        assert_eq!(lines.len(), 2);
        let _ = std::fs::remove_file(&path);
    }
}
