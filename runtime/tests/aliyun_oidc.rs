//! Assuming a RAM role with an OIDC token (`OIDC`, RRSA on Kubernetes): a fake STS on loopback
//! checks each `AssumeRoleWithOIDC` (unsigned, the token read from its file at each refresh), in
//! the default chain's order and from the CLI's profiles.

use cloudspec_runtime::credentials::aliyun::{self, AliyunCliProfileProvider, AliyunOidcRoleArnProvider};
use cloudspec_runtime::credentials::{Credentials, ProvideCredentials};
use cloudspec_runtime::{Client, Config};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

#[path = "support/fake_sts.rs"]
mod fake_sts;
use fake_sts::{
    batch_service, environment, fake_sts, get, queries, query_of_last_request, temp_home, BATCH, OIDC_PROVIDER, ROLE,
};

/// Two service account tokens as Kubernetes writes them in turn (JWTs; the fake STS wants `eyJ`).
const TOKEN_1: &str = "eyJhbGciOiJSUzI1NiJ9.first-TOKEN.sig";
const TOKEN_2: &str = "eyJhbGciOiJSUzI1NiJ9.second-TOKEN.sig";

/// A token file holding `token` (with the newline some writers add), in a fresh directory.
fn token_file(token: &str) -> PathBuf {
    let home = temp_home("rrsa-tokens/token", &format!("{token}\n"));
    home.join("rrsa-tokens/token")
}

fn oidc_variables(file: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("ALIBABA_CLOUD_ROLE_ARN", ROLE.to_owned()),
        ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", OIDC_PROVIDER.to_owned()),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", file.display().to_string()),
        ("ALIBABA_CLOUD_ROLE_SESSION_NAME", "pod-session".to_owned()),
    ]
}

fn env_with(vars: &[(&'static str, String)]) -> cloudspec_runtime::credentials::Environment {
    let pairs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    environment(&pairs)
}

#[tokio::test]
async fn assume_role_with_oidc_sends_the_package_parameters_unsigned() {
    let (sts, calls) = fake_sts(vec![3600]).await;
    let file = token_file(TOKEN_1);
    let policy = r#"{"Version": "1", "Statement": []}"#;
    let provider = AliyunOidcRoleArnProvider::new()
        .environment(env_with(&oidc_variables(&file)))
        .duration_seconds(1000)
        .policy(policy)
        .sts_endpoint(sts.uri());
    let provided = provider.provide_credentials().await.unwrap();
    assert_eq!(provided.credentials, Credentials::aliyun_sts("STS.tmp-1", "tmp-secret-1", "tmp-token-1"));
    assert!(provided.expires_at.is_some());
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    let query = query_of_last_request(&sts).await;
    let expected = [
        ("Action", "AssumeRoleWithOIDC"),
        ("Format", "JSON"),
        ("Version", "2015-04-01"),
        ("RoleArn", ROLE),
        ("OIDCProviderArn", OIDC_PROVIDER),
        ("OIDCToken", TOKEN_1),
        ("RoleSessionName", "pod-session"),
        ("DurationSeconds", "1000"),
        ("Policy", policy),
    ];
    for (name, value) in expected {
        assert_eq!(query.get(name).map(String::as_str), Some(value), "{name}");
    }
    assert!(query["Timestamp"].ends_with('Z'), "{query:?}");
    for unsigned in ["Signature", "AccessKeyId", "SignatureMethod", "SignatureNonce", "SecurityToken"] {
        assert!(!query.contains_key(unsigned), "{unsigned} in {query:?}");
    }
    let received = sts.received_requests().await.unwrap();
    assert_eq!(received[0].method.as_str(), "GET");
    assert!(received[0].headers.get("authorization").is_none());
    let debug = format!("{provider:?}");
    assert!(!debug.contains("TOKEN"), "{debug}");
}

#[tokio::test]
async fn each_refresh_reads_the_rotated_token_file() {
    // The first credentials last 2 to 3 s: past half of that they are due.
    let (sts, calls) = fake_sts(vec![3, 6 * 3600]).await;
    let service = batch_service().await;
    let file = token_file(TOKEN_1);
    let provider =
        AliyunOidcRoleArnProvider::new().environment(env_with(&oidc_variables(&file))).sts_endpoint(sts.uri());
    let config =
        Config::builder().endpoint(service.uri()).region("cn-hangzhou").credentials_provider(provider).build().unwrap();
    let client = Client::new(config, &BATCH).unwrap();
    client.send(get()).await.unwrap();
    std::fs::write(&file, TOKEN_2).unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
    client.send(get()).await.unwrap();
    client.send(get()).await.unwrap();
    let tokens: Vec<String> = queries(&sts).await.into_iter().map(|q| q["OIDCToken"].clone()).collect();
    assert_eq!(tokens, [TOKEN_1, TOKEN_2], "refreshed once, with the token the file holds then");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let received = service.received_requests().await.unwrap();
    let key_ids: Vec<_> = received.iter().map(|r| r.headers["x-acs-access-key-id"].to_str().unwrap()).collect();
    assert_eq!(key_ids, ["STS.tmp-1", "STS.tmp-2", "STS.tmp-2"]);
}

#[tokio::test]
async fn refusals_and_unreadable_token_files_are_errors_without_the_token() {
    let (sts, calls) = fake_sts(vec![3600]).await;
    // Not a JWT: the fake STS refuses it and quotes it back.
    let refused_token = "not-a-jwt/TOKEN+value";
    let file = token_file(refused_token);
    let provider =
        AliyunOidcRoleArnProvider::new().environment(env_with(&oidc_variables(&file))).sts_endpoint(sts.uri());
    let err = provider.provide_credentials().await.unwrap_err();
    let (text, debug) = (err.to_string(), format!("{err:?}"));
    for part in ["aliyun-oidc-role-arn", "AssumeRoleWithOIDC", "400", "InvalidParameter.OIDCToken", "REQ-1"] {
        assert!(text.contains(part), "{part}: {text}");
    }
    for secret in ["TOKEN", "not-a-jwt", "OIDCToken="] {
        assert!(!text.contains(secret) && !debug.contains(secret), "{secret}: {text} / {debug}");
    }
    assert_eq!(query_of_last_request(&sts).await["OIDCToken"], refused_token, "the fake STS got it");

    std::fs::remove_file(&file).unwrap();
    let err = provider.provide_credentials().await.unwrap_err().to_string();
    assert!(err.contains("does not exist") && err.contains("rrsa-tokens"), "{err}");
    std::fs::write(&file, "  \n").unwrap();
    let err = provider.provide_credentials().await.unwrap_err().to_string();
    assert!(err.contains("is empty"), "{err}");
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

/// A home directory with a CLI profile (AK) and a credentials file (AK).
fn home_with_profiles() -> PathBuf {
    let home = temp_home(
        ".aliyun/config.json",
        r#"{"current": "ak", "profiles": [{"name": "ak", "mode": "AK", "access_key_id": "CLI_ID", "access_key_secret": "CLI_SECRET"}]}"#,
    );
    let ini = "[default]\ntype = access_key\naccess_key_id = FILE_ID\naccess_key_secret = FILE_SECRET\n";
    std::fs::create_dir_all(home.join(".alibabacloud")).unwrap();
    std::fs::write(home.join(".alibabacloud/credentials.ini"), ini).unwrap();
    home
}

#[tokio::test]
async fn the_default_chain_takes_oidc_after_the_environment_key_and_before_the_profiles() {
    let (sts, calls) = fake_sts(vec![3600]).await;
    let home = home_with_profiles();
    let file = token_file(TOKEN_1);
    let chain = |vars: &[(&'static str, String)]| {
        aliyun::default_chain_with_sts(env_with(vars).with_home(&home), None, Some(&sts.uri()))
    };
    let oidc = oidc_variables(&file);
    let found = chain(&oidc).provide_credentials().await.unwrap();
    assert_eq!(found.credentials, Credentials::aliyun_sts("STS.tmp-1", "tmp-secret-1", "tmp-token-1"));
    assert_eq!(query_of_last_request(&sts).await["OIDCToken"], TOKEN_1);

    let mut with_key = oidc.clone();
    with_key.extend([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ENV_ID".to_owned()),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ENV_SECRET".to_owned()),
    ]);
    let found = chain(&with_key).provide_credentials().await.unwrap();
    assert_eq!(found.credentials, Credentials::aliyun("ENV_ID", "ENV_SECRET"), "the environment's key comes first");

    // Without the provider or the token file, OIDC is not asked for: the CLI's profile.
    let partial: Vec<_> = oidc
        .iter()
        .filter(|(k, _)| *k != "ALIBABA_CLOUD_OIDC_PROVIDER_ARN" && *k != "ALIBABA_CLOUD_OIDC_TOKEN_FILE")
        .cloned()
        .collect();
    let found = chain(&partial).provide_credentials().await.unwrap();
    assert_eq!(found.credentials, Credentials::aliyun("CLI_ID", "CLI_SECRET"));
    assert_eq!(calls.load(Ordering::SeqCst), 1, "STS was asked for the OIDC step only");
}

#[tokio::test]
async fn cli_oidc_profiles_assume_their_role_with_the_token_file() {
    let (sts, calls) = fake_sts(vec![3600]).await;
    let file = token_file(TOKEN_1);
    let config = format!(
        r#"{{"current": "rrsa", "profiles": [{{"name": "rrsa", "mode": "OIDC", "ram_role_arn": "{ROLE}",
        "oidc_provider_arn": "{OIDC_PROVIDER}", "oidc_token_file": "{}", "ram_session_name": "cli-pod",
        "expired_seconds": 900, "sts_region": "cn-hangzhou", "enable_vpc": true}}]}}"#,
        file.display()
    );
    let home = temp_home(".aliyun/config.json", &config);
    let cli = AliyunCliProfileProvider::new(environment(&[]).with_home(&home)).sts_endpoint(sts.uri());
    let provided = cli.provide_credentials().await.unwrap();
    assert_eq!(provided.credentials, Credentials::aliyun_sts("STS.tmp-1", "tmp-secret-1", "tmp-token-1"));
    let query = query_of_last_request(&sts).await;
    assert_eq!(
        ["Action", "RoleArn", "OIDCProviderArn", "OIDCToken", "RoleSessionName", "DurationSeconds"]
            .map(|k| query[k].as_str()),
        ["AssumeRoleWithOIDC", ROLE, OIDC_PROVIDER, TOKEN_1, "cli-pod", "900"]
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    // The Python package reads `role_session_name` for this mode.
    let config = config.replace("ram_session_name", "role_session_name");
    let home = temp_home(".aliyun/config.json", &config);
    let cli = AliyunCliProfileProvider::new(environment(&[]).with_home(&home)).sts_endpoint(sts.uri());
    cli.provide_credentials().await.unwrap();
    assert_eq!(query_of_last_request(&sts).await["RoleSessionName"], "cli-pod");
}

#[tokio::test]
async fn credentials_file_oidc_role_arn_sections_assume_their_role_with_the_token_file() {
    let (sts, calls) = fake_sts(vec![3600]).await;
    let file = token_file(TOKEN_1);
    let ini = format!(
        "[default]\ntype = oidc_role_arn\nrole_arn = {ROLE}\noidc_provider_arn = {OIDC_PROVIDER}\n\
         oidc_token_file_path = {}\nrole_session_name = ini-pod\npolicy = {{\"Version\": \"1\"}}\n",
        file.display()
    );
    let home = temp_home(".alibabacloud/credentials.ini", &ini);
    let provider = aliyun::AliyunProfileProvider::new(environment(&[]).with_home(&home)).sts_endpoint(sts.uri());
    let provided = provider.provide_credentials().await.unwrap();
    assert_eq!(provided.credentials, Credentials::aliyun_sts("STS.tmp-1", "tmp-secret-1", "tmp-token-1"));
    let query = query_of_last_request(&sts).await;
    assert_eq!(
        ["Action", "RoleArn", "OIDCProviderArn", "OIDCToken", "RoleSessionName", "Policy"].map(|k| query[k].as_str()),
        ["AssumeRoleWithOIDC", ROLE, OIDC_PROVIDER, TOKEN_1, "ini-pod", r#"{"Version": "1"}"#]
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    // Without the provider ARN, the section fails by name instead of the chain moving on.
    let home = temp_home(".alibabacloud/credentials.ini", &ini.replace("oidc_provider_arn", "other_key"));
    let provider = aliyun::AliyunProfileProvider::new(environment(&[]).with_home(&home)).sts_endpoint(sts.uri());
    let err = provider.provide_credentials().await.unwrap_err();
    assert!(matches!(err, cloudspec_runtime::credentials::CredentialsError::Provider { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("[default]") && text.contains("oidc_provider_arn"), "{text}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_cli_oidc_profile_without_its_provider_or_token_file_is_an_error_naming_the_key() {
    let (sts, calls) = fake_sts(vec![3600]).await;
    let file = token_file(TOKEN_1);
    let profile = |keys: &str| {
        format!(
            r#"{{"current": "rrsa", "profiles": [{{"name": "rrsa", "mode": "OIDC", "ram_role_arn": "{ROLE}"{keys}}}]}}"#
        )
    };
    let cases = [
        (String::new(), "oidc_provider_arn"),
        (format!(r#", "oidc_provider_arn": "{OIDC_PROVIDER}""#), "oidc_token_file"),
        (format!(r#", "oidc_token_file": "{}""#, file.display()), "oidc_provider_arn"),
    ];
    for (keys, missing) in cases {
        let home = temp_home(".aliyun/config.json", &profile(&keys));
        let cli = AliyunCliProfileProvider::new(environment(&[]).with_home(&home)).sts_endpoint(sts.uri());
        let err = cli.provide_credentials().await.unwrap_err();
        assert!(matches!(err, cloudspec_runtime::credentials::CredentialsError::Provider { .. }), "{err}");
        let text = err.to_string();
        assert!(text.contains("rrsa") && text.contains(missing), "{missing}: {text}");
    }
    // The environment may give what the profile leaves out, as the package reads it.
    let home = temp_home(".aliyun/config.json", &profile(""));
    let env = env_with(&oidc_variables(&file)).with_home(&home);
    AliyunCliProfileProvider::new(env).sts_endpoint(sts.uri()).provide_credentials().await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_token_file_larger_than_64_kib_is_refused_naming_the_path_not_the_content() {
    let (sts, calls) = fake_sts(vec![3600]).await;
    let file = token_file(&format!("eyJ{}", "TOKEN".repeat(14_000)));
    let provider =
        AliyunOidcRoleArnProvider::new().environment(env_with(&oidc_variables(&file))).sts_endpoint(sts.uri());
    let err = provider.provide_credentials().await.unwrap_err();
    let (text, debug) = (err.to_string(), format!("{err:?}"));
    assert!(text.contains("rrsa-tokens") && text.contains("larger than 65536 bytes"), "{text}");
    assert!(!text.contains("TOKEN") && !debug.contains("TOKEN"), "{text}");
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    // Just under the cap is read and sent (the padding is trimmed: a URL this long is still taken).
    std::fs::write(&file, format!("eyJ{}{}", "t".repeat(60_000), "\n".repeat(5_000))).unwrap();
    provider.provide_credentials().await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}
