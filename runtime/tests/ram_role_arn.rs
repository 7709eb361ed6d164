//! Assuming a RAM role through STS (`RamRoleArn`, and the CLI's `ChainableRamRoleArn`): a fake
//! STS on loopback checks every `AssumeRole` signature as STS does, and a fake Alibaba Cloud
//! service receives the calls signed with the temporary credentials.

use cloudspec_runtime::credentials::aliyun::{
    AliyunCliProfileProvider, AliyunProfileProvider, AliyunRamRoleArnProvider,
};
use cloudspec_runtime::credentials::{AliyunAccessKey, ProvideCredentials};
use cloudspec_runtime::signing::{aliyun, RequestToSign};
use cloudspec_runtime::{Client, Config};
use std::sync::atomic::Ordering;
use wiremock::{MockServer, Request};

#[path = "support/fake_sts.rs"]
mod fake_sts;
use fake_sts::{
    batch_service, environment, fake_sts, get, queries, query_of_last_request, temp_home, BATCH, ROLE, SOURCE_ID,
    SOURCE_SECRET,
};

fn provider(sts: &MockServer) -> AliyunRamRoleArnProvider {
    AliyunRamRoleArnProvider::new(AliyunAccessKey::new(SOURCE_ID, SOURCE_SECRET))
        .environment(environment(&[]))
        .role_arn(ROLE)
        .sts_endpoint(sts.uri())
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

/// Profiles chained through `source_profile`: `base` (an AccessKey) is the source of `first`,
/// which is the source of `second`; `loop-a` and `loop-b` name each other, `self` itself.
const CHAINED_PROFILES: &str = r#"{"current": "second", "profiles": [
    {"name": "base", "mode": "AK", "access_key_id": "LTAI-SOURCE", "access_key_secret": "source-SECRET"},
    {"name": "first", "mode": "ChainableRamRoleArn", "source_profile": "base",
     "ram_role_arn": "acs:ram::1234567890123456:role/batch-runner", "ram_session_name": "first-hop", "external_id": "ext-1"},
    {"name": "second", "mode": "ChainableRamRoleArn", "source_profile": "first",
     "ram_role_arn": "acs:ram::1234567890123456:role/second", "ram_session_name": "second-hop", "expired_seconds": 1200},
    {"name": "loop-a", "mode": "ChainableRamRoleArn", "source_profile": "loop-b", "ram_role_arn": "acs:ram::1:role/a"},
    {"name": "loop-b", "mode": "ChainableRamRoleArn", "source_profile": "loop-a", "ram_role_arn": "acs:ram::1:role/b"},
    {"name": "self", "mode": "ChainableRamRoleArn", "source_profile": "self", "ram_role_arn": "acs:ram::1:role/s"},
    {"name": "dangling", "mode": "ChainableRamRoleArn", "source_profile": "gone", "ram_role_arn": "acs:ram::1:role/d"}
]}"#;

fn chained_cli(sts: &MockServer, profile: Option<&str>) -> AliyunCliProfileProvider {
    let home = temp_home(".aliyun/config.json", CHAINED_PROFILES);
    let env = match profile {
        Some(profile) => environment(&[("ALIBABA_CLOUD_PROFILE", profile)]),
        None => environment(&[]),
    };
    AliyunCliProfileProvider::new(env.with_home(&home)).sts_endpoint(sts.uri())
}

#[tokio::test]
async fn chainable_ram_role_arn_assumes_its_role_with_the_source_profile_credentials() {
    let (sts, calls) = fake_sts(vec![3600]).await;
    let provided = chained_cli(&sts, Some("first")).provide_credentials().await.unwrap();
    assert_eq!(
        provided.credentials,
        cloudspec_runtime::Credentials::aliyun_sts("STS.tmp-1", "tmp-secret-1", "tmp-token-1")
    );
    let query = query_of_last_request(&sts).await;
    assert_eq!(
        ["AccessKeyId", "RoleArn", "RoleSessionName", "ExternalId"].map(|k| query[k].as_str()),
        [SOURCE_ID, ROLE, "first-hop", "ext-1"],
        "signed by the source profile's key (the fake STS checked the signature)"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    // Two hops: `second`'s AssumeRole is signed by the STS credentials `first` gave.
    let provided = chained_cli(&sts, None).provide_credentials().await.unwrap();
    assert_eq!(
        provided.credentials,
        cloudspec_runtime::Credentials::aliyun_sts("STS.tmp-3", "tmp-secret-3", "tmp-token-3")
    );
    let asked = queries(&sts).await;
    assert_eq!(asked.len(), 3);
    assert_eq!(asked[1]["AccessKeyId"], SOURCE_ID);
    assert_eq!(asked[1]["RoleSessionName"], "first-hop");
    let last = &asked[2];
    assert_eq!(
        ["AccessKeyId", "SecurityToken", "RoleArn", "RoleSessionName", "DurationSeconds"].map(|k| last[k].as_str()),
        ["STS.tmp-2", "tmp-token-2", "acs:ram::1234567890123456:role/second", "second-hop", "1200"]
    );
    assert!(!last.contains_key("ExternalId"), "each profile brings its own settings");
}

#[tokio::test]
async fn a_source_profile_loop_or_a_missing_source_is_an_error_naming_the_profiles() {
    let (sts, calls) = fake_sts(vec![3600]).await;
    let err = chained_cli(&sts, Some("loop-a")).provide_credentials().await.unwrap_err().to_string();
    assert!(err.contains(r#"source_profile loops: "loop-a" -> "loop-b" -> "loop-a""#), "{err}");
    let err = chained_cli(&sts, Some("self")).provide_credentials().await.unwrap_err().to_string();
    assert!(err.contains(r#"source_profile loops: "self" -> "self""#), "{err}");
    let err = chained_cli(&sts, Some("dangling")).provide_credentials().await.unwrap_err().to_string();
    assert!(err.contains(r#"has no profile "gone""#), "{err}");
    assert!(!err.contains(SOURCE_SECRET), "{err}");
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    assert!(sts.received_requests().await.unwrap().is_empty(), "nothing is asked of STS");
}

/// A loopback port that accepts nothing unless asked: a hostile setting must not reach it.
fn watched_port() -> (std::net::TcpListener, u16) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    (listener, port)
}

fn assert_never_contacted(listener: &std::net::TcpListener) {
    let accepted = listener.accept();
    assert!(
        matches!(&accepted, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "the signed query went to the host the region named: {accepted:?}"
    );
}

#[tokio::test]
async fn a_region_naming_another_host_is_refused_before_any_connection() {
    let (listener, port) = watched_port();
    let hostile = format!("x@127.0.0.1:{port}/#");
    let source = AliyunAccessKey::new(SOURCE_ID, SOURCE_SECRET);
    let given = AliyunRamRoleArnProvider::new(source.clone()).environment(environment(&[])).role_arn(ROLE);
    let env = environment(&[("ALIBABA_CLOUD_STS_REGION", hostile.as_str())]);
    let from_env = AliyunRamRoleArnProvider::new(source).environment(env).role_arn(ROLE);
    for provider in [given.sts_region(hostile.as_str()), from_env] {
        let err = provider.provide_credentials().await.unwrap_err().to_string();
        assert!(err.contains("not a region name"), "{err}");
    }
    let config = format!(
        r#"{{"current": "arn", "profiles": [{{"name": "arn", "mode": "RamRoleArn", "access_key_id": "{SOURCE_ID}",
        "access_key_secret": "{SOURCE_SECRET}", "ram_role_arn": "{ROLE}", "sts_region": "{hostile}"}}]}}"#
    );
    let home = temp_home(".aliyun/config.json", &config);
    let err = AliyunCliProfileProvider::new(environment(&[]).with_home(&home)).provide_credentials().await.unwrap_err();
    assert!(err.to_string().contains("not a region name"), "{err}");
    assert_never_contacted(&listener);
}

#[tokio::test]
async fn an_sts_endpoint_with_user_info_is_refused_and_never_quoted() {
    let (listener, port) = watched_port();
    let provider = AliyunRamRoleArnProvider::new(AliyunAccessKey::new(SOURCE_ID, SOURCE_SECRET))
        .environment(environment(&[]))
        .role_arn(ROLE)
        .sts_endpoint(format!("https://user:PASSWORD@127.0.0.1:{port}"));
    let err = provider.provide_credentials().await.unwrap_err();
    let (text, debug) = (err.to_string(), format!("{err:?}"));
    assert!(text.contains("user info") && !text.contains("PASSWORD") && !debug.contains("PASSWORD"), "{text}");
    assert_never_contacted(&listener);
}

/// An AccessKey profile beside role profiles with values of the wrong JSON type.
const ODD_PROFILES: &str = r#"{"current": "ak", "profiles": [
    {"name": "ak", "mode": "AK", "access_key_id": "LTAI-AK", "access_key_secret": "ak-secret"},
    {"name": "odd-seconds", "mode": "RamRoleArn", "access_key_id": "LTAI-SOURCE", "access_key_secret": "s",
     "ram_role_arn": "acs:ram::1:role/r", "expired_seconds": -1},
    {"name": "odd-vpc", "mode": "RamRoleArn", "access_key_id": "LTAI-SOURCE", "access_key_secret": "s",
     "ram_role_arn": "acs:ram::1:role/r", "enable_vpc": "false"}
]}"#;

#[tokio::test]
async fn an_odd_value_in_a_role_profile_fails_that_profile_only_naming_the_key() {
    let home = temp_home(".aliyun/config.json", ODD_PROFILES);
    let provided = AliyunCliProfileProvider::new(environment(&[]).with_home(&home)).provide_credentials().await;
    assert_eq!(provided.unwrap().credentials, cloudspec_runtime::Credentials::aliyun("LTAI-AK", "ak-secret"));
    for (profile, key) in [("odd-seconds", "expired_seconds"), ("odd-vpc", "enable_vpc")] {
        let env = environment(&[("ALIBABA_CLOUD_PROFILE", profile)]).with_home(&home);
        let err = AliyunCliProfileProvider::new(env).provide_credentials().await.unwrap_err().to_string();
        assert!(err.contains(&format!("profile {profile:?} of ")) && err.contains(key), "{err}");
    }
}

#[tokio::test]
async fn an_assumed_role_error_names_the_profile_or_section_it_came_from() {
    let (sts, _) = fake_sts(vec![3600]).await;
    let config = format!(
        r#"{{"current": "no-role", "profiles": [{{"name": "no-role", "mode": "RamRoleArn",
        "access_key_id": "{SOURCE_ID}", "access_key_secret": "{SOURCE_SECRET}"}}]}}"#
    );
    let home = temp_home(".aliyun/config.json", &config);
    let cli = AliyunCliProfileProvider::new(environment(&[]).with_home(&home)).sts_endpoint(sts.uri());
    let err = cli.provide_credentials().await.unwrap_err().to_string();
    assert!(err.contains(r#"profile "no-role" of "#) && err.contains("no role to assume"), "{err}");
    let ini = format!(
        "[default]\ntype = ram_role_arn\naccess_key_id = {SOURCE_ID}\naccess_key_secret = wrong\nrole_arn = {ROLE}\n"
    );
    let home = temp_home(".alibabacloud/credentials.ini", &ini);
    let file = AliyunProfileProvider::new(environment(&[]).with_home(&home)).sts_endpoint(sts.uri());
    let err = file.provide_credentials().await.unwrap_err().to_string();
    assert!(err.contains("[default] of ") && err.contains("SignatureDoesNotMatch"), "{err}");
}
