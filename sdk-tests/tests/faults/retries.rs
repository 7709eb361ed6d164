//! Retries: throttling with Retry-After, persistent 503s, and the operation timeout bounding every wait.

use super::*;

#[tokio::test]
async fn throttling_with_retry_after_succeeds_after_one_retry() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/1"))
        .respond_with(
            ResponseTemplate::new(429).insert_header("Retry-After", "1").set_body_json(json!({"code": "Throttled"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/items/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 1})))
        .mount(&server)
        .await;
    let started = Instant::now();
    let item = ops_client(&server.uri(), fast_retries(3), Duration::from_secs(5))
        .get_item(&GetItemRequest::new(1))
        .await
        .unwrap();
    assert_eq!(item.id, Some(1));
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "exactly one retry");
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "Retry-After: 1 must be honoured, waited {:?}",
        started.elapsed()
    );
}

/// 503 with a new request id each time: `req-503-1`, `req-503-2`, ...
struct Numbered503(AtomicUsize);

impl wiremock::Respond for Numbered503 {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(503)
            .insert_header("X-Request-Id", format!("req-503-{n}"))
            .set_body_json(json!({"error_code": "SVC.503", "error_msg": format!("busy {n}")}))
    }
}

#[tokio::test]
async fn persistent_503_gives_up_after_the_configured_attempts_with_the_last_error() {
    let logs = Logs::start();
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(Numbered503(AtomicUsize::new(0))).mount(&server).await;
    let err = ops_client(&server.uri(), fast_retries(5), Duration::from_secs(5))
        .get_item(&GetItemRequest::new(1))
        .await
        .unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 5, "five attempts in all");
    let service = err.as_service_error().expect("a service error");
    assert_eq!(
        (service.status, service.code.as_deref(), service.request_id.as_deref()),
        (503, Some("SVC.503"), Some("req-503-5")),
        "the last answer"
    );
    assert_eq!(service.message.as_deref(), Some("busy 5"));
    assert!(err.is_retryable());
    check_error_is_clean(&err, &logs);
    let logs = logs.text();
    for n in 1..=5 {
        assert!(
            logs.contains(&format!("attempt={n}")) && logs.contains(&format!("request_id=req-503-{n}")),
            "attempt {n} has its own span:\n{logs}"
        );
    }
    assert_eq!(logs.matches(": retrying ").count(), 4, "four retry decisions with their wait:\n{logs}");
    assert!(logs.contains("not retrying: no attempts left"), "{logs}");
}

#[tokio::test]
async fn a_retry_after_longer_than_the_policy_allows_is_not_shortened_but_ends_the_call() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "30"))
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = ops_client(&server.uri(), fast_retries(3), Duration::from_secs(5))
        .get_item(&GetItemRequest::new(1))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2), "no shortened wait: {:?}", started.elapsed());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    let service = err.as_service_error().expect("the 429 itself");
    assert_eq!((service.status, service.retry_after()), (429, Some(Duration::from_secs(30))));
}

fn deadline_client(endpoint: &str, retry: RetryPolicy, operation_timeout: Duration) -> OpsClient {
    let config = Config::builder()
        .endpoint(endpoint)
        .credentials(Credentials::token(TOKEN))
        .retry(retry)
        .operation_timeout(operation_timeout)
        .build()
        .unwrap();
    OpsClient::new(config).unwrap()
}

#[tokio::test]
async fn a_wait_that_would_pass_the_operation_timeout_returns_the_last_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "2").insert_header("X-Request-Id", "r-1"))
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = deadline_client(
        &server.uri(),
        RetryPolicy::default()
            .with_max_attempts(5)
            .with_initial_backoff(Duration::from_millis(5))
            .with_max_backoff(Duration::from_secs(10)),
        Duration::from_secs(1),
    )
    .get_item(&GetItemRequest::new(1))
    .await
    .unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(900), "no sleep into the deadline: {:?}", started.elapsed());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert_eq!(
        err.as_service_error().map(|e| (e.status, e.request_id.as_deref())),
        Some((503, Some("r-1"))),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_operation_timeout_bounds_jittered_backoff_too() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let started = Instant::now();
    let err = deadline_client(
        &server.uri(),
        RetryPolicy::default()
            .with_max_attempts(1000)
            .with_initial_backoff(Duration::from_millis(40))
            .with_max_backoff(Duration::from_millis(40)),
        Duration::from_millis(400),
    )
    .get_item(&GetItemRequest::new(1))
    .await
    .unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(550), "no sleep past the deadline: {:?}", started.elapsed());
    // Usually the next wait would cross the deadline (the last 503 comes back); rarely a wait
    // ends just before it and the attempt after it is cut short at the deadline.
    assert!(
        matches!(err, Error::Service(ref e) if e.status == 503)
            || matches!(err, Error::Timeout { after, .. } if after == Duration::from_millis(400)),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().len() > 1);
}

#[tokio::test]
async fn retries_can_be_switched_off() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let err = ops_client(&server.uri(), RetryPolicy::disabled(), Duration::from_secs(5))
        .get_item(&GetItemRequest::new(1))
        .await
        .unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert!(matches!(err, Error::Service(ref e) if e.status == 503));
}
