//! The constraints a schema states (lengths, bounds, patterns, item and key rules), gathered
//! through references and `allOf` wrappers, for the checks run before a request is sent.

use super::shape::{part_kind, PartKind};
use super::view::SchemaView;
use super::Ctx;
use crate::ir::{Bound, Constraints};
use crate::pointer::Pointer;
use serde_json::Value;

impl Ctx<'_> {
    /// The constraints stated on the schema at `at` (following references), items included.
    pub(super) fn constraints_at(&mut self, at: &Pointer, depth: usize) -> Constraints {
        let Some(resolved) = self.resolve_pointer(at) else { return Constraints::default() };
        let Some(view) = self.value_at(&resolved).and_then(SchemaView::new) else { return Constraints::default() };
        let ty = view.ty();
        let mut c = own_constraints(view, ty);
        c.intersect(self.wrapper_constraints(self.resolution_chain(at), ty));
        drop_rejected_pattern(&mut c);
        if depth < 8 {
            if let Some(child_at) = child_schema(&resolved, view) {
                let items = self.constraints_at(&child_at, depth + 1);
                if !items.is_empty() {
                    c.items = Some(Box::new(items));
                }
            }
            self.tuple_constraints(&resolved, view, depth, &mut c);
        }
        c
    }
}

impl<'a> Ctx<'a> {
    /// What the allOf wrappers in `chain` (a resolution chain: the schemas passed on the way to
    /// a value of type `ty`) add to it: each wrapper's own keywords
    /// (`{allOf: [{$ref: Slug}], maxLength: 16}`) and those of its parts that only constrain
    /// (`allOf: [{$ref: Slug}, {maxLength: 16}]`). Request validation and contract samples both
    /// gather them here, so a sample meets the checks the request is put through.
    pub(super) fn wrapper_constraints(
        &self,
        chain: impl IntoIterator<Item = SchemaView<'a>>,
        ty: Option<&str>,
    ) -> Constraints {
        let mut c = Constraints::default();
        for wrapper in chain.into_iter().filter(|v| v.list("allOf").is_some()) {
            c.intersect(own_constraints(wrapper, ty));
            for part in self.all_of_parts(wrapper).filter(|p| part_kind(*p) == PartKind::Constraints) {
                c.intersect(own_constraints(part, ty));
            }
        }
        c
    }
}

/// A pattern the regex engine rejects was reported where it is written; it is neither enforced
/// nor sampled.
pub(super) fn drop_rejected_pattern(c: &mut Constraints) {
    if c.pattern.as_deref().is_some_and(|p| check_pattern(p).is_err()) {
        c.pattern = None;
    }
}

/// The constraints a schema states about its own value (not its items), for a value of type `ty`.
pub(super) fn own_constraints(view: SchemaView<'_>, ty: Option<&str>) -> Constraints {
    let numeric = matches!(ty, Some("integer") | Some("number"));
    let textual = ty == Some("string") || ty.is_none();
    let bound = |key: &str, flag: &str| {
        view.f64(key)
            .map(|value| Bound { value, exclusive: view.bool(flag) })
            .filter(|b| ty != Some("integer") || b.value.fract() == 0.0)
    };
    let is_map = matches!(view.get("additionalProperties"), Some(Value::Object(_))) && view.properties().is_none();
    Constraints {
        min_length: view.u64("minLength").filter(|_| textual),
        max_length: view.u64("maxLength").filter(|_| textual),
        pattern: view.str("pattern").filter(|_| textual).map(str::to_owned),
        minimum: bound("minimum", "exclusiveMinimum").filter(|_| numeric),
        maximum: bound("maximum", "exclusiveMaximum").filter(|_| numeric),
        min_items: view.u64("minItems"),
        max_items: view.u64("maxItems"),
        unique_items: view.bool("uniqueItems"),
        min_properties: view.u64("minProperties").filter(|_| is_map),
        max_properties: view.u64("maxProperties").filter(|_| is_map),
        items: None,
        prefix_items: Vec::new(),
        keys: view
            .get("x-property-names")
            .and_then(SchemaView::new)
            .filter(|_| is_map)
            .map(key_constraints)
            .filter(|k| !k.is_empty())
            .map(Box::new),
    }
}

/// `x-property-names` on a map: what each key must be (the `propertyNames` of later JSON Schema,
/// limited to what a key can be checked for).
pub(super) fn key_constraints(names: SchemaView<'_>) -> Constraints {
    Constraints {
        min_length: names.u64("minLength"),
        max_length: names.u64("maxLength"),
        pattern: names.str("pattern").filter(|p| check_pattern(p).is_ok()).map(str::to_owned),
        ..Constraints::default()
    }
}

/// Where the item (array) or value (map) schema of `view`, the schema at `at`, lives.
fn child_schema(at: &Pointer, view: SchemaView<'_>) -> Option<Pointer> {
    let key = if view.ty() == Some("array") || view.get("items").is_some() {
        "items"
    } else if matches!(view.get("additionalProperties"), Some(Value::Object(_))) && view.properties().is_none() {
        "additionalProperties"
    } else {
        return None;
    };
    view.get(key).map(|_| at.key(key))
}

/// Whether the SDK can enforce a pattern: it must compile with the `regex` crate (which has no
/// look-around or back-references, unlike ECMA-262).
pub fn check_pattern(pattern: &str) -> Result<(), String> {
    regex::Regex::new(pattern)
        .map(|_| ())
        .map_err(|e| e.to_string().lines().last().unwrap_or("invalid").trim().to_owned())
}

/// Whether a pattern uses ECMA-262 features the `regex` crate deliberately lacks (look-around,
/// back-references): valid in the spec, just not checkable by the SDK.
pub(super) fn uses_ecma_only_features(pattern: &str) -> bool {
    ["(?=", "(?!", "(?<=", "(?<!", "\\k<"].iter().any(|f| pattern.contains(f))
        || pattern.as_bytes().windows(2).any(|w| w[0] == b'\\' && w[1].is_ascii_digit() && w[1] != b'0')
}
