//! Turning an [`OperationRequest`] into signed wire headers, per the service's scheme.
//!
//! This is where the service conventions the official SDKs follow are applied: the JSON layout
//! of bodies (Huawei: `json.dumps` defaults; BatchCompute: `indent=4`), the content type
//! (lower-cased by Huawei's SDK), `Content-Type` sent on every request, and the credentials'
//! headers, so that a signature computed here equals the official SDK's for the same call.

use crate::config::Config;
use crate::credentials::{Credentials, ProvidedCredentials};
use crate::error::Error;
use crate::request::{Body, OperationRequest};
use crate::retry;
use crate::service::{ServiceInfo, SigningScheme};
use crate::signing::{self, RequestToSign};
use crate::wire_json::{self, JsonStyle};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::borrow::Cow;

/// The body as it goes on the wire, encoded once per logical call; `Bytes`, so that each
/// attempt hands it to reqwest without copying it.
#[derive(Debug, Clone)]
pub(crate) struct EncodedBody {
    pub bytes: bytes::Bytes,
    pub content_type: Option<String>,
}

/// What a signed attempt sends.
pub(crate) struct SignedParts {
    /// The full wire path (endpoint prefix included) and query, already encoded: `/path?query`.
    pub path_and_query: String,
    /// The headers in send order, but for those reqwest sets itself (`Content-Length`, `Host`).
    pub headers: HeaderMap,
}

impl SignedParts {
    /// The path, and the query (without `?`) when there is one.
    pub fn path_and_query(&self) -> (&str, Option<&str>) {
        match self.path_and_query.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (&self.path_and_query, None),
        }
    }
}

pub(crate) fn encode_body(service: &ServiceInfo, request: &OperationRequest) -> Result<EncodedBody, Error> {
    match &request.body {
        Body::Empty => Ok(EncodedBody { bytes: bytes::Bytes::new(), content_type: None }),
        Body::Bytes { content_type, data } => {
            let content_type = if service.signing == SigningScheme::HuaweiSdkHmacSha256 {
                content_type.to_ascii_lowercase()
            } else {
                content_type.clone()
            };
            Ok(EncodedBody { bytes: data.clone(), content_type: Some(content_type) })
        }
        Body::Json { content_type, value } => {
            let (style, content_type) = match service.signing {
                // The SDK lower-cases every content type (`select_header_content_type`).
                SigningScheme::HuaweiSdkHmacSha256 => (JsonStyle::PythonDumps, content_type.to_ascii_lowercase()),
                SigningScheme::AliyunAcsHmacSha1 => (JsonStyle::PythonIndent4, content_type.clone()),
                _ => (JsonStyle::Compact, content_type.clone()),
            };
            let bytes = wire_json::to_vec(value, style)
                .map_err(|e| Error::Encode { operation: request.operation, message: e.to_string() })?;
            Ok(EncodedBody { bytes: bytes.into(), content_type: Some(content_type) })
        }
    }
}

/// Signs one attempt (a fresh date and nonce each time) with the credentials resolved for it.
pub(crate) fn sign(
    config: &Config,
    service: &ServiceInfo,
    endpoint: &url::Url,
    request: &OperationRequest,
    body: &EncodedBody,
    provided: Option<&ProvidedCredentials>,
) -> Result<SignedParts, Error> {
    // `host[:port]` as the URL has it (a default port left out), borrowed from it.
    let host = &endpoint[url::Position::BeforeHost..url::Position::AfterPort];
    let path = join_path(endpoint.path(), &request.path);
    let cookie = cookie_header(request);
    let mut headers = Vec::with_capacity(request.headers.len() + 6);
    headers.push(("User-Agent", config.user_agent.as_str()));
    headers.extend(request.headers.iter().map(|(name, value)| (name.as_str(), value.as_str())));
    if let Some(cookie) = &cookie {
        headers.push(("Cookie", cookie.as_str()));
    }
    let to_sign = RequestToSign {
        method: request.method.as_str(),
        host,
        path: &path,
        query: &request.query,
        headers,
        body: &body.bytes,
    };
    let content_type = body.content_type.as_deref().unwrap_or("application/json");
    // Kept here, so that the signed request can borrow them.
    let (region, nonce);
    let signed = match (service.signing, provided.map(|p| &p.credentials)) {
        // A service of someone else's spec, no credentials configured: its security schemes'
        // credentials, if any, were added to the request already.
        (SigningScheme::None, None) => signing::unsigned(with_header(to_sign, "Content-Type", content_type)),
        (_, None) => {
            return Err(Error::Config(format!(
                "no credentials configured for {}: set Config::builder().credentials(..)",
                service.name
            )))
        }
        // IAM tokens are Huawei Cloud's; a service without a signing scheme takes them too.
        (SigningScheme::HuaweiSdkHmacSha256 | SigningScheme::None, Some(Credentials::Token(token))) => {
            let to_sign = with_header(to_sign, "Content-Type", content_type);
            signing::unsigned(with_header(to_sign, "X-Auth-Token", token.expose()))
        }
        (SigningScheme::HuaweiSdkHmacSha256, Some(Credentials::HuaweiAkSk(key))) => {
            // `X-Project-Id` names the project the path does, the request's own when it has one.
            let project_id = request
                .project_id
                .as_deref()
                .or(config.project_id.as_deref())
                .or(provided.and_then(|p| p.project_id.as_deref()));
            let to_sign = with_header(to_sign, "Content-Type", content_type);
            let now = config.pinned_time.unwrap_or_else(time::OffsetDateTime::now_utc);
            signing::huawei::sign_with_credentials(to_sign, key, project_id, now)
                .map_err(|source| Error::Signing { operation: request.operation, source })?
        }
        (SigningScheme::AliyunAcsHmacSha1, Some(Credentials::AliyunAccessKey(key))) => {
            region = signing::aliyun::region_id(config.region.as_deref(), host).map_err(Error::Config)?;
            nonce = config.pinned_nonce.clone().unwrap_or_else(retry::new_nonce);
            let now = config.pinned_time.unwrap_or_else(time::OffsetDateTime::now_utc);
            signing::aliyun::sign_with_credentials(to_sign, key, &region, service.api_version, now, &nonce)
        }
        (scheme, Some(credentials)) => return Err(Error::Config(mismatch(service.name, scheme, credentials))),
    };
    let headers = header_map(signed.headers, host, request.operation)?;
    Ok(SignedParts { path_and_query: signed.path_and_query, headers })
}

/// `request` with one more header, last.
fn with_header<'a>(mut request: RequestToSign<'a>, name: &'a str, value: &'a str) -> RequestToSign<'a> {
    request.headers.push((name, value));
    request
}

/// The operation's cookies as one `Cookie` header, when it has any.
fn cookie_header(request: &OperationRequest) -> Option<String> {
    (!request.cookies.is_empty())
        .then(|| request.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "))
}

/// The names the signers and the client add on every call, outside `http`'s standard ones:
/// built once, where `HeaderName::from_bytes` would parse and allocate each time.
static KNOWN_NAMES: [HeaderName; 11] = [
    HeaderName::from_static("x-sdk-date"),
    HeaderName::from_static("x-project-id"),
    HeaderName::from_static("x-auth-token"),
    HeaderName::from_static("x-security-token"),
    HeaderName::from_static("x-acs-region-id"),
    HeaderName::from_static("x-acs-access-key-id"),
    HeaderName::from_static("x-acs-security-token"),
    HeaderName::from_static("x-acs-signature-method"),
    HeaderName::from_static("x-acs-signature-version"),
    HeaderName::from_static("x-acs-version"),
    HeaderName::from_static("x-acs-signature-nonce"),
];

/// The signed headers as reqwest sends them: an owned value is moved, not copied. reqwest sets
/// Content-Length itself, and Host from the URL; a Host the request gave itself (signed as
/// given) is kept so that what is sent is what was signed.
fn header_map(headers: Vec<(&str, Cow<'_, str>)>, host: &str, operation: &'static str) -> Result<HeaderMap, Error> {
    // Room for what reqwest adds (`Accept`), so the map does not grow.
    let mut map = HeaderMap::with_capacity(headers.len() + 2);
    for (name, value) in headers {
        if name.eq_ignore_ascii_case("content-length") || (name.eq_ignore_ascii_case("host") && value == host) {
            continue;
        }
        let header_name = match KNOWN_NAMES.iter().find(|known| known.as_str().eq_ignore_ascii_case(name)) {
            Some(known) => known.clone(),
            None => HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| Error::Encode { operation, message: format!("header name {name:?}: {e}") })?,
        };
        let header_value = match value {
            Cow::Owned(owned) => HeaderValue::from_maybe_shared(bytes::Bytes::from(owned)),
            Cow::Borrowed(text) => HeaderValue::from_str(text),
        }
        .map_err(|e| Error::Encode { operation, message: format!("header {name}: {e}") })?;
        map.append(header_name, header_value);
    }
    Ok(map)
}

/// Why `credentials` cannot authenticate requests to a service signed with `scheme`.
fn mismatch(service: &str, scheme: SigningScheme, credentials: &Credentials) -> String {
    let accepted = match scheme {
        SigningScheme::HuaweiSdkHmacSha256 => {
            "a Huawei Cloud IAM token or AK/SK (Credentials::token, Credentials::huawei_aksk)"
        }
        SigningScheme::AliyunAcsHmacSha1 => "an Alibaba Cloud AccessKey (Credentials::aliyun)",
        _ => "a token (Credentials::token)",
    };
    format!("{service} ({scheme:?} signing) cannot use {} credentials: it takes {accepted}", credentials.kind())
}

/// Joins an endpoint's path prefix (for gateways that mount an API under a path) and the
/// operation's path: the one wire path, which is also the one signed.
fn join_path<'a>(prefix: &str, path: &'a str) -> Cow<'a, str> {
    match prefix.trim_end_matches('/') {
        "" => Cow::Borrowed(path),
        prefix => Cow::Owned(format!("{prefix}{path}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Method;
    use crate::signing::SigningError;

    fn service(signing: SigningScheme) -> ServiceInfo {
        ServiceInfo { name: "svc", endpoint_template: None, signing, api_version: "v1", error_codes: &[], regions: &[] }
    }

    fn sign_with(signing: SigningScheme, credentials: Credentials) -> Result<SignedParts, Error> {
        let config = Config::builder().region("cn-shenzhen").project_id("config-project").build()?;
        let endpoint = url::Url::parse("http://127.0.0.1:1/gw/").unwrap();
        let request = OperationRequest::new("Op", Method::GET, "/v1/x".to_owned());
        let body = encode_body(&service(signing), &request)?;
        sign(&config, &service(signing), &endpoint, &request, &body, Some(&ProvidedCredentials::new(credentials)))
    }

    #[test]
    fn credentials_of_another_scheme_are_a_config_error() {
        let token = || Credentials::token("t");
        let huawei = || Credentials::huawei_aksk("ak", "sk");
        let aliyun = || Credentials::aliyun("id", "secret");
        for (scheme, credentials) in [
            (SigningScheme::AliyunAcsHmacSha1, token()),
            (SigningScheme::AliyunAcsHmacSha1, huawei()),
            (SigningScheme::HuaweiSdkHmacSha256, aliyun()),
            (SigningScheme::None, huawei()),
            (SigningScheme::None, aliyun()),
        ] {
            let kind = credentials.kind();
            match sign_with(scheme, credentials) {
                Err(Error::Config(message)) => {
                    assert!(message.contains(kind) && message.contains("it takes"), "{message}")
                }
                other => {
                    panic!("{scheme:?} with {kind}: expected a config error, got {:?}", other.map(|s| s.path_and_query))
                }
            }
        }
        for (scheme, credentials) in [
            (SigningScheme::HuaweiSdkHmacSha256, token()),
            (SigningScheme::HuaweiSdkHmacSha256, huawei()),
            (SigningScheme::AliyunAcsHmacSha1, aliyun()),
            (SigningScheme::None, token()),
        ] {
            assert!(sign_with(scheme, credentials).is_ok(), "{scheme:?}");
        }
    }

    #[test]
    fn the_endpoint_prefix_is_in_the_path_once() {
        let signed = sign_with(SigningScheme::HuaweiSdkHmacSha256, Credentials::huawei_aksk("ak", "sk")).unwrap();
        assert_eq!(signed.path_and_query(), ("/gw/v1/x", None));
        assert_eq!(join_path("/", "/v1/x"), "/v1/x");
    }

    #[test]
    fn x_project_id_follows_the_requests_project() {
        let config = Config::builder()
            .credentials(Credentials::huawei_aksk("ak", "sk"))
            .project_id("config-project")
            .build()
            .unwrap();
        let endpoint = url::Url::parse("http://127.0.0.1:1").unwrap();
        let svc = service(SigningScheme::HuaweiSdkHmacSha256);
        let project_header = |request: &OperationRequest| {
            let provided = ProvidedCredentials::new(Credentials::huawei_aksk("ak", "sk"));
            let signed =
                sign(&config, &svc, &endpoint, request, &encode_body(&svc, request).unwrap(), Some(&provided)).unwrap();
            signed.headers.get("X-Project-Id").map(|v| v.to_str().unwrap().to_owned())
        };
        let mut request = OperationRequest::new("Op", Method::GET, "/v1/other/x".to_owned());
        assert_eq!(project_header(&request).as_deref(), Some("config-project"));
        request.set_project_id("other");
        assert_eq!(project_header(&request).as_deref(), Some("other"));
    }

    #[test]
    fn a_signing_failure_is_a_signing_error_with_its_source() {
        let config = Config::builder().build().unwrap();
        let provided = ProvidedCredentials::new(Credentials::huawei_aksk("ak", "sk"));
        let endpoint = url::Url::parse("http://127.0.0.1:1").unwrap();
        let svc = service(SigningScheme::HuaweiSdkHmacSha256);
        let mut request = OperationRequest::new("Op", Method::GET, "/v1/x".to_owned());
        request.header("X-Sdk-Date", "yesterday".to_owned());
        let body = encode_body(&svc, &request).unwrap();
        let err = sign(&config, &svc, &endpoint, &request, &body, Some(&provided)).err().unwrap();
        assert!(
            matches!(&err, Error::Signing { operation: "Op", source: SigningError::InvalidSdkDate(date) } if date == "yesterday"),
            "{err:?}"
        );
        let source = std::error::Error::source(&err).map(ToString::to_string).unwrap_or_default();
        assert!(source.contains("X-Sdk-Date"), "{source}");
    }
}
