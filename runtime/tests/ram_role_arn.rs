//! Assuming a RAM role through STS (`RamRoleArn`): a fake STS on loopback checks every
//! `AssumeRole` signature as STS does, and a fake Alibaba Cloud service receives the calls signed
//! with the temporary credentials.

use cloudspec_runtime::credentials::aliyun::{
    AliyunCliProfileProvider, AliyunProfileProvider, AliyunRamRoleArnProvider,
};
use cloudspec_runtime::credentials::{AliyunAccessKey, Environment, ProvideCredentials};
use cloudspec_runtime::request::{Method, OperationRequest};
use cloudspec_runtime::signing::{aliyun, aliyun_rpc, RequestToSign};
use cloudspec_runtime::{Client, Config, ServiceInfo, SigningScheme};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

static BATCH: ServiceInfo = ServiceInfo::new("batchcompute", SigningScheme::AliyunAcsHmacSha1, "2015-11-11");

const SOURCE_ID: &str = "LTAI-SOURCE";
const SOURCE_SECRET: &str = "source-SECRET";
const ROLE: &str = "acs:ram::1234567890123456:role/batch-runner";

/// STS as far as `AssumeRole` goes: it recomputes the signature with the source secret and
/// answers the n-th valid request with `STS.tmp-<n>`, expiring `lifetimes[n]` seconds later (to the
/// second, as STS writes it)
/// (the last one for any after).
struct FakeSts {
    calls: Arc<AtomicUsize>,
    lifetimes: Vec<i64>,
}

impl Respond for FakeSts {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        let signed: Vec<(&str, &str)> =
            query.iter().filter(|(k, _)| k != "Signature").map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let received = query.iter().find(|(k, _)| k == "Signature").map(|(_, v)| v.as_str());
        if received != Some(aliyun_rpc::signature("GET", &signed, SOURCE_SECRET).as_str()) {
            return ResponseTemplate::new(400).set_body_json(serde_json::json!({
                "RequestId": "REQ-1", "Code": "SignatureDoesNotMatch",
                "Message": "Specified signature is not matched with our calculation. server string to sign is:GET&%2F&..."}));
        }
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        let lifetime = self.lifetimes[(n - 1).min(self.lifetimes.len() - 1)];
        let expiration = (time::OffsetDateTime::now_utc() + time::Duration::seconds(lifetime))
            .format(time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"))
            .unwrap();
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"RequestId": "REQ", "Credentials": {
            "AccessKeyId": format!("STS.tmp-{n}"), "AccessKeySecret": format!("tmp-secret-{n}"),
            "SecurityToken": format!("tmp-token-{n}"), "Expiration": expiration}}))
    }
}

async fn fake_sts(lifetimes: Vec<i64>) -> (MockServer, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    Mock::given(method("GET")).respond_with(FakeSts { calls: calls.clone(), lifetimes }).mount(&server).await;
    (server, calls)
}

fn environment(vars: &[(&str, &str)]) -> Environment {
    let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Environment::from_map(vars)
}

fn provider(sts: &MockServer) -> AliyunRamRoleArnProvider {
    AliyunRamRoleArnProvider::new(AliyunAccessKey::new(SOURCE_ID, SOURCE_SECRET))
        .environment(environment(&[]))
        .role_arn(ROLE)
        .sts_endpoint(sts.uri())
}

async fn query_of_last_request(sts: &MockServer) -> HashMap<String, String> {
    let received = sts.received_requests().await.unwrap();
    received.last().unwrap().url.query_pairs().into_owned().collect()
}

#[tokio::test]
async fn assume_role_carries_the_package_parameters_signed_with_the_source_key() {
    let (sts, calls) = fake_sts(vec![3600]).await;
    let policy = r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "batchcompute:*", "Resource": "*"}]}"#;
    let provided = provider(&sts)
        .role_session_name("nightly")
        .duration_seconds(1800)
        .policy(policy)
        .external_id("ext-42")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1, "the fake STS accepted the signature");
    let key = match &provided.credentials {
        cloudspec_runtime::Credentials::AliyunAccessKey(key) => key,
        other => panic!("{other:?}"),
    };
    assert_eq!((key.id.as_str(), key.secret.expose()), ("STS.tmp-1", "tmp-secret-1"));
    assert_eq!(key.security_token.as_ref().map(|t| t.expose()), Some("tmp-token-1"));
    assert!(provided.expires_at.is_some());

    let query = query_of_last_request(&sts).await;
    let expected = [
        ("Action", "AssumeRole"),
        ("Format", "JSON"),
        ("Version", "2015-04-01"),
        ("RoleArn", ROLE),
        ("RoleSessionName", "nightly"),
        ("DurationSeconds", "1800"),
        ("Policy", policy),
        ("ExternalId", "ext-42"),
        ("AccessKeyId", SOURCE_ID),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
    ];
    for (name, value) in expected {
        assert_eq!(query.get(name).map(String::as_str), Some(value), "{name}");
    }
    assert!(!query.contains_key("SecurityToken"), "a permanent source key sends no token");
    assert!(query["SignatureNonce"].len() >= 32 && query["Timestamp"].ends_with('Z'), "{query:?}");
    assert!(!query.values().any(|v| v.contains(SOURCE_SECRET)), "the source secret is never sent");
}

fn get() -> OperationRequest {
    OperationRequest::new("ListJobs", Method::GET, "/jobs".to_owned())
}

/// The service call was signed by `id` with `secret` and `token`, as the runtime's signer
/// recomputes it from what the service received.
fn assert_signed_by(request: &Request, id: &str, secret: &str, token: &str) {
    let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert_eq!(header("x-acs-access-key-id"), id);
    assert_eq!(header("x-acs-security-token"), token);
    let date = time::OffsetDateTime::from(httpdate::parse_http_date(header("date")).unwrap());
    let key = AliyunAccessKey::new(id, secret).with_security_token(token);
    let to_sign = RequestToSign {
        method: request.method.as_str(),
        host: "",
        path: request.url.path(),
        query: &[],
        headers: Vec::new(),
        body: &request.body,
    };
    let expected = aliyun::sign_with_credentials(
        to_sign,
        &key,
        header("x-acs-region-id"),
        "2015-11-11",
        date,
        header("x-acs-signature-nonce"),
    );
    assert_eq!(header("authorization"), expected.header("Authorization").unwrap());
}

async fn batch_service() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn calls_are_signed_with_the_temporary_key_refreshed_before_it_expires() {
    // The first credentials last 2 to 3 s (STS's expiry is to the second): past half of that they
    // are due, still before they expire. The next ones last 6 hours (kept).
    let (sts, calls) = fake_sts(vec![3, 6 * 3600]).await;
    let service = batch_service().await;
    let config = Config::builder()
        .endpoint(service.uri())
        .region("cn-shenzhen")
        .credentials_provider(provider(&sts))
        .build()
        .unwrap();
    let client = Client::new(config, &BATCH).unwrap();
    client.send(get()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
    for _ in 0..2 {
        client.send(get()).await.unwrap();
    }
    let received = service.received_requests().await.unwrap();
    assert_signed_by(&received[0], "STS.tmp-1", "tmp-secret-1", "tmp-token-1");
    assert_signed_by(&received[1], "STS.tmp-2", "tmp-secret-2", "tmp-token-2");
    assert_signed_by(&received[2], "STS.tmp-2", "tmp-secret-2", "tmp-token-2");
    assert_eq!(calls.load(Ordering::SeqCst), 2, "refreshed once, then cached");

    let concurrent: Vec<_> = (0..20).map(|_| client.send(get())).collect();
    for outcome in futures_util::future::join_all(concurrent).await {
        outcome.unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 2, "fresh credentials serve concurrent calls without asking STS");
}

#[tokio::test]
async fn an_sts_refusal_is_a_credentials_error_without_secrets() {
    let (sts, calls) = fake_sts(vec![3600]).await;
    let service = batch_service().await;
    let wrong =
        AliyunRamRoleArnProvider::new(AliyunAccessKey::new(SOURCE_ID, "wrong-SECRET").with_security_token("src-TOKEN"))
            .environment(environment(&[]))
            .role_arn(ROLE)
            .sts_endpoint(sts.uri());
    let config =
        Config::builder().endpoint(service.uri()).region("cn-shenzhen").credentials_provider(wrong).build().unwrap();
    let err = Client::new(config, &BATCH).unwrap().send(get()).await.unwrap_err();
    assert!(matches!(err, cloudspec_runtime::Error::Credentials(_)), "{err:?}");
    let (text, debug) = (err.to_string(), format!("{err:?}"));
    for part in ["aliyun-ram-role-arn", "AssumeRole", "400", "SignatureDoesNotMatch", "REQ-1"] {
        assert!(text.contains(part), "{part}: {text}");
    }
    for secret in ["SECRET", "TOKEN", "Signature=", "string to sign"] {
        assert!(!text.contains(secret) && !debug.contains(secret), "{secret}: {text} / {debug}");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    assert!(service.received_requests().await.unwrap().is_empty(), "no call goes out unsigned");
    assert_eq!(query_of_last_request(&sts).await.get("SecurityToken").map(String::as_str), Some("src-TOKEN"));
}

fn temp_home(file: &str, text: &str) -> std::path::PathBuf {
    let home = std::env::temp_dir().join(format!("cloudspec-ram-role-{}", uuid::Uuid::new_v4()));
    let path = home.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    home
}

#[tokio::test]
async fn cli_ram_role_arn_profiles_assume_their_role() {
    let (sts, calls) = fake_sts(vec![3600]).await;
    let config = format!(
        r#"{{"current": "arn", "profiles": [{{"name": "arn", "mode": "RamRoleArn", "access_key_id": "{SOURCE_ID}",
        "access_key_secret": "{SOURCE_SECRET}", "ram_role_arn": "{ROLE}", "ram_session_name": "cli-session",
        "expired_seconds": 900, "external_id": "cli-ext", "sts_region": "cn-shenzhen", "enable_vpc": true}}]}}"#
    );
    let home = temp_home(".aliyun/config.json", &config);
    let cli = AliyunCliProfileProvider::new(environment(&[]).with_home(&home)).sts_endpoint(sts.uri());
    let provided = cli.provide_credentials().await.unwrap();
    assert_eq!(
        provided.credentials,
        cloudspec_runtime::Credentials::aliyun_sts("STS.tmp-1", "tmp-secret-1", "tmp-token-1")
    );
    let query = query_of_last_request(&sts).await;
    assert_eq!(
        ["RoleArn", "RoleSessionName", "DurationSeconds", "ExternalId"].map(|k| query[k].as_str()),
        [ROLE, "cli-session", "900", "cli-ext"]
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn credentials_file_ram_role_arn_sections_assume_their_role_with_the_environment_session_name() {
    let (sts, _) = fake_sts(vec![3600]).await;
    let ini = format!(
        "[default]\ntype = ram_role_arn\naccess_key_id = {SOURCE_ID}\naccess_key_secret = {SOURCE_SECRET}\n\
         role_arn = {ROLE}\npolicy = {{\"Version\": \"1\"}}\n"
    );
    let home = temp_home(".alibabacloud/credentials.ini", &ini);
    let env = environment(&[("ALIBABA_CLOUD_ROLE_SESSION_NAME", "from-env")]).with_home(&home);
    let provided = AliyunProfileProvider::new(env).sts_endpoint(sts.uri()).provide_credentials().await.unwrap();
    assert_eq!(
        provided.credentials,
        cloudspec_runtime::Credentials::aliyun_sts("STS.tmp-1", "tmp-secret-1", "tmp-token-1")
    );
    let query = query_of_last_request(&sts).await;
    assert_eq!(
        ["RoleArn", "RoleSessionName", "DurationSeconds", "Policy"].map(|k| query[k].as_str()),
        [ROLE, "from-env", "3600", r#"{"Version": "1"}"#]
    );
}
