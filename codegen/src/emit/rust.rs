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

/// `t` after following type aliases (lowering rejects alias cycles; the walk is bounded anyway).
pub fn resolve_alias<'a>(service: &'a Service, t: &'a TypeRef) -> &'a TypeRef {
    let mut current = t;
    for _ in 0..32 {
        let TypeRef::Named(name) = current else { break };
        match find_type(service, name) {
            Some(TypeKind::Alias(target)) => current = target,
            _ => break,
        }
    }
    current
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

/// `#[deprecated]` with a note, for an operation or parameter: `what` names it.
pub fn deprecated_with_note(doc: &Docs, what: &str) -> TokenStream {
    if doc.deprecated {
        let note = format!("the API specification marks {what} deprecated");
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
        _ => false,
    }
}

/// `#[doc = "..."]` attributes for a block of text, one per line.
pub fn doc_lines(text: &str) -> TokenStream {
    let lines: Vec<String> = text.lines().map(|l| format!(" {}", escape_markdown(l.trim_end()))).collect();
    quote!(#(#[doc = #lines])*)
}

/// `#![doc = "..."]` inner attributes (module docs), one per line.
pub fn inner_doc_lines(text: &str) -> TokenStream {
    let lines: Vec<String> = text
        .lines()
        .map(|l| if l.trim().is_empty() { String::new() } else { format!(" {}", escape_markdown(l.trim_end())) })
        .collect();
    quote!(#(#![doc = #lines])*)
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

/// Escapes what rustdoc would read as links, HTML or code in a provider's plain text, and
/// wraps bare URLs in `<...>` so they render as links.
pub fn escape_markdown(line: &str) -> String {
    // Tabs become spaces (rustdoc and clippy's `tabs_in_doc_comments` both dislike them).
    let line = &line.replace('\t', "    ");
    let trimmed = line.trim_start();
    // A line that starts with four spaces or a tab would become a code block.
    let line = if line.len() - trimmed.len() >= 4 { trimmed } else { line };
    let mut out = String::with_capacity(line.len() + 8);
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let is_url = (word.starts_with("http://") || word.starts_with("https://")) && !word.contains(['<', '>', '`']);
        if is_url {
            let url = word.trim_end_matches(['.', ',', ';', ')', '\u{3002}', '\u{ff0c}']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            out.push_str(&word[url.len()..]);
            continue;
        }
        for c in word.chars() {
            if matches!(c, '[' | ']' | '<' | '>' | '`' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// The constraints checked before a request is sent, as one line of documentation.
pub fn describe_constraints(c: &Constraints) -> Option<String> {
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
        parts.push(format!("pattern `{}`", p.replace('`', "'")));
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
    if let Some(items) = c.items.as_deref().and_then(describe_constraints) {
        parts.push(format!("each item: {}", items.trim_start_matches("Constraints: ").trim_end_matches('.')));
    }
    if let Some(keys) = c.keys.as_deref().and_then(describe_constraints) {
        parts.push(format!("each key: {}", keys.trim_start_matches("Constraints: ").trim_end_matches('.')));
    }
    (!parts.is_empty()).then(|| format!("Constraints: {}.", parts.join("; ")))
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
pub fn raw_string(text: &str) -> TokenStream {
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
    fn markdown_is_escaped() {
        assert_eq!(escape_markdown("a [b] <c> d_e"), "a \\[b\\] \\<c\\> d_e");
        assert_eq!(escape_markdown("see https://x.y."), "see <https://x.y>.");
    }

    #[test]
    fn raw_identifiers() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("name").to_string(), "name");
    }
}
