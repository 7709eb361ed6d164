//! The Alibaba Cloud CLI's profiles: `~/.aliyun/config.json`, which `aliyun configure` writes,
//! read as `alibabacloud_credentials` 1.0.12's `CLIProfileCredentialsProvider` reads it.

use super::aliyun::{access_key, AliyunEcsRamRoleProvider, AliyunRamRoleArnProvider, ALIBABA_CLOUD_PROFILE};
use super::provider::{read_text, Environment, ProvideCredentials, ProvidedCredentials, ProviderFuture};
use super::{AliyunAccessKey, CredentialsError};
use serde::Deserialize;
use std::path::PathBuf;

/// `true` leaves the CLI's profiles out of the default chain.
pub const ALIBABA_CLOUD_CLI_PROFILE_DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";

/// Where the CLI keeps its profiles, under the home directory.
const CLI_CONFIG: &str = ".aliyun/config.json";

/// The CLI's profile `ALIBABA_CLOUD_PROFILE` names, else the file's `current` one, from
/// `~/.aliyun/config.json`: mode `AK` (`access_key_id`, `access_key_secret`), `StsToken` (and
/// `sts_token`), `EcsRamRole` (`ram_role_name`, through the ECS metadata service) or `RamRoleArn`
/// (the AccessKey assumes `ram_role_arn` through STS, with `ram_session_name`, `expired_seconds`,
/// `policy`, `external_id`, `sts_region` and `enable_vpc`; see [`AliyunRamRoleArnProvider`]).
/// The other modes (`ChainableRamRoleArn`, `OIDC`, `CloudSSO`, ...) are refused with a message
/// naming the mode.
#[derive(Debug, Clone, Default)]
pub struct AliyunCliProfileProvider {
    env: Environment,
    path: Option<PathBuf>,
    metadata_endpoint: Option<String>,
    sts_endpoint: Option<String>,
}

impl AliyunCliProfileProvider {
    /// Finds the file and the profile through `env`; `EcsRamRole` profiles fail (no metadata
    /// service is given).
    pub fn new(env: Environment) -> Self {
        Self { env, path: None, metadata_endpoint: None, sts_endpoint: None }
    }

    /// Reads `path` instead of `~/.aliyun/config.json`.
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// The ECS metadata service an `EcsRamRole` profile asks (`http://100.100.100.200` on ECS).
    pub fn metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.metadata_endpoint = Some(endpoint.into());
        self
    }

    /// The STS endpoint a `RamRoleArn` profile asks, whatever its `sts_region` says.
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into());
        self
    }

    /// The file, or "not found" when there is none (the chain moves on).
    fn read_config(&self) -> Result<(PathBuf, CliConfig), CredentialsError> {
        let name = self.name();
        let path = match (&self.path, self.env.home()) {
            (Some(path), _) => path.clone(),
            (None, Some(home)) => home.join(CLI_CONFIG),
            (None, None) => {
                return Err(CredentialsError::not_found(name, "no home directory to find the CLI's config.json in"))
            }
        };
        let Some(text) = read_text(name, &path)? else {
            return Err(CredentialsError::not_found(name, format!("{} does not exist", path.display())));
        };
        // Only where it went wrong: serde_json's message can quote a value, which may be a secret.
        let config = serde_json::from_str(&text).map_err(|e| {
            let at = format!("line {}, column {}", e.line(), e.column());
            CredentialsError::provider(name, format!("{} is not the CLI's config ({at})", path.display()))
        })?;
        Ok((path, config))
    }
}

/// The part of the CLI's `config.json` that holds credentials.
#[derive(Deserialize)]
struct CliConfig {
    #[serde(default)]
    current: Option<String>,
    #[serde(default)]
    profiles: Vec<CliProfile>,
}

/// One profile. No `Debug`: it holds secrets.
#[derive(Deserialize)]
struct CliProfile {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    mode: Option<String>,
    #[serde(default)]
    access_key_id: Option<String>,
    #[serde(default)]
    access_key_secret: Option<String>,
    #[serde(default)]
    sts_token: Option<String>,
    #[serde(default)]
    ram_role_name: Option<String>,
    #[serde(default)]
    ram_role_arn: Option<String>,
    #[serde(default)]
    ram_session_name: Option<String>,
    /// The CLI writes 0 for "not set".
    #[serde(default)]
    expired_seconds: Option<u32>,
    #[serde(default)]
    policy: Option<String>,
    #[serde(default)]
    external_id: Option<String>,
    #[serde(default)]
    sts_region: Option<String>,
    #[serde(default)]
    enable_vpc: Option<bool>,
}

impl ProvideCredentials for AliyunCliProfileProvider {
    fn name(&self) -> &str {
        "aliyun-cli-profile"
    }

    fn provide_credentials(&self) -> ProviderFuture<'_> {
        Box::pin(async move {
            let name = self.name();
            let disabled = self.env.non_blank(ALIBABA_CLOUD_CLI_PROFILE_DISABLED)?;
            if disabled.is_some_and(|v| v.eq_ignore_ascii_case("true")) {
                return Err(CredentialsError::not_found(name, format!("{ALIBABA_CLOUD_CLI_PROFILE_DISABLED} is true")));
            }
            let (path, config) = self.read_config()?;
            let wanted = self.env.non_blank(ALIBABA_CLOUD_PROFILE)?.or(config.current.clone()).unwrap_or_default();
            if wanted.is_empty() {
                let message =
                    format!("{} names no current profile and {ALIBABA_CLOUD_PROFILE} is unset", path.display());
                return Err(CredentialsError::provider(name, message));
            }
            let Some(profile) = config.profiles.iter().find(|p| p.name.as_deref() == Some(wanted.as_str())) else {
                return Err(CredentialsError::provider(name, format!("{} has no profile {wanted:?}", path.display())));
            };
            let where_ = format!("profile {wanted:?} of {}", path.display());
            self.credentials_of(profile, &where_).await
        })
    }
}

impl AliyunCliProfileProvider {
    /// The provider a `RamRoleArn` profile describes, assuming its role with `source`.
    fn ram_role_arn(&self, profile: &CliProfile, source: AliyunAccessKey) -> AliyunRamRoleArnProvider {
        let mut provider = AliyunRamRoleArnProvider::new(source).environment(self.env.clone());
        let text =
            |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        if let Some(arn) = text(&profile.ram_role_arn) {
            provider = provider.role_arn(arn);
        }
        if let Some(session) = text(&profile.ram_session_name) {
            provider = provider.role_session_name(session);
        }
        if let Some(seconds) = profile.expired_seconds.filter(|s| *s > 0) {
            provider = provider.duration_seconds(seconds);
        }
        if let Some(policy) = text(&profile.policy) {
            provider = provider.policy(policy);
        }
        if let Some(external_id) = text(&profile.external_id) {
            provider = provider.external_id(external_id);
        }
        if let Some(region) = text(&profile.sts_region) {
            provider = provider.sts_region(region);
        }
        if let Some(vpc) = profile.enable_vpc {
            provider = provider.vpc_endpoint(vpc);
        }
        match &self.sts_endpoint {
            Some(endpoint) => provider.sts_endpoint(endpoint.as_str()),
            None => provider,
        }
    }

    async fn credentials_of(
        &self,
        profile: &CliProfile,
        where_: &str,
    ) -> Result<ProvidedCredentials, CredentialsError> {
        let name = self.name();
        let text =
            |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        let keys = || match (text(&profile.access_key_id), text(&profile.access_key_secret)) {
            (Some(id), Some(secret)) => Ok((id, secret)),
            _ => Err(CredentialsError::provider(name, format!("{where_} lacks access_key_id or access_key_secret"))),
        };
        match profile.mode.as_deref().unwrap_or_default() {
            "AK" => {
                let (id, secret) = keys()?;
                Ok(ProvidedCredentials::new(access_key(id, secret, None)))
            }
            "StsToken" => {
                let (id, secret) = keys()?;
                let token = text(&profile.sts_token).ok_or_else(|| {
                    CredentialsError::provider(name, format!("{where_} is StsToken but has no sts_token"))
                })?;
                Ok(ProvidedCredentials::new(access_key(id, secret, Some(token))))
            }
            "EcsRamRole" => {
                let Some(endpoint) = &self.metadata_endpoint else {
                    let message = format!("{where_} is EcsRamRole, and the instance metadata service is off");
                    return Err(CredentialsError::provider(name, message));
                };
                let role = text(&profile.ram_role_name);
                AliyunEcsRamRoleProvider::new(endpoint.as_str()).role_name(role).provide_credentials().await
            }
            "RamRoleArn" => {
                let (id, secret) = keys()?;
                self.ram_role_arn(profile, AliyunAccessKey::new(id, secret)).provide_credentials().await
            }
            other => Err(CredentialsError::provider(
                name,
                format!("{where_} has mode {other:?}; this runtime reads AK, StsToken, EcsRamRole and RamRoleArn"),
            )),
        }
    }
}
