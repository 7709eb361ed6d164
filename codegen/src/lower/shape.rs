//! Classifying a schema: a primitive, a list, a map, one of its parts, a named type of its own,
//! or nothing Rust represents; and what each `allOf` part contributes to the type.

use super::tuple::prefix_items;
use super::view::SchemaView;
use super::Ctx;
use crate::ir::TypeRef;
use serde_json::Value;

impl Ctx<'_> {
    /// Classifies a schema: does it need a named type of its own?
    pub(super) fn shape(&self, view: SchemaView<'_>) -> Shape {
        if view.enum_values().is_some() && matches!(view.ty(), Some("string") | Some("integer") | None) {
            let all_strings = view.enum_values().is_some_and(|v| v.iter().all(|x| x.is_string() || x.is_null()));
            let all_ints = view.enum_values().is_some_and(|v| v.iter().all(|x| x.is_i64() || x.is_null()));
            if all_strings || all_ints {
                return Shape::Named;
            }
        }
        if let Some(parts) = view.list("allOf") {
            return self.all_of_shape(view, parts);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(alts) = view.list(key) {
                if view.properties().is_some() {
                    return Shape::Named;
                }
                return match alts.len() {
                    0 => Shape::Unsupported(format!("an empty {key} allows no value")),
                    1 => Shape::Part { key, index: 0 },
                    _ => Shape::Named,
                };
            }
        }
        match view.ty() {
            Some("string") => Shape::Primitive(match view.format() {
                Some("binary") => TypeRef::Bytes,
                _ => TypeRef::String,
            }),
            Some("integer") => Shape::Primitive(match view.format() {
                Some("int32") => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            Some("number") => Shape::Primitive(match view.format() {
                Some("float") => TypeRef::F32,
                _ => TypeRef::F64,
            }),
            Some("boolean") => Shape::Primitive(TypeRef::Bool),
            Some("array") if is_tuple(view) => Shape::Tuple,
            Some("array") => Shape::Array,
            Some("null") => Shape::Primitive(TypeRef::Json),
            Some("object") | None => {
                if view.properties().is_some_and(|p| !p.is_empty()) {
                    Shape::Named
                } else if view.ty().is_none() && is_tuple(view) {
                    Shape::Tuple
                } else if view.ty().is_none() && view.get("items").is_some() {
                    Shape::Array
                } else if matches!(view.get("additionalProperties"), Some(Value::Object(o)) if !o.is_empty()) {
                    Shape::Map
                } else {
                    Shape::Primitive(TypeRef::Json)
                }
            }
            Some(_) => Shape::Primitive(TypeRef::Json),
        }
    }

    /// The shape of a schema with `allOf` `parts`.
    fn all_of_shape(&self, view: SchemaView<'_>, parts: &[Value]) -> Shape {
        if view.properties().is_some() {
            return Shape::Named;
        }
        // A part that does not resolve (a dangling or external `$ref`, a part that is not a
        // schema) is lowered as the type, so that its diagnostic is reported where it is.
        if let Some(index) = parts.iter().position(|p| self.resolved(p).is_none() && p.as_bool() != Some(true)) {
            return Shape::Part { key: "allOf", index };
        }
        // Parts that only annotate (a description, `nullable`) or constrain (`maxLength`) add
        // nothing to the type: the type is the typed part's, when there is one.
        let typed: Vec<(usize, SchemaView<'_>)> = parts
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((i, self.resolved(p)?)))
            .filter(|(_, p)| part_kind(*p) == PartKind::Typed)
            .collect();
        // Names required beside `allOf` that its typed part leaves optional (or lacks) change
        // the fields: a struct of its own.
        let requires_more = |part: SchemaView<'_>| {
            let theirs = part.required();
            view.required().iter().any(|name| !theirs.contains(name))
        };
        match typed.as_slice() {
            [] => Shape::Primitive(TypeRef::Json),
            [(_, part)] if merges_as_object(*part) && requires_more(*part) => Shape::Named,
            [(index, _)] => Shape::Part { key: "allOf", index: *index },
            _ if typed.iter().all(|(_, p)| merges_as_object(*p)) => Shape::Named,
            _ => match same_primitive(parts, &typed) {
                Some(index) => Shape::Part { key: "allOf", index },
                None => Shape::Unsupported("the allOf parts cannot merge into one type (more than one states a type, and they are not all objects or all the same primitive type)".to_owned()),
            },
        }
    }
}

pub(super) enum Shape {
    Primitive(TypeRef),
    Array,
    /// An array typed item by item (`prefixItems`).
    Tuple,
    Map,
    /// An allOf/oneOf/anyOf that stands for one of its parts: a one-element list, or an allOf
    /// whose other parts only annotate. The type is that part's.
    Part {
        key: &'static str,
        index: usize,
    },
    /// A schema no Rust type represents (the reason): a warning, and `serde_json::Value`.
    Unsupported(String),
    Named,
}

/// An array whose first items have types of their own (a non-empty `prefixItems`).
fn is_tuple(view: SchemaView<'_>) -> bool {
    !prefix_items(view).is_empty()
}

/// Keywords that document a schema without changing what values it allows or how they decode.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "nullable",
    "readOnly",
    "writeOnly",
    "default",
    "example",
    "examples",
    "deprecated",
    "externalDocs",
    "xml",
];

/// Keywords that make a schema say what type its values have. `required` is one: a part that
/// makes properties required changes the merged struct's fields (plain, not `Option`).
const TYPE_KEYWORDS: &[&str] = &[
    "type",
    "properties",
    "additionalProperties",
    "items",
    "prefixItems",
    "enum",
    "allOf",
    "oneOf",
    "anyOf",
    "$ref",
    "required",
];

/// What an allOf part contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PartKind {
    /// Documentation only (`{}` too).
    Annotation,
    /// Constraints (and documentation) on whatever type the other parts give.
    Constraints,
    /// A type of its own.
    Typed,
}

pub(super) fn part_kind(part: SchemaView<'_>) -> PartKind {
    if part.obj.keys().any(|k| TYPE_KEYWORDS.contains(&k.as_str())) {
        PartKind::Typed
    } else if part.obj.keys().all(|k| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-")) {
        PartKind::Annotation
    } else {
        PartKind::Constraints
    }
}

/// When every typed allOf part is the same primitive type (`$ref: slug` and `type: string`), the
/// part that stands for it: a `$ref` (the more specific type) if there is one, else the first.
fn same_primitive<'v>(parts: &[Value], typed: &[(usize, SchemaView<'v>)]) -> Option<usize> {
    let primitive = |p: &SchemaView<'v>| p.ty().filter(|t| matches!(*t, "string" | "integer" | "number" | "boolean"));
    let first = primitive(&typed.first()?.1)?;
    let enums = typed.iter().filter(|(_, p)| p.enum_values().is_some()).count();
    // Two value lists would have to intersect: not merged.
    if enums > 1 || !typed.iter().all(|(_, p)| primitive(p) == Some(first)) {
        return None;
    }
    let is_ref = |i: usize| parts.get(i).and_then(|p| p.get("$ref")).is_some();
    let with_enum = typed.iter().find(|(_, p)| p.enum_values().is_some()).map(|(i, _)| *i);
    with_enum.or_else(|| typed.iter().map(|(i, _)| *i).find(|&i| is_ref(i))).or(typed.first().map(|(i, _)| *i))
}

/// An allOf part whose properties can merge into a struct: an object, or a composition
/// (whose unmergeable parts `lower_struct` reports).
fn merges_as_object(part: SchemaView<'_>) -> bool {
    let typed_otherwise = matches!(part.ty(), Some(t) if t != "object")
        || part.enum_values().is_some()
        || part.get("items").is_some()
        || is_tuple(part);
    !typed_otherwise
}
