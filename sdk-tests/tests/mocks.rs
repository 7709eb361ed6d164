//! Consumer-style tests with the `test-util` mocks: code that uses the SDK, tested with no server
//! and no sockets. Each test plays a consumer: a small function of its own that calls the SDK,
//! and a test that mocks the operations the function uses and asserts on what it sent.

use cloudspec::credentials::Environment;
use cloudspec::mock::{self, MockTransport, OperationId, Reply, Rule};
use cloudspec::{batchcompute, cdm, roma, CallOptions, Config, Credentials, Error, RetryPolicy};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

/// A Huawei Cloud configuration over `mock`, retrying quickly.
fn huawei_config(mock: &MockTransport) -> Config {
    Config::builder()
        .region("cn-north-4")
        .credentials(Credentials::huawei_aksk("test-ak", "test-sk"))
        .project_id("p-1")
        .retry(RetryPolicy::default().with_max_attempts(3).with_initial_backoff(Duration::from_millis(1)))
        .mock(mock)
        .build()
        .unwrap()
}

/// Consumer code: whether a CDM cluster can take jobs; a cluster that does not exist cannot.
async fn cluster_is_ready(client: &cdm::Client, id: &str) -> Result<bool, Error> {
    match client.show_cluster_detail(&cdm::ShowClusterDetailRequest::new(id)).await {
        Ok(cluster) => Ok(cluster.status == Some(cdm::ShowClusterDetailResponseBodyStatus::Normal)),
        Err(Error::Service(e)) if e.status == 404 => Ok(false),
        Err(e) => Err(e),
    }
}

#[tokio::test]
async fn cdm_a_consumer_checks_a_cluster_with_typed_replies_and_errors() {
    let mock = MockTransport::new();
    // Matched on the typed request the consumer built, as the client method was given it.
    let ready = mock.rule(
        Rule::on(cdm::operation_ids::SHOW_CLUSTER_DETAIL)
            .when_input(|r: &cdm::ShowClusterDetailRequest| r.cluster_id == "c-ready")
            .reply(Reply::json(
                200,
                &cdm::ShowClusterDetailResponseBody::new()
                    .with_status(cdm::ShowClusterDetailResponseBodyStatus::Normal),
            )),
    );
    let missing = mock.rule(Rule::on(cdm::operation_ids::SHOW_CLUSTER_DETAIL).reply(Reply::service_error(
        404,
        "Cdm.0100",
        "the cluster does not exist",
    )));
    let client = cdm::Client::new(huawei_config(&mock)).unwrap();

    assert!(cluster_is_ready(&client, "c-ready").await.unwrap());
    assert!(!cluster_is_ready(&client, "c-gone").await.unwrap());

    assert_eq!((ready.calls(), missing.calls()), (1, 1), "a 404 is not retried");
    let sent = ready.last_request().unwrap();
    assert_eq!((sent.method(), sent.path()), ("GET", "/v1.1/p-1/clusters/c-ready"));
    assert_eq!(sent.host(), Some("cdm.cn-north-4.myhuaweicloud.com"), "the region's endpoint");
    assert!(sent.header("Authorization").unwrap().starts_with("SDK-HMAC-SHA256 Access=test-ak"));
    assert_eq!(sent.header("X-Project-Id"), Some("p-1"));
    assert_eq!(sent.input(), Some(&cdm::ShowClusterDetailRequest::new("c-ready")));
    assert!(sent.validated());
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn narrowings_combine_and_a_later_one_never_drops_an_earlier_one() {
    let mock = MockTransport::new();
    let both = mock.rule(
        Rule::on(cdm::operation_ids::SHOW_CLUSTER_DETAIL)
            .when_input(|r: &cdm::ShowClusterDetailRequest| r.cluster_id == "c-1")
            .when(|r| r.header("X-Project-Id") == Some("p-1"))
            .reply(Reply::json(200, &cdm::ShowClusterDetailResponseBody::new())),
    );
    let rest = mock.rule(Rule::on(cdm::operation_ids::SHOW_CLUSTER_DETAIL).reply(Reply::service_error(
        404,
        "Cdm.0100",
        "no such cluster",
    )));
    let client = cdm::Client::new(huawei_config(&mock)).unwrap();
    client.show_cluster_detail(&cdm::ShowClusterDetailRequest::new("c-1")).await.unwrap();
    // The later `when` accepts this request too; the earlier typed narrowing still refuses it.
    let other = client.show_cluster_detail(&cdm::ShowClusterDetailRequest::new("c-2")).await;
    assert!(matches!(other, Err(Error::Service(e)) if e.status == 404));
    assert_eq!((both.calls(), rest.calls()), (1, 1));
}

#[tokio::test]
async fn cdm_a_project_id_given_per_request_is_the_one_signed_for() {
    let mock = MockTransport::new();
    let rule = mock.rule(
        Rule::on(cdm::operation_ids::SHOW_CLUSTER_DETAIL)
            .reply(Reply::json(200, &cdm::ShowClusterDetailResponseBody::new())),
    );
    let client = cdm::Client::new(huawei_config(&mock)).unwrap();
    client.show_cluster_detail(&cdm::ShowClusterDetailRequest::new("c-1").with_project_id("p-2")).await.unwrap();
    let sent = rule.last_request().unwrap();
    assert_eq!((sent.path(), sent.header("X-Project-Id")), ("/v1.1/p-2/clusters/c-1", Some("p-2")));
    client.show_cluster_detail(&cdm::ShowClusterDetailRequest::new("c-1")).await.unwrap();
    let sent = rule.last_request().unwrap();
    assert_eq!(
        (sent.path(), sent.header("X-Project-Id")),
        ("/v1.1/p-1/clusters/c-1", Some("p-1")),
        "the configured one"
    );
}

#[tokio::test]
async fn cdm_a_server_failure_is_retried_and_a_view_without_validation_is_recorded() {
    let mock = MockTransport::new();
    let rule = mock.rule(Rule::on(cdm::operation_ids::SHOW_CLUSTER_DETAIL).replies([
        Reply::status(503),
        Reply::transport_error("connection reset by peer"),
        Reply::json(200, &cdm::ShowClusterDetailResponseBody::new().with_name("cdm-1")),
    ]));
    let client = cdm::Client::new(huawei_config(&mock)).unwrap();
    let cluster = client.show_cluster_detail(&cdm::ShowClusterDetailRequest::new("c-1")).await.unwrap();
    assert_eq!(cluster.name.as_deref(), Some("cdm-1"));
    assert_eq!(rule.calls(), 3, "a 503 and a transport error, both retried");

    let unchecked = client.with_options(CallOptions::new().validation(false).header("X-Trace-Id", "t-1"));
    unchecked.show_cluster_detail(&cdm::ShowClusterDetailRequest::new("c-1")).await.unwrap();
    let sent = rule.last_request().unwrap();
    assert!(!sent.validated(), "the view turned validation off");
    assert_eq!(sent.header("X-Trace-Id"), Some("t-1"));
    assert!(rule.requests()[..3].iter().all(|r| r.validated() && r.header("X-Trace-Id").is_none()));
}

#[tokio::test]
async fn cdm_a_transport_error_that_persists_is_the_callers_error() {
    let mock = MockTransport::new();
    let rule = mock
        .rule(Rule::on(cdm::operation_ids::SHOW_CLUSTER_DETAIL).reply(Reply::transport_error("connection refused")));
    let client = cdm::Client::new(huawei_config(&mock)).unwrap();
    let err = cluster_is_ready(&client, "c-1").await.unwrap_err();
    assert!(matches!(&err, Error::Transport { message, .. } if message == "connection refused"), "{err:?}");
    assert_eq!(rule.calls(), 3, "every attempt of the client's policy");
}

/// Consumer code: the names of every environment of a ROMA instance, page by page.
async fn environment_names(client: &roma::Client, instance: &str) -> Result<Vec<String>, Error> {
    let mut names = Vec::new();
    loop {
        let request = roma::ListEnvironmentsV2Request::new(instance).with_offset(names.len() as i64).with_limit(2);
        let page = client.list_environments_v2(&request).await?.into_inner();
        let envs = page.envs.unwrap_or_default();
        if envs.is_empty() {
            return Ok(names);
        }
        names.extend(envs.into_iter().filter_map(|env| env.name));
        if page.total.is_some_and(|total| names.len() as i64 >= total) {
            return Ok(names);
        }
    }
}

fn env_page(names: &[&str], total: i64) -> Reply {
    let envs: Vec<roma::EnvInfo> = names.iter().map(|name| roma::EnvInfo::new().with_name(*name)).collect();
    Reply::json(
        200,
        &roma::ListEnvironmentsV2ResponseBody::new().with_size(envs.len() as i32).with_total(total).with_envs(envs),
    )
}

#[tokio::test]
async fn roma_a_consumer_pages_through_environments() {
    let mock = MockTransport::new();
    let first = mock.rule(
        Rule::on(roma::operation_ids::LIST_ENVIRONMENTS_V2)
            .when(|r| r.query_param("offset").as_deref() == Some("0"))
            .reply(env_page(&["DEV", "TEST"], 3)),
    );
    // The second page is throttled once (with the service's Retry-After), then served.
    let second = mock.rule(
        Rule::on(roma::operation_ids::LIST_ENVIRONMENTS_V2)
            .when(|r| r.query_param("offset").as_deref() == Some("2"))
            .reply(Reply::service_error(429, "APIG.1009", "too many requests").header("Retry-After", "0"))
            .reply(env_page(&["PROD"], 3)),
    );
    let client = roma::Client::new(huawei_config(&mock)).unwrap();

    assert_eq!(environment_names(&client, "inst-1").await.unwrap(), ["DEV", "TEST", "PROD"]);
    assert_eq!((first.calls(), second.calls()), (1, 2));
    let sent = second.last_request().unwrap();
    assert_eq!(sent.path(), "/v2/p-1/apic/instances/inst-1/envs");
    // As sent: the signature's canonical (sorted) order.
    assert_eq!(sent.query(), [("limit".to_owned(), "2".to_owned()), ("offset".to_owned(), "2".to_owned())]);
    assert!(sent.body().is_empty());
}

#[tokio::test]
async fn roma_a_limit_out_of_range_never_reaches_the_mock() {
    let mock = MockTransport::new();
    let rule = mock.rule(Rule::on(roma::operation_ids::LIST_ENVIRONMENTS_V2).reply(env_page(&[], 0)));
    let client = roma::Client::new(huawei_config(&mock)).unwrap();
    let request = roma::ListEnvironmentsV2Request::new("inst-1").with_limit(100_000);
    let err = client.list_environments_v2(&request).await.unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    assert_eq!(rule.calls(), 0);
}

/// An Alibaba Cloud configuration over `mock`.
fn aliyun_client(mock: &MockTransport) -> batchcompute::Client {
    let config = Config::builder()
        .region("cn-shenzhen")
        .credentials(Credentials::aliyun("test-id", "test-secret"))
        .retry(RetryPolicy::default().with_max_attempts(3).with_initial_backoff(Duration::from_millis(1)))
        .mock(mock)
        .build()
        .unwrap();
    batchcompute::Client::new(config).unwrap()
}

/// Consumer code: creates a one-group cluster and returns its id.
async fn create_cluster(client: &batchcompute::Client, name: &str) -> Result<Option<String>, Error> {
    let group = batchcompute::GroupDescription::new(1, batchcompute::GroupDescriptionResourceType::OnDemand);
    let body = batchcompute::ClusterDescription::new(
        name,
        "m-2309yqb5n",
        "bcs.a2.large",
        BTreeMap::from([("group1".to_owned(), group)]),
    );
    let created = client.create_cluster(&batchcompute::CreateClusterRequest::new(body)).await?;
    Ok(created.into_inner().id)
}

#[tokio::test]
async fn batchcompute_a_create_is_retried_with_one_idempotency_token() {
    let mock = MockTransport::new();
    let rule = mock.rule(
        Rule::on(batchcompute::operation_ids::CREATE_CLUSTER)
            .reply(Reply::service_error(503, "ServiceUnavailable", "try again"))
            .reply(Reply::json(201, &batchcompute::CreateClusterResponseBody::new().with_id("cls-1"))),
    );
    let client = aliyun_client(&mock);
    assert_eq!(create_cluster(&client, "ci").await.unwrap().as_deref(), Some("cls-1"));

    let [first, retry] = rule.requests().try_into().expect("two attempts");
    let token = first.query_param("IdempotentToken").expect("a generated token");
    assert_eq!(retry.query_param("IdempotentToken"), Some(token), "the retry repeats the token");
    assert_eq!((retry.method(), retry.path()), ("POST", "/clusters"));
    assert_eq!(retry.host(), Some("batchcompute.cn-shenzhen.aliyuncs.com"));
    assert!(retry.header("Authorization").unwrap().starts_with("acs test-id:"));
    let body = retry.body_json().expect("a JSON body");
    assert_eq!((body["Name"].as_str(), body["InstanceType"].as_str()), (Some("ci"), Some("bcs.a2.large")));
}

#[tokio::test]
async fn batchcompute_service_errors_decode_and_slow_replies_time_out_per_call() {
    let mock = MockTransport::new();
    mock.rule(
        Rule::on(batchcompute::operation_ids::CREATE_CLUSTER)
            .when(|r| r.body_json().is_some_and(|b| b["Name"] == "taken"))
            .reply(Reply::service_error(409, "ClusterAlreadyExists", "the name is taken")),
    );
    let slow = mock
        .rule(Rule::on(batchcompute::operation_ids::CREATE_CLUSTER).reply(
            Reply::json(201, &batchcompute::CreateClusterResponseBody::new()).delay(Duration::from_millis(300)),
        ));
    let client = aliyun_client(&mock);

    let err = create_cluster(&client, "taken").await.unwrap_err();
    let service = err.as_service_error().expect("a service error");
    assert_eq!((service.status, service.code()), (409, "ClusterAlreadyExists"));

    let hasty = client
        .with_options(CallOptions::new().attempt_timeout(Duration::from_millis(50)).retry(RetryPolicy::disabled()));
    let err = create_cluster(&hasty, "ci").await.unwrap_err();
    assert!(matches!(err, Error::Timeout { after, .. } if after == Duration::from_millis(50)), "{err:?}");
    assert_eq!(create_cluster(&client, "ci").await.unwrap(), None, "the client's own timeout waits");
    assert_eq!(slow.calls(), 2);
}

fn a_cluster() -> Reply {
    Reply::json(200, &cdm::ShowClusterDetailResponseBody::new().with_name("cdm-1"))
}

#[tokio::test]
async fn a_typed_rule_answers_its_own_operation_and_no_other() {
    let mock = MockTransport::new();
    let create = mock.rule(Rule::on(cdm::operation_ids::CREATE_CLUSTER).reply(Reply::status(500)));
    // The same operationId in another service is another operation.
    let elsewhere = mock.rule(Rule::on(OperationId::new("roma", "ShowClusterDetail")).reply(Reply::status(500)));
    // A typed predicate on another operation's request type never matches this one.
    let other_input = mock.rule(
        Rule::on(cdm::operation_ids::SHOW_CLUSTER_DETAIL)
            .when_input(|_: &cdm::CreateClusterRequest| true)
            .reply(Reply::status(500)),
    );
    let show = mock.rule(Rule::on(cdm::operation_ids::SHOW_CLUSTER_DETAIL).reply(a_cluster()));
    let client = cdm::Client::new(huawei_config(&mock)).unwrap();
    let cluster = client.show_cluster_detail(&cdm::ShowClusterDetailRequest::new("c-1")).await.unwrap();
    assert_eq!(cluster.name.as_deref(), Some("cdm-1"));
    assert_eq!((create.calls(), elsewhere.calls(), other_input.calls(), show.calls()), (0, 0, 0, 1));
    let operation = show.last_request().unwrap().operation();
    assert_eq!(operation, cdm::operation_ids::SHOW_CLUSTER_DETAIL);
    assert_eq!((operation.service(), operation.name()), ("cdm", "ShowClusterDetail"));
}

#[tokio::test]
async fn a_rule_by_bare_operation_id_answers_that_name_in_any_service() {
    let mock = MockTransport::new();
    let other = mock.rule(Rule::on_operation_id("CreateCluster").reply(Reply::status(500)));
    let by_name = mock.rule(Rule::on_operation_id("ShowClusterDetail").reply(a_cluster()));
    let client = cdm::Client::new(huawei_config(&mock)).unwrap();
    client.show_cluster_detail(&cdm::ShowClusterDetailRequest::new("c-1")).await.unwrap();
    assert_eq!((other.calls(), by_name.calls()), (0, 1));
    assert_eq!(by_name.last_request().unwrap().operation(), cdm::operation_ids::SHOW_CLUSTER_DETAIL);
}

#[tokio::test]
async fn the_runtimes_own_iam_call_is_mocked_like_any_operation() {
    // Credentials but no project id: the client asks IAM (through the mock, as any call) once.
    let mock = MockTransport::new();
    let iam = mock.rule(
        Rule::on(mock::IAM_KEYSTONE_LIST_PROJECTS)
            .reply(Reply::json(200, &serde_json::json!({"projects": [{"id": "p-iam"}]}))),
    );
    let show = mock.rule(Rule::on(cdm::operation_ids::SHOW_CLUSTER_DETAIL).reply(a_cluster()));
    let config = Config::builder()
        .region("cn-north-4")
        .credentials(Credentials::huawei_aksk("test-ak", "test-sk"))
        .mock(&mock)
        .build()
        .unwrap();
    let client = cdm::Client::new(config).unwrap();
    for _ in 0..2 {
        client.show_cluster_detail(&cdm::ShowClusterDetailRequest::new("c-1")).await.unwrap();
    }
    assert_eq!(iam.calls(), 1, "the project id is discovered once");
    let asked = iam.last_request().unwrap();
    assert_eq!((asked.operation().service(), asked.path()), ("iam", "/v3/projects"));
    assert_eq!(asked.query_param("name").as_deref(), Some("cn-north-4"));
    assert!(asked.input::<cdm::ShowClusterDetailRequest>().is_none(), "the runtime's own call has no typed request");
    assert_eq!(show.last_request().unwrap().path(), "/v1.1/p-iam/clusters/c-1");
}

/// Variables that would give real keys to the default chains, were they asked.
fn environment_with_keys() -> Environment {
    let vars = [
        ("HUAWEICLOUD_SDK_AK", "env-ak"),
        ("HUAWEICLOUD_SDK_SK", "env-sk"),
        ("HUAWEICLOUD_SDK_PROJECT_ID", "env-project"),
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
    ];
    Environment::from_map(vars.into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect())
}

#[tokio::test]
async fn a_mock_needs_no_credentials_and_signs_with_placeholders_not_the_environments() {
    let mock = MockTransport::new();
    let show = mock.rule(Rule::on(cdm::operation_ids::SHOW_CLUSTER_DETAIL).reply(a_cluster()));
    let create = mock.rule(
        Rule::on(batchcompute::operation_ids::CREATE_CLUSTER)
            .reply(Reply::json(201, &batchcompute::CreateClusterResponseBody::new().with_id("cls-1"))),
    );
    let config = |region: &str| {
        Config::builder().region(region).environment(environment_with_keys()).mock(&mock).build().unwrap()
    };

    let cdm = cdm::Client::new(config("cn-north-4")).unwrap();
    cdm.show_cluster_detail(&cdm::ShowClusterDetailRequest::new("c-1")).await.unwrap();
    let sent = show.last_request().unwrap();
    let authorization = sent.header("Authorization").unwrap();
    let signed_by = format!("SDK-HMAC-SHA256 Access={}, SignedHeaders=", mock::ACCESS_KEY_ID);
    assert!(authorization.starts_with(&signed_by) && authorization.contains("Signature="), "{authorization}");
    assert!(sent.header("X-Sdk-Date").is_some(), "signed as any call is");
    let placeholder_path = format!("/v1.1/{}/clusters/c-1", mock::PROJECT_ID);
    assert_eq!((sent.path(), sent.header("X-Project-Id")), (placeholder_path.as_str(), Some(mock::PROJECT_ID)));

    let batch = batchcompute::Client::new(config("cn-shenzhen")).unwrap();
    assert_eq!(create_cluster(&batch, "ci").await.unwrap().as_deref(), Some("cls-1"));
    let authorization = create.last_request().unwrap().header("Authorization").unwrap().to_owned();
    assert!(authorization.starts_with(&format!("acs {}:", mock::ACCESS_KEY_ID)), "{authorization}");
}

#[tokio::test]
async fn credentials_given_to_a_mocked_configuration_are_the_ones_signed_with() {
    let mock = MockTransport::new();
    let show = mock.rule(Rule::on(cdm::operation_ids::SHOW_CLUSTER_DETAIL).reply(a_cluster()));
    let client = cdm::Client::new(huawei_config(&mock)).unwrap();
    client.show_cluster_detail(&cdm::ShowClusterDetailRequest::new("c-1")).await.unwrap();
    let sent = show.last_request().unwrap();
    assert!(sent.header("Authorization").unwrap().starts_with("SDK-HMAC-SHA256 Access=test-ak, "));
    assert_eq!(sent.path(), "/v1.1/p-1/clusters/c-1", "the configured project id, not the placeholder");
}

#[tokio::test]
async fn over_a_mock_a_security_scheme_without_a_credential_sends_a_placeholder() {
    use feature_snapshots::security::{self as secured, GetAdminRequest, GetFeedRequest, GetMeRequest};
    use feature_snapshots::security::{GetSessionRequest, SearchRequest};
    let mock = MockTransport::new();
    let rule = |operation| mock.rule(Rule::on(operation).reply(Reply::status(204)));
    let (me, admin, search) = (
        rule(secured::operation_ids::GET_ME),
        rule(secured::operation_ids::GET_ADMIN),
        rule(secured::operation_ids::SEARCH),
    );
    let (session, feed) = (rule(secured::operation_ids::GET_SESSION), rule(secured::operation_ids::GET_FEED));
    let config = Config::builder()
        .endpoint("https://api.example.com")
        .security_credential("cookie_key", feature_snapshots::SchemeCredential::api_key("configured-key"))
        .mock(&mock)
        .build()
        .unwrap();
    let client = secured::Client::new(config).unwrap();
    client.get_me(&GetMeRequest::new()).await.unwrap();
    client.get_admin(&GetAdminRequest::new()).await.unwrap();
    client.search(&SearchRequest::new()).await.unwrap();
    client.get_session(&GetSessionRequest::new()).await.unwrap();
    client.get_feed(&GetFeedRequest::new()).await.unwrap();

    let bearer = format!("Bearer {}", mock::TOKEN);
    assert_eq!(me.last_request().unwrap().header("Authorization"), Some(bearer.as_str()));
    let basic = "Basic bW9jay1hY2Nlc3Mta2V5LWlkOm1vY2stc2VjcmV0LWFjY2Vzcy1rZXk="; // mock-access-key-id:mock-secret-access-key
    assert_eq!(admin.last_request().unwrap().header("Authorization"), Some(basic));
    assert_eq!(search.last_request().unwrap().header("X-API-Key"), Some(mock::TOKEN), "the first alternative");
    let sent = session.last_request().unwrap();
    assert_eq!(sent.header("Cookie"), Some("session=configured-key"), "a configured credential is kept");
    assert_eq!(sent.header("Authorization"), Some(bearer.as_str()));
    assert_eq!(feed.last_request().unwrap().header("Authorization"), None, "anonymous is allowed: as without a mock");
}

#[tokio::test]
async fn without_a_mock_missing_credentials_are_still_an_error() {
    let config = Config::builder()
        .endpoint("http://127.0.0.1:9")
        .project_id("p-1")
        .environment(Environment::from_map(HashMap::new()))
        .instance_metadata(false)
        .build()
        .unwrap();
    let client = cdm::Client::new(config).unwrap();
    let err = client.show_cluster_detail(&cdm::ShowClusterDetailRequest::new("c-1")).await.unwrap_err();
    assert!(matches!(err, Error::Credentials(_)), "{err:?}");
}

#[tokio::test]
#[should_panic(expected = "no mock rule matches MockRequest { operation: roma::ListEnvironmentsV2")]
async fn a_request_no_rule_matches_fails_the_test() {
    let mock = MockTransport::new();
    mock.rule(Rule::on(cdm::operation_ids::SHOW_CLUSTER_DETAIL).reply(Reply::status(200)));
    let client = roma::Client::new(huawei_config(&mock)).unwrap();
    let _ = client.list_environments_v2(&roma::ListEnvironmentsV2Request::new("inst-1")).await;
}
