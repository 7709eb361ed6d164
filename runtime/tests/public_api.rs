//! The runtime's public types can grow without breaking users: every public enum, and every
//! public struct with a public field, is `#[non_exhaustive]` (users build them with constructors),
//! outside the modules generated code alone calls (`#[doc(hidden)]`) and the few types listed
//! in [`EXHAUSTIVE`] with the reason.

use std::path::{Path, PathBuf};

/// Modules (files under `src/`) that are `#[doc(hidden)]` (in `lib.rs`, or in their parent
/// module): generated code's helpers.
const HIDDEN_MODULES: &[&str] =
    &["client.rs", "request.rs", "lenient.rs", "testing.rs", "contract.rs", "wire_json/base64_bytes.rs"];

/// Public types left exhaustive on purpose, and why.
const EXHAUSTIVE: &[(&str, &str)] = &[
    // The inputs of the pure signing functions are the algorithms' inputs: a new field would be
    // a new algorithm, and struct literals are how callers (and the signing vectors) spell them.
    ("RequestToSign", "the signing algorithms' input"),
    ("SigningParams", "the BatchCompute signing algorithm's input"),
    // An open tuple is its prefix and the items after it, as `prefixItems` defines it: users
    // destructure it, and there is nothing else it could hold.
    ("OpenTuple", "the shape of an open `prefixItems` tuple"),
];

#[test]
fn public_types_that_can_grow_are_non_exhaustive() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&src, &mut files);
    assert!(files.len() > 20, "only {} runtime sources found", files.len());
    let mut sealed = Vec::new();
    let mut open = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        if HIDDEN_MODULES.contains(&relative.as_str()) {
            continue;
        }
        let parsed = syn::parse_file(&std::fs::read_to_string(file).unwrap()).unwrap();
        visit(&parsed.items, &relative, &mut sealed, &mut open);
    }
    let unexplained: Vec<&String> =
        open.iter().filter(|(name, _)| !EXHAUSTIVE.iter().any(|(n, _)| n == name)).map(|(_, at)| at).collect();
    assert!(unexplained.is_empty(), "public types that can grow but are not #[non_exhaustive]: {unexplained:?}");
    // The check reads what it should: the types this change sealed are among those found.
    for name in ["RetryPolicy", "HuaweiAkSk", "ErrorCode", "ServiceInfo", "SchemeKind", "SignedRequest"] {
        assert!(sealed.iter().any(|n| n == name), "{name} not found as a sealed public type: {sealed:?}");
    }
    for (name, _) in EXHAUSTIVE {
        assert!(open.iter().any(|(n, _)| n == name), "{name} is listed as exhaustive but was not found so");
    }
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|x| x == "rs") {
            files.push(path);
        }
    }
}

/// Sorts the public types of `items` (and of inline modules not hidden or `cfg(test)`) into
/// `sealed` (names) and `open` (names with where they are).
fn visit(items: &[syn::Item], file: &str, sealed: &mut Vec<String>, open: &mut Vec<(String, String)>) {
    for item in items {
        let (attrs, vis, name, can_grow) = match item {
            syn::Item::Struct(s) => {
                let public_field = s.fields.iter().any(|f| matches!(f.vis, syn::Visibility::Public(_)));
                (&s.attrs, &s.vis, s.ident.to_string(), public_field)
            }
            syn::Item::Enum(e) => (&e.attrs, &e.vis, e.ident.to_string(), true),
            syn::Item::Mod(m) if !is_hidden(&m.attrs) && !is_test(&m.attrs) => {
                if let Some((_, inner)) = &m.content {
                    visit(inner, file, sealed, open);
                }
                continue;
            }
            _ => continue,
        };
        if !matches!(vis, syn::Visibility::Public(_)) || is_hidden(attrs) || !can_grow {
            continue;
        }
        if attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
            sealed.push(name);
        } else {
            open.push((name.clone(), format!("{name} in src/{file}")));
        }
    }
}

fn is_hidden(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("doc") && a.meta.require_list().is_ok_and(|l| l.tokens.to_string() == "hidden"))
}

fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("cfg") && a.meta.require_list().is_ok_and(|l| l.tokens.to_string() == "test"))
}
