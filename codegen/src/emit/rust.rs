//! Small helpers shared by the emitters: identifiers, type tokens, doc comments, and looking up
//! the service's named types.

use crate::ir::{Bound, Constraints, Docs, Service, Struct, TypeKind, TypeRef};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// An identifier token from a name the lowering made valid; a keyword is written raw (`r#type`).
pub fn ident(name: &str) -> Ident {
    if crate::naming::is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        format_ident!("{}", name)
    }
}

/// The Rust type for a type reference.
pub fn ty(t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::String => quote!(String),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Bool => quote!(bool),
        TypeRef::Bytes => quote!(Vec<u8>),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Unit => quote!(()),
        TypeRef::Named(n) => {
            let n = ident(n);
            quote!(#n)
        }
        TypeRef::Vec(inner) => {
            let inner = ty(inner);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = ty(inner);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Boxed(inner) => {
            let inner = ty(inner);
            quote!(Box<#inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = ty(inner);
            quote!(Option<#inner>)
        }
        TypeRef::Tuple { prefix, rest } => {
            // The trailing comma makes a one-item prefix a tuple, `(A,)`, not a parenthesised type.
            let items = prefix.iter().map(ty);
            let prefix = quote!((#(#items,)*));
            match rest {
                None => prefix,
                Some(rest) => {
                    let rest = ty(rest);
                    quote!(cloudspec_runtime::OpenTuple<#prefix, #rest>)
                }
            }
        }
    }
}

/// The kind of the named type `name`.
pub fn find_type<'a>(service: &'a Service, name: &str) -> Option<&'a TypeKind> {
    service.types.iter().find(|d| d.name == name).map(|d| &d.kind)
}

/// The struct named `name`, when it is one.
pub fn find_struct<'a>(service: &'a Service, name: &str) -> Option<&'a Struct> {
    match find_type(service, name)? {
        TypeKind::Struct(s) => Some(s),
        _ => None,
    }
}

/// `t` after following type aliases.
pub fn resolve_alias<'a>(service: &'a Service, t: &'a TypeRef) -> &'a TypeRef {
    crate::ir::resolve_alias(&service.types, t)
}

/// `#[deprecated]` when the spec marks the item deprecated. Generated modules allow `deprecated`
/// for their own uses, so only users' code is warned.
pub fn deprecated(doc: &Docs) -> TokenStream {
    if doc.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    }
}

/// `#[deprecated]` with a note, for an operation or parameter: `kind` says which, `name` (spec
/// text, shown as a code span: rustdoc renders notes as Markdown) names it.
pub fn deprecated_with_note(doc: &Docs, kind: &str, name: &str) -> TokenStream {
    if doc.deprecated {
        let note = format!("the API specification marks the {kind} {} deprecated", crate::text::code(name));
        quote!(#[deprecated(note = #note)])
    } else {
        quote!()
    }
}

/// Whether values of this type may hold generated types that validate themselves.
pub fn contains_named(t: &TypeRef) -> bool {
    match t {
        TypeRef::Named(_) => true,
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => {
            contains_named(inner)
        }
        TypeRef::Tuple { prefix, rest } => prefix.iter().chain(rest.as_deref()).any(contains_named),
        _ => false,
    }
}

/// Whether any type of the service (a model's, a parameter's, a body's, a response's) holds the
/// runtime's `OpenTuple`: its models then re-export it, for users and doc examples to name.
pub fn uses_open_tuple(service: &Service) -> bool {
    fn holds(t: &TypeRef) -> bool {
        match t {
            TypeRef::Tuple { rest: Some(_), .. } => true,
            TypeRef::Tuple { prefix, rest: None } => prefix.iter().any(holds),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => {
                holds(inner)
            }
            _ => false,
        }
    }
    // Every type the service names, by the walks the per-tag gates use.
    let mut found = false;
    let mut visit = |t: &TypeRef| found |= holds(t);
    service.types.iter().for_each(|d| super::features::kind_refs(&d.kind, &mut visit));
    service.operations.iter().for_each(|op| super::features::operation_refs(op, &mut visit));
    found
}

/// `#[doc = "..."]` attributes for a spec's text, one per line, through [`crate::text`].
pub fn doc_lines(text: &str) -> TokenStream {
    let lines = doc_strings(text);
    quote!(#(#[doc = #lines])*)
}

/// `#![doc = "..."]` inner attributes (module docs) for a spec's text, one per line.
pub fn inner_doc_lines(text: &str) -> TokenStream {
    let lines = doc_strings(text);
    quote!(#(#![doc = #lines])*)
}

/// A spec's text as doc strings: escaped lines, each after the space `///` leaves.
fn doc_strings(text: &str) -> Vec<String> {
    crate::text::prose_lines(text).into_iter().map(|l| if l.is_empty() { l } else { format!(" {l}") }).collect()
}

/// `#![doc = "..."]` inner attributes for pre-formatted Markdown (crate docs), not escaped.
pub fn raw_inner_doc_lines(text: &str) -> TokenStream {
    let lines: Vec<String> = text.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") }).collect();
    quote!(#(#![doc = #lines])*)
}

/// Doc attributes for a schema or operation: title, description, source note, and `extra`
/// paragraphs, separated by blank doc lines.
pub fn docs(doc: &Docs, fallback: &str, extra: &[String]) -> TokenStream {
    // (text, whether it is the provider's text and must be escaped)
    let mut paragraphs: Vec<(String, bool)> = Vec::new();
    if let Some(title) = &doc.title {
        paragraphs.push((title.clone(), true));
    }
    if let Some(description) = &doc.description {
        if doc.title.as_deref() != Some(description.as_str()) {
            paragraphs.push((description.clone(), true));
        }
    }
    if paragraphs.is_empty() {
        paragraphs.push((fallback.to_owned(), false));
    }
    paragraphs.extend(extra.iter().map(|e| (e.clone(), false)));
    if let Some(source) = &doc.source {
        paragraphs.push((format!("Source: {source}"), true));
    }
    let mut out = TokenStream::new();
    for (i, (paragraph, escape)) in paragraphs.iter().enumerate() {
        if i > 0 {
            out.extend(quote!(#[doc = ""]));
        }
        out.extend(if *escape { doc_lines(paragraph) } else { raw_doc_lines(paragraph) });
    }
    out
}

/// Doc attributes for pre-formatted Markdown (examples and the like), not escaped.
pub fn raw_doc_lines(text: &str) -> TokenStream {
    let lines: Vec<String> = text.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") }).collect();
    quote!(#(#[doc = #lines])*)
}

/// The constraints checked before a request is sent, as one line of documentation, for a value
/// of type `ty` (which tells a map's values from a list's items; `None` when it does not matter).
pub fn describe_constraints(c: &Constraints, ty: Option<&TypeRef>) -> Option<String> {
    let parts = constraint_parts(c, ty);
    (!parts.is_empty()).then(|| format!("Constraints: {}.", parts.join("; ")))
}

/// What `c` checks, part by part; a nested value's parts are joined with commas, so that the
/// top level's semicolons keep separating the value's own parts (`item 0 (at least -90, at most
/// 90); item 1 (…)`).
fn constraint_parts(c: &Constraints, ty: Option<&TypeRef>) -> Vec<String> {
    let range = |what: &str, min: Option<u64>, max: Option<u64>| match (min, max) {
        (Some(a), Some(b)) => Some(format!("{what} {a} to {b}")),
        (Some(a), None) => Some(format!("{what} at least {a}")),
        (None, Some(b)) => Some(format!("{what} at most {b}")),
        (None, None) => None,
    };
    let bound =
        |b: &Bound, word: &str, strict: &str| format!("{} {}", if b.exclusive { strict } else { word }, b.value);
    let mut parts: Vec<String> = Vec::new();
    parts.extend(range("length", c.min_length, c.max_length));
    if let Some(p) = &c.pattern {
        parts.push(format!("pattern {}", crate::text::code(p)));
    }
    if let Some(b) = &c.minimum {
        parts.push(bound(b, "at least", "more than"));
    }
    if let Some(b) = &c.maximum {
        parts.push(bound(b, "at most", "less than"));
    }
    parts.extend(range("items", c.min_items, c.max_items));
    if c.unique_items {
        parts.push("items unique".to_owned());
    }
    parts.extend(range("entries", c.min_properties, c.max_properties));
    let container = ty.map(unwrap_optional);
    let (each, inner) = match container {
        Some(TypeRef::Map(value)) => ("each value", Some(&**value)),
        Some(TypeRef::Vec(item)) => ("each item", Some(&**item)),
        Some(TypeRef::Tuple { rest: Some(rest), .. }) => ("each further item", Some(&**rest)),
        _ => ("each item", None),
    };
    for (index, item) in c.prefix_items.iter().enumerate() {
        let item_ty = match container {
            Some(TypeRef::Tuple { prefix, .. }) => prefix.get(index),
            _ => None,
        };
        let item_parts = constraint_parts(item, item_ty);
        if !item_parts.is_empty() {
            parts.push(format!("item {index} ({})", item_parts.join(", ")));
        }
    }
    if let Some(items) = c.items.as_deref() {
        let item_parts = constraint_parts(items, inner);
        if !item_parts.is_empty() {
            parts.push(format!("{each}: {}", item_parts.join(", ")));
        }
    }
    if let Some(keys) = c.keys.as_deref() {
        let key_parts = constraint_parts(keys, None);
        if !key_parts.is_empty() {
            parts.push(format!("each key: {}", key_parts.join(", ")));
        }
    }
    parts
}

/// `ty` without the `Option`-like wrappers that do not change what its constraints apply to.
fn unwrap_optional(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => unwrap_optional(inner),
        other => other,
    }
}

/// Formats a float literal so that it always parses as a float.
pub fn float_literal(value: f64) -> TokenStream {
    if value.is_finite() {
        let lit = proc_macro2::Literal::f64_unsuffixed(value);
        quote!(#lit)
    } else if value > 0.0 {
        quote!(f64::INFINITY)
    } else {
        quote!(f64::NEG_INFINITY)
    }
}

/// A raw string literal (`r#"..."#`) holding `text`, so JSON reads as JSON in the test source.
/// The hashes outnumber any `"#` run in the text, so the literal ends where it should; text with
/// control characters (a raw string cannot hold a bare CR) is a plain literal instead.
pub fn raw_string(text: &str) -> TokenStream {
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return quote!(#text);
    }
    let hashes = (1..).map(|n| "#".repeat(n)).find(|h| !text.contains(&format!("\"{h}"))).unwrap_or_default();
    let literal = format!("r{hashes}\"{text}\"{hashes}");
    match literal.parse::<proc_macro2::Literal>() {
        Ok(lit) => quote!(#lit),
        Err(_) => quote!(#text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_identifiers() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("name").to_string(), "name");
    }
}
