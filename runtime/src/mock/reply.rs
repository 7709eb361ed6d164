//! What a mock rule answers with.

use crate::service::{ServiceInfo, SigningScheme};
use bytes::Bytes;
use serde::Serialize;
use std::time::Duration;

/// One answer of a [`Rule`](super::Rule): a response, or a transport error, after an optional
/// delay (which counts against the client's timeouts, as a slow server's would).
#[derive(Debug, Clone)]
pub struct Reply {
    kind: Kind,
    headers: Vec<(String, String)>,
    delay: Duration,
}

#[derive(Debug, Clone)]
enum Kind {
    Response { status: u16, body: Bytes },
    ServiceError { status: u16, code: String, message: String },
    TransportError(String),
}

impl Reply {
    fn of(kind: Kind) -> Self {
        Self { kind, headers: Vec::new(), delay: Duration::ZERO }
    }

    /// A typed response: `body` (the operation's response model) as JSON, with `status`.
    ///
    /// # Panics
    ///
    /// When `body` cannot be serialised (a map with non-text keys).
    pub fn json(status: u16, body: &impl Serialize) -> Self {
        let bytes = serde_json::to_vec(body).unwrap_or_else(|e| panic!("the mock reply does not serialise: {e}"));
        Self::of(Kind::Response { status, body: bytes.into() }).header("Content-Type", "application/json")
    }

    /// A response with `status` and an empty body (set one with [`Reply::body`]).
    pub fn status(status: u16) -> Self {
        Self::of(Kind::Response { status, body: Bytes::new() })
    }

    /// The service's error response: `code` and `message` in the error body shape of the
    /// service's provider (Huawei's `error_code`/`error_msg`, Alibaba's `Code`/`Message`), as
    /// the client decodes into [`ServiceError`](crate::ServiceError).
    pub fn service_error(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::of(Kind::ServiceError { status, code: code.into(), message: message.into() })
    }

    /// A failed exchange (a refused or broken connection): the client sees
    /// [`Error::Transport`](crate::Error::Transport) with `message`, and retries as it would.
    pub fn transport_error(message: impl Into<String>) -> Self {
        Self::of(Kind::TransportError(message.into()))
    }

    /// This response's body, as given (no-op on a service or transport error).
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        if let Kind::Response { body: current, .. } = &mut self.kind {
            *current = body.into();
        }
        self
    }

    /// A response header (`Retry-After`, `X-Request-Id`, ...).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Answers only after `delay`.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// The response for `service`, after the delay.
    pub(super) async fn render(self, service: &ServiceInfo) -> Result<reqwest::Response, String> {
        if !self.delay.is_zero() {
            tokio::time::sleep(self.delay).await;
        }
        let (status, body, content_type) = match self.kind {
            Kind::TransportError(message) => return Err(message),
            Kind::Response { status, body } => (status, body, None),
            Kind::ServiceError { status, code, message } => {
                let body = match service.signing {
                    SigningScheme::AliyunAcsHmacSha1 => serde_json::json!({"Code": code, "Message": message}),
                    _ => serde_json::json!({"error_code": code, "error_msg": message}),
                };
                (status, Bytes::from(body.to_string()), Some("application/json"))
            }
        };
        let mut response = http::Response::builder().status(status);
        if let Some(content_type) = content_type {
            response = response.header("Content-Type", content_type);
        }
        for (name, value) in &self.headers {
            response = response.header(name, value);
        }
        let response = response.body(body).unwrap_or_else(|e| panic!("the mock reply is not a valid response: {e}"));
        Ok(reqwest::Response::from(response))
    }
}
