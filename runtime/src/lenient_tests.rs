use super::*;
use serde_json::json;

#[derive(Debug, Deserialize, PartialEq)]
struct Volume {
    #[serde(default, deserialize_with = "deserialize")]
    size: Option<i64>,
    #[serde(default, deserialize_with = "deserialize")]
    actions: Option<Vec<String>>,
}

/// A field of each tolerant kind, as the generator emits them.
#[derive(Debug, Deserialize, PartialEq, Default)]
struct Everything {
    #[serde(default, deserialize_with = "deserialize")]
    small: Option<i32>,
    #[serde(default, deserialize_with = "deserialize")]
    ratio: Option<f64>,
    #[serde(default, deserialize_with = "deserialize")]
    text: Option<String>,
    #[serde(default, deserialize_with = "deserialize")]
    flag: Option<bool>,
    #[serde(default, deserialize_with = "deserialize")]
    nodes: Option<Vec<Node>>,
    #[serde(default, deserialize_with = "deserialize")]
    nested: Option<Option<Box<i64>>>,
    #[serde(default, deserialize_with = "deserialize")]
    any: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Node {
    id: String,
}

/// Decodes `text` both from JSON text (borrowed strings, visit_str) and from a `Value` (owned
/// strings, as inside untagged unions), and checks both agree.
fn decode<T: DeserializeOwned + PartialEq + fmt::Debug>(text: &str) -> Result<T, String> {
    let from_text = serde_json::from_str::<T>(text).map_err(|e| e.to_string());
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    let from_value = serde_json::from_value::<T>(value).map_err(|e| e.to_string());
    assert_eq!(from_text.is_ok(), from_value.is_ok(), "{text}: {from_text:?} vs {from_value:?}");
    if let (Ok(a), Ok(b)) = (&from_text, &from_value) {
        assert_eq!(a, b, "{text}");
    }
    from_text
}

#[test]
fn both_documented_and_observed_forms_decode() {
    let documented: Volume = decode(r#"{"size": 100, "actions": ["REBOOTING"]}"#).unwrap();
    let observed: Volume = decode(r#"{"size": "100", "actions": "REBOOTING"}"#).unwrap();
    assert_eq!(documented, observed);
    assert_eq!(observed, Volume { size: Some(100), actions: Some(vec!["REBOOTING".into()]) });
    assert_eq!(decode::<Volume>("{}").unwrap(), Volume { size: None, actions: None });
    assert_eq!(decode::<Volume>(r#"{"size": null, "actions": null}"#).unwrap(), Volume { size: None, actions: None });
}

#[test]
fn every_kind_reads_its_tolerated_forms() {
    let observed: Everything = decode(
        r#"{"small": " 7 ", "ratio": "1.5", "text": 12, "flag": "TRUE", "nodes": {"id": "n1"}, "nested": "3", "any": {"k": [1]}}"#,
    )
    .unwrap();
    let expected = Everything {
        small: Some(7),
        ratio: Some(1.5),
        text: Some("12".into()),
        flag: Some(true),
        nodes: Some(vec![Node { id: "n1".into() }]),
        nested: Some(Some(Box::new(3))),
        any: Some(json!({"k": [1]})),
    };
    assert_eq!(observed, expected);
    let documented: Everything = decode(
        r#"{"small": 7, "ratio": 1.5, "text": "12", "flag": true, "nodes": [{"id": "n1"}], "nested": 3, "any": {"k": [1]}}"#,
    )
    .unwrap();
    assert_eq!(documented, expected);
    let texts: Everything = decode(r#"{"text": 1e20, "ratio": 2, "flag": "false"}"#).unwrap();
    assert_eq!((texts.text.as_deref(), texts.ratio, texts.flag), (Some("1e+20"), Some(2.0), Some(false)));
    assert_eq!(decode::<Everything>(r#"{"text": true}"#).unwrap().text.as_deref(), Some("true"));
    assert_eq!(decode::<Everything>(r#"{"text": "a\"b"}"#).unwrap().text.as_deref(), Some("a\"b"));
    assert_eq!(decode::<Everything>(r#"{"nodes": []}"#).unwrap().nodes, Some(vec![]));
}

#[test]
fn garbage_is_still_an_error_that_says_what_it_found() {
    let err = decode::<Volume>(r#"{"size": "lots"}"#).unwrap_err();
    assert!(err.contains("\"lots\" is not an integer"), "{err}");
    let err = decode::<Everything>(r#"{"small": 5000000000}"#).unwrap_err();
    assert!(err.contains("5000000000 is out of range for i32"), "{err}");
    let err = decode::<Everything>(r#"{"small": "5000000000"}"#).unwrap_err();
    assert!(err.contains("\"5000000000\" is out of range for i32"), "{err}");
    let err = decode::<Volume>(r#"{"size": 1.5}"#).unwrap_err();
    assert!(err.contains("floating point `1.5`, expected an integer (i64) or a string holding one"), "{err}");
    let err = decode::<Volume>(r#"{"size": true}"#).unwrap_err();
    assert!(err.contains("boolean `true`, expected an integer"), "{err}");
    let err = decode::<Everything>(r#"{"flag": "yes"}"#).unwrap_err();
    assert!(err.contains("\"yes\", expected a boolean or a string"), "{err}");
    let err = decode::<Everything>(r#"{"ratio": "fast"}"#).unwrap_err();
    assert!(err.contains("\"fast\" is not a number"), "{err}");
    let err = decode::<Everything>(r#"{"text": [1]}"#).unwrap_err();
    assert!(err.contains("invalid type: sequence, expected a string, number or boolean"), "{err}");
    // The items of a list stay strict, whichever form the list came in.
    let err = decode::<Everything>(r#"{"nodes": {"name": "n1"}}"#).unwrap_err();
    assert!(err.contains("missing field `id`"), "{err}");
    let err = decode::<Everything>(r#"{"nodes": "n1"}"#).unwrap_err();
    assert!(err.contains("invalid type: string \"n1\", expected struct Node"), "{err}");
}

#[test]
fn json_errors_keep_their_position() {
    let err = serde_json::from_str::<Volume>("{\n  \"size\": \"lots\"\n}").unwrap_err();
    assert_eq!((err.line(), err.classify()), (2, serde_json::error::Category::Data), "{err}");
}

/// The shape of a generated string enum.
#[derive(Debug, PartialEq)]
enum State {
    Enabled,
    Unknown(String),
}

impl From<&str> for State {
    fn from(value: &str) -> Self {
        match value {
            "ENABLED" => Self::Enabled,
            other => Self::Unknown(other.to_owned()),
        }
    }
}

impl From<String> for State {
    fn from(value: String) -> Self {
        Self::from(value.as_str())
    }
}

impl<'de> Deserialize<'de> for State {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        open_string_enum(deserializer)
    }
}

#[test]
fn open_string_enums_keep_unknown_values_and_reject_other_types() {
    assert_eq!(decode::<State>(r#""ENABLED""#).unwrap(), State::Enabled);
    assert_eq!(decode::<State>(r#""PAUSED""#).unwrap(), State::Unknown("PAUSED".into()));
    assert_eq!(decode::<State>(r#""A\u0042""#).unwrap(), State::Unknown("AB".into()));
    let err = decode::<State>("3").unwrap_err();
    assert!(err.contains("invalid type: integer `3`, expected a string"), "{err}");
}
