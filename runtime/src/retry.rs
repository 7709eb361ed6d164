//! What is retried, and how long to wait: every retry rule of the runtime is here.
//!
//! A call is tried again (up to [`RetryPolicy::max_attempts`], within the operation timeout)
//! when the request is safe to repeat and its attempt failed transiently:
//! - a connection failure, a broken response, or an attempt timeout;
//! - an error status in [`TRANSIENT_ERROR_STATUS_CODES`] or [`THROTTLING_STATUS_CODES`];
//! - a throttling error code whatever the status: one of [`THROTTLING_ERROR_CODES`], one
//!   starting with one of [`THROTTLING_ERROR_CODE_PREFIXES`], or one the service's published
//!   catalogue lists with a throttling status (ROMA Connect's `APIG.9008`).
//!
//! A request is safe to repeat unless its method is in [`NON_IDEMPOTENT_METHODS`] and it carries
//! no idempotency token (the runtime fills one in when the spec declares it, and sends the same
//! token on every attempt). Nothing else is retried: other statuses, validation, signing,
//! configuration and credentials errors, undecodable and too-large responses.
//!
//! The wait before the next attempt is exactly the service's `Retry-After` when it sent one (a
//! longer one than [`RetryPolicy::max_backoff`] ends the call with its error), else an
//! exponential backoff with full jitter. No wait runs past the operation timeout.

use crate::config::RetryPolicy;
use crate::error::{Error, ServiceError};
use reqwest::header::HeaderMap;
use reqwest::Method;
use std::time::{Duration, SystemTime};

/// Server-side failures a later attempt may not meet (as smithy-rs' `TRANSIENT_ERROR_STATUS_CODES`).
pub const TRANSIENT_ERROR_STATUS_CODES: &[u16] = &[500, 502, 503, 504];

/// Statuses that say the caller is being throttled.
pub const THROTTLING_STATUS_CODES: &[u16] = &[429];

/// Error codes that say the caller is being throttled, whatever the status (Alibaba Cloud's
/// common `Throttling`, which BatchCompute's own catalogue does not list).
pub const THROTTLING_ERROR_CODES: &[&str] = &["Throttling"];

/// Prefixes of throttling error codes (Alibaba Cloud's `Throttling.User`, `Throttling.Api`...).
pub const THROTTLING_ERROR_CODE_PREFIXES: &[&str] = &["Throttling."];

/// Methods not retried without an idempotency token: repeating them may repeat their effect.
pub const NON_IDEMPOTENT_METHODS: &[Method] = &[Method::POST, Method::PATCH];

/// What to do after an attempt.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Done,
    /// Try again, after at least `after` when the service asked for it.
    Retry {
        after: Option<Duration>,
    },
}

/// Whether a request with `method` may be sent more than once.
pub(crate) fn is_retry_safe(method: &Method, has_idempotency_token: bool) -> bool {
    has_idempotency_token || !NON_IDEMPOTENT_METHODS.contains(method)
}

/// Whether trying the same call again may succeed.
pub(crate) fn is_retryable(error: &Error) -> bool {
    match error {
        Error::Transport { .. } | Error::Timeout { .. } => true,
        Error::Service(e) => is_retryable_service_error(e),
        _ => false,
    }
}

/// Whether a service error is transient: a transient or throttling status, or a throttling code.
pub(crate) fn is_retryable_service_error(error: &ServiceError) -> bool {
    TRANSIENT_ERROR_STATUS_CODES.contains(&error.status)
        || THROTTLING_STATUS_CODES.contains(&error.status)
        || is_throttling(error)
}

/// Whether a service error's code says the caller is being throttled: a catalogue entry listed
/// with a throttling status, or a common throttling code.
pub(crate) fn is_throttling(error: &ServiceError) -> bool {
    error.documented.and_then(|d| d.status).is_some_and(|status| THROTTLING_STATUS_CODES.contains(&status))
        || error.code.as_deref().is_some_and(|code| {
            THROTTLING_ERROR_CODES.contains(&code)
                || THROTTLING_ERROR_CODE_PREFIXES.iter().any(|prefix| code.starts_with(prefix))
        })
}

/// Retry (after the service's `Retry-After`, if any) when the request is safe to repeat and the
/// failure [is transient](is_retryable).
pub(crate) fn classify<T>(result: &Result<T, Error>, retry_safe: bool) -> Outcome {
    match result {
        Err(error) if retry_safe && is_retryable(error) => {
            Outcome::Retry { after: error.as_service_error().and_then(ServiceError::retry_after) }
        }
        _ => Outcome::Done,
    }
}

/// How long to wait before the next attempt: the service's `Retry-After` in full when it gave
/// one, else exponential backoff with full jitter, a random delay in
/// `[0, min(max, initial * 2^(attempt-1))]`. `None` when the service asks for longer than
/// `max_backoff`: waiting that long is not a retry the caller asked for.
pub(crate) fn backoff(policy: &RetryPolicy, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
    if let Some(after) = retry_after {
        return (after <= policy.max_backoff).then_some(after);
    }
    let exponent = attempt.saturating_sub(1).min(30);
    let cap = policy.initial_backoff.saturating_mul(1u32 << exponent).min(policy.max_backoff);
    let millis = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX);
    Some(Duration::from_millis(fastrand::u64(0..=millis)))
}

/// `Retry-After` as seconds or as an HTTP date (IMF-fixdate, RFC 850 or asctime); a date in the
/// past is no wait.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(text).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

/// A fresh idempotency token: a random (v4) UUID as 32 hex digits, without hyphens (which
/// BatchCompute's `IdempotentToken` does not allow).
pub(crate) fn new_idempotency_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// A fresh request nonce: a random (v4) UUID in its hyphenated form (BatchCompute's SDK sends a
/// `uuid1()`).
pub(crate) fn new_nonce() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service_error(status: u16, after: Option<Duration>) -> Result<(), Error> {
        let mut headers = HeaderMap::new();
        if let Some(after) = after {
            headers.insert("retry-after", after.as_secs().into());
        }
        Err(Error::Service(Box::new(ServiceError::from_response("Op", status, headers, b"", &[]))))
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
        let timeout: Result<(), Error> = Err(Error::Timeout { operation: "Op", after: Duration::from_secs(1) });
        assert_eq!(classify(&timeout, true), Outcome::Retry { after: None });
        assert_eq!(
            classify(&service_error(429, Some(Duration::from_secs(1))), true),
            Outcome::Retry { after: Some(Duration::from_secs(1)) }
        );
    }

    #[test]
    fn post_and_patch_are_safe_to_repeat_only_with_an_idempotency_token() {
        for method in [Method::GET, Method::PUT, Method::DELETE, Method::HEAD] {
            assert!(is_retry_safe(&method, false), "{method}");
        }
        for method in NON_IDEMPOTENT_METHODS {
            assert!(!is_retry_safe(method, false) && is_retry_safe(method, true), "{method}");
        }
    }

    #[test]
    fn backoff_is_jittered_within_the_exponential_cap() {
        let policy = RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
        };
        for _ in 0..200 {
            assert!(backoff(&policy, 1, None).is_some_and(|d| d <= Duration::from_millis(100)));
            assert!(backoff(&policy, 2, None).is_some_and(|d| d <= Duration::from_millis(200)));
            assert!(backoff(&policy, 9, None).is_some_and(|d| d <= Duration::from_millis(350)));
        }
    }

    #[test]
    fn retry_after_is_honoured_in_full_or_not_at_all() {
        let policy = RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
        };
        assert_eq!(
            backoff(&policy, 1, Some(Duration::from_secs(2))),
            Some(Duration::from_secs(2)),
            "not shortened, not jittered"
        );
        assert_eq!(backoff(&policy, 1, Some(Duration::from_secs(3))), None, "longer than the policy's cap: give up");
        assert_eq!(backoff(&RetryPolicy::default(), 1, Some(Duration::from_secs(20))), Some(Duration::from_secs(20)));
    }

    #[test]
    fn retry_after_in_seconds_or_any_http_date_form() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", "2".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(2)));
        for past in ["Tue, 06 Nov 2018 06:12:40 GMT", "Tuesday, 06-Nov-18 06:12:40 GMT", "Tue Nov  6 06:12:40 2018"] {
            h.insert("retry-after", past.parse().unwrap());
            assert_eq!(retry_after(&h), Some(Duration::ZERO), "{past}");
        }
        let future = SystemTime::now() + Duration::from_secs(120);
        h.insert("retry-after", httpdate::fmt_http_date(future).parse().unwrap());
        let wait = retry_after(&h).unwrap();
        assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120), "{wait:?}");
        h.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn tokens_and_nonces_are_fresh_uuids() {
        let (a, b) = (new_idempotency_token(), new_idempotency_token());
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()), "{a}");
        assert_ne!(a, b);
        let nonce = new_nonce();
        let parsed = uuid::Uuid::parse_str(&nonce).unwrap();
        assert_eq!((nonce.len(), parsed.get_version_num()), (36, 4));
        assert_ne!(nonce, new_nonce());
    }

    #[test]
    fn backoff_never_overflows_whatever_the_policy_and_attempt() {
        let endless =
            RetryPolicy { max_attempts: u32::MAX, initial_backoff: Duration::MAX, max_backoff: Duration::MAX };
        for attempt in [0, 1, 2, 31, 32, 64, u32::MAX] {
            assert!(backoff(&endless, attempt, None).is_some(), "attempt {attempt}");
            assert_eq!(backoff(&endless, attempt, Some(Duration::MAX)), Some(Duration::MAX));
        }
        let zero = RetryPolicy { max_attempts: 3, initial_backoff: Duration::ZERO, max_backoff: Duration::ZERO };
        assert_eq!(backoff(&zero, u32::MAX, None), Some(Duration::ZERO));
        assert_eq!(backoff(&zero, 1, Some(Duration::from_secs(u64::MAX))), None, "longer than the cap");
    }

    #[test]
    fn retry_after_at_the_ends_of_time_does_not_overflow() {
        let mut headers = HeaderMap::new();
        for (text, expected) in [
            ("18446744073709551615", Some(Duration::from_secs(u64::MAX))),
            ("18446744073709551616", None),
            ("Thu, 01 Jan 1970 00:00:00 GMT", Some(Duration::ZERO)),
        ] {
            headers.insert("retry-after", text.parse().unwrap());
            assert_eq!(retry_after(&headers), expected, "{text}");
        }
        headers.insert("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT".parse().unwrap());
        assert!(retry_after(&headers).is_some_and(|wait| wait > Duration::from_secs(200 * 365 * 24 * 3600)));
    }
}
