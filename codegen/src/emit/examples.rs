//! Operations -> the rustdoc example of each client method: a compiled (not run) program that
//! builds the request from the spec's own examples and sends it.
//!
//! The example is built as tokens (types printed by [`super::rust::ty`]), laid out by
//! prettyplease, and turned into doc lines, the function around it hidden.

use super::layout::{split_block, unparse_item};
use super::requests::is_optional;
use super::rust::{find_type, ident, raw_doc_lines, raw_string, resolve_alias, ty};
use crate::ir::{EnumRepr, ExampleContext, Operation, Service, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;
use std::collections::BTreeSet;

/// The doc attributes of `op`'s `# Example` section.
pub fn doc_example(service: &Service, op: &Operation, crate_name: &str) -> TokenStream {
    let method = ident(&op.fn_name);
    example_section(
        service,
        op,
        crate_name,
        quote! {
            let response = client.#method(&request).await?;
            println!("{response:?}");
        },
    )
}

/// The `# Example` section of `op`'s streaming method `stream_fn`: the download read chunk by
/// chunk.
pub fn stream_doc_example(service: &Service, op: &Operation, crate_name: &str, stream_fn: &str) -> TokenStream {
    let method = ident(stream_fn);
    example_section(
        service,
        op,
        crate_name,
        quote! {
            let mut body = client.#method(&request).await?.into_body();
            let mut size = 0;
            while let Some(chunk) = body.next_chunk().await {
                size += chunk?.len();
            }
            println!("{size} bytes");
        },
    )
}

/// An `# Example` section: `op`'s request built from the spec's examples, then `usage`.
fn example_section(service: &Service, op: &Operation, crate_name: &str, usage: TokenStream) -> TokenStream {
    let mut names = BTreeSet::from(["Client".to_owned(), op.request_type.clone()]);
    let mut setup = TokenStream::new();
    let mut args: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| !is_optional(p))
        .map(|p| param_value(service, &p.ty, p.example.as_ref(), &p.wire_name, &mut names))
        .collect();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        // A request example from the spec, preferring one that agrees with its schema (never a
        // document's verbatim one kept beside a valid one).
        let requests = || op.examples.iter().filter(|e| e.context == ExampleContext::Request && !e.document);
        let example = requests().find(|e| e.contradictions.is_empty()).or_else(|| requests().next());
        let value = match (example, &body.ty) {
            (Some(e), t) => decoded(t, &e.value, &mut names),
            (None, TypeRef::Bytes) => quote!(b"...".to_vec()),
            (None, TypeRef::String) => quote!(String::from("...")),
            (None, t) => decoded(t, &serde_json::json!({}), &mut names),
        };
        setup.extend(quote!(let body = #value;));
        args.push(quote!(body));
    }
    let request = ident(&op.request_type);
    let program = quote! {
        async fn example(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
            #setup
            let request = #request::new(#(#args),*);
            #usage
            Ok(())
        }
    };
    let krate = ident(&crate_name.replace('-', "_"));
    let module = ident(&service.module);
    let imported = names.iter().map(|n| ident(n));
    let imports = quote!(use #krate::#module::{#(#imported),*};);
    raw_doc_lines(&format!("# Example\n\n```no_run\n{}```", program_text(imports, program)))
}

/// The example's text: its imports, then the body of `program` with the function around it
/// (and its final `Ok(())`) hidden from the rendered docs.
fn program_text(imports: TokenStream, program: TokenStream) -> String {
    let (Ok(imports), Ok(program)) = (syn::parse2::<syn::Item>(imports), syn::parse2::<syn::Item>(program)) else {
        return String::new();
    };
    let (header, body) = split_block(&unparse_item(program));
    let mut text = unparse_item(imports);
    text.push('\n');
    for line in header.lines() {
        text.push_str(&format!("# {line}\n"));
    }
    let lines: Vec<&str> = body.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let line = line.strip_prefix("    ").unwrap_or(line);
        let hidden = i + 1 == lines.len() && line == "Ok(())";
        text.push_str(&format!("{}{line}\n", if hidden { "# " } else { "" }));
    }
    text.push_str("# }\n");
    text
}

/// A value of a parameter's type, passed where `impl Into<T>` is taken: the spec's example when
/// it has one, else a value of the right type.
fn param_value(
    service: &Service,
    t: &TypeRef,
    example: Option<&Value>,
    wire: &str,
    names: &mut BTreeSet<String>,
) -> TokenStream {
    let text = || match example {
        Some(Value::String(s)) => quote!(#s),
        _ => quote!(#wire),
    };
    let int = |range: fn(i64) -> bool| {
        let n = example.and_then(Value::as_i64).filter(|v| range(*v)).unwrap_or(1);
        let n = proc_macro2::Literal::i64_unsuffixed(n);
        quote!(#n)
    };
    let float = |range: fn(f64) -> bool| {
        let n = example.and_then(Value::as_f64).filter(|v| range(*v)).unwrap_or(1.0);
        let n = proc_macro2::Literal::f64_unsuffixed(n);
        quote!(#n)
    };
    match resolve_alias(service, t) {
        TypeRef::String => text(),
        // An example that does not fit the Rust type would not compile: another value instead.
        TypeRef::I32 => int(|v| i32::try_from(v).is_ok()),
        TypeRef::I64 => int(|_| true),
        TypeRef::F32 => float(|v| v.is_finite() && v.abs() <= f64::from(f32::MAX)),
        TypeRef::F64 => float(f64::is_finite),
        TypeRef::Bool => {
            let b = example.and_then(Value::as_bool).unwrap_or(true);
            quote!(#b)
        }
        resolved @ TypeRef::Named(name) => match find_type(service, name) {
            Some(TypeKind::Enum(e)) if e.repr == EnumRepr::String => text(),
            Some(TypeKind::Enum(_)) => {
                let n = proc_macro2::Literal::i64_suffixed(example.and_then(Value::as_i64).unwrap_or(1));
                quote!(#n)
            }
            _ => decoded(resolved, example.unwrap_or(&serde_json::json!({})), names),
        },
        TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Json if example.is_some() => {
            decoded(t, example.unwrap_or(&Value::Null), names)
        }
        TypeRef::Vec(_) => quote!(Vec::new()),
        TypeRef::Map(_) => quote!(std::collections::BTreeMap::new()),
        other => {
            let other = ty(other);
            quote!(<#other>::default())
        }
    }
}

/// `value` decoded into `t` from its JSON text.
fn decoded(t: &TypeRef, value: &Value, names: &mut BTreeSet<String>) -> TokenStream {
    note_names(t, names);
    let target = ty(t);
    let json = raw_string(&serde_json::to_string_pretty(value).unwrap_or_default());
    quote!(serde_json::from_str::<#target>(#json)?)
}

/// Records the named types `t` mentions, to import them.
fn note_names(t: &TypeRef, names: &mut BTreeSet<String>) {
    match t {
        TypeRef::Named(n) => {
            names.insert(n.clone());
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => {
            note_names(inner, names)
        }
        _ => {}
    }
}
