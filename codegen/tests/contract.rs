//! Contract tests (`Options::contract_tests`): what `tests/contract.rs` calls each operation with,
//! from the spec's examples or built from the schemas, and that nothing changes without the
//! option. (They run against Prism in `cargo xtask corpus --contract`.)

mod support;

use cloudspec_codegen::{generate, Generated, Options, SpecSource};
use std::collections::BTreeMap;
use support::{item, snapshot_options, squash};

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Contract, version: "1"}
paths:
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string, format: uuid}}
    get:
      operationId: getPet
      parameters:
        - {name: limit, in: query, required: true, schema: {type: integer, minimum: 5, maximum: 9}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}}, example: ["a", "b"]}
        - {name: skip, in: query, schema: {type: integer}}
        - name: X-Code
          in: header
          required: true
          schema: {type: string, pattern: "^[A-Z]{2}-[0-9]{3}$"}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
    put:
      operationId: putPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Pet"}
            examples:
              hostile: {value: {name: "\"); panic!(\"boom", kind: cat}}
      responses:
        "204": {description: done}
  /pets/{petId}#archive:
    post:
      operationId: archivePet
      parameters:
        - {name: petId, in: path, required: true, schema: {type: string}, example: p-1}
      responses:
        "204": {description: archived}
  /notes:
    post:
      operationId: addNote
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Pet"}
            example: "{\"name\": \"rex\", \"kind\": \"dog\"}"
      responses:
        "204": {description: added}
    put:
      operationId: putNote
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Pet"}
            example: [{name: rex}]
      responses:
        "204": {description: put}
  /tags:
    get:
      operationId: listTags
      responses:
        "200":
          description: the tags, or null
          content: {application/json: {schema: {type: array, nullable: true, uniqueItems: true, minItems: 2, items: {type: string}}}}
  /things:
    post:
      operationId: makeThing
      security: [{basic: []}]
      parameters:
        - {name: mode, in: query, required: true, schema: {type: string, enum: [fast, slow]}}
        - {name: since, in: query, required: true, schema: {type: string, format: date-time, example: "2020-02-02T00:00:00Z"}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
      responses:
        "201": {description: made}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    basic: {type: http, scheme: basic}
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    Pet:
      type: object
      required: [name, kind]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        kind: {type: string, enum: [cat, dog]}
    Thing:
      allOf:
        - type: object
          required: [id, shape, sizes, code]
          properties:
            id: {type: string, readOnly: true}
            shape: {$ref: "#/components/schemas/Shape"}
            sizes: {type: array, minItems: 2, items: {type: integer, exclusiveMinimum: true, minimum: 10}}
            code: {type: string, minLength: 6, maxLength: 8}
        - type: object
          required: [owner]
          properties:
            owner: {type: object, required: [email], properties: {email: {type: string, format: email}}}
    Shape:
      oneOf: [{$ref: "#/components/schemas/Circle"}, {$ref: "#/components/schemas/Square"}]
      discriminator: {propertyName: type, mapping: {round: "#/components/schemas/Circle"}}
    Circle:
      type: object
      required: [type, radius]
      properties: {type: {type: string}, radius: {type: number, example: 2.5}}
    Square:
      type: object
      required: [type, side]
      properties: {type: {type: string}, side: {type: number}}
security: [{bearer: []}, {key: []}]
"##;

/// Whether `haystack` has `needle`, whitespace and the trailing commas of wrapped calls aside.
fn has(haystack: &str, needle: &str) -> bool {
    squash(haystack).replace(",)", ")").contains(&squash(needle))
}

fn contract_options() -> Options {
    Options { contract_tests: true, ..snapshot_options() }
}

fn generated(options: &Options) -> Generated {
    let source = SpecSource { file: "shop.yaml".into(), text: SPEC.to_owned() };
    generate(&[source], options).unwrap_or_else(|d| panic!("{d}"))
}

/// The files of the crate generated with contract tests from `text`, read as the file `file`.
fn contract_files(file: &str, text: &str) -> BTreeMap<String, String> {
    let source = SpecSource { file: file.into(), text: text.to_owned() };
    generate(&[source], &contract_options()).unwrap_or_else(|d| panic!("{d}")).files
}

#[test]
fn each_operation_gets_a_test_named_after_its_method() {
    let files = generated(&contract_options()).files;
    let tests = &files["tests/contract.rs"];
    for (method, operation) in
        [("get_pet", "getPet"), ("put_pet", "putPet"), ("make_thing", "makeThing"), ("add_note", "addNote")]
    {
        let test = item(tests, &format!("async fn {method}()"));
        assert!(has(test, &format!("Call::start({operation:?})")), "{test}");
        assert!(has(test, &format!("let mut result = client.{method}(&request).await;")), "{test}");
        assert!(
            has(test, &format!("result = client.with_options(call.generated_responses()).{method}(&request).await;")),
            "{test}"
        );
    }
    assert_eq!(tests.matches("#[tokio::test]").count(), 7, "{tests}");
    assert!(tests.contains("#![cfg(feature = \"shop\")]"), "{tests}");
    assert!(has(tests, "Placeholder::Token(\"bearer\"), cloudspec_runtime::contract::Placeholder::Basic(\"basic\"), cloudspec_runtime::contract::Placeholder::Token(\"key\")"), "every scheme gets a placeholder: {tests}");
    let cargo = &files["Cargo.toml"];
    assert!(has(cargo, "[dev-dependencies]\ncloudspec-runtime = { version"), "{cargo}");
    assert!(has(cargo, "path = \"../../runtime\", features = [\"contract\"] }"), "{cargo}");
}

#[test]
fn arguments_come_from_examples_or_are_built_to_fit_the_schema() {
    let files = generated(&contract_options()).files;
    let tests = &files["tests/contract.rs"];
    let get = item(tests, "async fn get_pet()");
    for expected in [
        // No example: a uuid, the minimum, a match of the pattern.
        r#"let pet_id: String = call.value("path.petId", cloudspec_runtime::contract::Origin::Synthesised, "\"4f6c9b4e-8a0e-4c5e-9f57-2d1a6f0b3c11\"");"#,
        r#"let limit: i64 = call.value("query.limit", cloudspec_runtime::contract::Origin::Synthesised, "5");"#,
        r#"let x_code: String = call.value("header.X-Code", cloudspec_runtime::contract::Origin::Synthesised, "\"AA-000\"");"#,
        // An optional parameter with an example is set; one without is not.
        r#"let tags: Vec<String> = call.value("query.tags", cloudspec_runtime::contract::Origin::Spec, "[\"a\",\"b\"]");"#,
        "GetPetRequest::new(pet_id, limit, x_code).with_tags(tags);",
    ] {
        assert!(has(get, expected), "{expected} in {get}");
    }
    assert!(!get.contains("skip"), "{get}");
    let make = item(tests, "async fn make_thing()");
    assert!(
        has(make, r#"call.value("query.mode", cloudspec_runtime::contract::Origin::Synthesised, "\"fast\"")"#),
        "{make}"
    );
    assert!(
        has(
            make,
            r#"call.value("query.since", cloudspec_runtime::contract::Origin::Spec, "\"2020-02-02T00:00:00Z\"")"#
        ),
        "{make}"
    );
    // allOf parts merged, readOnly left out, the discriminator's mapped tag, minItems items
    // above an exclusive minimum, minLength met, a nested required object with its format.
    let body = r#"{\"shape\":{\"type\":\"round\",\"radius\":2.5},\"sizes\":[11,11],\"code\":\"texttt\",\"owner\":{\"email\":\"user@example.com\"}}"#;
    assert!(
        has(
            make,
            &format!(
                "let body: Thing = call.value(\"body\", cloudspec_runtime::contract::Origin::Synthesised, \"{body}\");"
            )
        ),
        "{make}"
    );
}

#[test]
fn spec_text_in_examples_stays_a_string_literal() {
    let files = generated(&contract_options()).files;
    let put = item(&files["tests/contract.rs"], "async fn put_pet()");
    assert!(
        has(
            put,
            r#"call.value("body", cloudspec_runtime::contract::Origin::Spec, "{\"name\":\"\\\"); panic!(\\\"boom\",\"kind\":\"cat\"}")"#
        ),
        "{put}"
    );
    syn::parse_file(&files["tests/contract.rs"]).expect("the test file parses");
    assert!(!put.contains("panic!(\"boom\")"), "{put}");
}

#[test]
fn without_the_option_nothing_changes() {
    let with = generated(&contract_options()).files;
    let without = generated(&snapshot_options()).files;
    assert!(!without.contains_key("tests/contract.rs"));
    assert!(!without["Cargo.toml"].contains("\"contract\""), "{}", without["Cargo.toml"]);
    for (path, text) in &without {
        if path != "Cargo.toml" {
            assert_eq!(Some(text), with.get(path), "{path} differs with contract tests");
        }
    }
}

#[test]
fn examples_in_the_wrong_shape_are_read_as_json_text_or_set_aside() {
    let files = generated(&contract_options()).files;
    let tests = &files["tests/contract.rs"];
    // JSON written as text for an object schema: the JSON it holds.
    let add = item(tests, "async fn add_note()");
    assert!(
        has(
            add,
            r#"call.value("body", cloudspec_runtime::contract::Origin::Spec, "{\"name\":\"rex\",\"kind\":\"dog\"}")"#
        ),
        "{add}"
    );
    // A list for an object: a value built from the schema instead.
    let put = item(tests, "async fn put_note()");
    assert!(
        has(
            put,
            r#"call.value("body", cloudspec_runtime::contract::Origin::Synthesised, "{\"name\":\"text\",\"kind\":\"cat\"}")"#
        ),
        "{put}"
    );
}

#[test]
fn a_fragment_in_a_path_template_is_not_sent() {
    let files = generated(&snapshot_options()).files;
    let client = &files["src/shop/client.rs"];
    let method = item(client, "    pub async fn archive_pet(");
    assert!(
        has(
            method,
            r#"build_path(&[cloudspec_runtime::request::PathPiece::Text("/pets/"), cloudspec_runtime::request::PathPiece::Param(path_pet_id)"#
        ),
        "{method}"
    );
    assert!(!method.contains("#archive\")"), "the fragment stays out of the path: {method}");
}

#[test]
fn a_response_body_that_may_be_null_is_an_option() {
    // Prism (generating from the schema) answers `null`: the method must take it.
    let files = generated(&snapshot_options()).files;
    let method = item(&files["src/shop/client.rs"], "    pub async fn list_tags(");
    assert!(has(method, "-> Result<cloudspec_runtime::Response<Option<Vec<String>>>,"), "{method}");
}

/// Operations the spec itself makes fail, whatever the SDK sends or decodes.
const FAULTY: &str = r##"
openapi: 3.0.3
info: {title: Faulty, version: "1"}
paths:
  /attachments:
    post:
      operationId: attach
      requestBody:
        content:
          multipart/form-data:
            schema: {type: string, format: binary}
      responses:
        "204": {description: stored}
  /files:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              required: [attributes, file]
              properties:
                attributes: {type: object, properties: {name: {type: string}}}
                file: {type: string, format: binary}
                note: {type: string}
      responses:
        "204": {description: stored}
  /schemes:
    post:
      operationId: makeScheme
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [screens]
              properties:
                name: {type: string}
                screens: {allOf: [{$ref: "#/components/schemas/Screens"}]}
      responses:
        "204": {description: made}
  /collaborations:
    get:
      operationId: getCollaboration
      responses:
        "200":
          description: one
          content:
            application/json:
              schema:
                type: object
                properties:
                  created_by:
                    allOf:
                      - {$ref: "#/components/schemas/User"}
                      - {example: [{id: "1"}, {name: "x"}]}
  /revoke:
    post:
      operationId: revoke
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, required: [grant_type], properties: {token: {type: string}}}
      responses:
        "204": {description: revoked}
  /actions:
    post:
      operationId: act
      requestBody:
        content:
          application/json:
            schema:
              oneOf: [{$ref: "#/components/schemas/Action"}, {$ref: "#/components/schemas/Snapshot"}]
      responses:
        "204": {description: done}
  /shared:
    get:
      operationId: getShared
      responses:
        "200": {description: a file, content: {application/json: {schema: {$ref: "#/components/schemas/User"}}}}
  /shared#app:
    get:
      operationId: getSharedApp
      responses:
        "200": {description: an app, content: {application/json: {schema: {$ref: "#/components/schemas/User"}}}}
components:
  schemas:
    Screens:
      type: object
      required: [defaultScreen]
      additionalProperties: false
      properties:
        default: {type: integer}
    User:
      type: object
      properties:
        id: {type: string, example: "7"}
        name: {type: string}
    Action:
      type: object
      required: [type]
      properties: {type: {type: string, enum: [reboot, snapshot]}}
    Snapshot:
      allOf:
        - $ref: "#/components/schemas/Action"
        - {type: object, properties: {name: {type: string}}}
"##;

#[test]
fn what_the_spec_makes_fail_is_told_to_the_call() {
    let files = contract_files("faulty.yaml", FAULTY);
    let tests = &files["tests/contract.rs"];
    let told = |method: &str, statement: &str| {
        let test = item(tests, &format!("async fn {method}()"));
        assert!(has(test, statement), "no `{statement}` in {test}");
    };
    told(
        "attach",
        r#"call.body_caveat("the spec's multipart/form-data schema is no object (a form is named parts), so no form matches it", &[]);"#,
    );
    // The bare binary form body is `Vec<u8>`: the sample's bytes (`Y29u...`), not base64 text.
    told("attach", "[89,50,57,117,");
    told(
        "upload",
        r#"so the object or list part `attributes` cannot match its schema (a limit of the mock: the part is sent as OpenAPI's encoding says)", &["attributes"]);"#,
    );
    told(
        "make_scheme",
        r#"call.body_caveat("`screens` requires `defaultScreen`, which its schema does not declare while `additionalProperties: false` forbids it: no body satisfies the spec", &["screens"]);"#,
    );
    told(
        "get_collaboration",
        r#"call.broken_response_example("the 200 response's schema has an example that breaks it: `created_by` is given as [{\"id\":\"1\"},{\"name\":\"x\"}]");"#,
    );
    told(
        "get_shared",
        r#"call.same_request("`/shared` and `getSharedApp` are one request on the wire (`GET /shared`: a `#` fragment is never sent), so the mock answers both as one of them");"#,
    );
    told("get_shared_app", "call.same_request(");
    told(
        "revoke",
        r#"call.body_caveat("Prism reads only the declared properties of a form body, so `grant_type`, required but not declared by the spec, never reaches its check (the SDK sends it)", &["grant_type"]);"#,
    );
    told(
        "act",
        r#"call.body_caveat("the body is a oneOf whose alternatives `Action` and `Snapshot` take the same values (one is the other with optional properties), so no value matches exactly one", &[]);"#,
    );
    // Nothing to tell: a plain call.
    let clean = ["async fn get_shared()", "async fn upload()"].map(|name| item(tests, name));
    assert!(clean.iter().all(|t| !t.contains("broken_response_example")), "{clean:?}");
}

/// A discriminator `mapping` may name its schemas by `$ref` or by bare name (OpenAPI allows both).
const BARE_MAPPING: &str = r##"
openapi: 3.0.3
info: {title: Shapes, version: "1"}
paths:
  /shapes:
    post:
      operationId: drawShape
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Shape"}}}
      responses:
        "204": {description: drawn}
components:
  schemas:
    Shape:
      oneOf: [{$ref: "#/components/schemas/Circle"}, {$ref: "#/components/schemas/Square"}]
      discriminator: {propertyName: kind, mapping: {round: Circle, square: "#/components/schemas/Square"}}
    Circle:
      type: object
      required: [kind, radius]
      properties: {kind: {type: string}, radius: {type: integer}}
    Square:
      type: object
      required: [kind, side]
      properties: {kind: {type: string}, side: {type: integer}}
"##;

#[test]
fn a_built_body_carries_the_tag_its_type_decodes_even_for_a_mapping_by_bare_name() {
    let files = contract_files("shapes.yaml", BARE_MAPPING);
    // The enum decodes `round` (the mapping's key for `Circle`), not the schema's name.
    let models = &files["src/shapes/models.rs"];
    assert!(has(models, r#""round" => { serde_json::from_value(value).map(Self::Circle)"#), "{models}");
    let draw = item(&files["tests/contract.rs"], "async fn draw_shape()");
    let body =
        r#"call.value("body", cloudspec_runtime::contract::Origin::Synthesised, "{\"kind\":\"round\",\"radius\":1}")"#;
    assert!(has(draw, body), "{draw}");
}

/// Constraints written beside a scalar `allOf` (`maxLength` in a part of their own, `minimum` on
/// the wrapper, or on a wrapper the part refers to) hold for the value, as the SDK's validation
/// checks them.
const WRAPPED_SCALARS: &str = r##"
openapi: 3.0.3
info: {title: Wrapped, version: "1"}
paths:
  /things:
    post:
      operationId: makeThing
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [code, size, capped]
              properties:
                code: {allOf: [{$ref: "#/components/schemas/Slug"}, {maxLength: 3}]}
                size: {allOf: [{$ref: "#/components/schemas/Count"}], minimum: 5, exclusiveMinimum: true}
                capped: {allOf: [{$ref: "#/components/schemas/Capped"}], minimum: 7}
      responses:
        "204": {description: made}
components:
  schemas:
    Slug: {type: string}
    Count: {type: integer}
    Capped: {allOf: [{$ref: "#/components/schemas/Count"}], maximum: 9}
"##;

#[test]
fn a_built_scalar_meets_the_constraints_around_its_all_of() {
    let files = contract_files("wrapped.yaml", WRAPPED_SCALARS);
    let models = &files["src/wrapped/models.rs"];
    assert!(has(models, "report.length(path, value, None, Some(3));"), "{models}");
    assert!(has(models, "report.range(path, *value, Some((5, true)), None);"), "{models}");
    assert!(has(models, "report.range(path, *value, Some((7, false)), Some((9, false)));"), "{models}");
    let make = item(&files["tests/contract.rs"], "async fn make_thing()");
    // `capped` was 1: samples read the outer `minimum: 7` with the type of the part (`Capped`,
    // itself a wrapper, has none), so dropped it, rather than walking on to `Count`.
    let body = r#"call.value("body", cloudspec_runtime::contract::Origin::Synthesised, "{\"code\":\"tex\",\"size\":6,\"capped\":7}")"#;
    assert!(has(make, body), "{make}");
}
