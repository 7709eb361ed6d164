//! Assuming a RAM role through STS, as `alibabacloud_credentials` 1.0.12 does: the settings,
//! endpoint choice, bounded request and answer reading every STS call shares ([`StsRole`]), and
//! `AssumeRole` (`RamRoleArnCredentialsProvider`): an RPC-signed `GET` with the source AccessKey,
//! answered with a temporary AccessKey and security token. `AssumeRoleWithOIDC` is in
//! `aliyun_oidc`.
//!
//! Where this differs from the package: a CLI profile's `expired_seconds: 0` (the CLI's "not
//! set") means the default 3600 seconds, where the package refuses a duration under 900; and the
//! default session name (`credentials-cloudspec-<unix time>`) is taken at each call, where the
//! package fixes it when the provider is made (profile providers make a new provider at each
//! refresh here, so fixing it would not hold anyway).

use super::aliyun::access_key;
use super::metadata::{fetch, parse_expiry, MetadataRequest};
use super::provider::{Environment, ProvideCredentials, ProvidedCredentials, ProviderFuture};
use super::{AliyunAccessKey, CredentialsError};
use crate::signing::aliyun_rpc;
use std::time::Duration;

/// The role to assume when none is given.
pub const ALIBABA_CLOUD_ROLE_ARN: &str = "ALIBABA_CLOUD_ROLE_ARN";
/// The session name when none is given.
pub const ALIBABA_CLOUD_ROLE_SESSION_NAME: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";
/// The region whose STS endpoint (`sts.<region>.aliyuncs.com`) is asked when none is given.
pub const ALIBABA_CLOUD_STS_REGION: &str = "ALIBABA_CLOUD_STS_REGION";
/// `true` asks the VPC endpoint of the STS region (`sts-vpc.<region>.aliyuncs.com`).
pub const ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: &str = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED";
/// The STS endpoint asked when no region is given.
pub const DEFAULT_STS_ENDPOINT: &str = "https://sts.aliyuncs.com";
/// How long the temporary credentials last unless told otherwise (the package's default).
pub const DEFAULT_DURATION_SECONDS: u32 = 3600;
/// The shortest duration STS grants.
const MIN_DURATION_SECONDS: u32 = 900;
/// The longest STS error message quoted in an error.
const MESSAGE_LIMIT: usize = 200;
/// The longest refused region quoted in an error.
const REGION_SHOWN_LIMIT: usize = 64;

/// What every STS role call shares: the role, the session, how long it lasts, the policy, and
/// where STS is. The public providers hold one and expose its settings through
/// [`sts_role_setters!`].
#[derive(Debug, Clone)]
pub(super) struct StsRole {
    pub(super) role_arn: Option<String>,
    pub(super) role_session_name: Option<String>,
    pub(super) duration_seconds: Option<u32>,
    pub(super) policy: Option<String>,
    pub(super) sts_region: Option<String>,
    pub(super) vpc: Option<bool>,
    pub(super) sts_endpoint: Option<String>,
    pub(super) env: Environment,
}

impl StsRole {
    /// Nothing given: everything from the process's environment, or the defaults.
    pub(super) fn new() -> Self {
        Self {
            role_arn: None,
            role_session_name: None,
            duration_seconds: None,
            policy: None,
            sts_region: None,
            vpc: None,
            sts_endpoint: None,
            env: Environment::process(),
        }
    }

    /// What a profile describes: the variables from `env`, and STS at `sts_endpoint` when given
    /// (the profile providers' `sts_endpoint`).
    pub(super) fn of_profile(env: Environment, sts_endpoint: Option<String>) -> Self {
        Self { env, sts_endpoint, ..Self::new() }
    }

    /// The given value, else the variable's, when not blank.
    pub(super) fn given_or_env(
        &self,
        given: &Option<String>,
        variable: &str,
    ) -> Result<Option<String>, CredentialsError> {
        match given.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            Some(value) => Ok(Some(value.to_owned())),
            None => self.env.non_blank(variable),
        }
    }

    /// The endpoint's URL: the one given (a host name alone meaning `https://`), else the STS
    /// region's, else the default. Through the runtime's endpoint parser, so user info, a query
    /// or a fragment is refused (never quoted); a region is a name (`[a-z0-9-]+`), so it cannot
    /// turn the URL's host into another one (`x@evil:1/#`).
    pub(super) fn endpoint(&self, provider: &str) -> Result<reqwest::Url, CredentialsError> {
        let text = match self.sts_endpoint.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
            Some(endpoint) if endpoint.contains("://") => endpoint.to_owned(),
            Some(endpoint) => format!("https://{endpoint}"),
            None => self.regional_endpoint(provider)?,
        };
        let mut url = crate::endpoint::parse_endpoint(&text).map_err(|e| {
            let message = match e {
                crate::Error::Config(message) => message,
                other => other.to_string(),
            };
            CredentialsError::provider(provider, format!("the STS {message}"))
        })?;
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(url)
    }

    /// `https://sts[-vpc].<region>.aliyuncs.com` for the region given or in
    /// `ALIBABA_CLOUD_STS_REGION`, else the default endpoint.
    fn regional_endpoint(&self, provider: &str) -> Result<String, CredentialsError> {
        let given = self.sts_region.as_deref().map(str::trim).filter(|v| !v.is_empty());
        let (region, source) = match given {
            Some(region) => (region.to_owned(), "the STS region given"),
            None => match self.env.non_blank(ALIBABA_CLOUD_STS_REGION)? {
                Some(region) => (region, ALIBABA_CLOUD_STS_REGION),
                None => return Ok(DEFAULT_STS_ENDPOINT.to_owned()),
            },
        };
        if !region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            let shown = capped(&region, REGION_SHOWN_LIMIT);
            let message = format!("{source} ({shown:?}) is not a region name: only a-z, 0-9 and - are allowed");
            return Err(CredentialsError::provider(provider, message));
        }
        let vpc = match self.vpc {
            Some(vpc) => vpc,
            None => {
                self.env.non_blank(ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED)?.is_some_and(|v| v.eq_ignore_ascii_case("true"))
            }
        };
        Ok(format!("https://{}.{region}.aliyuncs.com", if vpc { "sts-vpc" } else { "sts" }))
    }

    /// The parameters both calls send: `Action`, `Format`, `Version`, `DurationSeconds`,
    /// `RoleArn`, `RoleSessionName`, `Timestamp` and, when given, `Policy`.
    pub(super) fn parameters(
        &self,
        provider: &str,
        action: &'static str,
        now: time::OffsetDateTime,
    ) -> Result<Vec<(&'static str, String)>, CredentialsError> {
        let role_arn = self.given_or_env(&self.role_arn, ALIBABA_CLOUD_ROLE_ARN)?.ok_or_else(|| {
            CredentialsError::provider(provider, format!("no role to assume: give one or set {ALIBABA_CLOUD_ROLE_ARN}"))
        })?;
        let session = self
            .given_or_env(&self.role_session_name, ALIBABA_CLOUD_ROLE_SESSION_NAME)?
            .unwrap_or_else(|| format!("credentials-cloudspec-{}", now.unix_timestamp()));
        let duration = self.duration_seconds.unwrap_or(DEFAULT_DURATION_SECONDS);
        if duration < MIN_DURATION_SECONDS {
            let message = format!("a session lasts {MIN_DURATION_SECONDS} seconds at least, not {duration}");
            return Err(CredentialsError::provider(provider, message));
        }
        let mut query: Vec<(&'static str, String)> = vec![
            ("Action", action.to_owned()),
            ("Format", "JSON".to_owned()),
            ("Version", "2015-04-01".to_owned()),
            ("DurationSeconds", duration.to_string()),
            ("RoleArn", role_arn),
            ("RoleSessionName", session),
            ("Timestamp", timestamp(now)),
        ];
        if let Some(policy) = self.policy.as_deref().filter(|v| !v.is_empty()) {
            query.push(("Policy", policy.to_owned()));
        }
        Ok(query)
    }

    /// `GET`s `action` with `query` from STS and reads the temporary credentials. The query holds
    /// secrets (a signature, a token): messages name the endpoint only, and `secrets` are cut
    /// out of anything STS says.
    pub(super) async fn call(
        &self,
        provider: &str,
        action: &str,
        query: &[(&'static str, String)],
        secrets: &[&str],
    ) -> Result<ProvidedCredentials, CredentialsError> {
        let mut url = self.endpoint(provider)?;
        // Named by the parsed URL (no user info, query or fragment), before the signed query.
        let shown_as = format!("STS {action} at {}", url.as_str().trim_end_matches('/'));
        url.query_pairs_mut().extend_pairs(query);
        let request = MetadataRequest::get(url.as_str()).shown_as(&shown_as);
        let (status, body) = fetch(&sts_http_client(provider)?, provider, request).await?;
        parse_credentials(provider, action, status, &body, secrets)
    }
}

/// The builder methods of the settings every STS role provider shares (its `role` field, a
/// [`StsRole`]), written once for both public providers.
macro_rules! sts_role_setters {
    () => {
        /// The role to assume (`acs:ram::<account>:role/<name>`).
        pub fn role_arn(mut self, arn: impl Into<String>) -> Self {
            self.role.role_arn = Some(arn.into());
            self
        }

        /// The session name STS records (and ActionTrail shows).
        pub fn role_session_name(mut self, name: impl Into<String>) -> Self {
            self.role.role_session_name = Some(name.into());
            self
        }

        /// How long the temporary credentials last, 900 seconds at least.
        pub fn duration_seconds(mut self, seconds: u32) -> Self {
            self.role.duration_seconds = Some(seconds);
            self
        }

        /// A policy (JSON) narrowing what the temporary credentials may do.
        pub fn policy(mut self, policy: impl Into<String>) -> Self {
            self.role.policy = Some(policy.into());
            self
        }

        /// Asks the STS endpoint of `region` (`sts.<region>.aliyuncs.com`).
        pub fn sts_region(mut self, region: impl Into<String>) -> Self {
            self.role.sts_region = Some(region.into());
            self
        }

        /// Asks the VPC endpoint of the STS region (`sts-vpc.<region>.aliyuncs.com`), or not,
        /// whatever `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED` says.
        pub fn vpc_endpoint(mut self, enabled: bool) -> Self {
            self.role.vpc = Some(enabled);
            self
        }

        /// Asks STS at `endpoint` (a URL, or a host name for `https://`), whatever the region.
        pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
            self.role.sts_endpoint = Some(endpoint.into());
            self
        }

        /// Reads the variables above from `env` instead of the process.
        pub fn environment(mut self, env: Environment) -> Self {
            self.role.env = env;
            self
        }
    };
}
pub(super) use sts_role_setters;

/// STS credentials of a RAM role, assumed with a source AccessKey (`RamRoleArn`): STS
/// `AssumeRole` with `RoleArn`, `RoleSessionName`, `DurationSeconds` and, when given, `Policy`
/// and `ExternalId`.
///
/// Unset, the role comes from `ALIBABA_CLOUD_ROLE_ARN`, the session name from
/// `ALIBABA_CLOUD_ROLE_SESSION_NAME` (else `credentials-cloudspec-<unix time>`; the Python
/// package writes `credentials-python-<unix time>`), the duration is 3600 seconds, and the
/// endpoint is `https://sts.aliyuncs.com`, or `https://sts.<region>.aliyuncs.com` for the
/// region given or in `ALIBABA_CLOUD_STS_REGION` (`sts-vpc.` with the VPC endpoint enabled, or
/// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`). Each call asks STS: put it behind a
/// [`CredentialsCache`](super::CredentialsCache) (a client does) to reuse the credentials until
/// they are due for a refresh.
///
/// ```
/// use cloudspec_runtime::credentials::aliyun::AliyunRamRoleArnProvider;
/// use cloudspec_runtime::credentials::AliyunAccessKey;
///
/// let source = AliyunAccessKey::new("LTAI...", "secret");
/// let provider = AliyunRamRoleArnProvider::new(source)
///     .role_arn("acs:ram::1234567890123456:role/batch-runner")
///     .role_session_name("nightly-jobs")
///     .sts_region("cn-shenzhen");
/// let config = cloudspec_runtime::Config::builder().credentials_provider(provider).region("cn-shenzhen").build()?;
/// # Ok::<(), cloudspec_runtime::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct AliyunRamRoleArnProvider {
    source: AliyunAccessKey,
    external_id: Option<String>,
    role: StsRole,
}

impl AliyunRamRoleArnProvider {
    /// Assumes a role with `source` (a permanent AccessKey, or an STS one whose token is sent
    /// as `SecurityToken`); the rest from the process's environment unless set.
    pub fn new(source: AliyunAccessKey) -> Self {
        Self { source, external_id: None, role: StsRole::new() }
    }

    sts_role_setters!();

    /// Assumes the role `role` describes with `source`, showing `external_id` when given.
    pub(super) fn from_role(source: AliyunAccessKey, role: StsRole, external_id: Option<String>) -> Self {
        Self { source, external_id, role }
    }

    /// The external id the role's trust policy asks for.
    pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
        self
    }

    /// The `AssumeRole` parameters, `Signature` last.
    fn signed_query(&self, now: time::OffsetDateTime) -> Result<Vec<(&'static str, String)>, CredentialsError> {
        let mut query = self.role.parameters(self.name(), "AssumeRole", now)?;
        query.extend([
            ("SignatureMethod", "HMAC-SHA1".to_owned()),
            ("SignatureVersion", "1.0".to_owned()),
            ("SignatureNonce", uuid::Uuid::new_v4().to_string()),
            ("AccessKeyId", self.source.id.clone()),
        ]);
        if let Some(external_id) = self.external_id.as_deref().filter(|v| !v.is_empty()) {
            query.push(("ExternalId", external_id.to_owned()));
        }
        if let Some(token) = self.source_token() {
            query.push(("SecurityToken", token.to_owned()));
        }
        let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let signature = aliyun_rpc::signature("GET", &pairs, self.source.secret.expose());
        query.push(("Signature", signature));
        Ok(query)
    }

    fn source_token(&self) -> Option<&str> {
        self.source.security_token.as_ref().map(|t| t.expose()).filter(|t| !t.is_empty())
    }
}

impl ProvideCredentials for AliyunRamRoleArnProvider {
    fn name(&self) -> &str {
        "aliyun-ram-role-arn"
    }

    fn provide_credentials(&self) -> ProviderFuture<'_> {
        Box::pin(async move {
            let query = self.signed_query(time::OffsetDateTime::now_utc())?;
            let secrets: Vec<&str> =
                [Some(self.source.secret.expose()), self.source_token()].into_iter().flatten().collect();
            self.role.call(self.name(), "AssumeRole", &query, &secrets).await
        })
    }
}

/// A client for one STS call: the package's timeouts (5 s to connect, 10 s between reads) under
/// a 30 s deadline for the whole call (a server dripping its answer cannot hold a refresh
/// longer), and no redirects, which would carry the signed query elsewhere. A client that cannot
/// be built is an error, never a default one (which follows redirects, unbounded). Not shared in a
/// static: a call runs about once an hour, and pooled connections must not outlive the tokio
/// runtime that opened them.
fn sts_http_client(provider: &str) -> Result<reqwest::Client, CredentialsError> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .read_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| CredentialsError::provider(provider, format!("no HTTP client for STS: {e}")))
}

/// `2026-12-05T06:40:00Z`, as the package's `get_iso_8061_date`.
fn timestamp(now: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    now.to_offset(time::UtcOffset::UTC).format(&format).unwrap_or_default()
}

/// `{"Credentials": {"AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"}}` on `200`;
/// otherwise STS's `Code`, `Message` and `RequestId`, each short and with none of `secrets` in it.
fn parse_credentials(
    provider: &str,
    action: &str,
    status: u16,
    body: &str,
    secrets: &[&str],
) -> Result<ProvidedCredentials, CredentialsError> {
    let value: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let text = |object: Option<&serde_json::Value>, name: &str| {
        object.and_then(|o| o.get(name)).and_then(|v| v.as_str()).map(str::to_owned)
    };
    if status != 200 {
        // All three as STS wrote them, so each is redacted and capped: the body may be 64 KiB.
        let quoted = |name: &str| text(value.as_ref(), name).map(|t| quotable(&t, secrets));
        let code = quoted("Code").unwrap_or_else(|| "no error code".to_owned());
        let message = quoted("Message").unwrap_or_default();
        let request_id = quoted("RequestId").unwrap_or_else(|| "none".to_owned());
        let message = format!("STS {action} answered {status}: {code}: {message} (request id {request_id})");
        return Err(CredentialsError::provider(provider, message));
    }
    let malformed = |what: &str| CredentialsError::provider(provider, format!("the STS {action} answer {what}"));
    let credentials =
        value.as_ref().and_then(|v| v.get("Credentials")).ok_or_else(|| malformed("has no Credentials"))?;
    let field = |name: &str| text(Some(credentials), name).ok_or_else(|| malformed(&format!("has no {name}")));
    let (id, secret, token) = (field("AccessKeyId")?, field("AccessKeySecret")?, field("SecurityToken")?);
    let expires_at = parse_expiry(&field("Expiration")?).ok_or_else(|| malformed("has an unreadable Expiration"))?;
    Ok(ProvidedCredentials::new(access_key(id, secret, Some(token))).expiring_at(expires_at))
}

/// STS's message, fit for an error: cut before any string to sign it quotes (which holds the
/// request's parameters, tokens among them), without `secrets` in any encoding, and short.
fn quotable(message: &str, secrets: &[&str]) -> String {
    let cut = message.to_ascii_lowercase().find("string to sign").unwrap_or(message.len());
    let mut message = message[..cut].trim_end_matches([' ', ':']).to_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let once: String = percent_encoding::utf8_percent_encode(secret, crate::signing::UNRESERVED).collect();
        let twice: String = percent_encoding::utf8_percent_encode(&once, crate::signing::UNRESERVED).collect();
        for form in [twice, once, (*secret).to_owned()] {
            message = message.replace(&form, "***");
        }
    }
    capped(&message, MESSAGE_LIMIT)
}

/// `text`, cut to `limit` characters (`...` marking the cut).
fn capped(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn provider(vars: &[(&str, &str)]) -> AliyunRamRoleArnProvider {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        AliyunRamRoleArnProvider::new(AliyunAccessKey::new("src", "src-secret"))
            .environment(Environment::from_map(vars))
    }

    #[test]
    fn the_endpoint_follows_the_region_and_the_vpc_switch() {
        let endpoint = |p: AliyunRamRoleArnProvider| p.role.endpoint("test").map(String::from);
        assert_eq!(endpoint(provider(&[])).unwrap(), "https://sts.aliyuncs.com/");
        let regional = provider(&[(ALIBABA_CLOUD_STS_REGION, "cn-shenzhen")]);
        assert_eq!(endpoint(regional).unwrap(), "https://sts.cn-shenzhen.aliyuncs.com/");
        let vpc = provider(&[(ALIBABA_CLOUD_STS_REGION, "cn-shenzhen"), (ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED, "TRUE")]);
        assert_eq!(endpoint(vpc.clone()).unwrap(), "https://sts-vpc.cn-shenzhen.aliyuncs.com/");
        assert_eq!(endpoint(vpc.clone().vpc_endpoint(false)).unwrap(), "https://sts.cn-shenzhen.aliyuncs.com/");
        assert_eq!(endpoint(vpc.clone().sts_endpoint("sts.example.com/")).unwrap(), "https://sts.example.com/");
        assert_eq!(endpoint(vpc.sts_endpoint("http://h:1/gw")).unwrap(), "http://h:1/gw/");
    }

    #[test]
    fn a_region_that_is_not_a_name_is_refused_naming_where_it_came_from() {
        let hostile = "x@127.0.0.1:47311/#";
        let err = endpoint_error(provider(&[]).sts_region(hostile));
        assert!(err.contains("the STS region given") && err.contains("not a region name"), "{err}");
        let err = endpoint_error(provider(&[(ALIBABA_CLOUD_STS_REGION, hostile)]));
        assert!(err.contains(ALIBABA_CLOUD_STS_REGION) && err.contains("not a region name"), "{err}");
        let err = endpoint_error(provider(&[]).sts_region(format!("{}@h", "a".repeat(10_000))));
        assert!(err.len() < 300, "a huge value is not echoed: {} bytes", err.len());
        for region in ["CN-hangzhou", "cn hangzhou", "cn.hangzhou", "cn/hangzhou"] {
            assert!(endpoint_error(provider(&[]).sts_region(region)).contains("not a region name"), "{region}");
        }
    }

    #[test]
    fn an_endpoint_with_user_info_a_query_or_a_fragment_is_refused_unquoted() {
        for text in
            ["https://user:PASSWORD@127.0.0.1:9", "user:PASSWORD@127.0.0.1:9", "https://h/?k=PASSWORD", "h#PASSWORD"]
        {
            let err = endpoint_error(provider(&[]).sts_endpoint(text));
            assert!(err.contains("STS endpoint") && !err.contains("PASSWORD"), "{err}");
        }
    }

    fn endpoint_error(provider: AliyunRamRoleArnProvider) -> String {
        provider.role.endpoint("test").unwrap_err().to_string()
    }

    #[test]
    fn role_and_session_come_from_the_environment_when_not_given() {
        let now = time::macros::datetime!(2026-12-05 06:40:00 UTC);
        let err = provider(&[]).signed_query(now).unwrap_err();
        assert!(err.to_string().contains(ALIBABA_CLOUD_ROLE_ARN), "{err}");
        let query = provider(&[(ALIBABA_CLOUD_ROLE_ARN, "acs:ram::1:role/r")]).signed_query(now).unwrap();
        let get = |key: &str| query.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str());
        assert_eq!(get("RoleArn"), Some("acs:ram::1:role/r"));
        assert_eq!(get("RoleSessionName"), Some("credentials-cloudspec-1796452800"));
        assert_eq!(get("Timestamp"), Some("2026-12-05T06:40:00Z"));
        assert_eq!((get("DurationSeconds"), get("Policy"), get("SecurityToken")), (Some("3600"), None, None));
        let named = provider(&[(ALIBABA_CLOUD_ROLE_ARN, "a"), (ALIBABA_CLOUD_ROLE_SESSION_NAME, "s")]);
        let query = named.duration_seconds(899).signed_query(now).unwrap_err();
        assert!(query.to_string().contains("900 seconds at least"), "{query}");
    }

    #[test]
    fn sts_messages_lose_the_string_to_sign_and_the_source_secrets() {
        let source = ["sec/ret", "tok+en"];
        let message = "Specified signature is not matched with our calculation. server string to sign is:GET&%2F&SecurityToken%3Dtok%252Ben";
        assert_eq!(quotable(message, &source), "Specified signature is not matched with our calculation. server");
        assert_eq!(quotable("bad sec/ret and tok%2Ben", &source), "bad *** and ***");
        assert_eq!(quotable(&"x".repeat(300), &source).len(), MESSAGE_LIMIT + 3);
    }

    #[test]
    fn every_part_of_an_sts_refusal_is_capped_and_redacted() {
        let huge = "y".repeat(60_000);
        let body = serde_json::json!({"Code": format!("{huge}sec/ret"), "Message": huge, "RequestId": huge});
        let err = parse_credentials("p", "AssumeRole", 403, &body.to_string(), &["sec/ret"]).unwrap_err().to_string();
        assert!(err.len() < 4 * MESSAGE_LIMIT, "{} bytes", err.len());
        let body = serde_json::json!({"Code": "Bad.sec/ret", "RequestId": "REQ-sec/ret"});
        let err = parse_credentials("p", "AssumeRole", 403, &body.to_string(), &["sec/ret"]).unwrap_err().to_string();
        assert!(err.contains("Bad.***") && err.contains("REQ-***"), "{err}");
    }
}
