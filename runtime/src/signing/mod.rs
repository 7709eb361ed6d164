//! Request signing, byte for byte as the official SDKs sign.
//!
//! Signers are pure functions: a [`RequestToSign`], keys and a time in; the wire target and the
//! final headers out ([`SignedRequest`]), with the intermediate strings kept for tests. The
//! transport never needs to know which algorithm ran.

pub mod aliyun;
pub mod huawei;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::fmt;

/// What a signer needs; it adds headers and computes the wire target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestToSign {
    /// As given; upper-cased where an algorithm says so.
    pub method: String,
    /// `host[:port]`, as the `Host` header carries it.
    pub host: String,
    /// The wire path, already percent-encoded.
    pub path: String,
    /// Raw (unencoded) query pairs; repeated keys allowed; their order does not matter.
    pub query: Vec<(String, String)>,
    /// Headers in send order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// A signed request: what goes on the wire, and how the signature was computed.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// Exactly what goes on the request line (`/path?query`).
    pub path_and_query: String,
    /// The final headers in send order, `Authorization` included.
    pub headers: Vec<(String, String)>,
    pub canonical_request: String,
    pub string_to_sign: String,
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

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), if SECRET_HEADERS.contains(&k.to_ascii_lowercase().as_str()) { "***" } else { v.as_str() }))
            .collect();
        f.debug_struct("SignedRequest")
            .field("path_and_query", &self.path_and_query)
            .field("headers", &headers)
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
pub fn unsigned(request: RequestToSign) -> SignedRequest {
    let query = huawei::canonical_query(&request.query);
    let path_and_query = if query.is_empty() { request.path } else { format!("{}?{query}", request.path) };
    SignedRequest { path_and_query, headers: request.headers, canonical_request: String::new(), string_to_sign: String::new(), signature: String::new() }
}

/// Python's `urllib.parse.quote(s, safe='~')` and `quote(s, safe='')`: everything but
/// `A-Z a-z 0-9 - _ . ~` is `%XX` (upper-case hex) of its UTF-8 bytes.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

pub(crate) fn quote(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}
