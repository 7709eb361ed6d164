//! The default credential chains find credentials in each of their sources, in the official
//! SDKs' order. Metadata services are fakes on loopback; environments are maps, never the
//! process's.

use cloudspec_runtime::credentials::{
    aliyun, huawei, Credentials, CredentialsError, Environment, ProvideCredentials, ProvidedCredentials,
};
use std::collections::HashMap;
use std::path::PathBuf;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn env(pairs: &[(&str, &str)]) -> Environment {
    Environment::from_map(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<HashMap<_, _>>())
}

/// A fresh directory under the system's temporary one.
fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cloudspec-credentials-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &std::path::Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

async fn provide(provider: &impl ProvideCredentials) -> Result<ProvidedCredentials, CredentialsError> {
    provider.provide_credentials().await
}

/// A metadata server nothing is mounted on: a chain that reaches it fails there.
async fn unused_metadata() -> MockServer {
    MockServer::start().await
}

const HUAWEI_PROFILE: &str = "[basic]\nak = PROFILE_AK\nsk = PROFILE_SK\nproject_id = profile-project\n\
                              iam_endpoint = http://127.0.0.1:1\n\n[global]\nak = GLOBAL_AK\nsk = GLOBAL_SK\n";

#[tokio::test]
async fn huawei_chain_reads_the_environment_first() {
    let metadata = unused_metadata().await;
    let dir = temp_dir();
    write(&dir.join(".huaweicloud/credentials"), HUAWEI_PROFILE);
    let vars = env(&[
        ("HUAWEICLOUD_SDK_AK", "ENV_AK"),
        ("HUAWEICLOUD_SDK_SK", "ENV_SK"),
        ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "ENV_TOKEN"),
        ("HUAWEICLOUD_SDK_PROJECT_ID", "env-project"),
    ])
    .with_home(&dir);
    let found = provide(&huawei::default_chain(vars, Some(&metadata.uri()))).await.unwrap();
    assert_eq!(found.credentials, Credentials::huawei_temporary("ENV_AK", "ENV_SK", "ENV_TOKEN"));
    assert_eq!(found.project_id.as_deref(), Some("env-project"));
    assert_eq!(found.expires_at, None);
}

#[tokio::test]
async fn huawei_chain_reads_the_profile_in_the_home_directory_or_the_named_file() {
    let metadata = unused_metadata().await;
    let dir = temp_dir();
    write(&dir.join(".huaweicloud/credentials"), HUAWEI_PROFILE);
    let found = provide(&huawei::default_chain(env(&[]).with_home(&dir), Some(&metadata.uri()))).await.unwrap();
    assert_eq!(found.credentials, Credentials::huawei_aksk("PROFILE_AK", "PROFILE_SK"));
    assert_eq!(found.project_id.as_deref(), Some("profile-project"));
    assert_eq!(found.iam_endpoint.as_deref(), Some("http://127.0.0.1:1"));

    let named = dir.join("elsewhere.ini");
    write(&named, "[basic]\nak=NAMED_AK\nsk=NAMED_SK\nsecurity_token=NAMED_TOKEN\n");
    let vars = env(&[("HUAWEICLOUD_SDK_CREDENTIALS_FILE", named.to_str().unwrap())]).with_home(&dir);
    let found = provide(&huawei::default_chain(vars, Some(&metadata.uri()))).await.unwrap();
    assert_eq!(found.credentials, Credentials::huawei_temporary("NAMED_AK", "NAMED_SK", "NAMED_TOKEN"));
    assert_eq!(found.project_id, None);
}

#[tokio::test]
async fn huawei_chain_asks_the_metadata_service_last_with_its_session_token() {
    let metadata = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/meta-data/latest/api/token"))
        .and(header("X-Metadata-Token-Ttl-Seconds", "21600"))
        .respond_with(ResponseTemplate::new(200).set_body_string("session-token"))
        .expect(1)
        .mount(&metadata)
        .await;
    Mock::given(method("GET"))
        .and(path("/openstack/latest/securitykey"))
        .and(header("X-Metadata-Token", "session-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"credential": {
            "access": "META_AK", "secret": "META_SK", "securitytoken": "META_TOKEN",
            "expires_at": "2099-01-02T03:04:05.000000Z"}})))
        .expect(1)
        .mount(&metadata)
        .await;
    let empty_home = temp_dir();
    let found = provide(&huawei::default_chain(env(&[]).with_home(&empty_home), Some(&metadata.uri()))).await.unwrap();
    assert_eq!(found.credentials, Credentials::huawei_temporary("META_AK", "META_SK", "META_TOKEN"));
    assert_eq!(found.expires_at, Some(time::macros::datetime!(2099-01-02 03:04:05 UTC)));
}

#[tokio::test]
async fn huawei_metadata_without_session_tokens_is_asked_without_one() {
    let metadata = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(404)).mount(&metadata).await;
    Mock::given(method("GET"))
        .and(path("/openstack/latest/securitykey"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"credential": {
            "access": "A", "secret": "S", "securitytoken": "T", "expires_at": "2099-01-02T03:04:05.000000Z"}})))
        .mount(&metadata)
        .await;
    let found = provide(&huawei::HuaweiMetadataProvider::new(metadata.uri())).await.unwrap();
    assert_eq!(found.credentials, Credentials::huawei_temporary("A", "S", "T"));
    let received = metadata.received_requests().await.unwrap();
    assert!(received.iter().all(|r| !r.headers.contains_key("X-Metadata-Token")));
}

#[tokio::test]
async fn a_chain_with_nothing_found_names_every_provider_and_why() {
    let metadata = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&metadata).await;
    let empty_home = temp_dir();
    let err = provide(&huawei::default_chain(
        env(&[("HUAWEICLOUD_SDK_AK", "only-ak")]).with_home(&empty_home),
        Some(&metadata.uri()),
    ))
    .await
    .unwrap_err();
    let message = err.to_string();
    for part in ["huawei-default", "huawei-env", "huawei-profile", "huawei-ecs-metadata", "401"] {
        assert!(message.contains(part), "{part}: {message}");
    }
    assert!(!message.contains("only-ak"), "{message}");
    let no_metadata = provide(&huawei::default_chain(env(&[]).with_home(&empty_home), None)).await.unwrap_err();
    assert!(!no_metadata.to_string().contains("metadata"), "{no_metadata}");
}

#[tokio::test]
async fn a_profile_without_its_keys_is_a_failure_of_that_provider() {
    let dir = temp_dir();
    write(&dir.join(".huaweicloud/credentials"), "[basic]\nak = A\n");
    let err = provide(&huawei::HuaweiProfileProvider::new(env(&[]).with_home(&dir))).await.unwrap_err();
    assert!(matches!(&err, CredentialsError::Provider { provider, .. } if provider == "huawei-profile"), "{err:?}");
}

const ALIYUN_FILE: &str =
    "[default]\ntype = access_key\naccess_key_id = FILE_ID # the id\naccess_key_secret = FILE_SECRET\n\n\
                           [sts-profile]\ntype = sts\naccess_key_id = STS_ID\naccess_key_secret = STS_SECRET\n\
                           security_token = STS_TOKEN\n\n[odd]\ntype = rsa_key_pair\n";

#[tokio::test]
async fn aliyun_chain_reads_the_environment_first() {
    let metadata = unused_metadata().await;
    let dir = temp_dir();
    write(&dir.join(".alibabacloud/credentials.ini"), ALIYUN_FILE);
    let vars = env(&[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ENV_ID"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ENV_SECRET"),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", "ENV_TOKEN"),
    ])
    .with_home(&dir);
    let found = provide(&aliyun::default_chain(vars, Some(&metadata.uri()))).await.unwrap();
    assert_eq!(found.credentials, Credentials::aliyun_sts("ENV_ID", "ENV_SECRET", "ENV_TOKEN"));
}

#[tokio::test]
async fn aliyun_chain_reads_the_credentials_file_access_key_and_sts_profiles() {
    let metadata = unused_metadata().await;
    let dir = temp_dir();
    write(&dir.join(".alibabacloud/credentials.ini"), ALIYUN_FILE);
    let found = provide(&aliyun::default_chain(env(&[]).with_home(&dir), Some(&metadata.uri()))).await.unwrap();
    assert_eq!(found.credentials, Credentials::aliyun("FILE_ID", "FILE_SECRET"), "an inline # comment is cut");

    let named = dir.join("other.ini");
    write(&named, ALIYUN_FILE);
    let vars =
        env(&[("ALIBABA_CLOUD_CREDENTIALS_FILE", named.to_str().unwrap()), ("ALIBABA_CLOUD_PROFILE", "sts-profile")]);
    let found = provide(&aliyun::default_chain(vars, Some(&metadata.uri()))).await.unwrap();
    assert_eq!(found.credentials, Credentials::aliyun_sts("STS_ID", "STS_SECRET", "STS_TOKEN"));

    let vars = env(&[("ALIBABA_CLOUD_CREDENTIALS_FILE", named.to_str().unwrap()), ("ALIBABA_CLOUD_PROFILE", "odd")]);
    let err = provide(&aliyun::AliyunProfileProvider::new(vars)).await.unwrap_err();
    assert!(err.to_string().contains("rsa_key_pair"), "{err}");
}

#[tokio::test]
async fn aliyun_chain_asks_the_ecs_ram_role_last() {
    let metadata = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/latest/api/token"))
        .and(header("X-aliyun-ecs-metadata-token-ttl-seconds", "21600"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ecs-token"))
        .mount(&metadata)
        .await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/ram/security-credentials/"))
        .and(header("X-aliyun-ecs-metadata-token", "ecs-token"))
        .respond_with(ResponseTemplate::new(200).set_body_string("EcsRole"))
        .expect(1)
        .mount(&metadata)
        .await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/ram/security-credentials/EcsRole"))
        .and(header("X-aliyun-ecs-metadata-token", "ecs-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "Code": "Success", "AccessKeyId": "STS.ROLE", "AccessKeySecret": "ROLE_SECRET",
            "SecurityToken": "ROLE_TOKEN", "Expiration": "2099-01-02T03:04:05Z"})))
        .expect(1)
        .mount(&metadata)
        .await;
    let empty_home = temp_dir();
    let found = provide(&aliyun::default_chain(env(&[]).with_home(&empty_home), Some(&metadata.uri()))).await.unwrap();
    assert_eq!(found.credentials, Credentials::aliyun_sts("STS.ROLE", "ROLE_SECRET", "ROLE_TOKEN"));
    assert_eq!(found.expires_at, Some(time::macros::datetime!(2099-01-02 03:04:05 UTC)));
}

#[tokio::test]
async fn aliyun_metadata_can_be_turned_off_by_its_variable() {
    let metadata = MockServer::start().await;
    let chain = aliyun::default_chain(env(&[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")]), Some(&metadata.uri()));
    assert_eq!(chain.provider_names(), ["aliyun-env", "aliyun-oidc-role-arn", "aliyun-cli-profile", "aliyun-profile"]);
    assert!(provide(&chain).await.is_err());
    assert!(metadata.received_requests().await.unwrap().is_empty());
}

/// `~/.aliyun/config.json` as `aliyun configure` writes it (other keys left out).
const ALIYUN_CLI_CONFIG: &str = r#"{
  "current": "cli-ak",
  "profiles": [
    {"name": "cli-ak", "mode": "AK", "access_key_id": "CLI_ID", "access_key_secret": "CLI_SECRET", "region_id": "cn-shenzhen"},
    {"name": "cli-sts", "mode": "StsToken", "access_key_id": "STS.CLI", "access_key_secret": "CLI_STS_SECRET", "sts_token": "CLI_TOKEN"},
    {"name": "cli-role", "mode": "EcsRamRole", "ram_role_name": "CliRole"},
    {"name": "cli-sso", "mode": "CloudSSO", "access_key_secret": "S-SECRET", "cloud_sso_sign_in_url": "https://signin.example.com/start"}
  ],
  "meta_path": ""
}"#;

#[tokio::test]
async fn aliyun_chain_reads_the_cli_profiles_before_the_credentials_file() {
    let metadata = unused_metadata().await;
    let dir = temp_dir();
    write(&dir.join(".alibabacloud/credentials.ini"), ALIYUN_FILE);
    write(&dir.join(".aliyun/config.json"), ALIYUN_CLI_CONFIG);
    let home = || env(&[]).with_home(&dir);
    let found = provide(&aliyun::default_chain(home(), Some(&metadata.uri()))).await.unwrap();
    assert_eq!(found.credentials, Credentials::aliyun("CLI_ID", "CLI_SECRET"), "the file's current profile");

    let vars = env(&[("ALIBABA_CLOUD_PROFILE", "cli-sts")]).with_home(&dir);
    let found = provide(&aliyun::default_chain(vars, Some(&metadata.uri()))).await.unwrap();
    assert_eq!(found.credentials, Credentials::aliyun_sts("STS.CLI", "CLI_STS_SECRET", "CLI_TOKEN"));

    let off = env(&[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "TRUE")]).with_home(&dir);
    let found = provide(&aliyun::default_chain(off, Some(&metadata.uri()))).await.unwrap();
    assert_eq!(found.credentials, Credentials::aliyun("FILE_ID", "FILE_SECRET"), "turned off: the credentials file");
}

#[tokio::test]
async fn aliyun_cli_profiles_of_other_modes_fail_by_name_without_secrets() {
    let dir = temp_dir();
    write(&dir.join(".aliyun/config.json"), ALIYUN_CLI_CONFIG);
    let provider = |profile: &str| {
        aliyun::AliyunCliProfileProvider::new(env(&[("ALIBABA_CLOUD_PROFILE", profile)]).with_home(&dir))
    };
    let err = provide(&provider("cli-sso")).await.unwrap_err().to_string();
    assert!(err.contains("\"CloudSSO\"") && err.contains("OIDC and ChainableRamRoleArn"), "{err}");
    assert!(!err.contains("S-SECRET"), "{err}");
    let err = provide(&provider("missing")).await.unwrap_err().to_string();
    assert!(err.contains("no profile \"missing\""), "{err}");
    let err = provide(&provider("cli-role")).await.unwrap_err().to_string();
    assert!(err.contains("instance metadata service is off"), "{err}");

    let broken = dir.join("broken.json");
    write(&broken, r#"{"profiles": [{"name": "p", "mode": "AK", "access_key_secret": 12345678}]}"#);
    let err = provide(&aliyun::AliyunCliProfileProvider::new(env(&[])).path(&broken)).await.unwrap_err().to_string();
    assert!(err.contains("line 1") && !err.contains("12345678"), "a value never reaches the message: {err}");
    let err = provide(&aliyun::AliyunCliProfileProvider::new(env(&[]).with_home(temp_dir()))).await.unwrap_err();
    assert!(matches!(err, CredentialsError::NotFound { .. }), "no file: not found, the chain moves on: {err}");
}

#[tokio::test]
async fn aliyun_cli_ecs_ram_role_profiles_ask_the_metadata_service_for_their_role() {
    let metadata = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/latest/api/token"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ecs-token"))
        .mount(&metadata)
        .await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/ram/security-credentials/CliRole"))
        .and(header("X-aliyun-ecs-metadata-token", "ecs-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "Code": "Success", "AccessKeyId": "STS.CLIROLE", "AccessKeySecret": "ROLE_SECRET",
            "SecurityToken": "ROLE_TOKEN", "Expiration": "2099-01-02T03:04:05Z"})))
        .expect(1)
        .mount(&metadata)
        .await;
    let dir = temp_dir();
    write(&dir.join(".aliyun/config.json"), ALIYUN_CLI_CONFIG);
    let vars = env(&[("ALIBABA_CLOUD_PROFILE", "cli-role")]).with_home(&dir);
    let found = provide(&aliyun::default_chain(vars, Some(&metadata.uri()))).await.unwrap();
    assert_eq!(found.credentials, Credentials::aliyun_sts("STS.CLIROLE", "ROLE_SECRET", "ROLE_TOKEN"));
    assert_eq!(found.expires_at, Some(time::macros::datetime!(2099-01-02 03:04:05 UTC)));
}
