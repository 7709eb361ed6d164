//! Per-call options: what one call, or the calls made through one client view, does differently
//! from the client's [`Config`](crate::Config) without building another client.
//!
//! Every generated service client has `with_options(&self, CallOptions) -> Client`: a view that
//! shares the original's connection pool, credentials and configuration, and applies the options
//! to the calls made through it. The original client is unchanged.
//!
//! ```
//! use cloudspec_runtime::{CallOptions, RetryPolicy};
//! use std::time::Duration;
//!
//! let options = CallOptions::new()
//!     .attempt_timeout(Duration::from_secs(5))
//!     .operation_timeout(Duration::from_secs(20))
//!     .retry(RetryPolicy::disabled())
//!     .header("X-Trace-Id", "abc123")
//!     .validation(false)
//!     .endpoint("https://cdm.eu-west-101.myhuaweicloud.eu")?;
//! assert_eq!(options.retry_policy(), Some(&RetryPolicy::disabled()));
//! // With a generated client: `client.with_options(options).show_cluster_detail(&request).await?`
//! # Ok::<(), cloudspec_runtime::Error>(())
//! ```

use crate::config::{RetryPolicy, MAX_DURATION};
use crate::endpoint::parse_endpoint;
use crate::error::Error;
use std::time::Duration;

/// What the calls made through a client view override (see the [module docs](self)). Unset
/// options keep the client's configuration.
///
/// Durations longer than [`MAX_DURATION`] are shortened to it, so no deadline computed from
/// them can overflow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallOptions {
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) endpoint: Option<url::Url>,
    pub(crate) validation: Option<bool>,
}

impl CallOptions {
    /// No overrides: calls behave as the client's configuration says.
    pub fn new() -> Self {
        Self::default()
    }

    /// How long one attempt may take (overrides [`ConfigBuilder::timeout`](crate::ConfigBuilder::timeout)).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout.min(MAX_DURATION));
        self
    }

    /// How long the whole call may take, retries included (overrides
    /// [`ConfigBuilder::operation_timeout`](crate::ConfigBuilder::operation_timeout)).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout.min(MAX_DURATION));
        self
    }

    /// The retry policy (overrides [`ConfigBuilder::retry`](crate::ConfigBuilder::retry)).
    pub fn retry(mut self, mut retry: RetryPolicy) -> Self {
        retry.initial_backoff = retry.initial_backoff.min(MAX_DURATION);
        retry.max_backoff = retry.max_backoff.min(MAX_DURATION);
        self.retry = Some(retry);
        self
    }

    /// An extra header sent (and signed) with every request, after the operation's own headers.
    /// An invalid name or value fails the call with [`Error::Encode`] before anything is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Whether requests are checked against the spec's constraints before sending (default: as
    /// the client's configuration says, which is on).
    pub fn validation(mut self, enabled: bool) -> Self {
        self.validation = Some(enabled);
        self
    }

    /// Another endpoint for these calls (`https://host[:port][/prefix]`), checked as
    /// [`ConfigBuilder::endpoint`](crate::ConfigBuilder::endpoint) checks one.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the text is not an acceptable endpoint.
    pub fn endpoint(mut self, endpoint: &str) -> Result<Self, Error> {
        self.endpoint = Some(parse_endpoint(endpoint)?);
        Ok(self)
    }

    /// The attempt timeout override, if any.
    pub fn attempt_timeout_value(&self) -> Option<Duration> {
        self.attempt_timeout
    }

    /// The operation timeout override, if any.
    pub fn operation_timeout_value(&self) -> Option<Duration> {
        self.operation_timeout
    }

    /// The retry policy override, if any.
    pub fn retry_policy(&self) -> Option<&RetryPolicy> {
        self.retry.as_ref()
    }

    /// The extra headers.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The endpoint override, if any.
    pub fn endpoint_url(&self) -> Option<&url::Url> {
        self.endpoint.as_ref()
    }

    /// The validation override, if any.
    pub fn validation_value(&self) -> Option<bool> {
        self.validation
    }

    /// `self`, with what `later` sets laid over it (headers are added after this one's).
    pub(crate) fn merged(&self, later: CallOptions) -> CallOptions {
        let mut headers = self.headers.clone();
        headers.extend(later.headers);
        CallOptions {
            attempt_timeout: later.attempt_timeout.or(self.attempt_timeout),
            operation_timeout: later.operation_timeout.or(self.operation_timeout),
            retry: later.retry.or_else(|| self.retry.clone()),
            headers,
            endpoint: later.endpoint.or_else(|| self.endpoint.clone()),
            validation: later.validation.or(self.validation),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_capped_and_later_options_win() {
        let long = CallOptions::new().attempt_timeout(Duration::MAX).header("A", "1").validation(false);
        assert_eq!(long.attempt_timeout_value(), Some(MAX_DURATION));
        let merged = long.merged(CallOptions::new().attempt_timeout(Duration::from_secs(1)).header("B", "2"));
        assert_eq!(merged.attempt_timeout_value(), Some(Duration::from_secs(1)));
        assert_eq!(merged.validation_value(), Some(false));
        assert_eq!(merged.headers(), [("A".to_owned(), "1".to_owned()), ("B".to_owned(), "2".to_owned())]);
    }

    #[test]
    fn a_bad_endpoint_is_refused() {
        assert!(matches!(CallOptions::new().endpoint("ftp://x"), Err(Error::Config(_))));
    }
}
