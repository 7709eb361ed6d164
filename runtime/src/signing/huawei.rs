//! Huawei Cloud AK/SK signing (`SDK-HMAC-SHA256`), as `huaweicloudsdkcore`'s `Signer` does it
//! (`../shared/fixtures/huaweicloud/signing.md`), quirks included:
//!
//! - the canonical URI is the path percent-decoded, split on `/`, each segment re-encoded, and
//!   always ending in `/` (so a `%2F` inside a segment is signed as a separator);
//! - the query is sorted on the raw values as Python compares them (text by code point,
//!   integers numerically), then encoded (and sent in that canonical form);
//! - headers are a dict, as the SDK's are: a name given twice exactly keeps its first place and
//!   its last value; names containing `_` are sent but not signed; values are trimmed; two
//!   names that differ only in case are both sent and both listed as signed, with the later
//!   one's value;
//! - `X-Sdk-Date` (checked to be `YYYYMMDDTHHMMSSZ` when given) and `Host` (with the port) are
//!   added unless present (a given `Host`, any case, is signed and must be the one sent);
//! - a request that already has a header named exactly `Authorization` is not signed;
//! - a non-JSON `Content-Type` adds `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD`, which then stands
//!   in for the body hash (except for an empty body, which hashes as empty).

use super::{
    push_digits, push_lower, push_quoted, push_upper, unsigned, Plain, QueryValue, RequestToSign, SignedRequest,
    SigningError, PLAIN,
};
use crate::credentials::{HuaweiAkSk, Secret};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// The algorithm name in the `Authorization` header.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const DATE_FORMAT: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");

/// Headers as the signer works on them: names and given values borrowed, computed values owned.
type Headers<'a> = Vec<(&'a str, Cow<'a, str>)>;

/// Signs with the key pair and the time `date` (used unless the request carries `X-Sdk-Date`).
///
/// The hot path of every AK/SK call: the canonical forms are written straight into the output
/// strings, the hashes hex-encoded on the stack and the names sorted on the stack, so the only
/// allocations are the outputs.
///
/// # Errors
///
/// [`SigningError::InvalidSdkDate`] when the request's own `X-Sdk-Date` is malformed.
pub fn sign<'a>(
    request: RequestToSign<'a>,
    ak: &str,
    sk: &Secret,
    date: time::OffsetDateTime,
) -> Result<SignedRequest<'a>, SigningError> {
    let RequestToSign { method, host, path, query, headers: given, body } = request;
    let mut headers: Headers<'a> = Vec::with_capacity(given.len() + 4);
    headers.extend(given.into_iter().map(|(name, value)| (name, Cow::Borrowed(value))));
    add_signing_headers(&mut headers, host, date)?;

    let path_and_query = path_and_query(path, query);
    let canonical_query = path_and_query.get(path.len() + 1..).unwrap_or_default();
    let headers_len: usize = headers.iter().map(|(k, v)| 2 * k.len() + v.len() + 3).sum();
    let mut canonical_request =
        String::with_capacity(method.len() + 2 * path.len() + canonical_query.len() + headers_len + 72);
    push_upper(&mut canonical_request, method);
    canonical_request.push('\n');
    write_canonical_uri(&mut canonical_request, path);
    canonical_request.push('\n');
    canonical_request.push_str(canonical_query);
    canonical_request.push('\n');
    let signed_headers = write_canonical_headers(&mut canonical_request, &headers);
    let mut hex_buffer = [0u8; 64];
    if body.is_empty() {
        canonical_request.push_str(EMPTY_SHA256);
    } else if let Some(declared) = find(&headers, "x-sdk-content-sha256") {
        canonical_request.push_str(declared);
    } else {
        canonical_request.push_str(hex_into(&mut hex_buffer, &Sha256::digest(body)));
    }

    let sdk_date = find(&headers, "x-sdk-date").unwrap_or_default();
    let mut string_to_sign = String::with_capacity(ALGORITHM.len() + sdk_date.len() + 66);
    for part in [ALGORITHM, "\n", sdk_date, "\n"] {
        string_to_sign.push_str(part);
    }
    string_to_sign.push_str(hex_into(&mut hex_buffer, &Sha256::digest(canonical_request.as_bytes())));
    let mut mac = Hmac::<Sha256>::new_from_slice(sk.expose().as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    let signature = hex_into(&mut hex_buffer, &mac.finalize().into_bytes()).to_owned();

    let signed_headers = &canonical_request[signed_headers];
    let mut authorization =
        String::with_capacity(ALGORITHM.len() + ak.len() + signed_headers.len() + signature.len() + 40);
    for part in [ALGORITHM, " Access=", ak, ", SignedHeaders=", signed_headers, ", Signature=", &signature] {
        authorization.push_str(part);
    }
    headers.push(("Authorization", Cow::Owned(authorization)));
    Ok(SignedRequest { path_and_query, headers, canonical_request, string_to_sign, signature })
}

/// What the SDK adds before signing: `X-Sdk-Content-Sha256` for a non-JSON body, `X-Sdk-Date`
/// (or checks the given one), `Host`; and every value trimmed.
fn add_signing_headers<'a>(
    headers: &mut Headers<'a>,
    host: &'a str,
    date: time::OffsetDateTime,
) -> Result<(), SigningError> {
    collapse_exact_duplicates(headers);
    // The SDK's `header_params.get("Content-Type")`: exact name, and an empty value counts as none.
    if let Some((_, content_type)) = headers.iter().find(|(k, v)| *k == "Content-Type" && !v.is_empty()) {
        if !content_type.starts_with("application/json") && !content_type.starts_with("application/bson") {
            headers.push(("X-Sdk-Content-Sha256", Cow::Borrowed("UNSIGNED-PAYLOAD")));
        }
    }
    match find(headers, "x-sdk-date") {
        Some(existing) => {
            if time::PrimitiveDateTime::parse(existing, DATE_FORMAT).is_err() {
                return Err(SigningError::InvalidSdkDate(existing.to_owned()));
            }
        }
        None => headers.push(("X-Sdk-Date", Cow::Owned(sdk_date(date)))),
    }
    if find(headers, "host").is_none() {
        headers.push(("Host", Cow::Borrowed(host)));
    }
    // Only given values need trimming: the computed ones have no spaces.
    for (_, value) in headers.iter_mut() {
        if let Cow::Borrowed(text) = value {
            *text = text.trim();
        }
    }
    Ok(())
}

/// `X-Sdk-Date` for `date` (`YYYYMMDDTHHMMSSZ`, UTC), written directly for four-digit years.
fn sdk_date(date: time::OffsetDateTime) -> String {
    let date = date.to_offset(time::UtcOffset::UTC);
    if !(0..=9999).contains(&date.year()) {
        return date.format(DATE_FORMAT).unwrap_or_default();
    }
    let mut out = String::with_capacity(16);
    let (hour, minute, second) = date.to_hms();
    push_digits(&mut out, date.year().unsigned_abs(), 4);
    push_digits(&mut out, u8::from(date.month()).into(), 2);
    push_digits(&mut out, date.day().into(), 2);
    out.push('T');
    for part in [hour, minute, second] {
        push_digits(&mut out, part.into(), 2);
    }
    out.push('Z');
    out
}

/// The bytes of `name`, ASCII lower-cased (as `to_ascii_lowercase`, without a new string).
fn lower(name: &str) -> impl Iterator<Item = u8> + '_ {
    name.bytes().map(|b| b.to_ascii_lowercase())
}

/// Lower-case hex of `digest` in `buffer` (at least twice its length).
fn hex_into<'a>(buffer: &'a mut [u8; 64], digest: &[u8]) -> &'a str {
    let hex = &mut buffer[..digest.len() * 2];
    hex::encode_to_slice(digest, hex).expect("the buffer holds the digest's hex");
    std::str::from_utf8(hex).expect("hex is ASCII")
}

/// Writes the canonical header lines (`name:value\n`, names lower-cased and sorted, those with
/// `_` left out) and then the signed header list (`a;b`) into `out`; returns the list's range.
fn write_canonical_headers(out: &mut String, headers: &[(&str, Cow<'_, str>)]) -> std::ops::Range<usize> {
    // Names are unique by now, but `X-A` and `x-a` are both in the SDK's dict, so both are listed.
    let names = headers.iter().map(|(k, _)| *k).filter(|k| !k.contains('_'));
    super::with_sorted(
        names,
        |a, b| lower(a).cmp(lower(b)),
        |signed| {
            for name in signed {
                // A later header differing only in case wins, as in the SDK's lower-cased map.
                let value = headers.iter().rev().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_ref());
                push_lower(out, name);
                out.push(':');
                out.push_str(value.unwrap_or_default());
                out.push('\n');
            }
            out.push('\n');
            let start = out.len();
            for (i, name) in signed.iter().enumerate() {
                if i > 0 {
                    out.push(';');
                }
                push_lower(out, name);
            }
            let range = start..out.len();
            out.push('\n');
            range
        },
    )
}

/// Signs as `BasicCredentials.sign_request` does: `X-Project-Id` (when a project id is known)
/// and `X-Security-Token` (temporary keys) are added first, and so are signed; a request that
/// already has a header named exactly `Authorization` is sent as it is, unsigned.
///
/// # Errors
///
/// As [`sign`].
pub fn sign_with_credentials<'a>(
    mut request: RequestToSign<'a>,
    key: &'a HuaweiAkSk,
    project_id: Option<&'a str>,
    date: time::OffsetDateTime,
) -> Result<SignedRequest<'a>, SigningError> {
    if let Some(project_id) = project_id {
        request.headers.push(("X-Project-Id", project_id));
    }
    if let Some(token) = &key.security_token {
        request.headers.push(("X-Security-Token", token.expose()));
    }
    if request.headers.iter().any(|(k, _)| *k == "Authorization") {
        return Ok(unsigned(request));
    }
    sign(request, &key.ak, &key.sk, date)
}

/// Headers as the SDK's dict holds them: a name given again (exactly, case included) replaces
/// the earlier value in the earlier place, so it is signed and sent once.
pub(crate) fn collapse_exact_duplicates<V>(headers: &mut Vec<(&str, V)>) {
    let mut index = 1;
    while index < headers.len() {
        match headers[..index].iter().position(|(k, _)| *k == headers[index].0) {
            Some(earlier) => {
                let (_, value) = headers.remove(index);
                headers[earlier].1 = value;
            }
            None => index += 1,
        }
    }
}

fn find<'h>(headers: &'h [(&str, Cow<'_, str>)], lower_name: &str) -> Option<&'h str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(lower_name)).map(|(_, v)| v.as_ref())
}

/// The path decoded, split on `/`, each segment re-encoded, with a trailing `/`.
pub fn canonical_uri(path: &str) -> String {
    let mut uri = String::with_capacity(path.len() + 1);
    write_canonical_uri(&mut uri, path);
    uri
}

fn write_canonical_uri(out: &mut String, path: &str) {
    // A path of unreserved characters and `/` (most are) decodes and encodes to itself.
    if path.bytes().all(|b| PLAIN[usize::from(b)] != Plain::Other) {
        out.push_str(path);
        if !path.ends_with('/') {
            out.push('/');
        }
        return;
    }
    let decoded = match path.contains('%') {
        true => percent_encoding::percent_decode_str(path).decode_utf8_lossy(),
        false => Cow::Borrowed(path),
    };
    let start = out.len();
    for (i, segment) in decoded.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        push_quoted(out, segment);
    }
    if !out[start..].ends_with('/') {
        out.push('/');
    }
}

/// The query sorted on raw `(key, value)` pairs as Python sorts tuples, then each side encoded;
/// `k=v` joined by `&`. A boolean is `true`/`false`; a list is sorted and gives one pair per item
/// (`str(item)`, so a boolean item is `True`).
pub fn canonical_query(query: &[(String, QueryValue)]) -> String {
    let mut out = String::new();
    write_canonical_query(&mut out, query);
    out
}

/// What goes on the request line, signed or not: `path?query`, the query in its canonical form
/// (one string, sized once), or `path` alone when there is no query.
pub(crate) fn path_and_query(path: &str, query: &[(String, QueryValue)]) -> String {
    let mut out = String::with_capacity(path.len() + 1 + super::query_len_hint(query));
    out.push_str(path);
    out.push('?');
    write_canonical_query(&mut out, query);
    if out.len() == path.len() + 1 {
        out.pop(); // no query: no `?`
    }
    out
}

fn write_canonical_query(out: &mut String, query: &[(String, QueryValue)]) {
    let compare = |a: &(String, QueryValue), b: &(String, QueryValue)| a.0.cmp(&b.0).then_with(|| a.1.python_cmp(&b.1));
    super::with_sorted(query.iter(), compare, |pairs| {
        let mut first = true;
        let mut pair = |out: &mut String, key: &str, value: &dyn Fn(&mut String)| {
            if !std::mem::take(&mut first) {
                out.push('&');
            }
            push_quoted(out, key);
            out.push('=');
            value(out);
        };
        for (key, value) in pairs.iter().map(|pair| (&pair.0, &pair.1)) {
            match value {
                QueryValue::List(items) => super::with_sorted(items.iter(), QueryValue::python_cmp, |items| {
                    for item in items {
                        pair(out, key, &|out| push_quoted(out, &item.python_str()));
                    }
                }),
                QueryValue::Bool(b) => pair(out, key, &|out| out.push_str(if *b { "true" } else { "false" })),
                QueryValue::Text(text) => pair(out, key, &|out| push_quoted(out, text)),
                // Digits and `-` need no quoting.
                QueryValue::Int(n) => pair(out, key, &|out| {
                    let _ = std::fmt::Write::write_fmt(out, format_args!("{n}"));
                }),
            }
        }
    });
}

/// Recomputes the signature of a request as a server received it (method, URL, headers, body)
/// with the secret key `sk`, and checks its `Authorization`: the access key is `ak`, and the
/// signature over the headers it lists is the one sent. For fake servers in tests.
///
/// # Errors
///
/// What does not match, without the secret.
pub fn verify_received(
    method: &str,
    url: &url::Url,
    headers: &[(String, String)],
    body: &[u8],
    ak: &str,
    sk: &str,
) -> Result<(), String> {
    let authorization = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.as_str())
        .ok_or("no Authorization header")?;
    let rest = authorization.strip_prefix(ALGORITHM).ok_or("not an SDK-HMAC-SHA256 Authorization")?;
    let field = |name: &str| rest.split(',').map(str::trim).find_map(|part| part.strip_prefix(name)).map(str::to_owned);
    let access = field("Access=").ok_or("no Access= in Authorization")?;
    if access != ak {
        return Err(format!("signed with access key {access:?}, not {ak:?}"));
    }
    let signed_names = field("SignedHeaders=").ok_or("no SignedHeaders= in Authorization")?;
    let signed: Vec<&str> = signed_names.split(';').collect();
    let kept = headers
        .iter()
        .filter(|(k, _)| {
            signed.contains(&k.to_ascii_lowercase().as_str()) && !k.eq_ignore_ascii_case("x-sdk-content-sha256")
        })
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let query: Vec<(String, QueryValue)> =
        url.query_pairs().map(|(k, v)| (k.into_owned(), QueryValue::Text(v.into_owned()))).collect();
    let request = RequestToSign {
        method,
        host: url.host_str().unwrap_or_default(),
        path: url.path(),
        query: &query,
        headers: kept,
        body,
    };
    let recomputed = sign(request, ak, &Secret::new(sk), time::OffsetDateTime::now_utc()).map_err(|e| e.to_string())?;
    match recomputed.header("Authorization") {
        Some(expected) if expected == authorization => Ok(()),
        _ => Err(format!("the signature does not match; canonical request:\n{}", recomputed.canonical_request)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_uri_quirks() {
        assert_eq!(canonical_uri("/v1.1/p/clusters"), "/v1.1/p/clusters/");
        assert_eq!(canonical_uri("/v1.1/p/clusters/"), "/v1.1/p/clusters/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri("/clusters/a%2Fb%20c"), "/clusters/a/b%20c/");
        assert_eq!(canonical_uri("/x+y/%e4%b8%ad"), "/x%2By/%E4%B8%AD/");
    }

    #[test]
    fn query_sorted_raw_then_encoded() {
        let q = |pairs: &[(&str, &str)]| {
            pairs.iter().map(|(k, v)| (k.to_string(), QueryValue::from(*v))).collect::<Vec<_>>()
        };
        assert_eq!(canonical_query(&q(&[("é", "1"), ("z", "2")])), "z=2&%C3%A9=1");
        assert_eq!(
            canonical_query(&q(&[("tag", "b"), ("id", "2"), ("tag", "a"), ("id", "10")])),
            "id=10&id=2&tag=a&tag=b"
        );
        assert_eq!(canonical_query(&q(&[("q", "a b+c/=&*~"), ("e", "")])), "e=&q=a%20b%2Bc%2F%3D%26%2A~");
    }

    /// Python: `sorted([("id", 10), ("id", 2)])` is `[("id", 2), ("id", 10)]`; `True == 1`.
    #[test]
    fn typed_query_values_sort_and_print_as_in_python() {
        let int = |k: &str, n: i64| (k.to_owned(), QueryValue::Int(n));
        assert_eq!(canonical_query(&[int("id", 10), int("id", 2)]), "id=2&id=10");
        let flags =
            vec![("f".to_owned(), QueryValue::Bool(true)), int("f", 0), ("a".to_owned(), QueryValue::Bool(false))];
        assert_eq!(canonical_query(&flags), "a=false&f=0&f=true");
        let list = vec![(
            "ids".to_owned(),
            QueryValue::List(vec![QueryValue::Int(10), QueryValue::Int(2), QueryValue::Bool(true)]),
        )];
        assert_eq!(canonical_query(&list), "ids=True&ids=2&ids=10");
    }

    fn request<'a>(headers: &[(&'a str, &'a str)]) -> RequestToSign<'a> {
        RequestToSign {
            method: "GET",
            host: "h.example:8443",
            path: "/v1/x",
            query: &[],
            headers: headers.to_vec(),
            body: &[],
        }
    }

    #[test]
    fn names_differing_in_case_are_both_signed_with_the_later_value() {
        let signed = sign(
            request(&[("X-Sdk-Date", "20240601T120000Z"), ("X-A", "1"), ("x-a", "2")]),
            "AK",
            &Secret::new("SK"),
            time::OffsetDateTime::UNIX_EPOCH,
        )
        .unwrap();
        assert!(
            signed.canonical_request.contains("\nhost:h.example:8443\nx-a:2\nx-a:2\nx-sdk-date:"),
            "{}",
            signed.canonical_request
        );
        assert!(signed.canonical_request.contains("\nhost;x-a;x-a;x-sdk-date\n"), "{}", signed.canonical_request);
        assert_eq!(signed.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case("x-a")).count(), 2);
    }

    /// `{"User-Agent": "a", ...}` updated with `"User-Agent": "b"` holds one `User-Agent`, `b`,
    /// in its first place; a case-differing name stays separate.
    #[test]
    fn a_name_given_twice_exactly_is_signed_and_sent_once_with_the_later_value() {
        let headers = [
            ("User-Agent", "runtime"),
            ("X-Sdk-Date", "20240601T120000Z"),
            ("X-A", "1"),
            ("User-Agent", "op"),
            ("x-a", "2"),
        ];
        let signed = sign(request(&headers), "AK", &Secret::new("SK"), time::OffsetDateTime::UNIX_EPOCH).unwrap();
        assert!(
            signed.canonical_request.contains("\nhost;user-agent;x-a;x-a;x-sdk-date\n"),
            "{}",
            signed.canonical_request
        );
        assert!(signed.canonical_request.contains("\nuser-agent:op\nx-a:2\nx-a:2\n"), "{}", signed.canonical_request);
        let names: Vec<&str> = signed.headers.iter().map(|(k, _)| *k).collect();
        assert_eq!(names, ["User-Agent", "X-Sdk-Date", "X-A", "x-a", "Host", "Authorization"]);
        assert_eq!(signed.header("User-Agent"), Some("op"));
    }

    /// The credentials' `X-Project-Id` replaces an operation's own, as the SDK's
    /// `header_params["X-Project-Id"] = project_id` does; signed and sent once either way.
    #[test]
    fn credentials_headers_replace_a_request_header_of_the_same_name() {
        let key = HuaweiAkSk { ak: "AK".into(), sk: Secret::new("SK"), security_token: None };
        let signed = sign_with_credentials(
            request(&[("X-Project-Id", "op"), ("X-Sdk-Date", "20240601T120000Z")]),
            &key,
            Some("p"),
            time::OffsetDateTime::UNIX_EPOCH,
        )
        .unwrap();
        assert!(signed.canonical_request.contains("\nhost;x-project-id;x-sdk-date\n"), "{}", signed.canonical_request);
        assert_eq!(
            signed.headers.iter().filter(|(k, _)| *k == "X-Project-Id").map(|(_, v)| v.as_ref()).collect::<Vec<&str>>(),
            ["p"]
        );
        let unsigned = sign_with_credentials(
            request(&[("Authorization", "Bearer x"), ("X-Project-Id", "op")]),
            &key,
            Some("p"),
            time::OffsetDateTime::UNIX_EPOCH,
        )
        .unwrap();
        assert_eq!(
            unsigned
                .headers
                .iter()
                .filter(|(k, _)| *k == "X-Project-Id")
                .map(|(_, v)| v.as_ref())
                .collect::<Vec<&str>>(),
            ["p"]
        );
    }

    #[test]
    fn a_given_host_is_signed_instead_of_the_endpoint() {
        let signed = sign(
            request(&[("X-Sdk-Date", "20240601T120000Z"), ("host", "other.example")]),
            "AK",
            &Secret::new("SK"),
            time::OffsetDateTime::UNIX_EPOCH,
        )
        .unwrap();
        assert!(signed.canonical_request.contains("\nhost:other.example\n"), "{}", signed.canonical_request);
        assert_eq!(signed.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case("host")).count(), 1);
    }

    #[test]
    fn a_malformed_sdk_date_is_refused() {
        for bad in ["2024-06-01T12:00:00Z", "20240601T120000", "20241301T120000Z", ""] {
            let result =
                sign(request(&[("x-sdk-date", bad)]), "AK", &Secret::new("SK"), time::OffsetDateTime::UNIX_EPOCH);
            assert_eq!(result, Err(SigningError::InvalidSdkDate(bad.to_owned())));
        }
    }

    #[test]
    fn an_explicit_authorization_header_means_unsigned() {
        let key = HuaweiAkSk { ak: "AK".into(), sk: Secret::new("SK"), security_token: Some(Secret::new("tok")) };
        let mut req = request(&[("Authorization", "Bearer x")]);
        let query = [("b".into(), "2".into()), ("a".into(), "1 2".into())];
        req.query = &query;
        let signed = sign_with_credentials(req, &key, Some("p"), time::OffsetDateTime::UNIX_EPOCH).unwrap();
        assert_eq!(signed.path_and_query, "/v1/x?a=1%202&b=2");
        let names: Vec<&str> = signed.headers.iter().map(|(k, _)| *k).collect();
        assert_eq!(names, ["Authorization", "X-Project-Id", "X-Security-Token"]);
        assert_eq!(signed.header("Authorization"), Some("Bearer x"));
        assert!(signed.signature.is_empty());
        // Only the exact name counts, as in the SDK's dict lookup.
        let signed = sign_with_credentials(
            request(&[("authorization", "Bearer x")]),
            &key,
            None,
            time::OffsetDateTime::UNIX_EPOCH,
        )
        .unwrap();
        assert!(!signed.signature.is_empty());
    }

    #[test]
    fn an_empty_content_type_is_no_content_type() {
        let signed = sign(
            request(&[("Content-Type", ""), ("X-Sdk-Date", "20240601T120000Z")]),
            "AK",
            &Secret::new("SK"),
            time::OffsetDateTime::UNIX_EPOCH,
        )
        .unwrap();
        assert_eq!(signed.header("X-Sdk-Content-Sha256"), None);
    }
}
