//! Huawei Cloud CDM end to end against a local server: what goes on the wire, and what comes back.

use cloudspec::cdm::{
    Client, CreateClusterRequest, ShowClusterDetailRequest, ShowClusterDetailResponseBodyIsFrozen,
    ShowClusterDetailResponseBodyStatus,
};
use cloudspec::{Config, Credentials, Error};
use cloudspec_runtime::credentials::Secret;
use cloudspec_runtime::signing::RequestToSign;
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROJECT: &str = "1551c7f6c808414d8e9f3c514a170f2e";
const CLUSTER: &str = "bae65496-643e-47ca-84af-948672de7eeb";

/// The CreateCluster request example from the document, with `sys_tags` as the table says (an
/// array; the document's example shows a single object).
fn create_cluster_body() -> Value {
    json!({
      "cluster" : {
        "scheduleBootTime" : "",
        "isScheduleBootOff" : false,
        "instances" : [ {
          "availability_zone" : "cn-north-1b",
          "nics" : [ {
            "securityGroupId" : "c37852d2-2d12-41cb-af47-65c80e995c80",
            "net-id" : "2d120298-6130-44d4-a438-454912fff901"
          } ],
          "flavorRef" : "fb8fe666-6734-4b11-bc6c-43d11db3c745",
          "type" : "cdm"
        } ],
        "datastore" : {
          "type" : "cdm",
          "version" : "1.8.10"
        },
        "scheduleOffTime" : "",
        "vpcId" : "67c06084-2212-4242-bcd4-d2144c2385a9",
        "name" : "cdm-ab82",
        "sys_tags" : [ {
          "value" : "1ce45885-4033-40d2-bdde-d4dbaceb387d",
          "key" : "_sys_enterprise_project_id"
        } ],
        "isAutoOff" : false
      },
      "auto_remind" : false,
      "phone_num" : "",
      "email" : ""
    })
}

/// The ShowClusterDetail response example exactly as the document prints it (`actions` as a
/// string, `volume.size` as a string: both contradict the document's own table).
fn show_cluster_detail_example() -> Value {
    json!({
      "publicEndpoint" : "49.xx.xx.10",
      "instances" : [ {
        "flavor" : { "id" : "fb8fe666-6734-4b11-bc6c-43d11db3c745" },
        "volume" : { "size" : "100", "type" : "LOCAL_DISK" },
        "name" : "cdm-c018",
        "id" : "635dce67-3df8-4756-b4c7-90e45e687367",
        "isFrozen" : "0",
        "type" : "cdm",
        "actions" : "REBOOTING",
        "config_status" : "In-Sync",
        "status" : "200"
      } ],
      "created" : "2018-09-05T08:38:25",
      "statusDetail" : "Normal",
      "actionProgress" : { },
      "name" : "cdm-c018",
      "id" : CLUSTER,
      "isFrozen" : "0",
      "actions" : "REBOOTING",
      "updated" : "2018-09-05T08:38:25",
      "status" : "200"
    })
}

fn client(server: &MockServer) -> Client {
    let config = Config::builder()
        .endpoint(server.uri())
        .credentials(Credentials::token("iam-token"))
        .project_id(PROJECT)
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

fn create_request() -> CreateClusterRequest {
    CreateClusterRequest::new("en-us", serde_json::from_value(create_cluster_body()).unwrap())
}

#[tokio::test]
async fn create_cluster_sends_the_documented_request_and_decodes_the_202() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v1.1/{PROJECT}/clusters")))
        .and(header("X-Language", "en-us"))
        .and(header("X-Auth-Token", "iam-token"))
        .and(body_json(create_cluster_body()))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("X-Request-Id", "f2c9b0e4d1a84b7c")
                .insert_header("Location", "/v1.1/clusters/7d85f602")
                .set_body_json(json!({"name": "cdm-ab82", "id": "7d85f602-a948-4a30-afd4-e84f47471c15"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let created = client(&server).create_cluster(&create_request()).await.unwrap();
    assert_eq!(created.name.as_deref(), Some("cdm-ab82"));
    assert_eq!(created.id.as_deref(), Some("7d85f602-a948-4a30-afd4-e84f47471c15"));
    // The success keeps its metadata beside the body.
    assert_eq!(created.status(), 202);
    assert_eq!(created.request_id(), Some("f2c9b0e4d1a84b7c"));
    assert_eq!(created.headers()["location"], "/v1.1/clusters/7d85f602");
    let (body, parts) = created.into_parts();
    assert_eq!(body.name.as_deref(), Some("cdm-ab82"));
    assert_eq!((parts.status, parts.request_id.as_deref()), (202, Some("f2c9b0e4d1a84b7c")));
}

#[tokio::test]
async fn show_cluster_detail_decodes_the_document_example_as_printed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1.1/{PROJECT}/clusters/{CLUSTER}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(show_cluster_detail_example()))
        .expect(1)
        .mount(&server)
        .await;
    let cluster = client(&server).show_cluster_detail(&ShowClusterDetailRequest::new(CLUSTER)).await.unwrap();
    assert_eq!(cluster.name.as_deref(), Some("cdm-c018"));
    // Status codes decode into the names the document gives them (`x-enum-varnames`).
    assert_eq!(cluster.status, Some(ShowClusterDetailResponseBodyStatus::Normal));
    assert_eq!(cluster.is_frozen, Some(ShowClusterDetailResponseBodyIsFrozen::NotFrozen));
    let decoded = serde_json::to_value(&*cluster).unwrap();
    // The tolerated forms decode into the documented types.
    assert_eq!(decoded["actions"], json!(["REBOOTING"]));
    assert_eq!(decoded["instances"][0]["actions"], json!(["REBOOTING"]));
    assert_eq!(decoded["instances"][0]["volume"]["size"], json!(100));
}

#[tokio::test]
async fn the_project_id_comes_from_the_request_when_given() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1.1/other-project/clusters/{CLUSTER}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(show_cluster_detail_example()))
        .expect(1)
        .mount(&server)
        .await;
    let request = ShowClusterDetailRequest::new(CLUSTER).with_project_id("other-project");
    client(&server).show_cluster_detail(&request).await.unwrap();
}

fn aksk_client(endpoint: &str) -> Client {
    let config = Config::builder()
        .endpoint(endpoint)
        .credentials(Credentials::huawei_aksk(AK, SK))
        .project_id(PROJECT)
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

const AK: &str = "HPUAEXAMPLEAK";
const SK: &str = "example-secret-key";

#[tokio::test]
async fn x_project_id_names_the_project_the_path_does() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(show_cluster_detail_example()))
        .mount(&server)
        .await;
    let client = aksk_client(&server.uri());
    client.show_cluster_detail(&ShowClusterDetailRequest::new(CLUSTER).with_project_id("other-project")).await.unwrap();
    client.show_cluster_detail(&ShowClusterDetailRequest::new(CLUSTER)).await.unwrap();
    let received = server.received_requests().await.unwrap();
    let sent: Vec<(&str, &str)> =
        received.iter().map(|r| (r.url.path(), r.headers.get("x-project-id").unwrap().to_str().unwrap())).collect();
    assert_eq!(
        sent,
        [
            (format!("/v1.1/other-project/clusters/{CLUSTER}").as_str(), "other-project"),
            (format!("/v1.1/{PROJECT}/clusters/{CLUSTER}").as_str(), PROJECT)
        ]
    );
}

/// The `Authorization` a request received should carry: its signed headers as received, its path
/// as received, signed again.
fn expected_authorization(request: &wiremock::Request) -> String {
    let authorization = request.headers.get("authorization").unwrap().to_str().unwrap();
    let signed_names = authorization.split("SignedHeaders=").nth(1).unwrap().split(',').next().unwrap();
    let headers =
        signed_names.split(';').map(|name| (name, request.headers.get(name).unwrap().to_str().unwrap())).collect();
    let method = request.method.to_string();
    let to_sign = RequestToSign {
        method: &method,
        host: request.headers.get("host").unwrap().to_str().unwrap(),
        path: request.url.path(),
        query: &[],
        headers,
        body: &request.body,
    };
    let signed =
        cloudspec_runtime::signing::huawei::sign(to_sign, AK, &Secret::new(SK), time::OffsetDateTime::now_utc())
            .unwrap();
    signed.header("Authorization").unwrap().to_owned()
}

#[tokio::test]
async fn an_endpoint_path_prefix_is_sent_and_signed_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/gw/v1.1/{PROJECT}/clusters/{CLUSTER}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(show_cluster_detail_example()))
        .expect(2)
        .mount(&server)
        .await;
    for endpoint in [format!("{}/gw", server.uri()), format!("{}/gw/", server.uri())] {
        aksk_client(&endpoint).show_cluster_detail(&ShowClusterDetailRequest::new(CLUSTER)).await.unwrap();
    }
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2, "both spellings of the prefix reach /gw/v1.1/...");
    for request in &received {
        assert_eq!(
            request.headers.get("authorization").unwrap().to_str().unwrap(),
            expected_authorization(request),
            "signed over the path sent"
        );
    }
}

#[tokio::test]
async fn a_404_is_a_service_error_with_code_message_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("X-Request-Id", "0a7b2c3d-req")
                .set_body_json(json!({"error_code": "CDM.0002", "error_msg": "The cluster does not exist."})),
        )
        .mount(&server)
        .await;
    let err = client(&server).show_cluster_detail(&ShowClusterDetailRequest::new(CLUSTER)).await.unwrap_err();
    match err {
        Error::Service(e) => {
            assert_eq!(e.status, 404);
            assert_eq!(e.code.as_deref(), Some("CDM.0002"));
            assert_eq!(e.message.as_deref(), Some("The cluster does not exist."));
            assert_eq!(e.request_id.as_deref(), Some("0a7b2c3d-req"));
            assert!(e.body.contains("CDM.0002"));
        }
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_200_that_is_not_json_is_an_undecodable_response() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
        .mount(&server)
        .await;
    let err = client(&server).show_cluster_detail(&ShowClusterDetailRequest::new(CLUSTER)).await.unwrap_err();
    assert!(
        matches!(&err, Error::UndecodableResponse { status: 200, body, .. } if body == "<html>maintenance</html>"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_request_breaking_the_spec_is_rejected_before_sending() {
    let server = MockServer::start().await;
    let mut body = create_cluster_body();
    let nic = body["cluster"]["instances"][0]["nics"][0].clone();
    body["cluster"]["instances"][0]["nics"] = json!([nic.clone(), nic.clone(), nic]);
    let request = CreateClusterRequest::new("en-us", serde_json::from_value(body).unwrap());
    let err = client(&server).create_cluster(&request).await.unwrap_err();
    match err {
        Error::Validation(v) => {
            let messages: Vec<String> = v.violations.iter().map(ToString::to_string).collect();
            assert!(
                messages.contains(&"cluster.instances[0].nics: 3 items are more than the maximum 2".to_owned()),
                "{messages:?}"
            );
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing may be sent");
}
