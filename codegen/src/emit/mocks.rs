//! The `mock` module of a generated crate (cargo feature `test-util`): the runtime's in-memory
//! transport re-exported, documented with a consumer's test that runs as a doctest. The test
//! mocks one operation of the crate (chosen as the crate example's is), answers a first attempt
//! with a 503 and the retry with a typed response, and asserts on the request and call count.

use super::examples::{example_operation, imports, request_value};
use super::features::{gated_inner_doc_lines, Features};
use super::layout::items_text;
use super::rust::{ident, raw_inner_doc_lines};
use super::values::{Place, ValueBuilder};
use crate::ir::{HttpMethod, MediaKind, Operation, Service, SigningScheme, StatusKey, Success, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The cargo feature that turns the mocks on (in the generated `Cargo.toml` and on the module).
pub const FEATURE: &str = "test-util";

/// The generated `Cargo.toml`'s feature line.
pub fn cargo_feature() -> String {
    format!("{FEATURE} = [\"cloudspec-runtime/{FEATURE}\"]")
}

/// `pub mod mock`, behind the feature, with its documentation and doctest.
pub fn mock_module(services: &[Service], crate_name: &str, features: &Features) -> TokenStream {
    let text = format!(
        "In-memory transport for your tests (cargo feature `{FEATURE}`): every client of this crate\nruns over it with no sockets and no server. Enable it for your tests only, in\n`[dev-dependencies]`: `{crate_name} = {{ version = \"..\", features = [\"{FEATURE}\"] }}`.\n\nBuild the configuration with `Config::builder().mock(&mock)`. A [`Rule`] per operation\n(by `operationId`, optionally narrowed with [`Rule::when`]) answers with its [`Reply`]s\nin order, the last repeating: a typed response ([`Reply::json`]), a status with a body\n([`Reply::status`]), a service error ([`Reply::service_error`]) or a transport error\n([`Reply::transport_error`]), each optionally after a delay. The [`RuleHandle`] that\n[`MockTransport::rule`] returns counts the calls and keeps the [`MockRequest`]s (method,\npath, query, headers, body, whether validation ran) to assert on. Everything else is the\nreal client: validation, signing, retries, timeouts and decoding.\n"
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

/// The doctest: a test of the first operation the crate example would pick.
fn consumer_test(services: &[Service], crate_name: &str) -> Option<String> {
    let (service, op) = example_operation(services)?;
    let mut values = ValueBuilder::new(service);
    let (setup, request) = request_value(&mut values, op);
    let (status, success) = success_reply(&mut values, op);
    let status = Literal::u16_unsuffixed(status);
    values.names.insert("Client".to_owned());
    let op_id = &op.id;
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
    let program = quote! {
        #[tokio::main]
        async fn main() -> Result<(), Box<dyn std::error::Error>> {
            let mock = MockTransport::new();
            let rule = mock.rule(Rule::on(#op_id) #replies);
            let client = Client::new(#config.mock(&mock).build()?)?;
            #setup
            let request = #request;
            let response = client.#method(&request).await?;
            assert_eq!(response.status(), #status);
            assert_eq!(rule.calls(), #calls, #calls_message);
            let sent = rule.last_request().expect("the rule saw the request");
            assert_eq!((sent.operation(), sent.method()), (#op_id, #http_method));
            assert!(sent.validated(), "the request was checked against the spec first");
            Ok(())
        }
    };
    let service_imports = imports(crate_name, service, &values.names);
    let text = items_text(quote! {
        #service_imports
        use #krate::mock::{MockTransport, Reply, Rule};
        use #krate::{Config, Credentials};
        #program
    })?;
    Some(format!("```\n{text}```"))
}

/// The configuration of the doctest's client: an endpoint, test credentials of the service's
/// kind, its region when the spec gives one (Alibaba signing needs it), and the parameters
/// the operation takes from the configuration.
fn config(service: &Service, op: &Operation) -> TokenStream {
    let mut config = quote!(Config::builder().endpoint("https://api.example.com"));
    if let Some(region) = &service.example_region {
        config.extend(quote!(.region(#region)));
    }
    config.extend(match service.signing {
        SigningScheme::HuaweiSdkHmacSha256 => quote!(.credentials(Credentials::huawei_aksk("test-ak", "test-sk"))),
        SigningScheme::AliyunAcsHmacSha1 => quote!(.credentials(Credentials::aliyun("test-id", "test-secret"))),
        SigningScheme::None => quote!(.credentials(Credentials::token("test-token"))),
    });
    for name in op.params.iter().filter_map(|p| p.from_config.as_deref()) {
        let value = format!("test-{}", name.replace('_', "-"));
        config.extend(if name == "project_id" { quote!(.project_id(#value)) } else { quote!(.param(#name, #value)) });
    }
    config
}

/// The successful reply: the first success status, with a body of the operation's type.
fn success_reply(values: &mut ValueBuilder<'_>, op: &Operation) -> (u16, TokenStream) {
    let (status, body) = success_case(op);
    let literal = Literal::u16_unsuffixed(status);
    let reply = match body {
        // Built from the type (required fields only): a test states just what it relies on.
        Some((MediaKind::Json, ty)) if *ty != TypeRef::Unit => {
            let value = values.value(ty, None, Place::Exact);
            quote!(Reply::json(#literal, &#value))
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
