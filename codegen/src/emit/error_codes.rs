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
        // `ErrorCode` is `#[non_exhaustive]`: built with its `const` methods, one per known part.
        let mut entry = quote!(ErrorCode::new(#code_text));
        if let Some(status) = code.status {
            let status = proc_macro2::Literal::u16_unsuffixed(status);
            entry.extend(quote!(.with_status(#status)));
        }
        for (part, method) in
            [(&code.message, "with_message"), (&code.description, "with_description"), (&code.remedy, "with_remedy")]
        {
            if let Some(text) = part {
                let method = format_ident!("{method}");
                entry.extend(quote!(.#method(#text)));
            }
        }
        constants.push(quote! {
            #doc
            pub const #ident: ErrorCode = #entry;
        });
        idents.push(ident);
    }
    let doc = format!(
        " The error codes {} publishes, with their HTTP status, message and remedy.",
        crate::text::inline(&service.title)
    );
    Some(quote! {
        #![doc = #doc]
        //!
        //! Match a service error against them with [`lookup`] or [`ErrorCode::code`]; a code that is
        //! not listed here still comes through as a plain string on the error.

        pub use cloudspec_runtime::ErrorCode;

        #(#constants)*

        /// Every documented code, in the document's order.
        pub const ALL: &[ErrorCode] = &[#(#idents),*];

        /// The documented entry for `code`: an exact entry, else the most specific template
        /// (`InvalidGroups.{key}` documents `InvalidGroups.group1`); among equally specific
        /// entries, the first listed.
        pub fn lookup(code: &str) -> Option<&'static ErrorCode> {
            cloudspec_runtime::service::find_error_code(ALL, code, None)
        }

        /// The documented entry for `code` returned with the HTTP `status`: some catalogues list
        /// a code once per status, and the one listed with `status` is preferred.
        pub fn lookup_with_status(code: &str, status: u16) -> Option<&'static ErrorCode> {
            cloudspec_runtime::service::find_error_code(ALL, code, Some(status))
        }

        /// Every documented entry that matches `code`, exactly or as a template, in the
        /// document's order (some catalogues list a code once per cause).
        pub fn lookup_all(code: &str) -> impl Iterator<Item = &'static ErrorCode> + '_ {
            ALL.iter().filter(move |entry| entry.matches(code))
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
