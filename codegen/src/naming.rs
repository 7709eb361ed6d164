//! Turning wire names into valid, idiomatic Rust identifiers, and keeping them unique.
//!
//! `net-id` -> `net_id`, `isScheduleBootOff` -> `is_schedule_boot_off`, `CREATE_FAILED` ->
//! `CreateFailed`, `type` -> `type` (kept plain: emission writes a keyword `r#type`), `self` ->
//! `self_`, `9lives` -> `n9lives`. Characters outside ASCII become `u` + their hex code so that
//! every name is plain ASCII.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeSet, HashMap};

/// Words that are keywords in some Rust edition.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Replaces every character that cannot appear in an identifier with a word boundary, and
/// spells out non-ASCII characters so that names stay ASCII and distinct.
fn ascii_words(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_ascii() {
            out.push(' ');
        } else {
            out.push_str(&format!(" u{:x} ", c as u32));
        }
    }
    out
}

/// A field, parameter or method name: `snake_case`.
pub fn snake(name: &str) -> String {
    let mut ident = ascii_words(name).to_snake_case();
    if ident.is_empty() {
        ident = "value".to_owned();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, 'n');
    }
    escape_keyword(ident)
}

/// A type or variant name: `UpperCamelCase`.
pub fn camel(name: &str) -> String {
    let mut ident = ascii_words(name).to_upper_camel_case();
    if ident.is_empty() {
        ident = "Empty".to_owned();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, 'N');
    }
    if ident == "Self" {
        ident.push('_');
    }
    ident
}

/// A module or cargo feature name: snake case, and no keyword (a feature name is not an
/// identifier, so `r#` cannot help it).
pub fn module(name: &str) -> String {
    let ident = snake(name);
    if is_keyword(&ident) {
        format!("{ident}_")
    } else {
        ident
    }
}

/// Whether `name` is a keyword that must be written as a raw identifier (`r#type`) in Rust.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name) && !NOT_RAW.contains(&name)
}

/// Keywords that cannot be raw identifiers get a `_`; the others stay plain in the IR.
fn escape_keyword(ident: String) -> String {
    if NOT_RAW.contains(&ident.as_str()) {
        format!("{ident}_")
    } else {
        ident
    }
}

/// A set of names in one namespace; a name already taken gets the first free numeric suffix.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
    /// Per base name, the suffix below which every number is taken: many equal wishes (a
    /// 100,000-value enum of look-alike values) stay linear.
    next_suffix: HashMap<String, usize>,
}

impl Namespace {
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks names as taken without claiming them for anything (reserved words of a scope).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Returns `wanted`, or `wanted2`, `wanted3`, ... if it is taken, and marks the result taken.
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(wanted.to_owned()) {
            return wanted.to_owned();
        }
        // A keyword's escape (`Self_`, `self_`) is not kept before the number: `Self2`, `self_2`.
        let base = wanted.strip_suffix('_').filter(|b| !b.is_empty()).unwrap_or(wanted);
        let sep = if base.contains('_') || base.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let next = self.next_suffix.entry(base.to_owned()).or_insert(2);
        loop {
            let candidate = format!("{base}{sep}{next}");
            *next += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_become_idiomatic() {
        assert_eq!(snake("net-id"), "net_id");
        assert_eq!(snake("isScheduleBootOff"), "is_schedule_boot_off");
        assert_eq!(snake("X-Language"), "x_language");
        assert_eq!(camel("CREATE_FAILED"), "CreateFailed");
        assert_eq!(camel("cdm.small"), "CdmSmall");
        assert_eq!(camel("publicEndpointStatus"), "PublicEndpointStatus");
    }

    #[test]
    fn keywords_and_odd_names_are_valid_identifiers() {
        assert_eq!(snake("type"), "type");
        assert!(is_keyword("type") && !is_keyword("self_") && !is_keyword("name"));
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("9lives"), "n9lives");
        assert_eq!(camel("9lives"), "N9lives");
        assert_eq!(camel("self"), "Self_");
        assert_eq!(snake(""), "value");
        assert_eq!(camel("+1"), "N1");
        assert_eq!(camel("名称"), "U540dU79f0");
        assert_eq!(module("type"), "type_");
        for name in ["type", "self", "9lives", "net-id", "名称", "a b", "_", "__", "Self"] {
            // As emission writes it: a keyword raw.
            let s = snake(name);
            let s = if is_keyword(&s) { format!("r#{s}") } else { s };
            syn::parse_str::<syn::Ident>(&s).unwrap_or_else(|e| panic!("{name} -> {s}: {e}"));
            let c = camel(name);
            syn::parse_str::<syn::Ident>(&c).unwrap_or_else(|e| panic!("{name} -> {c}: {e}"));
        }
    }

    #[test]
    fn collisions_get_deterministic_suffixes() {
        let mut ns = Namespace::new();
        assert_eq!(ns.claim("Asc"), "Asc");
        assert_eq!(ns.claim("Desc"), "Desc");
        assert_eq!(ns.claim("Asc"), "Asc2");
        assert_eq!(ns.claim("Asc"), "Asc3");
        assert_eq!(ns.claim("net_id"), "net_id");
        assert_eq!(ns.claim("net_id"), "net_id_2");
        ns.reserve("Self_");
        assert_eq!(ns.claim("Self_"), "Self2");
        assert_eq!(ns.claim("self_"), "self_");
        assert_eq!(ns.claim("self_"), "self_2");
    }
}
