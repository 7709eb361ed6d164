//! The published error-code catalogue (`x-error-codes`) -> documented constants and a lookup.

use super::rust::doc_lines;
use crate::ir::{ErrorCode, Service};
use crate::naming::{camel, Namespace};
use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `error_codes.rs` for a service, or `None` when its spec publishes no codes.
pub fn error_codes(service: &Service) -> Option<TokenStream> {
    if service.error_codes.is_empty() {
        return None;
    }
    let mut names = Namespace::new();
    let mut constants = Vec::new();
    let mut idents = Vec::new();
    for code in &service.error_codes {
        let name = names.claim(&camel(&code.code).to_shouty_snake_case());
        let ident = format_ident!("{}", name);
        let doc = doc_lines(&describe(code));
        let code_text = &code.code;
        let status = match code.status {
            Some(s) => {
                let s = proc_macro2::Literal::u16_unsuffixed(s);
                quote!(Some(#s))
            }
            None => quote!(None),
        };
        let text = |v: &Option<String>| match v {
            Some(s) => quote!(Some(#s)),
            None => quote!(None),
        };
        let (message, description, remedy) = (text(&code.message), text(&code.description), text(&code.remedy));
        constants.push(quote! {
            #doc
            pub const #ident: ErrorCode = ErrorCode {
                code: #code_text,
                status: #status,
                message: #message,
                description: #description,
                remedy: #remedy,
            };
        });
        idents.push(ident);
    }
    let doc = format!(" The error codes {} publishes, with their HTTP status, message and remedy.", service.title);
    Some(quote! {
        #![doc = #doc]
        //!
        //! Match a service error against them with [`lookup`] or [`ErrorCode::code`]; a code that is
        //! not listed here still comes through as a plain string on the error.

        pub use cloudspec_runtime::ErrorCode;

        #(#constants)*

        /// Every documented code, in the document's order.
        pub const ALL: &[ErrorCode] = &[#(#idents),*];

        /// The first documented entry for `code`, if the catalogue has one.
        pub fn lookup(code: &str) -> Option<&'static ErrorCode> {
            ALL.iter().find(|entry| entry.code == code)
        }

        /// Every documented entry for `code` (some catalogues list a code once per cause).
        pub fn lookup_all(code: &str) -> impl Iterator<Item = &'static ErrorCode> + '_ {
            ALL.iter().filter(move |entry| entry.code == code)
        }
    })
}

fn describe(code: &ErrorCode) -> String {
    let mut text = code.code.clone();
    if let Some(status) = code.status {
        text.push_str(&format!(" (HTTP {status})"));
    }
    if let Some(message) = &code.message {
        text.push_str(&format!(": {message}"));
    }
    if let Some(description) = &code.description {
        text.push_str(&format!("\n\n{description}"));
    }
    if let Some(remedy) = &code.remedy {
        text.push_str(&format!("\n\nRemedy: {remedy}"));
    }
    text
}
