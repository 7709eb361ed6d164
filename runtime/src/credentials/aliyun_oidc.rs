//! Assuming a RAM role with an OIDC token through STS `AssumeRoleWithOIDC` (RRSA on Alibaba
//! Cloud's Kubernetes), as `alibabacloud_credentials` 1.0.12's `OIDCRoleArnCredentialsProvider`
//! does: an unsigned `GET` whose query carries the token, read afresh from its file at each call.

use super::aliyun_sts::{sts_role_setters, StsRole};
use super::provider::{Environment, ProvideCredentials, ProviderFuture};
use super::CredentialsError;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The OIDC identity provider STS trusts (`acs:ram::<account>:oidc-provider/<name>`).
pub const ALIBABA_CLOUD_OIDC_PROVIDER_ARN: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
/// The file holding the OIDC token (the pod's projected service account token).
pub const ALIBABA_CLOUD_OIDC_TOKEN_FILE: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";
/// The largest token file read (a service account token is a few KiB); a larger one is refused
/// rather than read whole into memory and a query string.
const MAX_TOKEN_FILE_BYTES: u64 = 64 * 1024;

/// STS credentials of a RAM role, assumed with an OIDC token (`OIDC`, RRSA on ACK): STS
/// `AssumeRoleWithOIDC` with `OIDCProviderArn`, `RoleArn`, `OIDCToken`, `RoleSessionName`,
/// `DurationSeconds` and, when given, `Policy`. The call is not signed: the token proves who asks.
///
/// Unset, the provider comes from `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, the token file from
/// `ALIBABA_CLOUD_OIDC_TOKEN_FILE`, and the role, session name, duration and endpoint as for
/// [`AliyunRamRoleArnProvider`](super::aliyun::AliyunRamRoleArnProvider). The token file is read
/// at each call (Kubernetes rotates it); put the provider behind a
/// [`CredentialsCache`](super::CredentialsCache) (a client does) to ask STS only when due. With
/// none of the role, the provider and the token file set, it finds nothing (a chain moves on).
///
/// ```
/// use cloudspec_runtime::credentials::aliyun::AliyunOidcRoleArnProvider;
///
/// let provider = AliyunOidcRoleArnProvider::new()
///     .role_arn("acs:ram::1234567890123456:role/pod-role")
///     .oidc_provider_arn("acs:ram::1234567890123456:oidc-provider/ack-rrsa-c1")
///     .oidc_token_file("/var/run/secrets/ack.alibabacloud.com/rrsa-tokens/token")
///     .sts_region("cn-hangzhou");
/// let config = cloudspec_runtime::Config::builder().credentials_provider(provider).region("cn-hangzhou").build()?;
/// # Ok::<(), cloudspec_runtime::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct AliyunOidcRoleArnProvider {
    oidc_provider_arn: Option<String>,
    oidc_token_file: Option<PathBuf>,
    role: StsRole,
}

impl Default for AliyunOidcRoleArnProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl AliyunOidcRoleArnProvider {
    /// Everything from the process's environment unless set.
    pub fn new() -> Self {
        Self { oidc_provider_arn: None, oidc_token_file: None, role: StsRole::new() }
    }

    sts_role_setters!();

    /// Assumes the role `role` describes, trusting `provider_arn`'s token in `token_file` (each
    /// from the environment when `None`).
    pub(super) fn from_role(role: StsRole, provider_arn: Option<String>, token_file: Option<PathBuf>) -> Self {
        Self { oidc_provider_arn: provider_arn, oidc_token_file: token_file, role }
    }

    /// The OIDC identity provider STS trusts (`acs:ram::<account>:oidc-provider/<name>`).
    pub fn oidc_provider_arn(mut self, arn: impl Into<String>) -> Self {
        self.oidc_provider_arn = Some(arn.into());
        self
    }

    /// The file holding the OIDC token, read at each call.
    pub fn oidc_token_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.oidc_token_file = Some(path.into());
        self
    }

    /// For a profile that asks for OIDC (`where_`, naming the provider and the token file with
    /// `keys`): both must be given, there or in the environment; a missing one is an error naming
    /// the profile and its key, not "not found" (a chain would move on past the profile).
    pub(super) fn required_by(self, where_: &str, keys: [&str; 2]) -> Result<Self, CredentialsError> {
        let given_file = self.oidc_token_file.as_ref().map(|p| p.to_string_lossy().into_owned());
        let settings = [
            (&self.oidc_provider_arn, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, keys[0]),
            (&given_file, ALIBABA_CLOUD_OIDC_TOKEN_FILE, keys[1]),
        ];
        for (given, variable, key) in settings {
            if self.role.given_or_env(given, variable)?.is_none() {
                let message = format!("{where_} asks for OIDC but has no {key} (nor {variable} set)");
                return Err(CredentialsError::provider(self.name(), message));
            }
        }
        Ok(self)
    }

    /// The provider ARN and the token file; "not found" when neither is set anywhere (nothing
    /// asks for OIDC: `ALIBABA_CLOUD_ROLE_ARN` alone may be for `AssumeRole`), an error naming
    /// what is missing when only some are.
    fn settings(&self) -> Result<(String, PathBuf), CredentialsError> {
        let name = self.name();
        let role = &self.role;
        let provider_arn = role.given_or_env(&self.oidc_provider_arn, ALIBABA_CLOUD_OIDC_PROVIDER_ARN)?;
        let given_file = self.oidc_token_file.as_ref().map(|p| p.to_string_lossy().into_owned());
        let token_file = role.given_or_env(&given_file, ALIBABA_CLOUD_OIDC_TOKEN_FILE)?;
        let role_arn = role.given_or_env(&role.role_arn, super::aliyun::ALIBABA_CLOUD_ROLE_ARN)?;
        match (provider_arn, token_file, role_arn) {
            (Some(arn), Some(file), Some(_)) => Ok((arn, PathBuf::from(file))),
            (None, None, _) => Err(CredentialsError::not_found(
                name,
                format!("{ALIBABA_CLOUD_OIDC_TOKEN_FILE} and {ALIBABA_CLOUD_OIDC_PROVIDER_ARN} are not set"),
            )),
            (arn, file, _) => {
                let missing = if arn.is_none() {
                    format!("no OIDC provider: give one or set {ALIBABA_CLOUD_OIDC_PROVIDER_ARN}")
                } else if file.is_none() {
                    format!("no OIDC token file: give one or set {ALIBABA_CLOUD_OIDC_TOKEN_FILE}")
                } else {
                    "no role to assume: give one or set ALIBABA_CLOUD_ROLE_ARN".to_owned()
                };
                Err(CredentialsError::provider(name, missing))
            }
        }
    }
}

impl ProvideCredentials for AliyunOidcRoleArnProvider {
    fn name(&self) -> &str {
        "aliyun-oidc-role-arn"
    }

    fn provide_credentials(&self) -> ProviderFuture<'_> {
        Box::pin(async move {
            let name = self.name();
            let (provider_arn, token_file) = self.settings()?;
            // Read at each call: the token rotates (hourly on ACK). Its text is never quoted.
            let token = read_token(name, &token_file)?;
            let token = token.trim();
            if token.is_empty() {
                return Err(CredentialsError::provider(name, format!("{} is empty", token_file.display())));
            }
            let action = "AssumeRoleWithOIDC";
            let mut query = self.role.parameters(name, action, time::OffsetDateTime::now_utc())?;
            query.extend([("OIDCProviderArn", provider_arn), ("OIDCToken", token.to_owned())]);
            self.role.call(name, action, &query, &[token]).await
        })
    }
}

/// The token `path` holds, at most [`MAX_TOKEN_FILE_BYTES`]; errors name the path, never the
/// content. Blocking, as the file is small and local (a projected volume).
fn read_token(provider: &str, path: &Path) -> Result<String, CredentialsError> {
    let unreadable = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => {
            CredentialsError::provider(provider, format!("{} does not exist", path.display()))
        }
        _ => CredentialsError::provider(provider, format!("cannot read {}: {}", path.display(), e.kind())),
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(MAX_TOKEN_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(unreadable)?;
    if bytes.len() as u64 > MAX_TOKEN_FILE_BYTES {
        let message = format!("{} is larger than {MAX_TOKEN_FILE_BYTES} bytes: not an OIDC token", path.display());
        return Err(CredentialsError::provider(provider, message));
    }
    String::from_utf8(bytes)
        .map_err(|_| CredentialsError::provider(provider, format!("{} is not UTF-8 text", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn provider(vars: &[(&str, &str)]) -> AliyunOidcRoleArnProvider {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        AliyunOidcRoleArnProvider::new().environment(Environment::from_map(vars))
    }

    #[test]
    fn nothing_set_is_not_found_and_a_partial_setting_names_what_is_missing() {
        for nothing in [provider(&[]), provider(&[("ALIBABA_CLOUD_ROLE_ARN", "r")])] {
            let err = nothing.settings().unwrap_err();
            assert!(matches!(err, CredentialsError::NotFound { .. }), "{err}");
        }
        let err = provider(&[(ALIBABA_CLOUD_OIDC_TOKEN_FILE, "/t")]).settings().unwrap_err();
        assert!(
            matches!(err, CredentialsError::Provider { .. }) && err.to_string().contains("no OIDC provider"),
            "{err}"
        );
        let err = provider(&[(ALIBABA_CLOUD_OIDC_PROVIDER_ARN, "p"), (ALIBABA_CLOUD_OIDC_TOKEN_FILE, "/t")])
            .settings()
            .unwrap_err();
        assert!(err.to_string().contains("no role to assume"), "{err}");
        let given = provider(&[(ALIBABA_CLOUD_OIDC_PROVIDER_ARN, "p"), (ALIBABA_CLOUD_OIDC_TOKEN_FILE, "/t")])
            .role_arn("r")
            .oidc_token_file("/given");
        assert_eq!(given.settings().unwrap(), ("p".to_owned(), PathBuf::from("/given")));
    }
}
