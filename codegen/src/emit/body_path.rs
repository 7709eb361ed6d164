//! How generated code reads a paginator's or waiter's body field ([`PageField`]): a top-level
//! property (`body.envs`) or one nested in objects (`/page/items`: `body.page.items`), every
//! `Option` on the way followed (`as_ref`, `and_then`), so a missing object reads as a missing value.

use super::rust::ident;
use crate::ir::PageField;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// The field's last step, and how to get to the struct holding it from `body`.
pub(super) struct Reach {
    /// `body` and the steps before the last: a place (`body.page`) while every step is
    /// required, else an `Option` (of references, or of values when the body is owned).
    parent: TokenStream,
    parent_optional: bool,
    last: Ident,
    last_optional: bool,
}

impl Reach {
    /// The path to `field` from `body`, borrowed (`&T` body) or `owned` (the body by value).
    pub(super) fn new(field: &PageField, owned: bool) -> Self {
        let (last, before) = field.path.split_last().expect("a body field has at least one step");
        let (mut parent, mut parent_optional) = (quote!(body), false);
        for step in before {
            let name = ident(&step.name);
            parent = match (parent_optional, step.optional, owned) {
                (false, false, _) | (false, true, true) => quote!(#parent.#name),
                (false, true, false) => quote!(#parent.#name.as_ref()),
                (true, false, false) => quote!(#parent.map(|parent| &parent.#name)),
                (true, false, true) => quote!(#parent.map(|parent| parent.#name)),
                (true, true, false) => quote!(#parent.and_then(|parent| parent.#name.as_ref())),
                (true, true, true) => quote!(#parent.and_then(|parent| parent.#name)),
            };
            parent_optional |= step.optional;
        }
        Self { parent, parent_optional, last: ident(&last.name), last_optional: last.optional }
    }

    /// The number of items in the list field (`usize`; 0 when it is missing).
    pub(super) fn len(&self) -> TokenStream {
        let Self { parent, last, .. } = self;
        match (self.parent_optional, self.last_optional) {
            (false, false) => quote!(#parent.#last.len()),
            (false, true) => quote!(#parent.#last.as_ref().map_or(0, Vec::len)),
            (true, false) => quote!(#parent.map_or(0, |parent| parent.#last.len())),
            (true, true) => quote!(#parent.and_then(|parent| parent.#last.as_ref()).map_or(0, Vec::len)),
        }
    }

    /// The field's value as an `Option`, copied (`copy`, a number) or cloned (text).
    pub(super) fn value(&self, copy: bool) -> TokenStream {
        let Self { parent, last, .. } = self;
        let value = if copy { quote!(parent.#last) } else { quote!(parent.#last.clone()) };
        match (self.parent_optional, self.last_optional) {
            (false, false) if copy => quote!(Some(#parent.#last)),
            (false, false) => quote!(Some(#parent.#last.clone())),
            (false, true) if copy => quote!(#parent.#last),
            (false, true) => quote!(#parent.#last.clone()),
            (true, false) => quote!(#parent.map(|parent| #value)),
            (true, true) => quote!(#parent.and_then(|parent| #value)),
        }
    }

    /// The field's wire text as an `Option<String>` (`request::param_text`).
    pub(super) fn text(&self) -> TokenStream {
        let Self { parent, last, .. } = self;
        let text = quote!(cloudspec_runtime::request::param_text);
        match (self.parent_optional, self.last_optional) {
            (false, false) => quote!(Some(#text(&#parent.#last))),
            (false, true) => quote!(#parent.#last.as_ref().map(#text)),
            (true, false) => quote!(#parent.map(|parent| #text(&parent.#last))),
            (true, true) => quote!(#parent.and_then(|parent| parent.#last.as_ref()).map(#text)),
        }
    }

    /// The list field taken out of an owned body (empty when it is missing).
    pub(super) fn take(&self) -> TokenStream {
        let Self { parent, last, .. } = self;
        match (self.parent_optional, self.last_optional) {
            (false, false) => quote!(#parent.#last),
            (false, true) => quote!(#parent.#last.unwrap_or_default()),
            (true, false) => quote!(#parent.map(|parent| parent.#last).unwrap_or_default()),
            (true, true) => quote!(#parent.and_then(|parent| parent.#last).unwrap_or_default()),
        }
    }
}
