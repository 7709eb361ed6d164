//! What a generated client method hands the runtime: an [`OperationRequest`].
//!
//! The method fills in the path (parameters already encoded), query, headers and body; the
//! runtime adds the endpoint, credentials and signature, and sends it.

use crate::error::Error;
pub use crate::multipart::Multipart;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

pub use reqwest::Method;

/// Everything but RFC 3986's unreserved characters is encoded in a path segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encodes one path parameter value, `/` included, so it stays one segment.
pub fn encode_path_segment(value: &str) -> String {
    utf8_percent_encode(value, PATH_SEGMENT).to_string()
}

/// The text of a parameter value as it goes into a path, query or header: strings as they are,
/// numbers and booleans in JSON notation, enums by their wire value, anything else as JSON.
pub fn param_text<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Null) => String::new(),
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// Where an idempotency token travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenLocation {
    Query,
    Header,
}

/// The body of a request, before the service's wire conventions are applied.
#[derive(Debug, Clone, Default)]
pub enum Body {
    #[default]
    Empty,
    /// JSON; serialised in the service's style (the official SDKs' byte layout) at send time.
    Json { content_type: String, value: serde_json::Value },
    /// Bytes sent as they are (octet streams, text, encoded forms and multipart).
    Bytes { content_type: String, data: Vec<u8> },
}

/// One call of one operation, as the generated method describes it.
#[derive(Debug, Clone)]
pub struct OperationRequest {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) cookies: Vec<(String, String)>,
    pub(crate) body: Body,
    pub(crate) idempotency: Option<(TokenLocation, String, Option<String>)>,
}

impl OperationRequest {
    /// A request for `operation` (its `operationId`) to `path` (already encoded).
    pub fn new(operation: &'static str, method: Method, path: String) -> Self {
        Self { operation, method, path, query: Vec::new(), headers: Vec::new(), cookies: Vec::new(), body: Body::Empty, idempotency: None }
    }

    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Adds a query parameter (raw, unencoded; repeated names are kept).
    pub fn query(&mut self, name: &str, value: String) {
        self.query.push((name.to_owned(), value));
    }

    pub fn header(&mut self, name: &str, value: String) {
        self.headers.push((name.to_owned(), value));
    }

    pub fn cookie(&mut self, name: &str, value: String) {
        self.cookies.push((name.to_owned(), value));
    }

    /// Marks `name` as the request's idempotency token; when `value` is `None` the runtime
    /// generates one, and the same token is sent on every retry.
    pub fn idempotency_token(&mut self, location: TokenLocation, name: &str, value: Option<String>) {
        self.idempotency = Some((location, name.to_owned(), value));
    }

    pub fn json_body<T: Serialize + ?Sized>(&mut self, content_type: &str, body: &T) -> Result<(), Error> {
        let value = serde_json::to_value(body).map_err(|e| Error::Encode { operation: self.operation, message: e.to_string() })?;
        self.body = Body::Json { content_type: content_type.to_owned(), value };
        Ok(())
    }

    pub fn form_body<T: Serialize + ?Sized>(&mut self, content_type: &str, body: &T) -> Result<(), Error> {
        let data = serde_urlencoded::to_string(body).map_err(|e| Error::Encode { operation: self.operation, message: e.to_string() })?;
        self.body = Body::Bytes { content_type: content_type.to_owned(), data: data.into_bytes() };
        Ok(())
    }

    /// A `multipart/form-data` (or other `multipart/*`) body; the parts are encoded now, with a
    /// fresh random boundary.
    pub fn multipart_body(&mut self, content_type: &str, form: &Multipart) -> Result<(), Error> {
        let (boundary, data) = form.encode().map_err(|message| Error::Encode { operation: self.operation, message })?;
        self.body = Body::Bytes { content_type: format!("{content_type}; boundary={boundary}"), data };
        Ok(())
    }

    pub fn bytes_body(&mut self, content_type: &str, data: Vec<u8>) {
        self.body = Body::Bytes { content_type: content_type.to_owned(), data };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_fully_encoded() {
        assert_eq!(encode_path_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(encode_path_segment("abc-_.~9"), "abc-_.~9");
        assert_eq!(encode_path_segment("中"), "%E4%B8%AD");
    }

    #[test]
    fn param_text_uses_wire_forms() {
        assert_eq!(param_text("x"), "x");
        assert_eq!(param_text(&10), "10");
        assert_eq!(param_text(&true), "true");
        assert_eq!(param_text(&Option::<String>::None), "");
    }
}
