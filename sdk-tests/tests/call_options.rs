//! Per-call options: a view made with `with_options` applies its own timeout, retry policy,
//! headers, endpoint and validation switch, while the client it came from keeps its defaults.

use cloudspec::{CallOptions, Config, Credentials, Error, RetryPolicy};
use feature_snapshots::ops::{Client as OpsClient, GetItemRequest};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(endpoint: &str) -> OpsClient {
    let config = Config::builder()
        .endpoint(endpoint)
        .credentials(Credentials::token("t"))
        .retry(
            RetryPolicy::default()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(5))
                .with_max_backoff(Duration::from_secs(1)),
        )
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    OpsClient::new(config).unwrap()
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn a_per_call_retry_policy_applies_to_the_view_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = client(&server.uri());
    let once = client.with_options(CallOptions::new().retry(RetryPolicy::disabled()));
    once.get_item(&GetItemRequest::new(1)).await.unwrap_err();
    assert_eq!(requests(&server).await, 1, "the view does not retry");
    client.get_item(&GetItemRequest::new(1)).await.unwrap_err();
    assert_eq!(requests(&server).await, 1 + 3, "the client still makes its three attempts");
    assert!(client.options().retry_policy().is_none());
}

#[tokio::test]
async fn a_per_call_attempt_timeout_applies_to_the_view_only() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_body_json(json!({"id": 1})).set_delay(Duration::from_millis(300));
    Mock::given(method("GET")).respond_with(slow).mount(&server).await;
    let client = client(&server.uri());
    let hasty = client
        .with_options(CallOptions::new().attempt_timeout(Duration::from_millis(50)).retry(RetryPolicy::disabled()));
    let err = hasty.get_item(&GetItemRequest::new(1)).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { after, .. } if after == Duration::from_millis(50)), "{err:?}");
    let item = client.get_item(&GetItemRequest::new(1)).await.expect("the client's 5 s timeout is kept");
    assert_eq!(item.id, Some(1));
}

#[tokio::test]
async fn a_per_call_operation_timeout_bounds_the_retries_of_the_view_only() {
    // Two servers, so that a request of the bounded call the server records late (after the
    // client gave up on it) cannot be counted as one of the unbounded call's.
    let (slow, plain) = (MockServer::start().await, MockServer::start().await);
    let slow_failure = ResponseTemplate::new(503).set_delay(Duration::from_millis(60));
    for server in [&slow, &plain] {
        Mock::given(method("GET")).respond_with(slow_failure.clone()).mount(server).await;
    }
    let client = client(&plain.uri());
    let bounded = client
        .with_options(CallOptions::new().operation_timeout(Duration::from_millis(100)).endpoint(&slow.uri()).unwrap());
    let err = bounded.get_item(&GetItemRequest::new(1)).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { after, .. } if after == Duration::from_millis(100)), "{err:?}");
    assert!(requests(&slow).await < 3, "the deadline cut the retries short");
    let err = client.get_item(&GetItemRequest::new(1)).await.unwrap_err();
    assert_eq!(err.as_service_error().map(|e| e.status), Some(503), "{err:?}");
    assert_eq!(requests(&plain).await, 3, "the client has no operation timeout: three attempts");
    assert_eq!(client.options().operation_timeout_value(), None);
}

#[tokio::test]
async fn headers_endpoint_and_validation_are_per_view() {
    let (first, second) = (MockServer::start().await, MockServer::start().await);
    let reply = ResponseTemplate::new(200).set_body_json(json!({"id": 0}));
    Mock::given(path("/items/0")).and(header("X-Tenant", "blue")).respond_with(reply).mount(&second).await;
    let client = client(&first.uri());
    let view = client
        .with_options(CallOptions::new().header("X-Tenant", "blue").endpoint(&second.uri()).unwrap().validation(false));
    // Item ids are at least 1: the client refuses 0 before sending, the view sends it.
    let refused = client.get_item(&GetItemRequest::new(0)).await.unwrap_err();
    assert!(matches!(refused, Error::Validation(_)), "{refused:?}");
    assert_eq!(view.get_item(&GetItemRequest::new(0)).await.unwrap().id, Some(0));
    assert_eq!((requests(&first).await, requests(&second).await), (0, 1));
    // Options compose: a view of the view keeps the header and endpoint, and validates again.
    let strict = view.with_options(CallOptions::new().validation(true));
    assert!(matches!(strict.get_item(&GetItemRequest::new(0)).await, Err(Error::Validation(_))));
    assert_eq!(strict.options().headers().len(), 1);
}
