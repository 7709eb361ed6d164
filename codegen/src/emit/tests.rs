//! The spec's examples -> an integration test file per service.
//!
//! Each request example must decode into the request body type, pass validation, and encode back
//! to the same JSON; each response example must decode into its status's type and encode back.
//! Where the spec records a contradiction, the test checks the tolerant decoding there instead
//! of equality (see `cloudspec_runtime::testing`). A document's verbatim example kept in
//! `x-document-example` gets its own test, tolerant at its contradictions; the valid standard
//! example beside it is checked strictly.

use super::features::{gate_items, ServiceGates};
use super::rust::{ident, raw_string, ty};
use crate::ir::{ExampleContext, Service, TypeRef};
use crate::naming::{snake, Namespace};
use crate::text::code;
use proc_macro2::TokenStream;
use quote::quote;

/// The test file for `service`, or `None` when it has no JSON examples.
pub fn example_tests(service: &Service, crate_name: &str, gates: &ServiceGates) -> Option<TokenStream> {
    let mut names = Namespace::new();
    let mut tests = Vec::new();
    for op in &service.operations {
        for example in &op.examples {
            if matches!(example.ty, TypeRef::Bytes | TypeRef::Unit) {
                continue;
            }
            let kind = if example.document { "document example" } else { "example" };
            let fn_name = names.claim(&snake(&format!("{} {} {kind} {}", &op.fn_name, example.context, example.name)));
            let fn_ident = ident(&fn_name);
            let json = raw_string(&serde_json::to_string_pretty(&example.value).unwrap_or_else(|_| "null".to_owned()));
            let target = ty(&example.ty);
            let pointers = &example.contradictions;
            // Request examples must also encode back to themselves.
            let check = if example.context == ExampleContext::Request {
                quote!(check_request_example)
            } else {
                quote!(check_response_example)
            };
            let doc = match example.document {
                false => format!(" {} {} example {}.", code(&op.id), example.context, code(&example.name)),
                true => format!(
                    " {} {} example {}: the document's verbatim version (`x-document-example`).",
                    code(&op.id),
                    example.context,
                    code(&example.name)
                ),
            };
            let test = quote! {
                #[doc = #doc]
                #[test]
                fn #fn_ident() {
                    let example = #json;
                    cloudspec_runtime::testing::#check::<#target>(example, &[#(#pointers),*]);
                }
            };
            tests.push(gate_items(test, gates.operation(op)));
        }
    }
    if tests.is_empty() {
        return None;
    }
    let module = ident(&service.module);
    let krate = ident(&crate_name.replace('-', "_"));
    let feature = &service.module;
    let doc = format!(" Tests generated from the examples in {}.", code(&service.file));
    Some(quote! {
        #![doc = #doc]
        #![cfg(feature = #feature)]
        #![allow(unused_imports, deprecated)]

        use #krate::#module::*;

        #(#tests)*
    })
}
