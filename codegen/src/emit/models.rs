//! Named types -> Rust items: structs, open enums, unions and aliases, each with its `Validate`
//! implementation.

use super::json_bytes::JsonBytes;
use super::rust::{contains_named, deprecated, describe_constraints, doc_lines, docs, ident, ty};
use super::validate::{struct_validate, validate_impl, Checks};
use super::Traits;
use crate::ir::*;
use crate::text;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// Every item for one named type.
pub fn type_def(def: &TypeDef, traits: &Traits, checks: &Checks, bytes: &JsonBytes) -> TokenStream {
    let plain = bytes.plain_impl(def);
    let items = match &def.kind {
        TypeKind::Struct(s) => struct_def(def, s, traits, checks, bytes),
        TypeKind::Enum(e) => enum_def(def, e),
        TypeKind::Union(u) => union_def(def, u, bytes),
        TypeKind::Alias(target) => {
            let name = ident(&def.name);
            let doc = type_docs(def, &format!("`{}`.", def.name));
            let target = ty(target);
            quote! {
                #doc
                pub type #name = #target;
            }
        }
    };
    quote!(#items #plain)
}

/// The Rust type of a field, `Option` included.
pub fn field_type(field: &Field) -> TokenStream {
    let inner = ty(&field.ty);
    if !field.is_optional() {
        inner
    } else {
        quote!(Option<#inner>)
    }
}

fn field_docs(field: &Field) -> TokenStream {
    let mut extra = Vec::new();
    if let Some(constraints) = describe_constraints(&field.constraints, Some(&field.ty)) {
        extra.push(constraints);
    }
    if let Some(default) = &field.default {
        extra.push(format!("Default: {}.", text::code(&default.to_string())));
    }
    if field.read_only {
        extra.push("Read-only: set by the service, ignored in requests.".to_owned());
    }
    if field.write_only {
        extra.push("Write-only: sent in requests, never returned.".to_owned());
    }
    if field.required && !field.nullable && (field.read_only || field.write_only) {
        extra.push("Required by the spec, but an `Option` here: this type serves requests and responses, and the field is in only one of them.".to_owned());
    }
    if let Some(contradiction) = &field.contradiction {
        extra.push(contradiction_doc(contradiction, &field.ty));
    }
    docs(&field.doc, &format!("{}.", text::code(&field.wire_name)), &extra)
}

/// The field's note on an `x-contradiction`, saying who disagrees: the document with itself, or
/// the official SDK with the document (whose flag and type the spec keeps).
fn contradiction_doc(contradiction: &Contradiction, ty: &TypeRef) -> String {
    let note = text::inline(contradiction.note.trim_end_matches('.'));
    let mut text = match &contradiction.official_sdk {
        Some(package) => format!("Disagreement with the official SDK ({})", text::inline(package)),
        None => "Contradiction in the source document".to_owned(),
    };
    if !note.is_empty() {
        text.push_str(&format!(": {note}"));
    }
    text.push('.');
    if contradiction.decodes_tolerantly() && lenient_decodable(ty) {
        text.push_str(" Decoding accepts the documented type and the forms the document shows.");
    }
    text
}

/// A type's doc attributes, with the provider's own name for it as a search alias where it
/// differs (rustdoc refuses an alias equal to the item's name).
fn type_docs(def: &TypeDef, fallback: &str) -> TokenStream {
    let doc = docs(&def.doc, fallback, &[]);
    match def.doc.alias.as_deref().filter(|alias| *alias != def.name) {
        Some(alias) => quote!(#doc #[doc(alias = #alias)]),
        None => doc,
    }
}

fn struct_def(def: &TypeDef, s: &Struct, traits: &Traits, checks: &Checks, bytes: &JsonBytes) -> TokenStream {
    let name = ident(&def.name);
    let doc = type_docs(def, &format!("`{}`.", def.name));
    let type_deprecated = deprecated(&def.doc);
    let fields = s.fields.iter().map(|field| {
        let fname = ident(&field.name);
        let fdoc = field_docs(field);
        let fty = field_type(field);
        let wire = &field.wire_name;
        let bare = &field.name;
        let optional = field.is_optional();
        let mut serde = Vec::new();
        if bare != wire {
            serde.push(quote!(rename = #wire));
        }
        if optional || field.undeclared {
            serde.push(quote!(default));
        }
        if optional && field.skips_none() {
            serde.push(quote!(skip_serializing_if = "Option::is_none"));
        }
        if field.undeclared && !optional {
            serde.push(quote!(skip_serializing_if = "serde_json::Value::is_null"));
        }
        if field.contradiction.as_ref().is_some_and(Contradiction::decodes_tolerantly) && lenient_decodable(&field.ty) {
            serde.push(quote!(deserialize_with = "cloudspec_runtime::lenient::deserialize"));
        } else if let Some(with) = bytes.serde_with(&field.ty) {
            serde.push(with);
        }
        let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
        let dep = deprecated(&field.doc);
        quote! {
            #fdoc
            #dep
            #serde
            pub #fname: #fty,
        }
    });
    let additional = s.additional.as_ref().map(|value| {
        let serde = match bytes.serde_with(value) {
            Some(with) => quote!(#[serde(flatten, #with)]),
            None => quote!(#[serde(flatten)]),
        };
        let value = ty(value);
        let keys = s.additional_keys.as_deref().and_then(|keys| describe_constraints(keys, None)).map(|c| {
            let line = format!(" Each key: {}", c.trim_start_matches("Constraints: "));
            quote!(#[doc = ""] #[doc = #line])
        });
        quote! {
            /// Properties beyond the documented ones, kept as received.
            #keys
            #serde
            pub additional_properties: std::collections::BTreeMap<String, #value>,
        }
    });
    let sensitive = s.fields.iter().any(|f| f.sensitive);
    let mut derives = vec![quote!(Clone), quote!(PartialEq), quote!(serde::Serialize), quote!(serde::Deserialize)];
    if !sensitive {
        derives.insert(0, quote!(Debug));
    }
    if traits.is_default(&def.name) {
        derives.push(quote!(Default));
    }
    let debug = sensitive.then(|| redacted_debug(def, s));
    let constructors = struct_constructors(def, s);
    let validate = struct_validate(def, s, checks);
    quote! {
        #doc
        #type_deprecated
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }
        #constructors
        #debug
        #validate
    }
}

/// `new` taking every non-`Option` field in declaration order, and a `with_<field>` setter for
/// every `Option` field (plus `insert_additional_property` for the extra-keys map): the only way
/// to build a `#[non_exhaustive]` struct outside the crate, and one that keeps compiling when a
/// spec adds an optional property.
fn struct_constructors(def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    for field in &s.fields {
        let fname = ident(&field.name);
        let bare = &field.name;
        let fty = ty(&field.ty);
        if !field.is_optional() {
            args.push(quote!(#fname: impl Into<#fty>));
            inits.push(quote!(#fname: #fname.into()));
            continue;
        }
        inits.push(quote!(#fname: None));
        let setter = ident(&format!("with_{bare}"));
        let sdoc = format!(" Sets [`{bare}`](Self::{bare}).");
        let dep = deprecated(&field.doc);
        setters.push(quote! {
            #[doc = #sdoc]
            #dep
            pub fn #setter(mut self, value: impl Into<#fty>) -> Self {
                self.#fname = Some(value.into());
                self
            }
        });
    }
    if let Some(value) = &s.additional {
        let value = ty(value);
        inits.push(quote!(additional_properties: std::collections::BTreeMap::new()));
        setters.push(quote! {
            /// Adds a property beyond the documented ones (replacing one of the same name).
            pub fn insert_additional_property(mut self, key: impl Into<String>, value: impl Into<#value>) -> Self {
                self.additional_properties.insert(key.into(), value.into());
                self
            }
        });
    }
    let new_doc = if args.is_empty() {
        format!(" A `{}` with every optional field unset.", def.name)
    } else {
        format!(" A `{}` with its required fields; optional fields are unset.", def.name)
    };
    // One argument per required property is the spec's shape, however many it has.
    let many_arguments = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        impl #name {
            #[doc = #new_doc]
            #[allow(clippy::new_without_default)]
            #many_arguments
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
            #(#setters)*
        }
    }
}

/// Whether the runtime can decode this type tolerantly. A named type (an open enum, a struct)
/// already takes whatever value the wire carries, or cannot be guessed from another shape.
fn lenient_decodable(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) | TypeRef::Bytes | TypeRef::Unit | TypeRef::Map(_) | TypeRef::Tuple { .. } => false,
        TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => lenient_decodable(inner),
        _ => true,
    }
}

/// `Debug` that prints `***` for sensitive fields (secrets never reach logs).
fn redacted_debug(def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let type_name = &def.name;
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let label = &f.name;
        if !f.sensitive {
            quote!(.field(#label, &self.#fname))
        } else if !f.is_optional() {
            quote!(.field(#label, &"***"))
        } else {
            quote!(.field(#label, &self.#fname.as_ref().map(|_| "***")))
        }
    });
    let additional =
        s.additional.as_ref().map(|_| quote!(.field("additional_properties", &self.additional_properties)));
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#type_name)
                    #(#fields)*
                    #additional
                    .finish()
            }
        }
    }
}

fn enum_def(def: &TypeDef, e: &Enum) -> TokenStream {
    let name = ident(&def.name);
    let doc = type_docs(def, &format!("`{}`.", def.name));
    let dep = deprecated(&def.doc);
    if super::large_enum::is_large(e) {
        return super::large_enum::large_enum_def(&name, e, quote!(#doc #dep));
    }
    let unknown = ident(&e.unknown_variant);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    // The value's meaning (`x-enum-descriptions`) when the spec gives it, then the wire value.
    let variant_docs = e.variants.iter().map(|v| {
        // An empty code span would render as two stray backticks.
        let value =
            if v.value.is_empty() { " The empty string.".to_owned() } else { format!(" {}", text::code(&v.value)) };
        match &v.doc {
            Some(meaning) => {
                let meaning = doc_lines(meaning);
                quote!(#meaning #[doc = ""] #[doc = #value])
            }
            None => quote!(#[doc = #value]),
        }
    });
    let raw_owned = match e.repr {
        EnumRepr::String => quote!(String),
        EnumRepr::Integer => quote!(i64),
    };
    let known: Vec<TokenStream> = e
        .variants
        .iter()
        .map(|v| match e.repr {
            EnumRepr::String => {
                let s = &v.value;
                quote!(#s)
            }
            EnumRepr::Integer => {
                let n = proc_macro2::Literal::i64_unsuffixed(v.value.parse().unwrap_or_default());
                quote!(#n)
            }
        })
        .collect();
    let derive_default = e.default.map(|_| quote!(Default,));
    let variant_attrs: Vec<TokenStream> =
        (0..variants.len()).map(|i| if e.default == Some(i) { quote!(#[default]) } else { quote!() }).collect();
    let conversions = match e.repr {
        EnumRepr::String => string_enum_impls(&name, &variants, &known, &unknown),
        EnumRepr::Integer => integer_enum_impls(&name, &variants, &known, &unknown),
    };
    quote! {
        #doc
        #dep
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #derive_default)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #variant_attrs #variants,)*
            /// A value this version of the SDK does not know, kept as received.
            #unknown(#raw_owned),
        }
        #conversions
    }
}

/// The impls of a string enum: wire text both ways (`as_str`, `From<&str>`), serde through that
/// text, `Display`, and a `Validate` that rejects undocumented values.
fn string_enum_impls(name: &Ident, variants: &[Ident], known: &[TokenStream], unknown: &Ident) -> TokenStream {
    quote! {
        impl #name {
            /// Every value the spec documents, as on the wire.
            pub const KNOWN: &'static [&'static str] = &[#(#known),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #known,)*
                    Self::#unknown(value) => value,
                }
            }

            /// Whether this is one of the documented values.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::#unknown(_))
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#known => Self::#variants,)*
                    other => Self::#unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                // A documented value is read without allocating; an unknown one is kept.
                cloudspec_runtime::lenient::open_string_enum(deserializer)
            }
        }

        impl cloudspec_runtime::Validate for #name {
            fn validate_into(&self, path: &cloudspec_runtime::validation::FieldPath, report: &mut cloudspec_runtime::validation::Report) {
                if let Self::#unknown(value) = self {
                    report.not_one_of(path, value, Self::KNOWN);
                }
            }
        }
    }
}

/// The impls of an integer enum: `as_i64`, `From<i64>`, serde as an integer, `Display`, and a
/// `Validate` that rejects undocumented values.
fn integer_enum_impls(name: &Ident, variants: &[Ident], known: &[TokenStream], unknown: &Ident) -> TokenStream {
    quote! {
        impl #name {
            /// Every value the spec documents.
            pub const KNOWN: &'static [i64] = &[#(#known),*];

            /// The value as sent on the wire.
            pub fn as_i64(&self) -> i64 {
                match self {
                    #(Self::#variants => #known,)*
                    Self::#unknown(value) => *value,
                }
            }

            /// Whether this is one of the documented values.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::#unknown(_))
            }
        }

        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#known => Self::#variants,)*
                    other => Self::#unknown(other),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.as_i64())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = i64::deserialize(deserializer)?;
                Ok(Self::from(value))
            }
        }

        impl cloudspec_runtime::Validate for #name {
            fn validate_into(&self, path: &cloudspec_runtime::validation::FieldPath, report: &mut cloudspec_runtime::validation::Report) {
                if let Self::#unknown(value) = self {
                    report.not_one_of(path, &value.to_string(), &Self::KNOWN.iter().map(i64::to_string).collect::<Vec<_>>());
                }
            }
        }
    }
}

fn union_def(def: &TypeDef, u: &Union, bytes: &JsonBytes) -> TokenStream {
    let name = ident(&def.name);
    let doc = type_docs(def, &format!("`{}`: one of several shapes.", def.name));
    let dep = deprecated(&def.doc);
    let variants: Vec<_> = u.variants.iter().map(|v| ident(&v.name)).collect();
    let types: Vec<_> = u
        .variants
        .iter()
        .map(|v| {
            let with = bytes.serde_with(&v.ty).map(|with| quote!(#[serde(#with)]));
            let ty = ty(&v.ty);
            quote!(#with #ty)
        })
        .collect();
    let validate_arms = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        if contains_named(&v.ty) {
            quote!(Self::#vname(value) => cloudspec_runtime::Validate::validate_into(value, path, report),)
        } else {
            quote!(Self::#vname(_) => {})
        }
    });
    // Nothing to check when no alternative validates itself.
    let checks_any = u.variants.iter().any(|v| contains_named(&v.ty));
    let statements = if checks_any { quote!(match self { #(#validate_arms)* }) } else { TokenStream::new() };
    let validate = validate_impl(&name, statements);
    match &u.discriminator {
        None => quote! {
            #doc
            #dep
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants(#types),)*
            }
            #validate
        },
        Some(property) => {
            let arms = u.variants.iter().map(|v| {
                let vname = ident(&v.name);
                let tags = &v.tags;
                quote! {
                    #(#tags)|* => serde_json::from_value(value).map(Self::#vname).map_err(serde::de::Error::custom),
                }
            });
            let expected: Vec<String> = u.variants.iter().flat_map(|v| v.tags.iter().cloned()).collect();
            let expected = expected.join(", ");
            quote! {
                #doc
                #dep
                #[derive(Debug, Clone, PartialEq, serde::Serialize)]
                #[serde(untagged)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants(#types),)*
                }

                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                        let tag = value.get(#property).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
                        match tag.as_str() {
                            #(#arms)*
                            other => Err(serde::de::Error::custom(format!(
                                "unknown {} {:?}: expected one of {}", #property, other, #expected
                            ))),
                        }
                    }
                }
                #validate
            }
        }
    }
}
