//! The package name of a crate `gen --spec .. --out ..` writes: derived from the spec's file name,
//! or given with `--crate-name`, and checked before anything is generated.

use std::path::Path;

/// Rust's keywords (strict, reserved and edition-dependent): a crate named after one cannot be
/// named in `use` paths, which the generated example tests do.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "try",
    "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Crates a generated crate's code already refers to by name (the standard library's, and the
/// generated `Cargo.toml`'s dependencies): a crate of the same name would shadow or clash.
const TAKEN: &[&str] = &["std", "core", "alloc", "proc_macro", "test", "serde", "serde_json", "cloudspec_runtime", "tokio"];

/// crates.io's limit on a package name's length.
const MAX_LEN: usize = 64;

/// A crate name from a spec file or folder name: lower case, `-` separated.
pub fn from_spec_path(spec: &Path) -> String {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("sdk");
    let mut name: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    name = name.trim_matches('-').to_owned();
    if name.is_empty() {
        name.push_str("sdk");
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "sdk-");
    }
    name
}

/// Checks that `name` is a package name cargo and crates.io accept, and that the crate's library
/// can be named in Rust code: ASCII letters, digits, `-` and `_`, starting with a letter, at
/// most 64 characters, and not a keyword or a crate the generated code already uses.
pub fn validate(name: &str) -> Result<(), String> {
    let problem = if name.is_empty() {
        Some("it is empty".to_owned())
    } else if let Some(bad) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        Some(format!("{bad:?} is not allowed (use ASCII letters, digits, `-` and `_`)"))
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Some("it must start with a letter".to_owned())
    } else if name.len() > MAX_LEN {
        Some(format!("it is {} characters long (at most {MAX_LEN})", name.len()))
    } else {
        let library = name.replace('-', "_");
        if KEYWORDS.contains(&library.as_str()) {
            Some(format!("`{library}` is a Rust keyword"))
        } else if TAKEN.contains(&library.as_str()) {
            Some(format!("the generated crate already uses a crate named `{library}`"))
        } else {
            None
        }
    };
    match problem {
        Some(problem) => Err(format!("{name:?} cannot be the crate's package name: {problem}")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_from_spec_files() {
        assert_eq!(from_spec_path(Path::new("/x/oai-petstore.yaml")), "oai-petstore");
        assert_eq!(from_spec_path(Path::new("api.github.com.json")), "api-github-com");
        assert_eq!(from_spec_path(Path::new("9.yaml")), "sdk-9");
        assert_eq!(from_spec_path(Path::new("--.yaml")), "sdk");
    }

    #[test]
    fn accepts_package_names_cargo_accepts() {
        for name in ["petstore", "my-sdk", "my_sdk2", "A", &"a".repeat(64)] {
            assert_eq!(validate(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn rejects_what_cargo_or_rust_code_cannot_use() {
        for (name, why) in [
            ("", "empty"),
            ("my sdk", "' ' is not allowed"),
            ("café", "'é' is not allowed"),
            ("my.sdk", "'.' is not allowed"),
            ("9lives", "start with a letter"),
            ("-sdk", "start with a letter"),
            ("_sdk", "start with a letter"),
            (&"a".repeat(65), "65 characters"),
            ("fn", "keyword"),
            ("self", "keyword"),
            ("serde-json", "already uses a crate named `serde_json`"),
            ("std", "already uses"),
        ] {
            let err = validate(name).unwrap_err();
            assert!(err.contains(why), "{name:?}: {err}");
        }
    }
}
