//! Parameter text: every scalar type reaches the path, query and headers as its wire text,
//! percent-encoded in the path; configuration values fill what the request leaves out.

use super::*;
use feature_snapshots::params::{Client as ParamsClient, GetThingRequest, Phase};
use wiremock::matchers::header;

async fn params_client(server: &MockServer) -> ParamsClient {
    let config = Config::builder()
        .endpoint(server.uri())
        .credentials(Credentials::token("t0k3n"))
        .project_id("p 1")
        .param("tier", "Sync-Failure")
        .param("level", "3")
        .build()
        .unwrap();
    ParamsClient::new(config).unwrap()
}

#[tokio::test]
async fn scalars_go_out_as_their_wire_text() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/p%201/things/a%2Fb%20c/in-sync/-42/1.5e-7/true"))
        .and(query_param("tier", "Sync-Failure"))
        .and(header("X-Level", "3"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let request = GetThingRequest::new("a/b c", Phase::InSync, -42, 1.5e-7, true);
    params_client(&server).await.get_thing(&request).await.unwrap();
}

#[tokio::test]
async fn given_values_win_over_the_configuration() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/mine/things/x/Sync-Failure/0/2.0/false"))
        .and(query_param("tier", "in-sync"))
        .and(header("X-Level", "7"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let request = GetThingRequest::new("x", Phase::SyncFailure, 0, 2.0, false)
        .with_project_id("mine")
        .with_tier(Phase::InSync)
        .with_x_level(7);
    params_client(&server).await.get_thing(&request).await.unwrap();
}
