//! One test per supported OpenAPI feature, on the small specs in `tests/features/`.
//!
//! These check what the generator emits for each feature; the same specs are generated into the
//! `feature-snapshots` crate (`codegen/snapshots/`), which the workspace compiles with clippy
//! `-D warnings` and whose behaviour `sdk-tests/tests/features.rs` exercises.

mod support;

use cloudspec_codegen::{generate, Generated, SpecSource};
use std::path::Path;
use std::sync::OnceLock;
use support::{has, item, snapshot_options};

/// Every feature spec, in file order (as `cargo xtask gen` reads them).
fn feature_specs() -> Vec<SpecSource> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/features");
    let mut specs: Vec<SpecSource> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| SpecSource {
            file: format!("tests/features/{}", p.file_name().unwrap().to_string_lossy()),
            text: std::fs::read_to_string(&p).unwrap(),
        })
        .collect();
    specs.sort_by(|a, b| a.file.cmp(&b.file));
    specs
}

fn generated() -> &'static Generated {
    static GENERATED: OnceLock<Generated> = OnceLock::new();
    GENERATED.get_or_init(|| {
        generate(&feature_specs(), &snapshot_options())
            .unwrap_or_else(|d| panic!("the feature specs must generate:\n{d}"))
    })
}

fn file(path: &str) -> &'static str {
    generated().files.get(path).unwrap_or_else(|| {
        panic!("{path} was not generated; files: {:?}", generated().files.keys().collect::<Vec<_>>())
    })
}

/// One client method, from its signature to its closing brace.
fn method(name: &str) -> &'static str {
    let text = client();
    let start = format!("    pub async fn {name}(");
    let begin = text.find(&start).unwrap_or_else(|| panic!("no method {name} in the generated client"));
    let rest = &text[begin..];
    &rest[..rest.find("\n    }\n").map_or(rest.len(), |i| i + 7)]
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
fn enum_variants_take_names_and_docs_from_x_enum_varnames_and_descriptions() {
    let phase = item(models(), "pub enum ClusterPhase {");
    // Names camel-cased from the given ones, whatever case they are written in.
    for (doc, variant) in [
        ("/// Being created.\n    ///\n    /// `100`\n", "Creating,"),
        ("/// Running normally.\n    ///\n    /// `200`\n", "Normal,"),
        ("/// `300`\n", "FailedState,"),
        ("/// Frozen \\<for unpaid bills\\>.\n    ///\n    /// `400`\n", "IsFrozen,"),
    ] {
        assert!(phase.contains(&format!("{doc}    {variant}")), "no `{variant}` documented `{doc}` in\n{phase}");
    }
    assert!(!phase.contains("V100"), "{phase}");
    let flavor = item(models(), "impl From<&str> for Flavor {");
    assert!(has(flavor, "\"a1b2-c3\" => Self::Small, \"ffff-0000\" => Self::Large,"), "{flavor}");
}

#[test]
fn every_public_struct_and_enum_is_non_exhaustive() {
    let mut checked = 0;
    for (path, text) in generated().files.iter().filter(|(p, _)| p.ends_with(".rs") && p.starts_with("src/")) {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if !(line.starts_with("pub struct ") || line.starts_with("pub enum "))
                || line.starts_with("pub struct Client ")
            {
                continue;
            }
            // The attributes directly above the item.
            let attributes =
                lines[..i].iter().rev().take_while(|l| l.starts_with("#[")).any(|l| *l == "#[non_exhaustive]");
            assert!(attributes, "{path}: `{line}` is not #[non_exhaustive]");
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} items found");
}

#[test]
fn models_have_a_constructor_of_required_fields_and_setters_for_optional_ones() {
    let derived = item(models(), "impl Derived {");
    // Required fields in declaration order, each taking anything that converts.
    assert!(has(derived, "pub fn new(id: impl Into<String>, size: impl Into<i64>) -> Self"), "{derived}");
    let thing = item(models(), "impl Thing {");
    assert!(has(thing, "pub fn new(name: impl Into<String>) -> Self"), "{thing}");
    assert!(has(thing, "r#type: None,"), "optional fields start unset:\n{thing}");
    assert!(
        has(
            thing,
            "pub fn with_type(mut self, value: impl Into<String>) -> Self { self.r#type = Some(value.into()); self }"
        ),
        "{thing}"
    );
    assert!(!thing.contains("fn with_name("), "required fields have no setter:\n{thing}");
    let open = item(models(), "impl Open {");
    assert!(has(open, "additional_properties: std::collections::BTreeMap::new()"), "{open}");
    assert!(has(open, "pub fn insert_additional_property("), "{open}");
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
    assert!(text[..start].ends_with("#[serde(untagged)]\n#[non_exhaustive]\n"));
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
    assert!(
        open.contains("#[serde(flatten)]")
            && open.contains("pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>")
    );
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
        "report.length(path, value, Some(1), Some(8));",
        "report.pattern(path, value, &PATTERN);",
        "report.range(path, i64::from(*value), Some((0, false)), Some((9, false)));",
        "report.items(path, value.len(), Some(1), Some(3));",
        "report.unique(path, value);",
        "report.properties(path, value.len(), None, Some(3));",
        "report.range(path, f64::from(*value), Some((0.0, true)), None);",
    ] {
        assert!(has(validate, check), "missing `{check}` in\n{validate}");
    }
    // A maximum beyond i64 cannot be crossed by an i64: no check for `big`.
    assert!(!validate.contains("\"big\""), "{validate}");
}

#[test]
fn type_names_colliding_after_case_conversion_are_disambiguated() {
    let text = models();
    // Components are named up front in document order: `foo_bar` first, then `FooBar`.
    assert!(item(text, "pub struct FooBar {").contains("pub a: Option<String>"));
    assert!(item(text, "pub struct FooBar2 {").contains("pub b: Option<String>"));
    // An inline schema never takes a component's name, whichever comes first in the document.
    assert!(item(text, "pub struct HolderMeta {").contains("pub component: Option<bool>"));
    assert!(item(text, "pub struct HolderMeta2 {").contains("pub inline: Option<bool>"));
    assert!(item(text, "pub struct Holder {").contains("pub meta: Option<HolderMeta2>"));
}

#[test]
fn odd_type_names_become_valid_type_identifiers() {
    let text = models();
    for (component, rust) in [
        ("9lives", "pub struct N9lives {"),
        ("type", "pub struct Type {"),
        ("net-id", "pub type NetId = String;"),
        ("集群", "pub struct U96c6U7fa4 {"),
    ] {
        assert!(text.contains(rust), "component {component:?}: no `{rust}`");
    }
    // `Self_` is reserved (it reads as `Self`), so `self` takes the next name, without a stray `_`.
    assert!(text.contains("pub struct Self2 {"), "{}", item(text, "pub struct Self"));
}

#[test]
fn odd_enum_values_become_variants_with_wire_values_kept() {
    let phase = item(models(), "impl Phase {");
    for (variant, wire) in [
        ("CreateFailed", "CREATE_FAILED"),
        ("N9lives", "9lives"),
        ("Type", "type"),
        ("Self_", "self"),
        ("NetId", "net-id"),
        ("U5df2U5220U9664", "已删除"),
    ] {
        assert!(has(phase, &format!("Self::{variant} => \"{wire}\",")), "no {variant} for {wire:?} in\n{phase}");
    }
    let priority = item(models(), "pub enum Priority {");
    assert!(priority.contains("V10,") && priority.contains("Unknown(i64)"), "{priority}");
}

#[test]
fn formats_map_to_rust_types() {
    let formats = item(models(), "pub struct Formats {");
    for field in [
        "pub double: Option<f64>",
        "pub float: Option<f32>",
        "pub int32: Option<i32>",
        "pub int64: Option<i64>",
        // The text the service sends, unparsed: see the codegen README.
        "pub byte: Option<String>",
        "pub binary: Option<Vec<u8>>",
        "pub date_time: Option<String>",
        "pub date: Option<String>",
        "pub uuid: Option<String>",
    ] {
        assert!(formats.contains(field), "missing `{field}` in\n{formats}");
    }
}

#[test]
fn nullable_properties_refs_enums_and_items() {
    let text = models();
    let nullables = item(text, "pub struct Nullables {");
    // Required and nullable: always sent, `null` when `None`.
    assert!(has(nullables, "#[serde(default)] pub present: Option<String>,"), "{nullables}");
    assert!(has(nullables, "#[serde(default)] pub owner: Option<Circle>,"), "{nullables}");
    for field in [
        "pub via_all_of: Option<Circle>,",
        "pub ref_sibling: Option<Circle>,",
        "pub choice: Option<NullablesChoice>,",
        "pub items: Option<Vec<Option<String>>>,",
    ] {
        assert!(nullables.contains(field), "missing `{field}` in\n{nullables}");
    }
    // `null` in an enum is the absence of a value, not a variant.
    let choice = item(text, "impl NullablesChoice {");
    assert!(choice.contains("&[\"on\", \"off\"]"), "{choice}");
}

#[test]
fn read_only_and_write_only_are_documented_and_optional_when_required() {
    let account = item(models(), "pub struct Account {");
    // Required in one direction only: one struct serves both, so an `Option` left out when `None`.
    for field in ["pub id: Option<String>,", "pub password: Option<String>,", "pub name: String,"] {
        assert!(account.contains(field), "missing `{field}` in\n{account}");
    }
    assert_eq!(account.matches("skip_serializing_if = \"Option::is_none\"").count(), 2, "{account}");
    assert!(has(account, "/// Read-only: set by the service, ignored in requests."), "{account}");
    assert!(has(account, "/// Write-only: sent in requests, never returned."), "{account}");
    let debug = item(models(), "impl std::fmt::Debug for Account {");
    // Required but write-only: an `Option` (responses leave it out), still redacted.
    assert!(
        debug.contains(".field(\"password\", &self.password.as_ref().map(|_| \"***\"))"),
        "a write-only password stays secret:\n{debug}"
    );
}

#[test]
fn bounds_of_every_form_and_property_counts() {
    let validate = item(models(), "impl cloudspec_runtime::Validate for Bounds {");
    for check in [
        "report.range(path, *value, None, Some((10, true)));",
        "report.range(path, *value, Some((0.5, true)), None);",
        "report.range(path, *value, None, Some((1.5, false)));",
        // On the struct: the number of properties that are set.
        "report.properties(path, count, Some(1), Some(2));",
        // On a map: its number of keys.
        "report.properties(path, value.len(), Some(1), Some(2));",
    ] {
        assert!(has(validate, check), "missing `{check}` in\n{validate}");
    }
}

#[test]
fn nested_validation_descends_with_the_path() {
    let text = models();
    assert!(has(
        item(text, "impl cloudspec_runtime::Validate for Deployment {"),
        "let path = &path.field(\"cluster\"); cloudspec_runtime::Validate::validate_into(value, path, report);"
    ));
    assert!(has(item(text, "impl cloudspec_runtime::Validate for Instance {"), "let path = &path.field(\"nics\");"));
    assert!(has(
        item(text, "impl cloudspec_runtime::Validate for Nic {"),
        "report.length(path, value, Some(1), Some(36));"
    ));
}

#[test]
fn additional_properties_typed_alongside_and_closed() {
    let text = models();
    let counters = item(text, "pub struct Counters {");
    assert!(has(counters, "pub total: i64,"), "{counters}");
    assert!(
        has(counters, "#[serde(flatten)] pub additional_properties: std::collections::BTreeMap<String, i64>,"),
        "{counters}"
    );
    // `false`: a plain struct; keys beyond the named ones are not kept.
    let closed = item(text, "pub struct Closed {");
    assert!(!closed.contains("additional_properties") && !closed.contains("flatten"), "{closed}");
}

#[test]
fn discriminators_without_mapping_use_schema_names() {
    let de = item(models(), "impl<'de> serde::Deserialize<'de> for Animal {");
    assert!(has(de, "value.get(\"petType\")"), "{de}");
    assert!(de.contains("\"Cat\" =>") && de.contains("\"Dog\" =>"), "{de}");
}

#[test]
fn union_variants_are_named_from_titles() {
    let lookup = item(models(), "pub enum Lookup {");
    assert!(lookup.contains("ByName(LookupByName)") && lookup.contains("ById(LookupById)"), "{lookup}");
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
    let get = method("get_item");
    assert!(get.contains("http.query(\"fields\""), "exploded array: one query pair per item");
    assert!(get.contains(".join(\",\")"), "non-exploded array: comma-joined");
    assert!(get.contains("http.header(\"X-Trace\""));
    assert!(get.contains("http.cookie(\"session\""));
}

#[test]
fn statuses_keep_their_own_types() {
    let ops = operations();
    let put = item(ops, "pub enum PutItemResponse {");
    assert!(
        put.contains("Status200(Item)") && put.contains("Status201(Created)") && put.contains("Status204,"),
        "{put}"
    );
    let errors = item(ops, "pub enum GetItemError {");
    assert!(errors.contains("Status404(Problem)") && errors.contains("Default(Problem)"), "{errors}");
    assert!(has(client(), "pub async fn download_content(&self, request: &DownloadContentRequest,) -> Result<cloudspec_runtime::Response<Vec<u8>>, cloudspec_runtime::Error>"));
}

#[test]
fn operations_without_an_id_are_named_from_method_and_path() {
    assert!(client().contains("pub async fn delete_items_item_id("), "{}", client());
}

#[test]
fn every_body_media_type_is_sent() {
    assert!(method("upload_content").contains("http.bytes_body(\"application/octet-stream\""));
    assert!(method("add_note").contains("http.bytes_body(\"text/plain\""));
    assert!(method("submit_form").contains("http.form_body(\"application/x-www-form-urlencoded\""));
    // Several media types: JSON is preferred.
    let upload = method("upload");
    assert!(upload.contains("http.json_body(\"application/json\"") && !upload.contains("multipart"), "{upload}");
}

#[test]
fn multipart_parts_follow_the_body_properties() {
    let upload = method("upload_file");
    for statement in [
        "let mut form = cloudspec_runtime::request::Multipart::new();",
        // Binary: a file part, typed from the spec's `encoding` or as an octet stream.
        "form.file(\"file\", \"image/png\", &body.file);",
        "if let Some(value) = &body.attachment { form.file(\"attachment\", \"application/octet-stream\", value); }",
        // Anything else: a value part (text or JSON, decided by the runtime).
        "form.value(\"title\", &body.title);",
        "if let Some(value) = &body.meta { form.value(\"meta\", value); }",
        "http.multipart_body(\"multipart/form-data\", &form)?;",
    ] {
        assert!(has(upload, statement), "missing `{statement}` in\n{upload}");
    }
}

#[test]
fn multipart_arrays_of_files_and_untyped_bodies() {
    let files = method("upload_files");
    assert!(
        has(files, "for file in &body.files { form.file(\"files\", \"application/octet-stream\", file); }"),
        "{files}"
    );
    assert!(has(files, "for (name, value) in &body.additional_properties { form.value(name, value); }"), "{files}");
    assert!(has(method("upload_anything"), "form.fields(body);"));
}

#[test]
fn range_statuses_leave_out_the_codes_listed_on_their_own() {
    let start = method("start_job");
    assert!(has(start, "200 => StartJobResponse::Status200(response.json()?),"), "{start}");
    assert!(has(start, "201..=299 => StartJobResponse::Status2xx(response.json()?),"), "{start}");
    assert!(has(start, "_ => return Err(response.unexpected_status()),"), "{start}");
    // The variant goes out with the status, headers and request id it came with.
    assert!(has(start, "Ok(response.into_response(body))"), "{start}");
    let errors = item(operations(), "impl StartJobError {");
    assert!(has(errors, "404 => error.decode_body().map(Self::Status404),"), "{errors}");
    assert!(has(errors, "400..=403 | 405..=499 => Some(Self::Status4xx(error.body.clone())),"), "{errors}");
}

#[test]
fn error_enums_without_default_have_an_undocumented_variant() {
    let ops = operations();
    let errors = item(ops, "pub enum StartJobError {");
    assert!(
        errors.contains("Status404(Problem)")
            && errors.contains("Status4xx(String)")
            && errors.contains("Undocumented,"),
        "{errors}"
    );
    assert!(has(item(ops, "impl StartJobError {"), "_ => Some(Self::Undocumented),"));
    assert!(!item(ops, "pub enum GetItemError {").contains("Undocumented"), "a `default` response takes the rest");
}

#[test]
fn several_response_media_types_prefer_json() {
    assert!(has(
        client(),
        "pub async fn get_report(&self, request: &GetReportRequest,) -> Result<cloudspec_runtime::Response<Item>, cloudspec_runtime::Error>"
    ));
    assert!(has(method("get_report"), "response.json()"));
}

#[test]
fn examples_become_tests() {
    let tests = file("tests/schemas_examples.rs");
    assert!(tests.contains("check_request_example::<Thing>"), "{tests}");
}

#[test]
fn document_examples_are_tested_tolerantly_beside_strict_valid_ones() {
    let tests = file("tests/schemas_examples.rs");
    let test = |name: &str| item(tests, &format!("fn {name}() {{"));
    // The valid examples: no tolerance.
    assert!(has(test("put_reading_request_example_example"), r#"check_request_example::<Reading>(example, &[]);"#));
    assert!(has(test("put_reading_200_example_reading"), r#"check_response_example::<Reading>(example, &[]);"#));
    // The document's versions: tolerant where they cross a contradiction.
    let request = test("put_reading_request_document_example_example");
    assert!(has(request, r#""size": "100""#) && has(request, r#"&["/size", "/tags"]"#), "{request}");
    let response = test("put_reading_200_document_example_reading");
    assert!(has(response, r#"(example, &["/size", "/tags"]);"#), "{response}");
}

#[test]
fn contradictions_say_who_disagrees_and_only_the_documents_decode_tolerantly() {
    let reading = item(models(), "pub struct Reading {");
    let lenient = r#"deserialize_with = "cloudspec_runtime::lenient::deserialize""#;
    let field = |name: &str| {
        let end = reading.find(&format!("pub {name}:")).unwrap_or_else(|| panic!("no field {name}: {reading}"));
        // From the end of the previous field's declaration line.
        let start = reading[..end].rfind("\n    pub ").map_or(0, |i| i + reading[i + 1..].find('\n').unwrap() + 1);
        &reading[start..end]
    };
    let size = field("size");
    assert!(has(size, "Contradiction in the source document: a string where the table says Long."), "{size}");
    assert!(has(size, lenient), "{size}");
    let unit = field("unit");
    assert!(
        has(unit, "Disagreement with the official SDK (examplesdk 1.0.0): The official SDK requires this field"),
        "{unit}"
    );
    assert!(!has(unit, lenient) && !has(unit, "Decoding accepts"), "an SDK disagreement shows no other forms: {unit}");
}

#[test]
fn generation_is_deterministic() {
    let again = generate(&feature_specs(), &snapshot_options()).unwrap();
    assert_eq!(again.files, generated().files);
}

/// The docs of the client method `name` in `path`, as code (`///` stripped).
fn method_doc(path: &str, name: &str) -> String {
    let text = file(path);
    let signature = text.find(&format!("    pub async fn {name}(")).unwrap_or_else(|| panic!("no {name} in {path}"));
    let start = text[..signature].rfind("\n\n").unwrap_or(0);
    doc_code(&text[start..signature])
}

/// The doc lines of `text` as code (`///` and `//!` stripped).
fn doc_code(text: &str) -> String {
    text.lines()
        .map(str::trim_start)
        .filter_map(|l| l.strip_prefix("///").or_else(|| l.strip_prefix("//!")))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn doc_examples_build_typed_values_from_the_spec_s_examples() {
    let create = method_doc("src/schemas/client.rs", "create_thing");
    // The request example, field by field: `new` with the required ones, a setter for each
    // optional one it sets, enums by variant, a union by the variant its shape fits.
    for expected in [
        "let body = Thing::new(\"widget\")",
        ".with_status(Status::Active)",
        ".with_shape(Shape::Circle(Circle::new(\"circle\", 1.5)))",
        "std::collections::BTreeMap::from([(\"a\".to_owned(), \"x\".to_owned())])",
        "ThingNested::new().with_inner(ThingNestedInner::new().with_deep(true))",
        "let request = CreateThingRequest::new(body);",
    ] {
        assert!(has(&create, expected), "no `{expected}` in\n{create}");
    }
    assert!(create.contains("use feature_snapshots::schemas::{"), "{create}");
    // No example: one built from the required fields, a binary part read from a file.
    let upload = method_doc("src/ops/client.rs", "upload_file");
    assert!(has(&upload, "UploadFileRequestBody::new(std::fs::read(\"file.bin\")?, \"title\")"), "{upload}");
}

#[test]
fn no_doc_example_needs_serde_json_and_the_crate_has_one() {
    for (path, text) in generated().files.iter().filter(|(p, _)| p.ends_with(".rs")) {
        let docs = doc_code(text);
        assert!(!docs.contains("json!") && !docs.contains("serde_json"), "{path}:\n{docs}");
    }
    let lib = doc_code(file("src/lib.rs"));
    for expected in ["# Example", "#[tokio::main]", "let client = Client::new(config)?;", "println!(\"{response:?}\");"]
    {
        assert!(lib.contains(expected), "no `{expected}` in\n{lib}");
    }
}

#[test]
fn the_test_util_feature_gives_a_mock_module_whose_example_is_a_consumer_test() {
    let manifest = file("Cargo.toml");
    assert!(manifest.contains("\ntest-util = [\"cloudspec-runtime/test-util\"]\n"), "{manifest}");
    let lib = file("src/lib.rs");
    let module = item(lib, "#[cfg(feature = \"test-util\")]\npub mod mock {");
    assert!(module.contains("pub use cloudspec_runtime::mock::*;"), "{module}");
    // A doctest that runs (not `no_run`): the edges `type` operation, whose 2XX range and exact
    // 200 differ in type, answered with the exact status's type.
    for expected in [
        "Rule::on(\"type\")",
        ".reply(Reply::status(503))",
        ".reply(Reply::json(200, &\"text\".to_owned()))",
        ".credentials(Credentials::token(\"test-token\"))",
        ".mock(&mock)",
        "assert_eq!(rule.calls(), 2, \"the 503 was retried\");",
        "assert!(sent.validated()",
    ] {
        assert!(has(module, expected), "no `{expected}` in\n{module}");
    }
    // One code block, run (not `no_run`): the hostile-text test counts the blocks it runs.
    assert!(module.matches("//! ```").count() == 2 && !module.contains("no_run"), "{module}");
}
