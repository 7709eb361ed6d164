//! The runtime client: endpoint resolution, signing, the retry loop and the HTTP exchange.
//!
//! One [`Client::send`] call is one logical call: it serialises the body once, then for each
//! attempt signs afresh (a new date, a new nonce), sends, reads the whole body within the attempt
//! timeout, and either returns, retries after a backoff, or gives up with a typed error.

use crate::auth;
use crate::config::{parse_endpoint, Config};
use crate::error::{Error, ServiceError};
use crate::request::{OperationRequest, TokenLocation};
use crate::response::Response;
use crate::retry::{self, Outcome};
use crate::service::ServiceInfo;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::sync::Arc;
use std::time::Instant;
use tracing::Instrument;

/// The shared state of every generated service client.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    service: &'static ServiceInfo,
    http: reqwest::Client,
    endpoint: url::Url,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("service", &self.inner.service.name).field("endpoint", &self.inner.endpoint.as_str()).field("config", &self.inner.config).finish()
    }
}

impl Client {
    /// A client for `service`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when no endpoint can be resolved, or the HTTP client cannot be built.
    pub fn new(config: Config, service: &'static ServiceInfo) -> Result<Self, Error> {
        let endpoint = resolve_endpoint(&config, service)?;
        let http = match &config.http_client {
            Some(client) => client.clone(),
            None => reqwest::Client::builder()
                .connect_timeout(config.connect_timeout)
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(Self { inner: Arc::new(Inner { config, service, http, endpoint }) })
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub fn service(&self) -> &'static ServiceInfo {
        self.inner.service
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &url::Url {
        &self.inner.endpoint
    }

    /// The value of a parameter the configuration can supply: `given` when the caller set one,
    /// else the configuration's.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming the parameter when neither has it.
    pub fn config_param(&self, name: &str, given: Option<&str>) -> Result<String, Error> {
        if let Some(value) = given {
            return Ok(value.to_owned());
        }
        self.inner.config.param(name).map(str::to_owned).ok_or_else(|| {
            Error::Config(format!("`{name}` is not set: give it in the request or configure it (Config::builder().{})", if name == "project_id" { "project_id(..)".to_owned() } else { format!("param(\"{name}\", ..)") }))
        })
    }

    /// Sends one logical call, retrying as the policy allows. Returns the 2xx response; an error
    /// status becomes [`Error::Service`].
    pub async fn send(&self, mut request: OperationRequest) -> Result<Response, Error> {
        let span = tracing::info_span!(
            "cloudspec.request",
            service = self.inner.service.name,
            operation = request.operation,
            method = %request.method,
            path = %request.path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let retry_safe = self.prepare_idempotency(&mut request);
        let body = auth::encode_body(self.inner.service, &request)?;
        let operation = async {
            let policy = &self.inner.config.retry;
            let mut attempt = 1u32;
            loop {
                tracing::Span::current().record("attempt", attempt);
                let result = self.attempt(&request, &body).await;
                let outcome = retry::classify(&result, retry_safe);
                match (outcome, attempt < policy.max_attempts) {
                    (Outcome::Retry { after }, true) => {
                        let delay = retry::backoff(policy, attempt, after);
                        tracing::debug!(attempt, ?delay, "retrying");
                        tokio::time::sleep(delay).await;
                        attempt += 1;
                    }
                    _ => return result,
                }
            }
        };
        let operation = operation.instrument(span);
        match self.inner.config.operation_timeout {
            Some(limit) => tokio::time::timeout(limit, operation).await.unwrap_or(Err(Error::Timeout { operation: request.operation, after: limit })),
            None => operation.await,
        }
    }

    /// Fills in a generated idempotency token; returns whether the request may be retried.
    fn prepare_idempotency(&self, request: &mut OperationRequest) -> bool {
        if let Some((location, name, value)) = request.idempotency.take() {
            let token = value.unwrap_or_else(retry::new_idempotency_token);
            match location {
                TokenLocation::Query => request.query.push((name, token)),
                TokenLocation::Header => request.headers.push((name, token)),
            }
            return true;
        }
        !matches!(request.method, reqwest::Method::POST | reqwest::Method::PATCH)
    }

    /// One attempt: sign, send, read the whole body, classify the status.
    async fn attempt(&self, request: &OperationRequest, body: &auth::EncodedBody) -> Result<Response, Error> {
        let signed = auth::sign(&self.inner.config, self.inner.service, &self.inner.endpoint, request, body)?;
        let mut url = self.inner.endpoint.clone();
        url.set_path(&join_path(self.inner.endpoint.path(), &signed.path));
        url.set_query(signed.query.as_deref());
        let mut headers = HeaderMap::new();
        for (name, value) in &signed.headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| Error::Encode { operation: request.operation, message: format!("header name {name:?}: {e}") })?;
            let value = HeaderValue::from_bytes(value.as_bytes()).map_err(|e| Error::Encode { operation: request.operation, message: format!("header {name}: {e}") })?;
            headers.append(name, value);
        }
        let builder = self.inner.http.request(request.method.clone(), url).headers(headers).body(body.bytes.clone());
        let limit = self.inner.config.attempt_timeout;
        let started = Instant::now();
        let exchange = async {
            let response = builder.send().await?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let bytes = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, headers, bytes.to_vec()))
        };
        let (status, headers, bytes) = match tokio::time::timeout(limit, exchange).await {
            Err(_) => return Err(Error::Timeout { operation: request.operation, after: limit }),
            Ok(Err(e)) if e.is_timeout() => return Err(Error::Timeout { operation: request.operation, after: started.elapsed() }),
            Ok(Err(e)) => {
                return Err(Error::Transport { operation: request.operation, message: describe_transport(&e), source: Some(e.without_url()) })
            }
            Ok(Ok(parts)) => parts,
        };
        let request_id = request_id(&headers);
        let span = tracing::Span::current();
        span.record("status", status);
        if let Some(id) = &request_id {
            span.record("request_id", id.as_str());
        }
        tracing::debug!(status, elapsed = ?started.elapsed(), "response");
        if (200..300).contains(&status) {
            return Ok(Response { operation: request.operation, status, headers, body: bytes, request_id });
        }
        let retry_after = retry::retry_after(&headers);
        Err(Error::Service(Box::new(ServiceError::from_response(request.operation, status, request_id, retry_after, &bytes, self.inner.service.error_codes))))
    }
}

/// The request id header, whichever of the providers' names it has.
fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-request-id", "x-acs-request-id", "request-id", "x-openstack-request-id"]
        .iter()
        .find_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()).map(str::to_owned))
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

/// The endpoint a client talks to: the explicit one, else the spec's template with the region.
fn resolve_endpoint(config: &Config, service: &ServiceInfo) -> Result<url::Url, Error> {
    if let Some(endpoint) = &config.endpoint {
        return Ok(endpoint.clone());
    }
    let template = service.endpoint_template.ok_or_else(|| Error::Config(format!("the {} spec has no server URL: configure an endpoint", service.name)))?;
    let region = config.region.as_deref().or(if template.contains("{region}") { None } else { Some("") });
    let Some(region) = region else {
        return Err(Error::Config(format!("no region or endpoint configured for {}: set Config::builder().region(..) or .endpoint(..)", service.name)));
    };
    parse_endpoint(&template.replace("{region}", region))
}

/// Joins an endpoint's path prefix (for gateways that mount an API under a path) and the
/// operation's path.
fn join_path(prefix: &str, path: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    format!("{prefix}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::SigningScheme;

    static SERVICE: ServiceInfo = ServiceInfo {
        name: "cdm",
        endpoint_template: Some("https://cdm.{region}.myhuaweicloud.com"),
        default_region: Some("cn-north-4"),
        signing: SigningScheme::HuaweiSdkHmacSha256,
        api_version: "v1.1",
        error_codes: &[],
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
    fn missing_config_param_names_it() {
        let client = Client::new(Config::builder().region("r").build().unwrap(), &SERVICE).unwrap();
        assert_eq!(client.config_param("project_id", Some("given")).unwrap(), "given");
        let err = client.config_param("project_id", None).unwrap_err();
        assert!(err.to_string().contains("`project_id` is not set"), "{err}");
    }

    #[test]
    fn path_prefix_is_kept() {
        assert_eq!(join_path("/", "/v1/x"), "/v1/x");
        assert_eq!(join_path("/gw/", "/v1/x"), "/gw/v1/x");
    }
}
