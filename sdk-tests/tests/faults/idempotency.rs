//! Which POSTs are retried: idempotency tokens generated, kept or rejected; credentials BatchCompute refuses.

use super::*;

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
