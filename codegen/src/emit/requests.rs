//! Operations -> request structs: one per operation, its parameters and body as fields, built
//! with `new(required...)` and `with_*` setters, and checked by the shared validation emitter.

use super::rust::{deprecated_with_note, describe_constraints, doc_lines, docs, ident, raw_doc_lines, ty};
use super::validate::{validate_impl, Checks, Member};
use crate::ir::{Operation, Param, ParamLocation};
use crate::text;
use proc_macro2::TokenStream;
use quote::quote;

/// Optional in the request struct: not required, or supplied by the client when absent.
pub fn is_optional(p: &Param) -> bool {
    !p.required || p.from_config.is_some() || p.idempotency_token
}

/// The request struct of `op`, its constructors and its `Validate`.
pub fn request_struct(op: &Operation, checks: &Checks) -> TokenStream {
    let name = ident(&op.request_type);
    let fn_name = &op.fn_name;
    let endpoint = text::code(&format!("{} {}", op.method, op.path));
    let doc = format!(" Input of [`Client::{fn_name}`](super::Client::{fn_name}): {endpoint}.");
    let fields = op.params.iter().map(|p| {
        let fname = ident(&p.name);
        let fdoc = param_docs(p);
        let inner = ty(&p.ty);
        let fty = if is_optional(p) { quote!(Option<#inner>) } else { inner };
        let dep = deprecated_with_note(&p.doc, "parameter", &p.wire_name);
        quote! { #fdoc #dep pub #fname: #fty, }
    });
    let body_field = op.body.as_ref().map(|b| {
        let bty = ty(&b.ty);
        let bty = if b.required { bty } else { quote!(Option<#bty>) };
        let bdoc = match &b.doc {
            Some(provider_text) => doc_lines(provider_text),
            None => raw_doc_lines(&format!("The request body ({}).", text::code(&b.content_type))),
        };
        quote! { #bdoc pub body: #bty, }
    });
    let constructors = constructors(op);
    let validate = request_validate(op, checks);
    let dep = deprecated_with_note(&op.doc, "operation", &op.id);
    quote! {
        #[doc = #doc]
        #dep
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #body_field
        }

        #constructors
        #validate
    }
}

fn param_docs(p: &Param) -> TokenStream {
    let location = match p.location {
        ParamLocation::Path => "Path",
        ParamLocation::Query => "Query",
        ParamLocation::Header => "Header",
        ParamLocation::Cookie => "Cookie",
    };
    let mut extra = vec![format!("{location} parameter {}.", text::code(&p.wire_name))];
    if let Some(constraints) = describe_constraints(&p.constraints, Some(&p.ty)) {
        extra.push(constraints);
    }
    if let Some(config) = &p.from_config {
        extra.push(format!("When `None`, the client's configured {} is used.", text::code(config)));
    }
    if p.idempotency_token {
        extra.push("An idempotency token: when `None`, the client generates one per call and reuses it on every retry, which makes the call safe to retry.".to_owned());
    }
    docs(&p.doc, &format!("{}.", text::code(&p.wire_name)), &extra)
}

/// `new` takes what is required; everything optional has a `with_` setter.
fn constructors(op: &Operation) -> TokenStream {
    let name = ident(&op.request_type);
    let mut new_args = Vec::new();
    let mut new_inits = Vec::new();
    for p in &op.params {
        let fname = ident(&p.name);
        if is_optional(p) {
            new_inits.push(quote!(#fname: None));
        } else {
            let fty = ty(&p.ty);
            new_args.push(quote!(#fname: impl Into<#fty>));
            new_inits.push(quote!(#fname: #fname.into()));
        }
    }
    if let Some(b) = &op.body {
        let bty = ty(&b.ty);
        if b.required {
            new_args.push(quote!(body: #bty));
            new_inits.push(quote!(body));
        } else {
            new_inits.push(quote!(body: None));
        }
    }
    let setters = op.params.iter().filter(|p| is_optional(p)).map(|p| {
        let fname = ident(&p.name);
        let bare = &p.name;
        let setter = ident(&format!("with_{bare}"));
        let fty = ty(&p.ty);
        let sdoc = format!(" Sets [`{bare}`](Self::{bare}).");
        let dep = deprecated_with_note(&p.doc, "parameter", &p.wire_name);
        quote! {
            #[doc = #sdoc]
            #dep
            pub fn #setter(mut self, value: impl Into<#fty>) -> Self {
                self.#fname = Some(value.into());
                self
            }
        }
    });
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|b| {
        let bty = ty(&b.ty);
        quote! {
            /// Sets the request body.
            pub fn with_body(mut self, body: #bty) -> Self {
                self.body = Some(body);
                self
            }
        }
    });
    let new_doc = if new_args.is_empty() {
        " A request with every optional part unset."
    } else {
        " A request with the required parts; optional parts are unset."
    };
    // One argument per required parameter is the spec's shape, however many it has (clippy's
    // limit is seven).
    let many_arguments = (new_args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        impl #name {
            #[doc = #new_doc]
            #[allow(clippy::new_without_default)]
            #many_arguments
            pub fn new(#(#new_args),*) -> Self {
                Self { #(#new_inits),* }
            }
            #(#setters)*
            #body_setter
        }
    }
}

/// Each parameter checked at its wire name, the body at the root.
fn request_validate(op: &Operation, checks: &Checks) -> TokenStream {
    let params = op.params.iter().map(|p| Member {
        field: &p.name,
        wire: Some(&p.wire_name),
        ty: &p.ty,
        constraints: &p.constraints,
        optional: is_optional(p),
        must_be_set: false,
    });
    let body = op.body.as_ref().map(|b| Member {
        field: "body",
        wire: None,
        ty: &b.ty,
        constraints: &b.constraints,
        optional: !b.required,
        must_be_set: false,
    });
    let statements = params.chain(body).map(|m| checks.member(&m));
    validate_impl(&ident(&op.request_type), quote!(#(#statements)*))
}
