//! Enums too large for a Rust `enum`: a newtype over the wire value, with one associated
//! constant per documented value.
//!
//! A Rust enum with tens of thousands of variants and the `match`es its conversions need takes
//! rustc minutes and gigabytes (25,000 values: 36 s and 3.2 GB; 100,000 did not finish in five
//! minutes). Above [`LARGE_ENUM_VALUES`] values the type is a newtype: `Name::Value` constants
//! read like variants, `From` converts from the wire value, `is_known` is a binary search over
//! the sorted values (`KNOWN`), and validation rejects undocumented values as it does for enums.

use super::layout::verbatim;
use super::rust::ident;
use crate::ir::{Enum, EnumRepr};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

/// Enums with more documented values than this are emitted as newtypes.
pub const LARGE_ENUM_VALUES: usize = 1_000;

/// Whether `e` is emitted as a newtype rather than an enum.
pub fn is_large(e: &Enum) -> bool {
    e.variants.len() > LARGE_ENUM_VALUES
}

/// The newtype, its constants and impls. `header` is the type's docs and attributes.
///
/// Kept small on purpose (no doc line per constant, one list of values) so that generating and
/// compiling stay fast: the constants show their values, and `KNOWN` lists them all.
pub fn large_enum_def(name: &Ident, e: &Enum, header: TokenStream) -> TokenStream {
    let default = e.default.map(|i| {
        let variant = ident(&e.variants[i].name);
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self::#variant
                }
            }
        }
    });
    let (inner, conversions) = match e.repr {
        EnumRepr::String => (quote!(std::borrow::Cow<'static, str>), string_impls(name)),
        EnumRepr::Integer => (quote!(i64), integer_impls(name)),
    };
    let constants = verbatim(constants_text(name, e));
    quote! {
        #header
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct #name(#inner);

        #constants
        #conversions
        #default
    }
}

/// The `impl` with one constant per value and `KNOWN`, the values sorted, as text laid out as
/// prettyplease would. Printed directly: as tokens, parsed and printed back, 100,000 values took
/// seconds. Every value is a literal printed by `proc_macro2` (escaped), every name an identifier
/// from [`ident`], so the text is Rust whatever the spec holds.
fn constants_text(name: &Ident, e: &Enum) -> String {
    let mut constants = String::with_capacity(e.variants.len() * 64);
    let (known_ty, mut known): (&str, Vec<(Option<i64>, &str)>) = match e.repr {
        EnumRepr::String => ("&'static str", e.variants.iter().map(|v| (None, v.value.as_str())).collect()),
        EnumRepr::Integer => {
            ("i64", e.variants.iter().map(|v| (Some(v.value.parse().unwrap_or_default()), "")).collect())
        }
    };
    for (variant, (number, text)) in e.variants.iter().zip(&known) {
        let value = match number {
            Some(n) => format!("Self({})", Literal::i64_unsuffixed(*n)),
            None => format!("Self::documented({})", Literal::string(text)),
        };
        constants.push_str(&format!("    pub const {}: Self = {value};\n", ident(&variant.name)));
    }
    known.sort_unstable();
    let known: String = known
        .iter()
        .map(|(number, text)| match number {
            Some(n) => format!("        {},\n", Literal::i64_unsuffixed(*n)),
            None => format!("        {},\n", Literal::string(text)),
        })
        .collect();
    // The constants stand for enum variants, so they are named like them.
    format!(
        "#[allow(non_upper_case_globals, missing_docs)]\nimpl {name} {{\n{constants}    /// Every value the spec documents, as on the wire, sorted (`is_known` searches it).\n    pub const KNOWN: &'static [{known_ty}] = &[\n{known}    ];\n}}\n"
    )
}

/// Conversions, serde, `Display` and `Validate` of a string newtype.
fn string_impls(name: &Ident) -> TokenStream {
    quote! {
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Whether this is one of the documented values.
            pub fn is_known(&self) -> bool {
                Self::KNOWN.binary_search(&self.as_str()).is_ok()
            }

            const fn documented(value: &'static str) -> Self {
                Self(std::borrow::Cow::Borrowed(value))
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                Self(std::borrow::Cow::Owned(value.to_owned()))
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                Self(std::borrow::Cow::Owned(value))
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
                String::deserialize(deserializer).map(Self::from)
            }
        }

        impl cloudspec_runtime::Validate for #name {
            fn validate_into(&self, path: &cloudspec_runtime::validation::FieldPath, report: &mut cloudspec_runtime::validation::Report) {
                if !self.is_known() {
                    report.push(path, format!("{:?} is not one of the {} documented values", self.as_str(), Self::KNOWN.len()));
                }
            }
        }
    }
}

/// Conversions, serde, `Display` and `Validate` of an integer newtype.
fn integer_impls(name: &Ident) -> TokenStream {
    quote! {
        impl #name {
            /// The value as sent on the wire.
            pub fn as_i64(&self) -> i64 {
                self.0
            }

            /// Whether this is one of the documented values.
            pub fn is_known(&self) -> bool {
                Self::KNOWN.binary_search(&self.0).is_ok()
            }
        }

        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                Self(value)
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                i64::deserialize(deserializer).map(Self)
            }
        }

        impl cloudspec_runtime::Validate for #name {
            fn validate_into(&self, path: &cloudspec_runtime::validation::FieldPath, report: &mut cloudspec_runtime::validation::Report) {
                if !self.is_known() {
                    report.push(path, format!("{} is not one of the {} documented values", self.0, Self::KNOWN.len()));
                }
            }
        }
    }
}
