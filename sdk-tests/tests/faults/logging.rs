//! What is logged per request and per attempt, and that no secret ever is.

use super::*;

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
