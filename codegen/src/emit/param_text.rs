//! How generated code turns a parameter's value into its text for the path, query or headers.
//!
//! A string or string enum is text already: borrowed from the request (`as_str`), no copy per
//! call. Other types go through the runtime's `param_text`, which writes scalars directly.

use super::rust::{find_type, ident, resolve_alias};
use crate::ir::{EnumRepr, Service, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// How a parameter's value becomes its text: borrowed where it is text already.
enum TextOf<'a> {
    /// A `String` (or an alias of one).
    String,
    /// A string enum (small or large): its wire value, `as_str`.
    Enum(&'a str),
    /// Anything else: the runtime's `param_text`.
    Formatted,
}

fn text_of<'a>(service: &'a Service, ty: &'a TypeRef) -> TextOf<'a> {
    match resolve_alias(service, ty) {
        TypeRef::String => TextOf::String,
        TypeRef::Named(name) => match find_type(service, name) {
            Some(TypeKind::Enum(e)) if e.repr == EnumRepr::String => TextOf::Enum(name),
            _ => TextOf::Formatted,
        },
        _ => TextOf::Formatted,
    }
}

/// A reference to the text of `value` (of type `ty`): borrowed from it where it is text already
/// (no copy per call), else to the `String` formatted from it.
pub fn text_ref(service: &Service, ty: &TypeRef, value: TokenStream) -> TokenStream {
    match text_of(service, ty) {
        TextOf::String | TextOf::Enum(_) => quote!(#value.as_str()),
        TextOf::Formatted => quote!(&cloudspec_runtime::request::param_text(&#value)),
    }
}

/// The text of `value`, an `Option` of `ty`, as an `Option<&str>` ([`text_ref`] for an option).
pub fn optional_text(service: &Service, ty: &TypeRef, value: TokenStream) -> TokenStream {
    match text_of(service, ty) {
        TextOf::String => quote!(#value.as_deref()),
        TextOf::Enum(name) => {
            let name = ident(name);
            quote!(#value.as_ref().map(#name::as_str))
        }
        TextOf::Formatted => quote!(#value.as_ref().map(cloudspec_runtime::request::param_text).as_deref()),
    }
}
