//! Turning an [`OperationRequest`] into signed wire headers, per the service's scheme.
//!
//! This is where the service conventions the official SDKs follow are applied: the JSON layout
//! of bodies (Huawei: `json.dumps` defaults; BatchCompute: `indent=4`), the content type
//! (lower-cased by Huawei's SDK), `Content-Type` sent on every request, and the credentials'
//! headers, so that a signature computed here equals the official SDK's for the same call.

use crate::config::Config;
use crate::credentials::Credentials;
use crate::error::Error;
use crate::request::{Body, OperationRequest};
use crate::service::{ServiceInfo, SigningScheme};
use crate::signing::{self, RequestToSign};
use crate::wire_json::{self, JsonStyle};

/// The body as it goes on the wire, encoded once per logical call.
#[derive(Debug, Clone)]
pub(crate) struct EncodedBody {
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
}

/// What a signed attempt sends.
pub(crate) struct SignedParts {
    /// The full wire path (endpoint prefix included), already encoded.
    pub path: String,
    /// The encoded query string, without `?`.
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
}

pub(crate) fn encode_body(service: &ServiceInfo, request: &OperationRequest) -> Result<EncodedBody, Error> {
    match &request.body {
        Body::Empty => Ok(EncodedBody { bytes: Vec::new(), content_type: None }),
        Body::Bytes { content_type, data } => {
            let content_type = if service.signing == SigningScheme::HuaweiSdkHmacSha256 { content_type.to_ascii_lowercase() } else { content_type.clone() };
            Ok(EncodedBody { bytes: data.clone(), content_type: Some(content_type) })
        }
        Body::Json { content_type, value } => {
            let (style, content_type) = match service.signing {
                // The SDK lower-cases every content type (`select_header_content_type`).
                SigningScheme::HuaweiSdkHmacSha256 => (JsonStyle::PythonDumps, content_type.to_ascii_lowercase()),
                SigningScheme::AliyunAcsHmacSha1 => (JsonStyle::PythonIndent4, content_type.clone()),
                _ => (JsonStyle::Compact, content_type.clone()),
            };
            let bytes = wire_json::to_vec(value, style).map_err(|e| Error::Encode { operation: request.operation, message: e.to_string() })?;
            Ok(EncodedBody { bytes, content_type: Some(content_type) })
        }
    }
}

/// Signs one attempt (a fresh date and nonce each time).
pub(crate) fn sign(config: &Config, service: &ServiceInfo, endpoint: &url::Url, request: &OperationRequest, body: &EncodedBody) -> Result<SignedParts, Error> {
    let host = match endpoint.port() {
        Some(port) => format!("{}:{port}", endpoint.host_str().unwrap_or_default()),
        None => endpoint.host_str().unwrap_or_default().to_owned(),
    };
    let path = format!("{}{}", endpoint.path().trim_end_matches('/'), request.path);
    let now = config.pinned_time.unwrap_or_else(time::OffsetDateTime::now_utc);

    // Headers in the order the official SDKs send them: User-Agent, the operation's own, then
    // Content-Type (which Huawei's SDK sends, and signs, on every request).
    let mut headers: Vec<(String, String)> = vec![("User-Agent".to_owned(), config.user_agent.clone())];
    headers.extend(request.headers.iter().cloned());
    if !request.cookies.is_empty() {
        let cookie = request.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        headers.push(("Cookie".to_owned(), cookie));
    }
    let content_type = body.content_type.clone().unwrap_or_else(|| "application/json".to_owned());
    let to_sign = |headers: Vec<(String, String)>| RequestToSign {
        method: request.method.as_str().to_owned(),
        host: host.clone(),
        path: path.clone(),
        query: request.query.iter().map(|(k, v)| (k.clone(), v.clone().into())).collect(),
        headers,
        body: body.bytes.clone(),
    };

    let signed = match (service.signing, &config.credentials) {
        (_, None) => return Err(Error::Config(format!("no credentials configured for {}: set Config::builder().credentials(..)", service.name))),
        (_, Some(Credentials::Token(token))) => {
            headers.push(("Content-Type".to_owned(), content_type));
            headers.push(("X-Auth-Token".to_owned(), token.expose().to_owned()));
            signing::unsigned(to_sign(headers))
        }
        (SigningScheme::HuaweiSdkHmacSha256, Some(Credentials::HuaweiAkSk(key))) => {
            headers.push(("Content-Type".to_owned(), content_type));
            signing::huawei::sign_with_credentials(to_sign(headers), key, config.project_id.as_deref(), now).map_err(|e| Error::Encode { operation: request.operation, message: e.to_string() })?
        }
        (SigningScheme::AliyunAcsHmacSha1, Some(Credentials::AliyunAccessKey(key))) => {
            let region = signing::aliyun::region_id(config.region.as_deref(), &host).map_err(Error::Config)?;
            let nonce = config.pinned_nonce.clone().unwrap_or_else(new_nonce);
            signing::aliyun::sign_with_credentials(to_sign(headers), key, &region, service.api_version, now, &nonce)
        }
        (scheme, Some(credentials)) => {
            return Err(Error::Config(format!("{} uses {scheme:?} signing, which cannot use {} credentials", service.name, credentials.kind())))
        }
    };
    let (path, query) = match signed.path_and_query.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (signed.path_and_query.clone(), None),
    };
    // reqwest sets Content-Length itself, and Host from the URL; a Host the request gave itself
    // (signed as given) is kept so that what is sent is what was signed.
    let set_by_reqwest = |name: &str, value: &str| name.eq_ignore_ascii_case("content-length") || (name.eq_ignore_ascii_case("host") && value == host);
    let headers = signed.headers.into_iter().filter(|(name, value)| !set_by_reqwest(name, value)).collect();
    Ok(SignedParts { path, query, headers })
}

/// A random UUID-shaped nonce (what BatchCompute's SDK sends: `uuid.uuid1()`).
fn new_nonce() -> String {
    let hex: String = std::iter::repeat_with(|| format!("{:x}", fastrand::u8(0..16))).take(32).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}
