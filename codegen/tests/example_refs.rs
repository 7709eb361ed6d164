//! Examples reached through `$ref`s: the example tests (lowering) and the contract tests'
//! arguments read an `examples` map the same way, following a chain of `$ref`s to its end.

mod support;

use cloudspec_codegen::{generate, Generated, Options, SpecSource};
use support::{has, item, snapshot_options};

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Refs, version: "1"}
paths:
  /pets:
    post:
      operationId: addPet
      parameters:
        - name: kind
          in: query
          required: true
          schema: {type: string}
          examples:
            empty: {value: null}
            cat: {$ref: "#/components/examples/Cat"}
      requestBody: {$ref: "#/components/requestBodies/NewPet"}
      responses:
        "204": {description: added}
components:
  requestBodies:
    NewPet: {$ref: "#/components/requestBodies/Pet"}
    Pet:
      required: true
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Pet"}
          examples:
            rex: {$ref: "#/components/examples/Rex"}
  examples:
    Rex: {$ref: "#/components/examples/Dog"}
    Dog: {value: {name: rex}}
    Cat: {$ref: "#/components/examples/Tabby"}
    Tabby: {value: tabby}
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
"##;

fn generated(options: &Options) -> Generated {
    let source = SpecSource { file: "refs.yaml".into(), text: SPEC.to_owned() };
    generate(&[source], options).unwrap_or_else(|d| panic!("{d}"))
}

#[test]
fn the_contract_call_takes_the_first_example_at_the_end_of_its_chain() {
    let files = generated(&Options { contract_tests: true, ..snapshot_options() }).files;
    let test = item(&files["tests/contract.rs"], "async fn add_pet()");
    // The request body is two `$ref`s away, its example two more.
    assert!(
        has(test, r#"call.value("body", cloudspec_runtime::contract::Origin::Spec, "{\"name\":\"rex\"}")"#),
        "{test}"
    );
    // An entry without a value is passed over for the next.
    assert!(has(test, r#"call.value("query.kind", cloudspec_runtime::contract::Origin::Spec, "\"tabby\"")"#), "{test}");
}

#[test]
fn the_example_tests_follow_the_same_chain() {
    let files = generated(&snapshot_options()).files;
    let tests = files.get("tests/refs_examples.rs").map_or("", String::as_str);
    // The body's only example is two `$ref`s away from its entry.
    assert!(has(tests, r##"fn add_pet_request_example_rex() { let example = r#"{"name": "rex"}"#;"##), "{tests}");
}
