//! Alibaba Cloud credential providers, reading what `alibabacloud_credentials` reads: the
//! environment, the CLI's profiles, the credentials file, and the ECS RAM role through the
//! metadata service; profiles may assume a RAM role through STS ([`AliyunRamRoleArnProvider`]),
//! and a pod may assume one with its OIDC token ([`AliyunOidcRoleArnProvider`]).

use super::aliyun_sts::StsRole;
use super::metadata::{fetch, fetch_ok, parse_expiry, MetadataRequest};
use super::provider::{Environment, ProvideCredentials, ProvidedCredentials, ProviderChain, ProviderFuture};
use super::{AliyunAccessKey, Credentials, CredentialsError, Secret};
use super::{ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_SECURITY_TOKEN};
use std::path::PathBuf;

pub use super::aliyun_cli::{AliyunCliProfileProvider, ALIBABA_CLOUD_CLI_PROFILE_DISABLED};
pub use super::aliyun_oidc::{
    AliyunOidcRoleArnProvider, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE,
};
pub use super::aliyun_sts::{
    AliyunRamRoleArnProvider, ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_ROLE_SESSION_NAME, ALIBABA_CLOUD_STS_REGION,
    ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED, DEFAULT_DURATION_SECONDS, DEFAULT_STS_ENDPOINT,
};

/// The variable naming the credentials file.
pub const ALIBABA_CLOUD_CREDENTIALS_FILE: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";
/// The variable naming the profile (section) to read; `default` when unset.
pub const ALIBABA_CLOUD_PROFILE: &str = "ALIBABA_CLOUD_PROFILE";
/// The variable naming the ECS RAM role (asked of the metadata service when unset).
pub const ALIBABA_CLOUD_ECS_METADATA: &str = "ALIBABA_CLOUD_ECS_METADATA";
/// `true` turns the ECS RAM role off in the default chain.
pub const ALIBABA_CLOUD_ECS_METADATA_DISABLED: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
/// The ECS metadata service.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://100.100.100.200";
const METADATA_TOKEN_PATH: &str = "/latest/api/token";
const SECURITY_CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";

/// `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and
/// `ALIBABA_CLOUD_SECURITY_TOKEN`.
#[derive(Debug, Clone, Default)]
pub struct AliyunEnvProvider {
    env: Environment,
}

impl AliyunEnvProvider {
    /// Reads the variables of `env`.
    pub fn new(env: Environment) -> Self {
        Self { env }
    }
}

impl ProvideCredentials for AliyunEnvProvider {
    fn name(&self) -> &str {
        "aliyun-env"
    }

    fn provide_credentials(&self) -> ProviderFuture<'_> {
        Box::pin(async move {
            let variables =
                [ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_SECURITY_TOKEN];
            let (id, secret, token) = self.env.key_pair(self.name(), variables)?;
            Ok(ProvidedCredentials::new(access_key(id, secret, token)))
        })
    }
}

pub(super) fn access_key(id: String, secret: String, token: Option<String>) -> Credentials {
    Credentials::AliyunAccessKey(AliyunAccessKey {
        id,
        secret: Secret::new(secret),
        security_token: token.map(Secret::new),
    })
}

/// The credentials file: `ALIBABA_CLOUD_CREDENTIALS_FILE`, else `~/.alibabacloud/credentials.ini`;
/// the section `ALIBABA_CLOUD_PROFILE` names (`default`), of `type = access_key`
/// (`access_key_id`, `access_key_secret`), `type = sts` (and `security_token`) or
/// `type = ram_role_arn` (the AccessKey assumes `role_arn` through STS, with
/// `role_session_name` and `policy`; see [`AliyunRamRoleArnProvider`]) or `type = oidc_role_arn`
/// (`role_arn` assumed with the OIDC token in `oidc_token_file_path`, trusting
/// `oidc_provider_arn`, with `role_session_name` and `policy`; see [`AliyunOidcRoleArnProvider`]).
#[derive(Debug, Clone, Default)]
pub struct AliyunProfileProvider {
    env: Environment,
    path: Option<PathBuf>,
    sts_endpoint: Option<String>,
}

impl AliyunProfileProvider {
    /// Finds the file and the profile through `env`.
    pub fn new(env: Environment) -> Self {
        Self { env, path: None, sts_endpoint: None }
    }

    /// Reads `path` instead of the file the environment names.
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// The STS endpoint a `ram_role_arn` or `oidc_role_arn` profile asks.
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into());
        self
    }

    /// The role, session name and policy a `ram_role_arn` or `oidc_role_arn` section describes
    /// (`value` reads its keys).
    fn sts_role(&self, value: &impl Fn(&str) -> Option<String>) -> StsRole {
        let mut role = StsRole::of_profile(self.env.clone(), self.sts_endpoint.clone());
        role.role_arn = value("role_arn");
        role.role_session_name = value("role_session_name");
        role.policy = value("policy");
        role
    }

    /// The provider a `ram_role_arn` section describes (`value` reads its keys).
    fn ram_role_arn(
        &self,
        source: AliyunAccessKey,
        value: impl Fn(&str) -> Option<String>,
    ) -> AliyunRamRoleArnProvider {
        AliyunRamRoleArnProvider::from_role(source, self.sts_role(&value), None)
    }

    /// The provider an `oidc_role_arn` section (`where_`) describes (`value` reads its keys).
    fn oidc_role_arn(
        &self,
        where_: &str,
        value: impl Fn(&str) -> Option<String>,
    ) -> Result<AliyunOidcRoleArnProvider, CredentialsError> {
        let role = self.sts_role(&value);
        let token_file = value("oidc_token_file_path").map(PathBuf::from);
        AliyunOidcRoleArnProvider::from_role(role, value("oidc_provider_arn"), token_file)
            .required_by(where_, ["oidc_provider_arn", "oidc_token_file_path"])
    }
}

impl ProvideCredentials for AliyunProfileProvider {
    fn name(&self) -> &str {
        "aliyun-profile"
    }

    fn provide_credentials(&self) -> ProviderFuture<'_> {
        Box::pin(async move {
            let name = self.name();
            let location = [ALIBABA_CLOUD_CREDENTIALS_FILE, ".alibabacloud/credentials.ini"];
            let (path, ini) = self.env.read_profile_file(name, self.path.as_ref(), location, "credentials file")?;
            let profile = self.env.non_blank(ALIBABA_CLOUD_PROFILE)?.unwrap_or_else(|| "default".to_owned());
            let Some(section) = ini.section(Some(profile.as_str())) else {
                return Err(CredentialsError::not_found(
                    name,
                    format!("{} has no [{profile}] section", path.display()),
                ));
            };
            // The SDK cuts a value at `#` (an inline comment).
            let value = |key: &str| {
                section
                    .get(key)
                    .map(|v| v.split('#').next().unwrap_or_default().trim().to_owned())
                    .filter(|v| !v.is_empty())
            };
            let where_ = format!("[{profile}] of {}", path.display());
            let kind = value("type");
            if kind.as_deref() == Some("oidc_role_arn") {
                let provider = self.oidc_role_arn(&where_, value)?;
                return provider.provide_credentials().await.map_err(|e| e.located(&where_));
            }
            let token = match kind.as_deref() {
                Some("access_key" | "ram_role_arn") => None,
                Some("sts") => Some(value("security_token").ok_or_else(|| {
                    CredentialsError::provider(name, format!("{where_} is of type sts but has no security_token"))
                })?),
                other => {
                    return Err(CredentialsError::provider(
                        name,
                        format!(
                            "{where_} has type {other:?}; this runtime reads access_key, sts, ram_role_arn \
                             and oidc_role_arn"
                        ),
                    ))
                }
            };
            let (Some(id), Some(secret)) = (value("access_key_id"), value("access_key_secret")) else {
                return Err(CredentialsError::provider(
                    name,
                    format!("{where_} lacks access_key_id or access_key_secret"),
                ));
            };
            if kind.as_deref() == Some("ram_role_arn") {
                let provider = self.ram_role_arn(AliyunAccessKey::new(id, secret), value);
                return provider.provide_credentials().await.map_err(|e| e.located(&where_));
            }
            Ok(ProvidedCredentials::new(access_key(id, secret, token)))
        })
    }
}

/// STS credentials of the instance's RAM role from the ECS metadata service
/// (`EcsRamRoleCredentialsProvider`): a session token from `PUT /latest/api/token` when offered,
/// the role name from `ALIBABA_CLOUD_ECS_METADATA` or the service, then the role's credentials.
#[derive(Debug, Clone)]
pub struct AliyunEcsRamRoleProvider {
    endpoint: String,
    role_name: Option<String>,
    http: reqwest::Client,
}

impl Default for AliyunEcsRamRoleProvider {
    fn default() -> Self {
        Self::new(DEFAULT_METADATA_ENDPOINT)
    }
}

impl AliyunEcsRamRoleProvider {
    /// The metadata service at `endpoint` (`http://100.100.100.200` on ECS).
    pub fn new(endpoint: impl Into<String>) -> Self {
        Self {
            endpoint: endpoint.into().trim_end_matches('/').to_owned(),
            role_name: None,
            http: super::metadata::http_client(),
        }
    }

    /// The RAM role to use instead of asking the service.
    pub fn role_name(mut self, role: Option<String>) -> Self {
        self.role_name = role;
        self
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Result<String, CredentialsError> {
        let url = format!("{}{path}", self.endpoint);
        let mut request = MetadataRequest::get(&url);
        if let Some(token) = token {
            request = request.header("X-aliyun-ecs-metadata-token", token);
        }
        fetch_ok(&self.http, self.name(), request).await
    }
}

impl ProvideCredentials for AliyunEcsRamRoleProvider {
    fn name(&self) -> &str {
        "aliyun-ecs-ram-role"
    }

    fn provide_credentials(&self) -> ProviderFuture<'_> {
        Box::pin(async move {
            let token_url = format!("{}{METADATA_TOKEN_PATH}", self.endpoint);
            let request = MetadataRequest::put(&token_url, "X-aliyun-ecs-metadata-token-ttl-seconds", "21600");
            let token = match fetch(&self.http, self.name(), request).await? {
                (200, body) => Some(body.trim().to_owned()),
                _ => None,
            };
            let role = match &self.role_name {
                Some(role) => role.clone(),
                None => self.get(SECURITY_CREDENTIALS_PATH, token.as_deref()).await?.trim().to_owned(),
            };
            if role.is_empty() || role.contains(['/', '?', '#']) {
                return Err(CredentialsError::provider(self.name(), "the metadata service names no usable RAM role"));
            }
            let body = self.get(&format!("{SECURITY_CREDENTIALS_PATH}{role}"), token.as_deref()).await?;
            parse_role_credentials(self.name(), &body)
        })
    }
}

/// `{"Code": "Success", "AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"}`.
fn parse_role_credentials(provider: &str, body: &str) -> Result<ProvidedCredentials, CredentialsError> {
    let malformed = |what: &str| CredentialsError::provider(provider, format!("the RAM role credentials {what}"));
    let value: serde_json::Value = serde_json::from_str(body).map_err(|_| malformed("are not JSON"))?;
    let text = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    if text("Code").as_deref() != Some("Success") {
        return Err(malformed("do not say Code: Success"));
    }
    let id = text("AccessKeyId").ok_or_else(|| malformed("have no AccessKeyId"))?;
    let secret = text("AccessKeySecret").ok_or_else(|| malformed("have no AccessKeySecret"))?;
    let token = text("SecurityToken").ok_or_else(|| malformed("have no SecurityToken"))?;
    let expires_at =
        text("Expiration").as_deref().and_then(parse_expiry).ok_or_else(|| malformed("have no readable Expiration"))?;
    Ok(ProvidedCredentials::new(access_key(id, secret, Some(token))).expiring_at(expires_at))
}

/// The Alibaba Cloud default chain, in the official SDK's order: environment, OIDC (when
/// `ALIBABA_CLOUD_OIDC_TOKEN_FILE` and `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` are set; see
/// [`AliyunOidcRoleArnProvider`]), the CLI's profiles (unless
/// `ALIBABA_CLOUD_CLI_PROFILE_DISABLED` is `true`), credentials file, ECS RAM role (when
/// `metadata_endpoint` is given and `ALIBABA_CLOUD_ECS_METADATA_DISABLED` is not `true`).
pub fn default_chain(env: Environment, metadata_endpoint: Option<&str>) -> ProviderChain {
    default_chain_with_sts(env, metadata_endpoint, None)
}

/// [`default_chain`] whose STS calls (OIDC, and profiles that assume a role) all go to
/// `sts_endpoint` when given, whatever the STS region: a private STS endpoint, or a test's.
pub fn default_chain_with_sts(
    env: Environment,
    metadata_endpoint: Option<&str>,
    sts_endpoint: Option<&str>,
) -> ProviderChain {
    let mut oidc = AliyunOidcRoleArnProvider::new().environment(env.clone());
    let mut cli = AliyunCliProfileProvider::new(env.clone());
    let mut file = AliyunProfileProvider::new(env.clone());
    if let Some(endpoint) = metadata_endpoint {
        cli = cli.metadata_endpoint(endpoint);
    }
    if let Some(endpoint) = sts_endpoint {
        oidc = oidc.sts_endpoint(endpoint);
        cli = cli.sts_endpoint(endpoint);
        file = file.sts_endpoint(endpoint);
    }
    let chain =
        ProviderChain::new("aliyun-default").with(AliyunEnvProvider::new(env.clone())).with(oidc).with(cli).with(file);
    let disabled = env
        .var(ALIBABA_CLOUD_ECS_METADATA_DISABLED)
        .ok()
        .flatten()
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    match metadata_endpoint {
        Some(endpoint) if !disabled => {
            let role = env.non_blank(ALIBABA_CLOUD_ECS_METADATA).ok().flatten();
            chain.with(AliyunEcsRamRoleProvider::new(endpoint).role_name(role))
        }
        _ => chain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_credentials_need_code_success() {
        let body = r#"{"Code": "Success", "AccessKeyId": "STS.id", "AccessKeySecret": "s", "SecurityToken": "t",
            "Expiration": "2030-01-02T03:04:05Z", "LastUpdated": "2030-01-01T21:04:05Z"}"#;
        let provided = parse_role_credentials("r", body).unwrap();
        assert_eq!(provided.credentials, Credentials::aliyun_sts("STS.id", "s", "t"));
        assert_eq!(provided.expires_at, Some(time::macros::datetime!(2030-01-02 03:04:05 UTC)));
        let err = parse_role_credentials("r", &body.replace("Success", "Failed")).unwrap_err();
        assert!(err.to_string().contains("Code: Success"), "{err}");
    }
}
