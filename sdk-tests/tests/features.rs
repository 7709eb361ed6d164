//! Behaviour of generated code for the generator's feature specs (`codegen/tests/features/`),
//! compiled into the `feature-snapshots` crate.

use feature_snapshots::ops::{Client as OperationsClient, GetItemRequest, Item, PutItemRequest, PutItemResponse};
use feature_snapshots::schemas::{Level, Shape, Status, Thing, Tree};
use feature_snapshots::{Config, Credentials, Error, Validate};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn open_enums_keep_unknown_values_and_re_encode_them_unchanged() {
    let status: Status = serde_json::from_value(json!("ARCHIVED")).unwrap();
    assert_eq!(status, Status::Unknown("ARCHIVED".into()));
    assert_eq!(serde_json::to_value(&status).unwrap(), json!("ARCHIVED"));
    assert_eq!(serde_json::from_value::<Status>(json!("ACTIVE")).unwrap(), Status::Active);
    let level: Level = serde_json::from_value(json!(7)).unwrap();
    assert_eq!(level, Level::Unknown(7));
    assert_eq!(serde_json::to_value(&level).unwrap(), json!(7));
    // A whole response with a new value still decodes.
    let thing: Thing = serde_json::from_value(json!({"name": "a", "status": "NEW_STATE"})).unwrap();
    assert_eq!(thing.status, Some(Status::Unknown("NEW_STATE".into())));
}

#[test]
fn unknown_enum_values_fail_request_validation_with_their_path() {
    let thing: Thing = serde_json::from_value(json!({"name": "a", "status": "NEW_STATE"})).unwrap();
    let err = thing.validate().unwrap_err();
    assert_eq!(err.violations.len(), 1);
    assert_eq!(err.violations[0].path.as_str(), "status");
    assert!(err.violations[0].message.contains("NEW_STATE"), "{}", err.violations[0]);
}

#[test]
fn every_constraint_violation_is_reported_with_its_path() {
    let thing: Thing = serde_json::from_value(json!({
        "name": "TooLongName9",
        "9lives": 10,
        "tags": ["a", "bb", "bb", "cc"],
        "labels": {"k": "12345"},
        "ratio": 0.0
    }))
    .unwrap();
    let err = thing.validate().unwrap_err();
    let messages: Vec<String> = err.violations.iter().map(ToString::to_string).collect();
    for expected in [
        "name: length 12 is above the maximum 8",
        "name: the value does not match the pattern ^[a-z]+$",
        "9lives: 10 is above the maximum 9",
        "tags: 4 items are more than the maximum 3",
        "tags: items 1 and 2 are equal, but the items must be unique",
        "tags[0]: length 1 is below the minimum 2",
        "labels[\"k\"]: length 5 is above the maximum 4",
        "ratio: 0 is below the exclusive minimum 0",
    ] {
        assert!(messages.iter().any(|m| m == expected), "missing {expected:?} in {messages:#?}");
    }
    assert_eq!(messages.len(), 8, "{messages:#?}");
}

#[test]
fn discriminated_unions_dispatch_on_the_tag() {
    let shape: Shape = serde_json::from_value(json!({"kind": "square", "side": 2.0})).unwrap();
    assert!(matches!(shape, Shape::Square(ref s) if s.side == 2.0));
    assert_eq!(serde_json::to_value(&shape).unwrap(), json!({"kind": "square", "side": 2.0}));
    let err = serde_json::from_value::<Shape>(json!({"kind": "hexagon"})).unwrap_err();
    assert!(err.to_string().contains("unknown kind \"hexagon\""), "{err}");
}

#[test]
fn recursive_types_round_trip() {
    let value = json!({"value": "root", "left": {"value": "l"}, "children": [{"value": "c"}]});
    let tree: Tree = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(tree.left.as_ref().and_then(|l| l.value.as_deref()), Some("l"));
    assert_eq!(serde_json::to_value(&tree).unwrap(), value);
}

#[test]
fn secrets_never_reach_debug_output() {
    let thing: Thing = serde_json::from_value(json!({"name": "a", "secret": "hunter2"})).unwrap();
    let debug = format!("{thing:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(debug.contains("***"));
}

async fn client(server: &MockServer) -> OperationsClient {
    let config = Config::builder().endpoint(server.uri()).credentials(Credentials::token("t0k3n")).build().unwrap();
    OperationsClient::new(config).unwrap()
}

#[tokio::test]
async fn parameters_travel_where_the_spec_puts_them() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/42"))
        .and(query_param("ids", "1,2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 42, "name": "x"})))
        .expect(1)
        .mount(&server)
        .await;
    let request = GetItemRequest::new(42).with_fields(vec!["a".to_owned(), "b".to_owned()]).with_ids(vec![1, 2]).with_x_trace("abc").with_session("s1");
    let item = client(&server).await.get_item(&request).await.unwrap();
    assert_eq!(item.name.as_deref(), Some("x"));
    let received = &server.received_requests().await.unwrap()[0];
    let query: Vec<(String, String)> = received.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    assert_eq!(query.iter().filter(|(k, _)| k == "fields").map(|(_, v)| v.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(received.headers.get("X-Trace").unwrap(), "abc");
    assert_eq!(received.headers.get("cookie").unwrap(), "session=s1");
}

#[tokio::test]
async fn path_parameters_are_validated_before_sending() {
    let server = MockServer::start().await;
    let err = client(&server).await.get_item(&GetItemRequest::new(0)).await.unwrap_err();
    assert!(matches!(&err, Error::Validation(v) if v.violations[0].to_string() == "item_id: 0 is below the minimum 1"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn each_success_status_decodes_into_its_own_type() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).and(path("/items/1")).respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 9}))).mount(&server).await;
    let response = client(&server).await.put_item(&PutItemRequest::new(1, Item::default())).await.unwrap();
    assert!(matches!(response, PutItemResponse::Status201(ref c) if c.id == Some(9)), "{response:?}");
}
