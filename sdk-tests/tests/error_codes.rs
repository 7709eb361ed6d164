//! The published error-code catalogues as the SDK exposes them: templated codes match the codes
//! services really return, and an unknown code is simply not documented.

use cloudspec::batchcompute::error_codes as batchcompute;
use cloudspec::roma::error_codes as roma;

#[test]
fn a_templated_code_documents_the_codes_it_stands_for() {
    let entry = batchcompute::lookup("InvalidGroups.group1").expect("InvalidGroups.{key} documents it");
    assert_eq!(entry.code, "InvalidGroups.{key}");
    let value = batchcompute::lookup("InvalidUserData.owner.value").expect("the most specific template wins");
    assert_eq!(value.code, "InvalidUserData.{key}.value");
}

#[test]
fn an_exact_entry_wins_over_a_template() {
    assert_eq!(batchcompute::lookup("InvalidGroups").map(|e| e.code), Some("InvalidGroups"));
}

#[test]
fn every_entry_of_a_code_listed_once_per_cause_is_found() {
    let entries: Vec<_> = batchcompute::lookup_all("InvalidName").collect();
    let exact: Vec<_> = entries.iter().filter(|e| e.code == "InvalidName").filter_map(|e| e.message).collect();
    assert_eq!(exact.len(), 3, "{exact:?}");
    assert!(exact.iter().any(|m| m.contains("[1, 64]")), "{exact:?}");
    // The generic `Invalid{Parameter}` documents it too.
    assert_eq!(
        entries.iter().map(|e| e.code).filter(|c| *c != "InvalidName").collect::<Vec<_>>(),
        ["Invalid{Parameter}"]
    );
    assert_eq!(batchcompute::lookup_with_status("InvalidName", 400).and_then(|e| e.status), Some(400));
}

#[test]
fn codes_outside_the_catalogue_are_not_documented() {
    assert!(batchcompute::lookup("NoSuchCode").is_none());
    assert!(roma::lookup("APIG.0000000").is_none());
    let documented = roma::lookup("APIG.3067").expect("ROMA documents APIG.3067");
    assert_eq!(documented.status, Some(404));
}
