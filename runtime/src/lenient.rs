//! Tolerant decoding, for the fields where a provider's own documents show the wire disagreeing
//! with the documented type (recorded in the spec as `x-contradiction`).
//!
//! The generator puts `#[serde(deserialize_with = "cloudspec_runtime::lenient::deserialize")]` on
//! exactly those fields. Everywhere else decoding stays strict, except that a generated string
//! enum takes any value ([`open_string_enum`]: the ones the spec does not list are kept). Each
//! type reads its forms with a serde [`Visitor`] straight from the deserializer (no intermediate
//! `serde_json::Value`), so a tolerant field costs what a strict one does when the wire carries
//! the documented form.

use serde::de::value::{BoolDeserializer, F64Deserializer, I64Deserializer, MapAccessDeserializer};
use serde::de::value::{BorrowedStrDeserializer, StrDeserializer, U64Deserializer, UnitDeserializer};
use serde::de::{DeserializeOwned, Deserializer, Error, MapAccess, SeqAccess, Unexpected, Visitor};
use serde::Deserialize;
use std::fmt;
use std::marker::PhantomData;
use std::num::IntErrorKind;

/// A type that can be read from the forms the wire has been seen to carry for it.
pub trait Lenient: Sized {
    /// Reads the documented form or one of the tolerated ones.
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// `deserialize_with` target: decodes any [`Lenient`] type.
pub fn deserialize<'de, D: Deserializer<'de>, T: Lenient>(deserializer: D) -> Result<T, D::Error> {
    T::deserialize_lenient(deserializer)
}

/// An integer, or a string holding one (`"100"`, surrounding spaces ignored).
struct IntVisitor<T>(PhantomData<T>);

macro_rules! lenient_int {
    ($($t:ty),*) => {
        $(impl<'de> Visitor<'de> for IntVisitor<$t> {
            type Value = $t;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(concat!("an integer (", stringify!($t), ") or a string holding one"))
            }

            fn visit_i64<E: Error>(self, v: i64) -> Result<$t, E> {
                <$t>::try_from(v).map_err(|_| E::custom(format_args!("{v} is out of range for {}", stringify!($t))))
            }

            fn visit_u64<E: Error>(self, v: u64) -> Result<$t, E> {
                <$t>::try_from(v).map_err(|_| E::custom(format_args!("{v} is out of range for {}", stringify!($t))))
            }

            fn visit_str<E: Error>(self, v: &str) -> Result<$t, E> {
                v.trim().parse::<$t>().map_err(|e| match e.kind() {
                    IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => {
                        E::custom(format_args!("{v:?} is out of range for {}", stringify!($t)))
                    }
                    _ => E::custom(format_args!("{v:?} is not an integer")),
                })
            }
        }

        impl Lenient for $t {
            fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(IntVisitor::<$t>(PhantomData))
            }
        })*
    };
}

lenient_int!(i32, i64);

/// A number, or a string holding one.
struct FloatVisitor<T>(PhantomData<T>);

macro_rules! lenient_float {
    ($($t:ty),*) => {
        $(impl<'de> Visitor<'de> for FloatVisitor<$t> {
            type Value = $t;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a string holding one")
            }

            fn visit_i64<E: Error>(self, v: i64) -> Result<$t, E> {
                Ok(v as $t)
            }

            fn visit_u64<E: Error>(self, v: u64) -> Result<$t, E> {
                Ok(v as $t)
            }

            fn visit_f64<E: Error>(self, v: f64) -> Result<$t, E> {
                Ok(v as $t)
            }

            fn visit_str<E: Error>(self, v: &str) -> Result<$t, E> {
                v.trim().parse::<$t>().map_err(|_| E::custom(format_args!("{v:?} is not a number")))
            }
        }

        impl Lenient for $t {
            fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(FloatVisitor::<$t>(PhantomData))
            }
        })*
    };
}

lenient_float!(f32, f64);

/// A string, or a number or boolean written as text (as JSON prints it).
struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string, number or boolean")
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_i64<E: Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: Error>(self, v: f64) -> Result<String, E> {
        // serde_json's spelling (`1e+20`, `0.1`), as the number was written back before.
        Ok(serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string()))
    }

    fn visit_bool<E: Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
}

impl Lenient for String {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

/// A boolean, or `"true"`/`"false"` in any case.
struct BoolVisitor;

impl<'de> Visitor<'de> for BoolVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a boolean or a string \"true\" or \"false\"")
    }

    fn visit_bool<E: Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<bool, E> {
        if v.eq_ignore_ascii_case("true") {
            Ok(true)
        } else if v.eq_ignore_ascii_case("false") {
            Ok(false)
        } else {
            Err(E::invalid_value(Unexpected::Str(v), &self))
        }
    }
}

impl Lenient for bool {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BoolVisitor)
    }
}

/// An array, or a single item where an array was documented (it becomes a one-item array). The
/// items themselves decode strictly.
struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array, or a single item")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // As serde's own `Vec` does: trust a size hint only so far.
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(items)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(|item| vec![item])
    }

    fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Vec<T>, E> {
        T::deserialize(BorrowedStrDeserializer::new(v)).map(|item| vec![item])
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<Vec<T>, E> {
        T::deserialize(StrDeserializer::new(v)).map(|item| vec![item])
    }

    fn visit_i64<E: Error>(self, v: i64) -> Result<Vec<T>, E> {
        T::deserialize(I64Deserializer::new(v)).map(|item| vec![item])
    }

    fn visit_u64<E: Error>(self, v: u64) -> Result<Vec<T>, E> {
        T::deserialize(U64Deserializer::new(v)).map(|item| vec![item])
    }

    fn visit_f64<E: Error>(self, v: f64) -> Result<Vec<T>, E> {
        T::deserialize(F64Deserializer::new(v)).map(|item| vec![item])
    }

    fn visit_bool<E: Error>(self, v: bool) -> Result<Vec<T>, E> {
        T::deserialize(BoolDeserializer::new(v)).map(|item| vec![item])
    }

    fn visit_unit<E: Error>(self) -> Result<Vec<T>, E> {
        T::deserialize(UnitDeserializer::new()).map(|item| vec![item])
    }
}

impl<T: DeserializeOwned> Lenient for Vec<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ListVisitor(PhantomData))
    }
}

/// `null` (or an absent field, through `#[serde(default)]`), or the inner type's forms.
struct OptionVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("null or a value")
    }

    fn visit_none<E: Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_unit<E: Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        T::deserialize_lenient(deserializer).map(Some)
    }
}

impl<T: Lenient> Lenient for Option<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_option(OptionVisitor(PhantomData))
    }
}

impl<T: Lenient> Lenient for Box<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_lenient(deserializer).map(Box::new)
    }
}

impl Lenient for serde_json::Value {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(deserializer)
    }
}

/// A string for an open enum, any value accepted.
struct OpenEnumVisitor<T>(PhantomData<T>);

impl<'de, T: for<'a> From<&'a str> + From<String>> Visitor<'de> for OpenEnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from(v))
    }

    fn visit_string<E: Error>(self, v: String) -> Result<T, E> {
        Ok(T::from(v))
    }
}

/// The `Deserialize` of a generated string enum (values the spec does not list become its
/// `Unknown` variant, for forward compatibility). Decoding reads the text in place, so a
/// documented value costs no allocation, and an unknown one exactly one.
pub fn open_string_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str> + From<String>,
{
    deserializer.deserialize_str(OpenEnumVisitor(PhantomData))
}

#[cfg(test)]
#[path = "lenient_tests.rs"]
mod tests;
