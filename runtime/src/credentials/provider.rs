//! The provider trait: where credentials come from. The runtime asks its provider before each
//! attempt (through a [`CredentialsCache`](super::CredentialsCache), so a provider is asked again
//! only when what it gave is about to expire).

use super::{Credentials, CredentialsError};
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

/// What [`ProvideCredentials::provide_credentials`] returns.
pub type ProviderFuture<'a> = Pin<Box<dyn Future<Output = Result<ProvidedCredentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials: static keys, the environment, a profile file, an instance metadata
/// service, or your own (a vault, say).
///
/// ```
/// use cloudspec_runtime::credentials::{
///     Credentials, CredentialsError, ProvideCredentials, ProvidedCredentials, ProviderFuture,
/// };
///
/// #[derive(Debug)]
/// struct Vault;
///
/// impl ProvideCredentials for Vault {
///     fn name(&self) -> &str {
///         "vault"
///     }
///
///     fn provide_credentials(&self) -> ProviderFuture<'_> {
///         Box::pin(async {
///             // Fetch from the vault here; a failure is CredentialsError::provider(self.name(), ..).
///             let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
///             Ok(ProvidedCredentials::new(Credentials::huawei_temporary("AK", "SK", "TOKEN")).expiring_at(expires))
///         })
///     }
/// }
///
/// let config = cloudspec_runtime::Config::builder().credentials_provider(Vault).region("cn-north-4").build()?;
/// # Ok::<(), cloudspec_runtime::Error>(())
/// ```
pub trait ProvideCredentials: fmt::Debug + Send + Sync + 'static {
    /// A short name, used in errors (`huawei-profile`, `vault`).
    fn name(&self) -> &str;

    /// The current credentials. A provider that has none to offer (its variables are unset, its
    /// file is missing) returns [`CredentialsError::NotFound`], so that a chain tries the next.
    fn provide_credentials(&self) -> ProviderFuture<'_>;
}

/// Credentials with what came with them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProvidedCredentials {
    /// The credentials themselves.
    pub credentials: Credentials,
    /// When temporary credentials stop working; `None` for permanent ones.
    pub expires_at: Option<time::OffsetDateTime>,
    /// The Huawei Cloud project id that came with them (`HUAWEICLOUD_SDK_PROJECT_ID`, a profile's
    /// `project_id`); used when the configuration sets none.
    pub project_id: Option<String>,
    /// The IAM endpoint that came with them (a profile's `iam_endpoint`), for project id discovery.
    pub iam_endpoint: Option<String>,
}

impl ProvidedCredentials {
    /// Permanent credentials with nothing else.
    pub fn new(credentials: Credentials) -> Self {
        Self { credentials, expires_at: None, project_id: None, iam_endpoint: None }
    }

    /// Temporary credentials, valid until `at`.
    pub fn expiring_at(mut self, at: time::OffsetDateTime) -> Self {
        self.expires_at = Some(at);
        self
    }

    /// With the project id that came with them.
    pub fn with_project_id(mut self, project_id: Option<String>) -> Self {
        self.project_id = project_id;
        self
    }

    /// With the IAM endpoint that came with them.
    pub fn with_iam_endpoint(mut self, iam_endpoint: Option<String>) -> Self {
        self.iam_endpoint = iam_endpoint;
        self
    }
}

/// Credentials given in code: always the same, never expiring.
#[derive(Debug, Clone)]
pub struct StaticProvider(ProvidedCredentials);

impl StaticProvider {
    /// Always gives `credentials`.
    pub fn new(credentials: Credentials) -> Self {
        Self(ProvidedCredentials::new(credentials))
    }
}

impl ProvideCredentials for StaticProvider {
    fn name(&self) -> &str {
        "static"
    }

    fn provide_credentials(&self) -> ProviderFuture<'_> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }
}

/// Providers tried in order: the first that finds credentials gives them. A provider that fails
/// (rather than finding nothing) is reported with the others when none succeeds, as the official
/// SDKs' chains do.
#[derive(Debug, Clone)]
pub struct ProviderChain {
    name: String,
    providers: Vec<Arc<dyn ProvideCredentials>>,
}

impl ProviderChain {
    /// An empty chain called `name` (in errors).
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), providers: Vec::new() }
    }

    /// Adds a provider after the ones already in the chain.
    pub fn with(mut self, provider: impl ProvideCredentials) -> Self {
        self.providers.push(Arc::new(provider));
        self
    }

    /// The names of the providers, in order.
    pub fn provider_names(&self) -> Vec<&str> {
        self.providers.iter().map(|p| p.name()).collect()
    }
}

impl ProvideCredentials for ProviderChain {
    fn name(&self) -> &str {
        &self.name
    }

    fn provide_credentials(&self) -> ProviderFuture<'_> {
        Box::pin(async move {
            let mut tried = Vec::new();
            for provider in &self.providers {
                match provider.provide_credentials().await {
                    Ok(found) => {
                        tracing::debug!(chain = %self.name, provider = provider.name(), "credentials found");
                        return Ok(found);
                    }
                    Err(e) => tried.push(e.to_string()),
                }
            }
            Err(CredentialsError::NoneFound { chain: self.name.clone(), tried })
        })
    }
}

/// Where providers read environment variables and the home directory from: the process by
/// default, a fixed map in tests (so that a test never depends on, or changes, the process's).
#[derive(Clone)]
pub struct Environment {
    vars: Arc<VarLookup>,
    home: Option<PathBuf>,
}

type VarLookup = dyn Fn(&str) -> Result<Option<String>, CredentialsError> + Send + Sync;

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Variable values may be secrets: only the home directory is shown.
        f.debug_struct("Environment").field("home", &self.home).finish_non_exhaustive()
    }
}

impl Default for Environment {
    fn default() -> Self {
        Self::process()
    }
}

impl Environment {
    /// The process's variables and home directory (`HOME`, or `USERPROFILE` on Windows).
    pub fn process() -> Self {
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        Self { vars: Arc::new(super::process_env), home }
    }

    /// Fixed variables and no home directory.
    pub fn from_map(vars: HashMap<String, String>) -> Self {
        Self { vars: Arc::new(move |name| Ok(vars.get(name).cloned())), home: None }
    }

    /// The same variables with `home` as the home directory.
    pub fn with_home(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }

    /// A variable's value (untrimmed); an unset one is `None`.
    ///
    /// # Errors
    ///
    /// [`CredentialsError::NotUnicode`] when the variable is not UTF-8.
    pub fn var(&self, name: &str) -> Result<Option<String>, CredentialsError> {
        (self.vars)(name)
    }

    /// A variable's value, trimmed; an unset or blank one is `None`.
    pub(crate) fn non_blank(&self, name: &str) -> Result<Option<String>, CredentialsError> {
        Ok(self.var(name)?.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()))
    }

    /// An id, a secret and an optional token from three variables (trimmed);
    /// [`CredentialsError::NotFound`] unless the id and the secret are both set.
    pub(crate) fn key_pair(
        &self,
        provider: &str,
        [id, secret, token]: [&str; 3],
    ) -> Result<(String, String, Option<String>), CredentialsError> {
        match (self.non_blank(id)?, self.non_blank(secret)?) {
            (Some(id), Some(secret)) => Ok((id, secret, self.non_blank(token)?)),
            _ => Err(CredentialsError::not_found(provider, format!("{id} and {secret} are not both set"))),
        }
    }

    /// The INI file a profile provider reads, and where it is: `explicit`, else the one the
    /// variable `var` names, else `relative` under the home directory. No home directory, or
    /// no such file, is "not found" (the chain moves on); `file_kind` names the file in that.
    pub(crate) fn read_profile_file(
        &self,
        provider: &str,
        explicit: Option<&PathBuf>,
        [var, relative]: [&str; 2],
        file_kind: &str,
    ) -> Result<(PathBuf, ini::Ini), CredentialsError> {
        let path = if let Some(path) = explicit {
            path.clone()
        } else if let Some(path) = self.non_blank(var)? {
            PathBuf::from(path)
        } else if let Some(home) = self.home() {
            home.join(relative)
        } else {
            let message = format!("no home directory to find the {file_kind} in");
            return Err(CredentialsError::not_found(provider, message));
        };
        match read_ini(provider, &path)? {
            Some(ini) => Ok((path, ini)),
            None => Err(CredentialsError::not_found(provider, format!("{} does not exist", path.display()))),
        }
    }

    /// The home directory profile files are looked for in.
    pub fn home(&self) -> Option<&std::path::Path> {
        self.home.as_deref()
    }
}

/// Reads an INI file as Python's `configparser` does for these files: no quoting, no escapes.
/// `Ok(None)` when the file does not exist.
pub(crate) fn read_ini(provider: &str, path: &std::path::Path) -> Result<Option<ini::Ini>, CredentialsError> {
    let Some(text) = read_text(provider, path)? else { return Ok(None) };
    let options = ini::ParseOption { enabled_quote: false, enabled_escape: false, ..Default::default() };
    ini::Ini::load_from_str_opt(&text, options)
        .map(Some)
        .map_err(|e| CredentialsError::provider(provider, format!("{} is not an INI file: {e}", path.display())))
}

/// A credentials file's text; `Ok(None)` when the file does not exist.
pub(crate) fn read_text(provider: &str, path: &std::path::Path) -> Result<Option<String>, CredentialsError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CredentialsError::provider(provider, format!("cannot read {}: {e}", path.display()))),
    }
}

/// A key's value in an INI section, trimmed; a blank one is `None`.
pub(crate) fn ini_value(section: &ini::Properties, key: &str) -> Option<String> {
    section.get(key).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}
