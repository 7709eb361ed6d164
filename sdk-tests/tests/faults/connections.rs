//! Silent servers, connections that never complete, and a caller's own HTTP client.

use super::*;

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
