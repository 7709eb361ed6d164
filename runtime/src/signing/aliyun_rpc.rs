//! Alibaba Cloud's RPC-style signature (`SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`),
//! which STS `AssumeRole` takes: the query parameters, sorted and percent-encoded, signed with
//! the AccessKey secret and `&`.
//!
//! Matched to `alibabacloud_credentials` 1.0.12 (`utils/parameter_helper.py`,
//! `compose_string_to_sign` and `sign_string`). That package encodes with Python's `quote_plus`,
//! which writes a space as `+`; Alibaba's RPC rules (and STS, which recomputes the signature)
//! want `%20`. Both agree on every other character; this signer follows Alibaba's rules, so a
//! `Policy` with spaces is signed as STS expects.

use super::UNRESERVED;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use percent_encoding::utf8_percent_encode;
use sha1::Sha1;

/// `METHOD&%2F&<encoded canonical query>`: the parameters sorted by name, each name and value
/// percent-encoded (everything but `A-Z a-z 0-9 - _ . ~` as upper-case `%XX`), joined with `&`,
/// and the whole encoded again.
pub fn string_to_sign(method: &str, params: &[(&str, &str)]) -> String {
    let mut sorted: Vec<&(&str, &str)> = params.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut canonical = String::new();
    for (name, value) in sorted {
        if !canonical.is_empty() {
            canonical.push('&');
        }
        canonical.extend(utf8_percent_encode(name, UNRESERVED));
        canonical.push('=');
        canonical.extend(utf8_percent_encode(value, UNRESERVED));
    }
    let mut out = String::with_capacity(method.len() + 5 + canonical.len() * 3 / 2);
    out.push_str(method);
    out.push_str("&%2F&");
    out.extend(utf8_percent_encode(&canonical, UNRESERVED));
    out
}

/// The `Signature` parameter: base64 of HMAC-SHA1 over [`string_to_sign`], keyed with
/// `secret` followed by `&`. `params` are all the other parameters, `AccessKeyId` included.
pub fn signature(method: &str, params: &[(&str, &str)], secret: &str) -> String {
    let mut key = String::with_capacity(secret.len() + 1);
    key.push_str(secret);
    key.push('&');
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(string_to_sign(method, params).as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The inputs of the vector below, as given to the official package.
    const PARAMS: &[(&str, &str)] = &[
        ("Action", "AssumeRole"),
        ("Format", "JSON"),
        ("Version", "2015-04-01"),
        ("DurationSeconds", "3600"),
        ("RoleArn", "acs:ram::1234567890123456:role/test-role"),
        ("RoleSessionName", "session~name.1"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("Timestamp", "2026-12-05T06:40:00Z"),
        ("SignatureNonce", "3f1c9a52-5d0e-4b8e-9c55-0d6b2f7a1e44"),
        ("Policy", r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"batchcompute:*","Resource":"*"}]}"#),
        ("ExternalId", "ext-id/42"),
        ("AccessKeyId", "LTAI5tSourceKeyId"),
        ("SecurityToken", "CAIS+token=/x"),
    ];

    /// Computed with `alibabacloud_credentials` 1.0.12 (PyPI) in a scratch venv:
    /// `s = parameter_helper.compose_string_to_sign('GET', dict(PARAMS))`,
    /// `parameter_helper.sign_string(s, 'SourceSecret/42' + '&')`.
    #[test]
    fn matches_the_official_package() {
        let expected_string = "GET&%2F&AccessKeyId%3DLTAI5tSourceKeyId%26Action%3DAssumeRole%26DurationSeconds%3D3600\
            %26ExternalId%3Dext-id%252F42%26Format%3DJSON%26Policy%3D%257B%2522Version%2522%253A%25221%2522%252C\
            %2522Statement%2522%253A%255B%257B%2522Effect%2522%253A%2522Allow%2522%252C%2522Action%2522%253A\
            %2522batchcompute%253A%252A%2522%252C%2522Resource%2522%253A%2522%252A%2522%257D%255D%257D\
            %26RoleArn%3Dacs%253Aram%253A%253A1234567890123456%253Arole%252Ftest-role\
            %26RoleSessionName%3Dsession~name.1%26SecurityToken%3DCAIS%252Btoken%253D%252Fx\
            %26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3f1c9a52-5d0e-4b8e-9c55-0d6b2f7a1e44\
            %26SignatureVersion%3D1.0%26Timestamp%3D2026-12-05T06%253A40%253A00Z%26Version%3D2015-04-01";
        assert_eq!(string_to_sign("GET", PARAMS), expected_string);
        assert_eq!(signature("GET", PARAMS, "SourceSecret/42"), "zpSRGutTP07Byt0U8URKvvKrYVQ=");
    }

    #[test]
    fn spaces_are_percent_twenty_and_the_order_of_the_input_does_not_matter() {
        let text = string_to_sign("GET", &[("b", "x y"), ("a", "*")]);
        assert_eq!(text, "GET&%2F&a%3D%252A%26b%3Dx%2520y");
        let reversed = signature("GET", &[("a", "*"), ("b", "x y")], "s");
        assert_eq!(signature("GET", &[("b", "x y"), ("a", "*")], "s"), reversed);
        assert_ne!(signature("GET", &[("a", "*"), ("b", "x y")], "t"), reversed, "the secret is part of it");
    }
}
