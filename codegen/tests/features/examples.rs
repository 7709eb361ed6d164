//! Spec examples as tests and doc examples, deterministic output, and the test-util mock module.

use super::*;

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
        "use feature_snapshots::edges::{AsRef2, Client, Level, TypeRequest, operation_ids};",
        "Rule::on(operation_ids::TYPE)",
        ".reply(Reply::status(503))",
        ".reply(Reply::json(200, &\"text\".to_owned()))",
        ".mock(&mock)",
        "assert_eq!(rule.calls(), 2, \"the 503 was retried\");",
        "assert_eq!((sent.operation(), sent.method()), (operation_ids::TYPE, \"GET\"));",
        "let same_request = sent.input() == Some(&request);",
        "assert_eq!(sent.path(), \"/type\");",
        "assert!(sent.validated()",
    ] {
        assert!(has(module, expected), "no `{expected}` in\n{module}");
    }
    // Over a mock no credentials are needed: placeholders are sent where a real call would fail.
    assert!(!module.contains(".credentials("), "{module}");
    // One code block, run (not `no_run`): the hostile-text test counts the blocks it runs.
    assert!(module.matches("//! ```").count() == 2 && !module.contains("no_run"), "{module}");
}

#[test]
fn each_operation_has_a_typed_id_for_the_mock_rules_named_after_its_method() {
    let module = file("src/edges/mod.rs");
    let ids = item(module, "#[cfg(feature = \"test-util\")]\npub mod operation_ids {");
    for expected in [
        // A keyword method (`r#type`), and one the lowering renamed (`self_`): the constant
        // follows the method's name, the operation keeps the spec's `operationId`.
        "/// `type` (`Client::r#type`).",
        "pub const TYPE: cloudspec_runtime::mock::OperationId = cloudspec_runtime::mock::OperationId::new(\"edges\", \"type\"",
        "pub const SELF_: cloudspec_runtime::mock::OperationId = cloudspec_runtime::mock::OperationId::new(\"edges\", \"self\"",
        "pub const PUT_NOTE: cloudspec_runtime::mock::OperationId = cloudspec_runtime::mock::OperationId::new(\"edges\", \"putNote\"",
    ] {
        assert!(has(ids, expected), "no `{expected}` in\n{ids}");
    }
    assert_eq!(ids.matches("pub const ").count(), 4, "one per operation:\n{ids}");
}
