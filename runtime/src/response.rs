//! A successful call's response: [`Response<T>`], the decoded body with the status, headers and
//! request id it came with; and the raw 2xx response generated code decodes it from.

use crate::error::{Error, ERROR_BODY_LIMIT};
use bytes::Bytes;
use reqwest::header::HeaderMap;
use std::ops::{Deref, DerefMut};

/// A successful call: the decoded body `T`, with the HTTP status, the response headers and the
/// request id the service gave it.
///
/// Every generated operation method returns one. It dereferences to `T`, so fields and methods
/// of the body are reached directly; [`into_inner`](Self::into_inner) takes the body out,
/// [`into_parts`](Self::into_parts) takes it apart.
///
/// # Example
///
/// ```
/// use cloudspec_runtime::response::{Parts, Response};
/// use reqwest::header::{HeaderMap, HeaderValue};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// // What a generated method returns (built by hand here, as a test double would be).
/// let mut headers = HeaderMap::new();
/// headers.insert("x-request-id", HeaderValue::from_static("req-42"));
/// let response = Response::from_parts(vec!["cluster-1".to_owned()], Parts::new(200, headers, Some("req-42".into())));
///
/// assert_eq!(response.len(), 1, "the body's methods, through Deref");
/// assert_eq!(response.status(), 200);
/// assert_eq!(response.request_id(), Some("req-42"));
/// assert_eq!(response.headers()["x-request-id"], "req-42");
///
/// let (clusters, parts) = response.into_parts();
/// assert_eq!(clusters, ["cluster-1"]);
/// assert_eq!(parts.request_id.as_deref(), Some("req-42"));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Response<T> {
    body: T,
    parts: Parts,
}

/// What a [`Response`] carries besides its body.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Parts {
    /// The HTTP status (2xx).
    pub status: u16,
    /// The response headers, as received.
    pub headers: HeaderMap,
    /// The service's request id (`X-Request-Id` or the service's own header), to quote to support.
    pub request_id: Option<String>,
}

/// The request id header, whichever of the providers' names it has.
pub(crate) fn header_request_id(headers: &HeaderMap) -> Option<String> {
    ["x-request-id", "x-acs-request-id", "request-id", "x-openstack-request-id"]
        .iter()
        .find_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()).map(str::to_owned))
}

impl Parts {
    /// Parts with this status, these headers and this request id.
    pub fn new(status: u16, headers: HeaderMap, request_id: Option<String>) -> Self {
        Self { status, headers, request_id }
    }
}

impl<T> Response<T> {
    /// A response from its body and parts (what the runtime builds; useful for test doubles).
    pub fn from_parts(body: T, parts: Parts) -> Self {
        Self { body, parts }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.parts.status
    }

    /// The response headers, as received.
    pub fn headers(&self) -> &HeaderMap {
        &self.parts.headers
    }

    /// The service's request id, when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.parts.request_id.as_deref()
    }

    /// The decoded body, without the metadata.
    pub fn into_inner(self) -> T {
        self.body
    }

    /// The decoded body and the metadata, apart.
    pub fn into_parts(self) -> (T, Parts) {
        (self.body, self.parts)
    }

    /// The same response with its body turned into another value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response { body: f(self.body), parts: self.parts }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

impl<T> DerefMut for Response<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.body
    }
}

impl<T> AsRef<T> for Response<T> {
    fn as_ref(&self) -> &T {
        &self.body
    }
}

/// A 2xx response with its whole body read (at most
/// [`max_response_bytes`](crate::ConfigBuilder::max_response_bytes)), before decoding: what
/// generated methods turn into a [`Response<T>`].
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub(crate) operation: &'static str,
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) request_id: Option<String>,
}

impl RawResponse {
    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as a vector (without copying when the body is not shared).
    pub fn into_bytes(self) -> Vec<u8> {
        self.body.into()
    }

    /// The body, taken out (for binary responses; the metadata stays).
    pub fn take_body(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.body).into()
    }

    /// The decoded `body` with this response's status, headers and request id.
    pub fn into_response<T>(self, body: T) -> Response<T> {
        Response::from_parts(body, Parts::new(self.status, self.headers, self.request_id))
    }

    /// The body decoded as JSON into `T`.
    ///
    /// # Errors
    ///
    /// [`Error::UndecodableResponse`] with the status, request id and raw body when it is not.
    /// An empty body (a 204 the spec gives a schema, say) reads as JSON `null`: it decodes into
    /// untyped JSON or an `Option`, and is an error for anything that needs a value.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        let body: &[u8] = if self.body.is_empty() { b"null" } else { &self.body };
        serde_json::from_slice(body).map_err(|e| self.undecodable(format!("the body is not the documented JSON: {e}")))
    }

    /// The body as UTF-8 text.
    pub fn text(&self) -> Result<String, Error> {
        std::str::from_utf8(&self.body)
            .map(str::to_owned)
            .map_err(|e| self.undecodable(format!("the body is not UTF-8: {e}")))
    }

    /// For operations documented without a response body: whatever came is ignored.
    pub fn empty(&self) -> Result<(), Error> {
        Ok(())
    }

    /// The error for a success status the spec does not document for this operation.
    pub fn unexpected_status(&self) -> Error {
        self.undecodable(format!("HTTP {} is not a documented response of this operation", self.status))
    }

    fn undecodable(&self, reason: String) -> Error {
        Error::UndecodableResponse {
            operation: self.operation,
            status: self.status,
            request_id: self.request_id.clone(),
            // An excerpt, not a second copy of what may be a large body.
            body: String::from_utf8_lossy(&self.body[..self.body.len().min(ERROR_BODY_LIMIT)]).into_owned(),
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn raw(body: &[u8]) -> RawResponse {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", HeaderValue::from_static("req-1"));
        headers.insert("etag", HeaderValue::from_static("\"v2\""));
        RawResponse {
            operation: "Op",
            status: 201,
            headers,
            body: Bytes::copy_from_slice(body),
            request_id: Some("req-1".into()),
        }
    }

    #[test]
    fn a_decoded_response_keeps_status_headers_and_request_id() {
        let raw = raw(br#"{"name": "c1"}"#);
        let body: serde_json::Value = raw.json().unwrap();
        let response = raw.into_response(body);
        assert_eq!(response["name"], "c1", "the body through Deref");
        assert_eq!((response.status(), response.request_id()), (201, Some("req-1")));
        assert_eq!(response.headers()["etag"], "\"v2\"");
        let (body, parts) = response.into_parts();
        assert_eq!(body, serde_json::json!({"name": "c1"}));
        assert_eq!((parts.status, parts.request_id.as_deref()), (201, Some("req-1")));
    }

    #[test]
    fn a_taken_binary_body_leaves_the_metadata() {
        let mut raw = raw(b"\x00\xff");
        let bytes = raw.take_body();
        let response = raw.into_response(bytes).map(|b| b.len());
        assert_eq!((*response, response.status()), (2, 201));
        assert_eq!(response.into_inner(), 2);
    }

    #[test]
    fn an_empty_body_is_json_null() {
        assert_eq!(raw(b"").json::<serde_json::Value>().unwrap(), serde_json::Value::Null);
        assert_eq!(raw(b"").json::<Option<Vec<u8>>>().unwrap(), None);
        let err = raw(b"").json::<Vec<u8>>().unwrap_err();
        assert!(err.to_string().contains("not the documented JSON"), "{err}");
    }

    #[test]
    fn undecodable_bodies_are_errors_with_the_request_id() {
        let err = raw(b"not json").json::<serde_json::Value>().unwrap_err();
        assert_eq!(err.request_id(), Some("req-1"));
        assert!(err.to_string().contains("not the documented JSON"), "{err}");
    }
}
