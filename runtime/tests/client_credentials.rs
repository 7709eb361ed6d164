//! The runtime client with credential providers, project id discovery, the region catalogue and
//! the validation switch. Services, metadata and IAM are fakes on loopback.

use cloudspec_runtime::client::ConfigValue::{Configured, Other};
use cloudspec_runtime::credentials::{Credentials, Environment};
use cloudspec_runtime::request::{Method, OperationRequest};
use cloudspec_runtime::validation::{FieldPath, Report};
use cloudspec_runtime::{CallOptions, Client, Config, Error, Region, ServiceInfo, SigningScheme, Validate};
use std::collections::HashMap;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

static SERVICE: ServiceInfo = ServiceInfo::new("svc", SigningScheme::HuaweiSdkHmacSha256, "v1")
    .with_endpoint_template("https://svc.{region}.myhuaweicloud.com")
    .with_regions(&[
        Region::new("cn-north-4", "https://svc.cn-north-4.myhuaweicloud.com"),
        Region::new("ap-southeast-1", "https://svc.ap-southeast-1.myhuaweicloud.com"),
    ]);

fn empty_environment() -> Environment {
    let home = std::env::temp_dir().join(format!("cloudspec-empty-home-{}", uuid::Uuid::new_v4()));
    Environment::from_map(HashMap::new()).with_home(home)
}

fn headers(request: &Request) -> Vec<(String, String)> {
    request.headers.iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned())).collect()
}

/// The request was signed with `ak`/`sk`, as the runtime's signer recomputes it.
fn assert_signed(request: &Request, ak: &str, sk: &str) {
    let checked = cloudspec_runtime::signing::huawei::verify_received(
        request.method.as_str(),
        &request.url,
        &headers(request),
        &request.body,
        ak,
        sk,
    );
    assert_eq!(checked, Ok(()), "{} {}", request.method, request.url);
}

fn get(path: &str) -> OperationRequest {
    OperationRequest::new("Get", Method::GET, path.to_owned())
}

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    server
}

fn expiry_in(life: time::Duration) -> String {
    (time::OffsetDateTime::now_utc() + life).format(&time::format_description::well_known::Rfc3339).unwrap()
}

fn security_key(ak: &str, expires_at: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({"credential": {
        "access": ak, "secret": format!("{ak}-secret"), "securitytoken": format!("{ak}-token"), "expires_at": expires_at}}))
}

#[tokio::test]
async fn explicit_credentials_sign_every_call() {
    let server = ok_server().await;
    let config = Config::builder()
        .endpoint(server.uri())
        .credentials(Credentials::huawei_aksk("EXPLICIT", "explicit-sk"))
        .project_id("p")
        .build()
        .unwrap();
    Client::new(config, &SERVICE).unwrap().send(get("/v1/p/things")).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_signed(&received[0], "EXPLICIT", "explicit-sk");
    let wrong_key = cloudspec_runtime::signing::huawei::verify_received(
        "GET",
        &received[0].url,
        &headers(&received[0]),
        &received[0].body,
        "EXPLICIT",
        "another-sk",
    );
    assert!(wrong_key.is_err(), "the check recomputes the signature");
}

#[tokio::test]
async fn temporary_credentials_are_refreshed_before_expiry_once_under_100_concurrent_calls() {
    let server = ok_server().await;
    let metadata = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(200).set_body_string("t")).mount(&metadata).await;
    // The first key lives a second: due past half of that, still before it expires. The next
    // lives 6 hours.
    Mock::given(path("/openstack/latest/securitykey"))
        .respond_with(security_key("FIRST", &expiry_in(time::Duration::seconds(1))))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&metadata)
        .await;
    Mock::given(path("/openstack/latest/securitykey"))
        .respond_with(security_key("SECOND", &expiry_in(time::Duration::hours(6))))
        .mount(&metadata)
        .await;
    let config = Config::builder()
        .endpoint(server.uri())
        .environment(empty_environment())
        .metadata_endpoint(metadata.uri())
        .project_id("p")
        .build()
        .unwrap();
    let client = Client::new(config, &SERVICE).unwrap();
    client.send(get("/v1/p/first")).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.send(get("/v1/p/many")).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    let key_fetches = metadata.received_requests().await.unwrap().iter().filter(|r| r.method.as_str() == "GET").count();
    assert_eq!(key_fetches, 2, "fetched once, refreshed once");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 101);
    assert_signed(&received[0], "FIRST", "FIRST-secret");
    for request in &received[1..] {
        assert_signed(request, "SECOND", "SECOND-secret");
        assert_eq!(request.headers.get("X-Security-Token").unwrap(), "SECOND-token");
    }
}

async fn fake_iam(projects: serde_json::Value) -> MockServer {
    let iam = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/projects"))
        .and(query_param("name", "cn-north-4"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "projects": projects })))
        .mount(&iam)
        .await;
    iam
}

fn discovering_config(iam: &MockServer) -> Config {
    Config::builder()
        .region("cn-north-4")
        .credentials(Credentials::huawei_aksk("AK", "SK"))
        .iam_endpoint(iam.uri())
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_project_id_is_discovered_once_through_a_signed_iam_call_and_cached() {
    let iam = fake_iam(serde_json::json!([{"id": "discovered-project", "name": "cn-north-4"}])).await;
    let config = discovering_config(&iam);
    let client = Client::new(config.clone(), &SERVICE).unwrap();
    let lookups: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.resolve_param("project_id", None).await.map(|id| id.to_string()) })
        })
        .collect();
    for lookup in lookups {
        assert_eq!(lookup.await.unwrap().unwrap(), "discovered-project");
    }
    // Another client of the same configuration shares the cache; a given value still wins.
    let other = Client::new(config, &SERVICE).unwrap();
    assert_eq!(other.resolve_param("project_id", None).await.unwrap(), Other("discovered-project".into()));
    assert_eq!(other.resolve_param("project_id", Some("mine")).await.unwrap(), Other("mine".into()));
    let received = iam.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "one IAM lookup");
    assert_signed(&received[0], "AK", "SK");
}

#[tokio::test]
async fn no_or_several_projects_are_configuration_errors_saying_which() {
    let iam = fake_iam(serde_json::json!([])).await;
    let client = Client::new(discovering_config(&iam), &SERVICE).unwrap();
    let err = client.resolve_param("project_id", None).await.unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("no project named \"cn-north-4\"")), "{err}");

    let iam = fake_iam(serde_json::json!([{"id": "p1"}, {"id": "p2"}])).await;
    let client = Client::new(discovering_config(&iam), &SERVICE).unwrap();
    let err = client.resolve_param("project_id", None).await.unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("several projects") && m.contains("p1, p2")), "{err}");
}

#[tokio::test]
async fn a_configured_value_is_borrowed_and_a_given_one_wins() {
    let config = Config::builder().region("cn-north-4").project_id("configured").param("tier", "gold").build().unwrap();
    let client = Client::new(config, &SERVICE).unwrap();
    let configured = client.resolve_param("project_id", None).await.unwrap();
    assert_eq!(configured, Configured("configured"));
    let Configured(text) = configured else { unreachable!() };
    assert!(std::ptr::eq(text, client.config().project_id().unwrap()), "the configuration's own text, not a copy");
    assert_eq!(client.resolve_param("tier", None).await.unwrap(), Configured("gold"));
    assert_eq!(client.resolve_param("project_id", Some("mine")).await.unwrap(), Other("mine".into()));
    let err = client.resolve_param("level", None).await.unwrap_err();
    assert!(err.to_string().contains("`level` is not set"), "{err}");
}

#[tokio::test]
async fn a_project_id_from_the_credentials_needs_no_discovery() {
    let env = Environment::from_map(HashMap::from([
        ("HUAWEICLOUD_SDK_AK".to_owned(), "AK".to_owned()),
        ("HUAWEICLOUD_SDK_SK".to_owned(), "SK".to_owned()),
        ("HUAWEICLOUD_SDK_PROJECT_ID".to_owned(), "env-project".to_owned()),
    ]));
    let config = Config::builder().region("cn-north-4").environment(env).instance_metadata(false).build().unwrap();
    let client = Client::new(config, &SERVICE).unwrap();
    assert_eq!(client.resolve_param("project_id", None).await.unwrap(), Other("env-project".into()));
}

#[test]
fn an_unknown_region_is_refused_with_the_known_ones() {
    let config = Config::builder().region("narnia-1").build().unwrap();
    let err = Client::new(config, &SERVICE).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("narnia-1") && message.contains("cn-north-4, ap-southeast-1"), "{message}");

    let known = Client::new(Config::builder().region("ap-southeast-1").build().unwrap(), &SERVICE).unwrap();
    assert_eq!(known.endpoint().as_str(), "https://svc.ap-southeast-1.myhuaweicloud.com/");
    let unchecked = Client::new(Config::builder().region_unchecked("narnia-1").build().unwrap(), &SERVICE).unwrap();
    assert_eq!(unchecked.endpoint().as_str(), "https://svc.narnia-1.myhuaweicloud.com/");
    let explicit = Config::builder().region("narnia-1").endpoint("http://127.0.0.1:9").build().unwrap();
    assert_eq!(Client::new(explicit, &SERVICE).unwrap().endpoint().as_str(), "http://127.0.0.1:9/");
}

/// A request whose `name` must not be empty.
struct Named(&'static str);

impl Validate for Named {
    fn validate_into(&self, path: &FieldPath, report: &mut Report) {
        if self.0.is_empty() {
            report.push(&path.field("name"), "must not be empty");
        }
    }
}

#[test]
fn validation_can_be_turned_off() {
    let on = Client::new(Config::builder().region("cn-north-4").build().unwrap(), &SERVICE).unwrap();
    assert!(matches!(on.validate(&Named("")), Err(Error::Validation(_))));
    assert!(on.validate(&Named("x")).is_ok());
    let off = Config::builder().region("cn-north-4").validate_requests(false).build().unwrap();
    let off = Client::new(off, &SERVICE).unwrap();
    assert!(off.validate(&Named("")).is_ok());
    // A view's option wins over the configuration's switch, either way.
    let strict_view = off.with_options(CallOptions::new().validation(true));
    assert!(matches!(strict_view.validate(&Named("")), Err(Error::Validation(_))));
    assert!(on.with_options(CallOptions::new().validation(false)).validate(&Named("")).is_ok());
}

#[tokio::test]
async fn secrets_never_show_in_debug_output_even_once_cached() {
    let server = ok_server().await;
    let config = Config::builder()
        .endpoint(server.uri())
        .credentials_provider(cloudspec_runtime::credentials::StaticProvider::new(Credentials::huawei_temporary(
            "VISIBLE_AK",
            "sk-SECRET",
            "token-SECRET",
        )))
        .project_id("p")
        .build()
        .unwrap();
    let client = Client::new(config, &SERVICE).unwrap();
    client.send(get("/v1/p/things")).await.unwrap();
    let debug = format!("{client:?} {:?}", client.config());
    assert!(debug.contains("VISIBLE_AK"), "the cached credentials are in the output: {debug}");
    assert!(!debug.contains("SECRET"), "{debug}");
}
