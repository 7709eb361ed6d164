//! Checking request models against the constraints their spec states, before anything is sent.
//!
//! Generated types implement [`Validate`]; every violation is collected with its field path
//! (`cluster.instances[0].nics[1].securityGroupId: length 0 is below the minimum 1`), so one
//! call reports all of them.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

/// A value that can check itself against its documented constraints.
pub trait Validate {
    /// Adds every violation in `self` to `report`, with paths under `path` (what generated
    /// implementations provide; call [`Validate::validate`]).
    #[doc(hidden)]
    fn validate_into(&self, path: &FieldPath, report: &mut Report);

    /// Checks `self`; every violation found is in the error.
    fn validate(&self) -> Result<(), ValidationError> {
        let mut report = Report::default();
        self.validate_into(&FieldPath::root(), &mut report);
        report.into_result()
    }
}

/// Where a value sits inside a request: `cluster.instances[0].nics[1].securityGroupId`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath(String);

impl FieldPath {
    /// The request itself.
    pub fn root() -> Self {
        Self::default()
    }

    /// A named field (its wire name) below this path.
    pub fn field(&self, name: &str) -> Self {
        if self.0.is_empty() {
            Self(name.to_owned())
        } else {
            Self(format!("{}.{name}", self.0))
        }
    }

    /// An array item below this path.
    pub fn index(&self, index: usize) -> Self {
        Self(format!("{}[{index}]", self.0))
    }

    /// A map entry below this path.
    pub fn key(&self, key: &str) -> Self {
        Self(format!("{}[{key:?}]", self.0))
    }

    /// The path as text (empty for the request itself).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() { "(request)" } else { &self.0 })
    }
}

/// One broken constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Violation {
    /// Where the broken constraint is.
    pub path: FieldPath,
    /// What is wrong (`length 0 is below the minimum 1`).
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// A request that breaks its documented constraints; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub struct ValidationError {
    /// Every broken constraint, in field order.
    pub violations: Vec<Violation>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid request: ")?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

/// A regular expression from a spec, compiled on first use.
///
/// The generator has already checked that it compiles; should it not, the check is skipped
/// rather than panicking.
#[doc(hidden)]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<regex::Regex>>,
}

impl Pattern {
    /// A pattern of this source, compiled on first use.
    pub const fn new(source: &'static str) -> Self {
        Self { source, compiled: OnceLock::new() }
    }

    /// The pattern as the spec wrote it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `value` matches; `true` when the pattern cannot be compiled.
    pub fn is_match(&self, value: &str) -> bool {
        match self.compiled.get_or_init(|| regex::Regex::new(self.source).ok()) {
            Some(re) => re.is_match(value),
            None => true,
        }
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// Collects violations. The check methods are what generated `Validate` impls call.
#[doc(hidden)]
#[derive(Debug, Default, Clone)]
pub struct Report {
    violations: Vec<Violation>,
}

impl Report {
    /// Records a violation at `path`.
    pub fn push(&mut self, path: &FieldPath, message: impl Into<String>) {
        self.violations.push(Violation { path: path.clone(), message: message.into() });
    }

    /// The violations recorded so far.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// `Ok` when nothing was recorded, else every violation.
    pub fn into_result(self) -> Result<(), ValidationError> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError { violations: self.violations })
        }
    }

    /// String length in characters (Unicode scalar values), as JSON Schema counts it.
    pub fn length<S: AsRef<str> + ?Sized>(
        &mut self,
        path: &FieldPath,
        value: &S,
        min: Option<usize>,
        max: Option<usize>,
    ) {
        self.length_of("", path, value.as_ref(), min, max);
    }

    /// A field the spec requires that the request leaves unset (a required `writeOnly` field is
    /// an `Option`, since responses leave it out).
    pub fn missing(&mut self, path: &FieldPath) {
        self.push(path, "is required, but not set");
    }

    /// A map key's length (`x-property-names`); `path` is the entry's.
    pub fn key_length(&mut self, path: &FieldPath, key: &str, min: Option<usize>, max: Option<usize>) {
        self.length_of("key ", path, key, min, max);
    }

    fn length_of(&mut self, what: &str, path: &FieldPath, value: &str, min: Option<usize>, max: Option<usize>) {
        let len = value.chars().count();
        if let Some(min) = min.filter(|m| len < *m) {
            self.push(path, format!("{what}length {len} is below the minimum {min}"));
        }
        if let Some(max) = max.filter(|m| len > *m) {
            self.push(path, format!("{what}length {len} is above the maximum {max}"));
        }
    }

    /// A string against its pattern. The message never repeats the value: the spec does not say
    /// which fields are secret (a password or key with a pattern), and the error may be logged.
    pub fn pattern<S: AsRef<str> + ?Sized>(&mut self, path: &FieldPath, value: &S, pattern: &Pattern) {
        if !pattern.is_match(value.as_ref()) {
            self.push(path, format!("the value does not match the pattern {}", pattern.source()));
        }
    }

    /// A map key against its pattern (`x-property-names`); `path` is the entry's.
    pub fn key_pattern(&mut self, path: &FieldPath, key: &str, pattern: &Pattern) {
        if !pattern.is_match(key) {
            self.push(path, format!("the key does not match the pattern {}", pattern.source()));
        }
    }

    /// A number against its bounds; `min`/`max` are `(bound, exclusive)`.
    pub fn range<N: PartialOrd + fmt::Display + Copy>(
        &mut self,
        path: &FieldPath,
        value: N,
        min: Option<(N, bool)>,
        max: Option<(N, bool)>,
    ) {
        if let Some((m, exclusive)) = min {
            if value < m || (exclusive && value == m) {
                let kind = if exclusive { "exclusive minimum" } else { "minimum" };
                self.push(path, format!("{value} is below the {kind} {m}"));
            }
        }
        if let Some((m, exclusive)) = max {
            if value > m || (exclusive && value == m) {
                let kind = if exclusive { "exclusive maximum" } else { "maximum" };
                self.push(path, format!("{value} is above the {kind} {m}"));
            }
        }
    }

    /// Checks an array's item count against `minItems`/`maxItems`.
    pub fn items(&mut self, path: &FieldPath, len: usize, min: Option<usize>, max: Option<usize>) {
        if let Some(min) = min.filter(|m| len < *m) {
            self.push(path, format!("{len} items are fewer than the minimum {min}"));
        }
        if let Some(max) = max.filter(|m| len > *m) {
            self.push(path, format!("{len} items are more than the maximum {max}"));
        }
    }

    /// Checks that an array's items are distinct (`uniqueItems`).
    pub fn unique<T: PartialEq>(&mut self, path: &FieldPath, items: &[T]) {
        self.unique_by(path, items, T::eq);
    }

    /// Checks that a tuple's items (`prefixItems`, and an open tuple's further items) are
    /// distinct (`uniqueItems`). Its items have types of their own, so they are compared as the
    /// JSON they encode to, with JSON Schema's equality: numbers by value (`1` equals `1.0`),
    /// objects whatever the order of their keys.
    pub fn unique_tuple<T: serde::Serialize + ?Sized>(&mut self, path: &FieldPath, tuple: &T) {
        // A tuple always encodes to an array (serde_json fails only on non-text map keys,
        // which no generated type has).
        if let Ok(serde_json::Value::Array(items)) = serde_json::to_value(tuple) {
            self.unique_by(path, &items, json_equal);
        }
    }

    /// The first item equal (`eq`) to an earlier one, reported with both indexes.
    fn unique_by<T>(&mut self, path: &FieldPath, items: &[T], eq: impl Fn(&T, &T) -> bool) {
        for (i, item) in items.iter().enumerate() {
            if let Some(j) = items[..i].iter().position(|earlier| eq(earlier, item)) {
                self.push(path, format!("items {j} and {i} are equal, but the items must be unique"));
                return;
            }
        }
    }

    /// Checks a map's entry count against `minProperties`/`maxProperties`.
    pub fn properties(&mut self, path: &FieldPath, len: usize, min: Option<usize>, max: Option<usize>) {
        if let Some(min) = min.filter(|m| len < *m) {
            self.push(path, format!("{len} properties are fewer than the minimum {min}"));
        }
        if let Some(max) = max.filter(|m| len > *m) {
            self.push(path, format!("{len} properties are more than the maximum {max}"));
        }
    }

    /// A closed enum got a value it does not document.
    pub fn not_one_of<S: AsRef<str>>(&mut self, path: &FieldPath, value: &str, known: &[S]) {
        let known: Vec<&str> = known.iter().map(AsRef::as_ref).collect();
        self.push(path, format!("{value:?} is not one of the documented values {}", known.join(", ")));
    }
}

/// JSON Schema's equality of two instances: numbers equal by value whatever their
/// representation (`1`, `1.0`), arrays item by item, objects key by key in any order.
fn json_equal(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => numbers_equal(x, y),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(key, value)| y.get(key).is_some_and(|other| json_equal(value, other)))
        }
        _ => a == b,
    }
}

/// Two numbers at least one of which is a float: an integer equals a float only when the float is
/// that very integer (`1 == 1.0`). Both as `f64` would make integers above 2^53 equal to their
/// neighbours (`9007199254740993` and `9007199254740992.0`).
fn numbers_equal(x: &serde_json::Number, y: &serde_json::Number) -> bool {
    let integer = |n: &serde_json::Number| n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from));
    match (integer(x), integer(y)) {
        (Some(i), None) => y.as_f64().is_some_and(|f| f.fract() == 0.0 && f as i128 == i),
        (None, Some(i)) => x.as_f64().is_some_and(|f| f.fract() == 0.0 && f as i128 == i),
        _ => x.as_f64() == y.as_f64(),
    }
}

macro_rules! no_constraints {
    ($($t:ty),*) => {
        $(impl Validate for $t {
            fn validate_into(&self, _path: &FieldPath, _report: &mut Report) {}
        })*
    };
}

no_constraints!(String, str, bool, i32, i64, u32, u64, f32, f64, (), serde_json::Value);

/// Binary data (`format: binary`, `Vec<u8>`) has no constraint to check. Its own impl, not one
/// for `u8` through the list's below: a byte is not a schema value, and checking a file's bytes
/// one by one for nothing would cost a loop over the whole file.
impl Validate for Vec<u8> {
    fn validate_into(&self, _path: &FieldPath, _report: &mut Report) {}
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_into(&self, path: &FieldPath, report: &mut Report) {
        for (i, item) in self.iter().enumerate() {
            item.validate_into(&path.index(i), report);
        }
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_into(&self, path: &FieldPath, report: &mut Report) {
        if let Some(value) = self {
            value.validate_into(path, report);
        }
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_into(&self, path: &FieldPath, report: &mut Report) {
        (**self).validate_into(path, report);
    }
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate_into(&self, path: &FieldPath, report: &mut Report) {
        (**self).validate_into(path, report);
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate_into(&self, path: &FieldPath, report: &mut Report) {
        for (key, value) in self {
            value.validate_into(&path.key(key), report);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_the_request() {
        let p = FieldPath::root()
            .field("cluster")
            .field("instances")
            .index(0)
            .field("nics")
            .index(1)
            .field("securityGroupId");
        assert_eq!(p.to_string(), "cluster.instances[0].nics[1].securityGroupId");
        assert_eq!(FieldPath::root().field("UserData").key("k").to_string(), "UserData[\"k\"]");
    }

    #[test]
    fn every_violation_is_reported() {
        let mut r = Report::default();
        let p = FieldPath::root().field("name");
        r.length(&p, "", Some(1), Some(64));
        r.length(&p, "ok", Some(1), Some(64));
        r.range(&p, 0, Some((1, false)), Some((65536, false)));
        r.range(&p, 5, Some((5, true)), None);
        r.range(&p, 2.5, None, Some((2.0, false)));
        r.items(&p, 3, None, Some(2));
        r.unique(&p, &[1, 2, 1]);
        r.properties(&p, 65, None, Some(64));
        static NAME: Pattern = Pattern::new("^[a-zA-Z_-][a-zA-Z0-9_-]*$");
        r.pattern(&p, "9lives", &NAME);
        r.pattern(&p, "lives9", &NAME);
        let err = r.into_result().unwrap_err();
        assert!(!err.to_string().contains("9lives"), "a value is never repeated: {err}");
        let messages: Vec<String> = err.violations.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "name: length 0 is below the minimum 1",
                "name: 0 is below the minimum 1",
                "name: 5 is below the exclusive minimum 5",
                "name: 2.5 is above the maximum 2",
                "name: 3 items are more than the maximum 2",
                "name: items 0 and 2 are equal, but the items must be unique",
                "name: 65 properties are more than the maximum 64",
                "name: the value does not match the pattern ^[a-zA-Z_-][a-zA-Z0-9_-]*$",
            ]
        );
    }

    #[test]
    fn tuple_items_of_different_types_are_unique_unless_their_json_is_equal() {
        let messages = |tuple: &dyn erased::Tuple| {
            let mut r = Report::default();
            tuple.check(&mut r);
            r.violations().iter().map(ToString::to_string).collect::<Vec<_>>()
        };
        let repeated = "t: items 0 and 1 are equal, but the items must be unique";
        assert_eq!(messages(&(1i32, 1.0f64)), [repeated], "numbers are equal by value");
        let keys_in_another_order = serde_json::json!({"b": 2, "a": [1.0]});
        assert_eq!(messages(&(serde_json::json!({"a": [1], "b": 2}), keys_in_another_order)), [repeated]);
        assert_eq!(messages(&(Some("x"), "x".to_owned())), [repeated]);
        assert_eq!(
            messages(&crate::OpenTuple::new(("a".to_owned(), 2)).with_rest([3, 2])),
            ["t: items 1 and 3 are equal, but the items must be unique"],
            "an open tuple's further items are compared with its prefix"
        );
        // Above 2^53 a float cannot hold every integer: 2^53 + 1 is not the float 2^53.
        let beyond_floats = (9_007_199_254_740_993i64, 9_007_199_254_740_992.0f64);
        assert_eq!(messages(&(9_007_199_254_740_992i64, 9_007_199_254_740_992.0f64)), [repeated]);
        for distinct in [
            &(1i64, "1") as &dyn erased::Tuple,
            &(1i64, 1.5f64),
            &(None::<i32>, 0),
            &(u64::MAX, i64::MAX),
            &beyond_floats,
            &(u64::MAX, 1.8446744073709552e19f64),
        ] {
            assert_eq!(messages(distinct), Vec::<String>::new());
        }
    }

    /// Tuples of different types behind one `dyn`, for the table above.
    mod erased {
        use super::*;

        pub trait Tuple {
            fn check(&self, report: &mut Report);
        }

        impl<T: serde::Serialize> Tuple for T {
            fn check(&self, report: &mut Report) {
                report.unique_tuple(&FieldPath::root().field("t"), self);
            }
        }
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let mut r = Report::default();
        r.length(&FieldPath::root().field("d"), "中文", None, Some(2));
        assert!(r.into_result().is_ok());
    }

    #[test]
    fn an_uncompilable_pattern_never_panics() {
        static BAD: Pattern = Pattern::new("(?<=a)b");
        assert!(BAD.is_match("anything"));
    }
}
