//! cloudspec-runtime: what the generated SDK calls, and what SDK users configure.
//!
//! - [`config`]: endpoint or region, credentials, timeouts, retry policy, user agent, your own
//!   `reqwest::Client`.
//! - [`credentials`]: IAM tokens, Huawei Cloud AK/SK (permanent and temporary), Alibaba Cloud
//!   AccessKeys (with STS tokens); providers (code, environment, profile files, instance
//!   metadata, your own), their default chains, caching and refresh; project id discovery.
//! - [`signing`]: Huawei `SDK-HMAC-SHA256` and Alibaba BatchCompute `acs` HMAC-SHA1, byte for byte
//!   as the official SDKs sign; [`wire_json`]: their JSON body layouts.
//! - [`client`]: endpoint resolution, signing, retries with backoff and jitter, timeouts, tracing.
//! - [`error`]: one [`Error`] type; service errors decoded from every error-body shape.
//! - [`validation`], [`lenient`], [`request`] (with its multipart encoder), [`response`]: what
//!   generated code builds on.
//!
//! Secrets (secret keys, tokens, signatures) never appear in `Debug` or `Display` output, logs or
//! errors.

mod auth;
pub mod client;
pub mod config;
pub mod credentials;
pub mod error;
pub mod lenient;
mod multipart;
pub mod request;
pub mod response;
mod retry;
pub mod service;
pub mod signing;
pub mod testing;
pub mod validation;
pub mod wire_json;

pub use client::Client;
pub use config::{Config, ConfigBuilder, RetryPolicy};
pub use credentials::Credentials;
pub use error::{Error, ServiceError};
pub use service::{ErrorCode, Region, ServiceInfo, SigningScheme};
pub use validation::{Validate, ValidationError};
