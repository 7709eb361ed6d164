//! Downstream compatibility: a crate written against one release of a generated SDK still
//! compiles against the next when the spec only grew (an optional property, enum values,
//! response statuses). This is what `#[non_exhaustive]` and the constructors buy.
//!
//! The SDK is generated from `tests/downstream/v1.yaml` and a downstream crate
//! (`tests/downstream/app.rs`) built against it; then the SDK is regenerated from `v2.yaml` in
//! place and the same downstream crate built again. Both builds run cargo offline, in the
//! workspace's target directory (its dependencies are already built there); the two crates are
//! written under `target/downstream-compat/`.

use cloudspec_codegen::{generate, Options, SpecSource};
use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("codegen/ is in the workspace").to_owned()
}

/// The workspace's target directory, where the SDK's dependencies are already built.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace().join("target"))
}

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/downstream").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Writes the SDK generated from `spec` into `dir`, replacing what an earlier release left.
fn write_sdk(dir: &Path, spec: &str) {
    let options = Options {
        crate_name: "compat-sdk".into(),
        runtime_path: Some(workspace().join("runtime").to_string_lossy().into_owned()),
        ..Options::default()
    };
    let generated = generate(&[SpecSource { file: "widgets.yaml".into(), text: fixture(spec) }], &options)
        .unwrap_or_else(|d| panic!("{spec} must generate:\n{d}"));
    if dir.exists() {
        std::fs::remove_dir_all(dir).unwrap();
    }
    for (path, text) in &generated.files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// The downstream crate: `app.rs` as its library, depending on the SDK at `../sdk`. The
/// workspace's lock file pins the same versions the workspace has built (cargo drops the rest).
fn write_app(dir: &Path) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = r#"[package]
name = "compat-app"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
compat-sdk = { path = "../sdk" }

# Not a member of the workspace this directory happens to be in.
[workspace]
"#;
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("src/lib.rs"), fixture("app.rs")).unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
}

/// `cargo build` of the downstream crate; panics with the compiler's output when it fails.
fn build_app(dir: &Path, release: &str) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["build", "--offline", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the downstream crate does not compile against {release}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_downstream_crate_compiles_against_the_next_additive_release() {
    let root = target_dir().join("downstream-compat");
    let (sdk, app) = (root.join("sdk"), root.join("app"));
    write_sdk(&sdk, "v1.yaml");
    write_app(&app);
    build_app(&app, "release 1 (v1.yaml)");

    write_sdk(&sdk, "v2.yaml");
    // Release 2 really is different: the additions are in the generated code.
    let models = std::fs::read_to_string(sdk.join("src/widgets/models.rs")).unwrap();
    let operations = std::fs::read_to_string(sdk.join("src/widgets/operations.rs")).unwrap();
    for added in ["pub fn with_weight(", "    Blue,", "    Failed,"] {
        assert!(models.contains(added), "release 2 models lack `{added}`");
    }
    for added in ["Status201(Made)", "Status409(Problem)"] {
        assert!(operations.contains(added), "release 2 operations lack `{added}`");
    }
    build_app(&app, "release 2 (v2.yaml)");
}
