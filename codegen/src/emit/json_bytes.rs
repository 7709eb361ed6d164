//! Binary values inside JSON: which fields carry bytes (`Vec<u8>`, or a list, map, `Option` or
//! tuple holding them), which then go through the runtime's base64 adapter
//! (`cloudspec_runtime::wire_json::base64_bytes`), and which named types appear beside those bytes
//! and so must say they hold none of their own (the adapter's `Plain`).

use crate::ir::{resolve_alias, Service, TypeDef, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// Whether a type holds bytes the adapter can reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carries {
    No,
    Bytes,
    /// Bytes behind a `Box` (a tuple holding its own type): the adapter has no impl for `Box`
    /// (it would overlap `Plain`), so such a field keeps serde's encoding.
    Unreachable,
}

/// The service's named types, for following aliases, and the ones needing `Plain`.
pub struct JsonBytes<'a> {
    defs: &'a [TypeDef],
    plain: BTreeSet<&'a str>,
}

impl<'a> JsonBytes<'a> {
    pub fn new(service: &'a Service) -> Self {
        let mut this = Self { defs: &service.types, plain: BTreeSet::new() };
        // Every type the service names (a field's, a variant's, a body's): `Plain` is harmless on
        // a type only ever beside bytes outside JSON.
        let mut tys = Vec::new();
        service.types.iter().for_each(|d| super::features::kind_refs(&d.kind, &mut |t| tys.push(t)));
        service.operations.iter().for_each(|op| super::features::operation_refs(op, &mut |t| tys.push(t)));
        let mut plain = BTreeSet::new();
        for ty in tys.into_iter().filter(|ty| this.adapts(ty)) {
            this.named_beside_bytes(ty, &mut plain);
        }
        this.plain = plain;
        this
    }

    /// Whether a field or variant of type `ty` goes through the base64 adapter.
    pub fn adapts(&self, ty: &TypeRef) -> bool {
        adapts(self.defs, ty)
    }

    /// The `#[serde(with = ...)]` argument for a field of type `ty`, if it carries bytes.
    pub fn serde_with(&self, ty: &TypeRef) -> Option<TokenStream> {
        self.adapts(ty).then(|| quote!(with = "cloudspec_runtime::wire_json::base64_bytes"))
    }

    /// `impl Plain for <def>` when the type appears inside a field that carries bytes.
    pub fn plain_impl(&self, def: &TypeDef) -> Option<TokenStream> {
        self.plain.contains(def.name.as_str()).then(|| {
            let name = super::rust::ident(&def.name);
            quote!(impl cloudspec_runtime::wire_json::base64_bytes::Plain for #name {})
        })
    }

    /// Adds the non-alias named types inside `ty` (following aliases) to `out`.
    fn named_beside_bytes(&self, ty: &'a TypeRef, out: &mut BTreeSet<&'a str>) {
        match ty {
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => {
                self.named_beside_bytes(inner, out)
            }
            TypeRef::Tuple { prefix, rest } => {
                prefix.iter().chain(rest.as_deref()).for_each(|item| self.named_beside_bytes(item, out))
            }
            TypeRef::Named(_) => match resolve_alias(self.defs, ty) {
                TypeRef::Named(name) => {
                    out.insert(name);
                }
                target => self.named_beside_bytes(target, out),
            },
            _ => {}
        }
    }
}

/// Whether a value of type `ty` (aliases followed through `defs`) goes through the base64
/// adapter in JSON.
pub fn adapts(defs: &[TypeDef], ty: &TypeRef) -> bool {
    carries(defs, ty) == Carries::Bytes
}

fn carries(defs: &[TypeDef], ty: &TypeRef) -> Carries {
    match ty {
        TypeRef::Bytes => Carries::Bytes,
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => carries(defs, inner),
        TypeRef::Boxed(inner) => match carries(defs, inner) {
            Carries::No => Carries::No,
            _ => Carries::Unreachable,
        },
        TypeRef::Tuple { prefix, rest } => {
            prefix.iter().chain(rest.as_deref()).map(|item| carries(defs, item)).fold(Carries::No, |a, b| {
                match (a, b) {
                    (Carries::Unreachable, _) | (_, Carries::Unreachable) => Carries::Unreachable,
                    (Carries::Bytes, _) | (_, Carries::Bytes) => Carries::Bytes,
                    _ => Carries::No,
                }
            })
        }
        TypeRef::Named(_) => match resolve_alias(defs, ty) {
            TypeRef::Named(_) => Carries::No,
            target => carries(defs, target),
        },
        _ => Carries::No,
    }
}

/// `ty` as a whole JSON body: wrapped in the adapter's `Json` when it carries bytes.
pub fn body_type(defs: &[TypeDef], ty: &TypeRef) -> Option<TokenStream> {
    adapts(defs, ty).then(|| {
        let ty = super::rust::ty(ty);
        quote!(cloudspec_runtime::wire_json::base64_bytes::Json<#ty>)
    })
}
