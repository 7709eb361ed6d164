//! Credentials: an IAM token, a Huawei Cloud AK/SK pair (permanent or temporary), or an Alibaba
//! Cloud AccessKey (with an optional STS token), and where they come from.
//!
//! - [`ProvideCredentials`]: the provider trait (plug in your own); [`StaticProvider`],
//!   [`ProviderChain`] and the [`CredentialsCache`] that refreshes temporary credentials.
//! - [`huawei`] and [`aliyun`]: the official SDKs' sources (environment, profile file, ECS
//!   metadata) and their default chains.
//! - [`project`]: the Huawei Cloud project id, discovered through IAM when none is configured.
//!
//! Secrets are held in [`Secret`], whose `Debug` and `Display` print `***`: a credential can be
//! logged, put in an error or printed with `{:?}` without leaking.

pub mod aliyun;
mod aliyun_cli;
mod aliyun_oidc;
mod aliyun_sts;
mod cache;
pub mod huawei;
mod metadata;
pub mod project;
mod provider;
pub(crate) mod source;

pub use cache::{CredentialsCache, DEFAULT_REFRESH_BEFORE};
pub use provider::{
    Environment, ProvideCredentials, ProvidedCredentials, ProviderChain, ProviderFuture, StaticProvider,
};

use std::fmt;

/// A secret string: readable with [`Secret::expose`], never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`, which from then on prints as `***`.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for signing. Never log what this returns.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A Huawei Cloud access key pair; with a security token it is a temporary one (from IAM's
/// `securitytokens` API), sent as `X-Security-Token`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HuaweiAkSk {
    /// The access key id (`AK`); not a secret.
    pub ak: String,
    /// The secret access key (`SK`), which signs requests and is never sent.
    pub sk: Secret,
    /// The security token of a temporary key pair; `None` for a permanent one.
    pub security_token: Option<Secret>,
}

/// An Alibaba Cloud AccessKey; with a security token it is an STS one, sent as `x-acs-security-token`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AliyunAccessKey {
    /// The AccessKey id; not a secret.
    pub id: String,
    /// The AccessKey secret, which signs requests and is never sent.
    pub secret: Secret,
    /// The STS security token; `None` for a permanent AccessKey.
    pub security_token: Option<Secret>,
}

impl HuaweiAkSk {
    /// A permanent key pair.
    pub fn new(ak: impl Into<String>, sk: impl Into<String>) -> Self {
        Self { ak: ak.into(), sk: Secret::new(sk), security_token: None }
    }

    /// The key pair as a temporary one, with its security token.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(Secret::new(token));
        self
    }
}

impl AliyunAccessKey {
    /// A permanent AccessKey.
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self { id: id.into(), secret: Secret::new(secret), security_token: None }
    }

    /// The AccessKey as an STS one, with its security token.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(Secret::new(token));
        self
    }
}

/// How requests are authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// A Huawei Cloud IAM token, sent as `X-Auth-Token` (requests are not signed).
    Token(Secret),
    /// Huawei Cloud AK/SK: every request is signed with `SDK-HMAC-SHA256`.
    HuaweiAkSk(HuaweiAkSk),
    /// Alibaba Cloud AccessKey: every request is signed with `acs` HMAC-SHA1.
    AliyunAccessKey(AliyunAccessKey),
}

/// A credential that could not be loaded. Messages name the provider and never hold a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The environment variable it names is not set.
    #[error("environment variable {0} is not set")]
    Missing(&'static str),
    /// The environment variable it names is set but empty.
    #[error("environment variable {0} is empty")]
    Empty(&'static str),
    /// The environment variable it names holds bytes that are not UTF-8.
    #[error("environment variable {0} is not valid UTF-8")]
    NotUnicode(String),
    /// The provider has nothing to offer here (a chain tries the next).
    #[error("{provider}: {reason}")]
    NotFound {
        /// The provider's name.
        provider: String,
        /// What it looked for.
        reason: String,
    },
    /// The provider failed: an unreadable file, an unreachable or refusing metadata service.
    #[error("{provider} failed: {message}")]
    Provider {
        /// The provider's name.
        provider: String,
        /// What went wrong (never a secret).
        message: String,
    },
    /// The provider gave credentials that had already expired.
    #[error("{provider} gave credentials that have already expired")]
    Expired {
        /// The provider's name.
        provider: String,
    },
    /// No provider of a chain found credentials.
    #[error("no credentials found by {chain}: {}", tried.join("; "))]
    NoneFound {
        /// The chain's name.
        chain: String,
        /// Each provider's error, in order.
        tried: Vec<String>,
    },
}

impl CredentialsError {
    /// A provider's failure.
    pub fn provider(provider: &str, message: impl Into<String>) -> Self {
        Self::Provider { provider: provider.to_owned(), message: message.into() }
    }

    /// A provider having nothing to offer.
    pub fn not_found(provider: &str, reason: impl Into<String>) -> Self {
        Self::NotFound { provider: provider.to_owned(), reason: reason.into() }
    }

    /// The error of a provider a profile described, its message led by `where_` (the profile
    /// and file), as the profile provider's own errors are.
    pub(crate) fn located(self, where_: &str) -> Self {
        match self {
            Self::Provider { provider, message } => {
                Self::Provider { provider, message: format!("{where_}: {message}") }
            }
            Self::NotFound { provider, reason } => Self::NotFound { provider, reason: format!("{where_}: {reason}") },
            other => other,
        }
    }
}

/// The Huawei Cloud access key id, as the official Huawei Cloud SDKs read it.
pub const HUAWEICLOUD_SDK_AK: &str = "HUAWEICLOUD_SDK_AK";
/// The Huawei Cloud secret access key.
pub const HUAWEICLOUD_SDK_SK: &str = "HUAWEICLOUD_SDK_SK";
/// The Huawei Cloud security token of a temporary key pair.
pub const HUAWEICLOUD_SDK_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
/// The Huawei Cloud project id.
pub const HUAWEICLOUD_SDK_PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
/// The Alibaba Cloud AccessKey id, as the official Alibaba Cloud SDKs read it.
pub const ALIBABA_CLOUD_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// The Alibaba Cloud AccessKey secret.
pub const ALIBABA_CLOUD_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// The Alibaba Cloud STS security token.
pub const ALIBABA_CLOUD_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";

impl Credentials {
    /// A Huawei Cloud IAM token (the `X-Subject-Token` IAM returned).
    pub fn token(token: impl Into<String>) -> Self {
        Self::Token(Secret::new(token))
    }

    /// A permanent Huawei Cloud access key pair.
    pub fn huawei_aksk(ak: impl Into<String>, sk: impl Into<String>) -> Self {
        Self::HuaweiAkSk(HuaweiAkSk::new(ak, sk))
    }

    /// A temporary Huawei Cloud access key pair with its security token.
    pub fn huawei_temporary(ak: impl Into<String>, sk: impl Into<String>, security_token: impl Into<String>) -> Self {
        Self::HuaweiAkSk(HuaweiAkSk::new(ak, sk).with_security_token(security_token))
    }

    /// An Alibaba Cloud AccessKey.
    pub fn aliyun(id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self::AliyunAccessKey(AliyunAccessKey::new(id, secret))
    }

    /// An Alibaba Cloud STS AccessKey with its security token.
    pub fn aliyun_sts(id: impl Into<String>, secret: impl Into<String>, security_token: impl Into<String>) -> Self {
        Self::AliyunAccessKey(AliyunAccessKey::new(id, secret).with_security_token(security_token))
    }

    /// Huawei Cloud AK/SK from `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK` and, when set,
    /// `HUAWEICLOUD_SDK_SECURITY_TOKEN`.
    ///
    /// Values are trimmed (a secret pasted with a trailing newline still works).
    ///
    /// # Errors
    ///
    /// A missing, empty or non-UTF-8 AK or SK variable (or a non-UTF-8 token variable), named.
    pub fn huawei_from_env() -> Result<Self, CredentialsError> {
        huawei_from(process_env)
    }

    /// Alibaba Cloud AccessKey from `ALIBABA_CLOUD_ACCESS_KEY_ID`,
    /// `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and, when set, `ALIBABA_CLOUD_SECURITY_TOKEN`.
    ///
    /// Values are trimmed.
    ///
    /// # Errors
    ///
    /// A missing, empty or non-UTF-8 id or secret variable (or a non-UTF-8 token variable), named.
    pub fn aliyun_from_env() -> Result<Self, CredentialsError> {
        aliyun_from(process_env)
    }

    /// [`Credentials::huawei_from_env`] with variables from `lookup` instead of the process.
    pub fn huawei_from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, CredentialsError> {
        huawei_from(|name| Ok(lookup(name)))
    }

    /// [`Credentials::aliyun_from_env`] with variables from `lookup` instead of the process.
    pub fn aliyun_from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, CredentialsError> {
        aliyun_from(|name| Ok(lookup(name)))
    }

    /// A short name of the kind of credentials, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Token(_) => "token",
            Self::HuaweiAkSk(_) => "Huawei AK/SK",
            Self::AliyunAccessKey(_) => "Alibaba Cloud AccessKey",
        }
    }
}

/// The Huawei Cloud project id from `HUAWEICLOUD_SDK_PROJECT_ID`, trimmed.
///
/// # Errors
///
/// The variable is missing, empty or not UTF-8.
pub fn huawei_project_id_from_env() -> Result<String, CredentialsError> {
    required(&process_env, HUAWEICLOUD_SDK_PROJECT_ID)
}

pub(crate) fn process_env(name: &str) -> Result<Option<String>, CredentialsError> {
    match std::env::var(name) {
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(CredentialsError::NotUnicode(name.to_owned())),
    }
}

fn huawei_from(
    lookup: impl Fn(&'static str) -> Result<Option<String>, CredentialsError>,
) -> Result<Credentials, CredentialsError> {
    let ak = required(&lookup, HUAWEICLOUD_SDK_AK)?;
    let sk = required(&lookup, HUAWEICLOUD_SDK_SK)?;
    let token = optional(&lookup, HUAWEICLOUD_SDK_SECURITY_TOKEN)?;
    Ok(Credentials::HuaweiAkSk(HuaweiAkSk { ak, sk: Secret::new(sk), security_token: token.map(Secret::new) }))
}

fn aliyun_from(
    lookup: impl Fn(&'static str) -> Result<Option<String>, CredentialsError>,
) -> Result<Credentials, CredentialsError> {
    let id = required(&lookup, ALIBABA_CLOUD_ACCESS_KEY_ID)?;
    let secret = required(&lookup, ALIBABA_CLOUD_ACCESS_KEY_SECRET)?;
    let token = optional(&lookup, ALIBABA_CLOUD_SECURITY_TOKEN)?;
    Ok(Credentials::AliyunAccessKey(AliyunAccessKey {
        id,
        secret: Secret::new(secret),
        security_token: token.map(Secret::new),
    }))
}

/// A set, non-blank value, trimmed.
fn required(
    lookup: &impl Fn(&'static str) -> Result<Option<String>, CredentialsError>,
    name: &'static str,
) -> Result<String, CredentialsError> {
    match lookup(name)? {
        None => Err(CredentialsError::Missing(name)),
        Some(value) => match value.trim() {
            "" => Err(CredentialsError::Empty(name)),
            trimmed => Ok(trimmed.to_owned()),
        },
    }
}

/// A value, trimmed; an unset or blank one is none.
fn optional(
    lookup: &impl Fn(&'static str) -> Result<Option<String>, CredentialsError>,
    name: &'static str,
) -> Result<Option<String>, CredentialsError> {
    Ok(lookup(name)?.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn huawei_from_env_reads_the_official_names() {
        let c = Credentials::huawei_from_lookup(env(&[
            (HUAWEICLOUD_SDK_AK, "AK1"),
            (HUAWEICLOUD_SDK_SK, "SK1"),
            (HUAWEICLOUD_SDK_SECURITY_TOKEN, "TOK"),
        ]))
        .unwrap();
        assert_eq!(c, Credentials::huawei_temporary("AK1", "SK1", "TOK"));
        let c =
            Credentials::huawei_from_lookup(env(&[(HUAWEICLOUD_SDK_AK, "AK1"), (HUAWEICLOUD_SDK_SK, "SK1")])).unwrap();
        assert_eq!(c, Credentials::huawei_aksk("AK1", "SK1"));
    }

    #[test]
    fn missing_or_empty_variables_are_named() {
        let err = Credentials::huawei_from_lookup(env(&[(HUAWEICLOUD_SDK_AK, "AK1")])).unwrap_err();
        assert_eq!(err.to_string(), "environment variable HUAWEICLOUD_SDK_SK is not set");
        let err = Credentials::aliyun_from_lookup(env(&[
            (ALIBABA_CLOUD_ACCESS_KEY_ID, " "),
            (ALIBABA_CLOUD_ACCESS_KEY_SECRET, "s"),
        ]))
        .unwrap_err();
        assert_eq!(err, CredentialsError::Empty(ALIBABA_CLOUD_ACCESS_KEY_ID));
        let c = Credentials::aliyun_from_lookup(env(&[
            (ALIBABA_CLOUD_ACCESS_KEY_ID, "id"),
            (ALIBABA_CLOUD_ACCESS_KEY_SECRET, "s"),
            (ALIBABA_CLOUD_SECURITY_TOKEN, ""),
        ]))
        .unwrap();
        assert_eq!(c, Credentials::aliyun("id", "s"), "an empty optional token is no token");
    }

    #[test]
    fn values_are_trimmed() {
        let c = Credentials::huawei_from_lookup(env(&[
            (HUAWEICLOUD_SDK_AK, " AK1\n"),
            (HUAWEICLOUD_SDK_SK, "SK1\r\n"),
            (HUAWEICLOUD_SDK_SECURITY_TOKEN, "\tTOK "),
        ]))
        .unwrap();
        assert_eq!(c, Credentials::huawei_temporary("AK1", "SK1", "TOK"));
        let c = Credentials::aliyun_from_lookup(env(&[
            (ALIBABA_CLOUD_ACCESS_KEY_ID, "id "),
            (ALIBABA_CLOUD_ACCESS_KEY_SECRET, "s\n"),
        ]))
        .unwrap();
        assert_eq!(c, Credentials::aliyun("id", "s"));
    }

    #[cfg(unix)]
    #[test]
    fn a_non_utf8_variable_is_reported_as_invalid_not_missing() {
        use std::os::unix::ffi::OsStrExt;
        const NAME: &str = "CLOUDSPEC_TEST_NOT_UNICODE_SK";
        std::env::set_var(NAME, std::ffi::OsStr::from_bytes(b"sk-\xff"));
        let err = required(&process_env, NAME).unwrap_err();
        assert_eq!(err, CredentialsError::NotUnicode(NAME.to_owned()));
        assert_eq!(err.to_string(), format!("environment variable {NAME} is not valid UTF-8"));
        std::env::remove_var(NAME);
        assert_eq!(required(&process_env, NAME).unwrap_err(), CredentialsError::Missing(NAME));
    }

    #[test]
    fn debug_never_shows_secrets() {
        for c in [
            Credentials::token("tok-SECRET"),
            Credentials::huawei_temporary("AK1", "sk-SECRET", "st-SECRET"),
            Credentials::aliyun_sts("id", "as-SECRET", "sts-SECRET"),
        ] {
            let debug = format!("{c:?}");
            assert!(!debug.contains("SECRET"), "{debug}");
            assert!(debug.contains("***"));
        }
        assert_eq!(Secret::new("x").to_string(), "***");
    }
}
