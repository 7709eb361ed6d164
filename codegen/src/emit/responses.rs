//! Responses -> enums keyed by status: an operation's successes when their types differ, and its
//! documented error bodies (decoded from a `ServiceError` with `from_service_error`).

use super::rust::{ident, ty};
use crate::ir::{MediaKind, Operation, ResponseCase, StatusKey, TypeDef, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// Which of an operation's enums: its successes or its errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Error,
}

/// An enum keyed by status: the success enum or the error-body enum of `op`.
pub fn status_enum(
    defs: &[TypeDef],
    op: &Operation,
    name: &str,
    cases: &[ResponseCase],
    outcome: Outcome,
) -> TokenStream {
    let name_ident = ident(name);
    let method = &op.fn_name;
    let doc = match outcome {
        Outcome::Success => format!(" The responses of [`Client::{method}`](super::Client::{method}), by status."),
        Outcome::Error => format!(
            " The documented error responses of [`Client::{method}`](super::Client::{method}), by status. Get one from a service error with [`{name}::from_service_error`]."
        ),
    };
    let variants = cases.iter().map(|c| {
        let v = ident(&c.variant);
        let vdoc =
            format!(" `{}`: {}", c.status, crate::text::inline(c.description.lines().next().unwrap_or_default()));
        match &c.body {
            Some((_, t)) if *t != TypeRef::Unit => {
                let t = ty(t);
                quote!(#[doc = #vdoc] #v(#t),)
            }
            _ => quote!(#[doc = #vdoc] #v,),
        }
    });
    let has_default = cases.iter().any(|c| c.status == StatusKey::Default);
    let undocumented = (outcome == Outcome::Error && !has_default).then(|| {
        quote! {
            /// A status the spec does not document.
            Undocumented,
        }
    });
    let from = (outcome == Outcome::Error).then(|| from_service_error(defs, &name_ident, cases));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name_ident {
            #(#variants)*
            #undocumented
        }

        #from
    }
}

/// `from_service_error`: the documented error a service error is, by its status.
fn from_service_error(defs: &[TypeDef], name: &proc_macro2::Ident, cases: &[ResponseCase]) -> TokenStream {
    // A JSON body: through the base64 adapter when it is (or holds) bytes.
    let decode_json = |v: &proc_macro2::Ident, t: &TypeRef| match super::json_bytes::body_type(defs, t) {
        Some(wrapped) => quote!(error.decode_body::<#wrapped>().map(|body| Self::#v(body.0))),
        None => quote!(error.decode_body().map(Self::#v)),
    };
    let arms: Vec<TokenStream> = cases
        .iter()
        .filter(|c| c.status != StatusKey::Default)
        .map(|c| {
            let v = ident(&c.variant);
            let pat = status_pattern(&c.status, cases);
            match &c.body {
                Some((MediaKind::Json, t)) if *t != TypeRef::Unit => {
                    let decode = decode_json(&v, t);
                    quote!(#pat => #decode,)
                }
                Some((MediaKind::Text, TypeRef::String)) => quote!(#pat => Some(Self::#v(error.body.clone())),),
                Some((_, TypeRef::Bytes)) => quote!(#pat => Some(Self::#v(error.body.clone().into_bytes())),),
                Some((_, t)) if *t != TypeRef::Unit => quote!(#pat => error.decode_body().map(Self::#v),),
                _ => quote!(#pat => Some(Self::#v),),
            }
        })
        .collect();
    let default_expr = match cases.iter().find(|c| c.status == StatusKey::Default) {
        Some(c) => {
            let v = ident(&c.variant);
            match &c.body {
                Some((MediaKind::Json, t)) if *t != TypeRef::Unit => decode_json(&v, t),
                Some((_, t)) if *t != TypeRef::Unit => quote!(error.decode_body().map(Self::#v)),
                _ => quote!(Some(Self::#v)),
            }
        }
        None => quote!(Some(Self::Undocumented)),
    };
    let body = if arms.is_empty() {
        // Only a `default` response: there is no status to tell apart.
        default_expr
    } else {
        quote! {
            match error.status {
                #(#arms)*
                _ => #default_expr,
            }
        }
    };
    quote! {
        impl #name {
            /// The documented error this service error is, decoded from its body; `None` when
            /// the body does not have the documented shape.
            pub fn from_service_error(error: &cloudspec_runtime::ServiceError) -> Option<Self> {
                #body
            }
        }
    }
}

/// The match pattern of a status. A range leaves out the codes `cases` list on their own, so the
/// explicit code wins wherever it is written and no two arms overlap.
pub fn status_pattern(status: &StatusKey, cases: &[ResponseCase]) -> TokenStream {
    let (lo, hi) = match status {
        StatusKey::Code(c) => {
            let c = Literal::u16_unsuffixed(*c);
            return quote!(#c);
        }
        StatusKey::Default => return quote!(_),
        StatusKey::Range(r) => (r * 100, r * 100 + 99),
    };
    let mut explicit: Vec<u16> = cases
        .iter()
        .filter_map(|c| match c.status {
            StatusKey::Code(code) if (lo..=hi).contains(&code) => Some(code),
            _ => None,
        })
        .collect();
    explicit.sort_unstable();
    let mut pieces = Vec::new();
    let mut start = lo;
    for code in explicit.into_iter().chain(std::iter::once(hi + 1)) {
        if code > start {
            pieces.push(code_range(start, code - 1));
        }
        start = start.max(code + 1);
    }
    if pieces.is_empty() {
        // Every code of the range has an arm of its own: this one is never reached.
        return code_range(lo, hi);
    }
    quote!(#(#pieces)|*)
}

/// `from..=to`, or `from` alone.
fn code_range(from: u16, to: u16) -> TokenStream {
    let first = Literal::u16_unsuffixed(from);
    if from == to {
        return quote!(#first);
    }
    let last = Literal::u16_unsuffixed(to);
    quote!(#first..=#last)
}
