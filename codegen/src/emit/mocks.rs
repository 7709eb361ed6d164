//! What the generated crate gives its users' tests (cargo feature `test-util`): the `mock`
//! module, the runtime's in-memory transport re-exported and documented with a consumer's test
//! that runs as a doctest (it mocks one operation of the crate, chosen as the crate example's
//! is, answers a first attempt with a 503 and the retry with a typed response, and asserts on
//! the request and call count); and each service's `operation_ids` module, a typed constant per
//! operation for the mock's rules, so that a misspelt operation does not compile.

use super::examples::{argument_example, example_operation, imports, request_value};
use super::features::{gate_items, gated_inner_doc_lines, Features, ServiceGates};
use super::layout::items_text;
use super::rust::{ident, raw_doc_lines, raw_inner_doc_lines};
use super::values::{scalar_text, Place, ValueBuilder};
use crate::ir::{HttpMethod, MediaKind, Operation, PathPart, Service, StatusKey, Success, TypeDef, TypeRef};
use crate::text;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The service module's module of operation constants.
const OPERATION_IDS: &str = "operation_ids";

/// What the runtime percent-encodes in a path parameter: all but RFC 3986's unreserved characters.
/// A copy of `cloudspec_runtime::request::PATH_SEGMENT` (the doctest asserts the path the runtime
/// builds): the generator does not depend on the runtime, whose HTTP stack it has no use for, and
/// the runtime keeps the set private.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// The cargo feature that turns the mocks on (in the generated `Cargo.toml` and on the module).
pub const FEATURE: &str = "test-util";

/// The generated `Cargo.toml`'s feature line.
pub fn cargo_feature() -> String {
    format!("{FEATURE} = [\"cloudspec-runtime/{FEATURE}\"]")
}

/// `pub mod mock`, behind the feature, with its documentation and doctest.
pub fn mock_module(services: &[Service], crate_name: &str, features: &Features) -> TokenStream {
    let text = format!(
        "In-memory transport for your tests (cargo feature `{FEATURE}`): every client of this
crate runs over it with no sockets and no server. Enable it for your tests only, in
`[dev-dependencies]`: `{crate_name} = {{ version = \"..\", features = [\"{FEATURE}\"]
}}`.

Build the configuration with `Config::builder().mock(&mock)`; it needs no credentials
(without any, requests are signed with placeholder keys: [`ACCESS_KEY_ID`]). A [`Rule`]
per operation, named by its constant in the service module's `{OPERATION_IDS}` (a
misspelt one does not compile) and optionally narrowed by the typed request
([`Rule::when_input`]) or the HTTP request ([`Rule::when`]), answers with its [`Reply`]s
in order, the last repeating: a typed response ([`Reply::json`]), a status with a body
([`Reply::status`]), a service error ([`Reply::service_error`]) or a transport error
([`Reply::transport_error`]), each optionally after a delay. The [`RuleHandle`] that
[`MockTransport::rule`] returns counts the calls and keeps the [`MockRequest`]s
(operation, typed request, method, path, query, headers, body, whether validation ran)
to assert on. Everything else is the real client: validation, signing, retries, timeouts
and decoding.
"
    );
    let mut doc = raw_inner_doc_lines(&text);
    if let Some(example) = consumer_test(services, crate_name) {
        // With per-tag features, the example's operation may be left out: so is its doctest.
        let gate = example_operation(services).and_then(|(s, op)| features.service(s).operation(op));
        doc.extend(gated_inner_doc_lines(&format!("\n# Example\n\n{example}\n"), gate));
    }
    quote! {
        #[cfg(feature = #FEATURE)]
        pub mod mock {
            #doc
            pub use cloudspec_runtime::mock::*;
        }
    }
}

/// The statement a client method ends its request with: behind the feature, the request keeps a
/// copy of the typed request, for `Rule::when_input` and `MockRequest::input`.
pub fn record_input() -> TokenStream {
    quote! {
        #[cfg(feature = #FEATURE)]
        let http = http.with_input(request);
    }
}

/// The service module's `operation_ids` (behind the feature): one `OperationId` constant per
/// operation, named from its method (`show_cluster_detail` -> `SHOW_CLUSTER_DETAIL`, unique as
/// the methods are), each gated as its operation is. `None` for a service without operations.
pub fn operation_ids_module(service: &Service, gates: &ServiceGates) -> Option<TokenStream> {
    if service.operations.is_empty() {
        return None;
    }
    let module = &service.module;
    let constants = service.operations.iter().map(|op| {
        let name = operation_constant(op);
        let id = &op.id;
        let doc = raw_doc_lines(&format!("{} (`Client::{}`).", text::code(id), ident(&op.fn_name)));
        let constant = quote! {
            #doc
            pub const #name: cloudspec_runtime::mock::OperationId = cloudspec_runtime::mock::OperationId::new(#module, #id);
        };
        gate_items(constant, gates.operation(op))
    });
    let doc = raw_doc_lines(&format!(
        "The operations of this service, for the [`mock`](crate::mock) rules of your tests (cargo feature\n`{FEATURE}`): `Rule::on({OPERATION_IDS}::{})`. A misspelt name does not compile.",
        operation_constant(&service.operations[0])
    ));
    let module_name = ident(OPERATION_IDS);
    Some(quote! {
        #doc
        #[cfg(feature = #FEATURE)]
        pub mod #module_name {
            #(#constants)*
        }
    })
}

/// The constant naming `op` in `operation_ids`: its method's name in capitals (the method name
/// is ASCII snake case the lowering made unique, so the constant is a valid, unique identifier).
fn operation_constant(op: &Operation) -> proc_macro2::Ident {
    ident(&op.fn_name.to_ascii_uppercase())
}

/// The doctest: a test of the first operation the crate example would pick.
fn consumer_test(services: &[Service], crate_name: &str) -> Option<String> {
    let (service, op) = example_operation(services)?;
    let mut values = ValueBuilder::new(service);
    let (setup, request) = request_value(&mut values, op);
    let (status, success) = success_reply(&mut values, &service.types, op);
    let status = Literal::u16_unsuffixed(status);
    values.names.extend(["Client".to_owned(), OPERATION_IDS.to_owned()]);
    let operation_ids = ident(OPERATION_IDS);
    let constant = operation_constant(op);
    // The runtime's rule: POST and PATCH are retried only with an idempotency token.
    let retried =
        !matches!(op.method, HttpMethod::Post | HttpMethod::Patch) || op.params.iter().any(|p| p.idempotency_token);
    let (replies, calls) = if retried {
        (quote!(.reply(Reply::status(503)).reply(#success)), Literal::usize_unsuffixed(2))
    } else {
        (quote!(.reply(#success)), Literal::usize_unsuffixed(1))
    };
    let config = config(service, op);
    let method = ident(&op.fn_name);
    let http_method = op.method.as_str();
    let krate = ident(&crate_name.replace('-', "_"));
    let calls_message = if retried { "the 503 was retried" } else { "one call" };
    let sent_checks = sent_assertions(service, op, quote!(#operation_ids::#constant), http_method);
    let program = quote! {
        #[tokio::main]
        async fn main() -> Result<(), Box<dyn std::error::Error>> {
            let mock = MockTransport::new();
            let rule = mock.rule(Rule::on(#operation_ids::#constant) #replies);
            let client = Client::new(#config.mock(&mock).build()?)?;
            #setup
            let request = #request;
            let response = client.#method(&request).await?;
            assert_eq!(response.status(), #status);
            assert_eq!(rule.calls(), #calls, #calls_message);
            let sent = rule.last_request().expect("the rule saw the request");
            #sent_checks
            assert!(sent.validated(), "the request was checked against the spec first");
            Ok(())
        }
    };
    let service_imports = imports(crate_name, service, &values.names);
    let text = items_text(quote! {
        #service_imports
        use #krate::mock::{MockTransport, Reply, Rule};
        use #krate::Config;
        #program
    })?;
    Some(format!("```\n{text}```"))
}

/// The doctest's assertions on the request sent: its operation, method, typed request and path, the path equal
/// to the template filled in when every parameter's text is known here (scalars from the spec's
/// examples, configuration values), else starting with the template's text before its first
/// parameter (when there is any).
fn sent_assertions(service: &Service, op: &Operation, operation: TokenStream, method: &str) -> TokenStream {
    let mut checks = quote! {
        assert_eq!((sent.operation(), sent.method()), (#operation, #method));
        // Outside the macro, so that the comparison is laid out as code.
        let same_request = sent.input() == Some(&request);
        assert!(same_request, "the typed request, as the method was given it");
    };
    if let Some(path) = expected_path(service, op) {
        checks.extend(quote!(assert_eq!(sent.path(), #path);));
    } else if let Some(PathPart::Literal(prefix)) = op.sent_path_parts().first() {
        if !prefix.is_empty() && is_plain_path(prefix) {
            checks.extend(quote!(assert!(sent.path().starts_with(#prefix), "the operation's path");));
        }
    }
    checks
}

/// The path the doctest's request is sent to, as the runtime builds it (each parameter's text
/// percent-encoded but for unreserved characters; a `#` fragment is never sent:
/// `Operation::sent_path_parts`); `None` when a parameter's text is not known
/// here (an enum, a list), or the template has text the URL would encode again.
fn expected_path(service: &Service, op: &Operation) -> Option<String> {
    let mut path = String::new();
    for part in &op.sent_path_parts() {
        match part {
            PathPart::Literal(text) if is_plain_path(text) => path.push_str(text),
            PathPart::Literal(_) => return None,
            PathPart::Param(name) => {
                let text = path_param_text(service, op, name)?;
                path.extend(utf8_percent_encode(&text, PATH_SEGMENT));
            }
        }
    }
    Some(path)
}

/// The text of path parameter `name` in the doctest's call: the configuration's test value
/// (as [`config`] sets it), or the scalar the request was built with (from
/// [`argument_example`], as [`request_value`] builds it).
fn path_param_text(service: &Service, op: &Operation, name: &str) -> Option<String> {
    let param = op.path_param(name)?;
    if let Some(config_name) = &param.from_config {
        return Some(config_value(config_name));
    }
    scalar_text(service, &param.ty, Some(&argument_example(param)?))
}

/// Template text the URL keeps as it is: unreserved characters and `/`.
fn is_plain_path(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/'))
}

/// The configuration of the doctest's client: an endpoint, its region when the spec gives one
/// (Alibaba signing needs it), and the parameters the operation takes from the configuration.
/// No credentials: over a mock, requests are signed with placeholder keys, and a security
/// scheme with no credential sends a placeholder.
fn config(service: &Service, op: &Operation) -> TokenStream {
    let mut config = quote!(Config::builder().endpoint("https://api.example.com"));
    if let Some(region) = &service.example_region {
        config.extend(quote!(.region(#region)));
    }
    for name in op.params.iter().filter_map(|p| p.from_config.as_deref()) {
        let value = config_value(name);
        config.extend(if name == "project_id" { quote!(.project_id(#value)) } else { quote!(.param(#name, #value)) });
    }
    config
}

/// The test value the doctest configures for parameter `name` (`test-project-id`).
fn config_value(name: &str) -> String {
    format!("test-{}", name.replace('_', "-"))
}

/// The successful reply: the first success status, with a body of the operation's type.
fn success_reply(values: &mut ValueBuilder<'_>, defs: &[TypeDef], op: &Operation) -> (u16, TokenStream) {
    let (status, body) = success_case(op);
    let literal = Literal::u16_unsuffixed(status);
    let reply = match body {
        // Built from the type (required fields only): a test states just what it relies on.
        Some((MediaKind::Json, ty)) if *ty != TypeRef::Unit => {
            let value = values.value(ty, None, Place::Exact);
            if super::json_bytes::adapts(defs, ty) {
                quote!(Reply::json(#literal, &cloudspec_runtime::wire_json::base64_bytes::Json(&#value)))
            } else {
                quote!(Reply::json(#literal, &#value))
            }
        }
        Some((MediaKind::Text, _)) => quote!(Reply::status(#literal).body("text")),
        Some((MediaKind::OctetStream, _)) => quote!(Reply::status(#literal).body(&b"bytes"[..])),
        _ => quote!(Reply::status(#literal)),
    };
    (status, reply)
}

/// A success status and the body it carries: for statuses with different types, the first
/// exact status (a range's first status may be another key's), else the first range.
fn success_case(op: &Operation) -> (u16, Option<(MediaKind, &TypeRef)>) {
    match &op.success {
        Success::Single { ty, media, statuses } => (statuses.first().map_or(200, status_code), media.map(|m| (m, ty))),
        Success::ByStatus { cases, .. } => {
            let case = cases.iter().find(|c| matches!(c.status, StatusKey::Code(_))).or(cases.first());
            case.map_or((200, None), |c| (status_code(&c.status), c.body.as_ref().map(|(m, t)| (*m, t))))
        }
    }
}

/// A status key as one status: a range's first (`2XX` is 200), `default` as 200.
fn status_code(key: &StatusKey) -> u16 {
    match key {
        StatusKey::Code(code) => *code,
        StatusKey::Range(digit) => digit * 100,
        StatusKey::Default => 200,
    }
}
