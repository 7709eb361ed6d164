//! Example values -> typed Rust expressions for doc examples: models built with `new(required...)`
//! and `with_*` setters, enums by variant, lists with `Vec::from`, from the spec's JSON examples.
//!
//! Where the spec gives no example (or one that does not fit the type), a value is built from the
//! type itself: a field's default, an enum's default or first variant, a struct from its required
//! fields. Every expression compiles whatever the JSON holds.

use super::rust::{find_type, ident, resolve_alias};
use crate::ir::{Enum, EnumRepr, Field, Service, Struct, TypeKind, TypeRef, Union};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;
use std::collections::BTreeSet;

/// The runtime's tuple with further items, which a service module re-exports when it uses it.
pub const OPEN_TUPLE: &str = "OpenTuple";

/// Past this depth, values are built without their optional parts and lists stay empty, so a
/// recursive schema gives a finite example.
const SHALLOW_DEPTH: usize = 6;
/// Past this depth nothing more is built (a required by-value cycle has no finite value anyway).
const MAX_DEPTH: usize = 24;

/// Where an expression goes: an `impl Into<T>` argument (a `&str` does for a `String`) or a
/// place that needs a `T` exactly (a list item, a variant's field).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Into,
    Exact,
}

/// Builds expressions for one doc example, noting the named types it uses (to import them).
pub struct ValueBuilder<'a> {
    service: &'a Service,
    pub names: BTreeSet<String>,
}

impl<'a> ValueBuilder<'a> {
    pub fn new(service: &'a Service) -> Self {
        Self { service, names: BTreeSet::new() }
    }

    /// An expression of type `t` (or one that converts into it, for [`Place::Into`]) from
    /// `example`, or from the type when there is none.
    pub fn value(&mut self, t: &TypeRef, example: Option<&Value>, place: Place) -> TokenStream {
        self.build(t, example.filter(|v| !v.is_null()), place, 0)
    }

    fn build(&mut self, t: &TypeRef, example: Option<&Value>, place: Place, depth: usize) -> TokenStream {
        match t {
            TypeRef::String => string(example, place),
            TypeRef::I32 => integer(example, i64::from(i32::MIN), i64::from(i32::MAX), "i32", place),
            TypeRef::I64 => integer(example, i64::MIN, i64::MAX, "i64", place),
            TypeRef::F32 => float(example, true),
            TypeRef::F64 => float(example, false),
            TypeRef::Bool => {
                let b = bool_value(example);
                quote!(#b)
            }
            TypeRef::Bytes => match example.and_then(Value::as_str) {
                Some(text) => quote!(#text.as_bytes().to_vec()),
                None => quote!(std::fs::read("file.bin")?),
            },
            TypeRef::Json => json(example, place),
            TypeRef::Unit => quote!(()),
            TypeRef::Named(name) => self.named(name, example, place, depth),
            TypeRef::Vec(item) => {
                let items: Vec<TokenStream> = match example {
                    Some(Value::Array(values)) => {
                        values.iter().map(|v| self.build(item, Some(v), Place::Exact, depth + 1)).collect()
                    }
                    // One item made from the type shows what goes in (the spec may require one).
                    _ if depth < SHALLOW_DEPTH => vec![self.build(item, None, Place::Exact, depth + 1)],
                    _ => Vec::new(),
                };
                if items.is_empty() {
                    quote!(Vec::new())
                } else {
                    quote!(Vec::from([#(#items),*]))
                }
            }
            TypeRef::Map(value) => {
                let entries: Vec<TokenStream> = example
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(key, v)| {
                        let v = self.build(value, Some(v), Place::Exact, depth + 1);
                        quote!((#key.to_owned(), #v))
                    })
                    .collect();
                if entries.is_empty() {
                    quote!(std::collections::BTreeMap::new())
                } else {
                    quote!(std::collections::BTreeMap::from([#(#entries),*]))
                }
            }
            TypeRef::Boxed(inner) => {
                let inner = self.build(inner, example, Place::Exact, depth);
                quote!(Box::new(#inner))
            }
            TypeRef::Nullable(inner) => match example {
                None | Some(Value::Null) => quote!(None),
                Some(_) => {
                    let inner = self.build(inner, example, Place::Exact, depth);
                    quote!(Some(#inner))
                }
            },
            TypeRef::Tuple { prefix, rest } => self.tuple(prefix, rest.as_deref(), example, depth),
        }
    }

    /// `(a, b)` from the example's first items (or from the types); an open tuple is
    /// `OpenTuple::new((a, b))`, with `.with_rest([..])` when the example has more items.
    fn tuple(
        &mut self,
        prefix: &[TypeRef],
        rest: Option<&TypeRef>,
        example: Option<&Value>,
        depth: usize,
    ) -> TokenStream {
        let given = example.and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        let items: Vec<TokenStream> = prefix
            .iter()
            .enumerate()
            .map(|(index, ty)| self.build(ty, given.get(index).filter(|v| !v.is_null()), Place::Exact, depth + 1))
            .collect();
        let tuple = quote!((#(#items,)*));
        let Some(rest) = rest else { return tuple };
        self.names.insert(OPEN_TUPLE.to_owned());
        // Untyped further items would need `serde_json` in the example: the prefix shows enough.
        let typed_rest = resolve_alias(self.service, rest) != &TypeRef::Json;
        let more: Vec<TokenStream> = given
            .iter()
            .skip(prefix.len())
            .filter(|_| typed_rest)
            .map(|v| self.build(rest, Some(v), Place::Exact, depth + 1))
            .collect();
        let open_tuple = ident(OPEN_TUPLE);
        if more.is_empty() {
            quote!(#open_tuple::new(#tuple))
        } else {
            quote!(#open_tuple::new(#tuple).with_rest([#(#more),*]))
        }
    }

    fn named(&mut self, name: &str, example: Option<&Value>, place: Place, depth: usize) -> TokenStream {
        let service = self.service;
        match find_type(service, name) {
            Some(TypeKind::Alias(target)) => self.build(target, example, place, depth),
            Some(TypeKind::Enum(e)) => self.enum_value(name, e, example),
            Some(TypeKind::Struct(s)) if depth < MAX_DEPTH => self.struct_value(name, s, example, depth),
            Some(TypeKind::Union(u)) if depth < MAX_DEPTH => self.union_value(name, u, example, depth),
            // Too deep to go on (a cycle of required values): whatever the type's default is.
            _ => quote!(Default::default()),
        }
    }

    /// The variant the example names, else the default or first one; an undocumented value
    /// goes through `From`, as a caller would write it.
    fn enum_value(&mut self, name: &str, e: &Enum, example: Option<&Value>) -> TokenStream {
        self.names.insert(name.to_owned());
        let type_name = ident(name);
        let wanted = example.map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        let variant = match &wanted {
            Some(w) => e.variants.iter().find(|v| &v.value == w),
            None => e.default.and_then(|i| e.variants.get(i)).or(e.variants.first()),
        };
        if let Some(v) = variant {
            let v = ident(&v.name);
            return quote!(#type_name::#v);
        }
        match (e.repr, wanted) {
            (EnumRepr::Integer, w) => {
                let n = Literal::i64_suffixed(w.and_then(|w| w.parse().ok()).unwrap_or(0));
                quote!(#type_name::from(#n))
            }
            (EnumRepr::String, w) => {
                let w = w.unwrap_or_default();
                quote!(#type_name::from(#w))
            }
        }
    }

    /// `Type::new(required...)` then a `with_*` setter for each optional field the example sets.
    fn struct_value(&mut self, name: &str, s: &Struct, example: Option<&Value>, depth: usize) -> TokenStream {
        self.names.insert(name.to_owned());
        let type_name = ident(name);
        let object = example.and_then(Value::as_object);
        let field_example = |wire: &str| object.and_then(|o| o.get(wire)).filter(|v| !v.is_null());
        let mut args = Vec::new();
        let mut setters = Vec::new();
        for field in &s.fields {
            let given = field_example(&field.wire_name);
            if !field.is_optional() {
                // A text field with nothing to go by reads best as its own name.
                let text = resolve_alias(self.service, &field.ty) == &TypeRef::String;
                let stand_in = text.then(|| Value::String(field.wire_name.clone()));
                let value = given.or(field.default.as_ref()).or(stand_in.as_ref());
                args.push(self.build(&field.ty, value, Place::Into, depth + 1));
            } else if let Some(value) = given.filter(|v| self.settable(field, v) && depth < SHALLOW_DEPTH) {
                let setter = ident(&format!("with_{}", field.name));
                let value = self.build(&field.ty, Some(value), Place::Into, depth + 1);
                setters.push(quote!(.#setter(#value)));
            }
        }
        if let (Some(extra), Some(object)) = (&s.additional, object) {
            for (key, value) in object.iter().filter(|(k, _)| !s.fields.iter().any(|f| &f.wire_name == *k)) {
                let value = self.build(extra, Some(value), Place::Into, depth + 1);
                setters.push(quote!(.insert_additional_property(#key, #value)));
            }
        }
        quote!(#type_name::new(#(#args),*) #(#setters)*)
    }

    /// Whether an example sets an optional field: not a deprecated one (the example would warn),
    /// nor untyped JSON that only converts to `null` (an object or a list of objects).
    fn settable(&self, field: &Field, value: &Value) -> bool {
        let untyped = resolve_alias(self.service, &field.ty) == &TypeRef::Json;
        let only_null = untyped && json_scalars(value).is_none();
        !field.doc.deprecated && !only_null
    }

    /// The variant the example's discriminator selects, else the first whose shape fits it.
    fn union_value(&mut self, name: &str, u: &Union, example: Option<&Value>, depth: usize) -> TokenStream {
        self.names.insert(name.to_owned());
        let type_name = ident(name);
        let tag = u.discriminator.as_ref().and_then(|p| example?.get(p)?.as_str());
        let chosen = match tag {
            Some(tag) => u.variants.iter().find(|v| v.tags.iter().any(|t| t == tag)),
            None => u.variants.iter().find(|v| example.is_some_and(|e| self.fits(&v.ty, e, 0))),
        };
        let (variant, example) = match chosen.or(u.variants.first()) {
            Some(v) if chosen.is_some() => (v, example),
            Some(v) => (v, None),
            None => return quote!(Default::default()),
        };
        let value = self.build(&variant.ty, example, Place::Exact, depth + 1);
        let v = ident(&variant.name);
        quote!(#type_name::#v(#value))
    }

    /// Whether `example` has the JSON shape of `t` (for choosing an untagged union's variant).
    fn fits(&self, t: &TypeRef, example: &Value, depth: usize) -> bool {
        match (t, example) {
            _ if depth > MAX_DEPTH => false,
            (TypeRef::Named(name), _) => match find_type(self.service, name) {
                Some(TypeKind::Alias(target)) => self.fits(target, example, depth + 1),
                Some(TypeKind::Enum(e)) => match e.repr {
                    EnumRepr::String => example.is_string(),
                    EnumRepr::Integer => example.is_i64(),
                },
                Some(TypeKind::Struct(_)) => example.is_object(),
                Some(TypeKind::Union(u)) => u.variants.iter().any(|v| self.fits(&v.ty, example, depth + 1)),
                None => false,
            },
            (TypeRef::Boxed(inner) | TypeRef::Nullable(inner), _) => self.fits(inner, example, depth + 1),
            (TypeRef::String, Value::String(_)) | (TypeRef::Bool, Value::Bool(_)) => true,
            (TypeRef::I32 | TypeRef::I64, Value::Number(n)) => n.is_i64(),
            (TypeRef::F32 | TypeRef::F64, Value::Number(_)) => true,
            (TypeRef::Vec(_), Value::Array(_)) | (TypeRef::Map(_), Value::Object(_)) => true,
            (TypeRef::Tuple { prefix, rest }, Value::Array(items)) => {
                items.len() >= prefix.len()
                    && (rest.is_some() || items.len() == prefix.len())
                    && prefix.iter().zip(items).all(|(ty, item)| self.fits(ty, item, depth + 1))
            }
            (TypeRef::Json, _) => true,
            _ => false,
        }
    }
}

/// A string: the example's text (a number's too), else a stand-in text.
/// The text a parameter of scalar type `t` built from `example` (as [`ValueBuilder::value`]
/// builds it) is sent as; `None` for any other type. A doc example states what its request
/// sends with it.
pub fn scalar_text(service: &Service, t: &TypeRef, example: Option<&Value>) -> Option<String> {
    let example = example.filter(|v| !v.is_null());
    match resolve_alias(service, t) {
        TypeRef::String => Some(string_text(example)),
        TypeRef::I32 => Some(integer_value(example, i64::from(i32::MIN), i64::from(i32::MAX)).to_string()),
        TypeRef::I64 => Some(integer_value(example, i64::MIN, i64::MAX).to_string()),
        TypeRef::Bool => Some(bool_value(example).to_string()),
        _ => None,
    }
}

fn bool_value(example: Option<&Value>) -> bool {
    example.and_then(Value::as_bool).unwrap_or(true)
}

fn string_text(example: Option<&Value>) -> String {
    match example {
        Some(Value::String(s)) => s.clone(),
        Some(other @ (Value::Number(_) | Value::Bool(_))) => other.to_string(),
        _ => "text".to_owned(),
    }
}

fn string(example: Option<&Value>, place: Place) -> TokenStream {
    let text = string_text(example);
    match place {
        Place::Into => quote!(#text),
        Place::Exact => quote!(#text.to_owned()),
    }
}

/// An integer literal within the type's range (an example outside it would not compile), typed
/// where inference cannot tell.
fn integer(example: Option<&Value>, min: i64, max: i64, suffix: &str, place: Place) -> TokenStream {
    let n = integer_value(example, min, max);
    // An unsuffixed literal is an `i32`, which converts into an `i64` where `impl Into` is taken.
    if suffix == "i32" || (place == Place::Into && i32::try_from(n).is_ok()) {
        let n = Literal::i64_unsuffixed(n);
        quote!(#n)
    } else {
        let n = Literal::i64_suffixed(n);
        quote!(#n)
    }
}

/// The example's integer (or its text's), when within `min..=max`; else 1.
fn integer_value(example: Option<&Value>, min: i64, max: i64) -> i64 {
    let from_text = || example.and_then(Value::as_str).and_then(|s| s.parse().ok());
    example.and_then(Value::as_i64).or_else(from_text).filter(|n| (min..=max).contains(n)).unwrap_or(1)
}

/// A float literal (an `f32` is suffixed: an unsuffixed float is an `f64`, which does not
/// convert into an `f32`).
fn float(example: Option<&Value>, single: bool) -> TokenStream {
    let limit = if single { f64::from(f32::MAX) } else { f64::MAX };
    let n = example.and_then(Value::as_f64).filter(|n| n.is_finite() && n.abs() <= limit).unwrap_or(1.0);
    if single {
        let n = Literal::f32_suffixed(n as f32);
        quote!(#n)
    } else {
        let n = Literal::f64_unsuffixed(n);
        quote!(#n)
    }
}

/// Untyped JSON, passed where `impl Into<serde_json::Value>` is taken: scalars and lists of them
/// convert; anything else is `null` (an example needs no `serde_json` of its own).
fn json(example: Option<&Value>, place: Place) -> TokenStream {
    match (example.and_then(json_scalars), place) {
        (Some(value), Place::Into) => value,
        (Some(value), Place::Exact) => quote!(serde_json::Value::from(#value)),
        (None, Place::Into) => quote!(()),
        (None, Place::Exact) => quote!(serde_json::Value::Null),
    }
}

/// A JSON scalar, or a list of them, as a Rust value that converts into `serde_json::Value`.
fn json_scalars(value: &Value) -> Option<TokenStream> {
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(quote!(#s)),
        Value::Bool(b) => Some(quote!(#b)),
        Value::Number(n) => n.as_i64().map(|i| {
            let i = Literal::i64_suffixed(i);
            quote!(#i)
        }),
        _ => None,
    };
    match value {
        Value::Array(items) if !items.is_empty() => {
            let items: Vec<TokenStream> = items.iter().map(scalar).collect::<Option<_>>()?;
            Some(quote!(Vec::from([#(#items),*])))
        }
        other => scalar(other),
    }
}
