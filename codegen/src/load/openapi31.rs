//! OpenAPI 3.1 (JSON Schema 2020-12) read as the OpenAPI 3.0 forms lowering knows.
//!
//! 3.1 changed how some things are written more than what they mean to a client: `type: [string,
//! "null"]` is 3.0's `nullable: true`, `const: x` a one-value `enum`, a numeric
//! `exclusiveMinimum: 5` is `minimum: 5` with `exclusiveMinimum: true`. This pass rewrites each
//! such form in place, before anything else reads the tree, so every schema stays where it was
//! (diagnostics keep their JSON pointers) and lowering has one form to handle. A 3.0 document
//! using the same forms (OpenAI's has `type: "null"` inside `anyOf`) gets the same rewrite, and a
//! warning per form naming its first place.

use crate::diagnostics::Diagnostic;
use crate::lower::is_identifier;
use crate::naming::camel;
use crate::pointer::Pointer;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};

/// The JSON Schema dialect OpenAPI 3.1 assumes when a document names none.
const DEFAULT_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// Nested schemas deeper than this are left as they are (lowering reports them as too deep).
const MAX_DEPTH: usize = 200;

/// Keywords beside a `$ref` that lowering already reads where the reference is used (a field's
/// docs, `nullable`, `readOnly`, `default`): such a `$ref` needs no rewriting.
const REF_ANNOTATIONS: &[&str] = &[
    "$ref",
    "description",
    "summary",
    "title",
    "nullable",
    "readOnly",
    "writeOnly",
    "default",
    "example",
    "deprecated",
    "$comment",
];

/// Keywords that say something about a value only when it has one particular type: when `type`
/// lists several, each alternative takes those of its own type.
const ANNOTATION_KEYS: &[&str] =
    &["description", "title", "nullable", "readOnly", "writeOnly", "default", "example", "deprecated", "$comment"];

/// Which OpenAPI version the document declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V30,
    V31,
}

/// A 3.1 form found in the document: where first, and how often.
struct Found {
    first: Pointer,
    count: usize,
}

/// Rewrites the 3.1 forms in `raw` and returns the warnings: the document-level ones (webhooks,
/// a JSON Schema dialect other than OpenAPI's), and, in a 3.0 document, one per 3.1 form used.
pub fn normalize(raw: &mut Value, version: Version, file: &str) -> Vec<Diagnostic> {
    let mut pass = Pass { version, found: BTreeMap::new() };
    let mut warnings = document_warnings(raw, version, file);
    if version == Version::V31 {
        if let Some(root) = raw.as_object_mut() {
            // 3.1 makes `paths` optional (a document of webhooks or components only).
            root.entry("paths").or_insert_with(|| Value::Object(Map::new()));
        }
    }
    if let Some(schemas) = raw.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        let at = Pointer::root().key("components").key("schemas");
        for (key, schema) in schemas.iter_mut() {
            pass.schema(schema, &at.key(key), 0);
        }
    }
    if let Some(root) = raw.as_object_mut() {
        for (key, value) in root.iter_mut().filter(|(k, _)| !matches!(k.as_str(), "webhooks" | "info")) {
            pass.container(value, &Pointer::root().key(key), 0);
        }
    }
    if version == Version::V30 {
        for (form, found) in &pass.found {
            let more = match found.count {
                1 => String::new(),
                n => format!(" (and {} more places)", n - 1),
            };
            let message =
                format!("an OpenAPI 3.1 form in an OpenAPI 3.0 document: {form}{more}; read as OpenAPI 3.1 reads it");
            warnings.push(Diagnostic::warning(file, found.first.to_string(), message));
        }
    }
    warnings
}

/// Webhooks (requests the API makes, which no client sends) and a non-default `jsonSchemaDialect`.
fn document_warnings(raw: &Value, version: Version, file: &str) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    if let Some(hooks) = raw.get("webhooks").and_then(Value::as_object).filter(|h| !h.is_empty()) {
        let names: Vec<&str> = hooks.keys().map(String::as_str).collect();
        warnings.push(Diagnostic::warning(
            file,
            "#/webhooks",
            format!(
                "webhooks ({}) are not generated: they describe requests the API sends, not ones a client makes",
                names.join(", ")
            ),
        ));
    }
    if let Some(dialect) = raw.get("jsonSchemaDialect") {
        if dialect.as_str() != Some(DEFAULT_DIALECT) || version == Version::V30 {
            warnings.push(Diagnostic::warning(
                file,
                "#/jsonSchemaDialect",
                format!("jsonSchemaDialect {dialect} is not OpenAPI 3.1's own ({DEFAULT_DIALECT}); schemas are read as that one"),
            ));
        }
    }
    warnings
}

struct Pass {
    version: Version,
    found: BTreeMap<&'static str, Found>,
}

impl Pass {
    fn note(&mut self, form: &'static str, at: &Pointer) {
        self.found.entry(form).or_insert_with(|| Found { first: at.clone(), count: 0 }).count += 1;
    }

    /// Any object outside a schema: every `schema` member in it is a schema (parameters, headers,
    /// media types). Examples and extensions hold data, not OpenAPI objects, and are skipped.
    fn container(&mut self, value: &mut Value, at: &Pointer, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    let child_at = at.key(key);
                    match key.as_str() {
                        "schema" => self.schema(child, &child_at, 0),
                        "schemas" if at.as_json_pointer() == "/components" => {}
                        "example" | "examples" | "default" => {}
                        k if k.starts_with("x-") => {}
                        _ => self.container(child, &child_at, depth + 1),
                    }
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter_mut().enumerate() {
                    self.container(child, &at.index(index), depth + 1);
                }
            }
            _ => {}
        }
    }

    /// One schema and, depth first, every schema inside it.
    fn schema(&mut self, value: &mut Value, at: &Pointer, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some(obj) = value.as_object_mut() else { return };
        if self.version == Version::V31 {
            wrap_ref_with_siblings(obj);
        }
        self.type_keyword(obj, at);
        self.scalar_keywords(obj, at);
        for_each_subschema(obj, at, &mut |child, child_at| self.schema(child, child_at, depth + 1));
        for key in ["oneOf", "anyOf"] {
            self.alternatives(obj, key, at);
        }
    }

    /// `type: "null"` and type lists: `"null"` becomes `nullable: true`; several other types an
    /// `anyOf` with one alternative per type.
    fn type_keyword(&mut self, obj: &mut Map<String, Value>, at: &Pointer) {
        let types: Vec<String> = match obj.get("type") {
            Some(Value::String(t)) if t == "null" => vec![t.clone()],
            Some(Value::Array(list)) => {
                self.note("`type` given as a list (3.0 allows one type)", at);
                list.iter().filter_map(Value::as_str).map(str::to_owned).collect()
            }
            _ => return,
        };
        let (nulls, others): (Vec<String>, Vec<String>) = types.into_iter().partition(|t| t == "null");
        if !nulls.is_empty() {
            self.note("`\"null\"` as a type (3.0 says `nullable: true`)", at);
            obj.insert("nullable".into(), Value::Bool(true));
        }
        match others.as_slice() {
            [] => {
                obj.remove("type");
            }
            [one] => {
                obj.insert("type".into(), Value::String(one.clone()));
            }
            several => {
                obj.remove("type");
                let common: Map<String, Value> = obj
                    .iter()
                    .filter(|(k, _)| !ANNOTATION_KEYS.contains(&k.as_str()) && !k.starts_with("x-"))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                obj.retain(|k, _| ANNOTATION_KEYS.contains(&k.as_str()) || k.starts_with("x-"));
                let alternatives = several
                    .iter()
                    .map(|t| {
                        let mut alt = common.clone();
                        alt.insert("type".into(), Value::String(t.clone()));
                        Value::Object(alt)
                    })
                    .collect();
                obj.insert("anyOf".into(), Value::Array(alternatives));
            }
        }
    }

    /// `const`, `examples` lists, numeric exclusive bounds, `contentEncoding`/`contentMediaType`.
    fn scalar_keywords(&mut self, obj: &mut Map<String, Value>, at: &Pointer) {
        if let Some(value) = obj.remove("const") {
            self.note("`const` (3.0 writes a one-value `enum`)", at);
            if value.is_null() {
                obj.insert("nullable".into(), Value::Bool(true));
            } else {
                obj.entry("enum").or_insert_with(|| Value::Array(vec![value]));
            }
        }
        if let Some(Value::Array(examples)) = obj.get("examples") {
            self.note("`examples` in a schema (3.0 has `example`)", at);
            if let Some(first) = examples.first().cloned() {
                obj.entry("example").or_insert(first);
            }
            obj.remove("examples");
        }
        for (exclusive, inclusive) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
            let Some(bound) = obj.get(exclusive).and_then(Value::as_f64) else { continue };
            self.note("a numeric `exclusiveMinimum`/`exclusiveMaximum` (3.0 makes it a flag)", at);
            let is_min = inclusive == "minimum";
            let stricter = match obj.get(inclusive).and_then(Value::as_f64) {
                None => true,
                Some(inner) => (is_min && bound >= inner) || (!is_min && bound <= inner),
            };
            let number = obj.get(exclusive).cloned().unwrap_or(Value::Null);
            if stricter {
                obj.insert(inclusive.into(), number);
            }
            obj.insert(exclusive.into(), Value::Bool(stricter));
        }
        self.content_keywords(obj, at);
        self.items_keywords(obj, at);
    }

    /// `prefixItems` (read by lowering as it is) and a boolean `items`: `items: false` (no items
    /// past the prefix, or none at all without one) means at most the prefix's items, which 3.0
    /// says with `maxItems`; `items: true` (anything may follow) is what no `items` means.
    fn items_keywords(&mut self, obj: &mut Map<String, Value>, at: &Pointer) {
        let prefix = obj.get("prefixItems").and_then(Value::as_array).map(Vec::len);
        if prefix.is_some() {
            self.note("`prefixItems` (tuples, which 3.0 cannot describe)", at);
        }
        let Some(&Value::Bool(more_allowed)) = obj.get("items") else { return };
        if prefix.is_none() {
            self.note("a boolean `items` (3.0 takes a schema)", at);
        }
        obj.remove("items");
        let most = prefix.unwrap_or(0) as u64;
        if !more_allowed && obj.get("maxItems").and_then(Value::as_u64).is_none_or(|max| max > most) {
            obj.insert("maxItems".into(), Value::from(most));
        }
    }

    /// A string's `contentEncoding`/`contentMediaType`: raw bytes (`binary`, or a media type with
    /// no encoding, as multipart file parts are written) are 3.0's `format: binary`; base64 text is
    /// `format: byte`.
    fn content_keywords(&mut self, obj: &mut Map<String, Value>, at: &Pointer) {
        let encoding = obj.get("contentEncoding").and_then(Value::as_str).map(str::to_ascii_lowercase);
        let media = obj.get("contentMediaType").and_then(Value::as_str).map(str::to_ascii_lowercase);
        if encoding.is_none() && media.is_none() {
            return;
        }
        self.note("`contentEncoding`/`contentMediaType` (3.0 writes `format: binary` or `byte`)", at);
        if obj.contains_key("format") || obj.get("type").and_then(Value::as_str) != Some("string") {
            return;
        }
        let textual_media =
            media.as_deref().is_some_and(|m| m.starts_with("text/") || m.contains("json") || m.contains("xml"));
        let format = match encoding.as_deref() {
            Some("base64" | "base64url") => "byte",
            Some("binary") => "binary",
            None if !textual_media => "binary",
            _ => return,
        };
        obj.insert("format".into(), Value::String(format.into()));
    }

    /// A `oneOf`/`anyOf`: `{type: "null"}` alternatives become `nullable` on the schema; what is
    /// left, if it is all `const`s, an `enum` (variant names and docs from the alternatives'
    /// titles and descriptions); if it is one alternative, an `allOf` of it.
    fn alternatives(&mut self, obj: &mut Map<String, Value>, key: &str, at: &Pointer) {
        let Some(Value::Array(list)) = obj.get_mut(key) else { return };
        let before = list.len();
        list.retain(|alt| !is_null_only(alt));
        let removed_null = list.len() < before;
        if removed_null {
            obj.insert("nullable".into(), Value::Bool(true));
        }
        let Some(Value::Array(list)) = obj.get(key) else { return };
        if let Some(values) = const_values(list) {
            self.note("`oneOf`/`anyOf` of `const`s (3.0 writes an `enum`)", at);
            let Some(Value::Array(list)) = obj.remove(key) else { return };
            let ty = if values.iter().all(Value::is_string) { "string" } else { "integer" };
            obj.entry("type").or_insert_with(|| Value::String(ty.into()));
            obj.insert("enum".into(), Value::Array(values));
            if let Some(names) = variant_names(&list) {
                obj.entry("x-enum-varnames").or_insert(names);
            }
            if let Some(docs) = variant_docs(&list) {
                obj.entry("x-enum-descriptions").or_insert(docs);
            }
            return;
        }
        match list.len() {
            0 if removed_null => {
                obj.remove(key);
            }
            1 if removed_null && !obj.contains_key("allOf") => {
                if let Some(list) = obj.remove(key) {
                    obj.insert("allOf".into(), list);
                }
            }
            _ => {}
        }
    }
}

/// In 3.1 a `$ref`'s siblings apply too (3.0 ignores them): when any says more than lowering
/// reads beside a reference (a constraint, a type), the reference becomes an `allOf` part so the
/// siblings are the wrapper's.
fn wrap_ref_with_siblings(obj: &mut Map<String, Value>) {
    if !obj.contains_key("$ref") || obj.keys().all(|k| REF_ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-")) {
        return;
    }
    let Some(reference) = obj.remove("$ref") else { return };
    let part = Value::Object(Map::from_iter([("$ref".to_owned(), reference)]));
    match obj.get_mut("allOf") {
        Some(Value::Array(parts)) => parts.insert(0, part),
        _ => {
            obj.insert("allOf".into(), Value::Array(vec![part]));
        }
    }
}

/// Calls `visit` on every schema directly inside `obj`.
fn for_each_subschema(obj: &mut Map<String, Value>, at: &Pointer, visit: &mut dyn FnMut(&mut Value, &Pointer)) {
    for (key, child) in obj.iter_mut() {
        let child_at = at.key(key);
        match key.as_str() {
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                if let Value::Object(members) = child {
                    for (name, schema) in members.iter_mut() {
                        visit(schema, &child_at.key(name));
                    }
                }
            }
            "allOf" | "oneOf" | "anyOf" | "prefixItems" => {
                if let Value::Array(parts) = child {
                    for (index, schema) in parts.iter_mut().enumerate() {
                        visit(schema, &child_at.index(index));
                    }
                }
            }
            "items"
            | "additionalProperties"
            | "not"
            | "contains"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "unevaluatedProperties"
            | "unevaluatedItems" => visit(child, &child_at),
            _ => {}
        }
    }
}

/// `{type: "null"}` (now `{nullable: true}`), with nothing but documentation beside it.
fn is_null_only(alt: &Value) -> bool {
    let Some(obj) = alt.as_object() else { return false };
    obj.get("nullable") == Some(&Value::Bool(true))
        && obj
            .keys()
            .all(|k| matches!(k.as_str(), "nullable" | "description" | "title" | "$comment") || k.starts_with("x-"))
}

/// The values of alternatives that are each one `const` (now a one-value `enum`) of the same kind
/// (all strings or all integers), or `None`.
fn const_values(list: &[Value]) -> Option<Vec<Value>> {
    let values: Vec<Value> = list
        .iter()
        .map(|alt| match alt.get("enum").and_then(Value::as_array).map(Vec::as_slice) {
            Some([one]) if one.is_string() || one.is_i64() => Some(one.clone()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let all_strings = values.iter().all(Value::is_string);
    let all_ints = values.iter().all(Value::is_i64);
    (!values.is_empty() && (all_strings || all_ints)).then_some(values)
}

/// `x-enum-varnames` from the alternatives' titles, when every one has a title lowering accepts
/// as a variant name ([`is_identifier`]) and no two make the same variant (else the values name
/// the variants).
fn variant_names(list: &[Value]) -> Option<Value> {
    let titles: Vec<&str> = list.iter().map(|alt| alt.get("title").and_then(Value::as_str)).collect::<Option<_>>()?;
    let mut seen = HashSet::new();
    let usable = titles.iter().all(|t| is_identifier(t) && seen.insert(camel(t)));
    usable.then(|| Value::Array(titles.iter().map(|t| Value::String((*t).to_owned())).collect()))
}

/// `x-enum-descriptions` from the alternatives' descriptions, when any has one.
fn variant_docs(list: &[Value]) -> Option<Value> {
    let docs: Vec<Value> = list.iter().map(|alt| alt.get("description").cloned().unwrap_or(Value::Null)).collect();
    docs.iter().any(Value::is_string).then_some(Value::Array(docs))
}
