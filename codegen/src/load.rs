//! Stage 1, load: spec text -> [`LoadedSpec`].
//!
//! YAML and JSON are both read into a `serde_json::Value` first (YAML mapping keys such as
//! unquoted status codes become strings), then into `openapiv3::OpenAPI`. Keeping the raw tree
//! lets later stages quote the document and lets a type error name its JSON pointer.

mod openapi31;
mod tree;

use crate::diagnostics::Diagnostic;
use crate::pointer::Pointer;
use crate::SpecSource;
use openapi31::Version;
use serde::de::DeserializeSeed;
use tree::{Reader, Syntax};

/// One parsed OpenAPI document.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The file name diagnostics use.
    pub file: String,
    /// The file stem (`huaweicloud-cdm` for `spec/huaweicloud-cdm.yaml`).
    pub stem: String,
    /// The document as JSON; every later stage reads this, with a JSON pointer in hand.
    pub raw: serde_json::Value,
    /// Whether the document has the structure OpenAPI 3.0 requires, as `openapiv3` reads it.
    /// When it does not, lowering still runs (its diagnostics name the exact place, where this
    /// one can only name the object that failed to parse) and this is the fallback report.
    pub structure: Result<(), Diagnostic>,
    /// What loading noticed but read anyway: OpenAPI 3.1 forms in a 3.0 document, webhooks, a
    /// JSON Schema dialect other than OpenAPI 3.1's.
    pub warnings: Vec<Diagnostic>,
}

/// Parses one document. A document that is not YAML/JSON, or not OpenAPI 3.0 or 3.1, is an error
/// naming the file and, where the parser knows it, the JSON pointer of the offending value.
///
/// A 3.1 document's schemas are rewritten into the 3.0 forms they mean (`openapi31`), so the rest
/// of the generator, and `openapiv3`'s structural check, read one dialect.
pub fn load(source: &SpecSource) -> Result<LoadedSpec, Diagnostic> {
    let file = source.file.clone();
    let mut raw = parse_tree(source)?;
    let version = check_version(&file, &raw)?;
    let warnings = openapi31::normalize(&mut raw, version, &file);
    let structure = check_structure(&file, &raw, version);
    Ok(LoadedSpec { stem: file_stem(&file), file, raw, structure, warnings })
}

/// Reads the tree as `openapiv3::OpenAPI`, keeping only whether that worked and where it failed.
/// A 3.1 document is checked in the 3.0 form `openapi31` rewrote it into.
fn check_structure(file: &str, raw: &serde_json::Value, version: Version) -> Result<(), Diagnostic> {
    let mut track = serde_path_to_error::Track::new();
    let de = serde_path_to_error::Deserializer::new(raw, &mut track);
    let parsed: Result<openapiv3::OpenAPI, serde_json::Error> = serde::Deserialize::deserialize(de);
    parsed.map(drop).map_err(|err| {
        let pointer = path_to_pointer(&track.path());
        let what = match version {
            Version::V30 => "OpenAPI 3.0",
            Version::V31 => "OpenAPI 3.1",
        };
        Diagnostic::error(file, pointer.to_string(), format!("not a valid {what} document here: {err}"))
    })
}

fn parse_tree(source: &SpecSource) -> Result<serde_json::Value, Diagnostic> {
    let text = source.text.trim_start_matches('\u{feff}');
    let is_json = text.trim_start().starts_with('{');
    let reader = Reader::new(if is_json { Syntax::Json } else { Syntax::Yaml });
    let (result, line, column) = if is_json {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let result = reader.root().deserialize(&mut deserializer).and_then(|value| {
            deserializer.end()?;
            Ok(value)
        });
        match result {
            Ok(value) => return Ok(value),
            Err(err) => (err.to_string(), err.line(), err.column()),
        }
    } else {
        match reader.root().deserialize(serde_yaml::Deserializer::from_str(text)) {
            Ok(value) => return Ok(value),
            Err(err) => {
                let (line, column) = err.location().map_or((0, 0), |l| (l.line(), l.column()));
                (err.to_string(), line, column)
            }
        }
    };
    let at = if line > 0 { format!(" at line {line}, column {column}") } else { String::new() };
    Err(match reader.take_problem() {
        Some(problem) => {
            Diagnostic::error(&source.file, problem.pointer.to_string(), format!("{}{at}", problem.message))
        }
        None => {
            let syntax = if is_json { "JSON" } else { "YAML" };
            Diagnostic::error(&source.file, "#", format!("invalid {syntax}{at}: {result}"))
        }
    })
}

fn check_version(file: &str, raw: &serde_json::Value) -> Result<Version, Diagnostic> {
    let Some(root) = raw.as_object() else {
        return Err(Diagnostic::error(file, "#", "the document is not an object"));
    };
    match root.get("openapi").and_then(|v| v.as_str()) {
        Some(v) if v.starts_with("3.0") => Ok(Version::V30),
        Some(v) if v.starts_with("3.1.") => Ok(Version::V31),
        Some(v) => Err(Diagnostic::error(
            file,
            "#/openapi",
            format!("OpenAPI version {v} is not supported: only 3.0.x and 3.1.x documents are"),
        )),
        None if root.contains_key("swagger") => Err(Diagnostic::error(
            file,
            "#/swagger",
            "Swagger 2.0 documents are not supported: convert the document to OpenAPI 3.0 first",
        )),
        None => Err(Diagnostic::error(file, "#", "missing required field `openapi`")),
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> Pointer {
    use serde_path_to_error::Segment;
    let mut pointer = Pointer::root();
    for segment in path.iter() {
        pointer = match segment {
            Segment::Seq { index } => pointer.index(*index),
            Segment::Map { key } => pointer.key(key),
            Segment::Enum { variant } => pointer.key(variant),
            Segment::Unknown => pointer,
        };
    }
    pointer
}

fn file_stem(file: &str) -> String {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    match name.rfind('.') {
        Some(dot) if dot > 0 => name[..dot].to_owned(),
        _ => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> SpecSource {
        SpecSource { file: "t.yaml".into(), text: text.into() }
    }

    #[test]
    fn yaml_integer_keys_become_strings() {
        let spec = load(&src(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n",
        ))
        .unwrap();
        assert!(spec.raw["paths"]["/a"]["get"]["responses"].get("200").is_some());
        assert_eq!(spec.stem, "t");
    }

    #[test]
    fn swagger_2_is_rejected_with_pointer() {
        let err = load(&src("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n")).unwrap_err();
        assert_eq!(err.pointer, "#/swagger");
    }

    #[test]
    fn structure_errors_are_kept_with_a_pointer() {
        let spec = load(&src(
            "openapi: 3.0.3\ninfo: {title: t, version: 1.0.0}\npaths:\n  /a:\n    get:\n      responses: 7\n",
        ))
        .unwrap();
        let err = spec.structure.unwrap_err();
        assert!(err.pointer.starts_with("#/paths"), "{}", err.pointer);
    }

    #[test]
    fn huge_yaml_integers_are_read() {
        let spec =
            load(&src("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-big: 18446744073709552000\n"))
                .unwrap();
        assert_eq!(spec.raw["x-big"].as_f64(), Some(18446744073709552000.0));
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn a_duplicate_yaml_key_is_an_error_with_pointer_and_line() {
        let text = format!("{HEAD}paths:\n  /x:\n    get:\n      responses: {{}}\n  /y: {{}}\n  /x:\n    put: {{}}\n");
        let err = load(&src(&text)).unwrap_err();
        assert_eq!(err.pointer, "#/paths");
        assert!(err.message.contains("\"/x\" appears twice") && err.message.contains("line 8"), "{}", err.message);
    }

    #[test]
    fn a_duplicate_json_key_is_an_error_with_pointer_and_line() {
        let text = "{\"openapi\": \"3.0.3\",\n \"info\": {\"title\": \"t\",\n  \"version\": \"1\",\n  \"title\": \"u\"},\n \"paths\": {}}";
        let err = load(&SpecSource { file: "t.json".into(), text: text.into() }).unwrap_err();
        assert_eq!(err.pointer, "#/info");
        assert!(err.message.contains("\"title\" appears twice") && err.message.contains("line 4"), "{}", err.message);
    }

    #[test]
    fn equal_keys_in_different_mappings_are_fine() {
        let text = format!("{HEAD}paths: {{}}\nx-a: {{k: 1}}\nx-b: {{k: 2}}\n");
        assert_eq!(load(&src(&text)).unwrap().raw["x-b"]["k"], 2);
    }

    #[test]
    fn yaml_merge_keys_are_applied_as_yaml_1_1_says() {
        let text = format!(
            "{HEAD}paths: {{}}\nx-base: &base {{type: object, description: base, nullable: true}}\nx-other: &other {{description: other, title: o}}\nx-one: {{<<: *base, description: mine}}\nx-list: {{<<: [*other, *base]}}\n"
        );
        let raw = load(&src(&text)).unwrap().raw;
        assert_eq!(raw["x-one"], serde_json::json!({"type": "object", "description": "mine", "nullable": true}));
        assert_eq!(
            raw["x-list"],
            serde_json::json!({"description": "other", "title": "o", "type": "object", "nullable": true})
        );
    }

    #[test]
    fn a_merge_key_without_a_mapping_is_refused() {
        let err = load(&src(&format!("{HEAD}paths: {{}}\nx-a: {{<<: 3}}\n"))).unwrap_err();
        assert_eq!(err.pointer, "#/x-a/<<");
        assert!(err.message.contains("merge key"), "{}", err.message);
    }

    #[test]
    fn a_merge_key_in_json_is_an_ordinary_key() {
        let text = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "x-a": {"<<": 3}}"#;
        let raw = load(&SpecSource { file: "t.json".into(), text: text.into() }).unwrap().raw;
        assert_eq!(raw["x-a"]["<<"], 3);
    }

    #[test]
    fn invalid_yaml_is_a_diagnostic() {
        let err = load(&src("openapi: [3.0\n")).unwrap_err();
        assert!(err.message.contains("invalid YAML"), "{}", err.message);
    }
}
