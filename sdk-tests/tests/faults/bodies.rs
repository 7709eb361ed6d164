//! Truncated, malformed, HTML and oversized response bodies, and redirects left unfollowed.

use super::*;

#[tokio::test]
async fn a_truncated_body_is_a_transport_error() {
    let logs = Logs::start();
    let endpoint =
        raw_server(Some(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\": 1"))
            .await;
    let err = ops_client(&endpoint, RetryPolicy::disabled(), Duration::from_secs(5))
        .get_item(&GetItemRequest::new(1))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    check_error_is_clean(&err, &logs);
    assert!(logs.text().contains("transport error"), "{}", logs.text());
}

#[tokio::test]
async fn invalid_json_is_an_undecodable_response() {
    let logs = Logs::start();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).insert_header("X-Request-Id", "r-1").set_body_string("{\"id\": "))
        .mount(&server)
        .await;
    let err = ops_client(&server.uri(), RetryPolicy::disabled(), Duration::from_secs(5))
        .get_item(&GetItemRequest::new(1))
        .await
        .unwrap_err();
    match &err {
        Error::UndecodableResponse { status, body, request_id, .. } => {
            assert_eq!((*status, body.as_str(), request_id.as_deref()), (200, "{\"id\": ", Some("r-1")));
        }
        other => panic!("expected an undecodable response, got {other:?}"),
    }
    check_error_is_clean(&err, &logs);
}

#[tokio::test]
async fn an_html_error_page_keeps_status_and_body() {
    let logs = Logs::start();
    let server = MockServer::start().await;
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    let err = ops_client(&server.uri(), RetryPolicy::disabled(), Duration::from_secs(5))
        .get_item(&GetItemRequest::new(1))
        .await
        .unwrap_err();
    let service = err.as_service_error().expect("a service error");
    assert_eq!((service.status, service.code.as_deref(), service.body.as_str()), (502, None, page));
    check_error_is_clean(&err, &logs);
}

#[tokio::test]
async fn an_error_body_is_kept_up_to_its_limit() {
    let server = MockServer::start().await;
    let page = "x".repeat(3 * cloudspec_runtime::error::ERROR_BODY_LIMIT);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_raw(page, "text/plain"))
        .mount(&server)
        .await;
    let err = ops_client(&server.uri(), RetryPolicy::disabled(), Duration::from_secs(5))
        .get_item(&GetItemRequest::new(1))
        .await
        .unwrap_err();
    assert_eq!(err.as_service_error().map(|e| e.body.len()), Some(cloudspec_runtime::error::ERROR_BODY_LIMIT));
}

#[tokio::test]
async fn redirects_are_not_followed_so_the_token_stays_home() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 1})))
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", format!("{}/items/1", elsewhere.uri())))
        .mount(&server)
        .await;
    let err = ops_client(&server.uri(), fast_retries(3), Duration::from_secs(5))
        .get_item(&GetItemRequest::new(1))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Service(ref e) if e.status == 302), "a 3xx is a typed error: {err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "not retried");
    assert!(elsewhere.received_requests().await.unwrap().is_empty(), "the X-Auth-Token went nowhere else");
}
