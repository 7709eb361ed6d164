//! The retry policy's decisions: what may be retried, and how long to wait.

use crate::config::RetryPolicy;
use crate::error::Error;
use crate::response::Response;
use reqwest::header::HeaderMap;
use std::time::Duration;

/// What to do after an attempt.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Try again, after at least `after` when the service asked for it.
    Retry { after: Option<Duration> },
}

/// Connection errors, timeouts, 429 and 500/502/503/504 are retried; nothing else, and nothing
/// at all when the request is not safe to repeat.
pub fn classify(result: &Result<Response, Error>, retry_safe: bool) -> Outcome {
    if !retry_safe {
        return Outcome::Done;
    }
    match result {
        Err(Error::Service(e)) if e.is_retryable() => Outcome::Retry { after: e.retry_after },
        Err(Error::Transport { .. }) | Err(Error::Timeout { .. }) => Outcome::Retry { after: None },
        _ => Outcome::Done,
    }
}

/// Exponential backoff with full jitter: a random delay in `[0, min(max, initial * 2^(attempt-1))]`,
/// or the service's `Retry-After` (capped at `max_backoff`) when it gave one.
pub fn backoff(policy: &RetryPolicy, attempt: u32, retry_after: Option<Duration>) -> Duration {
    if let Some(after) = retry_after {
        return after.min(policy.max_backoff);
    }
    let exponent = attempt.saturating_sub(1).min(30);
    let cap = policy.initial_backoff.saturating_mul(1u32 << exponent).min(policy.max_backoff);
    let millis = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(fastrand::u64(0..=millis))
}

/// `Retry-After` as seconds or as an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc2822).ok()?;
    let delta = when - time::OffsetDateTime::now_utc();
    Some(Duration::try_from(delta).unwrap_or(Duration::ZERO))
}

/// A fresh idempotency token: 32 random alphanumeric characters.
pub fn new_idempotency_token() -> String {
    std::iter::repeat_with(fastrand::alphanumeric).take(32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ServiceError;

    fn service_error(status: u16, after: Option<Duration>) -> Result<Response, Error> {
        Err(Error::Service(Box::new(ServiceError::from_response("Op", status, None, after, b"", &[]))))
    }

    #[test]
    fn only_transient_failures_of_safe_requests_retry() {
        for status in [429, 500, 502, 503, 504] {
            assert_eq!(classify(&service_error(status, None), true), Outcome::Retry { after: None }, "{status}");
            assert_eq!(classify(&service_error(status, None), false), Outcome::Done, "{status}");
        }
        for status in [400, 401, 403, 404, 409, 501] {
            assert_eq!(classify(&service_error(status, None), true), Outcome::Done, "{status}");
        }
        let timeout = Err(Error::Timeout { operation: "Op", after: Duration::from_secs(1) });
        assert_eq!(classify(&timeout, true), Outcome::Retry { after: None });
        assert_eq!(classify(&service_error(429, Some(Duration::from_secs(1))), true), Outcome::Retry { after: Some(Duration::from_secs(1)) });
    }

    #[test]
    fn backoff_is_jittered_within_the_exponential_cap() {
        let policy = RetryPolicy { max_attempts: 5, initial_backoff: Duration::from_millis(100), max_backoff: Duration::from_millis(350) };
        for _ in 0..200 {
            assert!(backoff(&policy, 1, None) <= Duration::from_millis(100));
            assert!(backoff(&policy, 2, None) <= Duration::from_millis(200));
            assert!(backoff(&policy, 9, None) <= Duration::from_millis(350));
        }
        assert_eq!(backoff(&policy, 1, Some(Duration::from_secs(1))), Duration::from_millis(350));
        assert_eq!(backoff(&RetryPolicy::default(), 1, Some(Duration::from_secs(1))), Duration::from_secs(1));
    }

    #[test]
    fn retry_after_in_seconds_or_date() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", "2".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(2)));
        h.insert("retry-after", "Tue, 06 Nov 2018 06:12:40 GMT".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn tokens_are_fresh() {
        let (a, b) = (new_idempotency_token(), new_idempotency_token());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }
}
