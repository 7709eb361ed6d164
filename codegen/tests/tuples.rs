//! `prefixItems` (JSON Schema 2020-12) -> Rust tuples: closed ones as plain tuples, open ones as
//! the runtime's `OpenTuple`, in 3.1 documents and (with a warning) in 3.0 ones.
//!
//! The feature spec (`tests/features/tuples.yaml`) is also generated into the `feature-snapshots`
//! crate, which clippy compiles and `sdk-tests/tests/features/tuples.rs` decodes, encodes and
//! validates values of.

mod support;

use cloudspec_codegen::{generate, Generated, Severity, SpecSource};
use support::{has, item, snapshot_options};

fn generated(file: &str, text: &str) -> Generated {
    let source = SpecSource { file: file.to_owned(), text: text.to_owned() };
    generate(&[source], &snapshot_options()).unwrap_or_else(|d| panic!("must generate:\n{d}"))
}

fn feature_spec() -> Generated {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/features/tuples.yaml");
    generated("tests/features/tuples.yaml", &std::fs::read_to_string(path).unwrap())
}

fn warnings(result: &Generated) -> Vec<(String, String)> {
    assert!(result.warnings.iter().all(|w| w.severity == Severity::Warning));
    result.warnings.iter().map(|w| (w.pointer.clone(), w.message.clone())).collect()
}

/// A document with one schema, `Subject`, written as `schema` (YAML flow style) under `version`.
fn one_schema(version: &str, schema: &str) -> String {
    format!(
        "openapi: {version}\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Subject: {schema}\n"
    )
}

#[test]
fn closed_tuples_are_rust_tuples_and_open_ones_keep_their_further_items() {
    let result = feature_spec();
    assert_eq!(warnings(&result), Vec::new(), "the feature spec states minItems everywhere");
    let models = &result.files["src/tuples/models.rs"];
    for alias in [
        "pub type Position = (f64, f64);",         // items: false
        "pub type Bounds = (Position, Position);", // minItems = maxItems, as pydantic writes it
        "pub type Segment = (i32, String);",
    ] {
        assert!(models.contains(alias), "no `{alias}` in\n{models}");
    }
    let track = item(models, "pub struct Track {");
    for field in [
        "pub start: Position,",
        "pub finish: Option<(f64, f64)>,",
        "pub segments: Option<Vec<Segment>>,",
        "pub splits: Option<std::collections::BTreeMap<String, Segment>>,",
        "pub tags: Option<cloudspec_runtime::OpenTuple<(String,), TrackTagsItem>>,",
        "pub samples: Option<cloudspec_runtime::OpenTuple<(TrackSamplesItem0,), Option<i64>>>,",
        "pub extra: Option<cloudspec_runtime::OpenTuple<(String,), serde_json::Value>>,",
        "pub labelled: Option<(TrackLabelledItem0, Option<String>)>,",
        // Binary items are bytes (`format: binary`, or 3.1's `contentMediaType`), as binary properties are.
        "pub cover: Option<(Vec<u8>, Caption)>,",
        "pub frames: Option<cloudspec_runtime::OpenTuple<(Vec<u8>,), Caption>>,",
    ] {
        assert!(has(track, field), "no `{field}` in\n{track}");
    }
    // A tuple holding its own type by value is boxed like a field would be.
    assert!(has(item(models, "pub struct Route {"), "pub next: Option<(i64, Box<Route>)>,"));
    // Users (and the doc examples) name `OpenTuple` beside the models.
    assert!(models.contains("pub use cloudspec_runtime::OpenTuple;"), "{models}");
}

#[test]
fn prefix_items_constraints_are_checked_at_their_index() {
    let result = feature_spec();
    let models = &result.files["src/tuples/models.rs"];
    let validate = item(models, "impl cloudspec_runtime::Validate for Track {");
    for check in [
        "let item = &value.0; let item_path = &path.index(0); report.range(item_path, *item, Some((-90.0, false)), Some((90.0, false)));",
        "let item = &item.1; let item_path = &item_path.index(1); report.length(item_path, item, Some(1), None);",
        // An open tuple: its length, and each further item after the prefix's.
        "report.items(path, value.len(), Some(1), Some(4));",
        // `uniqueItems` on a tuple: its items compared as JSON, whatever their Rust types.
        "let path = &path.field(\"tags\"); report.unique_tuple(path, value);",
        "for (index, item) in value.rest.iter().enumerate() { let item_path = &path.index(1 + index);",
    ] {
        assert!(has(validate, check), "no `{check}` in\n{validate}");
    }
    let track = item(models, "pub struct Track {");
    // Each item's constraints grouped, so the semicolons still separate the field's own parts.
    assert!(track.contains("item 0 (at least -90, at most 90); item 1 (at least -180, at most 180)."), "{track}");
    assert!(track.contains("each item: item 0 (at least 0), item 1 (length at least 1)."), "a list of tuples: {track}");
    assert!(track.contains("each value: item 0 (at least 0), item 1 (length at least 1)."), "a map of tuples: {track}");
    assert!(track.contains("items at least 1; each further item: at most 250."), "an open tuple's rest: {track}");
}

#[test]
fn doc_examples_build_tuples_from_the_spec_examples() {
    let result = feature_spec();
    // The examples are doc comments: their code without the `///`.
    let client: String =
        result.files["src/tuples/client.rs"].lines().map(|l| l.trim_start().trim_start_matches("///")).collect();
    let client = client.as_str();
    for expr in [
        "Track::new(\"morning run\", (52.52, 13.405))",
        "(0, \"warm-up\".to_owned())",
        "OpenTuple::new((TrackSamplesItem0::Hr,)).with_rest([Some(120i64), None, Some(150i64)])",
        ".with_next((1i64, Box::new(Route::new().with_stop(\"bridge\"))))",
    ] {
        assert!(has(client, expr), "no `{expr}` in\n{client}");
    }
    assert!(has(client, "use feature_snapshots::tuples::{Client, CreateTrackRequest, OpenTuple,"), "{client}");
}

#[test]
fn a_schema_allowing_fewer_items_than_its_prefix_is_warned_about() {
    let schema = "{type: array, prefixItems: [{type: string}, {type: integer, format: int32}], items: false}";
    let result = generated("t.yaml", &one_schema("3.1.0", schema));
    let warnings = warnings(&result);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].0, "#/components/schemas/Subject");
    assert!(warnings[0].1.contains("fewer than its 2 prefixItems (minItems 0)"), "{warnings:#?}");
    assert!(result.files["src/t/models.rs"].contains("pub type Subject = (String, i32);"));
}

#[test]
fn max_items_closes_a_tuple_and_one_item_is_still_a_tuple() {
    let schema = "{type: array, prefixItems: [{type: boolean}], items: {type: string}, minItems: 1, maxItems: 1}";
    let result = generated("t.yaml", &one_schema("3.1.0", schema));
    let models = &result.files["src/t/models.rs"];
    assert!(models.contains("pub type Subject = (bool,);"), "{models}");
    assert!(!models.contains("OpenTuple"), "no open tuple, no re-export:\n{models}");
}

#[test]
fn a_prefix_longer_than_rust_tuples_go_is_a_list_of_json_with_a_warning() {
    let items = vec!["{type: string}"; 13].join(", ");
    let schema = format!("{{type: array, prefixItems: [{items}], minItems: 13}}");
    let result = generated("t.yaml", &one_schema("3.1.0", &schema));
    let warnings = warnings(&result);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].0, "#/components/schemas/Subject/prefixItems");
    assert!(warnings[0].1.contains("13 items"), "{warnings:#?}");
    assert!(result.files["src/t/models.rs"].contains("pub type Subject = Vec<serde_json::Value>;"));
}

#[test]
fn a_3_0_document_with_prefix_items_gets_a_warning_and_the_same_types() {
    let schema = "{type: array, prefixItems: [{type: string}, {$ref: '#/components/schemas/Other'}], items: false, minItems: 2}\n    Other: {type: integer}";
    let as_30 = generated("t.yaml", &one_schema("3.0.3", schema));
    let as_31 = generated("t.yaml", &one_schema("3.1.0", schema));
    assert_eq!(as_30.files, as_31.files);
    assert_eq!(warnings(&as_31), Vec::new());
    let warnings = warnings(&as_30);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].0, "#/components/schemas/Subject");
    assert!(warnings[0].1.contains("an OpenAPI 3.1 form in an OpenAPI 3.0 document: `prefixItems`"), "{warnings:#?}");
    assert!(as_30.files["src/t/models.rs"].contains("pub type Subject = (String, Other);"));
}

#[test]
fn boolean_items_are_read_as_json_schema_reads_them() {
    // `items: true` allows anything after the prefix, as no `items` does.
    let open = "{type: array, prefixItems: [{type: string}], items: true, minItems: 1}";
    let models = &generated("t.yaml", &one_schema("3.1.0", open)).files["src/t/models.rs"];
    assert!(models.contains("pub type Subject = cloudspec_runtime::OpenTuple<(String,), serde_json::Value>;"));
    // `items: false` without a prefix allows only an empty array.
    let empty = "{type: array, items: false}";
    let result = generated("t.yaml", &one_schema("3.0.3", empty));
    let models = &result.files["src/t/models.rs"];
    assert!(models.contains("pub type Subject = Vec<serde_json::Value>;"), "{models}");
    let warnings = warnings(&result);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].1.contains("a boolean `items`"), "{warnings:#?}");
}

#[test]
fn contract_tests_build_a_tuple_item_by_item() {
    let spec = r#"
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /points:
    post:
      operationId: add_point
      parameters:
        - name: near
          in: query
          required: true
          schema: {type: array, prefixItems: [{type: integer, minimum: 3}, {type: string, enum: [km]}], items: false, minItems: 2}
        - name: names
          in: query
          required: true
          schema: {type: array, prefixItems: [{type: string}, {type: string}], items: {type: string}, minItems: 3, uniqueItems: true}
        - name: levels
          in: query
          required: true
          schema: {type: array, prefixItems: [{type: integer}, {type: number}, {type: boolean}, {type: boolean}], items: false, minItems: 4, uniqueItems: true}
        - name: units
          in: query
          required: true
          schema: {type: array, prefixItems: [{$ref: '#/components/schemas/Unit'}], items: {$ref: '#/components/schemas/Unit'}, minItems: 2, uniqueItems: true}
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: array, prefixItems: [{type: boolean}], items: {type: integer, minimum: 7}, minItems: 3}
      responses:
        '204': {description: added}
  /rows:
    put:
      operationId: put_row
      parameters:
        - name: near
          in: query
          required: true
          example: [3]
          schema: {type: array, prefixItems: [{type: integer, minimum: 3}, {type: string, enum: [km]}], items: false, minItems: 2}
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: array, prefixItems: [{type: boolean}], items: {type: integer}, minItems: 1}
            example: [false, 1, 2]
      responses:
        '204': {description: stored}
components:
  schemas:
    Unit: {type: string, enum: [km, mi]}
"#;
    let options = cloudspec_codegen::Options { contract_tests: true, ..snapshot_options() };
    let source = SpecSource { file: "t.yaml".into(), text: spec.to_owned() };
    let result = generate(&[source], &options).unwrap_or_else(|d| panic!("{d}"));
    let tests = &result.files["tests/contract.rs"];
    for (argument, json) in [
        ("query.near", r#"[3,\"km\"]"#),
        ("body", "[true,7,7]"),
        // `uniqueItems` tells a tuple's items apart, its prefix's too (the SDK refuses repeats).
        ("query.names", r#"[\"text\",\"text1\",\"text2\"]"#),
        ("query.levels", "[1,2.0,true,false]"),
        ("query.units", r#"[\"km\",\"mi\"]"#),
    ] {
        assert!(
            has(tests, &format!("\"{argument}\", cloudspec_runtime::contract::Origin::Synthesised, \"{json}\"")),
            "{argument} as {json} in\n{tests}"
        );
    }
    // An example fits a tuple item by item; one shorter than the prefix cannot decode, so a value
    // built from the schema replaces it.
    let put = item(tests, "async fn put_row()");
    assert!(has(put, r#""body", cloudspec_runtime::contract::Origin::Spec, "[false,1,2]""#), "{put}");
    assert!(has(put, r#""query.near", cloudspec_runtime::contract::Origin::Synthesised, "[3,\"km\"]""#), "{put}");
}
