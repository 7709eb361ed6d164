//! Constraints -> validation statements, run before a request is sent.
//!
//! Every statement reports into a `Report` with the field path, so the caller sees every
//! violation at once (`cluster.instances[0].nics[1].securityGroupId: length 0 is below the minimum 1`).

use super::rust::float_literal;
use crate::ir::{Bound, Constraints, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// Statements checking `value` (an expression of type `&T` for `ty`) against `c`; empty when
/// there is nothing to check.
pub fn value_checks(ty: &TypeRef, c: &Constraints, value: &TokenStream, path: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Boxed(inner) => value_checks(inner, c, &quote!((&**#value)), path),
        TypeRef::Nullable(inner) => {
            let inner_checks = value_checks(inner, c, &quote!(value), path);
            if inner_checks.is_empty() {
                return inner_checks;
            }
            quote! { if let Some(value) = #value { #inner_checks } }
        }
        TypeRef::String | TypeRef::Named(_) => string_checks(c, value, path),
        TypeRef::I32 => int_checks(c, &quote!(i64::from(*#value)), path),
        TypeRef::I64 => int_checks(c, &quote!(*#value), path),
        TypeRef::F32 => float_checks(c, &quote!(f64::from(*#value)), path),
        TypeRef::F64 => float_checks(c, &quote!(*#value), path),
        TypeRef::Vec(item) => {
            let mut out = TokenStream::new();
            if c.min_items.is_some() || c.max_items.is_some() {
                let (min, max) = (opt(c.min_items), opt(c.max_items));
                out.extend(quote!(report.items(&#path, #value.len(), #min, #max);));
            }
            if c.unique_items {
                out.extend(quote!(report.unique(&#path, #value);));
            }
            if let Some(items) = &c.items {
                let each = value_checks(item, items, &quote!(item), &quote!(item_path));
                if !each.is_empty() {
                    out.extend(quote! {
                        for (index, item) in #value.iter().enumerate() {
                            let item_path = #path.index(index);
                            #each
                        }
                    });
                }
            }
            out
        }
        TypeRef::Map(item) => {
            let mut out = TokenStream::new();
            if c.min_properties.is_some() || c.max_properties.is_some() {
                let (min, max) = (opt(c.min_properties), opt(c.max_properties));
                out.extend(quote!(report.properties(&#path, #value.len(), #min, #max);));
            }
            if let Some(items) = &c.items {
                let each = value_checks(item, items, &quote!(item), &quote!(item_path));
                if !each.is_empty() {
                    out.extend(quote! {
                        for (key, item) in #value {
                            let item_path = #path.key(key);
                            #each
                        }
                    });
                }
            }
            out
        }
        TypeRef::Bool | TypeRef::Bytes | TypeRef::Json | TypeRef::Unit => TokenStream::new(),
    }
}

/// Length and pattern checks. A `Named` value here is an alias of `String` (constraints stated
/// on a referenced string schema) or an enum (which has no string constraints to check).
fn string_checks(c: &Constraints, value: &TokenStream, path: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    if c.min_length.is_some() || c.max_length.is_some() {
        let (min, max) = (opt(c.min_length), opt(c.max_length));
        out.extend(quote!(report.length(&#path, #value, #min, #max);));
    }
    if let Some(pattern) = &c.pattern {
        out.extend(quote! {
            static PATTERN: cloudspec_runtime::validation::Pattern = cloudspec_runtime::validation::Pattern::new(#pattern);
            report.pattern(&#path, #value, &PATTERN);
        });
    }
    out
}

fn int_checks(c: &Constraints, value: &TokenStream, path: &TokenStream) -> TokenStream {
    if c.minimum.is_none() && c.maximum.is_none() {
        return TokenStream::new();
    }
    let bound = |b: &Option<Bound>| match b {
        // Bounds beyond i64 cannot be crossed by an i64 value: no check needed on that side.
        Some(b) if b.value >= i64::MIN as f64 && b.value <= i64::MAX as f64 => {
            let v = proc_macro2::Literal::i64_unsuffixed(b.value as i64);
            let exclusive = b.exclusive;
            quote!(Some((#v, #exclusive)))
        }
        _ => quote!(None),
    };
    let (min, max) = (bound(&c.minimum), bound(&c.maximum));
    if min.to_string() == "None" && max.to_string() == "None" {
        return TokenStream::new();
    }
    quote!(report.range(&#path, #value, #min, #max);)
}

fn float_checks(c: &Constraints, value: &TokenStream, path: &TokenStream) -> TokenStream {
    if c.minimum.is_none() && c.maximum.is_none() {
        return TokenStream::new();
    }
    let bound = |b: &Option<Bound>| match b {
        Some(b) => {
            let v = float_literal(b.value);
            let exclusive = b.exclusive;
            quote!(Some((#v, #exclusive)))
        }
        None => quote!(None),
    };
    let (min, max) = (bound(&c.minimum), bound(&c.maximum));
    quote!(report.range(&#path, #value, #min, #max);)
}

fn opt(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => {
            let n = proc_macro2::Literal::u64_unsuffixed(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    }
}
