//! Constraints -> validation statements, run before a request is sent.
//!
//! Every statement reports into a `Report` with the field path, so the caller sees every
//! violation at once (`cluster.instances[0].nics[1].securityGroupId: length 0 is below the minimum 1`).
//! Models and requests share this emitter: a struct field, a request parameter and a request body
//! are each a [`Member`], checked by [`Checks::member`] inside [`validate_impl`]; a struct's extra
//! properties are one more member, a map ([`struct_validate`]).

use super::rust::{contains_named, float_literal, ident};
use crate::ir::{Bound, Constraints, EnumRepr, Service, Struct, TypeDef, TypeKind, TypeRef};
use proc_macro2::{Ident, TokenStream};
use quote::quote;
use std::collections::BTreeMap;

/// `impl Validate for name` running `statements`, which see the value as `self`, its location as
/// `path` and the findings as `report`.
pub fn validate_impl(name: &Ident, statements: TokenStream) -> TokenStream {
    let (path, report) =
        if statements.is_empty() { (quote!(_path), quote!(_report)) } else { (quote!(path), quote!(report)) };
    quote! {
        impl cloudspec_runtime::Validate for #name {
            fn validate_into(&self, #path: &cloudspec_runtime::validation::FieldPath, #report: &mut cloudspec_runtime::validation::Report) {
                #statements
            }
        }
    }
}

/// `impl Validate` for a struct: its property count, each field but the read-only ones (set by
/// the service, ignored in requests), and its extra properties as one map member.
pub fn struct_validate(def: &TypeDef, s: &Struct, checks: &Checks) -> TokenStream {
    let mut body: Vec<TokenStream> = property_count_check(s).into_iter().collect();
    for field in s.fields.iter().filter(|f| !f.read_only) {
        body.push(checks.member(&Member {
            field: &field.name,
            wire: Some(&field.wire_name),
            ty: &field.ty,
            constraints: &field.constraints,
            optional: field.is_optional(),
            must_be_set: field.required && field.write_only && !field.nullable,
        }));
    }
    if let Some(value_ty) = &s.additional {
        let rules = Constraints {
            keys: s.additional_keys.clone(),
            items: s.additional_values.clone(),
            ..Constraints::default()
        };
        body.push(checks.member(&Member {
            field: "additional_properties",
            wire: None,
            ty: &TypeRef::Map(Box::new(value_ty.clone())),
            constraints: &rules,
            optional: false,
            must_be_set: false,
        }));
    }
    validate_impl(&ident(&def.name), quote!(#(#body)*))
}

/// `minProperties`/`maxProperties` on a struct: the properties present are the required fields,
/// the optional ones set, and the extra ones.
fn property_count_check(s: &Struct) -> Option<TokenStream> {
    if s.min_properties.is_none() && s.max_properties.is_none() {
        return None;
    }
    let required = s.fields.iter().filter(|f| !f.is_optional()).count();
    let optional: Vec<_> = s.fields.iter().filter(|f| f.is_optional()).map(|f| ident(&f.name)).collect();
    let mut terms: Vec<TokenStream> = Vec::new();
    if required > 0 || (optional.is_empty() && s.additional.is_none()) {
        let n = proc_macro2::Literal::usize_unsuffixed(required);
        terms.push(quote!(#n));
    }
    if !optional.is_empty() {
        terms.push(quote!([#(self.#optional.is_some()),*].into_iter().filter(|set| *set).count()));
    }
    if s.additional.is_some() {
        terms.push(quote!(self.additional_properties.len()));
    }
    let (min, max) = (optional_u64(s.min_properties), optional_u64(s.max_properties));
    Some(quote! {
        let count = #(#terms)+*;
        report.properties(path, count, #min, #max);
    })
}

/// One value a `Validate` impl checks: a struct field, a request parameter or a request body.
pub struct Member<'a> {
    /// The Rust field holding it.
    pub field: &'a str,
    /// Its name in the field path; `None` when it is at the root (a request body).
    pub wire: Option<&'a str>,
    pub ty: &'a TypeRef,
    pub constraints: &'a Constraints,
    /// The field is an `Option`.
    pub optional: bool,
    /// An `Option` that a request must still set (a required `writeOnly` field: `None` only
    /// because responses leave it out).
    pub must_be_set: bool,
}

/// Aliases chained deeper than this are not followed (lowering rejects alias cycles).
const MAX_ALIAS_DEPTH: usize = 32;

/// Builds constraint checks; knows the service's named types, so that a constraint stated on a
/// referenced schema is checked by what that schema is (an integer alias, a list, a string enum).
pub struct Checks<'a> {
    kinds: BTreeMap<&'a str, &'a TypeKind>,
    defs: &'a [TypeDef],
}

impl<'a> Checks<'a> {
    pub fn new(service: &'a Service) -> Self {
        Self { kinds: service.types.iter().map(|d| (d.name.as_str(), &d.kind)).collect(), defs: &service.types }
    }

    /// The statements checking one member of `self` against its constraints and its own `Validate`.
    pub fn member(&self, m: &Member<'_>) -> TokenStream {
        let field = ident(m.field);
        let mut out = TokenStream::new();
        if let (true, Some(wire)) = (m.must_be_set, m.wire) {
            out.extend(quote! {
                if self.#field.is_none() {
                    report.missing(&path.field(#wire));
                }
            });
        }
        let checks = self.value_checks(m.ty, m.constraints, &quote!(value), &quote!(path));
        let nested =
            contains_named(m.ty).then(|| quote!(cloudspec_runtime::Validate::validate_into(value, path, report);));
        if checks.is_empty() && nested.is_none() {
            return out;
        }
        // At the root (a request body, a struct's extra properties) the member's path is `path`.
        let bind_path = m.wire.map(|wire| quote!(let path = &path.field(#wire);));
        let inner = quote! { #bind_path #checks #nested };
        out.extend(if m.optional {
            quote! { if let Some(value) = &self.#field { #inner } }
        } else {
            quote! { { let value = &self.#field; #inner } }
        });
        out
    }

    /// Statements checking `value` (an expression of type `&T` for `ty`) at `path` (one of type
    /// `&FieldPath`) against `c`; empty when there is nothing to check.
    pub fn value_checks(&self, ty: &TypeRef, c: &Constraints, value: &TokenStream, path: &TokenStream) -> TokenStream {
        self.checks(ty, c, value, path, 0)
    }

    fn checks(
        &self,
        ty: &TypeRef,
        c: &Constraints,
        value: &TokenStream,
        path: &TokenStream,
        depth: usize,
    ) -> TokenStream {
        match ty {
            TypeRef::Boxed(inner) => self.checks(inner, c, &quote!((&**#value)), path, depth),
            TypeRef::Nullable(inner) => {
                let inner_checks = self.checks(inner, c, &quote!(value), path, depth);
                if inner_checks.is_empty() {
                    return inner_checks;
                }
                quote! { if let Some(value) = #value { #inner_checks } }
            }
            TypeRef::Named(name) => match self.kinds.get(name.as_str()) {
                Some(TypeKind::Alias(target)) if depth < MAX_ALIAS_DEPTH => {
                    self.checks(target, c, value, path, depth + 1)
                }
                Some(TypeKind::Enum(e)) if e.repr == EnumRepr::String => string_checks(c, value, path),
                Some(TypeKind::Enum(_)) => int_checks(c, &quote!(#value.as_i64()), path),
                // A struct or union checks its own contents (its `Validate`).
                _ => TokenStream::new(),
            },
            TypeRef::String => string_checks(c, value, path),
            TypeRef::I32 => int_checks(c, &quote!(i64::from(*#value)), path),
            TypeRef::I64 => int_checks(c, &quote!(*#value), path),
            TypeRef::F32 => float_checks(c, &quote!(f64::from(*#value)), path),
            TypeRef::F64 => float_checks(c, &quote!(*#value), path),
            TypeRef::Vec(item) => self.list_checks(item, c, value, path, depth),
            TypeRef::Map(item) => self.map_checks(item, c, value, path, depth),
            TypeRef::Tuple { prefix, rest } => self.tuple_checks(prefix, rest.as_deref(), c, value, path, depth),
            TypeRef::Bool | TypeRef::Bytes | TypeRef::Json | TypeRef::Unit => TokenStream::new(),
        }
    }

    /// A list's length and uniqueness, then each item's constraints.
    fn list_checks(
        &self,
        item: &TypeRef,
        c: &Constraints,
        value: &TokenStream,
        path: &TokenStream,
        depth: usize,
    ) -> TokenStream {
        let mut out = length_check(c, value, path);
        if c.unique_items {
            out.extend(quote!(report.unique(#path, #value);));
        }
        out.extend(self.each_item(item, c, &quote!(#value.iter()), quote!(index), path, depth));
        out
    }

    /// The checks of `c.items` on each item of `items` (an iterator), the path of each being its
    /// index plus what `index` makes of it.
    fn each_item(
        &self,
        item: &TypeRef,
        c: &Constraints,
        items: &TokenStream,
        index: TokenStream,
        path: &TokenStream,
        depth: usize,
    ) -> TokenStream {
        let Some(item_c) = &c.items else { return TokenStream::new() };
        let each = self.checks(item, item_c, &quote!(item), &quote!(item_path), depth);
        if each.is_empty() {
            return each;
        }
        quote! {
            for (index, item) in #items.enumerate() {
                let item_path = &#path.index(#index);
                #each
            }
        }
    }

    /// A tuple's prefix items by position; an open tuple's length and further items too; with
    /// `uniqueItems`, all its items compared as JSON (they have types of their own). (A closed
    /// tuple's length is its type's.)
    fn tuple_checks(
        &self,
        prefix: &[TypeRef],
        rest: Option<&TypeRef>,
        c: &Constraints,
        value: &TokenStream,
        path: &TokenStream,
        depth: usize,
    ) -> TokenStream {
        let mut out = TokenStream::new();
        if c.unique_items {
            // Bytes are compared as the base64 text the wire carries, not serde's list of numbers.
            let tuple = TypeRef::Tuple { prefix: prefix.to_vec(), rest: rest.cloned().map(Box::new) };
            let compared = if super::json_bytes::adapts(self.defs, &tuple) {
                quote!(&cloudspec_runtime::wire_json::base64_bytes::Json(#value))
            } else {
                value.clone()
            };
            out.extend(quote!(report.unique_tuple(#path, #compared);));
        }
        let items = if rest.is_some() { quote!(#value.prefix) } else { quote!(#value) };
        for (index, (item_ty, item_c)) in prefix.iter().zip(&c.prefix_items).enumerate() {
            let each = self.checks(item_ty, item_c, &quote!(item), &quote!(item_path), depth);
            if !each.is_empty() {
                let position = proc_macro2::Literal::usize_unsuffixed(index);
                out.extend(quote! {
                    {
                        let item = &#items.#position;
                        let item_path = &#path.index(#position);
                        #each
                    }
                });
            }
        }
        let Some(rest) = rest else { return out };
        out.extend(length_check(c, value, path));
        let first = proc_macro2::Literal::usize_unsuffixed(prefix.len());
        out.extend(self.each_item(rest, c, &quote!(#value.rest.iter()), quote!(#first + index), path, depth));
        out
    }

    /// A map's size, then each key's and each value's constraints.
    fn map_checks(
        &self,
        item: &TypeRef,
        c: &Constraints,
        value: &TokenStream,
        path: &TokenStream,
        depth: usize,
    ) -> TokenStream {
        let mut out = TokenStream::new();
        if c.min_properties.is_some() || c.max_properties.is_some() {
            let (min, max) = (optional_u64(c.min_properties), optional_u64(c.max_properties));
            out.extend(quote!(report.properties(#path, #value.len(), #min, #max);));
        }
        let keys = c.keys.as_deref().map(|k| key_checks(k, &quote!(key), &quote!(item_path))).unwrap_or_default();
        let values = c
            .items
            .as_deref()
            .map(|items| self.checks(item, items, &quote!(item), &quote!(item_path), depth))
            .unwrap_or_default();
        if values.is_empty() && !keys.is_empty() {
            out.extend(quote! {
                for key in #value.keys() {
                    let item_path = &#path.key(key);
                    #keys
                }
            });
        } else if !values.is_empty() {
            out.extend(quote! {
                for (key, item) in #value {
                    let item_path = &#path.key(key);
                    #keys
                    #values
                }
            });
        }
        out
    }
}

/// `minItems`/`maxItems` on a list (or an open tuple): anything with a `len()`.
fn length_check(c: &Constraints, value: &TokenStream, path: &TokenStream) -> TokenStream {
    if c.min_items.is_none() && c.max_items.is_none() {
        return TokenStream::new();
    }
    let (min, max) = (optional_u64(c.min_items), optional_u64(c.max_items));
    quote!(report.items(#path, #value.len(), #min, #max);)
}

/// Length and pattern checks on a string (or anything that is `AsRef<str>`: a string enum).
fn string_checks(c: &Constraints, value: &TokenStream, path: &TokenStream) -> TokenStream {
    text_checks(c, value, path, (quote!(length), quote!(pattern)))
}

/// A map key's checks (`x-property-names`), reported as the key's.
fn key_checks(c: &Constraints, key: &TokenStream, path: &TokenStream) -> TokenStream {
    text_checks(c, key, path, (quote!(key_length), quote!(key_pattern)))
}

/// Length and pattern checks, with the report's methods for them.
fn text_checks(
    c: &Constraints,
    value: &TokenStream,
    path: &TokenStream,
    (length, pattern_check): (TokenStream, TokenStream),
) -> TokenStream {
    let mut out = TokenStream::new();
    if c.min_length.is_some() || c.max_length.is_some() {
        let (min, max) = (optional_u64(c.min_length), optional_u64(c.max_length));
        out.extend(quote!(report.#length(#path, #value, #min, #max);));
    }
    if let Some(pattern) = &c.pattern {
        out.extend(quote! {
            static PATTERN: cloudspec_runtime::validation::Pattern = cloudspec_runtime::validation::Pattern::new(#pattern);
            report.#pattern_check(#path, #value, &PATTERN);
        });
    }
    out
}

fn int_checks(c: &Constraints, value: &TokenStream, path: &TokenStream) -> TokenStream {
    if c.minimum.is_none() && c.maximum.is_none() {
        return TokenStream::new();
    }
    // Bounds beyond i64 cannot be crossed by an i64 value: no check needed on that side.
    let within = |b: &&Bound| b.value >= i64::MIN as f64 && b.value <= i64::MAX as f64;
    let (min, max) = (c.minimum.as_ref().filter(within), c.maximum.as_ref().filter(within));
    if min.is_none() && max.is_none() {
        return TokenStream::new();
    }
    let bound = |b: Option<&Bound>| match b {
        Some(b) => {
            let v = proc_macro2::Literal::i64_unsuffixed(b.value as i64);
            let exclusive = b.exclusive;
            quote!(Some((#v, #exclusive)))
        }
        None => quote!(None),
    };
    let (min, max) = (bound(min), bound(max));
    quote!(report.range(#path, #value, #min, #max);)
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
    quote!(report.range(#path, #value, #min, #max);)
}

/// `Some(n)` or `None`, as an `Option<u64>` argument.
fn optional_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => {
            let n = proc_macro2::Literal::u64_unsuffixed(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    }
}
