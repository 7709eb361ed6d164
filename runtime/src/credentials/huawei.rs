//! Huawei Cloud credential providers, reading what `huaweicloudsdkcore.auth.provider` reads:
//! the environment, the profile file's `[basic]` section, and the ECS metadata service.

use super::metadata::{fetch, fetch_ok, parse_expiry, MetadataRequest};
use super::provider::{ini_value, Environment, ProvideCredentials, ProvidedCredentials, ProviderChain, ProviderFuture};
use super::{Credentials, CredentialsError, HuaweiAkSk, Secret};
use super::{HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_PROJECT_ID, HUAWEICLOUD_SDK_SECURITY_TOKEN, HUAWEICLOUD_SDK_SK};
use std::path::PathBuf;

/// The variable naming the profile file (`ProfileCredentialProvider._CREDENTIALS_FILE_ENV_NAME`).
pub const HUAWEICLOUD_SDK_CREDENTIALS_FILE: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";
/// The variable naming the IAM endpoint (`IamHelper.IAM_ENDPOINT_ENV_NAME`).
pub const HUAWEICLOUD_SDK_IAM_ENDPOINT: &str = "HUAWEICLOUD_SDK_IAM_ENDPOINT";
/// The ECS metadata service (`MetadataAccessor._METADATA_ENDPOINT`).
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://169.254.169.254";
const METADATA_TOKEN_PATH: &str = "/meta-data/latest/api/token";
const METADATA_SECURITY_KEY_PATH: &str = "/openstack/latest/securitykey";

/// `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, `HUAWEICLOUD_SDK_SECURITY_TOKEN` and
/// `HUAWEICLOUD_SDK_PROJECT_ID`.
#[derive(Debug, Clone, Default)]
pub struct HuaweiEnvProvider {
    env: Environment,
}

impl HuaweiEnvProvider {
    /// Reads the variables of `env`.
    pub fn new(env: Environment) -> Self {
        Self { env }
    }
}

impl ProvideCredentials for HuaweiEnvProvider {
    fn name(&self) -> &str {
        "huawei-env"
    }

    fn provide_credentials(&self) -> ProviderFuture<'_> {
        Box::pin(async move {
            let variables = [HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_SECURITY_TOKEN];
            let (ak, sk, token) = self.env.key_pair(self.name(), variables)?;
            let credentials =
                Credentials::HuaweiAkSk(HuaweiAkSk { ak, sk: Secret::new(sk), security_token: token.map(Secret::new) });
            Ok(ProvidedCredentials::new(credentials).with_project_id(self.env.non_blank(HUAWEICLOUD_SDK_PROJECT_ID)?))
        })
    }
}

/// The profile file: `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, else `~/.huaweicloud/credentials`; INI,
/// section `[basic]`: `ak`, `sk`, `security_token`, `project_id`, `iam_endpoint`.
#[derive(Debug, Clone, Default)]
pub struct HuaweiProfileProvider {
    env: Environment,
    path: Option<PathBuf>,
}

impl HuaweiProfileProvider {
    /// Finds the file through `env`.
    pub fn new(env: Environment) -> Self {
        Self { env, path: None }
    }

    /// Reads `path` instead of the file the environment names.
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }
}

impl ProvideCredentials for HuaweiProfileProvider {
    fn name(&self) -> &str {
        "huawei-profile"
    }

    fn provide_credentials(&self) -> ProviderFuture<'_> {
        Box::pin(async move {
            let location = [HUAWEICLOUD_SDK_CREDENTIALS_FILE, ".huaweicloud/credentials"];
            let (path, ini) = self.env.read_profile_file(self.name(), self.path.as_ref(), location, "profile file")?;
            let Some(basic) = ini.section(Some("basic")) else {
                return Err(CredentialsError::not_found(
                    self.name(),
                    format!("{} has no [basic] section", path.display()),
                ));
            };
            let (Some(ak), Some(sk)) = (ini_value(basic, "ak"), ini_value(basic, "sk")) else {
                return Err(CredentialsError::provider(
                    self.name(),
                    format!("the [basic] section of {} lacks ak or sk", path.display()),
                ));
            };
            let security_token = ini_value(basic, "security_token").map(Secret::new);
            let credentials = Credentials::HuaweiAkSk(HuaweiAkSk { ak, sk: Secret::new(sk), security_token });
            Ok(ProvidedCredentials::new(credentials)
                .with_project_id(ini_value(basic, "project_id"))
                .with_iam_endpoint(ini_value(basic, "iam_endpoint")))
        })
    }
}

/// Temporary AK/SK from the ECS metadata service (`MetadataAccessor`): a session token from
/// `PUT /meta-data/latest/api/token` when the service offers one, then
/// `GET /openstack/latest/securitykey`.
#[derive(Debug, Clone)]
pub struct HuaweiMetadataProvider {
    endpoint: String,
    http: reqwest::Client,
}

impl Default for HuaweiMetadataProvider {
    fn default() -> Self {
        Self::new(DEFAULT_METADATA_ENDPOINT)
    }
}

impl HuaweiMetadataProvider {
    /// The metadata service at `endpoint` (`http://169.254.169.254` on ECS).
    pub fn new(endpoint: impl Into<String>) -> Self {
        Self { endpoint: endpoint.into().trim_end_matches('/').to_owned(), http: super::metadata::http_client() }
    }
}

impl ProvideCredentials for HuaweiMetadataProvider {
    fn name(&self) -> &str {
        "huawei-ecs-metadata"
    }

    fn provide_credentials(&self) -> ProviderFuture<'_> {
        Box::pin(async move {
            let name = self.name();
            let token_url = format!("{}{METADATA_TOKEN_PATH}", self.endpoint);
            let token_request = MetadataRequest::put(&token_url, "X-Metadata-Token-Ttl-Seconds", "21600");
            // The SDK carries on without a token when the service has none (404, 405, 503).
            let token = match fetch(&self.http, name, token_request).await? {
                (200, body) => Some(body),
                _ => None,
            };
            let key_url = format!("{}{METADATA_SECURITY_KEY_PATH}", self.endpoint);
            let mut request = MetadataRequest::get(&key_url);
            if let Some(token) = &token {
                request = request.header("X-Metadata-Token", token.trim());
            }
            let body = fetch_ok(&self.http, name, request).await?;
            parse_security_key(name, &body)
        })
    }
}

/// The SDK's `_process_credential`: `{"credential": {"access", "secret", "securitytoken",
/// "expires_at"}}` (or the same keys in other spellings).
fn parse_security_key(provider: &str, body: &str) -> Result<ProvidedCredentials, CredentialsError> {
    let malformed = |what: &str| CredentialsError::provider(provider, format!("the security key response {what}"));
    let value: serde_json::Value = serde_json::from_str(body).map_err(|_| malformed("is not JSON"))?;
    let map = value.get("credential").or_else(|| value.get("credentials")).unwrap_or(&value);
    let text = |names: &[&str]| names.iter().find_map(|n| map.get(*n).and_then(|v| v.as_str())).map(str::to_owned);
    let ak = text(&["access", "accessKeyId", "access_key_id"]).ok_or_else(|| malformed("has no access key"))?;
    let sk = text(&["secret", "secretAccessKey", "secret_access_key"]).ok_or_else(|| malformed("has no secret"))?;
    let token = text(&["securitytoken", "securityToken", "security_token"]);
    let expiry = text(&["expires_at", "expiration"]).ok_or_else(|| malformed("has no expiry"))?;
    let expires_at = parse_expiry(&expiry).ok_or_else(|| malformed("has an unreadable expiry"))?;
    let credentials =
        Credentials::HuaweiAkSk(HuaweiAkSk { ak, sk: Secret::new(sk), security_token: token.map(Secret::new) });
    Ok(ProvidedCredentials::new(credentials).expiring_at(expires_at))
}

/// The Huawei Cloud default chain, in the official SDKs' order: environment, profile file, ECS
/// metadata (when `metadata_endpoint` is given).
pub fn default_chain(env: Environment, metadata_endpoint: Option<&str>) -> ProviderChain {
    let chain = ProviderChain::new("huawei-default")
        .with(HuaweiEnvProvider::new(env.clone()))
        .with(HuaweiProfileProvider::new(env));
    match metadata_endpoint {
        Some(endpoint) => chain.with(HuaweiMetadataProvider::new(endpoint)),
        None => chain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_security_key_response_of_the_sdk_is_read() {
        let body = r#"{"credential": {"access": "AK", "secret": "SK", "securitytoken": "TOK",
            "expires_at": "2030-01-02T03:04:05.000000Z"}}"#;
        let provided = parse_security_key("m", body).unwrap();
        assert_eq!(provided.credentials, Credentials::huawei_temporary("AK", "SK", "TOK"));
        assert_eq!(provided.expires_at, Some(time::macros::datetime!(2030-01-02 03:04:05 UTC)));
        let err = parse_security_key("m", r#"{"credential": {"access": "AK"}}"#).unwrap_err();
        assert!(err.to_string().contains("no secret"), "{err}");
    }
}
