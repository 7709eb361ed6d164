//! One language for readers (spec/README.md, "Transcription rules"): no text that a reader or the
//! generated rustdoc shows may hold CJK characters, the scraped documents' "•" bullets, or links to
//! their other pages. The document's Chinese originals live in
//! `x-original-*` keys, examples stay verbatim, and `x-source` notes may quote the document; all of
//! those are skipped. Checked by `cargo xtask lint-spec` and by this module's test over spec/*.yaml.

use serde_json::Value;

/// Keys whose string value readers see: in the API reference, the generated rustdoc, or both.
/// (An error code's `message` is the wire's text, data rather than prose, so it is not here.)
const SHOWN_TEXT: &[&str] = &["summary", "description", "remedy", "title"];

/// Keys under which the spec keeps data rather than prose: examples, defaults, enum values.
const DATA: &[&str] = &["value", "example", "examples", "x-document-example", "default", "enum"];

/// Every place in `doc` where shown text holds CJK characters, as `<JSON pointer>: <text>` lines.
pub fn problems(doc: &Value) -> Vec<String> {
    let mut found = Vec::new();
    walk(doc, "", &mut found);
    found
}

fn walk(node: &Value, pointer: &str, found: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                let here = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                if key.starts_with("x-original") {
                    continue;
                }
                if key == "examples" {
                    // Example Objects: their summary and description are shown, their values are data.
                    if let Value::Object(examples) = value {
                        for (name, example) in examples {
                            check_fields(example, &format!("{here}/{name}"), &["summary", "description"], found);
                        }
                    }
                    continue;
                }
                if DATA.contains(&key.as_str()) {
                    continue;
                }
                match key.as_str() {
                    "tags" => check_tags(value, &here, found),
                    // The rustdoc shows the note; the API reference shows note and location.
                    "x-contradiction" => check_fields(value, &here, &["note", "location"], found),
                    // The rustdoc shows one line: the document or package and the section.
                    "x-source" | "x-error-codes-source" => check_fields(value, &here, &["section"], found),
                    "x-enum-descriptions" => check_list(value, &here, found),
                    _ if SHOWN_TEXT.contains(&key.as_str()) => check_text(value, &here, found),
                    _ => {}
                }
                walk(value, &here, found);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                walk(item, &format!("{pointer}/{index}"), found);
            }
        }
        _ => {}
    }
}

fn check_fields(node: &Value, pointer: &str, keys: &[&str], found: &mut Vec<String>) {
    for key in keys {
        if let Some(value) = node.get(key) {
            check_text(value, &format!("{pointer}/{key}"), found);
        }
    }
}

fn check_list(node: &Value, pointer: &str, found: &mut Vec<String>) {
    if let Value::Array(items) = node {
        for (index, item) in items.iter().enumerate() {
            check_text(item, &format!("{pointer}/{index}"), found);
        }
    }
}

/// The root's and operations' `tags`: names must be ASCII (client generators make class and file
/// names of them), the originals go to `x-original-name`.
fn check_tags(node: &Value, pointer: &str, found: &mut Vec<String>) {
    let Value::Array(tags) = node else { return };
    for (index, tag) in tags.iter().enumerate() {
        let name = tag.as_str().or_else(|| tag.get("name").and_then(Value::as_str));
        if let Some(name) = name.filter(|n| !n.is_ascii()) {
            found.push(format!("{pointer}/{index}: tag name {name:?} is not ASCII (keep it in x-original-name)"));
        }
    }
}

fn check_text(node: &Value, pointer: &str, found: &mut Vec<String>) {
    let Some(text) = node.as_str() else { return };
    let shown: String = text.chars().take(80).collect();
    if text.chars().any(is_cjk) {
        found.push(format!("{pointer}: {shown:?}"));
    }
    // Left-overs of the scraped documents: their "•" bullets (lists are `- item` lines here) and
    // links to pages that are not part of the spec (`[错误码](错误码.md)`).
    if text.contains('•') {
        found.push(format!("{pointer}: stray bullet \"•\" (write a Markdown list): {shown:?}"));
    }
    if text.contains(".md)") {
        found.push(format!("{pointer}: link to a page outside the spec: {shown:?}"));
    }
}

/// CJK ideographs, kana, CJK punctuation and full-width forms (the `，：（）` of Chinese text).
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{30ff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{ff00}'..='\u{ffef}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::read_spec;
    use crate::paths::{root, spec_files};
    use serde_json::json;

    #[test]
    fn every_spec_file_is_english_where_readers_look() {
        let specs = spec_files(&root().join("spec")).unwrap();
        assert_eq!(specs.len(), 4, "the four service specs: {specs:?}");
        for spec in specs {
            let found = problems(&read_spec(&spec).unwrap().raw);
            assert!(found.is_empty(), "{}: CJK text where readers look:\n{}", spec.display(), found.join("\n"));
        }
    }

    #[test]
    fn shown_text_with_chinese_is_reported_and_originals_examples_and_notes_are_not() {
        let doc = json!({
            "tags": [{"name": "事件管理"}, {"name": "Events", "x-original-name": "事件管理"}],
            "paths": {"/a": {"post": {
                "summary": "创建事件",
                "x-original-summary": "创建事件",
                "description": "Creates an event.",
                "x-original-description": "创建事件。",
                "x-source": {"document": "d.zh.md", "section": "表 3", "note": "quotes 表 3 verbatim"},
                "requestBody": {"content": {"application/json": {
                    "example": {"name": "名称"},
                    "examples": {"one": {"summary": "请求示例", "value": {"description": "描述"}}}
                }}}
            }}},
            "components": {"schemas": {"S": {"properties": {"p": {
                "type": "string",
                "enum": ["启用"],
                "x-enum-descriptions": ["Enabled", "禁用"],
                "x-contradiction": {"example": "值", "location": "响应示例", "note": "English note"}
            }}}}}
        });
        let found = problems(&doc);
        let mut pointers: Vec<&str> = found.iter().map(|f| f.split(": ").next().unwrap()).collect();
        pointers.sort_unstable();
        assert_eq!(
            pointers,
            [
                "/components/schemas/S/properties/p/x-contradiction/location",
                "/components/schemas/S/properties/p/x-enum-descriptions/1",
                "/paths/~1a/post/requestBody/content/application~1json/examples/one/summary",
                "/paths/~1a/post/summary",
                "/paths/~1a/post/x-source/section",
                "/tags/0",
            ]
        );
    }

    #[test]
    fn stray_bullets_and_links_to_other_pages_are_reported() {
        let doc = json!({"components": {"schemas": {"S": {
            "description": "Cluster information; see •datastore. Error codes: [Error codes](error-codes.md).",
            "x-original-description": "请参见•datastore参数说明 [错误码](错误码.md)"
        }}}});
        let found = problems(&doc);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("stray bullet") && found[1].contains("outside the spec"), "{found:?}");
    }

    #[test]
    fn full_width_punctuation_counts_and_latin_accents_do_not() {
        assert!(is_cjk('，') && is_cjk('（') && is_cjk('表') && is_cjk('の'));
        assert!(!is_cjk('é') && !is_cjk('•') && !is_cjk('≥'));
    }
}
