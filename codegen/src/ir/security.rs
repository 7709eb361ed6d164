//! The standard security schemes a service declares, as the runtime sends them.

use super::ParamLocation;

/// A security scheme (`components/securitySchemes`), by the name credentials are configured with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    pub name: String,
    pub kind: SecurityKind,
}

/// How a security scheme sends its credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityKind {
    /// `Authorization: Bearer` (HTTP `bearer`, `oauth2`, `openIdConnect`).
    Bearer,
    /// `Authorization: Basic`.
    Basic,
    /// An API key in a header, the query or a cookie, under `name`.
    ApiKey { location: ParamLocation, name: String },
}
