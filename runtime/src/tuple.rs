//! Arrays whose first items each have a type of their own (JSON Schema's `prefixItems`).
//!
//! A schema that allows nothing past its prefix (`items: false`, or `maxItems` equal to the
//! prefix's length) is a plain Rust tuple, `(String, i32)`: serde encodes and decodes tuples as
//! arrays already. One that allows more items (`items` a schema, or no `items` at all) is an
//! [`OpenTuple`]: the prefix as a tuple and the further items as a `Vec`, so a response with
//! more items than the prefix still decodes, and re-encodes unchanged. Either way every prefix
//! item must be present: a shorter array does not decode (the generator warns when the schema
//! allows one).
//!
//! Tuples and open tuples check their items' constraints by position ([`Validate`]), the path
//! of each item being its index (`location[1]`).

use crate::validation::{FieldPath, Report, Validate};
use serde::de::{DeserializeOwned, Error as _, SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// A JSON array of a fixed prefix of typed items (`prefix`, a tuple) followed by any number of
/// items of one type (`rest`): `["a", 1, true, false]` is `OpenTuple { prefix: ("a".into(), 1),
/// rest: vec![true, false] }` for `OpenTuple<(String, i64), bool>`.
///
/// ```
/// use cloudspec_runtime::OpenTuple;
///
/// let row: OpenTuple<(String, i64), serde_json::Value> = serde_json::from_str(r#"["id", 7, "more", 8]"#).unwrap();
/// let (name, count) = &row.prefix;
/// assert_eq!((name.as_str(), *count), ("id", 7));
/// assert_eq!(row.rest.len(), 2);
/// assert_eq!(serde_json::to_string(&row).unwrap(), r#"["id",7,"more",8]"#);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OpenTuple<P, R> {
    /// The items the schema types one by one (`prefixItems`), in order.
    pub prefix: P,
    /// The items after the prefix, each of the schema's `items` type.
    pub rest: Vec<R>,
}

impl<P, R> OpenTuple<P, R> {
    /// The prefix alone, with no further items.
    pub fn new(prefix: P) -> Self {
        Self { prefix, rest: Vec::new() }
    }

    /// The same prefix followed by `rest` (replacing any items after the prefix).
    pub fn with_rest(mut self, rest: impl IntoIterator<Item = R>) -> Self {
        self.rest = rest.into_iter().collect();
        self
    }
}

impl<P: TuplePrefix, R> OpenTuple<P, R> {
    /// How many items the array has: the prefix's and the rest.
    pub fn len(&self) -> usize {
        P::LEN + self.rest.len()
    }

    /// Always `false`: the prefix has at least one item.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<P, R> From<P> for OpenTuple<P, R> {
    fn from(prefix: P) -> Self {
        Self::new(prefix)
    }
}

mod sealed {
    pub trait Sealed {}
}

/// A Rust tuple (of 1 to 12 items) that can be an [`OpenTuple`]'s prefix: encoded and decoded
/// item by item inside a longer array. Implemented for tuples only.
pub trait TuplePrefix: sealed::Sealed + Sized {
    /// How many items the tuple has.
    const LEN: usize;

    /// Encodes each item into `seq`, in order.
    #[doc(hidden)]
    fn serialize_items<S: SerializeSeq>(&self, seq: &mut S) -> Result<(), S::Error>;

    /// Decodes the tuple from the next [`Self::LEN`] items of `seq`; fewer is an error.
    #[doc(hidden)]
    fn deserialize_items<'de, A: SeqAccess<'de>>(seq: &mut A) -> Result<Self, A::Error>;
}

impl<P: TuplePrefix + Serialize, R: Serialize> Serialize for OpenTuple<P, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        self.prefix.serialize_items(&mut seq)?;
        for item in &self.rest {
            seq.serialize_element(item)?;
        }
        seq.end()
    }
}

impl<'de, P: TuplePrefix, R: DeserializeOwned> Deserialize<'de> for OpenTuple<P, R> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(OpenTupleVisitor(PhantomData))
    }
}

struct OpenTupleVisitor<P, R>(PhantomData<fn() -> (P, R)>);

impl<'de, P: TuplePrefix, R: DeserializeOwned> Visitor<'de> for OpenTupleVisitor<P, R> {
    type Value = OpenTuple<P, R>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an array of at least {} items", P::LEN)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let prefix = P::deserialize_items(&mut seq)?;
        let mut rest = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            rest.push(item);
        }
        Ok(OpenTuple { prefix, rest })
    }
}

impl<P: TuplePrefix + Validate, R: Validate> Validate for OpenTuple<P, R> {
    fn validate_into(&self, path: &FieldPath, report: &mut Report) {
        self.prefix.validate_into(path, report);
        for (i, item) in self.rest.iter().enumerate() {
            item.validate_into(&path.index(P::LEN + i), report);
        }
    }
}

/// The item at `index` of a prefix of `len` items, or the error saying the array is too short.
fn prefix_item<'de, A: SeqAccess<'de>, T: DeserializeOwned>(
    seq: &mut A,
    index: usize,
    len: usize,
) -> Result<T, A::Error> {
    seq.next_element()?.ok_or_else(|| A::Error::invalid_length(index, &ShortArray(len)))
}

/// What a too-short array should have been.
struct ShortArray(usize);

impl serde::de::Expected for ShortArray {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an array of at least {} items", self.0)
    }
}

/// `TuplePrefix` and `Validate` (each item at its index) for the tuple of the given items.
macro_rules! tuple_impls {
    ($len:literal => $($index:tt $item:ident),+) => {
        impl<$($item),+> sealed::Sealed for ($($item,)+) {}

        impl<$($item: Serialize + DeserializeOwned),+> TuplePrefix for ($($item,)+) {
            const LEN: usize = $len;

            fn serialize_items<S: SerializeSeq>(&self, seq: &mut S) -> Result<(), S::Error> {
                $(seq.serialize_element(&self.$index)?;)+
                Ok(())
            }

            fn deserialize_items<'de, A: SeqAccess<'de>>(seq: &mut A) -> Result<Self, A::Error> {
                Ok(($(prefix_item::<A, $item>(seq, $index, $len)?,)+))
            }
        }

        impl<$($item: Validate),+> Validate for ($($item,)+) {
            fn validate_into(&self, path: &FieldPath, report: &mut Report) {
                $(self.$index.validate_into(&path.index($index), report);)+
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    type Row = OpenTuple<(String, i32), bool>;

    #[test]
    fn the_prefix_and_the_rest_decode_and_re_encode_unchanged() {
        for value in [json!(["a", 1]), json!(["a", 1, true]), json!(["a", 1, true, false, true])] {
            let row: Row = serde_json::from_value(value.clone()).unwrap();
            assert_eq!(row.prefix, ("a".to_owned(), 1));
            assert_eq!(row.len(), value.as_array().unwrap().len());
            assert_eq!(serde_json::to_value(&row).unwrap(), value);
        }
    }

    #[test]
    fn a_short_array_or_a_wrong_item_is_an_error_naming_it() {
        let short = serde_json::from_value::<Row>(json!(["a"])).unwrap_err().to_string();
        assert_eq!(short, "invalid length 1, expected an array of at least 2 items");
        let empty = serde_json::from_str::<Row>("[]").unwrap_err().to_string();
        assert!(empty.contains("invalid length 0, expected an array of at least 2 items"), "{empty}");
        let wrong_prefix = serde_json::from_value::<Row>(json!([1, 1])).unwrap_err().to_string();
        assert!(wrong_prefix.contains("expected a string"), "{wrong_prefix}");
        let wrong_rest = serde_json::from_value::<Row>(json!(["a", 1, "yes"])).unwrap_err().to_string();
        assert!(wrong_rest.contains("expected a boolean"), "{wrong_rest}");
        let not_an_array = serde_json::from_value::<Row>(json!({"a": 1})).unwrap_err().to_string();
        assert!(not_an_array.contains("expected an array of at least 2 items"), "{not_an_array}");
    }

    #[test]
    fn built_values_encode_as_one_array() {
        let row = Row::new(("b".to_owned(), 2)).with_rest([false]);
        assert_eq!(serde_json::to_string(&row).unwrap(), r#"["b",2,false]"#);
        let single: OpenTuple<(Value,), Value> = (json!({"k": null}),).into();
        assert_eq!(serde_json::to_value(&single).unwrap(), json!([{"k": null}]));
        assert!(!single.is_empty());
        // From a reader too (serde_json's streaming deserializer takes another path than a Value).
        type Twelve = (u8, u8, u8, u8, u8, u8, u8, u8, u8, u8, u8, u8);
        let twelve: OpenTuple<Twelve, u8> = serde_json::from_reader(&b"[0,1,2,3,4,5,6,7,8,9,10,11,12]"[..]).unwrap();
        assert_eq!(twelve.prefix.11, 11);
        assert_eq!(twelve.rest, vec![12]);
    }

    /// Fails validation when negative, to show where each item's violation is reported.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct NonNegative(i32);

    impl Validate for NonNegative {
        fn validate_into(&self, path: &FieldPath, report: &mut Report) {
            report.range(path, i64::from(self.0), Some((0, false)), None);
        }
    }

    #[test]
    fn items_are_validated_at_their_index() {
        let pair = (NonNegative(-1), NonNegative(2));
        let paths = |v: &dyn Fn() -> Result<(), crate::ValidationError>| {
            v().unwrap_err().violations.iter().map(|v| v.path.as_str().to_owned()).collect::<Vec<_>>()
        };
        assert_eq!(paths(&|| pair.validate()), vec!["[0]"]);
        let open = OpenTuple::new((NonNegative(1),)).with_rest([NonNegative(0), NonNegative(-3)]);
        assert_eq!(paths(&|| open.validate()), vec!["[2]"]);
        assert!(OpenTuple::<(NonNegative,), NonNegative>::new((NonNegative(0),)).validate().is_ok());
    }
}
