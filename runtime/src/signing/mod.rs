//! Request signing, byte for byte as the official SDKs sign.
//!
//! Signers are pure functions: a [`RequestToSign`], keys and a time in; the wire target and the
//! final headers out ([`SignedRequest`]), with the intermediate strings kept for tests. The
//! transport never needs to know which algorithm ran.

pub mod aliyun;
pub mod aliyun_rpc;
pub mod huawei;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::borrow::Cow;
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

/// What a signer needs; it adds headers and computes the wire target. Everything is borrowed:
/// signing copies only what ends up in its output.
#[derive(Clone, PartialEq, Eq)]
pub struct RequestToSign<'a> {
    /// As given; upper-cased where an algorithm says so.
    pub method: &'a str,
    /// `host[:port]`, as the `Host` header carries it.
    pub host: &'a str,
    /// The wire path, already percent-encoded.
    pub path: &'a str,
    /// Raw (unencoded) query pairs; repeated keys allowed; their order does not matter.
    pub query: &'a [(String, QueryValue)],
    /// Headers in send order.
    pub headers: Vec<(&'a str, &'a str)>,
    /// The body bytes as sent (their hash is signed).
    pub body: &'a [u8],
}

/// A signed request: what goes on the wire, and how the signature was computed. Header names
/// and the values the request gave are borrowed from it; only computed values are owned.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedRequest<'a> {
    /// Exactly what goes on the request line (`/path?query`).
    pub path_and_query: String,
    /// The final headers in send order, `Authorization` included.
    pub headers: Vec<(&'a str, Cow<'a, str>)>,
    /// The canonical request the signature covers (for comparing with the official SDKs).
    pub canonical_request: String,
    /// The string signed with the secret.
    pub string_to_sign: String,
    /// The signature, as sent in `Authorization`.
    pub signature: String,
}

impl SignedRequest<'_> {
    /// The value of a header (first match, any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_ref())
    }
}

/// Header names whose values are secrets: printed as `***` by `Debug`.
const SECRET_HEADERS: &[&str] = &["authorization", "x-auth-token", "x-security-token", "x-acs-security-token"];

/// Headers for `Debug`: the values of secret ones (tokens, signatures) as `***`.
fn redacted_headers<'h, V: AsRef<str>>(headers: &'h [(&'h str, V)]) -> Vec<(&'h str, &'h str)> {
    headers
        .iter()
        .map(|(k, v)| (*k, if SECRET_HEADERS.iter().any(|s| k.eq_ignore_ascii_case(s)) { "***" } else { v.as_ref() }))
        .collect()
}

impl fmt::Debug for RequestToSign<'_> {
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

impl fmt::Debug for SignedRequest<'_> {
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
pub fn unsigned(request: RequestToSign<'_>) -> SignedRequest<'_> {
    let mut headers: Vec<(&str, Cow<'_, str>)> =
        request.headers.into_iter().map(|(name, value)| (name, Cow::Borrowed(value))).collect();
    // A header the request gives twice under one name is sent once, as a header map holds it.
    huawei::collapse_exact_duplicates(&mut headers);
    SignedRequest {
        path_and_query: huawei::path_and_query(request.path, request.query),
        headers,
        canonical_request: String::new(),
        string_to_sign: String::new(),
        signature: String::new(),
    }
}

/// About how long an encoded query is (for sizing a string once).
fn query_len_hint(query: &[(String, QueryValue)]) -> usize {
    query.iter().map(|(k, v)| k.len() + 2 + if let QueryValue::Text(t) = v { t.len() } else { 8 }).sum()
}

/// Calls `f` with `items` sorted (stably) by `compare`, the references kept on the stack when
/// there are few: signing sorts a handful of query pairs and headers on every call.
pub(crate) fn with_sorted<'t, T: ?Sized + 't, R>(
    mut items: impl Iterator<Item = &'t T>,
    mut compare: impl FnMut(&T, &T) -> Ordering,
    f: impl FnOnce(&[&'t T]) -> R,
) -> R {
    const ON_STACK: usize = 16;
    let Some(first) = items.next() else { return f(&[]) };
    let mut stack = [first; ON_STACK];
    let mut heap = Vec::new();
    let mut count = 1;
    for item in items {
        if count < ON_STACK {
            stack[count] = item;
        } else {
            if heap.is_empty() {
                heap.extend_from_slice(&stack);
            }
            heap.push(item);
        }
        count += 1;
    }
    let refs: &mut [&'t T] = if count > ON_STACK { &mut heap } else { &mut stack[..count] };
    // Stable, as Python's sort: `("f", True)` and `("f", 1)` compare equal but print differently.
    refs.sort_by(|a, b| compare(a, b));
    f(refs)
}

/// `n`'s last `width` decimal digits, zero-padded (dates, without the formatting machinery).
pub(crate) fn push_digits(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = n / 10u32.pow(place) % 10;
        out.push(char::from(b'0' + u8::try_from(digit).unwrap_or_default()));
    }
}

/// Python's `urllib.parse.quote(s, safe='~')` and `quote(s, safe='')`: everything but
/// `A-Z a-z 0-9 - _ . ~` is `%XX` (upper-case hex) of its UTF-8 bytes.
pub(crate) const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// How a byte reads in a path: one of RFC 3986's unreserved characters, `/`, or anything else.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plain {
    Unreserved,
    Slash,
    Other,
}

/// [`Plain`] for every byte: one look-up per byte where signing checks whether text needs
/// quoting (most of it does not).
pub(crate) static PLAIN: [Plain; 256] = {
    let mut table = [Plain::Other; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            table[byte] = Plain::Unreserved;
        }
        byte += 1;
    }
    table[b'/' as usize] = Plain::Slash;
    table
};

/// `quote(text)` written into `out`; text needing no escapes (most of it) is copied as it is.
pub(crate) fn push_quoted(out: &mut String, text: &str) {
    if text.bytes().all(|b| PLAIN[usize::from(b)] == Plain::Unreserved) {
        out.push_str(text);
    } else {
        out.extend(utf8_percent_encode(text, UNRESERVED));
    }
}

/// `name.to_ascii_lowercase()`, written into `out`.
fn push_lower(out: &mut String, name: &str) {
    let start = out.len();
    out.push_str(name);
    out[start..].make_ascii_lowercase();
}

/// `method.to_uppercase()`, written into `out`.
fn push_upper(out: &mut String, method: &str) {
    if method.is_ascii() {
        let start = out.len();
        out.push_str(method);
        out[start..].make_ascii_uppercase();
    } else {
        out.push_str(&method.to_uppercase());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unsigned_request_sends_a_header_given_twice_once() {
        let request = RequestToSign {
            method: "GET",
            host: "example.com",
            path: "/v1/x",
            query: &[],
            headers: vec![("X-Auth-Token", "operation's"), ("Accept", "*/*"), ("X-Auth-Token", "credentials'")],
            body: &[],
        };
        let debug = format!("{request:?}");
        assert!(
            !debug.contains("credentials'") && !debug.contains("operation's") && debug.contains("X-Auth-Token"),
            "{debug}"
        );
        let sent = unsigned(request);
        assert_eq!(sent.headers, [("X-Auth-Token", "credentials'".into()), ("Accept", "*/*".into())]);
        assert_eq!(sent.path_and_query, "/v1/x");
    }

    #[test]
    fn an_empty_list_is_no_query() {
        let query = [("ids".to_owned(), QueryValue::List(Vec::new()))];
        let request =
            RequestToSign { method: "GET", host: "h", path: "/x", query: &query, headers: Vec::new(), body: &[] };
        assert_eq!(unsigned(request).path_and_query, "/x");
    }

    #[test]
    fn sorting_on_the_stack_or_the_heap_gives_the_same_stable_order() {
        for len in [0, 1, 2, 15, 16, 17, 40] {
            let items: Vec<(u8, usize)> = (0..len).map(|i| ((len - i) as u8 % 3, i)).collect();
            let mut expected: Vec<&(u8, usize)> = items.iter().collect();
            expected.sort_by_key(|item| item.0);
            with_sorted(items.iter(), |a, b| a.0.cmp(&b.0), |sorted| assert_eq!(sorted, expected, "{len} items"));
        }
    }

    #[test]
    fn quoting_copies_plain_text_and_escapes_the_rest() {
        let quote = |text: &str| {
            let mut out = String::from(">");
            push_quoted(&mut out, text);
            out
        };
        assert_eq!(quote("abc-_.~XYZ09"), ">abc-_.~XYZ09");
        let unreserved: Vec<u8> = (0..=255).filter(|&b| PLAIN[usize::from(b)] == Plain::Unreserved).collect();
        assert_eq!(unreserved, b"-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~");
        assert_eq!(quote("a b/中"), ">a%20b%2F%E4%B8%AD");
    }
}
