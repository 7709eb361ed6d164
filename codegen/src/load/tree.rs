//! Reading YAML or JSON text into a JSON tree without losing anything silently.
//!
//! `serde_json::Value` keeps the last of two equal keys and YAML's merge key (`<<`) would stay a
//! literal key; both hide part of a document. This reader refuses a duplicate key (naming its
//! mapping's JSON pointer; the parser adds the line of the second occurrence) and applies YAML
//! merge keys as YAML 1.1 defines them: keys written in the mapping win over merged ones, and of
//! several merged mappings (`<<: [*a, *b]`) the earlier wins.

use crate::pointer::Pointer;
use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

/// The YAML 1.1 merge key.
const MERGE_KEY: &str = "<<";

/// How deep lists and mappings may nest. The parsers stop at 128 with an error that reads like
/// a syntax error and names no place; real documents stay far below this, and schemas nested
/// this deep inline would be types too deep for rustc anyway (see `lower/depth.rs`).
pub const MAX_NESTING: usize = 100;

/// A problem the reader found itself, kept apart from the parser's error so the diagnostic can
/// carry its JSON pointer; the parser's error adds the line.
#[derive(Debug, Clone)]
pub struct Problem {
    pub pointer: Pointer,
    pub message: String,
}

/// Which language the text is in: merge keys exist only in YAML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Json,
    Yaml,
}

/// State shared by every level of one read.
pub struct Reader {
    syntax: Syntax,
    problem: RefCell<Option<Problem>>,
}

impl Reader {
    pub fn new(syntax: Syntax) -> Self {
        Self { syntax, problem: RefCell::new(None) }
    }

    /// The seed that reads the whole document.
    pub fn root(&self) -> Node<'_> {
        Node { reader: self, at: Pointer::root() }
    }

    /// The problem behind the last error, if the reader (not the parser) raised it.
    pub fn take_problem(&self) -> Option<Problem> {
        self.problem.borrow_mut().take()
    }

    fn fail<E: serde::de::Error>(&self, pointer: Pointer, message: String) -> E {
        let error = E::custom(format!("{message} at {pointer}"));
        *self.problem.borrow_mut() = Some(Problem { pointer, message });
        error
    }
}

/// Reads one value found at `at`.
#[derive(Clone)]
pub struct Node<'r> {
    reader: &'r Reader,
    at: Pointer,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = serde_json::Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML or JSON value")
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

    // Integers beyond 64 bits are kept as the nearest float, as a JSON parser would.
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
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        self.check_nesting()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Node { reader: self.reader, at: self.at.index(items.len()) })? {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        self.check_nesting()?;
        let mut out = serde_json::Map::new();
        let mut seen = HashSet::new();
        let mut merged = Vec::new();
        while let Some(key) = map.next_key_seed(Key { reader: self.reader, at: &self.at, seen: &seen })? {
            let value = map.next_value_seed(Node { reader: self.reader, at: self.at.key(&key) })?;
            if key == MERGE_KEY && self.reader.syntax == Syntax::Yaml {
                merged = self.merge_sources(value)?;
            } else {
                out.insert(key.clone(), value);
            }
            seen.insert(key);
        }
        for source in merged {
            for (key, value) in source {
                out.entry(key).or_insert(value);
            }
        }
        Ok(serde_json::Value::Object(out))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        // A YAML tag (`!foo value`): keep the value, drop the tag.
        use serde::de::VariantAccess;
        let (_, variant) = data.variant::<serde::de::IgnoredAny>()?;
        variant.newtype_variant_seed(self)
    }
}

impl Node<'_> {
    /// Refuses a list or mapping nested deeper than [`MAX_NESTING`], naming where.
    fn check_nesting<E: serde::de::Error>(&self) -> Result<(), E> {
        let depth = self.at.as_json_pointer().matches('/').count();
        if depth < MAX_NESTING {
            return Ok(());
        }
        let message = format!(
            "lists and mappings nest more than {MAX_NESTING} levels deep here; schemas nested this deep would be types too deep for rustc to compile"
        );
        Err(self.reader.fail(self.at.clone(), message))
    }

    /// The mappings a merge key's value names: one mapping, or a sequence of them.
    fn merge_sources<E: serde::de::Error>(
        &self,
        value: serde_json::Value,
    ) -> Result<Vec<serde_json::Map<String, serde_json::Value>>, E> {
        let at = self.at.key(MERGE_KEY);
        let refuse = |what: &str| {
            self.reader.fail(
                at.clone(),
                format!("a YAML merge key (`<<`) must be given a mapping or a list of mappings, not {what}"),
            )
        };
        match value {
            serde_json::Value::Object(map) => Ok(vec![map]),
            serde_json::Value::Array(items) => items
                .into_iter()
                .map(|item| match item {
                    serde_json::Value::Object(map) => Ok(map),
                    _ => Err(refuse("a list holding something else")),
                })
                .collect(),
            _ => Err(refuse("a scalar")),
        }
    }
}

/// Reads one mapping key as text (YAML's `200:` is `"200"`), refusing a key the mapping already has.
struct Key<'a, 'r> {
    reader: &'r Reader,
    at: &'a Pointer,
    seen: &'a HashSet<String>,
}

impl Key<'_, '_> {
    fn check<E: serde::de::Error>(self, key: String) -> Result<String, E> {
        if self.seen.contains(&key) {
            let message =
                format!("the key {key:?} appears twice in this mapping (the parser would keep only the last)");
            return Err(self.reader.fail(self.at.clone(), message));
        }
        Ok(key)
    }
}

impl<'de> DeserializeSeed<'de> for Key<'_, '_> {
    type Value = String;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, '_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key that is a string, number, boolean or null")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
        self.check(v.to_owned())
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<String, E> {
        self.check(v.to_string())
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
        self.check(v.to_string())
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
        self.check(v.to_string())
    }

    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<String, E> {
        self.check(v.to_string())
    }

    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<String, E> {
        self.check(v.to_string())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
        match serde_json::Number::from_f64(v) {
            Some(n) => self.check(n.to_string()),
            None => Err(E::custom(format!("the mapping key {v} cannot be represented in JSON"))),
        }
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<String, E> {
        self.check("null".to_owned())
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<String, E> {
        self.check("null".to_owned())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(A::Error::custom("a mapping key is a list, not a string, number or boolean"))
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(A::Error::custom("a mapping key is a mapping, not a string, number or boolean"))
    }
}
