//! OpenAPI 3.1: documents read as JSON Schema 2020-12 writes them, and 3.0 documents that use
//! 3.1's forms (warned about, and read the same way).
//!
//! The 3.1 feature spec (`tests/features/openapi31.yaml`) is also generated into the
//! `feature-snapshots` crate, which clippy compiles; the public 3.1 documents are compiled by
//! `cargo xtask corpus`.

mod support;

use cloudspec_codegen::{generate, Generated, Severity, SpecSource};
use support::{item, snapshot_options};

fn spec(file: &str, text: &str) -> SpecSource {
    SpecSource { file: file.to_owned(), text: text.to_owned() }
}

fn read(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn generated(source: SpecSource) -> Generated {
    generate(&[source], &snapshot_options()).unwrap_or_else(|d| panic!("must generate:\n{d}"))
}

fn warnings(generated: &Generated) -> Vec<(String, String)> {
    assert!(generated.warnings.iter().all(|w| w.severity == Severity::Warning));
    generated.warnings.iter().map(|w| (w.pointer.clone(), w.message.clone())).collect()
}

const OPENAI_STYLE: &str = "tests/openapi31/openai-style-3.0.yaml";

#[test]
fn a_3_0_document_using_3_1_forms_generates_with_a_warning_per_form() {
    let result = generated(spec("openai-style.yaml", &read(OPENAI_STYLE)));
    let warnings = warnings(&result);
    let expected = [
        (
            "#/components/schemas/CompletionRequest/properties/suffix/anyOf/1",
            "`\"null\"` as a type",
            "(and 2 more places)",
        ),
        ("#/components/schemas/CompletionRequest/properties/max_tokens", "`type` given as a list", ""),
        ("#/components/schemas/CompletionRequest/properties/max_tokens", "numeric `exclusiveMinimum`", ""),
        ("#/components/schemas/CompletionRequest/properties/stream", "`const`", ""),
    ];
    for (pointer, form, more) in expected {
        assert!(
            warnings.iter().any(|(p, m)| p == pointer
                && m.contains(form)
                && m.contains(more)
                && m.contains("an OpenAPI 3.1 form in an OpenAPI 3.0 document")),
            "no warning at {pointer} about {form}: {warnings:#?}"
        );
    }
    assert_eq!(warnings.len(), expected.len(), "{warnings:#?}");
    let models = &result.files["src/openai_style/models.rs"];
    let request = item(models, "pub struct CompletionRequest {");
    assert!(request.contains("pub suffix: Option<String>"), "{request}");
    assert!(request.contains("pub max_tokens: Option<i64>"), "{request}");
    let completion = item(models, "pub struct Completion {");
    assert!(completion.contains("pub finish_reason: Option<CompletionFinishReason>"), "{completion}");
    assert!(request.contains("Constraints: more than 0."), "the exclusive bound is checked:\n{request}");
}

#[test]
fn a_3_0_document_using_3_1_forms_means_what_the_3_1_document_means() {
    let text = read(OPENAI_STYLE);
    let as_30 = generated(spec("openai-style.yaml", &text));
    let as_31 = generated(spec("openai-style.yaml", &text.replace("openapi: 3.0.3", "openapi: 3.1.0")));
    assert_eq!(as_30.files, as_31.files);
    assert_eq!(warnings(&as_31), Vec::new(), "3.1 forms in a 3.1 document are no news");
}

fn features_31() -> Generated {
    generated(spec("tests/features/openapi31.yaml", &read("tests/features/openapi31.yaml")))
}

#[test]
fn webhooks_are_warned_about_and_not_generated() {
    let result = features_31();
    let warnings = warnings(&result);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].0, "#/webhooks");
    assert!(warnings[0].1.contains("petAdopted") && warnings[0].1.contains("not generated"), "{warnings:#?}");
    assert!(!result.files["src/openapi31/client.rs"].contains("pet_adopted"));
}

#[test]
fn path_items_in_components_and_info_summary_are_read() {
    let result = features_31();
    let client = &result.files["src/openapi31/client.rs"];
    for method in ["pub async fn get_pet(", "pub async fn put_pet(", "pub async fn upload_photo("] {
        assert!(client.contains(method), "no {method} in\n{client}");
    }
    let module = &result.files["src/openapi31/mod.rs"];
    assert!(module.contains("Every OpenAPI 3.1 form the generator reads"), "{module}");
}

#[test]
fn null_types_const_and_const_alternatives_become_options_and_enums() {
    let result = features_31();
    let models = &result.files["src/openapi31/models.rs"];
    let pet = item(models, "pub struct Pet {");
    for field in [
        "pub nickname: Option<String>",
        "pub owner: Option<Owner>",
        "pub tag: PetTag",
        "pub kind: Kind",
        "pub scores: Option<Vec<Option<i64>>>",
        "pub size: Option<PetSize>",
    ] {
        assert!(pet.contains(field), "no `{field}` in\n{pet}");
    }
    let kind = item(models, "pub enum Kind {");
    assert!(kind.contains("/// A dog.\n    ///\n    /// `dog`\n    Dog,") && kind.contains("Cat,"), "{kind}");
    assert!(item(models, "pub enum OwnerLevel {").contains("V1,"));
    assert!(item(models, "pub enum PetTag {").contains("Pet,"));
}

#[test]
fn ref_siblings_exclusive_bounds_and_content_encodings_apply() {
    let result = features_31();
    let models = &result.files["src/openapi31/models.rs"];
    let pet = item(models, "pub struct Pet {");
    assert!(pet.contains("The pet's name"), "the $ref's description:\n{pet}");
    assert!(pet.contains("Constraints: length 1 to 10.\n    pub name: Name,"), "the $ref's maxLength:\n{pet}");
    assert!(pet.contains("Constraints: more than 0; less than 500."), "{pet}");
    assert!(pet.contains("pub weight: Option<f64>") && pet.contains("pub photo_base64: Option<String>"), "{pet}");
    let upload = item(models, "pub struct UploadPhotoRequestBody {");
    assert!(upload.contains("pub photo: Vec<u8>"), "contentMediaType without an encoding is a file:\n{upload}");
}
