//! OpenAPI's standard security schemes: HTTP `bearer` and `basic`, `apiKey` in a header, the
//! query or a cookie, and `oauth2`/`openIdConnect` (their access token sent as a bearer token;
//! obtaining it is the caller's job).
//!
//! Credentials are configured once, by the scheme's name in the spec
//! (`Config::builder().security_credential("BotToken", SchemeCredential::api_key(..))`). Each
//! generated operation hands the runtime its own `security` requirement (the operation's, else the
//! document's): a list of alternatives, each a set of schemes used together. The first
//! alternative whose schemes all have a credential is applied; an empty alternative (`{}`, or
//! `security: []`) sends none. Secrets are [`Secret`]s: `Debug` and `Display` print `***`.

use crate::credentials::Secret;
use crate::error::Error;
use crate::request::OperationRequest;
use base64::Engine;
use std::collections::BTreeMap;
use std::fmt;

/// Where an `apiKey` scheme sends its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// How a scheme sends its credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>` (HTTP `bearer`, `oauth2`, `openIdConnect`).
    Bearer,
    /// `Authorization: Basic <base64 of user:password>`.
    Basic,
    /// The key as the header, query parameter or cookie `name`.
    ApiKey {
        /// Where the key goes.
        location: ApiKeyLocation,
        /// The header, query parameter or cookie name.
        name: &'static str,
    },
}

/// One security scheme of a spec, as generated code describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SecurityScheme {
    /// The scheme's name in `components/securitySchemes`: what credentials are configured by.
    pub name: &'static str,
    /// How it sends its credential.
    pub kind: SchemeKind,
}

impl SecurityScheme {
    /// The scheme `name` (as `components/securitySchemes` names it), sending its credential as `kind` says.
    pub const fn new(name: &'static str, kind: SchemeKind) -> Self {
        Self { name, kind }
    }
}

/// One alternative of a `security` requirement: these schemes together.
pub type Requirement = &'static [SecurityScheme];

/// The credential configured for one scheme.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemeCredential {
    /// A bearer token, OAuth 2 or OpenID Connect access token, or API key.
    Token(Secret),
    /// A user name and password for HTTP `basic`.
    Basic {
        /// The user name (not a secret).
        username: String,
        /// The password.
        password: Secret,
    },
}

impl SchemeCredential {
    /// A bearer token (HTTP `bearer`, or an `oauth2`/`openIdConnect` access token).
    pub fn bearer(token: impl Into<String>) -> Self {
        Self::Token(Secret::new(token))
    }

    /// An API key (`apiKey` schemes; sent where the scheme says).
    pub fn api_key(key: impl Into<String>) -> Self {
        Self::Token(Secret::new(key))
    }

    /// A user name and password (HTTP `basic`).
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self::Basic { username: username.into(), password: Secret::new(password) }
    }
}

impl fmt::Debug for SchemeCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Token(_) => f.write_str("Token(***)"),
            Self::Basic { username, .. } => write!(f, "Basic {{ username: {username:?}, password: *** }}"),
        }
    }
}

/// The credentials configured per scheme name.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SchemeCredentials(BTreeMap<String, SchemeCredential>);

impl SchemeCredentials {
    /// Sets the credential of the scheme `name` (replacing any before).
    pub fn insert(&mut self, name: impl Into<String>, credential: SchemeCredential) {
        self.0.insert(name.into(), credential);
    }

    /// The credential of the scheme `name`.
    pub fn get(&self, name: &str) -> Option<&SchemeCredential> {
        self.0.get(name)
    }

    /// Whether no scheme has a credential.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SchemeCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter()).finish()
    }
}

/// Adds to `request` the credentials of the first alternative of its requirement that can be met
/// (an empty alternative only when no other can). A requirement no configured credential meets is
/// a configuration error naming the schemes it accepts, before anything is sent; except
/// `over_mock` (feature `test-util`), where the first alternative is sent with placeholders for
/// what is not configured.
#[cfg_attr(not(feature = "test-util"), allow(unused_variables))]
pub(crate) fn apply(
    request: &mut OperationRequest,
    configured: &SchemeCredentials,
    over_mock: bool,
) -> Result<(), Error> {
    let Some(alternatives) = request.security else { return Ok(()) };
    let met = |alt: &&Requirement| alt.iter().all(|s| configured.get(s.name).is_some());
    let chosen = alternatives.iter().filter(|alt| !alt.is_empty()).find(met);
    let Some(chosen) = chosen else {
        if alternatives.is_empty() || alternatives.iter().any(|alt| alt.is_empty()) {
            return Ok(());
        }
        #[cfg(feature = "test-util")]
        if over_mock {
            return with_placeholders(request, &alternatives[0], configured);
        }
        return Err(Error::Config(missing(request.operation, alternatives)));
    };
    for scheme in chosen.iter() {
        let Some(credential) = configured.get(scheme.name) else { continue };
        add(request, scheme, credential)?;
    }
    Ok(())
}

/// `alternative`'s credentials, a placeholder for each scheme not configured.
#[cfg(feature = "test-util")]
fn with_placeholders(
    request: &mut OperationRequest,
    alternative: &Requirement,
    configured: &SchemeCredentials,
) -> Result<(), Error> {
    for scheme in alternative.iter() {
        let credential = match configured.get(scheme.name) {
            Some(credential) => credential.clone(),
            None => crate::mock::placeholder_scheme_credential(scheme.kind),
        };
        add(request, scheme, &credential)?;
    }
    Ok(())
}

fn add(request: &mut OperationRequest, scheme: &SecurityScheme, credential: &SchemeCredential) -> Result<(), Error> {
    let mismatch = |wanted: &str| {
        Error::Config(format!(
            "{}: the credential configured for security scheme {:?} is not {wanted}",
            request.operation, scheme.name
        ))
    };
    match (scheme.kind, credential) {
        (SchemeKind::Bearer, SchemeCredential::Token(token)) => {
            request.headers.push(("Authorization".to_owned(), format!("Bearer {}", token.expose())));
        }
        (SchemeKind::Basic, SchemeCredential::Basic { username, password }) => {
            let pair = format!("{username}:{}", password.expose());
            let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
            request.headers.push(("Authorization".to_owned(), format!("Basic {encoded}")));
        }
        (SchemeKind::ApiKey { location, name }, SchemeCredential::Token(key)) => {
            let pair = (name.to_owned(), key.expose().to_owned());
            match location {
                ApiKeyLocation::Header => request.headers.push(pair),
                ApiKeyLocation::Query => request.query.push((pair.0, pair.1.into())),
                ApiKeyLocation::Cookie => request.cookies.push(pair),
            }
        }
        (SchemeKind::Basic, _) => return Err(mismatch("a user name and password (SchemeCredential::basic)")),
        (_, _) => return Err(mismatch("a token or key (SchemeCredential::bearer, SchemeCredential::api_key)")),
    }
    Ok(())
}

/// Which credentials an operation would have needed.
fn missing(operation: &str, alternatives: &[Requirement]) -> String {
    let options: Vec<String> = alternatives
        .iter()
        .map(|alt| alt.iter().map(|s| format!("{:?}", s.name)).collect::<Vec<_>>().join(" and "))
        .collect();
    format!(
        "{operation} needs credentials for security scheme {}: set Config::builder().security_credential(name, ..)",
        options.join(", or ")
    )
}
