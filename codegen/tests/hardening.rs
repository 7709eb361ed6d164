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

/// The diagnostics of a spec that must not generate.
fn refused(text: String) -> String {
    let source = SpecSource { file: "spec/hardening.yaml".into(), text };
    match generate(&[source], &snapshot_options()) {
        Ok(_) => panic!("the spec must be refused"),
        Err(diagnostics) => diagnostics.to_string(),
    }
}

#[test]
fn schemas_nested_too_deep_inline_are_refused_naming_where() {
    // 130 arrays of arrays, or objects holding objects, written inline (a `$ref` chain is
    // `tests/broken-specs/deep-*-chain.yaml`): the parsers' own limit would give "invalid YAML"
    // naming no place; the reader stops first and names the JSON pointer.
    let yaml = |open: &str, close: &str| {
        format!("{HEAD}    Deep: {}{{type: string}}{}\n", open.repeat(130), close.repeat(130))
    };
    let json = |open: &str, close: &str| {
        let head = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": {"Deep": "#;
        format!("{head}{}{{\"type\": \"string\"}}{}}}}}}}", open.repeat(130), close.repeat(130))
    };
    for (spec, place) in [
        (yaml("{type: array, items: ", "}"), "#/components/schemas/Deep/items/items/"),
        (yaml("{type: object, properties: {a: ", "}}"), "#/components/schemas/Deep/properties/a/properties/a/"),
        (json(r#"{"type": "array", "items": "#, "}"), "#/components/schemas/Deep/items/items/"),
    ] {
        let message = refused(spec);
        assert!(message.contains(place) && message.contains("nest more than 100 levels deep"), "{message}");
    }
}

#[test]
fn a_large_enum_holds_any_value_as_a_literal() {
    // The constants of a large enum are printed without syn: hostile values must stay literals.
    let hostile = ["\"}\nfn injected() {}\n//", "\\\"#", "r#\"x\"#", "\u{0}\r\n\t", "/* */ `x`", "名称"];
    let values: Vec<String> = (0..1_001).map(|i| format!("{}{i}", hostile[i % hostile.len()])).collect();
    let quoted: Vec<String> = values.iter().map(|v| serde_json::to_string(v).unwrap()).collect();
    let generated = generate_one(enum_spec("string", quoted.into_iter()));
    let file = syn::parse_file(models(&generated)).expect("models.rs is Rust");
    let mut constants = Vec::new();
    let mut known = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else { continue };
        for member in &block.items {
            let syn::ImplItem::Const(c) = member else { continue };
            let strings = |e: &syn::Expr| literal_values(quote::quote!(#e));
            if c.ident == "KNOWN" {
                known = strings(&c.expr);
            } else {
                constants.extend(strings(&c.expr));
            }
        }
    }
    let mut sorted = values.clone();
    sorted.sort();
    assert_eq!(constants, values, "one constant per value, in the spec's order");
    assert_eq!(known, sorted, "`KNOWN` holds every value, sorted");
    assert!(!file.items.iter().any(|i| matches!(i, syn::Item::Fn(_))), "no value became an item");
}

/// The string literals in `tokens`, in order, unescaped.
fn literal_values(tokens: proc_macro2::TokenStream) -> Vec<String> {
    let mut out = Vec::new();
    for tree in tokens {
        match tree {
            proc_macro2::TokenTree::Group(g) => out.extend(literal_values(g.stream())),
            proc_macro2::TokenTree::Literal(l) => {
                if let Ok(s) = syn::parse2::<syn::LitStr>(proc_macro2::TokenTree::Literal(l).into()) {
                    out.push(s.value());
                }
            }
            _ => {}
        }
    }
    out
}
