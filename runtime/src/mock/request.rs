//! One request as a mock rule saw it: what tests assert on.

use super::OperationId;
use bytes::Bytes;
use reqwest::header::HeaderMap;
use std::any::Any;
use std::fmt;
use std::sync::Arc;

/// The typed request a call was made with, shared by every attempt's record.
pub(crate) type Input = Arc<dyn Any + Send + Sync>;

/// What the client tells the mock beside the HTTP request of one attempt.
pub(super) struct Sent {
    pub(super) operation: OperationId,
    pub(super) input: Option<Input>,
    pub(super) validated: bool,
    pub(super) sequence: u64,
}

/// One attempt as it would have gone on the wire (signed, with the client's headers), plus the
/// operation it is for, the typed request it was made from, and whether the client validated
/// it first.
#[derive(Clone)]
pub struct MockRequest {
    operation: OperationId,
    input: Option<Input>,
    validated: bool,
    method: reqwest::Method,
    url: url::Url,
    headers: HeaderMap,
    body: Bytes,
    sequence: u64,
}

impl fmt::Debug for MockRequest {
    /// Operation, method and path only: headers carry signatures and tokens.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockRequest")
            .field("operation", &self.operation)
            .field("method", &self.method.as_str())
            .field("path", &self.path())
            .finish_non_exhaustive()
    }
}

impl MockRequest {
    pub(super) fn from_http(sent: Sent, request: reqwest::Request) -> Self {
        let body = request.body().and_then(reqwest::Body::as_bytes).map(Bytes::copy_from_slice).unwrap_or_default();
        Self {
            operation: sent.operation,
            input: sent.input,
            validated: sent.validated,
            method: request.method().clone(),
            url: request.url().clone(),
            headers: request.headers().clone(),
            body,
            sequence: sent.sequence,
        }
    }

    pub(super) fn sequence(&self) -> u64 {
        self.sequence
    }

    /// The operation that sent the request (compare it with a generated `operation_ids`
    /// constant; [`OperationId::name`] is the `operationId`).
    pub fn operation(&self) -> OperationId {
        self.operation
    }

    /// The typed request the client method was called with, when it is a `T`
    /// (`sent.input::<cdm::ShowClusterDetailRequest>()`); `None` for another type, or a call of
    /// the runtime's own (IAM's).
    pub fn input<T: Any>(&self) -> Option<&T> {
        self.input.as_deref()?.downcast_ref()
    }

    /// Whether the client checked the request against the spec's constraints before sending
    /// (off when the call's [`CallOptions`](crate::CallOptions) turned validation off).
    pub fn validated(&self) -> bool {
        self.validated
    }

    /// The HTTP method (`GET`, `POST`, ...).
    pub fn method(&self) -> &str {
        self.method.as_str()
    }

    /// The path, percent-encoded as sent (`/v1.1/my-project/clusters/c-1`), endpoint prefix included.
    pub fn path(&self) -> &str {
        self.url.path()
    }

    /// The host the request went to (the endpoint's, or a per-call endpoint's).
    pub fn host(&self) -> Option<&str> {
        self.url.host_str()
    }

    /// The query parameters, decoded, in order.
    pub fn query(&self) -> Vec<(String, String)> {
        self.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
    }

    /// The first value of query parameter `name`, decoded.
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
    }

    /// The headers as sent (signing headers included).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The first value of header `name` (any case), when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body bytes as sent.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body parsed as JSON (`None` when it is empty or not JSON).
    pub fn body_json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}
