//! Waiters: an operation polled until its response reaches a success or failure state, or until
//! the service answers with an error that means the wait is over (the resource is gone).
//!
//! Generated clients have a `wait_until_<name>(&request, options)` method for every waiter an
//! operation's spec declares (`x-waiters`). It calls the operation, reads the state field of the
//! response, and returns the response once the state is a success value; a failure value, the
//! maximum wait, or a failed call end it with a [`WaitError`] that carries the last state seen.
//! A service error whose status or code the waiter lists (`retry-statuses`, `retry-codes`: a
//! resource the service does not show yet right after creating it) is polled through instead.
//! Between two polls it sleeps a delay that grows by the backoff factor up to the longest delay,
//! less a random part of up to half of it, so that many waits started together (a batch of
//! clusters created at once) do not poll in step. The spec gives each of these; [`WaitOptions`]
//! overrides any of them for one wait.
//!
//! A waiter can also succeed on a service error (`success-statuses`, `success-codes`): a
//! "deleted" waiter polls until the show operation answers 404, as aws-sdk-rust's
//! `wait_until_bucket_not_exists` succeeds on `NotFound`. What its method returns says which
//! way it ended, and only offers the ways it can end:
//! - success states only (every waiter before this): the response, `Result<Response<T>, _>`,
//!   unchanged;
//! - success errors only: the [`ServiceError`] that ended it, `Result<ServiceError, _>` (its
//!   status, code and request id; `?` and ignore it when only "gone" matters). aws-sdk-rust
//!   hands back the matched error the same way, through its `FinalPoll`;
//! - both: a [`WaitOutcome`], the response in its success state or the service error.
//!
//! A failure state still ends such a wait in [`WaitError::Failed`], and the maximum wait in
//! [`WaitError::TimedOut`], as for any waiter.

use crate::error::{Error, ServiceError};
use crate::response::Response;
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

/// Overrides of a waiter's timing for one wait; what is left unset is the spec's.
///
/// ```
/// use cloudspec_runtime::waiter::WaitOptions;
/// use std::time::Duration;
///
/// // Poll every 2 s (no backoff) for at most 5 minutes.
/// let options = WaitOptions::new().with_delay(Duration::from_secs(2)).with_backoff(1.0).with_max_wait(Duration::from_secs(300));
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[non_exhaustive]
pub struct WaitOptions {
    /// The delay before the second poll.
    pub delay: Option<Duration>,
    /// What each delay is multiplied by for the next one (1 for a fixed delay; below 1, or not
    /// a number, counts as 1).
    pub backoff: Option<f64>,
    /// The longest delay between two polls.
    pub max_delay: Option<Duration>,
    /// How long to wait in all, the calls included.
    pub max_wait: Option<Duration>,
}

impl WaitOptions {
    /// The spec's timing, unchanged.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the delay before the second poll.
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Sets the factor between two delays.
    pub fn with_backoff(mut self, backoff: f64) -> Self {
        self.backoff = Some(backoff);
        self
    }

    /// Sets the longest delay between two polls.
    pub fn with_max_delay(mut self, max_delay: Duration) -> Self {
        self.max_delay = Some(max_delay);
        self
    }

    /// Sets how long to wait in all.
    pub fn with_max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = Some(max_wait);
        self
    }
}

/// A waiter's timing, as the spec gives it (in milliseconds) with a caller's overrides applied.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaitPolicy {
    /// The delay before the second poll.
    pub delay: Duration,
    /// The factor between two delays, at least 1.
    pub backoff: f64,
    /// The longest delay.
    pub max_delay: Duration,
    /// How long to wait in all.
    pub max_wait: Duration,
}

impl WaitPolicy {
    /// The spec's timing.
    pub const fn from_millis(delay: u64, backoff: f64, max_delay: u64, max_wait: u64) -> Self {
        Self {
            delay: Duration::from_millis(delay),
            backoff,
            max_delay: Duration::from_millis(max_delay),
            max_wait: Duration::from_millis(max_wait),
        }
    }

    fn with(self, options: &WaitOptions) -> Self {
        let backoff = options.backoff.unwrap_or(self.backoff);
        Self {
            delay: options.delay.unwrap_or(self.delay),
            backoff: if backoff.is_finite() && backoff >= 1.0 { backoff } else { 1.0 },
            max_delay: options.max_delay.unwrap_or(self.max_delay),
            max_wait: options.max_wait.unwrap_or(self.max_wait),
        }
    }

    /// The delay after `delay`: multiplied by the backoff, at most the longest delay (which a
    /// product too large for a `Duration` is too).
    fn next_delay(&self, delay: Duration) -> Duration {
        Duration::try_from_secs_f64(delay.as_secs_f64() * self.backoff)
            .map_or(self.max_delay, |next| next.min(self.max_delay))
    }
}

/// One waiter of a generated client: what it polls for, and how the state is read.
#[doc(hidden)]
pub struct Waiter<T> {
    /// The waiter's name (`cluster_running`).
    pub name: &'static str,
    /// The state values that end the wait successfully.
    pub success: &'static [&'static str],
    /// The state values that end it in failure.
    pub failure: &'static [&'static str],
    /// The HTTP statuses of service errors that end it successfully (a resource gone).
    pub success_statuses: &'static [u16],
    /// The service error codes that end it successfully.
    pub success_codes: &'static [&'static str],
    /// The HTTP statuses of service errors that keep it polling (a resource not visible yet).
    pub retry_statuses: &'static [u16],
    /// The service error codes that keep it polling.
    pub retry_codes: &'static [&'static str],
    /// The spec's timing.
    pub policy: WaitPolicy,
    /// The state a response body is in (its field's wire text), when it says.
    pub state: fn(&T) -> Option<String>,
}

impl<T> Waiter<T> {
    /// Whether a failed call is one the waiter polls through: a service error of a listed
    /// status or code (after the client's own retries).
    fn keeps_polling(&self, error: &Error) -> bool {
        error.as_service_error().is_some_and(|e| is_listed(e, self.retry_statuses, self.retry_codes))
    }

    /// Whether a service error ends the wait successfully: one of a success status or code.
    fn succeeds_on_service_error(&self, error: &ServiceError) -> bool {
        is_listed(error, self.success_statuses, self.success_codes)
    }
}

/// Whether `error` has one of `statuses` or `codes`.
fn is_listed(error: &ServiceError, statuses: &[u16], codes: &[&str]) -> bool {
    statuses.contains(&error.status) || error.code.as_deref().is_some_and(|code| codes.contains(&code))
}

/// How a wait that can succeed either way ended: a response in a success state, or a service
/// error the waiter counts as success (`success-statuses`, `success-codes`: the resource is gone).
///
/// Only the methods of waiters that list both kinds return it; see the [module docs](self) for
/// the other return types.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitOutcome<T> {
    /// The response reached a success state.
    Response(Response<T>),
    /// The service answered with an error of a success status or code.
    ServiceError(Box<ServiceError>),
}

impl<T> WaitOutcome<T> {
    /// The response in its success state, when that is how the wait ended.
    pub fn response(&self) -> Option<&Response<T>> {
        match self {
            WaitOutcome::Response(response) => Some(response),
            WaitOutcome::ServiceError(_) => None,
        }
    }

    /// The response in its success state, when that is how the wait ended.
    pub fn into_response(self) -> Option<Response<T>> {
        match self {
            WaitOutcome::Response(response) => Some(response),
            WaitOutcome::ServiceError(_) => None,
        }
    }

    /// The service error that ended the wait, when that is how it ended.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            WaitOutcome::ServiceError(error) => Some(error),
            WaitOutcome::Response(_) => None,
        }
    }

    /// The service error that ended the wait, when that is how it ended (unboxed, as the
    /// methods of waiters that succeed on errors alone return it).
    pub fn into_service_error(self) -> Option<ServiceError> {
        match self {
            WaitOutcome::ServiceError(error) => Some(*error),
            WaitOutcome::Response(_) => None,
        }
    }
}

/// Why a wait ended without success (a success state, or a success error for waiters that list one).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WaitError<T> {
    /// The response reached a failure state.
    #[error("waiting until {waiter}: reached the failure state {state:?}")]
    Failed {
        /// The waiter (`cluster_running`).
        waiter: &'static str,
        /// The failure state (the field's wire value).
        state: String,
        /// The response in that state.
        response: Box<Response<T>>,
    },
    /// No success or failure state within the maximum wait.
    #[error("waiting until {waiter}: gave up after {waited:?}, the last state seen being {}", last_state.as_deref().unwrap_or("none"))]
    TimedOut {
        /// The waiter (`cluster_running`).
        waiter: &'static str,
        /// The state of the last response, when one came and said.
        last_state: Option<String>,
        /// The last response, when one came.
        last_response: Option<Box<Response<T>>>,
        /// How long it waited.
        waited: Duration,
    },
    /// A call failed (after the client's own retries).
    #[error("waiting until {waiter}: {source}")]
    Call {
        /// The waiter (`cluster_running`).
        waiter: &'static str,
        /// The state of the last response before the failed call, when one came and said.
        last_state: Option<String>,
        /// The call's error.
        #[source]
        source: Error,
    },
}

impl<T> WaitError<T> {
    /// The last state seen: the failure state, or the last response's before a timeout or a failed call.
    pub fn last_state(&self) -> Option<&str> {
        match self {
            WaitError::Failed { state, .. } => Some(state),
            WaitError::TimedOut { last_state, .. } | WaitError::Call { last_state, .. } => last_state.as_deref(),
        }
    }
}

/// Calls `call` until its response reaches one of `waiter`'s states or the maximum wait passes,
/// for a waiter that succeeds on states only (its success statuses and codes are not read).
#[doc(hidden)]
pub async fn wait<T, Call, Fut>(
    waiter: Waiter<T>,
    options: &WaitOptions,
    call: Call,
) -> Result<Response<T>, WaitError<T>>
where
    Call: FnMut() -> Fut,
    Fut: Future<Output = Result<Response<T>, Error>>,
{
    let waiter = Waiter { success_statuses: &[], success_codes: &[], ..waiter };
    match poll(waiter, options, call).await? {
        WaitOutcome::Response(response) => Ok(response),
        // No success status or code is left to end the wait on.
        WaitOutcome::ServiceError(_) => unreachable!("a waiter without success errors ended on one"),
    }
}

/// Calls `call` until the service answers with one of `waiter`'s success errors, for a waiter
/// that succeeds on errors only (its success states are not read; failure states still end it).
#[doc(hidden)]
pub async fn wait_for_service_error<T, Call, Fut>(
    waiter: Waiter<T>,
    options: &WaitOptions,
    call: Call,
) -> Result<ServiceError, WaitError<T>>
where
    Call: FnMut() -> Fut,
    Fut: Future<Output = Result<Response<T>, Error>>,
{
    let waiter = Waiter { success: &[], ..waiter };
    match poll(waiter, options, call).await? {
        WaitOutcome::ServiceError(error) => Ok(*error),
        // No success state is left to end the wait on.
        WaitOutcome::Response(_) => unreachable!("a waiter without success states ended on one"),
    }
}

/// Calls `call` until its response reaches a success state or the service answers with a
/// success error, for a waiter that succeeds either way.
#[doc(hidden)]
pub async fn wait_for_outcome<T, Call, Fut>(
    waiter: Waiter<T>,
    options: &WaitOptions,
    call: Call,
) -> Result<WaitOutcome<T>, WaitError<T>>
where
    Call: FnMut() -> Fut,
    Fut: Future<Output = Result<Response<T>, Error>>,
{
    poll(waiter, options, call).await
}

/// The polling loop all waiters share.
async fn poll<T, Call, Fut>(
    waiter: Waiter<T>,
    options: &WaitOptions,
    mut call: Call,
) -> Result<WaitOutcome<T>, WaitError<T>>
where
    Call: FnMut() -> Fut,
    Fut: Future<Output = Result<Response<T>, Error>>,
{
    let policy = waiter.policy.with(options);
    let started = Instant::now();
    // Past `Instant`'s range: no deadline at all.
    let deadline = started.checked_add(policy.max_wait);
    let (mut delay, mut last_state, mut last_response) = (policy.delay, None, None);
    loop {
        let polled = match deadline {
            Some(deadline) => tokio::time::timeout_at(deadline, call()).await.ok(),
            None => Some(call().await),
        };
        match polled {
            Some(Ok(response)) => {
                let state = (waiter.state)(&response);
                if let Some(state) = state.as_deref() {
                    if waiter.success.contains(&state) {
                        return Ok(WaitOutcome::Response(response));
                    }
                    if waiter.failure.contains(&state) {
                        let state = state.to_owned();
                        return Err(WaitError::Failed { waiter: waiter.name, state, response: Box::new(response) });
                    }
                }
                (last_state, last_response) = (state, Some(Box::new(response)));
            }
            Some(Err(Error::Service(error))) if waiter.succeeds_on_service_error(&error) => {
                return Ok(WaitOutcome::ServiceError(error));
            }
            // A listed error is a poll without a state: the last one seen stays.
            Some(Err(source)) if waiter.keeps_polling(&source) => {
                tracing::debug!(waiter = waiter.name, error = %source, "polling on through a listed error");
            }
            Some(Err(source)) => return Err(WaitError::Call { waiter: waiter.name, last_state, source }),
            None => break,
        }
        let remaining = deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()));
        if remaining == Some(Duration::ZERO) {
            break;
        }
        // The last poll comes at the deadline rather than after it.
        let pause = jittered(delay);
        tokio::time::sleep(remaining.map_or(pause, |remaining| pause.min(remaining))).await;
        delay = policy.next_delay(delay);
    }
    let waited = Instant::now().saturating_duration_since(started);
    Err(WaitError::TimedOut { waiter: waiter.name, last_state, last_response, waited })
}

/// `delay` less a random part of up to half of it ("equal jitter"): polls spread out, and never
/// come sooner than half the delay.
fn jittered(delay: Duration) -> Duration {
    let half = delay / 2;
    let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
    delay.saturating_sub(Duration::from_nanos(fastrand::u64(0..=nanos)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_keeps_at_least_half_the_delay_and_varies() {
        let delay = Duration::from_secs(10);
        let pauses: Vec<Duration> = (0..200).map(|_| jittered(delay)).collect();
        assert!(pauses.iter().all(|p| *p >= delay / 2 && *p <= delay), "{pauses:?}");
        assert!(pauses.iter().any(|p| *p != pauses[0]), "200 equal pauses: no jitter");
        assert_eq!(jittered(Duration::ZERO), Duration::ZERO);
        assert!(jittered(Duration::MAX) >= Duration::MAX / 2, "no overflow at the extreme");
    }

    #[test]
    fn delays_grow_by_the_backoff_up_to_the_longest_without_overflow() {
        let policy = WaitPolicy::from_millis(1_000, 2.0, 5_000, 60_000);
        assert_eq!(policy.next_delay(Duration::from_secs(1)), Duration::from_secs(2));
        assert_eq!(policy.next_delay(Duration::from_secs(4)), Duration::from_secs(5));
        assert_eq!(policy.next_delay(Duration::MAX), Duration::from_secs(5), "a product past Duration's range");
        let fixed = policy.with(&WaitOptions::new().with_backoff(f64::NAN));
        assert_eq!(fixed.backoff, 1.0);
        assert_eq!(fixed.next_delay(Duration::from_secs(1)), Duration::from_secs(1));
    }

    #[test]
    fn options_override_only_what_they_set() {
        let spec = WaitPolicy::from_millis(1_000, 1.5, 5_000, 60_000);
        let policy = spec.with(&WaitOptions::new().with_max_wait(Duration::from_secs(3)));
        assert_eq!(policy, WaitPolicy { max_wait: Duration::from_secs(3), ..spec });
        assert_eq!(spec.with(&WaitOptions::new().with_backoff(0.5)).backoff, 1.0);
    }

    /// A waiter on a `&str` body that is its state: `done` success, `failed` failure; 404 or the
    /// code `Gone` success, 409 polled through.
    fn gone_waiter() -> Waiter<&'static str> {
        Waiter {
            name: "job_gone",
            success: &["done"],
            failure: &["failed"],
            success_statuses: &[404],
            success_codes: &["Gone"],
            retry_statuses: &[409],
            retry_codes: &[],
            policy: WaitPolicy::from_millis(10, 1.0, 10, 1_000),
            state: |body| Some((*body).to_owned()),
        }
    }

    /// A scripted call: each poll takes the next answer (a state, or an error status and code).
    fn script(
        answers: Vec<Result<&'static str, (u16, &'static str)>>,
    ) -> impl FnMut() -> std::future::Ready<Result<Response<&'static str>, Error>> {
        let mut answers = answers.into_iter();
        move || {
            let answer = answers.next().expect("polled past the script");
            std::future::ready(match answer {
                Ok(state) => {
                    Ok(Response::from_parts(state, crate::response::Parts::new(200, Default::default(), None)))
                }
                Err((status, code)) => {
                    let body = format!(r#"{{"code": "{code}", "message": "m"}}"#);
                    Err(Error::Service(Box::new(ServiceError::from_response(
                        "GetJob",
                        status,
                        reqwest::header::HeaderMap::new(),
                        body.as_bytes(),
                        &[],
                    ))))
                }
            })
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_success_status_or_code_ends_the_wait_with_that_error() {
        let calls = script(vec![Ok("running"), Err((409, "Busy")), Err((404, "NotFound"))]);
        let outcome = wait_for_outcome(gone_waiter(), &WaitOptions::new(), calls).await.unwrap();
        assert_eq!(outcome.service_error().map(|e| e.status), Some(404));
        assert!(outcome.response().is_none());
        let calls = script(vec![Err((400, "Gone"))]);
        let gone = wait_for_service_error(gone_waiter(), &WaitOptions::new(), calls).await.unwrap();
        assert_eq!((gone.status, gone.code.as_deref()), (400, Some("Gone")), "matched by its code");
    }

    #[tokio::test(start_paused = true)]
    async fn each_entry_point_reads_only_the_success_it_can_return() {
        // A success state ends the either-way wait; the errors-only wait polls past it.
        let outcome = wait_for_outcome(gone_waiter(), &WaitOptions::new(), script(vec![Ok("done")])).await;
        assert_eq!(outcome.unwrap().into_response().map(Response::into_inner), Some("done"));
        let calls = script(vec![Ok("done"), Err((404, "NotFound"))]);
        assert_eq!(wait_for_service_error(gone_waiter(), &WaitOptions::new(), calls).await.unwrap().status, 404);
        // The states-only wait ends on a listed success status as on any other failed call.
        let error = wait(gone_waiter(), &WaitOptions::new(), script(vec![Ok("running"), Err((404, "NotFound"))]))
            .await
            .unwrap_err();
        assert!(matches!(&error, WaitError::Call { last_state: Some(s), .. } if s == "running"), "{error:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_failure_state_still_fails_a_wait_that_can_succeed_on_an_error() {
        let calls = script(vec![Ok("running"), Ok("failed")]);
        let error = wait_for_service_error(gone_waiter(), &WaitOptions::new(), calls).await.unwrap_err();
        assert_eq!(error.last_state(), Some("failed"));
        assert!(matches!(error, WaitError::Failed { .. }), "{error:?}");
        let calls = script(vec![Err((500, "Internal"))]);
        let error = wait_for_outcome(gone_waiter(), &WaitOptions::new(), calls).await.unwrap_err();
        assert!(matches!(error, WaitError::Call { last_state: None, .. }), "{error:?}");
    }
}
