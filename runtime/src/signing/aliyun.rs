//! Alibaba Cloud BatchCompute signing (`acs` HMAC-SHA1), as the official `batchcompute` SDK
//! does it (`../shared/fixtures/aliyun-batchcompute/signing.md`).
//!
//! The signer lays out the SDK's headers in its order (`Date`, the `x-acs-*` set, `Accept`,
//! `Content-Type`, `User-Agent`, `contentMd5` for a non-empty body, `Content-Length`), then merges
//! the caller's headers last as the SDK's `dict.update` does: a name equal to one already there
//! (exactly, case included) replaces its value in place, any other name is appended. Then comes
//! `Authorization`. As in the SDK, the MD5 line of the string to sign stays empty: the SDK names
//! its header `contentMd5` but looks up `Content-MD5`.
//!
//! The region (`x-acs-region-id`) comes from the endpoint's host, as the SDK finds it
//! ([`region_for_host`]), unless one is configured.

use super::{push_digits, push_quoted, QueryValue, RequestToSign, SignedRequest, UNRESERVED};
use crate::credentials::{AliyunAccessKey, Secret};
use base64::Engine;
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use percent_encoding::utf8_percent_encode;
use sha1::Sha1;
use std::borrow::Cow;

const DATE_FORMAT: &[time::format_description::FormatItem<'static>] = time::macros::format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

/// The `User-Agent` the official SDK sends; a caller's `User-Agent` header replaces it.
pub const SDK_USER_AGENT: &str = "Mozilla/5.0 (Windows NT 6.1)";

/// The regions of the SDK's endpoint table (`ENDPOINT_INFO`), each at
/// `batchcompute.<region>.aliyuncs.com`.
pub const REGIONS: &[&str] = &[
    "cn-qingdao",
    "cn-hangzhou",
    "cn-shenzhen",
    "cn-beijing",
    "cn-chengdu",
    "cn-zhangjiakou",
    "cn-huhehaote",
    "cn-shanghai",
    "cn-hongkong",
    "ap-southeast-1",
    "ap-southeast-2",
    "eu-central-1",
    "us-west-1",
    "us-east-1",
];

/// The region whose endpoint is `host` (a port, if any, is ignored), by the SDK's reverse lookup
/// of its endpoint table; `None` for any other host (the SDK raises `ConfigError`).
pub fn region_for_host(host: &str) -> Option<&'static str> {
    // Only `batchcompute.*` names can match, so cutting at the first ':' (an IPv6 literal
    // included) is enough to drop a port.
    let host = host.split(':').next().unwrap_or(host);
    let region = host.to_ascii_lowercase().strip_prefix("batchcompute.")?.strip_suffix(".aliyuncs.com")?.to_owned();
    REGIONS.iter().copied().find(|r| *r == region)
}

/// The region id to sign with: `configured` when given (it wins, as `register_region` lets the
/// SDK point any host at any region), else the one [`region_for_host`] finds for `host`.
///
/// # Errors
///
/// A message for the caller when neither gives a region: the host is not one of the SDK's
/// endpoints (a loopback, proxy or test endpoint must name its region explicitly).
pub fn region_id(configured: Option<&str>, host: &str) -> Result<String, String> {
    if let Some(region) = configured {
        return Ok(region.to_owned());
    }
    region_for_host(host).map(str::to_owned).ok_or_else(|| {
        format!(
            "cannot tell the BatchCompute region of endpoint host {host:?}: it is not batchcompute.<region>.aliyuncs.com for a known region ({}); set Config::builder().region(..) (required for local and proxy endpoints)",
            REGIONS.join(", ")
        )
    })
}

/// What one signing needs besides the request.
#[derive(Debug, Clone, Copy)]
pub struct SigningParams<'a> {
    /// The AccessKey id.
    pub access_key_id: &'a str,
    /// The AccessKey secret.
    pub secret: &'a Secret,
    /// The STS token of temporary credentials, sent as `x-acs-security-token`.
    pub security_token: Option<&'a Secret>,
    /// The region, sent as `x-acs-region-id`.
    pub region_id: &'a str,
    /// The API version (`2015-11-11`), sent as `x-acs-version`.
    pub api_version: &'a str,
    /// The signing time, sent as `Date`.
    pub date: time::OffsetDateTime,
    /// A fresh value per request (the SDK sends `uuid1()`).
    pub nonce: &'a str,
}

/// Signs `request`. Only the outputs are allocated: the SDK's fixed headers are borrowed, the
/// sort orders kept on the stack, the signature encoded on the stack.
pub fn sign<'a>(request: RequestToSign<'a>, params: &SigningParams<'a>) -> SignedRequest<'a> {
    let RequestToSign { method, host: _, path, query, headers: caller_headers, body } = request;
    let mut headers: Vec<(&'a str, Cow<'a, str>)> = Vec::with_capacity(14 + caller_headers.len());
    headers.extend([
        ("Date", Cow::Owned(http_date(params.date))),
        ("x-acs-region-id", Cow::Borrowed(params.region_id)),
        ("x-acs-access-key-id", Cow::Borrowed(params.access_key_id)),
    ]);
    if let Some(token) = params.security_token.map(|t| t.expose().trim()).filter(|t| !t.is_empty()) {
        headers.push(("x-acs-security-token", Cow::Borrowed(token)));
    }
    headers.extend([
        ("x-acs-signature-method", Cow::Borrowed("HMAC-SHA1")),
        ("x-acs-signature-version", Cow::Borrowed("1.0")),
        ("x-acs-version", Cow::Borrowed(params.api_version)),
        ("x-acs-signature-nonce", Cow::Borrowed(params.nonce)),
        ("Accept", Cow::Borrowed("application/json")),
        ("Content-Type", Cow::Borrowed("application/json")),
        ("User-Agent", Cow::Borrowed(SDK_USER_AGENT)),
    ]);
    if !body.is_empty() {
        headers.push(("contentMd5", Cow::Owned(hex::encode(Md5::digest(body)))));
    }
    let length = if body.is_empty() { Cow::Borrowed("0") } else { Cow::Owned(body.len().to_string()) };
    headers.push(("Content-Length", length));
    // The caller's headers are merged last, as the SDK's `headers.update(user_headers)`: same
    // name (case-sensitive, as dict keys are) replaces in place, a new name is appended.
    for (name, value) in caller_headers {
        match headers.iter_mut().find(|(k, _)| *k == name) {
            Some(existing) => existing.1 = Cow::Borrowed(value),
            None => headers.push((name, Cow::Borrowed(value))),
        }
    }

    let resource = request_target(path, query);
    let string_to_sign = string_to_sign(method, &headers, &resource);
    let mut mac =
        Hmac::<Sha1>::new_from_slice(params.secret.expose().as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    // 20 bytes of HMAC-SHA1 are 28 characters of base64, encoded on the stack.
    let mut base64_buffer = [0u8; 28];
    let written = base64::engine::general_purpose::STANDARD
        .encode_slice(mac.finalize().into_bytes(), &mut base64_buffer)
        .expect("28 bytes hold the base64 of 20");
    let signature = std::str::from_utf8(&base64_buffer[..written]).expect("base64 is ASCII");
    let mut authorization = String::with_capacity(5 + params.access_key_id.len() + signature.len());
    for part in ["acs ", params.access_key_id, ":", signature] {
        authorization.push_str(part);
    }
    let signature = signature.to_owned();
    headers.push(("Authorization", Cow::Owned(authorization)));
    SignedRequest { path_and_query: resource, headers, canonical_request: String::new(), string_to_sign, signature }
}

/// [`sign`] with an [`AliyunAccessKey`].
pub fn sign_with_credentials<'a>(
    request: RequestToSign<'a>,
    key: &'a AliyunAccessKey,
    region_id: &'a str,
    api_version: &'a str,
    date: time::OffsetDateTime,
    nonce: &'a str,
) -> SignedRequest<'a> {
    let params = SigningParams {
        access_key_id: &key.id,
        secret: &key.secret,
        security_token: key.security_token.as_ref(),
        region_id,
        api_version,
        date,
        nonce,
    };
    sign(request, &params)
}

/// `path?query` with the query sorted by key, keys' `_` turned into `-`, both sides encoded, and
/// a bare key for an empty value.
pub fn request_target(path: &str, query: &[(String, QueryValue)]) -> String {
    let mut target = String::with_capacity(path.len() + 1 + super::query_len_hint(query));
    target.push_str(path);
    super::with_sorted(
        query.iter(),
        |a, b| a.0.cmp(&b.0),
        |pairs| {
            for (i, (key, value)) in pairs.iter().map(|pair| (&pair.0, &pair.1)).enumerate() {
                target.push(if i == 0 { '?' } else { '&' });
                if key.contains('_') {
                    // `_` in a key is sent as `-`; both are unreserved, so only literal chunks hold one.
                    for chunk in utf8_percent_encode(key, UNRESERVED) {
                        target.extend(chunk.chars().map(|c| if c == '_' { '-' } else { c }));
                    }
                } else {
                    push_quoted(&mut target, key);
                }
                let python = match value {
                    QueryValue::Text(text) => Cow::Borrowed(text.as_str()),
                    other => Cow::Owned(other.python_str()),
                };
                if !python.trim().is_empty() {
                    target.push('=');
                    push_quoted(&mut target, &python);
                }
            }
        },
    );
    target
}

/// `Date` as the SDK sends it (`Sat, 01 Jun 2024 12:00:00 GMT`), written directly for
/// four-digit years.
fn http_date(date: time::OffsetDateTime) -> String {
    let date = date.to_offset(time::UtcOffset::UTC);
    if !(0..=9999).contains(&date.year()) {
        return date.format(DATE_FORMAT).unwrap_or_default();
    }
    let weekday =
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][usize::from(date.weekday().number_days_from_monday())];
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        [usize::from(u8::from(date.month()) - 1)];
    let (hour, minute, second) = date.to_hms();
    let mut out = String::with_capacity(29);
    out.push_str(weekday);
    out.push_str(", ");
    push_digits(&mut out, date.day().into(), 2);
    out.push(' ');
    out.push_str(month);
    out.push(' ');
    push_digits(&mut out, date.year().unsigned_abs(), 4);
    for (separator, part) in [(' ', hour), (':', minute), (':', second)] {
        out.push(separator);
        push_digits(&mut out, part.into(), 2);
    }
    out.push_str(" GMT");
    out
}

fn string_to_sign(method: &str, headers: &[(&str, Cow<'_, str>)], resource: &str) -> String {
    let last = |name: &str| {
        headers.iter().rev().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_ref()).unwrap_or_default()
    };
    let acs = headers.iter().filter(|(k, _)| is_acs(k));
    super::with_sorted(
        acs,
        |a, b| a.0.cmp(b.0),
        |acs| {
            let acs_len: usize = acs.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
            let mut out = String::with_capacity(method.len() + 128 + resource.len() + acs_len);
            super::push_upper(&mut out, method);
            for line in [trim(last("accept")), trim(last("content-md5")), trim(last("content-type")), last("date")] {
                out.push('\n');
                out.push_str(line);
            }
            out.push('\n');
            for (name, value) in acs.iter().map(|header| (header.0, &header.1)) {
                super::push_lower(&mut out, trim(name));
                out.push(':');
                out.push_str(value);
                out.push('\n');
            }
            out.push_str(resource);
            out
        },
    )
}

/// Whether `name` (trimmed, any case) starts with `x-acs-`: the headers the SDK signs by name.
fn is_acs(name: &str) -> bool {
    trim(name).as_bytes().get(..6).is_some_and(|prefix| prefix.eq_ignore_ascii_case(b"x-acs-"))
}

/// `text.trim()`, skipping the search for the usual text that starts and ends with a visible
/// ASCII character (Unicode spaces are not ASCII, so none can be at its ends).
fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_keys_and_empty_values() {
        let q = vec![
            ("MaxItemCount".to_owned(), QueryValue::Int(50)),
            ("Marker".to_owned(), "".into()),
            ("a_b".to_owned(), "x y/".into()),
        ];
        assert_eq!(request_target("/clusters", &q), "/clusters?Marker&MaxItemCount=50&a-b=x%20y%2F");
        assert_eq!(request_target("/clusters", &[]), "/clusters");
        // Sorted on the original key: `MaxA` < `Max_Item` ('A' < '_'), though `Max-Item` < `MaxA`.
        let q = vec![("Max_Item".to_owned(), QueryValue::from("中")), ("MaxA".to_owned(), "1".into())];
        assert_eq!(request_target("/x", &q), "/x?MaxA=1&Max-Item=%E4%B8%AD");
    }

    #[test]
    fn trimming_keeps_plain_text_and_trims_spaces_of_any_kind() {
        for (text, trimmed) in [("x-acs-a", "x-acs-a"), (" x ", "x"), ("\u{3000}x\u{a0}", "x"), ("", ""), (" ", "")] {
            assert_eq!(trim(text), trimmed, "{text:?}");
        }
    }

    #[test]
    fn region_from_the_sdk_endpoint_table() {
        assert_eq!(region_for_host("batchcompute.cn-beijing.aliyuncs.com"), Some("cn-beijing"));
        assert_eq!(region_for_host("batchcompute.us-east-1.aliyuncs.com:443"), Some("us-east-1"));
        assert_eq!(region_for_host("batchcompute.mars-1.aliyuncs.com"), None);
        assert_eq!(region_for_host("127.0.0.1:8080"), None);
        assert_eq!(region_id(Some("cn-hangzhou"), "batchcompute.cn-beijing.aliyuncs.com").unwrap(), "cn-hangzhou");
        assert_eq!(region_id(None, "batchcompute.cn-beijing.aliyuncs.com").unwrap(), "cn-beijing");
        let err = region_id(None, "127.0.0.1:8080").unwrap_err();
        assert!(err.contains("127.0.0.1:8080") && err.contains("region(..)"), "{err}");
    }

    fn signed_with_headers<'a>(headers: &[(&'a str, &'a str)], secret: &'a Secret) -> SignedRequest<'a> {
        let request = RequestToSign {
            method: "GET",
            host: "h",
            path: "/clusters",
            query: &[],
            headers: headers.to_vec(),
            body: &[],
        };
        let params = SigningParams {
            access_key_id: "AK",
            secret,
            security_token: None,
            region_id: "cn-shenzhen",
            api_version: "2015-11-11",
            date: time::OffsetDateTime::UNIX_EPOCH,
            nonce: "n",
        };
        sign(request, &params)
    }

    #[test]
    fn caller_headers_merge_last_case_sensitively() {
        let secret = Secret::new("S");
        let headers = [("User-Agent", "mine"), ("x-acs-request-id", "r-1"), ("accept", "text/plain")];
        let signed = signed_with_headers(&headers, &secret);
        let names: Vec<&str> = signed.headers.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            names,
            [
                "Date",
                "x-acs-region-id",
                "x-acs-access-key-id",
                "x-acs-signature-method",
                "x-acs-signature-version",
                "x-acs-version",
                "x-acs-signature-nonce",
                "Accept",
                "Content-Type",
                "User-Agent",
                "Content-Length",
                "x-acs-request-id",
                "accept",
                "Authorization"
            ]
        );
        assert_eq!(signed.header("User-Agent"), Some("mine"));
        // The user's `x-acs-request-id` is signed; the later `accept` wins the Accept line.
        assert!(signed.string_to_sign.starts_with("GET\ntext/plain\n"), "{}", signed.string_to_sign);
        assert!(
            signed
                .string_to_sign
                .contains("\nx-acs-region-id:cn-shenzhen\nx-acs-request-id:r-1\nx-acs-signature-method:"),
            "{}",
            signed.string_to_sign
        );
    }
}
