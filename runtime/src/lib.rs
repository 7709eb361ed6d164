#![deny(missing_docs)]
//! cloudspec-runtime: what the generated SDK calls, and what SDK users configure.
//!
//! - [`config`]: endpoint or region, credentials, timeouts, response size limit, retry policy,
//!   user agent, your own `reqwest::Client`.
//! - [`credentials`]: IAM tokens, Huawei Cloud AK/SK (permanent and temporary), Alibaba Cloud
//!   AccessKeys (with STS tokens); providers (code, environment, profile files, instance
//!   metadata, your own), their default chains, caching and refresh; project id discovery.
//! - [`signing`]: Huawei `SDK-HMAC-SHA256` and Alibaba BatchCompute `acs` HMAC-SHA1, byte for byte
//!   as the official SDKs sign; [`wire_json`]: their JSON body layouts.
//! - [`security`]: OpenAPI's standard security schemes (bearer, basic, API keys, OAuth 2 and
//!   OpenID Connect tokens), credentials configured by scheme name.
//! - [`retry`]: what is retried, and how long to wait between attempts.
//! - [`error`]: one [`Error`] type; service errors decoded from every error-body shape.
//! - [`StreamingResponse`] (a [`Response`] whose body is a [`BodyStream`]): binary downloads as a
//!   stream of bounded chunks.
//! - [`Response`]: what every generated operation returns on success: the decoded body with the
//!   status, headers and request id.
//! - [`pagination`]: the pages and items of paginated operations as streams.
//! - [`waiter`]: polling an operation until its response reaches a state, with backoff.
//! - [`validation`]: the documented constraints requests are checked against before sending.
//! - [`options`]: [`CallOptions`], what one call does differently from the client's configuration
//!   (timeouts, retry policy, extra headers, endpoint, validation).
//! - `mock` (cargo feature `test-util`): an in-memory transport with per-operation rules, so
//!   consumers test code that uses a generated client with no server.
//!
//! Secrets (secret keys, tokens, signatures) never appear in `Debug` or `Display` output, logs or
//! errors.
//!
//! Items hidden from these docs (the `client`, `request`, `lenient`, `testing` and `contract` modules,
//! `RawResponse`, validation's `Report` and `Pattern`) are what generated code calls: the
//! runtime's `Client` does endpoint resolution, signing, the retry loop, timeouts, bounded body
//! reading and tracing for every generated service client. They are not part of the API users
//! program against.

mod auth;
mod body;
#[doc(hidden)]
pub mod client;
pub mod config;
#[cfg(feature = "contract")]
#[doc(hidden)]
pub mod contract;
pub mod credentials;
mod endpoint;
pub mod error;
#[doc(hidden)]
pub mod lenient;
#[cfg(feature = "test-util")]
pub mod mock;
mod multipart;
pub mod options;
pub mod pagination;
mod param_text;
#[doc(hidden)]
pub mod request;
pub mod response;
pub mod retry;
pub mod security;
pub mod service;
pub mod signing;
#[doc(hidden)]
pub mod testing;
mod transport;
pub mod tuple;
pub mod validation;
pub mod waiter;
pub mod wire_json;

pub use body::{BodyStream, StreamingResponse, STREAM_CHUNK_LIMIT};
#[doc(hidden)]
pub use client::Client;
pub use config::{Config, ConfigBuilder, RetryPolicy};
pub use credentials::Credentials;
pub use error::{Error, ServiceError};
pub use options::CallOptions;
pub use response::Response;
pub use security::{SchemeCredential, SecurityScheme};
pub use service::{ErrorCode, Region, ServiceInfo, SigningScheme};
pub use tuple::OpenTuple;
pub use validation::{Validate, ValidationError};
