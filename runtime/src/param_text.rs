//! [`param_text`]: the text of a parameter value, scalars written directly.
//!
//! Every call formats its path, query and header parameters. Nearly all are scalars (ids, names,
//! numbers, flags, enum values), which a small serde serializer writes straight into their text;
//! only lists and objects (rare in a URL) take the way through a `serde_json::Value`. The text is
//! the same either way: numbers as JSON writes them, a value JSON has no number for (`NaN`) empty.

use serde::ser::{self, Impossible, Serialize, Serializer};
use std::fmt;

/// The text of a parameter value as it goes into a path, query or header: strings as they are,
/// integers and booleans as written in JSON, floats as JSON writes them, enums by their wire
/// value, `None` empty, anything else (a list, an object) as JSON.
pub fn param_text<T: Serialize + ?Sized>(value: &T) -> String {
    value.serialize(ScalarText).unwrap_or_else(|NotScalar| json_text(value))
}

/// The text of any value by way of a JSON value (what [`param_text`] did for every value before
/// scalars were written directly; the tests hold the two to the same output).
fn json_text<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Null) => String::new(),
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// A float as a JSON value prints it (through `serde_json::Number`, so the digits are its own);
/// infinity and `NaN`, which JSON lacks, are `null` there and empty here.
fn float_text(value: f64) -> String {
    serde_json::Number::from_f64(value).map_or_else(String::new, |number| number.to_string())
}

/// Why [`ScalarText`] gave up: the value is no scalar (or its `Serialize` failed), so it goes the
/// JSON way.
#[derive(Debug)]
struct NotScalar;

impl fmt::Display for NotScalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a scalar")
    }
}

impl std::error::Error for NotScalar {}

impl ser::Error for NotScalar {
    fn custom<T: fmt::Display>(_: T) -> Self {
        NotScalar
    }
}

/// Writes a scalar as its parameter text; refuses anything else with [`NotScalar`].
struct ScalarText;

/// The integer methods of [`ScalarText`]: `Display` writes an integer as JSON does.
macro_rules! integers {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, value: $ty) -> Result<String, NotScalar> {
            Ok(value.to_string())
        })*
    };
}

impl Serializer for ScalarText {
    type Ok = String;
    type Error = NotScalar;
    type SerializeSeq = Impossible<String, NotScalar>;
    type SerializeTuple = Impossible<String, NotScalar>;
    type SerializeTupleStruct = Impossible<String, NotScalar>;
    type SerializeTupleVariant = Impossible<String, NotScalar>;
    type SerializeMap = Impossible<String, NotScalar>;
    type SerializeStruct = Impossible<String, NotScalar>;
    type SerializeStructVariant = Impossible<String, NotScalar>;

    integers!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64);
    integers!(serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);

    // A JSON value holds 128-bit integers only within 64 bits: left to it.
    fn serialize_i128(self, _: i128) -> Result<String, NotScalar> {
        Err(NotScalar)
    }

    fn serialize_u128(self, _: u128) -> Result<String, NotScalar> {
        Err(NotScalar)
    }

    fn serialize_bool(self, value: bool) -> Result<String, NotScalar> {
        Ok(if value { "true" } else { "false" }.to_owned())
    }

    // A JSON value widens an `f32` to `f64` and prints that.
    fn serialize_f32(self, value: f32) -> Result<String, NotScalar> {
        Ok(float_text(f64::from(value)))
    }

    fn serialize_f64(self, value: f64) -> Result<String, NotScalar> {
        Ok(float_text(value))
    }

    fn serialize_char(self, value: char) -> Result<String, NotScalar> {
        Ok(value.to_string())
    }

    fn serialize_str(self, value: &str) -> Result<String, NotScalar> {
        Ok(value.to_owned())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<String, NotScalar> {
        Err(NotScalar)
    }

    fn serialize_none(self) -> Result<String, NotScalar> {
        Ok(String::new())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<String, NotScalar> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<String, NotScalar> {
        Ok(String::new())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<String, NotScalar> {
        Ok(String::new())
    }

    // A derived enum's plain variant: its wire name.
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<String, NotScalar> {
        Ok(variant.to_owned())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<String, NotScalar> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, NotScalar> {
        Err(NotScalar)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotScalar> {
        Err(NotScalar)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotScalar> {
        Err(NotScalar)
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, NotScalar> {
        Err(NotScalar)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotScalar> {
        Err(NotScalar)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotScalar> {
        Err(NotScalar)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, NotScalar> {
        Err(NotScalar)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotScalar> {
        Err(NotScalar)
    }
}

#[cfg(test)]
#[path = "param_text_tests.rs"]
mod tests;
