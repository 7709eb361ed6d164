//! The region catalogue (`x-regions`) -> a `regions` module of constants, and the list the
//! runtime checks regions against.

use super::rust::doc_lines;
use crate::ir::Service;
use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The inline `pub mod regions { .. }` of a service, or `None` when its spec lists no regions.
pub fn regions_module(service: &Service) -> Option<TokenStream> {
    if service.regions.is_empty() {
        return None;
    }
    let mut idents = Vec::new();
    let constants: Vec<TokenStream> = service
        .regions
        .iter()
        .map(|region| {
            let ident = format_ident!("{}", region.id.to_shouty_snake_case());
            let doc = doc_lines(&format!("Region {}: {}", region.id, region.endpoint));
            let (id, endpoint) = (&region.id, &region.endpoint);
            idents.push(ident.clone());
            quote! {
                #doc
                pub const #ident: Region = Region::new(#id, #endpoint);
            }
        })
        .collect();
    // Plain text: doc_lines escapes Markdown in spec text.
    let mut doc = format!(
        "The regions {} is offered in, and its endpoint in each; give one to Config::builder().region.",
        service.title
    );
    if let Some(source) = &service.regions_source {
        doc.push_str(&format!("\n\nSource: {source}"));
    }
    let doc = doc_lines(&doc);
    Some(quote! {
        #doc
        pub mod regions {
            pub use cloudspec_runtime::Region;

            #(#constants)*

            /// Every region, in the document's order.
            pub const ALL: &[Region] = &[#(#idents),*];
        }
    })
}
