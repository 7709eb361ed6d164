//! A program whose only configuration is a region, an endpoint and a profile file: credentials
//! come from the profile, the project id from IAM (the profile's `iam_endpoint`, a fake here),
//! and the call is signed as the runtime's signer recomputes it.
//!
//! This binary holds one test: it sets the process's environment, which the default chain reads.

use cloudspec::cdm::{Client, ShowClusterDetailRequest};
use cloudspec::Config;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const CLUSTER: &str = "bae65496-643e-47ca-84af-948672de7eeb";
const PROJECT: &str = "0612f2e3e2d5447aa2b2d4d2f6e2b1c0";

fn assert_signed(request: &Request, ak: &str, sk: &str) {
    let headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned()))
        .collect();
    let checked = cloudspec_runtime::signing::huawei::verify_received(
        request.method.as_str(),
        &request.url,
        &headers,
        &request.body,
        ak,
        sk,
    );
    assert_eq!(checked, Ok(()), "{} {}", request.method, request.url);
}

#[tokio::test]
async fn region_endpoint_and_profile_file_are_enough_to_call_show_cluster_detail() {
    let iam = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/projects"))
        .and(query_param("name", "cn-north-4"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"projects": [{"id": PROJECT, "name": "cn-north-4"}]})),
        )
        .expect(1)
        .mount(&iam)
        .await;
    let cdm = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1.1/{PROJECT}/clusters/{CLUSTER}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": CLUSTER, "name": "cdm-c018"})))
        .expect(2)
        .mount(&cdm)
        .await;

    let dir = std::env::temp_dir().join(format!("cloudspec-default-chain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("credentials");
    std::fs::write(&profile, format!("[basic]\nak = PROFILEAK\nsk = profile-secret\niam_endpoint = {}\n", iam.uri()))
        .unwrap();
    // Only the profile file: nothing in the environment may come before it.
    for name in [
        "HUAWEICLOUD_SDK_AK",
        "HUAWEICLOUD_SDK_SK",
        "HUAWEICLOUD_SDK_SECURITY_TOKEN",
        "HUAWEICLOUD_SDK_PROJECT_ID",
        "HUAWEICLOUD_SDK_IAM_ENDPOINT",
    ] {
        std::env::remove_var(name);
    }
    std::env::set_var("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &profile);

    let config = Config::builder().region("cn-north-4").endpoint(cdm.uri()).build().unwrap();
    let client = Client::new(config).unwrap();
    let cluster = client.show_cluster_detail(&ShowClusterDetailRequest::new(CLUSTER)).await.unwrap();
    assert_eq!(cluster.name.as_deref(), Some("cdm-c018"));
    client.show_cluster_detail(&ShowClusterDetailRequest::new(CLUSTER)).await.unwrap();

    let lookups = iam.received_requests().await.unwrap();
    assert_eq!(lookups.len(), 1, "the project id is discovered once");
    assert_signed(&lookups[0], "PROFILEAK", "profile-secret");
    for call in cdm.received_requests().await.unwrap() {
        assert_signed(&call, "PROFILEAK", "profile-secret");
        assert_eq!(call.headers.get("X-Project-Id").unwrap(), PROJECT);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
