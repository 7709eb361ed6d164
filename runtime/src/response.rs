//! A successful response, as the generated method decodes it.

use crate::error::{Error, ERROR_BODY_LIMIT};
use bytes::Bytes;
use reqwest::header::HeaderMap;

/// A 2xx response with its whole body read (at most
/// [`max_response_bytes`](crate::ConfigBuilder::max_response_bytes)).
#[derive(Debug, Clone)]
pub struct Response {
    pub(crate) operation: &'static str,
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) request_id: Option<String>,
}

impl Response {
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

    /// The body decoded as JSON into `T`.
    ///
    /// # Errors
    ///
    /// [`Error::UndecodableResponse`] with the status, request id and raw body when it is not.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body)
            .map_err(|e| self.undecodable(format!("the body is not the documented JSON: {e}")))
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
