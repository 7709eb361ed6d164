//! Checks that generated example tests run: a spec example must decode into its type and encode
//! back to itself, except where the spec records a contradiction, where the tolerant decoding
//! must have produced the documented form.

use crate::validation::Validate;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// A request example: decodes, passes validation (unless it contradicts its schema), and encodes
/// back to the same JSON. Panics with a readable message otherwise (for use in tests).
pub fn check_request_example<T: DeserializeOwned + Serialize + Validate>(example: &str, contradictions: &[&str]) {
    let (original, decoded) = decode::<T>(example);
    if contradictions.is_empty() {
        if let Err(e) = decoded.validate() {
            panic!("the example breaks its own schema's constraints: {e}");
        }
    }
    round_trip(&original, &decoded, contradictions);
}

/// A response example: decodes into its type and encodes back to the same JSON.
pub fn check_response_example<T: DeserializeOwned + Serialize>(example: &str, contradictions: &[&str]) {
    let (original, decoded) = decode::<T>(example);
    round_trip(&original, &decoded, contradictions);
}

fn decode<T: DeserializeOwned>(example: &str) -> (Value, T) {
    let original: Value = serde_json::from_str(example).unwrap_or_else(|e| panic!("the example is not JSON: {e}"));
    let decoded = serde_json::from_value::<T>(original.clone())
        .unwrap_or_else(|e| panic!("the example does not decode into {}: {e}", std::any::type_name::<T>()));
    (original, decoded)
}

fn round_trip<T: Serialize>(original: &Value, decoded: &T, contradictions: &[&str]) {
    let encoded = serde_json::to_value(decoded).unwrap_or_else(|e| panic!("the decoded example does not encode: {e}"));
    let mut problems = Vec::new();
    compare(original, &encoded, "", contradictions, &mut problems);
    assert!(problems.is_empty(), "the example does not survive decoding and encoding:\n{}", problems.join("\n"));
}

/// Compares `expected` (the example) with `actual` (decoded and re-encoded). Absent and `null`
/// are the same; at a contradiction the actual value must be the documented form of the example's.
fn compare(expected: &Value, actual: &Value, pointer: &str, contradictions: &[&str], problems: &mut Vec<String>) {
    if contradictions.contains(&pointer) {
        if !is_documented_form_of(expected, actual) {
            problems.push(format!(
                "{pointer}: the contradicted value {expected} decoded to {actual}, not its documented form"
            ));
        }
        return;
    }
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for key in e.keys().chain(a.keys().filter(|k| !e.contains_key(*k))) {
                let child = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                let (ev, av) = (e.get(key).unwrap_or(&Value::Null), a.get(key).unwrap_or(&Value::Null));
                if e.get(key).is_some() && a.get(key).is_none() && !ev.is_null() {
                    problems.push(format!("{child}: dropped (is the property missing from the schema?)"));
                    continue;
                }
                compare(ev, av, &child, contradictions, problems);
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                compare(ev, av, &format!("{pointer}/{i}"), contradictions, problems);
            }
        }
        (Value::Number(e), Value::Number(a)) if e.as_f64() == a.as_f64() => {}
        (e, a) if e == a => {}
        (e, a) => problems.push(format!("{}: expected {e}, got {a}", if pointer.is_empty() { "/" } else { pointer })),
    }
}

/// Whether `actual` is what tolerant decoding makes of `observed`: one item where an array is
/// documented, the number in a numeric string, the text of a number, the boolean in `"true"`.
fn is_documented_form_of(observed: &Value, actual: &Value) -> bool {
    match (observed, actual) {
        (o, a) if o == a => true,
        (o, Value::Array(items)) if !o.is_array() => {
            items.len() == 1 && (items[0] == *o || is_documented_form_of(o, &items[0]))
        }
        (Value::String(s), Value::Number(n)) => s.trim().parse::<f64>().ok() == n.as_f64(),
        (Value::Number(n), Value::String(s)) => s.parse::<f64>().ok() == n.as_f64(),
        (Value::String(s), Value::Bool(b)) => s.eq_ignore_ascii_case(&b.to_string()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn problems(expected: Value, actual: Value, contradictions: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        compare(&expected, &actual, "", contradictions, &mut out);
        out
    }

    #[test]
    fn equal_apart_from_null_and_number_spelling() {
        assert!(problems(json!({"a": 1.0, "b": null}), json!({"a": 1}), &[]).is_empty());
        assert_eq!(problems(json!({"a": 1}), json!({"a": 2}), &[]), ["/a: expected 1, got 2"]);
        assert_eq!(
            problems(json!({"a": 1}), json!({}), &[]),
            ["/a: dropped (is the property missing from the schema?)"]
        );
    }

    #[test]
    fn contradictions_must_decode_to_the_documented_form() {
        let example = json!({"tags": {"key": "k"}, "size": "100", "actions": "REBOOTING"});
        let good = json!({"tags": [{"key": "k"}], "size": 100, "actions": ["REBOOTING"]});
        assert!(problems(example.clone(), good, &["/tags", "/size", "/actions"]).is_empty());
        let bad = json!({"tags": [], "size": 10, "actions": ["REBOOTING"]});
        assert_eq!(problems(example, bad, &["/tags", "/size", "/actions"]).len(), 2);
    }
}
