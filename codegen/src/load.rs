//! Stage 1, load: spec text -> [`LoadedSpec`].
//!
//! YAML and JSON are both read into a `serde_json::Value` first (YAML mapping keys such as
//! unquoted status codes become strings), then into `openapiv3::OpenAPI`. Keeping the raw tree
//! lets later stages quote the document and lets a type error name its JSON pointer.

use crate::diagnostics::Diagnostic;
use crate::pointer::Pointer;
use crate::SpecSource;

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
}

/// Parses one document. A document that is not YAML/JSON, or not OpenAPI 3.0, is an error
/// naming the file and, where the parser knows it, the JSON pointer of the offending value.
pub fn load(source: &SpecSource) -> Result<LoadedSpec, Diagnostic> {
    let file = source.file.clone();
    let raw = parse_tree(source)?;
    check_version(&file, &raw)?;
    let structure = check_structure(&file, &raw);
    Ok(LoadedSpec { stem: file_stem(&file), file, raw, structure })
}

/// Reads the tree as `openapiv3::OpenAPI`, keeping only whether that worked and where it failed.
fn check_structure(file: &str, raw: &serde_json::Value) -> Result<(), Diagnostic> {
    let mut track = serde_path_to_error::Track::new();
    let de = serde_path_to_error::Deserializer::new(raw, &mut track);
    let parsed: Result<openapiv3::OpenAPI, serde_json::Error> = serde::Deserialize::deserialize(de);
    parsed.map(drop).map_err(|err| {
        let pointer = path_to_pointer(&track.path());
        Diagnostic::error(file, pointer.to_string(), format!("not a valid OpenAPI 3.0 document here: {err}"))
    })
}

fn parse_tree(source: &SpecSource) -> Result<serde_json::Value, Diagnostic> {
    let text = source.text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|err| {
            Diagnostic::error(
                &source.file,
                "#",
                format!("invalid JSON at line {}, column {}: {err}", err.line(), err.column()),
            )
        });
    }
    let tree: Tree = serde_yaml::from_str(text).map_err(|err| {
        let at = err.location().map(|l| format!(" at line {}, column {}", l.line(), l.column())).unwrap_or_default();
        Diagnostic::error(&source.file, "#", format!("invalid YAML{at}: {err}"))
    })?;
    Ok(tree.0)
}

/// A JSON tree read from YAML. Unlike `serde_json::Value` it accepts what YAML can say and JSON
/// cannot quite: integers beyond 64 bits (kept as the nearest float, as a JSON parser would) and
/// non-string mapping keys (turned into their text, so `200:` is `"200"`).
struct Tree(serde_json::Value);

impl<'de> serde::Deserialize<'de> for Tree {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor).map(Tree)
    }
}

struct TreeVisitor;

impl<'de> serde::de::Visitor<'de> for TreeVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Self::Value, E> {
        self.visit_f64(v as f64)
    }

    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Self::Value, E> {
        self.visit_f64(v as f64)
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        serde_json::Number::from_f64(v)
            .map(serde_json::Value::Number)
            .ok_or_else(|| E::custom(format!("the number {v} cannot be represented in JSON")))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(TreeVisitor)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Tree(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error;
        let mut out = serde_json::Map::new();
        while let Some(Tree(key)) = map.next_key()? {
            let key = match key {
                serde_json::Value::String(s) => s,
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                serde_json::Value::Null => "null".to_owned(),
                other => {
                    return Err(A::Error::custom(format!("mapping key {other} is not a string, number or boolean")))
                }
            };
            let Tree(value) = map.next_value()?;
            out.insert(key, value);
        }
        Ok(serde_json::Value::Object(out))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        // A YAML tag (`!foo value`): keep the value, drop the tag.
        use serde::de::VariantAccess;
        let (_, variant) = data.variant::<serde::de::IgnoredAny>()?;
        variant.newtype_variant::<Tree>().map(|t| t.0)
    }
}

fn check_version(file: &str, raw: &serde_json::Value) -> Result<(), Diagnostic> {
    let Some(root) = raw.as_object() else {
        return Err(Diagnostic::error(file, "#", "the document is not an object"));
    };
    match root.get("openapi").and_then(|v| v.as_str()) {
        Some(v) if v.starts_with("3.0") => Ok(()),
        Some(v) => Err(Diagnostic::error(
            file,
            "#/openapi",
            format!("OpenAPI version {v} is not supported: only 3.0.x documents are"),
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

    #[test]
    fn invalid_yaml_is_a_diagnostic() {
        let err = load(&src("openapi: [3.0\n")).unwrap_err();
        assert!(err.message.contains("invalid YAML"), "{}", err.message);
    }
}
