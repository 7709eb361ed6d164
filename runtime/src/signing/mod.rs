//! Request signing, byte for byte as the official SDKs sign.
//!
//! Signers are pure functions: a [`RequestToSign`], keys and a time in; the wire target and the
//! final headers out ([`SignedRequest`]), with the intermediate strings kept for tests. The
//! transport never needs to know which algorithm ran.

pub mod aliyun;
pub mod huawei;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::cmp::Ordering;
use std::fmt;

/// A query parameter value with the type the official (Python) SDKs see, which decides how it
/// sorts and prints: Huawei's SDK sorts `("id", 2)` before `("id", 10)`, prints `true` for a
/// boolean and expands a list into one sorted pair per item. Generated code passes text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum QueryValue {
    /// A string.
    Text(String),
    /// An integer (sorted numerically).
    Int(i64),
    /// A boolean (printed `true`/`false`).
    Bool(bool),
    /// A list, sent as one pair per item.
    List(Vec<QueryValue>),
}

impl From<String> for QueryValue {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<&str> for QueryValue {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl QueryValue {
    /// Python's `str(value)` (`True` for a boolean, `['a', 1]` for a list).
    pub fn python_str(&self) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Int(n) => n.to_string(),
            Self::Bool(true) => "True".to_owned(),
            Self::Bool(false) => "False".to_owned(),
            Self::List(items) => {
                let items: Vec<String> = items
                    .iter()
                    .map(|item| if let Self::Text(t) = item { format!("'{t}'") } else { item.python_str() })
                    .collect();
                format!("[{}]", items.join(", "))
            }
        }
    }

    /// Python's `<` between two values: numbers (booleans are 0 and 1) numerically, text by code
    /// point, lists item by item. Python raises `TypeError` for other pairs; those are ordered
    /// number < text < list here, so that a sort always finishes.
    pub fn python_cmp(&self, other: &Self) -> Ordering {
        match (self.as_number(), other.as_number()) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => match (self, other) {
                (Self::Text(a), Self::Text(b)) => a.cmp(b),
                (Self::List(a), Self::List(b)) => a
                    .iter()
                    .zip(b)
                    .map(|(x, y)| x.python_cmp(y))
                    .find(|o| o.is_ne())
                    .unwrap_or_else(|| a.len().cmp(&b.len())),
                _ => self.type_rank().cmp(&other.type_rank()),
            },
        }
    }

    fn as_number(&self) -> Option<i64> {
        match self {
            Self::Int(n) => Some(*n),
            Self::Bool(b) => Some(i64::from(*b)),
            _ => None,
        }
    }

    fn type_rank(&self) -> u8 {
        match self {
            Self::Int(_) | Self::Bool(_) => 0,
            Self::Text(_) => 1,
            Self::List(_) => 2,
        }
    }
}

/// Why a request cannot be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SigningError {
    /// The request carries an `X-Sdk-Date` that is not `YYYYMMDDTHHMMSSZ` (the SDK raises too).
    #[error("the X-Sdk-Date header {0:?} is not in the form 20240601T120000Z")]
    InvalidSdkDate(String),
}

/// What a signer needs; it adds headers and computes the wire target.
#[derive(Clone, PartialEq, Eq)]
pub struct RequestToSign {
    /// As given; upper-cased where an algorithm says so.
    pub method: String,
    /// `host[:port]`, as the `Host` header carries it.
    pub host: String,
    /// The wire path, already percent-encoded.
    pub path: String,
    /// Raw (unencoded) query pairs; repeated keys allowed; their order does not matter.
    pub query: Vec<(String, QueryValue)>,
    /// Headers in send order.
    pub headers: Vec<(String, String)>,
    /// The body bytes as sent (their hash is signed).
    pub body: Vec<u8>,
}

/// A signed request: what goes on the wire, and how the signature was computed.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// Exactly what goes on the request line (`/path?query`).
    pub path_and_query: String,
    /// The final headers in send order, `Authorization` included.
    pub headers: Vec<(String, String)>,
    /// The canonical request the signature covers (for comparing with the official SDKs).
    pub canonical_request: String,
    /// The string signed with the secret.
    pub string_to_sign: String,
    /// The signature, as sent in `Authorization`.
    pub signature: String,
}

impl SignedRequest {
    /// The value of a header (first match, any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Header names whose values are secrets: printed as `***` by `Debug`.
const SECRET_HEADERS: &[&str] = &["authorization", "x-auth-token", "x-security-token", "x-acs-security-token"];

/// Headers for `Debug`: the values of secret ones (tokens, signatures) as `***`.
fn redacted_headers(headers: &[(String, String)]) -> Vec<(&str, &str)> {
    headers
        .iter()
        .map(|(k, v)| {
            (k.as_str(), if SECRET_HEADERS.contains(&k.to_ascii_lowercase().as_str()) { "***" } else { v.as_str() })
        })
        .collect()
}

impl fmt::Debug for RequestToSign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let query: Vec<&str> = self.query.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("RequestToSign")
            .field("method", &self.method)
            .field("host", &self.host)
            .field("path", &self.path)
            .field("query", &query)
            .field("headers", &redacted_headers(&self.headers))
            .field("body_bytes", &self.body.len())
            .finish()
    }
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedRequest")
            .field("path_and_query", &self.path_and_query)
            .field("headers", &redacted_headers(&self.headers))
            .field("canonical_request", &redact_lines(&self.canonical_request))
            .field("string_to_sign", &redact_lines(&self.string_to_sign))
            .field("signature", &"***")
            .finish()
    }
}

/// Canonical forms list signed headers as `name:value` lines; a secret header's value is hidden.
fn redact_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| match line.split_once(':') {
            Some((name, _)) if SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()) => format!("{name}:***"),
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A request sent as it is (token authentication): the query encoded and sorted the way Huawei's
/// SDK does, nothing signed.
pub fn unsigned(mut request: RequestToSign) -> SignedRequest {
    // A header the request gives twice under one name is sent once, as a header map holds it.
    huawei::collapse_exact_duplicates(&mut request.headers);
    let query = huawei::canonical_query(&request.query);
    let path_and_query = if query.is_empty() { request.path } else { format!("{}?{query}", request.path) };
    SignedRequest {
        path_and_query,
        headers: request.headers,
        canonical_request: String::new(),
        string_to_sign: String::new(),
        signature: String::new(),
    }
}

/// Python's `urllib.parse.quote(s, safe='~')` and `quote(s, safe='')`: everything but
/// `A-Z a-z 0-9 - _ . ~` is `%XX` (upper-case hex) of its UTF-8 bytes.
pub(crate) const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

pub(crate) fn quote(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unsigned_request_sends_a_header_given_twice_once() {
        let request = RequestToSign {
            method: "GET".to_owned(),
            host: "example.com".to_owned(),
            path: "/v1/x".to_owned(),
            query: Vec::new(),
            headers: vec![
                ("X-Auth-Token".to_owned(), "operation's".to_owned()),
                ("Accept".to_owned(), "*/*".to_owned()),
                ("X-Auth-Token".to_owned(), "credentials'".to_owned()),
            ],
            body: Vec::new(),
        };
        let debug = format!("{request:?}");
        assert!(
            !debug.contains("credentials'") && !debug.contains("operation's") && debug.contains("X-Auth-Token"),
            "{debug}"
        );
        let sent = unsigned(request);
        assert_eq!(
            sent.headers,
            [("X-Auth-Token".to_owned(), "credentials'".to_owned()), ("Accept".to_owned(), "*/*".to_owned())]
        );
    }
}
