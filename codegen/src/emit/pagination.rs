//! `x-pagination` -> `<method>_pages` and `<method>_items` beside a paginated operation's
//! method: its pages, and their items, as streams (the runtime's `pagination` module walks them).

use super::body_path::Reach;
use super::examples::example_section;
use super::rust::{ident, ty};
use crate::ir::{Operation, PageStyle, Pagination, Service};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The paginator methods of `op`, when it is paginated.
pub fn methods(service: &Service, op: &Operation, crate_name: &str) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    let base = op.fn_name.trim_start_matches("r#");
    let (pages_name, items_name) = (format!("{base}_pages"), format!("{base}_items"));
    let pages_fn = ident(&pages_name);
    let items_fn = ident(&items_name);
    let method = ident(&op.fn_name);
    let req_ty = ident(&op.request_type);
    let body_ty = ident(&pagination.body);
    let item_ty = ty(&pagination.item_type);
    let walk = walk(op, pagination);
    let take = Reach::new(&pagination.items, true).take();
    let pages_docs = pages_docs(service, op, pagination, crate_name, &pages_name);
    let items_docs = items_docs(service, op, crate_name, &pages_name, &items_name);
    Some(quote! {
        #pages_docs
        pub fn #pages_fn(&self, request: &#req_ty) -> cloudspec_runtime::pagination::PageStream<'_, #body_ty> {
            #walk
            cloudspec_runtime::pagination::pages(request.clone(), walk, move |request| async move { self.#method(&request).await })
        }

        #items_docs
        pub fn #items_fn(&self, request: &#req_ty) -> cloudspec_runtime::pagination::ItemStream<'_, #item_ty> {
            cloudspec_runtime::pagination::items(self.#pages_fn(request), |body: #body_ty| #take)
        }
    })
}

/// `let walk = ...;`: where the caller's request starts, how a position goes into a request, and
/// what a page says.
fn walk(op: &Operation, pagination: &Pagination) -> TokenStream {
    let op_id = &op.id;
    let req_ty = ident(&op.request_type);
    let body_ty = ident(&pagination.body);
    let position = ident(&pagination.position.name);
    let optional = pagination.position.optional;
    let current = if optional { quote!(request.#position) } else { quote!(Some(request.#position)) };
    let (start, value) = match pagination.style {
        PageStyle::Marker if optional => {
            (quote!(Marker(request.#position.clone().unwrap_or_default())), quote!(position.marker()))
        }
        PageStyle::Marker => (quote!(Marker(request.#position.clone())), quote!(position.marker())),
        style => {
            let (variant, default) = match style {
                PageStyle::Page => (quote!(Page), pagination.first_page),
                _ => (quote!(Offset), 0),
            };
            let default = Literal::u64_unsuffixed(default);
            (
                quote!(#variant(#current.and_then(|number| u64::try_from(number).ok()).unwrap_or(#default))),
                quote!(position.number(#op_id)?),
            )
        }
    };
    let value = if optional { quote!(Some(#value)) } else { value };
    let count = Reach::new(&pagination.items, false).len();
    let total = match &pagination.total {
        Some(field) => {
            let value = Reach::new(field, false).value(true);
            quote!(#value.and_then(|total| u64::try_from(total).ok()))
        }
        None => quote!(None),
    };
    let next_marker = match &pagination.next_marker {
        Some(field) => Reach::new(field, false).value(false),
        None => quote!(None),
    };
    quote! {
        let walk = cloudspec_runtime::pagination::Walk {
            operation: #op_id,
            start: cloudspec_runtime::pagination::Position::#start,
            place: |request: &mut #req_ty, position| {
                request.#position = #value;
                Ok(())
            },
            read: |body: &#body_ty| cloudspec_runtime::pagination::PageInfo { items: #count, total: #total, next_marker: #next_marker },
        };
    }
}

fn pages_docs(
    service: &Service,
    op: &Operation,
    pagination: &Pagination,
    crate_name: &str,
    pages_name: &str,
) -> TokenStream {
    let method = op.fn_name.trim_start_matches("r#");
    // Wire names are spec text: code spans that no backtick or line break can escape.
    let position = crate::text::code(&pagination.position.wire_name);
    let how = match pagination.style {
        PageStyle::Offset => format!("{position} advanced by the items each page holds, until the body's total is reached or a page is empty"),
        PageStyle::Page => format!("{position} counting up from the request's (or {}), until the items seen reach the body's total or a page is empty", pagination.first_page),
        PageStyle::Marker => format!("{position} set to each page's next marker, until a page has none or is empty"),
    };
    let size = match &pagination.limit {
        Some(limit) => format!(" The request's {} is every page's size.", crate::text::code(&limit.wire_name)),
        None => String::new(),
    };
    let summary = format!(" Every page of [`{method}`](Self::{method}), from `request`'s position on: {how}.{size}");
    let errors = " A failed call is yielded as the stream's last item ([`Error`](cloudspec_runtime::Error), as the method's); nothing is requested after it.";
    let example = example_section(service, op, crate_name, {
        let pages = ident(pages_name);
        quote! {
            use futures::StreamExt;
            let mut pages = client.#pages(&request);
            while let Some(page) = pages.next().await {
                let page = page?;
                println!("{page:?}");
            }
        }
    });
    method_docs(quote!(#[doc = #summary]), errors, example)
}

fn items_docs(service: &Service, op: &Operation, crate_name: &str, pages_name: &str, items_name: &str) -> TokenStream {
    let method = op.fn_name.trim_start_matches("r#");
    let summary = format!(" Every item on the pages of [`{method}`](Self::{method}), in order: [`{pages_name}`](Self::{pages_name}), flattened.");
    let errors = " A failed call is yielded as the stream's last item; nothing is requested after it.";
    let example = example_section(service, op, crate_name, {
        let items = ident(items_name);
        quote! {
            use futures::TryStreamExt;
            let items: Vec<_> = client.#items(&request).try_collect().await?;
            println!("{} items", items.len());
        }
    });
    method_docs(quote!(#[doc = #summary]), errors, example)
}

/// A helper method's docs: its summary, `# Errors` and `# Example` sections.
pub(super) fn method_docs(summary: TokenStream, errors: &str, example: TokenStream) -> TokenStream {
    quote! {
        #summary
        #[doc = ""]
        /// # Errors
        ///
        #[doc = #errors]
        #[doc = ""]
        #example
    }
}
