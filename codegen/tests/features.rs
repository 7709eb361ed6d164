//! One test per supported OpenAPI feature, on the small specs in `tests/features/`.
//!
//! These check what the generator emits for each feature; the same specs are generated into the
//! `feature-snapshots` crate (`codegen/snapshots/`), which the workspace compiles with clippy
//! `-D warnings` and whose behaviour `sdk-tests/tests/features.rs` exercises.

use cloudspec_codegen::{generate, Generated, Options, SpecSource};
use std::path::Path;
use std::sync::OnceLock;

fn generated() -> &'static Generated {
    static GENERATED: OnceLock<Generated> = OnceLock::new();
    GENERATED.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/features");
        let mut specs: Vec<SpecSource> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .map(|p| SpecSource { file: format!("tests/features/{}", p.file_name().unwrap().to_string_lossy()), text: std::fs::read_to_string(&p).unwrap() })
            .collect();
        specs.sort_by(|a, b| a.file.cmp(&b.file));
        let options = Options { crate_name: "feature-snapshots".into(), runtime_path: "../../runtime".into() };
        generate(&specs, &options).unwrap_or_else(|d| panic!("the feature specs must generate:\n{d}"))
    })
}

fn file(path: &str) -> &'static str {
    generated().files.get(path).unwrap_or_else(|| panic!("{path} was not generated; files: {:?}", generated().files.keys().collect::<Vec<_>>()))
}

/// The item that starts with `start` (a line of the file), up to the next blank-indented `}`.
fn item<'a>(text: &'a str, start: &str) -> &'a str {
    let begin = text.find(start).unwrap_or_else(|| panic!("no `{start}` in the generated file"));
    let rest = &text[begin..];
    let end = rest.find("\n}\n").map(|i| i + 3).unwrap_or(rest.len());
    &rest[..end]
}

/// `text` without whitespace, so checks do not depend on how prettyplease wraps lines.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn has(haystack: &str, needle: &str) -> bool {
    squash(haystack).contains(&squash(needle))
}

fn models() -> &'static str {
    file("src/schemas/models.rs")
}

#[test]
fn odd_names_become_idiomatic_identifiers_with_wire_names_kept() {
    let thing = item(models(), "pub struct Thing {");
    for (field, wire) in [
        ("pub r#type: Option<String>", None),
        ("pub self_: Option<String>", Some("self")),
        ("pub n9lives: Option<i32>", Some("9lives")),
        ("pub net_id: Option<String>", Some("net-id")),
        ("pub create_failed: Option<bool>", Some("CREATE_FAILED")),
        ("pub u540d_u79f0: Option<String>", Some("名称")),
    ] {
        assert!(thing.contains(field), "missing `{field}` in\n{thing}");
        if let Some(wire) = wire {
            assert!(thing.contains(&format!("rename = \"{wire}\"")), "wire name {wire} not kept");
        }
    }
}

#[test]
fn names_colliding_after_case_conversion_are_disambiguated_in_document_order() {
    let thing = item(models(), "pub struct Thing {");
    let first = thing.find("rename = \"fooBar\"").unwrap();
    let second = thing.find("rename = \"foo_bar\"").unwrap();
    assert!(first < second);
    assert!(thing[first..second].contains("pub foo_bar: Option<String>"));
    assert!(thing[second..].contains("pub foo_bar_2: Option<String>"));
}

#[test]
fn required_fields_are_plain_and_optional_ones_omitted_when_none() {
    let thing = item(models(), "pub struct Thing {");
    assert!(thing.contains("pub name: String,"));
    assert!(thing.contains("skip_serializing_if = \"Option::is_none\""));
}

#[test]
fn string_and_integer_enums_are_open() {
    let status = item(models(), "pub enum Status {");
    assert!(status.contains("Unknown(String)"));
    // `asc` and `ASC` both camel-case to `Asc`; the second gets a suffix; `""` becomes `Empty`.
    for variant in ["Active,", "Inactive,", "Asc,", "Asc2,", "Empty,"] {
        assert!(status.contains(variant), "no variant {variant} in\n{status}");
    }
    let level = item(models(), "pub enum Level {");
    assert!(level.contains("Unknown(i64)"));
    assert!(status.contains("#[default]\n    Active,"), "the schema default becomes Default:\n{status}");
}

#[test]
fn all_of_merges_properties_and_required_lists() {
    let derived = item(models(), "pub struct Derived {");
    assert!(derived.contains("pub id: String,"), "{derived}");
    assert!(derived.contains("pub size: i64,"), "{derived}");
}

#[test]
fn one_of_with_discriminator_dispatches_on_the_tag() {
    let text = models();
    assert!(item(text, "pub enum Shape {").contains("Circle(Circle)"));
    let de = item(text, "impl<'de> serde::Deserialize<'de> for Shape {");
    assert!(de.contains("\"circle\" =>") && de.contains("\"square\" =>"), "{de}");
    assert!(has(de, "value.get(\"kind\")"));
}

#[test]
fn any_of_without_discriminator_is_untagged() {
    let text = models();
    let start = text.find("pub enum Pet {").unwrap();
    assert!(text[..start].ends_with("#[serde(untagged)]\n"));
    let pet = item(text, "pub enum Pet {");
    assert!(pet.contains("String(String)") && pet.contains("Integer(i64)") && pet.contains("Circle(Circle)"), "{pet}");
}

#[test]
fn recursion_is_boxed_only_where_a_cycle_needs_it() {
    let tree = item(models(), "pub struct Tree {");
    assert!(tree.contains("pub left: Option<Box<Tree>>"), "{tree}");
    assert!(tree.contains("pub children: Option<Vec<Tree>>"), "a Vec already breaks the cycle:\n{tree}");
}

#[test]
fn additional_properties_alone_alongside_and_free_form() {
    let text = models();
    let thing = item(text, "pub struct Thing {");
    assert!(thing.contains("pub labels: Option<std::collections::BTreeMap<String, String>>"));
    assert!(thing.contains("pub extra: Option<serde_json::Value>"));
    let open = item(text, "pub struct Open {");
    assert!(open.contains("#[serde(flatten)]") && open.contains("pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>"));
}

#[test]
fn inline_objects_are_named_after_parent_and_property() {
    let text = models();
    assert!(text.contains("pub struct ThingNested {"));
    assert!(text.contains("pub struct ThingNestedInner {"));
}

#[test]
fn prelude_names_are_never_shadowed() {
    assert!(models().contains("pub struct Option2 {"), "a schema named Option must be renamed");
}

#[test]
fn deprecated_sensitive_and_documented_attributes() {
    let text = models();
    assert!(text.contains("#[deprecated]\n#[derive(") || text.contains("#[deprecated]\n#[derive"), "deprecated schema");
    let thing = item(text, "pub struct Thing {");
    assert!(thing.contains("#[deprecated]"));
    let debug = item(text, "impl std::fmt::Debug for Thing {");
    assert!(debug.contains(".field(\"secret\", &self.secret.as_ref().map(|_| \"***\"))"), "{debug}");
    assert!(text.contains("/// Read-only: set by the service"));
    assert!(text.contains("/// Default: `10`."));
}

#[test]
fn constraints_become_validation() {
    let validate = item(models(), "impl cloudspec_runtime::Validate for Thing {");
    for check in [
        "report.length(&path, value, Some(1), Some(8));",
        "report.pattern(&path, value, &PATTERN);",
        "report.range(&path, i64::from(*value), Some((0, false)), Some((9, false)));",
        "report.items(&path, value.len(), Some(1), Some(3));",
        "report.unique(&path, value);",
        "report.properties(&path, value.len(), None, Some(3));",
        "report.range(&path, f64::from(*value), Some((0.0, true)), None);",
    ] {
        assert!(has(validate, check), "missing `{check}` in\n{validate}");
    }
    // A maximum beyond i64 cannot be crossed by an i64: no check for `big`.
    assert!(!validate.contains("\"big\""), "{validate}");
}

fn operations() -> &'static str {
    file("src/ops/operations.rs")
}

fn client() -> &'static str {
    file("src/ops/client.rs")
}

#[test]
fn parameters_in_every_location_and_refs_to_components() {
    let request = item(operations(), "pub struct GetItemRequest {");
    assert!(request.contains("pub item_id: i64,"), "path parameter from a $ref'd component:\n{request}");
    assert!(request.contains("pub fields: Option<Vec<String>>"));
    assert!(request.contains("pub x_trace: Option<String>"));
    assert!(request.contains("pub session: Option<String>"));
    assert!(!request.contains("accept"), "Accept header parameters are ignored:\n{request}");
    let method = item(client(), "    pub async fn get_item(");
    assert!(method.contains("http.query(\"fields\""), "exploded array: one query pair per item");
    assert!(method.contains(".join(\",\")"), "non-exploded array: comma-joined");
    assert!(method.contains("http.header(\"X-Trace\""));
    assert!(method.contains("http.cookie(\"session\""));
}

#[test]
fn statuses_keep_their_own_types() {
    let ops = operations();
    let put = item(ops, "pub enum PutItemResponse {");
    assert!(put.contains("Status200(Item)") && put.contains("Status201(Created)") && put.contains("Status204,"), "{put}");
    let errors = item(ops, "pub enum GetItemError {");
    assert!(errors.contains("Status404(Problem)") && errors.contains("Default(Problem)"), "{errors}");
    assert!(has(client(), "pub async fn download_content(&self, request: &DownloadContentRequest,) -> Result<Vec<u8>, cloudspec_runtime::Error>"));
}

#[test]
fn operations_without_an_id_are_named_from_method_and_path() {
    assert!(client().contains("pub async fn delete_items_item_id("), "{}", client());
}

#[test]
fn every_body_media_type_is_sent() {
    let c = client();
    assert!(item(c, "    pub async fn upload_content(").contains("http.bytes_body(\"application/octet-stream\""));
    assert!(item(c, "    pub async fn add_note(").contains("http.bytes_body(\"text/plain\""));
    assert!(item(c, "    pub async fn submit_form(").contains("http.form_body(\"application/x-www-form-urlencoded\""));
    // Several media types: JSON is preferred.
    assert!(item(c, "    pub async fn upload(").contains("http.json_body(\"application/json\""));
}

#[test]
fn examples_become_tests() {
    let tests = file("tests/schemas_examples.rs");
    assert!(tests.contains("check_request_example::<Thing>"), "{tests}");
}

#[test]
fn generation_is_deterministic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/features");
    let specs: Vec<SpecSource> = ["operations.yaml", "schemas.yaml"]
        .iter()
        .map(|f| SpecSource { file: format!("tests/features/{f}"), text: std::fs::read_to_string(dir.join(f)).unwrap() })
        .collect();
    let options = Options { crate_name: "feature-snapshots".into(), runtime_path: "../../runtime".into() };
    let again = generate(&specs, &options).unwrap();
    assert_eq!(again.files, generated().files);
}
