//! String and integer `enum`s -> open Rust enums.
//!
//! Variant names come from the values (`running` -> `Running`, `100` -> `V100`), or from
//! `x-enum-varnames` where the spec gives it, and variant docs from `x-enum-descriptions`:
//! openapi-generator's convention, arrays parallel to `enum`, which other languages' generators
//! honour too. A list of the wrong length, a name that is no identifier, or two names that make
//! the same variant is an error at the list's (or the name's) JSON pointer.

use super::view::SchemaView;
use super::Ctx;
use crate::ir::{Enum, EnumRepr, EnumVariant};
use crate::naming::{camel, Namespace};
use crate::pointer::Pointer;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

const VARNAMES: &str = "x-enum-varnames";
const DESCRIPTIONS: &str = "x-enum-descriptions";

impl Ctx<'_> {
    pub(super) fn lower_enum(&mut self, at: &Pointer, view: SchemaView<'_>, values: &[Value]) -> Enum {
        let repr = if values.iter().all(|v| v.is_i64() || v.is_null()) && view.ty() != Some("string") {
            EnumRepr::Integer
        } else {
            EnumRepr::String
        };
        let given_names = self.enum_names(at, view, values.len());
        let descriptions = self.enum_descriptions(at, view, values.len());
        let mut names = Namespace::new();
        let mut variants: Vec<EnumVariant> = Vec::new();
        let mut seen = HashSet::new();
        for (i, value) in values.iter().enumerate() {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Null => continue, // `nullable` enums list null; the field's Option covers it
                other => {
                    self.warning(at, format!("enum value {other} is not a string or integer; ignored"));
                    continue;
                }
            };
            if !seen.insert(text.clone()) {
                self.warning(at, format!("enum value {text:?} is listed twice"));
                continue;
            }
            let wanted = match (given_names.get(i).and_then(Option::as_ref), repr) {
                (Some(given), _) => given.clone(),
                (None, EnumRepr::Integer) => camel(&format!("v{text}").replace('-', "minus")),
                (None, EnumRepr::String) => camel(&text),
            };
            let doc = descriptions.get(i).cloned().flatten();
            variants.push(EnumVariant { name: names.claim(&wanted), value: text, doc });
        }
        let unknown_variant = names.claim("Unknown");
        let default = view.get("default").and_then(|d| {
            let text = match d {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            variants.iter().position(|v| v.value == text)
        });
        Enum { repr, variants, unknown_variant, default }
    }

    /// The variant names `x-enum-varnames` gives, by position in `enum` (camel-cased); empty when
    /// it is absent or wrong (wrong is reported).
    fn enum_names(&mut self, at: &Pointer, view: SchemaView<'_>, count: usize) -> Vec<Option<String>> {
        let Some(list) = self.parallel_list(at, view, VARNAMES, count) else { return Vec::new() };
        let list_at = at.key(VARNAMES);
        let mut names = Vec::with_capacity(count);
        let mut first_of: HashMap<String, String> = HashMap::new();
        let mut valid = true;
        for (i, entry) in list.iter().enumerate() {
            let Some(given) = entry.as_str().filter(|s| is_identifier(s)) else {
                self.error(
                    &list_at.index(i),
                    format!(
                        "{entry} is not a variant name: names are letters, digits and `_`, not starting with a digit"
                    ),
                );
                valid = false;
                continue;
            };
            let variant = camel(given);
            if let Some(first) = first_of.get(&variant) {
                self.error(
                    &list_at.index(i),
                    format!(
                        "{given:?} and {first:?} both make the variant `{variant}`: each value needs a name of its own"
                    ),
                );
                valid = false;
            }
            first_of.entry(variant.clone()).or_insert_with(|| given.to_owned());
            names.push(Some(variant));
        }
        if valid {
            names
        } else {
            Vec::new()
        }
    }

    /// The variant docs `x-enum-descriptions` gives, by position in `enum`; empty entries are none.
    fn enum_descriptions(&mut self, at: &Pointer, view: SchemaView<'_>, count: usize) -> Vec<Option<String>> {
        let Some(list) = self.parallel_list(at, view, DESCRIPTIONS, count) else { return Vec::new() };
        let list_at = at.key(DESCRIPTIONS);
        let mut docs = Vec::with_capacity(count);
        for (i, entry) in list.iter().enumerate() {
            match entry {
                Value::String(s) => docs.push(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
                Value::Null => docs.push(None),
                other => {
                    self.error(&list_at.index(i), format!("{other} is not a description: descriptions are strings"));
                    docs.push(None);
                }
            }
        }
        docs
    }

    /// The extension `key` when it is a list as long as `enum`; otherwise `None`, with an error
    /// when it is there but not such a list.
    fn parallel_list<'v>(
        &mut self,
        at: &Pointer,
        view: SchemaView<'v>,
        key: &str,
        count: usize,
    ) -> Option<&'v Vec<Value>> {
        let value = view.get(key)?;
        let Some(list) = value.as_array() else {
            self.error(&at.key(key), format!("{key} must be a list parallel to `enum`"));
            return None;
        };
        if list.len() != count {
            let message = format!(
                "{key} has {} entries for {count} enum values: it must list one per value, in the order of `enum`",
                list.len()
            );
            self.error(&at.key(key), message);
            return None;
        }
        Some(list)
    }
}

/// What `x-enum-varnames` accepts: ASCII letters, digits and `_`, not starting with a digit
/// (a name every language's generator can use as given).
pub(crate) fn is_identifier(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.chars().any(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::is_identifier;

    #[test]
    fn variant_names_are_identifiers() {
        for good in ["Creating", "STATUS_RUNNING", "_x", "cdm_large"] {
            assert!(is_identifier(good), "{good}");
        }
        for bad in ["", "_", "100", "2nd", "in use", "naïve", "a-b"] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }
}
