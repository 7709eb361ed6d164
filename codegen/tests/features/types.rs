//! Odd type names and enum values, formats, nullability, read/write-only, bounds, closed maps, discriminators.

use super::*;

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
