//! The runtime client: endpoint resolution, signing, the retry loop and the HTTP exchange.
//!
//! One [`Client::send`] call is one logical call: it serialises the body once, then for each
//! attempt signs afresh (a new date, a new nonce), sends, reads the body within the attempt
//! timeout (and what is left of the operation timeout), and either returns, retries after a
//! backoff, or gives up with a typed error.

use crate::auth;
use crate::body::{read_at_most, read_bounded, BodyStream, ReadError, StreamingResponse};
use crate::config::Config;
use crate::config::RetryPolicy;
use crate::credentials::source::CredentialsSource;
use crate::credentials::{CredentialsCache, ProvidedCredentials};
use crate::endpoint::parse_endpoint;
use crate::error::{Error, ServiceError, ERROR_BODY_LIMIT};
use crate::options::CallOptions;
use crate::request::{OperationRequest, TokenLocation};
use crate::response::{header_request_id, Parts, RawResponse, Response};
use crate::retry::{self, Outcome};
use crate::service::{ServiceInfo, SigningScheme};
use crate::transport::{ExchangeError, Transport};
use crate::validation::Validate;
use reqwest::header::{Entry, HeaderMap};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use tracing::Instrument;

/// The shared state of every generated service client, and the per-call options of this view.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    options: Arc<CallOptions>,
}

struct Inner {
    config: Config,
    service: &'static ServiceInfo,
    transport: Transport,
    endpoint: url::Url,
    credentials: CredentialsCache,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("service", &self.inner.service.name)
            .field("endpoint", &self.endpoint().as_str())
            .field("config", &self.inner.config)
            .field("options", &self.options)
            .finish()
    }
}

impl Client {
    /// A client for `service`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when no endpoint can be resolved (a region the service's catalogue
    /// does not list is refused, naming the ones it does), or the HTTP client cannot be built.
    pub fn new(config: Config, service: &'static ServiceInfo) -> Result<Self, Error> {
        let endpoint = resolve_endpoint(&config, service)?;
        let credentials = config.credentials_for(service.signing);
        let transport = Transport::for_config(&config)?;
        Ok(Self {
            inner: Arc::new(Inner { config, service, transport, endpoint, credentials }),
            options: Arc::default(),
        })
    }

    /// A view of this client whose calls apply `options` (over the ones this view already has);
    /// it shares the connection pool, credentials and configuration. See [`CallOptions`].
    pub fn with_options(&self, options: CallOptions) -> Self {
        Self { inner: Arc::clone(&self.inner), options: Arc::new(self.options.merged(options)) }
    }

    /// The per-call options of this view.
    pub fn options(&self) -> &CallOptions {
        &self.options
    }

    /// Checks `request` against the spec's constraints, unless this view or the configuration
    /// turned validation off ([`CallOptions`], [`ConfigBuilder::validate_requests`](crate::ConfigBuilder::validate_requests)).
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] naming every field path that breaks a constraint.
    pub fn validate(&self, request: &impl Validate) -> Result<(), Error> {
        if self.validation_enabled() {
            request.validate()?;
        }
        Ok(())
    }

    /// Whether calls through this view validate their requests: the view's option, else the
    /// configuration's switch.
    pub fn validation_enabled(&self) -> bool {
        self.options.validation.unwrap_or(self.inner.config.validate_requests)
    }

    fn attempt_timeout(&self) -> Duration {
        self.options.attempt_timeout.unwrap_or(self.inner.config.attempt_timeout)
    }

    fn operation_timeout(&self) -> Option<Duration> {
        self.options.operation_timeout.or(self.inner.config.operation_timeout)
    }

    fn retry_policy(&self) -> &RetryPolicy {
        self.options.retry.as_ref().unwrap_or(&self.inner.config.retry)
    }

    /// The configuration this client was built with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The service this client calls.
    pub fn service(&self) -> &'static ServiceInfo {
        self.inner.service
    }

    /// The endpoint requests go to: this view's override, else the configured one.
    pub fn endpoint(&self) -> &url::Url {
        self.options.endpoint.as_ref().unwrap_or(&self.inner.endpoint)
    }

    /// Sends one logical call, retrying as the policy allows. Returns the 2xx response, its body
    /// read whole (refused with [`Error::ResponseTooLarge`] past
    /// [`max_response_bytes`](crate::ConfigBuilder::max_response_bytes)); an error status (a 3xx
    /// included: redirects are not followed) becomes [`Error::Service`]. What is retried is
    /// decided in [`crate::retry`].
    ///
    /// Traced as a `cloudspec.call` span (service, operation) holding one `cloudspec.attempt`
    /// span per attempt (method, path, attempt, status, request id), with an event for each
    /// transport error, timeout and retry decision. No secret is ever a field.
    #[doc(hidden)]
    pub async fn send(&self, request: OperationRequest) -> Result<RawResponse, Error> {
        let operation = request.operation;
        let limit = self.inner.config.max_response_bytes;
        let reply = self
            .send_reading(request, move |mut response| async move { read_bounded(&mut response, limit).await })
            .await?;
        Ok(RawResponse {
            operation,
            status: reply.status,
            headers: reply.headers,
            body: reply.body,
            request_id: reply.request_id,
        })
    }

    /// As [`Client::send`], but a 2xx body is not read: it comes as a [`BodyStream`] of bounded
    /// chunks, for downloads too large to hold in memory. Retries end once a 2xx status has come.
    #[doc(hidden)]
    pub async fn send_streaming(&self, request: OperationRequest) -> Result<StreamingResponse, Error> {
        let operation = request.operation;
        let idle_timeout = self.attempt_timeout();
        let reply = self.send_reading(request, |response| async move { Ok::<_, ReadError>(response) }).await?;
        let parts = Parts::new(reply.status, reply.headers, reply.request_id);
        Ok(Response::from_parts(BodyStream::new(reply.body, operation, idle_timeout), parts))
    }

    /// One logical call whose 2xx body is taken by `read` (within each attempt's timeout).
    async fn send_reading<T, F, Fut>(&self, mut request: OperationRequest, read: F) -> Result<Reply<T>, Error>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: Future<Output = Result<T, ReadError>>,
    {
        let span =
            tracing::info_span!("cloudspec.call", service = self.inner.service.name, operation = request.operation);
        let retry_safe = self.prepare_idempotency(&mut request);
        request.headers.extend(self.options.headers.iter().cloned());
        crate::security::apply(&mut request, &self.inner.config.security, self.inner.config.uses_mock())?;
        let body = auth::encode_body(self.inner.service, &request)?;
        self.call(&request, &body, retry_safe, &read).instrument(span).await
    }

    /// The retry loop, within the operation deadline.
    async fn call<T, F, Fut>(
        &self,
        request: &OperationRequest,
        body: &auth::EncodedBody,
        retry_safe: bool,
        read: &F,
    ) -> Result<Reply<T>, Error>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: Future<Output = Result<T, ReadError>>,
    {
        let (attempt_timeout, policy) = (self.attempt_timeout(), self.retry_policy());
        // A deadline past what `Instant` can hold is no deadline (build() refuses such timeouts anyway).
        let deadline =
            self.operation_timeout().and_then(|limit| Instant::now().checked_add(limit).map(|at| (at, limit)));
        let mut attempt = 1u32;
        loop {
            // An attempt gets its own timeout, or what is left of the operation's when that is less.
            let left = deadline.map(|(at, total)| (at.saturating_duration_since(Instant::now()), total));
            let (limit, reported) = match left {
                Some((left, total)) if left < attempt_timeout => (left, total),
                _ => (attempt_timeout, attempt_timeout),
            };
            let span = tracing::info_span!(
                "cloudspec.attempt",
                method = %request.method,
                path = %request.path,
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            );
            let result = self.attempt(request, body, limit, reported, read).instrument(span).await;
            let Outcome::Retry { after } = retry::classify(&result, retry_safe) else { return result };
            if attempt >= policy.max_attempts {
                tracing::info!(attempt, "not retrying: no attempts left");
                return result;
            }
            let Some(wait) = retry::backoff(policy, attempt, after) else {
                tracing::info!(attempt, retry_after = ?after, max_backoff = ?policy.max_backoff, "not retrying: the service asks for a longer wait than the policy allows");
                return result;
            };
            if deadline.is_some_and(|(at, _)| Instant::now().checked_add(wait).is_none_or(|end| end >= at)) {
                tracing::info!(attempt, ?wait, "not retrying: the wait would pass the operation timeout");
                return result;
            }
            tracing::info!(attempt, ?wait, retry_after = ?after, "retrying");
            tokio::time::sleep(wait).await;
            attempt = attempt.saturating_add(1);
        }
    }

    /// Fills in a generated idempotency token (when the caller gave none, or an empty one);
    /// returns whether the request may be retried (see [`retry::is_retry_safe`]).
    fn prepare_idempotency(&self, request: &mut OperationRequest) -> bool {
        let has_token = request.idempotency.is_some();
        if let Some((location, name, value)) = request.idempotency.take() {
            let token = value.filter(|v| !v.trim().is_empty()).unwrap_or_else(retry::new_idempotency_token);
            match location {
                TokenLocation::Query => request.query.push((name, token.into())),
                TokenLocation::Header => request.headers.push((name, token)),
            }
        }
        retry::is_retry_safe(&request.method, has_token)
    }

    /// Whether requests need the runtime's `Credentials`: a service without a signing scheme
    /// (someone else's spec, authenticated by its security schemes) needs none unless some were
    /// given; the default chains are not asked for it.
    fn needs_credentials(&self) -> bool {
        self.inner.service.signing != SigningScheme::None
            || !matches!(self.inner.config.credentials_source, CredentialsSource::Default { .. })
    }

    /// Signs `request` with `provided` and builds the HTTP request of one attempt.
    fn http_request(
        &self,
        request: &OperationRequest,
        body: &auth::EncodedBody,
        provided: Option<&ProvidedCredentials>,
    ) -> Result<reqwest::Request, Error> {
        let endpoint = self.endpoint();
        let signed = auth::sign(&self.inner.config, self.inner.service, endpoint, request, body, provided)?;
        let mut url = endpoint.clone();
        let (path, query) = signed.path_and_query();
        url.set_path(path);
        url.set_query(query);
        let mut http = reqwest::Request::new(request.method.clone(), url);
        *http.headers_mut() = signed.headers;
        if let Some(accept) = request.accept {
            // Parsed only when no header has set it (Alibaba's signer always has).
            if let Entry::Vacant(entry) = http.headers_mut().entry(reqwest::header::ACCEPT) {
                if let Ok(value) = reqwest::header::HeaderValue::from_str(accept) {
                    entry.insert(value);
                }
            }
        }
        // A reference-counted handle, not a copy of the body.
        *http.body_mut() = Some(body.bytes.clone().into());
        Ok(http)
    }

    /// One attempt within `limit` (a timeout reports `reported`): sign, send, take a 2xx body
    /// with `read` or an error body up to [`ERROR_BODY_LIMIT`], classify the status.
    async fn attempt<T, F, Fut>(
        &self,
        request: &OperationRequest,
        body: &auth::EncodedBody,
        limit: Duration,
        reported: Duration,
        read: &F,
    ) -> Result<Reply<T>, Error>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: Future<Output = Result<T, ReadError>>,
    {
        // Fetched (or refreshed) outside the attempt's timeout: providers bound their own calls.
        let provided = match self.needs_credentials() {
            true => Some(self.inner.credentials.resolve().await?),
            false => None,
        };
        let http = self.http_request(request, body, provided.as_deref())?;
        let (service, validated) = (self.inner.service, self.validation_enabled());
        let started = Instant::now();
        let exchange = async {
            let mut response = self.inner.transport.send(service, request, validated, http).await?;
            let status = response.status().as_u16();
            // Taken, not cloned: reading the body needs only the body.
            let headers = std::mem::take(response.headers_mut());
            let body = if (200..300).contains(&status) {
                Ok(read(response).await)
            } else {
                Err(read_at_most(&mut response, ERROR_BODY_LIMIT).await?)
            };
            Ok::<_, ExchangeError>((status, headers, body))
        };
        let (status, headers, body) = match tokio::time::timeout(limit, exchange).await {
            Err(_) => {
                tracing::warn!(timeout = ?reported, "attempt timed out");
                return Err(Error::Timeout { operation: request.operation, after: reported });
            }
            Ok(Err(e)) => return Err(self.failed_exchange(request.operation, e, started)),
            Ok(Ok(parts)) => parts,
        };
        let request_id = header_request_id(&headers);
        let span = tracing::Span::current();
        span.record("status", status);
        if let Some(id) = &request_id {
            span.record("request_id", tracing::field::display(id));
        }
        tracing::debug!(status, elapsed = ?started.elapsed(), "response");
        match body {
            Ok(Ok(body)) => Ok(Reply { status, headers, request_id, body }),
            Ok(Err(ReadError::Transport(e))) => {
                Err(self.failed_exchange(request.operation, ExchangeError::Http(e), started))
            }
            Ok(Err(ReadError::TooLarge)) => {
                let limit = self.inner.config.max_response_bytes;
                tracing::warn!(limit, "response body larger than max_response_bytes");
                Err(Error::ResponseTooLarge { operation: request.operation, status, limit, request_id })
            }
            Err(error_body) => Err(Error::Service(Box::new(ServiceError::from_response(
                request.operation,
                status,
                headers,
                &error_body,
                self.inner.service.error_codes,
            )))),
        }
    }

    /// The error for a failed HTTP exchange: a timeout of the HTTP client's own, or a transport error.
    fn failed_exchange(&self, operation: &'static str, e: ExchangeError, started: Instant) -> Error {
        let e = match e {
            ExchangeError::Http(e) => e,
            ExchangeError::Simulated(message) => {
                tracing::warn!(error = %message, "transport error (mock)");
                return Error::Transport { operation, message, source: None };
            }
        };
        if e.is_timeout() {
            tracing::warn!(elapsed = ?started.elapsed(), "attempt timed out in the HTTP client");
            return Error::Timeout { operation, after: started.elapsed() };
        }
        transport_error(operation, e)
    }
}

/// A 2xx reply of one attempt, its body as the call's reader took it.
struct Reply<T> {
    status: u16,
    headers: HeaderMap,
    request_id: Option<String>,
    body: T,
}

/// [`Error::Transport`] for `e`, logged, without the URL (which may carry a signed query).
pub(crate) fn transport_error(operation: &'static str, e: reqwest::Error) -> Error {
    let message = describe_transport(&e);
    tracing::warn!(error = %message, "transport error");
    Error::Transport { operation, message, source: Some(e.without_url()) }
}

/// A transport error's message, without the URL (which may carry a signed query).
fn describe_transport(e: &reqwest::Error) -> String {
    let kind = if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "the response body could not be read"
    } else if e.is_request() {
        "the request could not be sent"
    } else {
        "HTTP error"
    };
    let mut message = kind.to_owned();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// The endpoint a client talks to: the explicit one, else the region's in the service's
/// catalogue, else (for an unchecked region, or a service without a catalogue) the spec's
/// template with the region.
fn resolve_endpoint(config: &Config, service: &ServiceInfo) -> Result<url::Url, Error> {
    if let Some(endpoint) = &config.endpoint {
        return Ok(endpoint.clone());
    }
    if let (Some(region), false) = (config.region.as_deref(), service.regions.is_empty()) {
        if let Some(known) = service.region(region) {
            return parse_endpoint(known.endpoint);
        }
        if !config.region_unchecked {
            let known: Vec<&str> = service.regions.iter().map(|r| r.id).collect();
            return Err(Error::Config(format!(
                "{} is not offered in region {region:?} as far as this SDK knows; known regions: {}. \
                 For a newer region use Config::builder().region_unchecked(..) or .endpoint(..)",
                service.name,
                known.join(", ")
            )));
        }
    }
    let template = service
        .endpoint_template
        .ok_or_else(|| Error::Config(format!("the {} spec has no server URL: configure an endpoint", service.name)))?;
    let region = config.region.as_deref().or(if template.contains("{region}") { None } else { Some("") });
    let Some(region) = region else {
        return Err(Error::Config(format!(
            "no region or endpoint configured for {}: set Config::builder().region(..) or .endpoint(..)",
            service.name
        )));
    };
    parse_endpoint(&template.replace("{region}", region))
}

#[path = "client_params.rs"]
mod params;
pub use params::ConfigValue;

#[cfg(test)]
#[path = "client_accept_tests.rs"]
mod accept_tests;
#[cfg(test)]
#[path = "../tests/support/server.rs"]
mod test_server;

#[cfg(test)]
mod tests {
    use super::test_server::{Reply, Server};
    use super::*;
    use crate::config::RetryPolicy;
    use crate::credentials::Credentials;
    use crate::service::SigningScheme;

    static SERVICE: ServiceInfo = ServiceInfo {
        name: "cdm",
        endpoint_template: Some("https://cdm.{region}.myhuaweicloud.com"),
        signing: SigningScheme::HuaweiSdkHmacSha256,
        api_version: "v1.1",
        error_codes: &[],
        regions: &[],
    };

    #[test]
    fn endpoint_from_region_or_explicit() {
        let c = Config::builder().region("cn-east-3").build().unwrap();
        assert_eq!(resolve_endpoint(&c, &SERVICE).unwrap().as_str(), "https://cdm.cn-east-3.myhuaweicloud.com/");
        let c = Config::builder().region("cn-east-3").endpoint("http://127.0.0.1:9000").build().unwrap();
        assert_eq!(resolve_endpoint(&c, &SERVICE).unwrap().as_str(), "http://127.0.0.1:9000/");
        let c = Config::builder().build().unwrap();
        assert!(matches!(resolve_endpoint(&c, &SERVICE), Err(Error::Config(m)) if m.contains("region")));
    }

    #[test]
    fn an_empty_idempotency_token_is_replaced_and_still_makes_the_request_retryable() {
        let client = Client::new(Config::builder().region("r").build().unwrap(), &SERVICE).unwrap();
        for given in [None, Some(String::new()), Some("  ".to_owned())] {
            let mut request = OperationRequest::new("Op", reqwest::Method::POST, "/x".to_owned());
            request.idempotency_token(TokenLocation::Query, "Token", given.clone());
            assert!(client.prepare_idempotency(&mut request), "{given:?}");
            let (name, token) = &request.query[0];
            let crate::signing::QueryValue::Text(token) = token else { panic!("{token:?}") };
            assert_eq!((name.as_str(), token.len()), ("Token", 32), "{given:?}: {token:?}");
        }
        let mut request = OperationRequest::new("Op", reqwest::Method::POST, "/x".to_owned());
        request.idempotency_token(TokenLocation::Header, "X-Token", Some("mine".to_owned()));
        assert!(client.prepare_idempotency(&mut request));
        assert_eq!(request.headers, [("X-Token".to_owned(), "mine".to_owned())]);
        assert!(
            !client.prepare_idempotency(&mut OperationRequest::new("Op", reqwest::Method::POST, "/x".to_owned())),
            "a POST without a token"
        );
    }

    #[tokio::test]
    async fn missing_config_param_names_it() {
        let client = Client::new(Config::builder().region("r").build().unwrap(), &SERVICE).unwrap();
        let given = client.resolve_param("project_id", Some("given")).await.unwrap();
        assert_eq!(given.as_str(), "given");
        let err = client.configured("project_id").unwrap_err();
        assert!(err.to_string().contains("`project_id` is not set"), "{err}");
    }

    /// A client of `server` with durations no `ConfigBuilder` accepts, as a mistake in the
    /// runtime could produce them: endless connect and attempt timeouts, and these.
    fn client_with(server: &Server, operation_timeout: Duration, max_backoff: Duration) -> Client {
        let mut config =
            Config::builder().endpoint(&server.endpoint).credentials(Credentials::token("t")).build().unwrap();
        config.connect_timeout = Duration::MAX;
        config.attempt_timeout = Duration::MAX;
        config.operation_timeout = Some(operation_timeout);
        config.retry = RetryPolicy { max_attempts: 3, initial_backoff: Duration::from_millis(1), max_backoff };
        Client::new(config, &SERVICE).unwrap()
    }

    fn get() -> OperationRequest {
        OperationRequest::new("Get", reqwest::Method::GET, "/x".to_owned())
    }

    #[tokio::test]
    async fn an_endless_retry_after_within_an_endless_backoff_does_not_panic() {
        let head = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 18446744073709551615\r\nContent-Length: 0\r\n\r\n";
        let server = Server::start(Reply::Fixed { head: head.to_owned(), body: Vec::new() }).await;
        let client = client_with(&server, Duration::from_secs(30), Duration::MAX);
        let err = client.send(get()).await.unwrap_err();
        let service = err.as_service_error().expect("the 503 is returned");
        assert_eq!((service.status, service.retry_after()), (503, Some(Duration::from_secs(u64::MAX))));
    }

    #[tokio::test]
    async fn an_endless_operation_timeout_does_not_panic() {
        let head = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n";
        let server = Server::start(Reply::Fixed { head: head.to_owned(), body: b"{}".to_vec() }).await;
        let client = client_with(&server, Duration::MAX, Duration::MAX);
        assert_eq!(client.send(get()).await.unwrap().body(), b"{}");
    }
}
