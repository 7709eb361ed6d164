//! Stage 3, emit: the intermediate model -> the files of a Rust crate.
//!
//! One module per kind of output: `models` (structs, enums, unions, aliases), `validate`
//! (constraint checks, for models and requests alike), `requests` (a request struct per
//! operation), `responses` (enums keyed by status), `methods` (the client and its methods),
//! `examples` (the methods' doc examples), `pagination` and `waiters` (the paginator and
//! waiter methods beside an operation's, from `x-pagination` and `x-waiters`), `error_codes`
//! (the published catalogue), `regions` (the region catalogue), `tests` (tests from the spec's
//! examples), `contract` (with `Options::contract_tests`: a test per operation against a mock),
//! `mocks` (the `test-util` feature's `mock` module). Everything is built as tokens
//! and laid out item by item by `layout` (prettyplease), so output is always valid, formatted
//! Rust, byte-for-byte the same for the same input.

mod body_path;
mod contract;
mod error_codes;
mod examples;
mod features;
mod json_bytes;
mod large_enum;
mod layout;
mod methods;
mod mocks;
mod models;
mod package;
mod pagination;
mod param_text;
mod regions;
mod requests;
mod responses;
mod rust;
mod security;
mod tests;
mod validate;
mod values;
mod waiters;

use crate::diagnostics::Diagnostic;
use crate::ir::{Service, SigningScheme, Success, TypeKind, TypeRef};
use crate::text;
use crate::Options;
/// The per-tag feature that turns on every tag's (`Options::features_per_tag`).
pub use features::FULL as FULL_FEATURE;
use features::{gate_items, Features, ServiceGates};
use layout::format_file;
use proc_macro2::TokenStream;
use quote::quote;
use responses::Outcome;
use std::collections::{BTreeMap, BTreeSet};

/// What derivable traits each named type has, computed over the whole type graph.
pub struct Traits {
    default: BTreeSet<String>,
}

impl Traits {
    fn of(service: &Service) -> Self {
        let kinds: BTreeMap<&str, &TypeKind> = service.types.iter().map(|d| (d.name.as_str(), &d.kind)).collect();
        let mut default = BTreeSet::new();
        // Iterate to a fixed point: a struct is Default when every required field's type is.
        loop {
            let before = default.len();
            for (name, kind) in &kinds {
                if default.contains(*name) {
                    continue;
                }
                let ok = match kind {
                    TypeKind::Struct(s) => s.fields.iter().all(|f| f.is_optional() || type_is_default(&f.ty, &default)),
                    TypeKind::Enum(e) => e.default.is_some(),
                    TypeKind::Union(_) => false,
                    TypeKind::Alias(t) => type_is_default(t, &default),
                };
                if ok {
                    default.insert((*name).to_owned());
                }
            }
            if default.len() == before {
                break;
            }
        }
        Self { default }
    }

    pub fn is_default(&self, name: &str) -> bool {
        self.default.contains(name)
    }
}

fn type_is_default(t: &TypeRef, default: &BTreeSet<String>) -> bool {
    match t {
        TypeRef::Named(n) => default.contains(n),
        TypeRef::Boxed(inner) => type_is_default(inner, default),
        TypeRef::Tuple { prefix, .. } => prefix.iter().all(|t| type_is_default(t, default)),
        _ => true,
    }
}

/// Emits every file of the crate.
pub fn emit_crate(services: &[Service], options: &Options) -> Result<BTreeMap<String, String>, Vec<Diagnostic>> {
    let crate_name = options.crate_name.as_str();
    let mut files = BTreeMap::new();
    let mut errors = Vec::new();
    let features = Features::plan(services, options.features_per_tag);
    files.extend(package::files(services, options, &features).map(|(path, text)| (path.to_owned(), text)));
    let mut push = |path: String, tokens: TokenStream, file: &str| match format_file(file, tokens) {
        Ok(text) => {
            files.insert(path, text);
        }
        Err(d) => errors.push(d),
    };
    push("src/lib.rs".to_owned(), lib_rs(services, crate_name, &features), "<crate>");
    for service in services {
        let dir = format!("src/{}", service.module);
        let gates = features.service(service);
        push(format!("{dir}/mod.rs"), service_mod(service, gates), &service.file);
        push(format!("{dir}/models.rs"), models_file(service, gates), &service.file);
        let operation_types = operation_types(service, gates);
        if !service.operations.is_empty() {
            push(
                format!("{dir}/operations.rs"),
                quote! {
                    //! Per-operation types: the request of each operation, and its responses or errors keyed by status where they differ.
                    #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::large_enum_variant, clippy::too_long_first_doc_paragraph)]
                    #![allow(deprecated)]
                    #[allow(unused_imports)]
                    use super::models::*;
                    #operation_types
                },
                &service.file,
            );
        }
        let client = methods::client(service, crate_name, gates);
        push(
            format!("{dir}/client.rs"),
            quote! {
                //! The client: one async method per operation.
                #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::too_long_first_doc_paragraph)]
                #![allow(deprecated)]
                #client
            },
            &service.file,
        );
        if let Some(codes) = error_codes::error_codes(service) {
            push(format!("{dir}/error_codes.rs"), codes, &service.file);
        }
        if let Some(tests) = tests::example_tests(service, crate_name, gates) {
            push(format!("tests/{}_examples.rs", service.module), tests, &service.file);
        }
    }
    if options.contract_tests {
        if let Some(tests) = contract::contract_tests(services, crate_name, &features) {
            push("tests/contract.rs".to_owned(), tests, "<crate>");
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

/// `models.rs`: every named type of the service, each gated on the features that reach it.
fn models_file(service: &Service, gates: &ServiceGates) -> TokenStream {
    let traits = Traits::of(service);
    let checks = validate::Checks::new(service);
    let bytes = json_bytes::JsonBytes::new(service);
    let models = service
        .types
        .iter()
        .map(|d| gate_items(models::type_def(d, &traits, &checks, &bytes), gates.type_gate(&d.name)));
    let open_tuple = rust::uses_open_tuple(service).then(|| {
        let name = rust::ident(values::OPEN_TUPLE);
        quote!(pub use cloudspec_runtime::#name;)
    });
    quote! {
        //! The data types of this service: request and response bodies and what they contain.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::large_enum_variant, clippy::too_long_first_doc_paragraph)]
        // Deprecated schemas are still used by the types that contain them; users get the warning.
        #![allow(deprecated)]
        #open_tuple
        #(#models)*
    }
}

/// The items of `operations.rs`: request structs and per-operation response/error enums.
fn operation_types(service: &Service, gates: &ServiceGates) -> TokenStream {
    let mut out = TokenStream::new();
    let checks = validate::Checks::new(service);
    for op in &service.operations {
        let mut items = requests::request_struct(op, &checks);
        if let Success::ByStatus { enum_name, cases } = &op.success {
            items.extend(responses::status_enum(&service.types, op, enum_name, cases, Outcome::Success));
        }
        if let Some(error_type) = &op.error_type {
            items.extend(responses::status_enum(&service.types, op, error_type, &op.errors, Outcome::Error));
        }
        out.extend(gate_items(items, gates.operation(op)));
    }
    out
}

fn lib_rs(services: &[Service], crate_name: &str, features: &Features) -> TokenStream {
    let modules = services.iter().map(|s| {
        let m = rust::ident(&s.module);
        let feature = &s.module;
        let doc = format!(" {} ({}).", text::inline(&s.title), text::code(&s.file));
        quote! {
            #[doc = #doc]
            #[cfg(feature = #feature)]
            pub mod #m;
        }
    });
    let list: Vec<String> = services
        .iter()
        // `[x][]`, not `[x]`: `- [x]: Title (...)` with a one-word title is a link reference
        // definition in Markdown, not a list item with a link.
        .map(|s| format!("- [`{}`][]: {} (feature `{}`)", s.module, text::inline(&s.title), s.module))
        .collect();
    let contents = match features.crate_doc() {
        Some(per_tag) => format!("One module per service:\n\n{}\n\n{per_tag}", list.join("\n")),
        None => format!("One module and one cargo feature per service (all on by default):\n\n{}", list.join("\n")),
    };
    let docs = format!(
        "`{crate_name}`: typed clients generated from OpenAPI specs.\n\n{contents}\n\nConfiguration, credentials and errors come from the runtime and are re-exported here, so this\ncrate is the only dependency you need.\n"
    );
    let mut header = rust::raw_inner_doc_lines(&docs);
    if let Some(example) = examples::crate_example(services, crate_name) {
        let gate = examples::example_operation(services).and_then(|(s, op)| features.service(s).operation(op));
        header.extend(features::gated_inner_doc_lines(&format!("\n# Example\n\n{example}\n"), gate));
    }
    let mock_module = mocks::mock_module(services, crate_name, features);
    quote! {
        #header
        #![forbid(unsafe_code)]

        pub use cloudspec_runtime::{credentials, BodyStream, CallOptions, Config, ConfigBuilder, Credentials, Error, ErrorCode, Response, RetryPolicy, SchemeCredential, ServiceError, StreamingResponse, Validate, ValidationError};
        pub use cloudspec_runtime::pagination::{ItemStream, PageStream};
        pub use cloudspec_runtime::waiter::{WaitError, WaitOptions, WaitOutcome};

        #(#modules)*

        #mock_module
    }
}

fn service_mod(service: &Service, gates: &ServiceGates) -> TokenStream {
    let heading = format!(" {} (API version {}).", text::inline(&service.title), text::inline(&service.version));
    let description = service.description.as_deref().map(|d| {
        let d = rust::inner_doc_lines(d.trim_end());
        quote!(#![doc = ""] #d)
    });
    let generated_from = format!(" Generated from {}.", text::code(&service.file));
    let name = &service.module;
    // `ServiceInfo` is `#[non_exhaustive]`: built with its `const` methods, one per known part.
    let template = service.endpoint.as_ref().map(|t| quote!(.with_endpoint_template(#t)));
    let signing = match service.signing {
        SigningScheme::HuaweiSdkHmacSha256 => quote!(cloudspec_runtime::SigningScheme::HuaweiSdkHmacSha256),
        SigningScheme::AliyunAcsHmacSha1 => quote!(cloudspec_runtime::SigningScheme::AliyunAcsHmacSha1),
        SigningScheme::None => quote!(cloudspec_runtime::SigningScheme::None),
    };
    let version = &service.version;
    let has_codes = !service.error_codes.is_empty();
    let codes_mod = has_codes.then(|| {
        quote!(
            pub mod error_codes;
        )
    });
    let codes_ref = has_codes.then(|| quote!(.with_error_codes(error_codes::ALL)));
    let regions_mod = regions::regions_module(service);
    let operation_ids_mod = mocks::operation_ids_module(service, gates);
    let regions_ref = regions_mod.is_some().then(|| quote!(.with_regions(regions::ALL)));
    // A service without operations has no per-operation types.
    let has_operations = !service.operations.is_empty();
    let operations_mod = has_operations.then(|| {
        quote!(
            pub mod operations;
        )
    });
    // With per-tag features, the enabled tags may use no model, or turn on no operation.
    let may_be_empty = gates.on().then(|| quote!(#[allow(unused_imports)]));
    let operations_use = has_operations.then(|| {
        quote!(
            #may_be_empty
            pub use operations::*;
        )
    });
    // An empty glob re-export is an unused import (a spec whose bodies are all inline or absent).
    let models_use = (!service.types.is_empty()).then(|| {
        quote!(
            #may_be_empty
            pub use models::*;
        )
    });
    quote! {
        #![doc = #heading]
        #description
        #![doc = ""]
        #![doc = #generated_from]

        mod client;
        #codes_mod
        pub mod models;
        #regions_mod
        #operations_mod
        #operation_ids_mod

        pub use client::Client;
        #models_use
        #operations_use

        /// What the runtime needs to know about this service: endpoint, signing, version, error codes, regions.
        pub static SERVICE: cloudspec_runtime::ServiceInfo =
            cloudspec_runtime::ServiceInfo::new(#name, #signing, #version) #template #codes_ref #regions_ref;
    }
}
