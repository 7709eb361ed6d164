//! Operations -> `tests/contract.rs` (`Options::contract_tests`): one `#[tokio::test]` per
//! operation, named after its client method, that calls it once against a Prism mock of the
//! spec (`CLOUDSPEC_MOCK_URL`) with the arguments lowering chose (`ir::ContractCall`), every
//! security scheme given a placeholder credential.
//!
//! The tests are thin: starting, configuring, decoding the arguments, judging the outcome and
//! reporting it are `cloudspec_runtime::contract`'s. Each argument reaches the test as JSON text
//! in a string literal (built by `quote`), decoded into its Rust type there: spec text is never
//! code.

use super::features::{gate_items, Features};
use super::requests::is_optional;
use super::rust::{ident, ty};
use crate::ir::{ContractCall, ContractValue, MediaKind, Operation, SecurityKind, Service, TypeDef};
use crate::naming::Namespace;
use crate::text::code;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// The contract test file of a crate, or `None` when no service has an operation.
pub fn contract_tests(services: &[Service], crate_name: &str, features: &Features) -> Option<TokenStream> {
    let krate = ident(&crate_name.replace('-', "_"));
    let with_operations: Vec<&Service> = services.iter().filter(|s| !s.operations.is_empty()).collect();
    let single = with_operations.len() == 1;
    let modules = with_operations.iter().map(|service| {
        let module = ident(&service.module);
        let feature = &service.module;
        // With per-tag features, each test is there when its operation is (maybe none).
        let gates = features.service(service);
        let tests =
            service.operations.iter().map(|op| gate_items(operation_test(&service.types, op), gates.operation(op)));
        let may_be_unused = gates.on().then(|| quote!(#[allow(unused_imports, dead_code)]));
        let schemes = placeholders(service);
        let body = quote! {
            #may_be_unused
            use #krate::#module::*;

            /// A placeholder credential for every security scheme the spec declares.
            #may_be_unused
            const SCHEMES: &[cloudspec_runtime::contract::Placeholder] = &[#(#schemes),*];

            #(#tests)*
        };
        if single {
            quote!(#body)
        } else {
            quote! {
                #[cfg(feature = #feature)]
                mod #module {
                    #body
                }
            }
        }
    });
    let modules: Vec<TokenStream> = modules.collect();
    if modules.is_empty() {
        return None;
    }
    let gate = single.then(|| {
        let feature = &with_operations[0].module;
        quote!(#![cfg(feature = #feature)])
    });
    Some(quote! {
        //! Contract tests: every operation called once against a Prism mock of its spec, with arguments
        //! from the spec's examples (or built from its schemas where it has none).
        //!
        //! Start the mock with `prism mock -h 127.0.0.1 -p 4010 --errors <spec>`, then run
        //! `CLOUDSPEC_MOCK_URL=http://127.0.0.1:4010 cargo test --test contract`.
        //! `CLOUDSPEC_CONTRACT_REPORT=<file>` appends one JSON line per operation: its outcome
        //! (`pass`, `client` or `spec`) and why.
        #gate
        #![allow(deprecated, unused_imports, clippy::too_many_lines)]

        #(#modules)*
    })
}

/// `Placeholder::Token(name)` or `Placeholder::Basic(name)` for each scheme.
fn placeholders(service: &Service) -> impl Iterator<Item = TokenStream> + '_ {
    service.security_schemes.iter().map(|scheme| {
        let name = &scheme.name;
        match scheme.kind {
            SecurityKind::Basic => quote!(cloudspec_runtime::contract::Placeholder::Basic(#name)),
            SecurityKind::Bearer | SecurityKind::ApiKey { .. } => {
                quote!(cloudspec_runtime::contract::Placeholder::Token(#name))
            }
        }
    })
}

/// The test of one operation: each argument decoded into a local of its type, the request built
/// from them, the call judged.
fn operation_test(defs: &[TypeDef], op: &Operation) -> TokenStream {
    let test_name = ident(&op.fn_name);
    let method = ident(&op.fn_name);
    let request_type = ident(&op.request_type);
    let operation = &op.id;
    let call = op.contract.clone().unwrap_or_default();
    let mut locals = Namespace::new();
    for taken in ["call", "client", "request"] {
        locals.reserve(taken);
    }
    let mut arguments = Vec::new();
    let mut required = Vec::new();
    let mut setters = Vec::new();
    for (name, value) in &call.params {
        let Some(param) = op.params.iter().find(|p| &p.name == name) else { continue };
        let local = ident(&locals.claim(&param.name));
        let location = format!("{}.{}", param.location.as_str(), param.wire_name);
        arguments.push(argument(&local, &location, &ty(&param.ty), value));
        if is_optional(param) {
            let setter = ident(&format!("with_{}", param.name));
            setters.push(quote!(.#setter(#local)));
        } else {
            required.push(quote!(#local));
        }
    }
    if let (Some(body), Some(value)) = (&op.body, &call.body) {
        let local = ident(&locals.claim("body"));
        // A JSON body that is (or holds) bytes reads them from base64 text, as the SDK sends it.
        let bytes = (body.media == MediaKind::Json).then(|| super::json_bytes::body_type(defs, &body.ty)).flatten();
        arguments.push(match bytes {
            Some(wrapped) => {
                let argument = argument(&local, "body", &wrapped, value);
                quote!(#argument let #local = #local.0;)
            }
            None => argument(&local, "body", &ty(&body.ty), value),
        });
        if body.required {
            required.push(quote!(#local));
        } else {
            setters.push(quote!(.with_body(#local)));
        }
    }
    let doc = format!(" {} ({} {}) against the mock.", code(&op.id), op.method, code(&op.path));
    let caveats = caveats(&call);
    let binding = if arguments.is_empty() && caveats.is_empty() { quote!(call) } else { quote!(mut call) };
    quote! {
        #[doc = #doc]
        #[tokio::test]
        async fn #test_name() {
            let #binding = cloudspec_runtime::contract::Call::start(#operation);
            let client = Client::new(call.config(&SERVICE, SCHEMES)).expect("the client builds");
            #(#caveats)*
            #(#arguments)*
            let request = #request_type::new(#(#required),*) #(#setters)*;
            let mut result = client.#method(&request).await;
            if call.retry_with_generated_response(&result) {
                result = client.with_options(call.generated_responses()).#method(&request).await;
            }
            call.finish(result);
        }
    }
}

/// What the spec makes fail whatever the SDK does, told to the call (see `lower/contract_faults.rs`).
fn caveats(call: &ContractCall) -> Vec<TokenStream> {
    let mut told = Vec::new();
    if let Some(caveat) = &call.body_caveat {
        let (why, members) = (&caveat.why, &caveat.members);
        told.push(quote!(call.body_caveat(#why, &[#(#members),*]);));
    }
    if let Some(why) = &call.broken_response_example {
        told.push(quote!(call.broken_response_example(#why);));
    }
    if let Some(why) = &call.same_request {
        told.push(quote!(call.same_request(#why);));
    }
    told
}

/// `let local: T = call.value(location, origin, json);`
fn argument(local: &Ident, location: &str, rust_type: &TokenStream, value: &ContractValue) -> TokenStream {
    let json = serde_json::to_string(&value.value).unwrap_or_else(|_| "null".to_owned());
    let origin = if value.from_spec { quote!(Spec) } else { quote!(Synthesised) };
    quote! {
        let #local: #rust_type = call.value(#location, cloudspec_runtime::contract::Origin::#origin, #json);
    }
}
