//! A flat view of one schema object, read from the raw JSON tree.
//!
//! `openapiv3` splits schemas into typed variants plus a catch-all, and drops what it cannot
//! type (an integer `maximum` beyond `i64`, `$ref` siblings). Lowering reads the raw tree through
//! this view instead, so every schema, however it is written, is seen the same way.

use serde_json::{Map, Value};

/// Borrowed view of a schema object.
#[derive(Debug, Clone, Copy)]
pub struct SchemaView<'a> {
    pub obj: &'a Map<String, Value>,
}

impl<'a> SchemaView<'a> {
    pub fn new(value: &'a Value) -> Option<Self> {
        value.as_object().map(|obj| Self { obj })
    }

    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.obj.get(key)
    }

    pub fn str(&self, key: &str) -> Option<&'a str> {
        self.obj.get(key).and_then(Value::as_str)
    }

    pub fn bool(&self, key: &str) -> bool {
        self.obj.get(key).and_then(Value::as_bool).unwrap_or(false)
    }

    pub fn u64(&self, key: &str) -> Option<u64> {
        self.obj.get(key).and_then(|v| v.as_u64().or_else(|| v.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)))
    }

    pub fn f64(&self, key: &str) -> Option<f64> {
        self.obj.get(key).and_then(Value::as_f64)
    }

    pub fn reference(&self) -> Option<&'a str> {
        self.str("$ref")
    }

    /// The declared type (`type`), if a string.
    pub fn ty(&self) -> Option<&'a str> {
        self.str("type")
    }

    pub fn format(&self) -> Option<&'a str> {
        self.str("format")
    }

    pub fn properties(&self) -> Option<&'a Map<String, Value>> {
        self.obj.get("properties").and_then(Value::as_object)
    }

    pub fn required(&self) -> Vec<&'a str> {
        self.obj
            .get("required")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    pub fn list(&self, key: &str) -> Option<&'a Vec<Value>> {
        self.obj.get(key).and_then(Value::as_array)
    }

    pub fn enum_values(&self) -> Option<&'a Vec<Value>> {
        self.list("enum").filter(|v| !v.is_empty())
    }

    pub fn description(&self) -> Option<String> {
        self.str("description").map(str::to_owned).filter(|s| !s.trim().is_empty())
    }

    pub fn title(&self) -> Option<String> {
        self.str("title").map(str::to_owned).filter(|s| !s.trim().is_empty())
    }

    pub fn nullable(&self) -> bool {
        self.bool("nullable")
    }

    /// True when the schema describes an object with named properties or an explicit object type.
    pub fn is_object_like(&self) -> bool {
        self.ty() == Some("object")
            || (self.ty().is_none() && (self.properties().is_some() || self.get("additionalProperties").is_some()))
    }

    /// `x-source` rendered as one line.
    pub fn source_note(&self) -> Option<String> {
        source_note(self.obj.get("x-source")?)
    }

    /// `x-source.name`, the provider's own name for the schema, when it is an identifier (it
    /// becomes a rustdoc search alias, so nothing else is accepted).
    pub fn source_name(&self) -> Option<String> {
        let name = self.obj.get("x-source")?.get("name")?.as_str()?;
        super::is_identifier(name).then(|| name.to_owned())
    }
}

/// The longest source line the rustdoc shows; the spec keeps the rest.
const SOURCE_LINE_CHARS: usize = 100;

/// Renders an `x-source` value (`{document | package, section, note}` or a string) as one short
/// line: where the fact came from, not the note explaining it.
pub fn source_note(value: &Value) -> Option<String> {
    let line = match value {
        Value::String(s) => s.clone(),
        Value::Object(map) => ["document", "package", "section"]
            .iter()
            .filter_map(|k| map.get(*k).and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(", "),
        _ => return None,
    };
    let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(SOURCE_LINE_CHARS) {
        _ if line.is_empty() => None,
        // Cut at the last word boundary before the limit (or at the limit in one long word).
        Some((cut, _)) => {
            let head = &line[..cut];
            let head = head.rfind(' ').map_or(head, |space| &head[..space]);
            Some(format!("{}...", head.trim_end_matches([',', ';', ' '])))
        }
        None => Some(line),
    }
}

#[cfg(test)]
mod tests {
    use super::{source_note, SchemaView};
    use serde_json::json;

    #[test]
    fn only_an_identifier_becomes_a_search_alias() {
        let name = |name: &str| {
            let schema = json!({"type": "object", "x-source": {"document": "a.md", "name": name}});
            SchemaView::new(&schema).and_then(|view| view.source_name())
        };
        assert_eq!(name("CdmCreateClusterRepsonse").as_deref(), Some("CdmCreateClusterRepsonse"));
        assert_eq!(name("Two words"), None);
        assert_eq!(name("a\")]#[path = \"x"), None);
        let plain = json!({"type": "object", "x-source": "a.md"});
        assert_eq!(SchemaView::new(&plain).and_then(|view| view.source_name()), None);
    }

    #[test]
    fn a_source_is_one_short_line_without_its_note() {
        let source = json!({"document": "a.md", "section": "Table 3\n(name)", "note": "long story"});
        assert_eq!(source_note(&source).as_deref(), Some("a.md, Table 3 (name)"));
        let sdk = json!({"package": "sdk 1.0", "section": "Model.field"});
        assert_eq!(source_note(&sdk).as_deref(), Some("sdk 1.0, Model.field"));
        let long = source_note(&json!("x".repeat(300))).unwrap();
        assert_eq!(long.chars().count(), 103);
        let words = source_note(&json!("word, ".repeat(40))).unwrap();
        assert!(words.ends_with("word...") && words.len() < 103, "{words}");
        assert_eq!(source_note(&json!({"note": "only a note"})), None);
    }
}
