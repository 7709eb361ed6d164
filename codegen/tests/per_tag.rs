//! Per-tag cargo features (`Options::features_per_tag`, `gen --features-per-tag`) over
//! `tests/per_tag/tags.yaml`: each operation's items are gated on its tags' features, each type
//! on the features of the operations that reach it (`full` for a type none reaches), the
//! features are in `Cargo.toml`, and the crate is clippy-clean under each combination, its doc
//! examples compiling under one tag alone.

mod support;

use cloudspec_codegen::{generate, Generated, Options, SpecSource};
use std::path::{Path, PathBuf};
use std::process::Command;
use support::squash;

const SPEC: &str = include_str!("per_tag/tags.yaml");

fn generate_shop(features_per_tag: bool, runtime_path: &str) -> Generated {
    let options = Options {
        crate_name: "per-tag-shop".into(),
        runtime_path: Some(runtime_path.into()),
        features_per_tag,
        // Its tests are gated per operation too: clippy checks them under each combination.
        contract_tests: true,
        ..Options::default()
    };
    let source = SpecSource { file: "tags.yaml".into(), text: SPEC.into() };
    generate(&[source], &options).unwrap_or_else(|d| panic!("the spec must generate:\n{d}"))
}

fn file<'a>(generated: &'a Generated, path: &str) -> &'a str {
    generated.files.get(path).unwrap_or_else(|| panic!("no {path}"))
}

/// The `#[cfg(..)]` among the attributes of the item whose first line (indentation aside)
/// starts with `start`, whitespace removed; `None` when it has none.
fn gate(text: &str, start: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with(start))
        .unwrap_or_else(|| panic!("no item starting with `{start}`"));
    // The item's docs and attributes: back to the blank line, brace or end of an item before them.
    let first = lines[..at]
        .iter()
        .rposition(|l| l.trim().is_empty() || l.trim_end().ends_with(['{', ';']))
        .map_or(0, |i| i + 1);
    let attributes = squash(&lines[first..at].join("\n"));
    let begin = attributes.find("#[cfg(")?;
    let end = attributes[begin..].find(")]\n").or_else(|| attributes[begin..].find(")]"))? + begin + 2;
    Some(attributes[begin..end].to_owned())
}

fn cfg(features: &[&str]) -> Option<String> {
    Some(match features {
        [one] => format!("#[cfg(feature=\"{one}\")]"),
        many => {
            let list: Vec<String> = many.iter().map(|f| format!("feature=\"{f}\"")).collect();
            format!("#[cfg(any({}))]", list.join(","))
        }
    })
}

#[test]
fn each_operation_and_type_is_gated_on_the_features_of_the_tags_that_use_it() {
    let generated = generate_shop(true, "../runtime");
    let models = file(&generated, "src/shop/models.rs");
    let both = cfg(&["pets", "store-orders"]);
    for (item, expected) in [
        ("pub struct PetPage", cfg(&["pets"])),
        // Reached by both tags' operations: through a list, a field, a nested field.
        ("pub struct Pet ", both.clone()),
        ("pub struct Owner ", both.clone()),
        ("pub struct Address ", both.clone()),
        ("impl cloudspec_runtime::Validate for Address", both.clone()),
        ("pub struct Problem ", both.clone()),
        ("pub struct Order ", cfg(&["store-orders"])),
        ("pub enum OrderStatus", cfg(&["store-orders"])),
        ("impl<'de> serde::Deserialize<'de> for OrderStatus", cfg(&["store-orders"])),
        // No operation reaches these: only `full` compiles them.
        ("pub struct Unused", cfg(&["full"])),
        ("pub enum Leftover", cfg(&["full"])),
    ] {
        assert_eq!(gate(models, item), expected, "{item}");
    }
    let operations = file(&generated, "src/shop/operations.rs");
    for (item, expected) in [
        ("pub struct ListPetsRequest", cfg(&["pets"])),
        ("impl ListPetsRequest", cfg(&["pets"])),
        ("pub struct CreateOrderRequest", cfg(&["store-orders"])),
        ("pub struct GetOwnerRequest", both.clone()),
        ("pub struct HealthRequest", cfg(&["untagged"])),
        // A tag named like a reserved feature gets a name of its own.
        ("pub struct PutSettingsRequest ", cfg(&["full-2"])),
    ] {
        assert_eq!(gate(operations, item), expected, "{item}");
    }
    let client = file(&generated, "src/shop/client.rs");
    for (item, expected) in [
        ("pub async fn list_pets(", cfg(&["pets"])),
        ("pub fn list_pets_pages(", cfg(&["pets"])),
        ("pub fn list_pets_items(", cfg(&["pets"])),
        ("pub async fn get_owner(", both.clone()),
        ("pub async fn health(", cfg(&["untagged"])),
        // The client itself is always there.
        ("pub fn new(", None),
        ("pub struct Client", None),
        // A security scheme is there when one of the operations that send it is.
        ("const SCHEME_API_KEY", cfg(&["store-orders"])),
        ("const SCHEME_TOKEN", cfg(&["full-2", "pets", "store-orders", "untagged"])),
    ] {
        assert_eq!(gate(client, item), expected, "{item}");
    }
    // Each operation's mock constant is there with its operation, in a module behind `test-util`.
    let module = file(&generated, "src/shop/mod.rs");
    assert_eq!(gate(module, "pub mod operation_ids"), Some("#[cfg(feature=\"test-util\")]".to_owned()));
    assert_eq!(gate(module, "pub const LIST_PETS:"), cfg(&["pets"]));
    assert_eq!(gate(module, "pub const HEALTH:"), cfg(&["untagged"]));
    let tests = file(&generated, "tests/shop_examples.rs");
    assert_eq!(gate(tests, "fn list_pets_200_example"), cfg(&["pets"]));
    assert_eq!(gate(tests, "fn create_order_request_example"), cfg(&["store-orders"]));
    let contract = file(&generated, "tests/contract.rs");
    assert_eq!(gate(contract, "async fn get_owner()"), both);
    // The crate example and the mock module's doctest call `list_pets`: shown only with `pets`.
    let lib = file(&generated, "src/lib.rs");
    assert!(lib.contains("#![cfg_attr(feature = \"pets\", doc = \" # Example\")]"), "{lib}");
    assert!(squash(lib).contains("#![cfg_attr(feature=\"pets\",doc=\"Rule::on(operation_ids::LIST_PETS)\")]"), "{lib}");
    assert!(lib.contains("//! - `store-orders`: tag `Store & Orders` (2 operations)"), "{lib}");
    assert!(lib.contains("//! - `untagged`: operations without a tag (1 operation)"), "{lib}");
}

#[test]
fn the_manifest_has_one_feature_per_tag_and_none_by_default() {
    let generated = generate_shop(true, "../runtime");
    let manifest = file(&generated, "Cargo.toml");
    for line in [
        "default = []\n",
        "shop = []\n",
        "full = [\"full-2\", \"pets\", \"store-orders\", \"untagged\"]\n",
        "full-2 = [\"shop\"]\n",
        "pets = [\"shop\"]\n",
        "store-orders = [\"shop\"]\n",
        "untagged = [\"shop\"]\n",
    ] {
        assert!(manifest.contains(line), "no {line:?} in\n{manifest}");
    }
    let readme = file(&generated, "README.md");
    assert!(readme.contains("per-tag-shop = { version = \"0.1\", features = [\"full-2\"] }"), "{readme}");
}

#[test]
fn without_the_option_nothing_is_gated_by_tag() {
    let generated = generate_shop(false, "../runtime");
    for (path, text) in &generated.files {
        for feature in ["pets", "store-orders", "untagged", "full"] {
            assert!(!text.contains(&format!("feature = \"{feature}\"")), "{path} mentions {feature}");
        }
    }
    assert!(file(&generated, "Cargo.toml").contains("default = [\"shop\"]\n"));
}

#[test]
fn feature_names_are_made_from_tags_never_copied_from_them() {
    let hostile = ["a\"] }\n[x]", "ünï code", "9 lives", "", "default", "test-util", "shop", "Pets", "pets"];
    let paths: String = hostile
        .iter()
        .enumerate()
        .map(|(i, tag)| {
            let tag = serde_json::to_string(tag).unwrap();
            format!("  /p{i}:\n    get:\n      operationId: op{i}\n      tags: [{tag}]\n      responses: {{'204': {{description: ok}}}}\n")
        })
        .collect();
    let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\nx-sdk-module: shop\npaths:\n{paths}");
    let options = Options { crate_name: "tags".into(), features_per_tag: true, ..Options::default() };
    let generated = generate(&[SpecSource { file: "t.yaml".into(), text }], &options).unwrap();
    let manifest = file(&generated, "Cargo.toml");
    let features = manifest.split("[features]\n").nth(1).unwrap().split("\n\n").next().unwrap();
    let names: Vec<&str> = features.lines().map(|l| l.split(" = ").next().unwrap()).collect();
    assert_eq!(
        names,
        [
            "default",
            "shop",
            "full",
            "a-x",
            "default-2",
            "n9-lives",
            "pets",
            "pets-2",
            "shop-2",
            "tag",
            "test-util-2",
            "ufc-n-uef-code",
            "test-util"
        ],
        "{manifest}"
    );
    for name in names {
        assert!(name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{name}");
    }
}

/// The workspace's target directory, where the crate's dependencies are already built.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

#[test]
fn the_crate_is_clippy_clean_with_each_combination_of_features() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned();
    let dir = target_dir().join("per-tag-features/shop");
    let runtime = workspace.join("runtime").to_string_lossy().into_owned();
    let generated = generate_shop(true, &runtime);
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in &generated.files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text = if path.ends_with("Cargo.toml") { format!("{text}\n[workspace]\n") } else { text.clone() };
        std::fs::write(path, text).unwrap();
    }
    // The workspace's lock file: the versions its target directory has built.
    std::fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    // No feature, each tag alone (`pets` and `store-orders` share types), two together, all.
    for features in ["", "pets", "store-orders", "untagged", "full-2", "pets,store-orders", "full,test-util"] {
        let output = shop_cargo(&dir, &["clippy", "--all-targets"], features, &["--", "-D", "warnings"]);
        assert!(
            output.status.success(),
            "clippy with features [{features}]:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // The doc examples under one tag alone: each shows only while its tag is on, and compiles
    // with nothing else on (a crate-level example names a type of the tag it is gated on); with
    // `test-util`, the mock doctest too, its operation's constant there with the tag.
    for features in ["pets", "untagged", "pets,test-util"] {
        let output = shop_cargo(&dir, &["test", "--doc"], features, &[]);
        let printed = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "doc tests with features [{features}]:\n{printed}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!printed.contains("running 0 tests"), "features [{features}] ran no doc example:\n{printed}");
    }
}

/// Cargo's `command` on the crate in `dir` with only `features` on, offline, in the workspace's
/// target directory (where its dependencies are built); `after` ends the command line.
fn shop_cargo(dir: &Path, command: &[&str], features: &str, after: &[&str]) -> std::process::Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(cargo)
        .args(command)
        .args(["--offline", "--quiet", "--no-default-features", "--features", features, "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .args(after)
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

#[test]
fn a_type_reached_only_through_a_tuple_item_is_gated_on_the_tag_that_reaches_it() {
    let spec = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/tracks": {"get": {"operationId": "getTrack", "tags": ["tracks"],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "array", "prefixItems": [{"type": "string"}, {"$ref": "#/components/schemas/Point"}],
                "maxItems": 2}}}}}}}},
        "components": {"schemas": {"Point": {"type": "object", "properties": {"x": {"type": "number"}}}}}}"##;
    let options = Options { crate_name: "tuple-gates".into(), features_per_tag: true, ..Options::default() };
    let source = SpecSource { file: "tuple.json".into(), text: spec.into() };
    let generated = generate(&[source], &options).unwrap_or_else(|d| panic!("the spec must generate:\n{d}"));
    let models = file(&generated, "src/tuple/models.rs");
    assert_eq!(
        gate(models, "pub struct Point"),
        cfg(&["tracks"]),
        "not `full`: the tag's operation reaches it\n{models}"
    );
}
