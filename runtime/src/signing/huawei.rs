//! Huawei Cloud AK/SK signing (`SDK-HMAC-SHA256`), as `huaweicloudsdkcore`'s `Signer` does it
//! (`../shared/fixtures/huaweicloud/signing.md`), quirks included:
//!
//! - the canonical URI is the path percent-decoded, split on `/`, each segment re-encoded, and
//!   always ending in `/` (so a `%2F` inside a segment is signed as a separator);
//! - the query is sorted on the raw strings, then encoded (and sent in that canonical form);
//! - header names containing `_` are sent but not signed; values are trimmed;
//! - `X-Sdk-Date` and `Host` (with the port) are added unless present;
//! - a non-JSON `Content-Type` adds `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD`, which then stands
//!   in for the body hash (except for an empty body, which hashes as empty).

use super::{quote, RequestToSign, SignedRequest};
use crate::credentials::{HuaweiAkSk, Secret};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const DATE_FORMAT: &[time::format_description::FormatItem<'static>] = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");

/// Signs with the key pair and the time `date` (used unless the request carries `X-Sdk-Date`).
pub fn sign(request: RequestToSign, ak: &str, sk: &Secret, date: time::OffsetDateTime) -> SignedRequest {
    let RequestToSign { method, host, path, query, mut headers, body } = request;

    if let Some((_, content_type)) = headers.iter().find(|(k, _)| k == "Content-Type") {
        if !content_type.starts_with("application/json") && !content_type.starts_with("application/bson") {
            headers.push(("X-Sdk-Content-Sha256".to_owned(), "UNSIGNED-PAYLOAD".to_owned()));
        }
    }
    let sdk_date = match find(&headers, "x-sdk-date") {
        Some(existing) => existing.to_owned(),
        None => {
            let formatted = date.to_offset(time::UtcOffset::UTC).format(DATE_FORMAT).unwrap_or_default();
            headers.push(("X-Sdk-Date".to_owned(), formatted.clone()));
            formatted
        }
    };
    if find(&headers, "host").is_none() {
        headers.push(("Host".to_owned(), host));
    }
    for (_, value) in headers.iter_mut() {
        *value = value.trim().to_owned();
    }

    let mut signed_names: Vec<String> = headers.iter().filter(|(k, _)| !k.contains('_')).map(|(k, _)| k.to_ascii_lowercase()).collect();
    signed_names.sort();
    signed_names.dedup();
    let signed_headers = signed_names.join(";");
    let mut canonical_headers = String::new();
    for name in &signed_names {
        // A later header differing only in case wins, as in the SDK's dict.
        let value = headers.iter().rev().find(|(k, _)| k.to_ascii_lowercase() == *name).map(|(_, v)| v.as_str()).unwrap_or_default();
        canonical_headers.push_str(&format!("{name}:{value}\n"));
    }

    let payload_hash = if body.is_empty() {
        EMPTY_SHA256.to_owned()
    } else if let Some(declared) = find(&headers, "x-sdk-content-sha256") {
        declared.to_owned()
    } else {
        hex::encode(Sha256::digest(&body))
    };
    let canonical_query = canonical_query(&query);
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        method.to_uppercase(),
        canonical_uri(&path),
        canonical_query,
        canonical_headers,
        signed_headers,
        payload_hash
    );
    let string_to_sign = format!("{ALGORITHM}\n{sdk_date}\n{}", hex::encode(Sha256::digest(canonical_request.as_bytes())));
    let signature = hmac_sha256_hex(sk.expose().as_bytes(), string_to_sign.as_bytes());
    headers.push(("Authorization".to_owned(), format!("{ALGORITHM} Access={ak}, SignedHeaders={signed_headers}, Signature={signature}")));
    let path_and_query = if canonical_query.is_empty() { path } else { format!("{path}?{canonical_query}") };
    SignedRequest { path_and_query, headers, canonical_request, string_to_sign, signature }
}

/// Signs as `BasicCredentials.sign_request` does: `X-Project-Id` (when a project id is known)
/// and `X-Security-Token` (temporary keys) are added first, and so are signed.
pub fn sign_with_credentials(mut request: RequestToSign, key: &HuaweiAkSk, project_id: Option<&str>, date: time::OffsetDateTime) -> SignedRequest {
    if let Some(project_id) = project_id {
        request.headers.push(("X-Project-Id".to_owned(), project_id.to_owned()));
    }
    if let Some(token) = &key.security_token {
        request.headers.push(("X-Security-Token".to_owned(), token.expose().to_owned()));
    }
    sign(request, &key.ak, &key.sk, date)
}

fn find<'a>(headers: &'a [(String, String)], lower_name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(lower_name)).map(|(_, v)| v.as_str())
}

fn hmac_sha256_hex(key: &[u8], message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(message);
    hex::encode(mac.finalize().into_bytes())
}

/// The path decoded, split on `/`, each segment re-encoded, with a trailing `/`.
pub fn canonical_uri(path: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let mut uri = decoded.split('/').map(quote).collect::<Vec<_>>().join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// The query sorted on raw `(key, value)` strings, then each side encoded; `k=v` joined by `&`.
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut pairs: Vec<&(String, String)> = query.iter().collect();
    pairs.sort();
    pairs.iter().map(|(k, v)| format!("{}={}", quote(k), quote(v))).collect::<Vec<_>>().join("&")
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
        let q = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
        assert_eq!(canonical_query(&q(&[("é", "1"), ("z", "2")])), "z=2&%C3%A9=1");
        assert_eq!(canonical_query(&q(&[("tag", "b"), ("id", "2"), ("tag", "a"), ("id", "10")])), "id=10&id=2&tag=a&tag=b");
        assert_eq!(canonical_query(&q(&[("q", "a b+c/=&*~"), ("e", "")])), "e=&q=a%20b%2Bc%2F%3D%26%2A~");
    }
}
