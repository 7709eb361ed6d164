//! Alibaba Cloud BatchCompute signing (`acs` HMAC-SHA1), as the official `batchcompute` SDK
//! does it (`../shared/fixtures/aliyun-batchcompute/signing.md`).
//!
//! The signer adds the SDK's headers in its order (`Date`, the `x-acs-*` set, `Accept`,
//! `Content-Type`), then the caller's (`User-Agent` and the operation's), then `contentMd5` for
//! a non-empty body and `Content-Length`, and finally `Authorization`. As in the SDK, the MD5
//! line of the string to sign stays empty: the SDK names its header `contentMd5` but looks up
//! `Content-MD5`.

use super::{quote, RequestToSign, SignedRequest};
use crate::credentials::{AliyunAccessKey, Secret};
use base64::Engine;
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use sha1::Sha1;

const DATE_FORMAT: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT");

/// What one signing needs besides the request.
#[derive(Debug, Clone, Copy)]
pub struct SigningParams<'a> {
    pub access_key_id: &'a str,
    pub secret: &'a Secret,
    pub security_token: Option<&'a Secret>,
    pub region_id: &'a str,
    /// The API version (`2015-11-11`), sent as `x-acs-version`.
    pub api_version: &'a str,
    pub date: time::OffsetDateTime,
    /// A fresh value per request (the SDK sends `uuid1()`).
    pub nonce: &'a str,
}

/// Signs `request`.
pub fn sign(request: RequestToSign, params: &SigningParams<'_>) -> SignedRequest {
    let RequestToSign { method, host: _, path, query, headers: caller_headers, body } = request;
    let date = params.date.to_offset(time::UtcOffset::UTC).format(DATE_FORMAT).unwrap_or_default();
    let mut headers: Vec<(String, String)> = vec![
        ("Date".to_owned(), date),
        ("x-acs-region-id".to_owned(), params.region_id.to_owned()),
        ("x-acs-access-key-id".to_owned(), params.access_key_id.to_owned()),
    ];
    if let Some(token) = params.security_token.map(|t| t.expose().trim()).filter(|t| !t.is_empty()) {
        headers.push(("x-acs-security-token".to_owned(), token.to_owned()));
    }
    headers.extend([
        ("x-acs-signature-method".to_owned(), "HMAC-SHA1".to_owned()),
        ("x-acs-signature-version".to_owned(), "1.0".to_owned()),
        ("x-acs-version".to_owned(), params.api_version.to_owned()),
        ("x-acs-signature-nonce".to_owned(), params.nonce.to_owned()),
        ("Accept".to_owned(), "application/json".to_owned()),
        ("Content-Type".to_owned(), "application/json".to_owned()),
    ]);
    // The caller's headers are merged last and win, as the SDK's user headers do.
    for (name, value) in caller_headers {
        match headers.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(&name)) {
            Some(existing) => existing.1 = value,
            None => headers.push((name, value)),
        }
    }
    if !body.is_empty() {
        headers.push(("contentMd5".to_owned(), hex::encode(Md5::digest(&body))));
    }
    headers.push(("Content-Length".to_owned(), body.len().to_string()));

    let resource = request_target(&path, &query);
    let string_to_sign = string_to_sign(&method, &headers, &resource);
    let mut mac = Hmac::<Sha1>::new_from_slice(params.secret.expose().as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    headers.push(("Authorization".to_owned(), format!("acs {}:{signature}", params.access_key_id)));
    SignedRequest { path_and_query: resource, headers, canonical_request: String::new(), string_to_sign, signature }
}

/// [`sign`] with an [`AliyunAccessKey`].
pub fn sign_with_credentials(request: RequestToSign, key: &AliyunAccessKey, region_id: &str, api_version: &str, date: time::OffsetDateTime, nonce: &str) -> SignedRequest {
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
pub fn request_target(path: &str, query: &[(String, String)]) -> String {
    let mut pairs: Vec<&(String, String)> = query.iter().collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let encoded: Vec<String> = pairs
        .iter()
        .map(|(k, v)| {
            let key = quote(&k.replace('_', "-"));
            if v.trim().is_empty() {
                key
            } else {
                format!("{key}={}", quote(v))
            }
        })
        .collect();
    if encoded.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", encoded.join("&"))
    }
}

fn string_to_sign(method: &str, headers: &[(String, String)], resource: &str) -> String {
    let last = |name: &str| headers.iter().rev().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).unwrap_or_default();
    let mut acs: Vec<&(String, String)> = headers.iter().filter(|(k, _)| k.trim().to_ascii_lowercase().starts_with("x-acs-")).collect();
    acs.sort_by(|a, b| a.0.cmp(&b.0));
    let canonical_headers: String = acs.iter().map(|(k, v)| format!("{}:{v}\n", k.trim().to_ascii_lowercase())).collect();
    format!(
        "{}\n{}\n{}\n{}\n{}\n{canonical_headers}{resource}",
        method.to_uppercase(),
        last("accept").trim(),
        last("content-md5").trim(),
        last("content-type").trim(),
        last("date"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_keys_and_empty_values() {
        let q = vec![("MaxItemCount".to_owned(), "50".to_owned()), ("Marker".to_owned(), String::new()), ("a_b".to_owned(), "x y/".to_owned())];
        assert_eq!(request_target("/clusters", &q), "/clusters?Marker&MaxItemCount=50&a-b=x%20y%2F");
        assert_eq!(request_target("/clusters", &[]), "/clusters");
    }
}
