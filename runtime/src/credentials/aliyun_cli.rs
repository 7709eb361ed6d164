//! The Alibaba Cloud CLI's profiles: `~/.aliyun/config.json`, which `aliyun configure` writes,
//! read as `alibabacloud_credentials` 1.0.12's `CLIProfileCredentialsProvider` reads it.

use super::aliyun::{
    access_key, AliyunEcsRamRoleProvider, AliyunOidcRoleArnProvider, AliyunRamRoleArnProvider, ALIBABA_CLOUD_PROFILE,
};
use super::aliyun_sts::StsRole;
use super::provider::{read_text, Environment, ProvideCredentials, ProvidedCredentials, ProviderFuture};
use super::{AliyunAccessKey, Credentials, CredentialsError};
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
/// `policy`, `external_id`, `sts_region` and `enable_vpc`; see [`AliyunRamRoleArnProvider`]),
/// `OIDC` (`oidc_provider_arn`, `oidc_token_file` and `ram_role_arn`, with `ram_session_name` as
/// the CLI writes it or `role_session_name` as the Python package reads it, and the settings above
/// but `external_id`; see [`AliyunOidcRoleArnProvider`]) or `ChainableRamRoleArn` (the credentials
/// of the profile `source_profile` names, in any of these modes, assume `ram_role_arn` as
/// `RamRoleArn` does; a chain that comes back to a profile is an error). The other modes
/// (`CloudSSO`, `OAuth`, `External`, ...) are refused with a message naming the mode.
/// `expired_seconds: 0` (the CLI's "not set") means 3600 seconds, where the Python package
/// refuses it; an `expired_seconds` or `enable_vpc` of the wrong type fails only its profile.
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
    /// The CLI writes 0 for "not set". Any JSON here, read only for the profile in use: an odd
    /// value in another profile must not make the whole file unreadable.
    #[serde(default)]
    expired_seconds: Option<serde_json::Value>,
    #[serde(default)]
    policy: Option<String>,
    #[serde(default)]
    external_id: Option<String>,
    #[serde(default)]
    sts_region: Option<String>,
    /// Any JSON, as `expired_seconds`.
    #[serde(default)]
    enable_vpc: Option<serde_json::Value>,
    #[serde(default)]
    oidc_provider_arn: Option<String>,
    #[serde(default)]
    oidc_token_file: Option<String>,
    /// What the Python package reads for `OIDC` profiles (the CLI writes `ram_session_name`).
    #[serde(default)]
    role_session_name: Option<String>,
    #[serde(default)]
    source_profile: Option<String>,
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
            let file = path.display().to_string();
            let profile = config.profile(&wanted, &file, name)?;
            self.credentials_of(&config, profile, &file, &mut vec![wanted.clone()]).await
        })
    }
}

impl CliConfig {
    /// The profile called `wanted`; an error naming `file` when there is none.
    fn profile(&self, wanted: &str, file: &str, provider: &str) -> Result<&CliProfile, CredentialsError> {
        self.profiles
            .iter()
            .find(|p| p.name.as_deref() == Some(wanted))
            .ok_or_else(|| CredentialsError::provider(provider, format!("{file} has no profile {wanted:?}")))
    }
}

/// How messages name the profile `name` of `file`.
fn location(name: &str, file: &str) -> String {
    format!("profile {name:?} of {file}")
}

/// A value of the profile, trimmed; a blank one is `None`.
fn text(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

impl AliyunCliProfileProvider {
    /// The role, session, duration, policy and STS endpoint a `RamRoleArn`, `OIDC` or
    /// `ChainableRamRoleArn` profile describes; an odd `expired_seconds` or `enable_vpc` is an
    /// error naming the key and `where_` (the profile).
    fn sts_role(&self, profile: &CliProfile, where_: &str) -> Result<StsRole, CredentialsError> {
        let odd = |key: &str, wanted: &str| {
            CredentialsError::provider(self.name(), format!("{where_}: {key} must be {wanted}"))
        };
        let duration = match &profile.expired_seconds {
            None | Some(serde_json::Value::Null) => None,
            Some(value) => {
                let seconds = value.as_u64().and_then(|s| u32::try_from(s).ok());
                Some(seconds.ok_or_else(|| odd("expired_seconds", "a whole number of seconds"))?)
            }
        };
        let vpc = match &profile.enable_vpc {
            None | Some(serde_json::Value::Null) => None,
            Some(value) => Some(value.as_bool().ok_or_else(|| odd("enable_vpc", "true or false"))?),
        };
        let mut role = StsRole::of_profile(self.env.clone(), self.sts_endpoint.clone());
        role.role_arn = text(&profile.ram_role_arn);
        role.role_session_name = text(&profile.ram_session_name).or_else(|| text(&profile.role_session_name));
        role.duration_seconds = duration.filter(|s| *s > 0);
        role.policy = text(&profile.policy);
        role.sts_region = text(&profile.sts_region);
        role.vpc = vpc;
        Ok(role)
    }

    /// The provider a `RamRoleArn` or `ChainableRamRoleArn` profile describes, assuming its
    /// role with `source`.
    fn ram_role_arn(
        &self,
        profile: &CliProfile,
        where_: &str,
        source: AliyunAccessKey,
    ) -> Result<AliyunRamRoleArnProvider, CredentialsError> {
        let role = self.sts_role(profile, where_)?;
        Ok(AliyunRamRoleArnProvider::from_role(source, role, text(&profile.external_id)))
    }

    /// The credentials `profile` (of `file`) gives; `chain` holds the profiles that led to it,
    /// through `source_profile`, itself last.
    fn credentials_of<'a>(
        &'a self,
        config: &'a CliConfig,
        profile: &'a CliProfile,
        file: &'a str,
        chain: &'a mut Vec<String>,
    ) -> ProviderFuture<'a> {
        Box::pin(async move {
            let name = self.name();
            let where_ = location(profile.name.as_deref().unwrap_or_default(), file);
            let keys = || match (text(&profile.access_key_id), text(&profile.access_key_secret)) {
                (Some(id), Some(secret)) => Ok((id, secret)),
                _ => {
                    Err(CredentialsError::provider(name, format!("{where_} lacks access_key_id or access_key_secret")))
                }
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
                    let provider = AliyunEcsRamRoleProvider::new(endpoint.as_str()).role_name(role);
                    provider.provide_credentials().await.map_err(|e| e.located(&where_))
                }
                "RamRoleArn" => {
                    let (id, secret) = keys()?;
                    let provider = self.ram_role_arn(profile, &where_, AliyunAccessKey::new(id, secret))?;
                    provider.provide_credentials().await.map_err(|e| e.located(&where_))
                }
                "OIDC" => self.oidc(profile, &where_)?.provide_credentials().await.map_err(|e| e.located(&where_)),
                "ChainableRamRoleArn" => self.chained(config, profile, file, chain).await,
                other => Err(CredentialsError::provider(
                    name,
                    format!(
                        "{where_} has mode {other:?}; this runtime reads AK, StsToken, EcsRamRole, RamRoleArn, \
                         OIDC and ChainableRamRoleArn"
                    ),
                )),
            }
        })
    }

    /// The provider an `OIDC` profile describes.
    fn oidc(&self, profile: &CliProfile, where_: &str) -> Result<AliyunOidcRoleArnProvider, CredentialsError> {
        let role = self.sts_role(profile, where_)?;
        let token_file = text(&profile.oidc_token_file).map(PathBuf::from);
        AliyunOidcRoleArnProvider::from_role(role, text(&profile.oidc_provider_arn), token_file)
            .required_by(where_, ["oidc_provider_arn", "oidc_token_file"])
    }

    /// A `ChainableRamRoleArn` profile: its `source_profile`'s credentials (asked afresh at each
    /// call, so an expiring source is renewed) assume its role.
    async fn chained(
        &self,
        config: &CliConfig,
        profile: &CliProfile,
        file: &str,
        chain: &mut Vec<String>,
    ) -> Result<ProvidedCredentials, CredentialsError> {
        let name = self.name();
        let where_ = location(profile.name.as_deref().unwrap_or_default(), file);
        let source_name = text(&profile.source_profile).ok_or_else(|| {
            CredentialsError::provider(name, format!("{where_} is ChainableRamRoleArn but has no source_profile"))
        })?;
        if chain.contains(&source_name) {
            let path = chain.iter().chain([&source_name]).map(|p| format!("{p:?}")).collect::<Vec<_>>().join(" -> ");
            return Err(CredentialsError::provider(name, format!("{where_}: source_profile loops: {path}")));
        }
        let source = config.profile(&source_name, file, name)?;
        let source_where = location(&source_name, file);
        chain.push(source_name);
        let provided = self.credentials_of(config, source, file, chain).await?;
        let Credentials::AliyunAccessKey(key) = provided.credentials else {
            let message = format!("{source_where} gave no AccessKey to assume a role with");
            return Err(CredentialsError::provider(name, message));
        };
        self.ram_role_arn(profile, &where_, key)?.provide_credentials().await.map_err(|e| e.located(&where_))
    }
}
