//! Behaviour of generated code for the generator's edge-case spec
//! (`codegen/tests/features/edge_cases.yaml`, module `edges` of `feature-snapshots`): checks that
//! reach through `$ref`s and `allOf`, map keys, request bodies, one-direction required fields,
//! query styles and a `default`-only response, on the wire.

// `self` is a deprecated operation in the spec; calling it is the point of some tests here.
#![allow(deprecated)]

use feature_snapshots::edges::{
    AsRef2, Client, Invite, Labeled, Level, PutNoteRequest, Region, SelfRequest, TypePage, TypeRequest, TypeResponse,
};
use feature_snapshots::{Config, Credentials, Error, Validate};
use serde_json::json;
use std::collections::BTreeMap;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn violations(value: &impl Validate) -> Vec<String> {
    value.validate().map_or_else(|e| e.violations.iter().map(ToString::to_string).collect(), |()| Vec::new())
}

async fn client(server: &MockServer) -> Client {
    let config = Config::builder().endpoint(server.uri()).credentials(Credentials::token("t0k3n")).build().unwrap();
    Client::new(config).unwrap()
}

#[test]
fn required_properties_the_spec_does_not_declare_are_sent_and_may_be_absent() {
    // `id` and `grants` are required but have no schema: any JSON value, sent as given.
    let invite = Invite::new("ann", json!({"org": 7}), "all");
    assert_eq!(serde_json::to_value(&invite).unwrap(), json!({"login": "ann", "id": {"org": 7}, "grants": "all"}));
    // A response without them decodes (as null), and encodes as it came.
    let received: Invite = serde_json::from_value(json!({"login": "ann"})).unwrap();
    assert_eq!(received.id, serde_json::Value::Null);
    assert_eq!(serde_json::to_value(&received).unwrap(), json!({"login": "ann"}));
}

#[test]
fn required_read_only_and_write_only_fields_may_be_absent() {
    // `created` (readOnly) and `secret` (writeOnly) are required, yet responses omit `secret`
    // and requests omit `created`.
    let response: Region = serde_json::from_value(json!({"slug": "ams", "created": "2026-01-01", "size": 3})).unwrap();
    assert_eq!(response.secret, None);
    let request: Region = serde_json::from_value(json!({"slug": "ams", "secret": "s"})).unwrap();
    assert_eq!(serde_json::to_value(&request).unwrap(), json!({"slug": "ams", "secret": "s"}));
    // readOnly fields are not checked in requests (`created` has minLength 100, `size` a maximum).
    let mut region = request;
    region.created = Some("short".into());
    region.size = Some(1000);
    assert_eq!(violations(&region), Vec::<String>::new());
    // But a request must carry the required write-only `secret`.
    assert_eq!(violations(&response), ["secret: is required, but not set"]);
}

#[test]
fn constraints_are_checked_through_refs_and_all_of() {
    let region: Region = serde_json::from_value(json!({
        "slug": "AMS",
        "secret": "s",
        "short_name": "toolong",
        "initials": "abc",
        "labels": ["a", "a", "b"],
        "counts": [0, 50, 101],
    }))
    .unwrap();
    let found = violations(&region);
    for expected in [
        "slug: the value does not match the pattern ^[a-z]+$",
        "short_name: length 7 is above the maximum 4",
        "initials: length 3 is above the maximum 2",
        "labels: 3 items are more than the maximum 2",
        "labels: items 0 and 1 are equal, but the items must be unique",
        "counts[0]: 0 is below the minimum 1",
        "counts[2]: 101 is above the maximum 100",
    ] {
        assert!(found.iter().any(|v| v == expected), "missing {expected:?} in {found:#?}");
    }
    assert_eq!(found.len(), 7, "{found:#?}");
}

#[test]
fn map_keys_meet_x_property_names() {
    let mut region: Region = serde_json::from_value(json!({"slug": "ams", "secret": "s"})).unwrap();
    region.user_data = Some(BTreeMap::from([
        ("ok".to_owned(), "v".to_owned()),
        ("TOOLONG".to_owned(), "v".to_owned()),
        (String::new(), "v".to_owned()),
    ]));
    let found = violations(&region);
    assert_eq!(
        found,
        vec![
            "user_data[\"\"]: key length 0 is below the minimum 1".to_owned(),
            "user_data[\"\"]: the key does not match the pattern ^[a-z]+$".to_owned(),
            "user_data[\"TOOLONG\"]: key length 7 is above the maximum 4".to_owned(),
            "user_data[\"TOOLONG\"]: the key does not match the pattern ^[a-z]+$".to_owned(),
        ]
    );
}

#[test]
fn extra_keys_of_a_struct_meet_x_property_names() {
    let labeled: Labeled = serde_json::from_value(json!({"name": "n", "abc": "ok", "abcd": "too long a key"})).unwrap();
    assert_eq!(violations(&labeled), vec!["[\"abcd\"]: key length 4 is above the maximum 3".to_owned()]);
}

#[test]
fn a_request_body_s_own_constraints_are_checked() {
    let names = ["a", "b", "c", "d"].map(String::from).to_vec();
    assert_eq!(violations(&SelfRequest::new(names)), vec!["(request): 4 items are more than the maximum 3".to_owned()]);
    assert_eq!(
        violations(&SelfRequest::new(vec![String::new()])),
        vec!["[0]: length 0 is below the minimum 1".to_owned()]
    );
    assert_eq!(
        violations(&PutNoteRequest::new("more than ten characters".to_owned())),
        vec!["(request): length 24 is above the maximum 10".to_owned()]
    );
}

#[test]
fn parameters_are_checked_through_aliases() {
    let request = TypeRequest::new(
        0,
        "en-us",
        Level::V1,
        AsRef2::Fast,
        vec!["x".to_owned(), "x".to_owned(), "y".to_owned()],
        7,
        1,
        0.5,
    );
    let found = violations(&request);
    assert!(found.contains(&"count: 0 is below the minimum 1".to_owned()), "{found:#?}");
    assert!(found.contains(&"tags: 3 items are more than the maximum 2".to_owned()), "{found:#?}");
}

#[tokio::test]
async fn query_styles_go_on_the_wire_as_the_spec_says() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/type"))
        .and(query_param("ids", "1|2"))
        .and(query_param("words", "a b"))
        .and(query_param("filter[color]", "red"))
        .and(query_param("where[code]", "E1"))
        .and(query_param("tags", "x"))
        .and(query_param("size", "10"))
        .and(query_param("token", "next"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("exact")))
        .expect(1)
        .mount(&server)
        .await;
    let request = TypeRequest::new(5, "en-us", Level::V2, AsRef2::Slow, vec!["x".to_owned()], 7, 1, 0.5)
        .with_ids(vec![1, 2])
        .with_words(vec!["a".to_owned(), "b".to_owned()])
        .with_filter(BTreeMap::from([("color".to_owned(), "red".to_owned())]))
        .with_where(feature_snapshots::edges::Problem::new().with_code("E1"))
        .with_page(TypePage::new().with_size(10).with_token("next"));
    let response = client(&server).await.r#type(&request).await.unwrap();
    assert_eq!(*response, TypeResponse::Status200("exact".to_owned()));
}

#[tokio::test]
async fn a_default_only_response_is_the_success_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/self"))
        .and(body_json(json!(["a"])))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "s-1"})))
        .expect(1)
        .mount(&server)
        .await;
    let result = client(&server).await.self_(&SelfRequest::new(vec!["a".to_owned()])).await;
    assert_eq!(result.unwrap().id.as_deref(), Some("s-1"));
}

#[tokio::test]
async fn an_invalid_body_is_not_sent() {
    let server = MockServer::start().await;
    let err =
        client(&server).await.put_note(&PutNoteRequest::new("more than ten characters".to_owned())).await.unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    assert!(server.received_requests().await.unwrap_or_default().is_empty());
}
