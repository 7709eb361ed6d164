//! Faults against local servers: throttling, server errors, silence, truncated and malformed
//! bodies. None of them may panic, and none may print a secret.

use cloudspec::batchcompute::{ClusterDescription, CreateClusterRequest as BatchCreateCluster};
use cloudspec::csms::{CreateSecretEventRequest, CreateSecretEventRequestBody};
use cloudspec::{Config, Credentials, Error, RetryPolicy};
use feature_snapshots::ops::{Client as OpsClient, GetItemRequest};
use serde_json::json;
use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET_KEY: &str = "SK-very-secret-0123456789";
const TOKEN: &str = "tok-very-secret-abcdef";

fn fast_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts: attempts,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_secs(2),
    }
}

fn ops_client(endpoint: &str, retry: RetryPolicy, timeout: Duration) -> OpsClient {
    let config = Config::builder()
        .endpoint(endpoint)
        .credentials(Credentials::token(TOKEN))
        .retry(retry)
        .timeout(timeout)
        .build()
        .unwrap();
    OpsClient::new(config).unwrap()
}

/// Asserts that no secret appears in `text` (an error's Debug and Display, logs).
fn assert_no_secret(text: &str) {
    for secret in [SECRET_KEY, TOKEN] {
        assert!(!text.contains(secret), "a secret leaked into: {text}");
    }
}

thread_local! {
    static THREAD_LOGS: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A `tracing` writer into the current thread's log buffer.
struct ThreadWriter;

impl std::io::Write for ThreadWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        THREAD_LOGS.with(|logs| logs.borrow_mut().extend_from_slice(bytes));
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What `tracing` logged on this thread since [`Logs::start`]. One global subscriber writes each
/// thread's events to that thread's buffer (a `#[tokio::test]` runs the client on its own
/// thread); per-test scoped subscribers would race on `tracing`'s global callsite cache.
struct Logs;

impl Logs {
    fn start() -> Self {
        static INSTALL: Once = Once::new();
        INSTALL.call_once(|| {
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_writer(|| ThreadWriter)
                .with_ansi(false)
                .finish();
            tracing::subscriber::set_global_default(subscriber).unwrap();
        });
        THREAD_LOGS.with(|logs| logs.borrow_mut().clear());
        Self
    }

    fn text(&self) -> String {
        THREAD_LOGS.with(|logs| String::from_utf8_lossy(&logs.borrow()).into_owned())
    }
}

/// No secret in the error's Debug and Display, nor in what was logged during the call (which
/// must have logged its attempt).
fn check_error_is_clean(err: &Error, logs: &Logs) {
    assert_no_secret(&format!("{err:?}"));
    assert_no_secret(&err.to_string());
    let logs = logs.text();
    assert!(logs.contains("cloudspec.attempt{"), "the call was logged: {logs}");
    assert_no_secret(&logs);
}

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
    assert_eq!((service.status, service.retry_after), (429, Some(Duration::from_secs(30))));
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
        RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_secs(10),
        },
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
        RetryPolicy {
            max_attempts: 1000,
            initial_backoff: Duration::from_millis(40),
            max_backoff: Duration::from_millis(40),
        },
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

/// A server that accepts connections and then says nothing, or says `reply` and hangs up.
async fn raw_server(reply: Option<&'static [u8]>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                let _ = socket.read(&mut buffer).await;
                match reply {
                    Some(bytes) => {
                        let _ = socket.write_all(bytes).await;
                        let _ = socket.shutdown().await;
                    }
                    None => tokio::time::sleep(Duration::from_secs(30)).await,
                }
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_server_that_never_answers_hits_the_timeout() {
    let logs = Logs::start();
    let endpoint = raw_server(None).await;
    let started = Instant::now();
    let err = ops_client(&endpoint, RetryPolicy::disabled(), Duration::from_millis(300))
        .get_item(&GetItemRequest::new(1))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { operation: "getItem", after } if after == Duration::from_millis(300)),
        "{err:?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(300) && started.elapsed() < Duration::from_secs(5));
    check_error_is_clean(&err, &logs);
    assert!(logs.text().contains("attempt timed out"), "{}", logs.text());
}

/// A loopback listener whose accept queue is full (backlog 0, one connection never accepted):
/// Linux drops further SYNs, so a connect hangs as it would to an unreachable host.
#[cfg(target_os = "linux")]
fn unconnectable_endpoint() -> (String, Vec<std::net::TcpStream>, tokio::net::TcpListener) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let address = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..8 {
        match std::net::TcpStream::connect_timeout(&address, Duration::from_millis(200)) {
            Ok(stream) => fillers.push(stream),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                return (format!("http://{address}"), fillers, listener)
            }
            Err(e) => panic!("unexpected connect error: {e}"),
        }
    }
    panic!("the accept queue never filled: this kernel does not drop SYNs on a full backlog");
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn the_connect_timeout_bounds_a_connection_that_never_completes() {
    let (endpoint, _fillers, _listener) = unconnectable_endpoint();
    let config = Config::builder()
        .endpoint(endpoint)
        .credentials(Credentials::token(TOKEN))
        .retry(RetryPolicy::disabled())
        .connect_timeout(Duration::from_millis(200))
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = OpsClient::new(config).unwrap().get_item(&GetItemRequest::new(1)).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the connect timeout, not the 20 s attempt timeout: {:?}",
        started.elapsed()
    );
    assert!(
        matches!(err, Error::Timeout { after, .. } if after >= Duration::from_millis(200) && after < Duration::from_secs(5)),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_callers_http_client_still_gets_the_attempt_and_operation_timeouts() {
    let endpoint = raw_server(None).await;
    for (attempt, operation, expected) in [
        (Duration::from_millis(300), None, Duration::from_millis(300)),
        (Duration::from_secs(30), Some(Duration::from_millis(300)), Duration::from_millis(300)),
    ] {
        let mut builder = Config::builder()
            .endpoint(&endpoint)
            .credentials(Credentials::token(TOKEN))
            .retry(fast_retries(3))
            .timeout(attempt)
            .http_client(reqwest::Client::new());
        if let Some(limit) = operation {
            builder = builder.operation_timeout(limit);
        }
        let started = Instant::now();
        let err =
            OpsClient::new(builder.build().unwrap()).unwrap().get_item(&GetItemRequest::new(1)).await.unwrap_err();
        assert!(matches!(err, Error::Timeout { after, .. } if after == expected), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    }
}

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

fn csms_request() -> CreateSecretEventRequest {
    let body: CreateSecretEventRequestBody = serde_json::from_value(json!({
        "name": "demo-event",
        "event_types": ["SECRET_VERSION_CREATED"],
        "state": "ENABLED",
        "notification": {"target_type": "SMN", "target_id": "urn:smn:x", "target_name": "n"}
    }))
    .unwrap();
    CreateSecretEventRequest::new(body)
}

#[tokio::test]
async fn a_post_without_an_idempotency_token_is_never_retried() {
    let logs = Logs::start();
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let config = Config::builder()
        .endpoint(server.uri())
        .credentials(Credentials::huawei_aksk("AK", SECRET_KEY))
        .project_id("p1")
        .retry(fast_retries(5))
        .build()
        .unwrap();
    let err = cloudspec::csms::Client::new(config).unwrap().create_secret_event(&csms_request()).await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "a POST without a token must not be repeated");
    assert!(matches!(err, Error::Service(ref e) if e.status == 503));
    check_error_is_clean(&err, &logs);
}

fn batch_request(token: Option<&str>) -> BatchCreateCluster {
    let body: ClusterDescription = serde_json::from_value(json!({
        "Name": "c1", "ImageId": "img-1", "InstanceType": "ecs.sn1.medium",
        "Groups": {"group1": {"DesiredVMCount": 1, "ResourceType": "OnDemand"}}
    }))
    .unwrap();
    let request = BatchCreateCluster::new(body);
    match token {
        Some(t) => request.with_idempotent_token(t),
        None => request,
    }
}

async fn batch_retry(token: Option<&str>) -> Vec<wiremock::Request> {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/clusters"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/clusters"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"Id": "cls-1"})))
        .mount(&server)
        .await;
    let config = Config::builder()
        .endpoint(server.uri())
        .region("cn-shenzhen")
        .credentials(Credentials::aliyun("LTAIid", SECRET_KEY))
        .retry(fast_retries(3))
        .build()
        .unwrap();
    let created =
        cloudspec::batchcompute::Client::new(config).unwrap().create_cluster(&batch_request(token)).await.unwrap();
    assert_eq!(created.id.as_deref(), Some("cls-1"));
    server.received_requests().await.unwrap()
}

fn query_value(request: &wiremock::Request, name: &str) -> Option<String> {
    request.url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn a_post_with_a_generated_idempotency_token_is_retried_with_the_same_token_and_a_fresh_signature() {
    let requests = batch_retry(None).await;
    assert_eq!(requests.len(), 2);
    let tokens: Vec<Option<String>> = requests.iter().map(|r| query_value(r, "IdempotentToken")).collect();
    assert!(tokens[0].as_deref().is_some_and(|t| t.len() == 32), "{tokens:?}");
    assert_eq!(tokens[0], tokens[1], "the token is generated once per logical call");
    let nonce = |r: &wiremock::Request| r.headers.get("x-acs-signature-nonce").unwrap().to_str().unwrap().to_owned();
    let authorization = |r: &wiremock::Request| r.headers.get("authorization").unwrap().to_str().unwrap().to_owned();
    assert_ne!(nonce(&requests[0]), nonce(&requests[1]), "each attempt is signed afresh");
    assert_ne!(authorization(&requests[0]), authorization(&requests[1]));
}

#[tokio::test]
async fn a_callers_idempotency_token_is_kept() {
    let requests = batch_retry(Some("my_token_1")).await;
    assert!(requests.iter().all(|r| query_value(r, "IdempotentToken").as_deref() == Some("my_token_1")));
}

#[tokio::test]
async fn an_empty_idempotency_token_breaks_batchcomputes_pattern_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let config = Config::builder()
        .endpoint(server.uri())
        .region("cn-shenzhen")
        .credentials(Credentials::aliyun("LTAIid", SECRET_KEY))
        .build()
        .unwrap();
    let err = cloudspec::batchcompute::Client::new(config)
        .unwrap()
        .create_cluster(&batch_request(Some("")))
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Validation(v) if v.violations[0].path.as_str() == "IdempotentToken"), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn token_credentials_cannot_call_batchcompute() {
    let server = MockServer::start().await;
    let config = Config::builder()
        .endpoint(server.uri())
        .region("cn-shenzhen")
        .credentials(Credentials::token(TOKEN))
        .build()
        .unwrap();
    let err =
        cloudspec::batchcompute::Client::new(config).unwrap().create_cluster(&batch_request(None)).await.unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("cannot use token credentials")), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing was sent");
    assert_no_secret(&format!("{err:?}"));
}

#[test]
fn logs_name_the_request_but_never_a_secret() {
    let captured = Logs::start();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(400)
                    .insert_header("X-Request-Id", "req-log")
                    .set_body_json(json!({"error": {"error_code": "CSMS.0400", "error_msg": "bad"}})),
            )
            .mount(&server)
            .await;
        let config = Config::builder()
            .endpoint(server.uri())
            .credentials(Credentials::huawei_temporary("AKLOG", SECRET_KEY, TOKEN))
            .project_id("p1")
            .build()
            .unwrap();
        assert_no_secret(&format!("{config:?}"));
        let client = cloudspec::csms::Client::new(config).unwrap();
        assert_no_secret(&format!("{client:?}"));
        let err = client.create_secret_event(&csms_request()).await.unwrap_err();
        check_error_is_clean(&err, &captured);
        assert_eq!(err.as_service_error().and_then(|e| e.code.as_deref()), Some("CSMS.0400"));
        // The server did get the secrets' effects (signature, token header), so they existed.
        let received = &server.received_requests().await.unwrap()[0];
        assert_eq!(received.headers.get("x-security-token").unwrap(), TOKEN);
    });
    let logs = captured.text();
    assert!(
        logs.contains("CreateSecretEvent") && logs.contains("req-log") && logs.contains("400"),
        "the span should name operation, status and request id:\n{logs}"
    );
    assert_no_secret(&logs);
    assert!(!logs.contains("Signature="), "{logs}");
}

#[tokio::test]
async fn each_attempt_has_its_own_span_and_no_secret_is_logged() {
    let logs = Logs::start();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("X-Request-Id", "first-try"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "second-try")
                .set_body_json(json!({"id": "c1", "name": "n"})),
        )
        .mount(&server)
        .await;
    let config = Config::builder()
        .endpoint(server.uri())
        .credentials(Credentials::huawei_temporary("AKLOG", SECRET_KEY, TOKEN))
        .project_id("p1")
        .retry(fast_retries(3))
        .build()
        .unwrap();
    let cluster = cloudspec::cdm::Client::new(config)
        .unwrap()
        .show_cluster_detail(&cloudspec::cdm::ShowClusterDetailRequest::new("c1"))
        .await
        .unwrap();
    assert_eq!(cluster.name.as_deref(), Some("n"));
    let logs = logs.text();
    let attempt_lines = |n: u32| {
        logs.lines()
            .filter(|l| l.contains("cloudspec.attempt{") && l.contains(&format!(" attempt={n}")))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (first, second) = (attempt_lines(1), attempt_lines(2));
    assert!(
        first.contains("status=503") && first.contains("request_id=first-try") && !first.contains("second-try"),
        "attempt 1:\n{logs}"
    );
    assert!(
        second.contains("status=200") && second.contains("request_id=second-try") && !second.contains("first-try"),
        "attempt 2:\n{logs}"
    );
    assert!(first.contains("path=/v1.1/p1/clusters/c1") && first.contains("method=GET"), "{first}");
    assert!(
        logs.lines().any(|l| l.contains("cloudspec.call{")
            && l.contains("operation=\"ShowClusterDetail\"")
            && l.contains("retrying")
            && l.contains("wait=")),
        "the retry decision, with its wait:\n{logs}"
    );
    assert_no_secret(&logs);
    assert!(!logs.contains("Signature="), "{logs}");
}

#[tokio::test]
async fn a_callers_http_client_and_user_agent_suffix_are_used() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 1})))
        .mount(&server)
        .await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-corporate-proxy", "on".parse().unwrap());
    let http = reqwest::Client::builder().default_headers(headers).build().unwrap();
    let config = Config::builder()
        .endpoint(server.uri())
        .credentials(Credentials::token(TOKEN))
        .http_client(http)
        .user_agent_suffix("my-app/2.1")
        .build()
        .unwrap();
    OpsClient::new(config).unwrap().get_item(&GetItemRequest::new(1)).await.unwrap();
    let received = &server.received_requests().await.unwrap()[0];
    assert_eq!(received.headers.get("x-corporate-proxy").unwrap(), "on", "the caller's client sent it");
    let agent = received.headers.get("user-agent").unwrap().to_str().unwrap();
    assert!(agent.starts_with("cloudspec-rust/") && agent.ends_with(" my-app/2.1"), "{agent}");
}
