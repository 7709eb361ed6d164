//! Specs that used to be mis-generated without a word: a YAML merge key, a long `$ref` alias
//! chain, and enums too large for a Rust `enum`. (Duplicate keys and type chains too deep for
//! rustc are refused: see `tests/broken-specs/`.)

mod support;

use cloudspec_codegen::{generate, Generated, SpecSource};
use support::{has, item, snapshot_options};

fn generate_one(text: String) -> Generated {
    let source = SpecSource { file: "spec/hardening.yaml".into(), text };
    generate(&[source], &snapshot_options()).unwrap_or_else(|d| panic!("must generate:\n{d}"))
}

fn models(generated: &Generated) -> &str {
    &generated.files["src/hardening/models.rs"]
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n";

#[test]
fn a_yaml_merge_key_gives_the_merged_schema() {
    let text = format!(
        "{HEAD}    Base: &base\n      type: object\n      required: [id]\n      properties:\n        id: {{type: string}}\n    Pet:\n      <<: *base\n      description: A pet.\n"
    );
    let generated = generate_one(text);
    let pet = item(models(&generated), "/// A pet.");
    assert!(has(pet, "pub struct Pet { pub id: String, }") || has(pet, "pub id: String,"), "{pet}");
}

#[test]
fn a_long_alias_chain_names_what_its_end_means() {
    let mut text = HEAD.to_owned();
    for i in 0..2_000 {
        text.push_str(&format!("    S{i}: {{$ref: '#/components/schemas/S{}'}}\n", i + 1));
    }
    text.push_str("    S2000: {type: object, properties: {a: {type: string}}}\n");
    let generated = generate_one(text);
    let models = models(&generated);
    assert!(models.contains("pub type S0 = S2000;"), "an alias of an alias is what the last one means");
    assert!(models.contains("pub type S1999 = S2000;"));
    assert!(models.contains("pub struct S2000 {"));
}

fn enum_spec(kind: &str, values: impl Iterator<Item = String>) -> String {
    let list: Vec<String> = values.collect();
    format!("{HEAD}    Big:\n      type: {kind}\n      default: {}\n      enum: [{}]\n", list[1], list.join(", "))
}

#[test]
fn enums_beyond_a_thousand_values_are_newtypes_with_constants() {
    let generated = generate_one(enum_spec("string", (0..1_001).rev().map(|i| format!("v-{i}"))));
    let models = models(&generated);
    assert!(models.contains("pub struct Big(std::borrow::Cow<'static, str>);"), "a newtype, not an enum");
    assert!(!models.contains("pub enum Big"));
    assert!(has(models, "pub const V1000: Self = Self::documented(\"v-1000\");"));
    // `KNOWN` is sorted, for `is_known`'s binary search.
    assert!(has(models, "pub const KNOWN: &'static [&'static str] = &[\"v-0\", \"v-1\", \"v-10\","), "sorted");
    assert!(has(models, "impl Default for Big { fn default() -> Self { Self::V999 } }"));
    assert!(has(models, "Self::KNOWN.binary_search(&self.as_str()).is_ok()"));

    let generated = generate_one(enum_spec("integer", (0..1_001).map(|i| (i * 7 - 3000).to_string())));
    let integers = &generated.files["src/hardening/models.rs"];
    assert!(integers.contains("pub struct Big(i64);"));
    assert!(has(integers, "pub const Vminus3000: Self = Self(-3000);"));
    assert!(has(integers, "pub fn as_i64(&self) -> i64 { self.0 }"));
}

#[test]
fn enums_up_to_a_thousand_values_stay_enums() {
    let generated = generate_one(enum_spec("string", (0..1_000).map(|i| format!("v-{i}"))));
    assert!(models(&generated).contains("pub enum Big {"));
}
