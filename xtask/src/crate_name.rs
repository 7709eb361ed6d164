//! The package name of a crate `gen --spec .. --out ..` writes: derived from the spec's file name,
//! or given with `--crate-name`; either is checked with [`cloudspec_codegen::check_crate_name`]
//! before anything is generated.

use std::path::Path;

/// A crate name from a spec file or folder name: lower case, `-` separated.
pub fn from_spec_path(spec: &Path) -> String {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("sdk");
    let mut name: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    name = name.trim_matches('-').to_owned();
    if name.is_empty() {
        name.push_str("sdk");
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "sdk-");
    }
    name
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
}
