//! The one error type every SDK call returns, and the service errors decoded from every error
//! body shape these APIs use.

use crate::response::header_request_id;
use crate::service::{find_error_code, ErrorCode};
use crate::signing::SigningError;
use crate::validation::ValidationError;
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::fmt;
use std::time::Duration;

/// Everything that can go wrong in a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration cannot serve this call (no endpoint, no project id, a bad URL...).
    #[error("configuration error: {0}")]
    Config(String),
    /// Credentials are missing or incomplete.
    #[error(transparent)]
    Credentials(#[from] crate::credentials::CredentialsError),
    /// The request breaks a documented constraint; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The request body or a header could not be encoded.
    #[error("cannot encode the request of {operation}: {message}")]
    Encode {
        /// The operation (`CreateCluster`).
        operation: &'static str,
        /// What could not be encoded, and why.
        message: String,
    },
    /// The request could not be signed; nothing was sent.
    #[error("cannot sign the request of {operation}: {source}")]
    Signing {
        /// The operation (`CreateCluster`).
        operation: &'static str,
        /// Why the signer refused the request.
        #[source]
        source: SigningError,
    },
    /// The connection failed, or the response could not be read.
    #[error("transport error in {operation}: {message}")]
    Transport {
        /// The operation (`CreateCluster`).
        operation: &'static str,
        /// What failed, with the chain of causes (never the URL, which may carry a signed query).
        message: String,
        /// The HTTP client's error.
        #[source]
        source: Option<reqwest::Error>,
    },
    /// No complete response within the configured time.
    #[error("{operation} timed out after {after:?}")]
    Timeout {
        /// The operation (`CreateCluster`).
        operation: &'static str,
        /// The timeout that passed (the attempt's, or the operation's when that was shorter).
        after: Duration,
    },
    /// The service answered with an error status.
    #[error(transparent)]
    Service(Box<ServiceError>),
    /// The service answered, but not with what the spec documents.
    #[error("undecodable response to {operation} (HTTP {status}{}): {reason}", request_id.as_deref().map(|r| format!(", request id {r}")).unwrap_or_default())]
    UndecodableResponse {
        /// The operation (`CreateCluster`).
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The request id the service assigned, when a header carries one.
        request_id: Option<String>,
        /// The start of the raw body, as text (lossy for non-UTF-8 bytes): at most its first
        /// [`ERROR_BODY_LIMIT`] bytes.
        body: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The response body is larger than the configured
    /// [`max_response_bytes`](crate::ConfigBuilder::max_response_bytes); reading stopped there.
    #[error("the response to {operation} (HTTP {status}{}) is larger than the limit of {limit} bytes (max_response_bytes)", request_id.as_deref().map(|r| format!(", request id {r}")).unwrap_or_default())]
    ResponseTooLarge {
        /// The operation (`DownloadSSLcerts`).
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The limit in bytes that the body passed.
        limit: usize,
        /// The request id the service assigned, when a header carries one.
        request_id: Option<String>,
    },
}

impl Error {
    /// Whether trying the same call again may succeed, by the rules of [`crate::retry`].
    pub fn is_retryable(&self) -> bool {
        crate::retry::is_retryable(self)
    }

    /// The service error, if this is one.
    pub fn as_service_error(&self) -> Option<&ServiceError> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The request id the service assigned, when there was a response.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(e) => e.request_id.as_deref(),
            Error::UndecodableResponse { request_id, .. } | Error::ResponseTooLarge { request_id, .. } => {
                request_id.as_deref()
            }
            _ => None,
        }
    }
}

/// An error status from the service, with what its body and headers say.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ServiceError {
    /// The operation that failed (`CreateCluster`).
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The service's error code (`CDM.0002`, `APIC.7211`, `InvalidName`), when the body has one.
    pub code: Option<String>,
    /// The service's message.
    pub message: Option<String>,
    /// The request id, from [`headers`](Self::headers) (`X-Request-Id`, `x-acs-request-id`, ...)
    /// or else the body.
    pub request_id: Option<String>,
    /// The raw body, as text (an HTML page from a gateway stays here as it came): at most its
    /// first [`ERROR_BODY_LIMIT`] bytes, the rest is not read.
    pub body: String,
    /// The response headers, as received (rate-limit headers, `Retry-After`, a mock server's
    /// validation report).
    pub headers: HeaderMap,
    /// The documented entry for `code` in the service's published catalogue (a template entry
    /// such as `InvalidGroups.{key}` matches `InvalidGroups.group1`; among entries listed more
    /// than once, the one with this status).
    pub documented: Option<&'static ErrorCode>,
}

/// How much of an error body is kept (and of an undecodable body's text): a gateway's error
/// page or a runaway body cannot fill memory.
pub const ERROR_BODY_LIMIT: usize = 64 * 1024;

impl ServiceError {
    /// Builds a service error from a response: the code, message and request id are found in
    /// whichever of the known error-body shapes the body has; a request id header wins over the
    /// body's.
    pub fn from_response(
        operation: &'static str,
        status: u16,
        headers: HeaderMap,
        body: &[u8],
        catalogue: &'static [ErrorCode],
    ) -> Self {
        let text = String::from_utf8_lossy(body).into_owned();
        let parsed = serde_json::from_slice::<Value>(body).ok();
        let fields = parsed.as_ref().map(ErrorFields::find).unwrap_or_default();
        let documented = fields.code.as_deref().and_then(|c| find_error_code(catalogue, c, Some(status)));
        Self {
            operation,
            status,
            code: fields.code,
            message: fields.message,
            request_id: header_request_id(&headers).or(fields.request_id),
            body: text,
            headers,
            documented,
        }
    }

    /// The delay the service asked for in its `Retry-After` header (seconds, or an HTTP date:
    /// the time left until then), read from [`headers`](Self::headers).
    pub fn retry_after(&self) -> Option<Duration> {
        crate::retry::retry_after(&self.headers)
    }

    /// Whether the failure is transient (throttling, a server-side failure), by the rules of
    /// [`crate::retry`].
    pub fn is_retryable(&self) -> bool {
        crate::retry::is_retryable_service_error(self)
    }

    /// Whether the code says the caller is being throttled, by the rules of [`crate::retry`].
    pub fn is_throttling(&self) -> bool {
        crate::retry::is_throttling(self)
    }

    /// The body decoded as `T`, when it has that shape.
    pub fn decode_body<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_str(&self.body).ok()
    }

    /// The error code, or `""` when the body had none.
    pub fn code(&self) -> &str {
        self.code.as_deref().unwrap_or_default()
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with HTTP {}", self.operation, self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}

/// Code, message and request id as found in an error body.
#[derive(Debug, Default, PartialEq)]
struct ErrorFields {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
}

impl ErrorFields {
    /// Tries each shape these APIs use:
    /// - Huawei flat: `{"error_code", "error_msg", "request_id"?}`
    /// - Huawei CSMS/KMS nested: `{"error": {"error_code", "error_msg"}}`
    /// - Huawei ROMA FDI: `{"code", "reason": {"error_code", "error_msg"}}` (or `reason` as text)
    /// - Alibaba: `{"Code", "Message", "RequestId", "HostId"}`
    /// - common others: `{"code", "message"}`, `{"errorCode", "errorMessage"}`
    fn find(body: &Value) -> Self {
        let text = |v: &Value, keys: &[&str]| keys.iter().find_map(|k| v.get(*k).and_then(scalar_text));
        let code_keys = ["error_code", "errorCode", "Code", "code"];
        let message_keys = ["error_msg", "errorMsg", "Message", "message", "error_message", "errorMessage", "msg"];
        let id_keys = ["request_id", "RequestId", "requestId"];
        let nested = ["error", "reason"].iter().find_map(|k| body.get(*k).filter(|v| v.is_object()));
        let mut fields =
            Self { code: text(body, &code_keys), message: text(body, &message_keys), request_id: text(body, &id_keys) };
        if let Some(inner) = nested {
            // The inner object is the more specific one (FDI's outer `code` repeats the status family).
            if let Some(code) = text(inner, &code_keys) {
                fields.code = Some(code);
            }
            if let Some(message) = text(inner, &message_keys) {
                fields.message = Some(message);
            }
            fields.request_id = fields.request_id.or_else(|| text(inner, &id_keys));
        } else if fields.message.is_none() {
            fields.message = body.get("reason").and_then(scalar_text);
        }
        fields
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(v: Value) -> ErrorFields {
        ErrorFields::find(&v)
    }

    #[test]
    fn every_documented_error_shape_decodes() {
        let flat = fields(json!({"error_code": "CDM.0002", "error_msg": "not found", "request_id": "r1"}));
        assert_eq!(
            flat,
            ErrorFields {
                code: Some("CDM.0002".into()),
                message: Some("not found".into()),
                request_id: Some("r1".into())
            }
        );
        let csms = fields(json!({"error": {"error_code": "CSMS.0401", "error_msg": "bad"}}));
        assert_eq!((csms.code.as_deref(), csms.message.as_deref()), (Some("CSMS.0401"), Some("bad")));
        let fdi =
            fields(json!({"code": "FDI.3036", "reason": {"error_code": "FDI.3036", "error_msg": "task missing"}}));
        assert_eq!((fdi.code.as_deref(), fdi.message.as_deref()), (Some("FDI.3036"), Some("task missing")));
        let aliyun = fields(json!({"Code": "InvalidName", "Message": "bad name", "RequestId": "abc", "HostId": "h"}));
        assert_eq!(
            aliyun,
            ErrorFields {
                code: Some("InvalidName".into()),
                message: Some("bad name".into()),
                request_id: Some("abc".into())
            }
        );
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| (reqwest::header::HeaderName::from_static(name), value.parse().unwrap()))
            .collect()
    }

    #[test]
    fn the_request_id_header_wins_over_the_body_and_html_keeps_its_body() {
        let e = ServiceError::from_response(
            "Op",
            502,
            headers(&[("x-request-id", "hdr")]),
            b"<html>Bad Gateway</html>",
            &[],
        );
        assert_eq!(e.request_id.as_deref(), Some("hdr"));
        assert_eq!(e.code, None);
        assert_eq!(e.body, "<html>Bad Gateway</html>");
        assert!(e.is_retryable());
        let body = br#"{"error_code":"X.1","error_msg":"m","request_id":"body-id"}"#;
        let e = ServiceError::from_response("Op", 404, HeaderMap::new(), body, &[]);
        assert_eq!(e.request_id.as_deref(), Some("body-id"));
        assert!(!e.is_retryable());
        assert_eq!(e.to_string(), "Op failed with HTTP 404 X.1: m (request id body-id)");
        // Alibaba Cloud's header, read from the headers the error keeps.
        let e = ServiceError::from_response("Op", 404, headers(&[("x-acs-request-id", "acs-id")]), body, &[]);
        assert_eq!((e.request_id.as_deref(), e.headers.len()), (Some("acs-id"), 1));
    }

    #[test]
    fn retry_after_is_read_from_the_headers() {
        let error = ServiceError::from_response("Op", 429, HeaderMap::new(), b"", &[]);
        assert_eq!(error.retry_after(), None);
        let error = ServiceError::from_response("Op", 429, headers(&[("retry-after", "7")]), b"", &[]);
        assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
    }

    #[test]
    fn documented_codes_are_looked_up() {
        static CODES: &[ErrorCode] = &[ErrorCode {
            code: "X.1",
            status: Some(404),
            message: Some("gone"),
            description: None,
            remedy: Some("retry later"),
        }];
        let e = ServiceError::from_response("Op", 404, HeaderMap::new(), br#"{"error_code":"X.1"}"#, CODES);
        assert_eq!(e.documented.and_then(|d| d.remedy), Some("retry later"));
    }

    const fn entry(code: &'static str, status: u16, message: &'static str) -> ErrorCode {
        ErrorCode { code, status: Some(status), message: Some(message), description: None, remedy: None }
    }

    #[test]
    fn documented_lookup_matches_templates_and_prefers_the_status() {
        static CODES: &[ErrorCode] = &[
            entry("InvalidName", 400, "bad name"),
            entry("InvalidName", 403, "forbidden name"),
            entry("InvalidGroups.{key}", 400, "bad group"),
        ];
        let e = ServiceError::from_response("Op", 403, HeaderMap::new(), br#"{"Code":"InvalidName"}"#, CODES);
        assert_eq!(e.documented.and_then(|d| d.message), Some("forbidden name"));
        let e = ServiceError::from_response("Op", 400, HeaderMap::new(), br#"{"Code":"InvalidGroups.group1"}"#, CODES);
        assert_eq!(e.documented.and_then(|d| d.message), Some("bad group"));
    }

    #[test]
    fn throttling_codes_are_retryable_whatever_the_status() {
        static CODES: &[ErrorCode] =
            &[entry("APIG.9008", 429, "Too many requests."), entry("APIG.2012", 400, "Invalid parameter value.")];
        let error = |status, body: &[u8]| ServiceError::from_response("Op", status, HeaderMap::new(), body, CODES);
        assert!(error(400, br#"{"error_code":"APIG.9008"}"#).is_retryable(), "documented with 429");
        assert!(!error(400, br#"{"error_code":"APIG.2012"}"#).is_retryable());
        assert!(error(400, br#"{"Code":"Throttling.User"}"#).is_retryable());
        assert!(error(400, br#"{"Code":"Throttling"}"#).is_retryable());
        assert!(!error(400, br#"{"Code":"ThrottlingPolicyExists"}"#).is_retryable());
    }
}
