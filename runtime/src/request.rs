//! What a generated client method hands the runtime: an [`OperationRequest`].
//!
//! The method fills in the path (parameters already encoded), query, headers and body; the
//! runtime adds the endpoint, credentials and signature, and sends it.

use crate::client::ConfigValue;
use crate::error::Error;
pub use crate::multipart::Multipart;
pub use crate::param_text::param_text;
use crate::security::Requirement;
use crate::signing::QueryValue;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use std::fmt;

pub use reqwest::Method;

/// Everything but RFC 3986's unreserved characters is encoded in a path segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// One piece of a path template: literal text, or a parameter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPiece<'a> {
    /// Text of the template, sent as written (`/v1.1/`).
    Text(&'a str),
    /// A parameter's value (`{cluster_id}`), percent-encoded as one segment.
    Param(&'a str),
}

/// The path of a request: the template's pieces joined, each parameter value percent-encoded
/// (`/` included) so that it stays one segment.
pub fn build_path(pieces: &[PathPiece<'_>]) -> String {
    let length = pieces.iter().map(|piece| match piece {
        PathPiece::Text(text) | PathPiece::Param(text) => text.len(),
    });
    let mut path = String::with_capacity(length.sum());
    for piece in pieces {
        match piece {
            PathPiece::Text(text) => path.push_str(text),
            // Ids and names are mostly unreserved characters, copied as they are.
            PathPiece::Param(value) if value.bytes().all(is_unreserved) => path.push_str(value),
            PathPiece::Param(value) => path.extend(utf8_percent_encode(value, PATH_SEGMENT)),
        }
    }
    path
}

/// Whether `byte` is one of RFC 3986's unreserved characters (what [`PATH_SEGMENT`] keeps).
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~')
}

/// Where an idempotency token travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenLocation {
    Query,
    Header,
}

/// The body of a request, before the service's wire conventions are applied. Its `Debug` shows
/// the media type and size only: bodies carry secrets (BatchCompute's OSS `AccessKeySecret`)
/// that the models' own `Debug` hides.
#[derive(Clone, Default)]
pub enum Body {
    #[default]
    Empty,
    /// JSON; serialised in the service's style (the official SDKs' byte layout) at send time.
    Json { content_type: String, value: serde_json::Value },
    /// Bytes sent as they are (octet streams, text, encoded forms and multipart); `Bytes`, so
    /// that each attempt sends them without a copy.
    Bytes { content_type: String, data: bytes::Bytes },
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Json { content_type, value } => {
                let bytes = serde_json::to_vec(value).map(|v| v.len()).unwrap_or_default();
                f.debug_struct("Json")
                    .field("content_type", content_type)
                    .field("bytes", &bytes)
                    .finish_non_exhaustive()
            }
            Body::Bytes { content_type, data } => f
                .debug_struct("Bytes")
                .field("content_type", content_type)
                .field("bytes", &data.len())
                .finish_non_exhaustive(),
        }
    }
}

/// One call of one operation, as the generated method describes it.
///
/// Its `Debug` names the query parameters, headers and cookies without their values, and shows
/// the body's size only: any of them may carry a secret.
#[derive(Clone)]
pub struct OperationRequest {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    pub(crate) path: String,
    /// As the signers take them: text, as generated code passes it.
    pub(crate) query: Vec<(String, QueryValue)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) cookies: Vec<(String, String)>,
    pub(crate) body: Body,
    pub(crate) idempotency: Option<(TokenLocation, String, Option<String>)>,
    /// The project id the path was built with, when it is not the configuration's.
    pub(crate) project_id: Option<String>,
    /// The operation's `security` alternatives; `None` when the spec states none.
    pub(crate) security: Option<&'static [Requirement]>,
    /// The `Accept` header: the media types the operation's success responses decode from.
    pub(crate) accept: Option<&'static str>,
    /// The typed request the call was made with, for mock rules (feature `test-util`).
    #[cfg(feature = "test-util")]
    pub(crate) input: Option<crate::mock::Input>,
}

impl fmt::Debug for OperationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn names<V>(pairs: &[(String, V)]) -> Vec<&str> {
            pairs.iter().map(|(name, _)| name.as_str()).collect()
        }
        f.debug_struct("OperationRequest")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &names(&self.query))
            .field("headers", &names(&self.headers))
            .field("cookies", &names(&self.cookies))
            .field("body", &self.body)
            .field("idempotency_token", &self.idempotency.as_ref().map(|(location, name, _)| (location, name)))
            .field("project_id", &self.project_id)
            .field("security", &self.security)
            .field("accept", &self.accept)
            .finish()
    }
}

impl OperationRequest {
    /// A request for `operation` (its `operationId`) to `path` (already encoded).
    pub fn new(operation: &'static str, method: Method, path: String) -> Self {
        Self {
            operation,
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: Body::Empty,
            idempotency: None,
            project_id: None,
            security: None,
            accept: None,
            #[cfg(feature = "test-util")]
            input: None,
        }
    }

    /// Keeps a copy of `input`, the typed request the call was made with, for mock rules to
    /// match on and tests to read ([`MockRequest::input`](crate::mock::MockRequest::input);
    /// feature `test-util`, which generated code calls this under).
    #[cfg(feature = "test-util")]
    pub fn with_input<T: std::any::Any + Send + Sync + Clone>(mut self, input: &T) -> Self {
        self.input = Some(std::sync::Arc::new(input.clone()));
        self
    }

    /// The operation's `security` requirement: alternatives, each a set of schemes sent together
    /// (an empty list, `security: []`, sends none). See [`crate::security`].
    pub fn security(mut self, alternatives: &'static [Requirement]) -> Self {
        self.security = Some(alternatives);
        self
    }

    /// Records the value a configuration-supplied parameter (`x-config-param`) has in this
    /// request, as resolved by [`Client::resolve_param`](crate::Client::resolve_param). The
    /// runtime uses `project_id`: AK/SK signing sends it as `X-Project-Id`, which must name the
    /// project the path does. The configuration's own value is what signing falls back to, so
    /// only another is kept (moved in, not copied). Other names need nothing beyond the parameter.
    pub fn record_config_param(&mut self, name: &str, value: ConfigValue<'_>) {
        if let ("project_id", ConfigValue::Other(project_id)) = (name, value) {
            self.project_id = Some(project_id);
        }
    }

    /// The project id this request is for, when it is not the configuration's: AK/SK signing
    /// sends it as `X-Project-Id`, which must name the project the path does.
    pub fn set_project_id(&mut self, project_id: impl Into<String>) {
        self.project_id = Some(project_id.into());
    }

    /// The media types the operation can decode its success from (`application/json`), sent as
    /// `Accept` after signing, as the transport's own `Accept` would be (a signer that signs
    /// `Accept`, Alibaba Cloud's, sets its own, which is kept), unless a header sets it.
    pub fn accept(&mut self, media_types: &'static str) {
        self.accept = Some(media_types);
    }

    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Adds a query parameter (raw, unencoded; repeated names are kept).
    pub fn query(&mut self, name: &str, value: String) {
        self.query.push((name.to_owned(), QueryValue::Text(value)));
    }

    pub fn header(&mut self, name: &str, value: String) {
        self.headers.push((name.to_owned(), value));
    }

    pub fn cookie(&mut self, name: &str, value: String) {
        self.cookies.push((name.to_owned(), value));
    }

    /// Marks `name` as the request's idempotency token; when `value` is `None` (or empty) the
    /// runtime generates one, and the same token is sent on every retry.
    pub fn idempotency_token(&mut self, location: TokenLocation, name: &str, value: Option<String>) {
        self.idempotency = Some((location, name.to_owned(), value));
    }

    pub fn json_body<T: Serialize + ?Sized>(&mut self, content_type: &str, body: &T) -> Result<(), Error> {
        let value = serde_json::to_value(body)
            .map_err(|e| Error::Encode { operation: self.operation, message: e.to_string() })?;
        self.body = Body::Json { content_type: content_type.to_owned(), value };
        Ok(())
    }

    pub fn form_body<T: Serialize + ?Sized>(&mut self, content_type: &str, body: &T) -> Result<(), Error> {
        let data = serde_urlencoded::to_string(body)
            .map_err(|e| Error::Encode { operation: self.operation, message: e.to_string() })?;
        self.body = Body::Bytes { content_type: content_type.to_owned(), data: data.into() };
        Ok(())
    }

    /// A `multipart/form-data` (or other `multipart/*`) body; the parts are encoded now, with a
    /// fresh random boundary.
    pub fn multipart_body(&mut self, content_type: &str, form: &Multipart) -> Result<(), Error> {
        let (boundary, data) = form.encode().map_err(|message| Error::Encode { operation: self.operation, message })?;
        self.body = Body::Bytes { content_type: format!("{content_type}; boundary={boundary}"), data: data.into() };
        Ok(())
    }

    pub fn bytes_body(&mut self, content_type: &str, data: Vec<u8>) {
        self.body = Body::Bytes { content_type: content_type.to_owned(), data: data.into() };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_built_from_text_and_encoded_parameters() {
        let pieces = [PathPiece::Text("/v1/"), PathPiece::Param("a/b c"), PathPiece::Text("/items/{x}")];
        assert_eq!(build_path(&pieces), "/v1/a%2Fb%20c/items/{x}");
        assert_eq!(build_path(&[PathPiece::Text("/"), PathPiece::Param("中")]), "/%E4%B8%AD");
        assert_eq!(build_path(&[PathPiece::Param("abc-_.~9")]), "abc-_.~9");
        assert_eq!(build_path(&[]), "");
    }

    #[test]
    fn debug_shows_no_body_and_no_parameter_values() {
        let mut request = OperationRequest::new("CreateJob", Method::POST, "/jobs".to_owned());
        request.query("Signature", "q-SECRET".to_owned());
        request.header("X-Key", "h-SECRET".to_owned());
        request.cookie("session", "c-SECRET".to_owned());
        request.idempotency_token(TokenLocation::Query, "IdempotentToken", Some("t-SECRET".to_owned()));
        request.json_body("application/json", &serde_json::json!({"OSS": {"AccessKeySecret": "b-SECRET"}})).unwrap();
        let debug = format!("{request:?}");
        assert!(!debug.contains("SECRET"), "{debug}");
        assert!(
            debug.contains("Signature")
                && debug.contains("X-Key")
                && debug.contains("application/json")
                && debug.contains("bytes: 38"),
            "{debug}"
        );
        request.bytes_body("application/octet-stream", b"raw-SECRET".to_vec());
        assert_eq!(
            format!("{:?}", request.body),
            r#"Bytes { content_type: "application/octet-stream", bytes: 10, .. }"#
        );
    }

    #[test]
    fn a_resolved_project_id_is_what_the_request_signs_for() {
        let mut request = OperationRequest::new("Show", Method::GET, "/v1/other%20project/things".to_owned());
        assert_eq!(request.project_id, None);
        request.record_config_param("region_hint", ConfigValue::Other("ignored".to_owned()));
        assert_eq!(request.project_id, None);
        // The configuration's own is what signing falls back to: nothing to keep.
        request.record_config_param("project_id", ConfigValue::Configured("configured"));
        assert_eq!(request.project_id, None);
        request.record_config_param("project_id", ConfigValue::Other("other project".to_owned()));
        assert_eq!(request.project_id.as_deref(), Some("other project"));
    }
}
