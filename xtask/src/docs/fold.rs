//! For the API reference only: folds the `x-` extensions no renderer reads into the descriptions
//! Redoc shows. The error catalogue (`x-error-codes`, on an operation or the whole document) becomes
//! a Markdown table; every `x-contradiction` note is added to the description of the object that
//! carries it and listed in a "Contradictions" section. The specs themselves stay as they are.

use serde_json::{Map, Value};

/// The first words of the "Contradictions" section, which the Chromium check looks for.
pub const CONTRADICTIONS_INTRO: &str = "Where the source documents contradict themselves or the official SDK";

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// What the rendered page must show, collected while folding.
#[derive(Debug, Default)]
pub struct Expected {
    /// `(operation id, summary)` of every operation.
    pub summaries: Vec<(String, String)>,
    /// `(operation id, one code of its catalogue)` for every operation that has a catalogue.
    pub error_codes: Vec<(String, String)>,
    /// How many `x-contradiction` notes the "Contradictions" section lists.
    pub contradictions: usize,
}

/// Folds the extensions of `doc` (an OpenAPI document) into its descriptions.
pub fn fold(doc: &mut Value) -> Expected {
    let mut expected = Expected::default();
    let document_catalogue = doc.get("x-error-codes").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut contradictions = Vec::new();
    fold_contradictions(doc, &mut contradictions);
    expected.contradictions = contradictions.len();
    let mut sections = String::new();
    if !document_catalogue.is_empty() {
        sections.push_str("\n\n## Error codes\n\nThe error codes every operation of this API can return.\n\n");
        sections.push_str(&catalogue_table(&document_catalogue));
    }
    if !contradictions.is_empty() {
        sections.push_str(&format!("\n\n## Contradictions\n\n{CONTRADICTIONS_INTRO}, and what this spec follows.\n\n"));
        sections.push_str(&contradictions.join("\n"));
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            for method in METHODS {
                if let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) {
                    fold_operation(operation, !document_catalogue.is_empty(), &mut expected);
                }
            }
        }
    }
    for (id, _) in &expected.summaries {
        if !expected.error_codes.iter().any(|(with_codes, _)| with_codes == id) {
            if let Some(code) = document_catalogue.first().and_then(|row| text(row, "code")) {
                expected.error_codes.push((id.clone(), code));
            }
        }
    }
    if !sections.is_empty() {
        if let Some(info) = doc.get_mut("info").and_then(Value::as_object_mut) {
            append(info, &sections);
        }
    }
    expected
}

/// One operation: its own catalogue as a table in its description, else a pointer to the
/// document's catalogue.
fn fold_operation(operation: &mut Map<String, Value>, document_catalogue: bool, expected: &mut Expected) {
    let id = operation.get("operationId").and_then(Value::as_str).unwrap_or_default().to_string();
    let summary = operation.get("summary").and_then(Value::as_str).unwrap_or(&id).to_string();
    expected.summaries.push((id.clone(), summary));
    let own = operation.get("x-error-codes").and_then(Value::as_array).cloned().unwrap_or_default();
    if let Some(code) = own.first().and_then(|row| text(row, "code")) {
        expected.error_codes.push((id, code));
        append(operation, &format!("\n\n**Error codes**\n\n{}", catalogue_table(&own)));
    } else if document_catalogue {
        append(operation, "\n\n**Error codes**: see [Error codes](#section/Error-codes).");
    }
}

/// The catalogue as a Markdown table (Code, Status, Message, Description, and Remedy when any row
/// has one).
fn catalogue_table(rows: &[Value]) -> String {
    let with_remedy = rows.iter().any(|row| row.get("remedy").is_some());
    let mut table = String::from("| Code | Status | Message | Description |");
    table.push_str(if with_remedy { " Remedy |\n" } else { "\n" });
    table.push_str("| --- | --- | --- | --- |");
    table.push_str(if with_remedy { " --- |\n" } else { "\n" });
    for row in rows {
        let mut cells: Vec<String> = ["code", "status", "message", "description"]
            .iter()
            .map(|field| cell(&text(row, field).unwrap_or_default()))
            .collect();
        if with_remedy {
            cells.push(cell(&text(row, "remedy").unwrap_or_default()));
        }
        table.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    table
}

/// Adds each `x-contradiction` under `node` to its holder's description and to `notes`.
fn fold_contradictions(node: &mut Value, notes: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            let found: Vec<Value> = match map.get("x-contradiction") {
                Some(Value::Array(list)) => list.clone(),
                Some(one @ Value::Object(_)) => vec![one.clone()],
                _ => Vec::new(),
            };
            for contradiction in &found {
                let note = contradiction_text(contradiction);
                append(map, &format!("\n\n**{}**: {note}", contradiction_label(contradiction)));
                let location = text(contradiction, "location").unwrap_or_else(|| "(no location given)".into());
                notes.push(format!("- **{}**: {note}", single_line(&location)));
            }
            for (key, child) in map.iter_mut() {
                // Examples and extensions are data, not places a reader looks for descriptions.
                let data = key.starts_with("x-") || matches!(key.as_str(), "example" | "examples" | "default" | "enum");
                if !data {
                    fold_contradictions(child, notes);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| fold_contradictions(item, notes)),
        _ => {}
    }
}

/// A contradiction's note, with the document's own example when it names one.
/// Who disagrees, as the generated rustdoc says it: the document with itself, or the official SDK
/// (the record's `package`) with the document.
fn contradiction_label(contradiction: &Value) -> String {
    match text(contradiction, "package") {
        Some(package) => format!("Disagreement with the official SDK ({})", single_line(&package)),
        None => "Contradiction in the source document".to_owned(),
    }
}

fn contradiction_text(contradiction: &Value) -> String {
    let note = single_line(&text(contradiction, "note").unwrap_or_default());
    match contradiction.get("example") {
        Some(example) => {
            let shown = match example {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!("{note} The document's example: `{}`.", single_line(&shown).replace('`', "'"))
        }
        None => note,
    }
}

/// Appends Markdown to an object's `description` (creating it).
fn append(holder: &mut Map<String, Value>, markdown: &str) {
    let existing = holder.get("description").and_then(Value::as_str).unwrap_or_default();
    let joined = format!("{existing}{markdown}");
    holder.insert("description".into(), Value::String(joined.trim_start().to_string()));
}

/// A field of a catalogue row or contradiction as text (numbers too).
fn text(value: &Value, field: &str) -> Option<String> {
    match value.get(field)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn single_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A Markdown table cell: one line, `|` escaped.
fn cell(text: &str) -> String {
    single_line(text).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "info": {"title": "T", "description": "About."},
            "x-error-codes": [{"code": "E.1", "status": 400, "message": "bad | worse", "description": "d"}],
            "paths": {"/a": {
                "get": {"operationId": "GetA", "summary": "Get an a"},
                "post": {"operationId": "PostA", "x-error-codes": [
                    {"code": "P.9", "status": 409, "message": "m", "description": "d", "remedy": "r"}
                ]},
            }},
            "components": {"schemas": {"A": {"properties": {"size": {
                "type": "integer",
                "x-contradiction": {"location": "example", "note": "a\n string", "example": "12GB"},
                "example": {"x-contradiction": {"note": "data, not folded"}}
            }}}}}
        })
    }

    #[test]
    fn catalogues_become_tables_and_expectations() {
        let mut doc = doc();
        let expected = fold(&mut doc);
        let info = doc["info"]["description"].as_str().unwrap();
        assert!(info.starts_with("About.\n\n## Error codes"), "{info}");
        assert!(info.contains("| E.1 | 400 | bad \\| worse | d |"), "{info}");
        let post = doc["paths"]["/a"]["post"]["description"].as_str().unwrap();
        assert!(post.contains("| Code | Status | Message | Description | Remedy |"), "{post}");
        assert!(post.contains("| P.9 | 409 | m | d | r |"), "{post}");
        let get = doc["paths"]["/a"]["get"]["description"].as_str().unwrap();
        assert!(get.contains("#section/Error-codes"), "{get}");
        assert_eq!(
            expected.summaries,
            [("GetA".to_string(), "Get an a".to_string()), ("PostA".to_string(), "PostA".to_string())]
        );
        assert!(expected.error_codes.contains(&("GetA".to_string(), "E.1".to_string())));
        assert!(expected.error_codes.contains(&("PostA".to_string(), "P.9".to_string())));
    }

    #[test]
    fn contradictions_reach_the_holder_and_the_summary_but_not_examples() {
        let mut doc = doc();
        fold(&mut doc);
        let size = &doc["components"]["schemas"]["A"]["properties"]["size"];
        let description = size["description"].as_str().unwrap();
        assert_eq!(description, "**Contradiction in the source document**: a string The document's example: `12GB`.");
        assert!(size["example"].get("description").is_none());
        let info = doc["info"]["description"].as_str().unwrap();
        assert!(info.contains("## Contradictions"), "{info}");
        assert!(info.contains("- **example**: a string"), "{info}");
        assert_eq!(fold(&mut json!({"info": {}})).contradictions, 0);
        assert_eq!(fold(&mut self::doc()).contradictions, 1);
    }

    #[test]
    fn an_sdk_disagreement_is_labelled_as_one() {
        let mut doc = json!({"components": {"schemas": {"A": {"properties": {"name": {
            "type": "string",
            "x-contradiction": {"package": "sdk 1.0", "location": "official SDK sdk 1.0, A.name", "note": "required there"}
        }}}}}});
        fold(&mut doc);
        let description = doc["components"]["schemas"]["A"]["properties"]["name"]["description"].as_str().unwrap();
        assert_eq!(description, "**Disagreement with the official SDK (sdk 1.0)**: required there");
    }
}
