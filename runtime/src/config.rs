//! Client configuration: where to send requests, with which credentials, and how patiently.

pub use crate::body::DEFAULT_MAX_RESPONSE_BYTES;
use crate::credentials::project::ProjectIds;
use crate::credentials::source::{CredentialsSource, MetadataEndpoint};
use crate::credentials::{Credentials, CredentialsCache, Environment, ProvideCredentials, StaticProvider};
use crate::endpoint::parse_endpoint;
use crate::error::Error;
use crate::security::{SchemeCredential, SchemeCredentials};
use crate::service::SigningScheme;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// How often a failed call is tried again, and how long to wait in between.
///
/// What is retried, and how the wait is chosen, is described (and decided) in [`crate::retry`].
/// [`ConfigBuilder::build`] refuses backoffs longer than [`MAX_DURATION`].
///
/// ```
/// use cloudspec_runtime::RetryPolicy;
/// use std::time::Duration;
///
/// let patient = RetryPolicy::default().with_max_attempts(5).with_max_backoff(Duration::from_secs(60));
/// assert_eq!(patient.max_attempts, 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retries).
    pub max_attempts: u32,
    /// The backoff cap before jitter for the first retry; doubled for each later one.
    pub initial_backoff: Duration,
    /// The largest backoff, and the longest `Retry-After` waited for: a service asking for a
    /// longer wait gets its error returned instead of a shortened retry.
    pub max_backoff: Duration,
}

impl RetryPolicy {
    /// No retries: every call is tried once.
    pub fn disabled() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// `attempts` attempts in all, the first included (0 counts as 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff cap before jitter for the first retry.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The largest backoff, and the longest `Retry-After` waited for.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { max_attempts: 3, initial_backoff: Duration::from_millis(200), max_backoff: Duration::from_secs(20) }
    }
}

/// The longest timeout or backoff [`ConfigBuilder::build`] accepts: one day. Longer ones (such as
/// `Duration::MAX`) are refused, so no deadline computed from them can overflow; leave the
/// operation timeout unset for none.
pub const MAX_DURATION: Duration = Duration::from_secs(24 * 60 * 60);

/// The version of this runtime, sent in the default user agent.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Configuration shared by every client built from it. Build one with [`Config::builder`].
#[derive(Clone)]
pub struct Config {
    pub(crate) endpoint: Option<url::Url>,
    pub(crate) region: Option<String>,
    pub(crate) credentials: Option<Credentials>,
    pub(crate) security: SchemeCredentials,
    pub(crate) credentials_source: CredentialsSource,
    pub(crate) environment: Environment,
    pub(crate) iam_endpoint: Option<String>,
    pub(crate) project_ids: Arc<ProjectIds>,
    pub(crate) region_unchecked: bool,
    pub(crate) validate_requests: bool,
    pub(crate) project_id: Option<String>,
    pub(crate) params: BTreeMap<String, String>,
    pub(crate) connect_timeout: Duration,
    pub(crate) attempt_timeout: Duration,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) max_response_bytes: usize,
    pub(crate) retry: RetryPolicy,
    pub(crate) user_agent: String,
    pub(crate) http_client: Option<reqwest::Client>,
    #[cfg(feature = "test-util")]
    pub(crate) mock: Option<crate::mock::MockTransport>,
    pub(crate) pinned_time: Option<time::OffsetDateTime>,
    pub(crate) pinned_nonce: Option<String>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Credentials print redacted (their own Debug never shows a secret).
        f.debug_struct("Config")
            .field("endpoint", &self.endpoint.as_ref().map(url::Url::as_str))
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("security", &self.security)
            .field("credentials_source", &self.credentials_source)
            .field("iam_endpoint", &self.iam_endpoint)
            .field("region_unchecked", &self.region_unchecked)
            .field("validate_requests", &self.validate_requests)
            .field("project_id", &self.project_id)
            .field("params", &self.params)
            .field("connect_timeout", &self.connect_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("custom_http_client", &self.http_client.is_some())
            .field("mock_transport", &self.uses_mock())
            .finish()
    }
}

impl Config {
    /// A builder with every setting at its default.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// Whether clients built from this configuration use a mock transport (feature `test-util`).
    pub(crate) fn uses_mock(&self) -> bool {
        #[cfg(feature = "test-util")]
        return self.mock.is_some();
        #[cfg(not(feature = "test-util"))]
        false
    }

    /// The configured region.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The explicit endpoint, when one was configured.
    pub fn endpoint(&self) -> Option<&url::Url> {
        self.endpoint.as_ref()
    }

    /// The configured Huawei Cloud project id.
    pub fn project_id(&self) -> Option<&str> {
        self.project_id.as_deref()
    }

    /// The credentials given with [`ConfigBuilder::credentials`], if any (a provider's are
    /// fetched when a call needs them).
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// Whether requests are validated against the documented constraints before sending.
    pub fn validate_requests(&self) -> bool {
        self.validate_requests
    }

    /// The cached credentials provider calls to a service signed with `scheme` use: the
    /// configured one, else the provider's default chain (shared by every client of this config).
    /// Over a mock configured without credentials: the mock's placeholder keys, never the chains.
    pub(crate) fn credentials_for(&self, scheme: SigningScheme) -> CredentialsCache {
        #[cfg(feature = "test-util")]
        if self.mock.is_some() && matches!(self.credentials_source, CredentialsSource::Default { .. }) {
            return crate::mock::placeholder_credentials(scheme);
        }
        self.credentials_source.cache_for(scheme, &self.environment)
    }

    /// The retry policy.
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The `User-Agent` every request sends.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// A value the configuration supplies for a parameter (`project_id`, or one set with
    /// [`ConfigBuilder::param`]).
    pub fn param(&self, name: &str) -> Option<&str> {
        match name {
            "project_id" => self.project_id.as_deref(),
            other => self.params.get(other).map(String::as_str),
        }
    }
}

/// Builds a [`Config`].
#[derive(Debug, Default, Clone)]
pub struct ConfigBuilder {
    endpoint: Option<String>,
    region: Option<String>,
    region_unchecked: bool,
    credentials: Option<Credentials>,
    security: SchemeCredentials,
    credentials_cache: Option<CredentialsCache>,
    environment: Option<Environment>,
    metadata_endpoint: MetadataEndpoint,
    iam_endpoint: Option<String>,
    validate_requests: Option<bool>,
    project_id: Option<String>,
    params: BTreeMap<String, String>,
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    max_response_bytes: Option<usize>,
    retry: Option<RetryPolicy>,
    user_agent: Option<String>,
    user_agent_suffix: Option<String>,
    http_client: Option<reqwest::Client>,
    #[cfg(feature = "test-util")]
    mock: Option<crate::mock::MockTransport>,
    pinned_time: Option<time::OffsetDateTime>,
    pinned_nonce: Option<String>,
}

impl ConfigBuilder {
    /// The region: the endpoint is the service's for it (its `regions` catalogue). A region the
    /// catalogue does not list is refused when a client is built, unless an endpoint is given or
    /// [`region_unchecked`](ConfigBuilder::region_unchecked) is used.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self.region_unchecked = false;
        self
    }

    /// A region the service's catalogue may not list yet (a new one): the endpoint comes from
    /// the service's template (`https://cdm.{region}.myhuaweicloud.com`).
    pub fn region_unchecked(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self.region_unchecked = true;
        self
    }

    /// An explicit endpoint (`https://host[:port][/prefix]`), for private deployments, proxies
    /// and tests; it wins over the region's. A path prefix (a gateway mounting the API under
    /// `/prefix`) goes before every operation's path, and is signed with it.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Fixed credentials. Without these or a provider, the provider's default chain is used
    /// (environment, profile file, instance metadata; see the crate README).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials_cache = Some(CredentialsCache::new(StaticProvider::new(credentials.clone())));
        self.credentials = Some(credentials);
        self
    }

    /// The credential for the spec's security scheme `scheme` (its name in
    /// `components/securitySchemes`): each operation sends the credentials its own `security`
    /// requirement names (see [`crate::security`]).
    pub fn security_credential(mut self, scheme: impl Into<String>, credential: SchemeCredential) -> Self {
        self.security.insert(scheme, credential);
        self
    }

    /// Credentials from `provider` (your own, or one of [`crate::credentials::huawei`] and
    /// [`crate::credentials::aliyun`]), cached and refreshed before they expire.
    pub fn credentials_provider(self, provider: impl ProvideCredentials) -> Self {
        self.credentials_cache(CredentialsCache::new(provider))
    }

    /// Credentials from a cache built by hand (another refresh window, or one cache shared by
    /// several configurations).
    pub fn credentials_cache(mut self, cache: CredentialsCache) -> Self {
        self.credentials_cache = Some(cache);
        self.credentials = None;
        self
    }

    /// The variables and home directory the default chains read (the process's by default).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// Whether the default chains ask the instance metadata service (ECS) last (default: yes).
    /// Turn it off where no metadata service can be, in tests for instance.
    pub fn instance_metadata(mut self, enabled: bool) -> Self {
        self.metadata_endpoint = if enabled { MetadataEndpoint::Default } else { MetadataEndpoint::Disabled };
        self
    }

    /// The instance metadata service the default chains ask, instead of the provider's
    /// (`http://169.254.169.254`, `http://100.100.100.200`).
    pub fn metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.metadata_endpoint = MetadataEndpoint::At(endpoint.into());
        self
    }

    /// The IAM endpoint that Huawei Cloud project ids are discovered through (default: a
    /// profile's `iam_endpoint`, else `HUAWEICLOUD_SDK_IAM_ENDPOINT`, else the region's own IAM,
    /// `https://iam.{region}.myhuaweicloud.com`, where the SDKs list one, else
    /// `https://iam.myhuaweicloud.com`).
    pub fn iam_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.iam_endpoint = Some(endpoint.into());
        self
    }

    /// Whether requests are checked against the documented constraints before anything is sent
    /// (default: yes). Turn it off when a document is stricter than its service.
    pub fn validate_requests(mut self, validate: bool) -> Self {
        self.validate_requests = Some(validate);
        self
    }

    /// The Huawei Cloud project id: fills `{project_id}` in paths unless a request gives one, and
    /// is sent as `X-Project-Id` with AK/SK signing.
    pub fn project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into());
        self
    }

    /// A value for any other parameter the spec marks `x-config-param`.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.insert(name.into(), value.into());
        self
    }

    /// How long to wait for a connection (default 10 s). Not applied to a client given with
    /// [`ConfigBuilder::http_client`], which keeps its own connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long one attempt may take, from sending to the last byte of the body (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// How long a whole call may take, retries and backoff included (default: unbounded beyond
    /// the attempts' own timeouts).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// The largest response body read whole, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`], 32 MiB). It is enforced while reading: a larger body (or
    /// `Content-Length`) ends the call with [`Error::ResponseTooLarge`] without reading the rest.
    /// Streamed downloads (`*_stream` methods) are not bounded by it.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// When and how often failed calls are retried (default [`RetryPolicy::default`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Replaces the whole `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Appends to the default `User-Agent` (`cloudspec-rust/<version> <suffix>`).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Your own `reqwest::Client` (proxies, custom TLS roots, connection pool settings).
    ///
    /// The client is used as it is:
    /// - its connect timeout is its own ([`ConfigBuilder::connect_timeout`] is not applied); the
    ///   per-attempt [`timeout`](ConfigBuilder::timeout) and the
    ///   [`operation_timeout`](ConfigBuilder::operation_timeout) still bound every call;
    /// - its redirect policy is its own. reqwest's default follows redirects and keeps custom
    ///   headers across hosts, so `X-Auth-Token`, `X-Security-Token` and `x-acs-security-token`
    ///   would go to whatever host a redirect names. Build it with
    ///   `.redirect(reqwest::redirect::Policy::none())`, as the runtime's own client is: then a
    ///   3xx comes back as an [`Error::Service`] with its status.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Sends every request to `mock`, in memory, instead of over the network (cargo feature
    /// `test-util`; see [`mock`](crate::mock)). Set an endpoint or a region as usual: requests
    /// are signed and addressed as they would be, then answered by the mock's rules.
    ///
    /// Credentials are optional: without them (or a provider), requests are signed with the
    /// mock's placeholder keys ([`mock::ACCESS_KEY_ID`](crate::mock::ACCESS_KEY_ID)), and a
    /// Huawei Cloud call with no project id uses [`mock::PROJECT_ID`](crate::mock::PROJECT_ID);
    /// the default chains, which would read the environment and profile files, are not used. A
    /// security scheme with no credential sends [`mock::TOKEN`](crate::mock::TOKEN) where a call
    /// would otherwise fail.
    /// The instance metadata service is turned off here (as
    /// [`instance_metadata(false)`](Self::instance_metadata) does), since a test has none.
    #[cfg(feature = "test-util")]
    pub fn mock(mut self, mock: &crate::mock::MockTransport) -> Self {
        self.mock = Some(mock.clone());
        self.instance_metadata(false)
    }

    /// Signs every request as if at `time` instead of now. For reproducing signatures in tests;
    /// a real service rejects stale dates.
    pub fn pinned_signing_time(mut self, time: time::OffsetDateTime) -> Self {
        self.pinned_time = Some(time);
        self
    }

    /// Uses `nonce` instead of a fresh one per request (Alibaba Cloud signing). For tests only.
    pub fn pinned_signing_nonce(mut self, nonce: impl Into<String>) -> Self {
        self.pinned_nonce = Some(nonce.into());
        self
    }

    /// The configuration.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the endpoint is not an absolute `http`/`https` URL, or carries
    /// user info (`user:password@`, which would be sent as Basic authentication), a query or a
    /// fragment; when a timeout or backoff is longer than [`MAX_DURATION`]; or when a timeout is
    /// zero (no call could succeed; a zero backoff is fine: retry at once).
    pub fn build(self) -> Result<Config, Error> {
        self.check_durations()?;
        let endpoint = match self.endpoint {
            Some(text) => Some(parse_endpoint(&text)?),
            None => None,
        };
        let mut user_agent = self.user_agent.unwrap_or_else(|| format!("cloudspec-rust/{VERSION}"));
        if let Some(suffix) = self.user_agent_suffix {
            user_agent = format!("{user_agent} {suffix}");
        }
        if let Some(iam) = &self.iam_endpoint {
            parse_endpoint(iam)?;
        }
        let credentials_source = match self.credentials_cache {
            Some(cache) => CredentialsSource::Given(cache),
            None => CredentialsSource::Default { chains: Arc::default(), metadata_endpoint: self.metadata_endpoint },
        };
        Ok(Config {
            endpoint,
            region: self.region,
            credentials: self.credentials,
            security: self.security,
            credentials_source,
            environment: self.environment.unwrap_or_default(),
            iam_endpoint: self.iam_endpoint,
            project_ids: Arc::default(),
            region_unchecked: self.region_unchecked,
            validate_requests: self.validate_requests.unwrap_or(true),
            project_id: self.project_id,
            params: self.params,
            connect_timeout: self.connect_timeout.unwrap_or(Duration::from_secs(10)),
            attempt_timeout: self.attempt_timeout.unwrap_or(Duration::from_secs(60)),
            operation_timeout: self.operation_timeout,
            max_response_bytes: self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            retry: self.retry.unwrap_or_default(),
            user_agent,
            http_client: self.http_client,
            #[cfg(feature = "test-util")]
            mock: self.mock,
            pinned_time: self.pinned_time,
            pinned_nonce: self.pinned_nonce,
        })
    }
}

impl ConfigBuilder {
    /// Refuses durations no deadline can be computed from.
    fn check_durations(&self) -> Result<(), Error> {
        let retry = self.retry.as_ref();
        let durations = [
            ("connect_timeout", self.connect_timeout),
            ("timeout", self.attempt_timeout),
            ("operation_timeout", self.operation_timeout),
            ("retry.initial_backoff", retry.map(|r| r.initial_backoff)),
            ("retry.max_backoff", retry.map(|r| r.max_backoff)),
        ];
        for (name, duration) in durations {
            // A zero timeout fails every call before it starts (and is no way to say "none").
            if duration.is_some_and(|d| d.is_zero()) && !name.starts_with("retry.") {
                return Err(Error::Config(format!(
                    "{name} of zero would fail every call; leave it unset for the default{}",
                    if name == "operation_timeout" { " (none)" } else { "" }
                )));
            }
            if let Some(duration) = duration.filter(|d| *d > MAX_DURATION) {
                return Err(Error::Config(format!(
                    "{name} of {duration:?} is longer than the largest accepted, {MAX_DURATION:?} (config::MAX_DURATION){}",
                    if name == "operation_timeout" { "; leave it unset for no operation timeout" } else { "" }
                )));
            }
        }
        Ok(())
    }
}

/// The builder of the runtime's own HTTP client: the configured connect timeout, and no
/// redirects (they would carry the credential headers to another host).
pub(crate) fn http_client_builder(config: &Config) -> reqwest::ClientBuilder {
    reqwest::Client::builder().connect_timeout(config.connect_timeout).redirect(reqwest::redirect::Policy::none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connect_timeout_reaches_the_runtimes_client_and_redirects_are_off() {
        let config = Config::builder().connect_timeout(Duration::from_millis(1500)).build().unwrap();
        let builder = format!("{:?}", http_client_builder(&config));
        assert!(builder.contains("connect_timeout: 1.5s"), "{builder}");
        assert!(builder.contains("redirect_policy"), "a non-default redirect policy is set: {builder}");
    }

    #[test]
    fn user_agent_suffix_appends() {
        let c = Config::builder().user_agent_suffix("my-app/2").build().unwrap();
        assert_eq!(c.user_agent(), format!("cloudspec-rust/{VERSION} my-app/2"));
        let c = Config::builder().user_agent("exact/1").build().unwrap();
        assert_eq!(c.user_agent(), "exact/1");
    }

    #[test]
    fn project_id_is_a_config_param() {
        let c = Config::builder().project_id("p1").param("domain_id", "d1").build().unwrap();
        assert_eq!(c.param("project_id"), Some("p1"));
        assert_eq!(c.param("domain_id"), Some("d1"));
        assert_eq!(c.param("other"), None);
    }

    #[test]
    fn durations_past_the_maximum_or_zero_timeouts_are_refused_by_name() {
        let long = MAX_DURATION + Duration::from_secs(1);
        let cases = [
            ("operation_timeout", Config::builder().operation_timeout(Duration::MAX)),
            ("timeout", Config::builder().timeout(long)),
            ("connect_timeout", Config::builder().connect_timeout(Duration::MAX)),
            (
                "retry.max_backoff",
                Config::builder().retry(RetryPolicy { max_backoff: Duration::MAX, ..RetryPolicy::default() }),
            ),
            (
                "retry.initial_backoff",
                Config::builder().retry(RetryPolicy { initial_backoff: long, ..RetryPolicy::default() }),
            ),
        ];
        for (name, builder) in cases {
            match builder.build() {
                Err(Error::Config(message)) => assert!(message.starts_with(&format!("{name} of ")), "{message}"),
                other => panic!("{name}: expected a config error, got {other:?}"),
            }
        }
        for (name, builder) in [
            ("connect_timeout", Config::builder().connect_timeout(Duration::ZERO)),
            ("timeout", Config::builder().timeout(Duration::ZERO)),
            ("operation_timeout", Config::builder().operation_timeout(Duration::ZERO)),
        ] {
            match builder.build() {
                Err(Error::Config(message)) => assert!(message.starts_with(&format!("{name} of zero")), "{message}"),
                other => panic!("{name}: expected a config error, got {other:?}"),
            }
        }
        let zero_backoff =
            RetryPolicy { initial_backoff: Duration::ZERO, max_backoff: Duration::ZERO, max_attempts: 2 };
        assert!(Config::builder().retry(zero_backoff).build().is_ok(), "retrying at once is allowed");
        let longest = Config::builder().operation_timeout(MAX_DURATION).timeout(MAX_DURATION).build().unwrap();
        assert_eq!(longest.operation_timeout, Some(MAX_DURATION));
    }

    #[test]
    fn the_response_size_limit_defaults_to_32_mib() {
        assert_eq!(Config::builder().build().unwrap().max_response_bytes, 32 * 1024 * 1024);
        assert_eq!(Config::builder().max_response_bytes(10).build().unwrap().max_response_bytes, 10);
    }
}
