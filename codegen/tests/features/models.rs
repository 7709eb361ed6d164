//! Model shapes: names, open enums, constructors and setters, allOf/oneOf/anyOf, recursion, maps, constraints.

use super::*;

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
