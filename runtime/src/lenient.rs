//! Tolerant decoding, for the fields where a provider's own documents show the wire disagreeing
//! with the documented type (recorded in the spec as `x-contradiction`).
//!
//! The generator puts `#[serde(deserialize_with = "cloudspec_runtime::lenient::deserialize")]` on
//! exactly those fields. Everywhere else decoding stays strict.

use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::Deserialize;
use serde_json::Value;

/// A type that can be read from the forms the wire has been seen to carry for it.
pub trait Lenient: Sized {
    fn from_lenient(value: Value) -> Result<Self, String>;
}

/// `deserialize_with` target: decodes any [`Lenient`] type.
pub fn deserialize<'de, D: Deserializer<'de>, T: Lenient>(deserializer: D) -> Result<T, D::Error> {
    let value = Value::deserialize(deserializer)?;
    T::from_lenient(value).map_err(D::Error::custom)
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

macro_rules! lenient_int {
    ($($t:ty),*) => {
        $(impl Lenient for $t {
            /// A number, or a string holding one (`"100"`).
            fn from_lenient(value: Value) -> Result<Self, String> {
                match &value {
                    Value::Number(n) => n.as_i64().and_then(|v| <$t>::try_from(v).ok()).ok_or_else(|| format!("{n} is out of range for {}", stringify!($t))),
                    Value::String(s) => s.trim().parse::<$t>().map_err(|_| format!("{s:?} is not an integer")),
                    other => Err(format!("expected an integer, found {}", describe(other))),
                }
            }
        })*
    };
}

lenient_int!(i32, i64);

macro_rules! lenient_float {
    ($($t:ty),*) => {
        $(impl Lenient for $t {
            /// A number, or a string holding one.
            fn from_lenient(value: Value) -> Result<Self, String> {
                match &value {
                    Value::Number(n) => n.as_f64().map(|v| v as $t).ok_or_else(|| format!("{n} is not a number")),
                    Value::String(s) => s.trim().parse::<$t>().map_err(|_| format!("{s:?} is not a number")),
                    other => Err(format!("expected a number, found {}", describe(other))),
                }
            }
        })*
    };
}

lenient_float!(f32, f64);

impl Lenient for String {
    /// A string, or a number or boolean written as text.
    fn from_lenient(value: Value) -> Result<Self, String> {
        match value {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => Err(format!("expected a string, found {}", describe(&other))),
        }
    }
}

impl Lenient for bool {
    /// A boolean, or `"true"`/`"false"`.
    fn from_lenient(value: Value) -> Result<Self, String> {
        match &value {
            Value::Bool(b) => Ok(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
            other => Err(format!("expected a boolean, found {}", describe(other))),
        }
    }
}

impl<T: DeserializeOwned> Lenient for Vec<T> {
    /// An array, or a single item where an array was documented (it becomes a one-item array).
    fn from_lenient(value: Value) -> Result<Self, String> {
        match value {
            Value::Array(_) => serde_json::from_value(value).map_err(|e| e.to_string()),
            single => serde_json::from_value(single).map(|item| vec![item]).map_err(|e| e.to_string()),
        }
    }
}

impl<T: Lenient> Lenient for Option<T> {
    fn from_lenient(value: Value) -> Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            other => T::from_lenient(other).map(Some),
        }
    }
}

impl<T: Lenient> Lenient for Box<T> {
    fn from_lenient(value: Value) -> Result<Self, String> {
        T::from_lenient(value).map(Box::new)
    }
}

impl Lenient for Value {
    fn from_lenient(value: Value) -> Result<Self, String> {
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Volume {
        #[serde(default, deserialize_with = "deserialize")]
        size: Option<i64>,
        #[serde(default, deserialize_with = "deserialize")]
        actions: Option<Vec<String>>,
    }

    #[test]
    fn both_documented_and_observed_forms_decode() {
        let documented: Volume = serde_json::from_value(json!({"size": 100, "actions": ["REBOOTING"]})).unwrap();
        let observed: Volume = serde_json::from_value(json!({"size": "100", "actions": "REBOOTING"})).unwrap();
        assert_eq!(documented, observed);
        assert_eq!(observed, Volume { size: Some(100), actions: Some(vec!["REBOOTING".into()]) });
        let absent: Volume = serde_json::from_value(json!({})).unwrap();
        assert_eq!(absent, Volume { size: None, actions: None });
    }

    #[test]
    fn garbage_is_still_an_error() {
        let err = serde_json::from_value::<Volume>(json!({"size": "lots"})).unwrap_err();
        assert!(err.to_string().contains("\"lots\" is not an integer"), "{err}");
        assert!(i32::from_lenient(json!(5_000_000_000i64)).is_err());
        assert_eq!(bool::from_lenient(json!("TRUE")), Ok(true));
        assert_eq!(String::from_lenient(json!(12)), Ok("12".to_owned()));
        assert_eq!(f64::from_lenient(json!("1.5")), Ok(1.5));
    }
}
