//! `format: binary` values inside JSON, written and read as base64 text.
//!
//! JSON Schema says such a value is a string, and raw bytes inside JSON are base64 in the
//! mainstream generators (Jackson and System.Text.Json write `byte[]` so; OpenAPI 3.1 spells it
//! `contentEncoding: base64`), while serde writes a `Vec<u8>` as a list of numbers no service
//! sends or accepts. The generator puts `#[serde(with = "cloudspec_runtime::wire_json::base64_bytes")]`
//! on each field whose type holds bytes (`Vec<u8>`, or a list, map, `Option` or tuple of them), so
//! the field keeps its plain Rust type. Decoding is strict: padded standard base64 only, anything
//! else (a list of numbers included) is an error naming what was expected.
//!
//! Binary values outside JSON (multipart file parts, `application/octet-stream` bodies, binary
//! downloads) never pass through here: they stay raw bytes.

use crate::tuple::{OpenTuple, TuplePrefix};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::de::{DeserializeOwned, Deserializer, Error as _, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// A type whose bytes, wherever they are in it, are base64 text in JSON.
pub trait JsonBytes: Sized {
    /// Writes `self`, its bytes as base64 text.
    fn serialize_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads a value whose bytes are base64 text.
    fn deserialize_json<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// A type holding no bytes of its own (a generated model encodes its own binary fields): it is
/// written and read as serde does.
pub trait Plain: Serialize + DeserializeOwned {}

/// `serialize_with` target.
pub fn serialize<T: JsonBytes, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    value.serialize_json(serializer)
}

/// `deserialize_with` target.
pub fn deserialize<'de, T: JsonBytes, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    T::deserialize_json(deserializer)
}

/// A whole JSON body that is, or holds, bytes (a request or response whose schema is a binary
/// string, or a list of them): `Json(&body)` encodes it, `Json<T>` decodes one.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T: JsonBytes> Serialize for Json<&T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_json(serializer)
    }
}

impl<'de, T: JsonBytes> Deserialize<'de> for Json<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_json(deserializer).map(Json)
    }
}

/// Serialises a borrowed `T` through [`JsonBytes`].
struct Wire<'a, T>(&'a T);

impl<T: JsonBytes> Serialize for Wire<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_json(serializer)
    }
}

/// Deserialises a `T` through [`JsonBytes`].
struct Owned<T>(T);

impl<'de, T: JsonBytes> Deserialize<'de> for Owned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_json(deserializer).map(Owned)
    }
}

impl<T: Plain> JsonBytes for T {
    fn serialize_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize(serializer)
    }

    fn deserialize_json<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer)
    }
}

macro_rules! plain {
    ($($t:ty),*) => { $(impl Plain for $t {})* };
}

plain!(String, bool, i32, i64, f32, f64, serde_json::Value);

impl JsonBytes for Vec<u8> {
    fn serialize_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(self))
    }

    fn deserialize_json<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(Base64Visitor)
    }
}

struct Base64Visitor;

impl Visitor<'_> for Base64Visitor {
    type Value = Vec<u8>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a base64 string (binary data)")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Vec<u8>, E> {
        STANDARD.decode(text).map_err(|err| E::custom(format_args!("binary data is not valid base64: {err}")))
    }
}

impl<T: JsonBytes> JsonBytes for Option<T> {
    fn serialize_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&Wire(value)),
            None => serializer.serialize_none(),
        }
    }

    fn deserialize_json<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<Owned<T>>::deserialize(deserializer)?.map(|value| value.0))
    }
}

impl<T: JsonBytes> JsonBytes for Vec<T> {
    fn serialize_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(Wire))
    }

    fn deserialize_json<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<Owned<T>>::deserialize(deserializer)?.into_iter().map(|value| value.0).collect())
    }
}

impl<T: JsonBytes> JsonBytes for BTreeMap<String, T> {
    fn serialize_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(key, value)| (key, Wire(value))))
    }

    fn deserialize_json<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, Owned<T>>::deserialize(deserializer)?;
        Ok(map.into_iter().map(|(key, value)| (key, value.0)).collect())
    }
}

/// A tuple whose items are [`JsonBytes`], encoded item by item inside an [`OpenTuple`]'s array.
pub trait JsonBytesPrefix: TuplePrefix {
    /// Encodes each item into `seq`, in order.
    fn serialize_json_items<S: SerializeSeq>(&self, seq: &mut S) -> Result<(), S::Error>;
    /// Decodes the tuple from the next [`TuplePrefix::LEN`] items of `seq`.
    fn deserialize_json_items<'de, A: SeqAccess<'de>>(seq: &mut A) -> Result<Self, A::Error>;
}

fn prefix_item<'de, A: SeqAccess<'de>, T: JsonBytes>(seq: &mut A, index: usize, len: usize) -> Result<T, A::Error> {
    match seq.next_element::<Owned<T>>()? {
        Some(item) => Ok(item.0),
        None => Err(A::Error::invalid_length(index, &format!("an array of at least {len} items").as_str())),
    }
}

macro_rules! tuple_impls {
    ($len:literal => $($index:tt $item:ident),+) => {
        impl<$($item: JsonBytes),+> JsonBytes for ($($item,)+) {
            fn serialize_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                ($(Wire(&self.$index),)+).serialize(serializer)
            }

            fn deserialize_json<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let items = <($(Owned<$item>,)+)>::deserialize(deserializer)?;
                Ok(($(items.$index.0,)+))
            }
        }

        impl<$($item: JsonBytes + Serialize + DeserializeOwned),+> JsonBytesPrefix for ($($item,)+) {
            fn serialize_json_items<S: SerializeSeq>(&self, seq: &mut S) -> Result<(), S::Error> {
                $(seq.serialize_element(&Wire(&self.$index))?;)+
                Ok(())
            }

            fn deserialize_json_items<'de, A: SeqAccess<'de>>(seq: &mut A) -> Result<Self, A::Error> {
                Ok(($(prefix_item::<A, $item>(seq, $index, $len)?,)+))
            }
        }
    };
}

tuple_impls!(1 => 0 T0);
tuple_impls!(2 => 0 T0, 1 T1);
tuple_impls!(3 => 0 T0, 1 T1, 2 T2);
tuple_impls!(4 => 0 T0, 1 T1, 2 T2, 3 T3);
tuple_impls!(5 => 0 T0, 1 T1, 2 T2, 3 T3, 4 T4);
tuple_impls!(6 => 0 T0, 1 T1, 2 T2, 3 T3, 4 T4, 5 T5);
tuple_impls!(7 => 0 T0, 1 T1, 2 T2, 3 T3, 4 T4, 5 T5, 6 T6);
tuple_impls!(8 => 0 T0, 1 T1, 2 T2, 3 T3, 4 T4, 5 T5, 6 T6, 7 T7);
tuple_impls!(9 => 0 T0, 1 T1, 2 T2, 3 T3, 4 T4, 5 T5, 6 T6, 7 T7, 8 T8);
tuple_impls!(10 => 0 T0, 1 T1, 2 T2, 3 T3, 4 T4, 5 T5, 6 T6, 7 T7, 8 T8, 9 T9);
tuple_impls!(11 => 0 T0, 1 T1, 2 T2, 3 T3, 4 T4, 5 T5, 6 T6, 7 T7, 8 T8, 9 T9, 10 T10);
tuple_impls!(12 => 0 T0, 1 T1, 2 T2, 3 T3, 4 T4, 5 T5, 6 T6, 7 T7, 8 T8, 9 T9, 10 T10, 11 T11);

impl<P: JsonBytesPrefix, R: JsonBytes> JsonBytes for OpenTuple<P, R> {
    fn serialize_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        self.prefix.serialize_json_items(&mut seq)?;
        for item in &self.rest {
            seq.serialize_element(&Wire(item))?;
        }
        seq.end()
    }

    fn deserialize_json<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(OpenTupleVisitor(PhantomData))
    }
}

struct OpenTupleVisitor<P, R>(PhantomData<fn() -> (P, R)>);

impl<'de, P: JsonBytesPrefix, R: JsonBytes> Visitor<'de> for OpenTupleVisitor<P, R> {
    type Value = OpenTuple<P, R>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an array of at least {} items", P::LEN)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let prefix = P::deserialize_json_items(&mut seq)?;
        let mut rest = Vec::new();
        while let Some(item) = seq.next_element::<Owned<R>>()? {
            rest.push(item.0);
        }
        Ok(OpenTuple { prefix, rest })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Bytes, text, then further bytes.
    type Clip = OpenTuple<(Vec<u8>, String), Vec<u8>>;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Holder {
        #[serde(with = "super", default, skip_serializing_if = "Option::is_none")]
        one: Option<Vec<u8>>,
        #[serde(with = "super", default)]
        many: BTreeMap<String, Vec<Vec<u8>>>,
        #[serde(with = "super", default, skip_serializing_if = "Option::is_none")]
        open: Option<Clip>,
    }

    #[test]
    fn bytes_anywhere_in_the_field_are_base64_text_both_ways() {
        let holder = Holder {
            one: Some(vec![0, 1, 255]),
            many: BTreeMap::from([("k".to_owned(), vec![b"hi".to_vec(), Vec::new()])]),
            open: Some(OpenTuple::new((vec![251], "x".to_owned())).with_rest([vec![1, 2]])),
        };
        let wire = json!({"one": "AAH/", "many": {"k": ["aGk=", ""]}, "open": ["+w==", "x", "AQI="]});
        assert_eq!(serde_json::to_value(&holder).unwrap(), wire);
        assert_eq!(serde_json::from_value::<Holder>(wire).unwrap(), holder);
    }

    #[test]
    fn a_whole_body_of_bytes_is_one_base64_string() {
        let body = vec![b"a".to_vec(), b"bc".to_vec()];
        assert_eq!(serde_json::to_string(&Json(&body)).unwrap(), r#"["YQ==","YmM="]"#);
        let Json(decoded) = serde_json::from_str::<Json<Vec<Vec<u8>>>>(r#"["YQ==","YmM="]"#).unwrap();
        assert_eq!(decoded, body);
    }

    #[test]
    fn a_list_of_numbers_or_broken_base64_is_an_error() {
        let numbers = serde_json::from_value::<Holder>(json!({"one": [0, 1, 255]})).unwrap_err();
        assert!(numbers.to_string().contains("a base64 string"), "{numbers}");
        let broken = serde_json::from_value::<Holder>(json!({"one": "AAH"})).unwrap_err();
        assert!(broken.to_string().contains("not valid base64"), "{broken}");
        let short = serde_json::from_value::<Holder>(json!({"open": ["+w=="]})).unwrap_err();
        assert!(short.to_string().contains("at least 2 items"), "{short}");
    }
}
