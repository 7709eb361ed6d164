//! The small HTTP exchanges with instance metadata services.

use super::CredentialsError;
use std::time::Duration;

/// A client for metadata services: short timeouts (the SDKs use 3 s or less; a metadata
/// service answers at once or is not there), no redirects, no proxy.
pub(crate) fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap_or_default()
}

pub(crate) struct MetadataRequest<'a> {
    method: reqwest::Method,
    url: &'a str,
    /// How messages name the request: the URL, unless its query holds secrets.
    shown_as: &'a str,
    headers: Vec<(&'a str, &'a str)>,
}

impl<'a> MetadataRequest<'a> {
    pub fn get(url: &'a str) -> Self {
        Self { method: reqwest::Method::GET, url, shown_as: url, headers: Vec::new() }
    }

    pub fn put(url: &'a str, header: &'a str, value: &'a str) -> Self {
        Self { method: reqwest::Method::PUT, url, shown_as: url, headers: vec![(header, value)] }
    }

    pub fn header(mut self, name: &'a str, value: &'a str) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Names the request `label` in messages instead of by its URL.
    pub fn shown_as(mut self, label: &'a str) -> Self {
        self.shown_as = label;
        self
    }
}

/// Longest metadata answer read: credentials are a few kilobytes.
const BODY_LIMIT: usize = 64 * 1024;

/// The status and body text. A transport failure is an error naming the provider; an error
/// status is the caller's to judge.
pub(crate) async fn fetch(
    http: &reqwest::Client,
    provider: &str,
    request: MetadataRequest<'_>,
) -> Result<(u16, String), CredentialsError> {
    let mut builder = http.request(request.method, request.url);
    for (name, value) in request.headers {
        builder = builder.header(name, value);
    }
    let failed = |e: reqwest::Error| {
        CredentialsError::provider(provider, format!("{} could not be reached: {}", request.shown_as, e.without_url()))
    };
    let mut response = builder.send().await.map_err(failed)?;
    let status = response.status().as_u16();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(failed)? {
        if body.len().saturating_add(chunk.len()) > BODY_LIMIT {
            return Err(CredentialsError::provider(
                provider,
                format!("{} answered more than {BODY_LIMIT} bytes", request.shown_as),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// The body of a `200` answer; any other status is an error naming the URL.
pub(crate) async fn fetch_ok(
    http: &reqwest::Client,
    provider: &str,
    request: MetadataRequest<'_>,
) -> Result<String, CredentialsError> {
    let url = request.shown_as;
    match fetch(http, provider, request).await? {
        (200, body) => Ok(body),
        (status, _) => Err(CredentialsError::provider(provider, format!("{url} answered {status}"))),
    }
}

/// An RFC 3339 expiry (`2030-01-02T03:04:05Z`, `2030-01-02T03:04:05.000000Z`).
pub(crate) fn parse_expiry(text: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339).ok()
}
