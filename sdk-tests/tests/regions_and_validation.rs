//! The region catalogue and the validation switch, through the generated clients.

use cloudspec::csms::{CreateSecretEventRequest, CreateSecretEventRequestBody, Notification};
use cloudspec::{Config, Credentials, Error};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn a_region_outside_the_catalogue_is_refused_with_the_known_ones() {
    let err = cloudspec::cdm::Client::new(Config::builder().region("narnia-1").build().unwrap()).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, Error::Config(_)), "{message}");
    for known in cloudspec::cdm::regions::ALL {
        assert!(message.contains(known.id), "{} missing from: {message}", known.id);
    }
    let config = Config::builder().region(cloudspec::cdm::regions::CN_NORTH_4).build().unwrap();
    let client = cloudspec::cdm::Client::new(config).unwrap();
    assert_eq!(client.config().region(), Some("cn-north-4"));
    assert_eq!(cloudspec::cdm::SERVICE.regions, cloudspec::cdm::regions::ALL);
    assert_eq!(cloudspec::batchcompute::regions::CN_SHENZHEN.endpoint, "https://batchcompute.cn-shenzhen.aliyuncs.com");
    let unchecked = Config::builder().region_unchecked("narnia-1").build().unwrap();
    assert!(cloudspec::cdm::Client::new(unchecked).is_ok(), "region_unchecked is the escape for new regions");
}

/// An event name with dots: the official SDK sends it, the document's pattern forbids it.
fn dotted_event() -> CreateSecretEventRequest {
    let body = CreateSecretEventRequestBody::new(
        "rotation.alerts",
        vec![cloudspec::csms::CreateSecretEventRequestBodyEventTypesItem::SecretRotated],
        cloudspec::csms::CreateSecretEventRequestBodyState::Enabled,
        serde_json::from_value::<Notification>(
            json!({"target_type": "SMN", "target_id": "urn:smn:x", "target_name": "n"}),
        )
        .unwrap(),
    );
    CreateSecretEventRequest::new(body)
}

fn csms(server: &MockServer, validate: bool) -> cloudspec::csms::Client {
    let config = Config::builder()
        .endpoint(server.uri())
        .credentials(Credentials::token("t"))
        .project_id("p")
        .validate_requests(validate)
        .build()
        .unwrap();
    cloudspec::csms::Client::new(config).unwrap()
}

#[tokio::test]
async fn with_validation_off_a_value_the_documents_pattern_forbids_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/p/csms/events"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let refused = csms(&server, true).create_secret_event(&dotted_event()).await.unwrap_err();
    assert!(matches!(&refused, Error::Validation(e) if e.to_string().contains("name")), "{refused}");
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing is sent when validation refuses");

    csms(&server, false).create_secret_event(&dotted_event()).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    let body: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(body["name"], "rotation.alerts");
}
