//! Unusual but valid specs: what the generator emits for them, and the diagnostics it gives.
//!
//! `tests/features/edge_cases.yaml` (module `edges`) and `tests/features/credentials.yaml` are
//! also generated into the `feature-snapshots` crate, which CI compiles with clippy
//! `-D warnings` and whose doc examples `cargo test` compiles; these tests pin down what is
//! emitted for each case.

mod support;

use cloudspec_codegen::{generate, Diagnostic, Generated, Severity, SpecSource};
use std::path::Path;
use std::sync::OnceLock;
use support::{has, item, snapshot_options};

fn feature(name: &str) -> SpecSource {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/features").join(name);
    SpecSource { file: format!("tests/features/{name}"), text: std::fs::read_to_string(path).unwrap() }
}

/// The edge-case documents generated together, as the snapshot crate is.
fn edges() -> &'static Generated {
    static GENERATED: OnceLock<Generated> = OnceLock::new();
    GENERATED.get_or_init(|| {
        generate(&[feature("credentials.yaml"), feature("edge_cases.yaml")], &snapshot_options())
            .unwrap_or_else(|d| panic!("{d}"))
    })
}

fn file(path: &str) -> &'static str {
    edges()
        .files
        .get(path)
        .unwrap_or_else(|| panic!("{path} was not generated; files: {:?}", edges().files.keys().collect::<Vec<_>>()))
}

fn warnings_at(pointer: &str) -> Vec<&'static Diagnostic> {
    edges().warnings.iter().filter(|d| d.pointer == pointer).collect()
}

fn run(spec: &str) -> Result<Generated, Vec<Diagnostic>> {
    generate(&[SpecSource { file: "edge.yaml".into(), text: spec.into() }], &snapshot_options()).map_err(|d| d.0)
}

#[test]
fn all_of_a_typed_part_and_annotations_is_that_part() {
    let region = item(file("src/edges/models.rs"), "pub struct Region {");
    // Nullable and described in the annotation part; the type is the referenced one.
    assert!(has(region, "/// The region's slug."), "{region}");
    assert!(has(region, "#[serde(default)] pub slug: Option<Slug>,"), "{region}");
    // A second part repeating the type (`type: string`) adds nothing but `nullable`.
    assert!(has(region, "pub typed_slug: Option<Slug>,"), "{region}");
    assert!(has(region, "/// Labels, at most two."), "{region}");
    assert!(has(region, "pub labels: Option<Tags>,"), "{region}");
    // `allOf: [{}, {$ref}]` as a map's values.
    assert!(has(region, "pub metadata: Option<std::collections::BTreeMap<String, Name>>,"), "{region}");
    let empty = file("src/edges/models.rs").lines().find(|l| l.starts_with("pub struct") && l.ends_with("{}"));
    assert_eq!(empty, None, "no empty struct is emitted");
}

#[test]
fn all_of_constraint_parts_tighten_the_referenced_constraints() {
    let region = item(file("src/edges/models.rs"), "pub struct Region {");
    assert!(has(region, "/// Constraints: length 1 to 4. #[serde(default, skip_serializing_if = \"Option::is_none\")] pub short_name: Option<Name>,"), "{region}");
}

#[test]
fn all_of_parts_that_cannot_merge_are_json_with_a_warning() {
    let region = item(file("src/edges/models.rs"), "pub struct Region {");
    assert!(has(region, "pub mixed: Option<serde_json::Value>,"), "{region}");
    let warned = warnings_at("#/components/schemas/Region/properties/mixed");
    assert!(warned.iter().any(|d| d.message.contains("cannot merge")), "{warned:?}");
}

#[test]
fn constraints_on_referenced_integers_and_lists_are_checked() {
    let validate = item(file("src/edges/models.rs"), "impl cloudspec_runtime::Validate for Region {");
    // `labels: allOf [$ref Tags]`: the list's own constraints and its items'.
    assert!(has(validate, "let path = &path.field(\"labels\"); report.items(path, value.len(), None, Some(2)); report.unique(path, value);"), "{validate}");
    assert!(has(validate, "report.length(item_path, item, Some(1), Some(8));"), "{validate}");
    // `counts: array of $ref Count` (an i32 alias with bounds).
    assert!(
        has(validate, "report.range(item_path, i64::from(*item), Some((1, false)), Some((100, false))"),
        "{validate}"
    );
    // A parameter whose schema is that alias.
    let request = item(file("src/edges/operations.rs"), "impl cloudspec_runtime::Validate for TypeRequest {");
    assert!(has(request, "let path = &path.field(\"count\"); report.range(path, i64::from(*value), Some((1, false)), Some((100, false)));"), "{request}");
    assert!(
        has(request, "let path = &path.field(\"tags\"); report.items(path, value.len(), None, Some(2));"),
        "{request}"
    );
}

#[test]
fn a_request_body_s_own_constraints_are_checked() {
    let list = item(file("src/edges/operations.rs"), "impl cloudspec_runtime::Validate for SelfRequest {");
    assert!(has(list, "let value = &self.body; report.items(path, value.len(), None, Some(3));"), "{list}");
    let text = item(file("src/edges/operations.rs"), "impl cloudspec_runtime::Validate for PutNoteRequest {");
    assert!(has(text, "report.length(path, value, None, Some(10));"), "{text}");
}

#[test]
fn required_read_only_and_write_only_fields_are_optional_and_read_only_ones_unchecked() {
    let region = item(file("src/edges/models.rs"), "pub struct Region {");
    for field in ["pub created: Option<String>,", "pub secret: Option<String>,", "pub size: Option<Count>,"] {
        assert!(region.contains(field), "missing `{field}` in\n{region}");
    }
    assert!(region.contains("Required by the spec, but an `Option` here"), "the reason is documented:\n{region}");
    let validate = item(file("src/edges/models.rs"), "impl cloudspec_runtime::Validate for Region {");
    assert!(
        !validate.contains("\"created\"") && !validate.contains("\"size\""),
        "read-only fields are not validated:\n{validate}"
    );
}

#[test]
fn deprecated_operations_and_parameters_are_marked() {
    let client = file("src/edges/client.rs");
    assert!(
        has(
            client,
            "#[deprecated(note = \"the API specification marks the operation `self` deprecated\")] pub async fn self_("
        ),
        "{client}"
    );
    let operations = file("src/edges/operations.rs");
    assert!(has(operations, "#[deprecated(note = \"the API specification marks the operation `self` deprecated\")] #[derive(Debug, Clone, PartialEq)] #[non_exhaustive] pub struct SelfRequest {"));
    let request = item(operations, "pub struct TypeRequest {");
    assert!(has(request, "#[deprecated(note = \"the API specification marks the parameter `old` deprecated\")] pub old: Option<String>,"), "{request}");
    let setter = item(operations, "impl TypeRequest {");
    assert!(
        has(
            setter,
            "#[deprecated(note = \"the API specification marks the parameter `old` deprecated\")] pub fn with_old("
        ),
        "{setter}"
    );
}

#[test]
fn property_names_constrain_each_key() {
    let validate = item(file("src/edges/models.rs"), "impl cloudspec_runtime::Validate for Region {");
    assert!(
        has(validate, "for (key, item) in value { let item_path = &path.key(key); report.key_length(item_path, key, Some(1), Some(4));"),
        "{validate}"
    );
    assert!(has(validate, "report.key_pattern(item_path, key, &PATTERN);"), "{validate}");
}

#[test]
fn property_names_constrain_the_extra_keys_of_a_struct() {
    let validate = item(file("src/edges/models.rs"), "impl cloudspec_runtime::Validate for Labeled {");
    assert!(has(validate, "let value = &self.additional_properties; for key in value.keys() { let item_path = &path.key(key); report.key_length(item_path, key, None, Some(3)); }"), "{validate}");
}

#[test]
fn a_malformed_property_names_pattern_is_an_error() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Labels:\n      type: object\n      additionalProperties: {type: string}\n      x-property-names: {pattern: '[a-'}\n";
    let errors = run(spec).expect_err("a malformed pattern fails");
    assert!(
        errors
            .iter()
            .any(|d| d.severity == Severity::Error
                && d.pointer == "#/components/schemas/Labels/x-property-names/pattern"),
        "{errors:?}"
    );
}

#[test]
fn statuses_listed_twice_are_one_variant() {
    let response = item(file("src/edges/operations.rs"), "pub enum TypeResponse {");
    assert_eq!(response.matches("Status2xx(").count(), 1, "{response}");
    assert!(warnings_at("#/paths/~1type/get/responses/2xx").iter().any(|d| d.message.contains("listed twice")));
}

#[test]
fn keyword_names_stay_upper_camel_case() {
    let operations = file("src/edges/operations.rs");
    assert!(operations.contains("pub struct SelfRequest {"), "operationId `self`");
    assert!(file("src/edges/models.rs").contains("pub struct Self2 {"), "schema `Self`");
}

#[test]
fn names_generated_code_uses_unqualified_are_never_taken_by_schemas() {
    let models = file("src/edges/models.rs");
    for renamed in [
        "pub enum AsRef2 {",
        "pub type Result2 = String;",
        "pub struct String2 {",
        "pub type Box2 = i64;",
        "pub struct ToOwned2 {",
    ] {
        assert!(models.contains(renamed), "missing `{renamed}`");
    }
}

#[test]
fn a_module_named_like_a_runtime_re_export_is_renamed() {
    let lib = file("src/lib.rs");
    assert!(lib.contains("pub mod credentials_2;"), "{lib}");
    let warned =
        edges().warnings.iter().find(|d| d.file == "tests/features/credentials.yaml").expect("a warning says so");
    assert!(warned.message.contains("credentials_2"), "{warned}");
}

#[test]
fn a_service_without_operations_has_no_operations_module() {
    assert!(!edges().files.contains_key("src/credentials_2/operations.rs"));
    let module = file("src/credentials_2/mod.rs");
    assert!(!module.contains("mod operations") && !module.contains("operations::*"), "{module}");
    assert!(!file("src/credentials_2/client.rs").contains("use super::operations"));
}

#[test]
fn an_empty_one_of_is_json_with_a_warning() {
    let models = file("src/edges/models.rs");
    assert!(models.contains("pub type Nothing = serde_json::Value;"), "no `match self {{}}` over an empty enum");
    assert!(
        models.contains("pub type NothingTagged = serde_json::Value;"),
        "no tagged union with only a catch-all arm"
    );
    assert!(warnings_at("#/components/schemas/Nothing").iter().any(|d| d.message.contains("empty oneOf")));
}

#[test]
fn tabs_in_descriptions_become_spaces_and_indented_lines_no_code_blocks() {
    let region = item(file("src/edges/models.rs"), "/// A region.");
    assert!(!region.contains('\t'), "{region}");
    // Runs of four spaces (a tab among them) could start an indented code block: one space is kept.
    assert!(region.contains("/// A region. Tabs here, and\n/// an indented line"), "{region}");
    // A status's description in the response enum is escaped like any provider text.
    let response = item(file("src/edges/operations.rs"), "pub enum TypeResponse {");
    assert!(response.contains("/// `200`: The exact success, see \\[RFC 9110\\]."), "{response}");
}

#[test]
fn doc_examples_call_keyword_methods_and_use_typed_values() {
    let client = file("src/edges/client.rs");
    let example = item(client, "    /// A method named after a keyword");
    // count (i32 alias), X-Language (`example`), level (integer enum), mode (string enum),
    // tags (list alias: one item), since (`default`), and an `f32`: each typed, by variant for enums.
    let code: String = example.lines().map(|l| l.trim_start().trim_start_matches("///")).collect();
    assert!(
        has(
            &code,
            "TypeRequest::new(1, \"en-us\", Level::V1, AsRef2::Fast, Vec::from([\"text\".to_owned()]), 7, 1, 1f32,);"
        ),
        "{example}"
    );
    assert!(example.contains("use feature_snapshots::edges::{AsRef2, Client, Level, TypeRequest};"), "{example}");
    assert!(example.contains("client.r#type(&request)"), "{example}");
}

#[test]
fn a_default_response_is_the_success_type_when_no_2xx_is_listed() {
    let client = file("src/edges/client.rs");
    let method = item(client, "    pub async fn self_(");
    assert!(has(method, "-> Result<cloudspec_runtime::Response<Self2>, cloudspec_runtime::Error>"), "{method}");
    assert!(has(method, "response.json()"), "{method}");
}

#[test]
fn delimited_and_deep_object_query_styles() {
    let method = item(file("src/edges/client.rs"), "    pub async fn r#type(");
    assert!(has(method, ".join(\"|\")"), "pipeDelimited:\n{method}");
    assert!(has(method, ".join(\" \")"), "spaceDelimited:\n{method}");
    assert!(
        has(method, "http.query(&format!(\"filter[{key}]\"), cloudspec_runtime::request::param_text(item)"),
        "deepObject map:\n{method}"
    );
    assert!(
        has(method, "http.query(&format!(\"where[{key}]\"), cloudspec_runtime::request::param_text(item)"),
        "deepObject struct:\n{method}"
    );
    // An object in the default style (form, exploded): one parameter per property.
    assert!(has(method, "if let Some(value) = &request.page { match serde_json::to_value(value) { Ok(serde_json::Value::Object(properties)) => {"), "{method}");
    // Not an object after all: one value, never nothing.
    assert!(has(method, "_ => http.query(\"page\", cloudspec_runtime::request::param_text(value)),"), "{method}");
    assert!(has(method, "http.query(key, cloudspec_runtime::request::param_text(item));"), "form object:\n{method}");
    // A list alias is still sent item by item.
    assert!(
        has(
            method,
            "for item in &request.tags { http.query(\"tags\", cloudspec_runtime::request::param_text(item)); }"
        ),
        "{method}"
    );
}

#[test]
fn unsupported_styles_are_warnings_with_the_pointer() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      parameters:\n        - {name: id, in: path, required: true, style: matrix, schema: {type: string}}\n      responses: {'204': {description: ok}}\n";
    let generated = run(spec).expect("an unsupported style is not an error");
    assert!(
        generated
            .warnings
            .iter()
            .any(|d| d.pointer == "#/paths/~1a~1{id}/get/parameters/0/style" && d.message.contains("\"matrix\"")),
        "{:?}",
        generated.warnings
    );
}

#[test]
fn many_warnings_do_not_fail_generation() {
    // 60 enums that each list a value twice: one warning apiece.
    let mut spec = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n");
    for i in 0..60 {
        spec.push_str(&format!("    E{i}: {{type: string, enum: [a, a]}}\n"));
    }
    let generated = run(&spec).unwrap_or_else(|d| panic!("warnings alone must not fail generation: {d:?}"));
    assert_eq!(generated.warnings.iter().filter(|d| d.message.contains("listed twice")).count(), 50);
    let count = generated
        .warnings
        .iter()
        .find(|d| d.message.contains("more warnings not shown"))
        .expect("the rest are counted");
    assert_eq!(count.severity, Severity::Warning);
    assert!(count.message.starts_with("10 more warnings"), "{count}");
}

#[test]
fn an_all_of_part_that_requires_properties_still_merges_into_a_struct() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Base:\n      type: object\n      properties:\n        a: {type: string}\n    Strict:\n      allOf:\n        - $ref: '#/components/schemas/Base'\n        - required: [a]\n";
    let generated = run(spec).unwrap_or_else(|d| panic!("{d:?}"));
    let models = &generated.files["src/edge/models.rs"];
    let strict = item(models, "pub struct Strict {");
    assert!(strict.contains("pub a: String,"), "{strict}");
}

#[test]
fn required_properties_without_a_schema_become_fields_not_dropped() {
    let models = file("src/edges/models.rs");
    let invite = item(models, "pub struct Invite {");
    // Untyped: any JSON value, required (plain), documented as such; listed twice, made once.
    assert!(has(invite, "pub id: serde_json::Value,"), "{invite}");
    assert!(has(invite, "pub grants: serde_json::Value,"), "{invite}");
    assert_eq!(invite.matches("pub grants:").count(), 1, "{invite}");
    assert!(invite.contains("declares no property of this name"), "{invite}");
    assert!(has(invite, "pub login: String,"), "{invite}");
    // One of the additional properties: their type.
    let tally = item(models, "pub struct Tally {");
    assert!(has(tally, "pub total: i64,"), "{tally}");
    let sealed = item(models, "pub struct Sealed {");
    assert!(has(sealed, "pub code: serde_json::Value,"), "{sealed}");
    for (schema, says) in
        [("Invite", "any JSON value"), ("Tally", "additionalProperties"), ("Sealed", "no value satisfies")]
    {
        let warned = warnings_at(&format!("#/components/schemas/{schema}/required"));
        assert!(warned.iter().any(|d| d.message.contains(says)), "{schema}: {warned:?}");
    }
}
