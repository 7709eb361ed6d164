//! Caching credentials between calls, refreshing temporary ones before they expire.
//!
//! Fresh cached credentials are read under a short read lock, so concurrent calls never wait on
//! each other. One refresh at a time (single flight): callers that find the cached credentials
//! due wait on one async lock, the first refreshes, the others take what it fetched. Expired
//! credentials are never handed out.

use super::provider::{ProvideCredentials, ProvidedCredentials};
use super::CredentialsError;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

/// How long before their expiry temporary credentials are refreshed by default: the Huawei
/// Cloud SDKs refresh 40 minutes ahead, Alibaba's 15 (the longer keeps a call signed now from
/// being refused later in a long retry loop). Credentials that came with less than twice this
/// left are refreshed halfway through what they had instead (see [`CredentialsCache`]).
pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(40 * 60);

/// A provider with a cache in front of it.
///
/// Temporary credentials are refreshed a window ahead of their expiry
/// ([`DEFAULT_REFRESH_BEFORE`], or [`refresh_before`](Self::refresh_before)), but never before
/// half of the time they had left when they were fetched has passed: a role assumed for 15
/// minutes (the Alibaba CLI's `expired_seconds: 900`) is used for 7.5 minutes, instead of being
/// assumed again on every call because its whole life lies inside a 40-minute window.
#[derive(Debug, Clone)]
pub struct CredentialsCache {
    provider: Arc<dyn ProvideCredentials>,
    /// The credentials last provided, shared with the calls using them (an attempt takes a
    /// reference, not a copy of the secrets). Written only while `refreshing` is held.
    cached: Arc<RwLock<Option<Cached>>>,
    /// Held for a refresh, so that only one caller asks the provider at a time.
    refreshing: Arc<tokio::sync::Mutex<()>>,
    refresh_before: Duration,
}

/// Cached credentials and when they are due for a refresh (`None`: never, they do not expire).
#[derive(Debug, Clone)]
struct Cached {
    credentials: Arc<ProvidedCredentials>,
    refresh_at: Option<time::OffsetDateTime>,
}

impl CredentialsCache {
    /// A cache in front of `provider`, refreshing [`DEFAULT_REFRESH_BEFORE`] ahead of expiry.
    pub fn new(provider: impl ProvideCredentials) -> Self {
        Self::from_shared(Arc::new(provider))
    }

    /// [`CredentialsCache::new`] for a provider already shared.
    pub fn from_shared(provider: Arc<dyn ProvideCredentials>) -> Self {
        Self { provider, cached: Arc::default(), refreshing: Arc::default(), refresh_before: DEFAULT_REFRESH_BEFORE }
    }

    /// Refreshes temporary credentials `window` before they expire.
    pub fn refresh_before(mut self, window: Duration) -> Self {
        self.refresh_before = window;
        self
    }

    /// The provider's name.
    pub fn provider_name(&self) -> &str {
        self.provider.name()
    }

    /// Credentials valid now: the cached ones unless they are due for a refresh, shared (every
    /// caller until the next refresh gets the same allocation).
    ///
    /// A refresh that fails while the cached credentials are still valid (due, not expired)
    /// keeps them for this call; otherwise the failure is returned.
    ///
    /// # Errors
    ///
    /// The provider's error, or [`CredentialsError::Expired`] when it gave credentials that
    /// have already expired.
    pub async fn resolve(&self) -> Result<Arc<ProvidedCredentials>, CredentialsError> {
        if let Some(current) = self.current_unless_due() {
            return Ok(current);
        }
        let _refreshing = self.refreshing.lock().await;
        // Whoever held the lock before may have refreshed them already.
        if let Some(current) = self.current_unless_due() {
            return Ok(current);
        }
        let now = time::OffsetDateTime::now_utc();
        let cached = self.cached.read().unwrap_or_else(PoisonError::into_inner).as_ref().map(|c| c.credentials.clone());
        match self.provider.provide_credentials().await {
            Ok(fresh) => {
                if fresh.expires_at.is_some_and(|at| at <= now) {
                    return Err(CredentialsError::Expired { provider: self.provider.name().to_owned() });
                }
                tracing::debug!(provider = self.provider.name(), expires_at = ?fresh.expires_at, "credentials refreshed");
                let refresh_at = fresh.expires_at.map(|expires_at| self.refresh_at(expires_at, now));
                let fresh = Arc::new(fresh);
                let entry = Cached { credentials: fresh.clone(), refresh_at };
                *self.cached.write().unwrap_or_else(PoisonError::into_inner) = Some(entry);
                Ok(fresh)
            }
            Err(e) => match cached.as_ref() {
                Some(current) if current.expires_at.is_some_and(|at| at > now) => {
                    tracing::warn!(provider = self.provider.name(), error = %e, "refresh failed; the current credentials are still valid");
                    Ok(current.clone())
                }
                _ => Err(e),
            },
        }
    }

    /// The cached credentials, when there are some and they are not due for a refresh.
    fn current_unless_due(&self) -> Option<Arc<ProvidedCredentials>> {
        let cached = self.cached.read().unwrap_or_else(PoisonError::into_inner);
        let now = time::OffsetDateTime::now_utc();
        cached.as_ref().filter(|c| c.refresh_at.is_none_or(|at| now < at)).map(|c| c.credentials.clone())
    }

    /// When credentials fetched at `now` and expiring at `expires_at` are due: the window ahead
    /// of expiry, shortened to half of what they have left.
    fn refresh_at(&self, expires_at: time::OffsetDateTime, now: time::OffsetDateTime) -> time::OffsetDateTime {
        // A window too large to represent is only ever shortened to the half.
        let window = time::Duration::try_from(self.refresh_before).unwrap_or(time::Duration::MAX);
        let half_left = (expires_at - now) / 2;
        expires_at - window.min(half_left)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::provider::ProviderFuture;
    use crate::credentials::Credentials;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Gives credentials expiring `lifetimes[n]` from now on its n-th call (the last one after).
    #[derive(Debug)]
    struct Counting {
        calls: AtomicUsize,
        lifetimes: Vec<Option<time::Duration>>,
    }

    impl ProvideCredentials for Counting {
        fn name(&self) -> &str {
            "counting"
        }

        fn provide_credentials(&self) -> ProviderFuture<'_> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, Ordering::SeqCst);
                tokio::task::yield_now().await;
                let lifetime = self.lifetimes[n.min(self.lifetimes.len() - 1)];
                let Some(lifetime) = lifetime else {
                    return Err(CredentialsError::provider("counting", "unavailable"));
                };
                let provided = ProvidedCredentials::new(Credentials::huawei_temporary(format!("AK{n}"), "SK", "T"));
                Ok(provided.expiring_at(time::OffsetDateTime::now_utc() + lifetime))
            })
        }
    }

    fn cache(lifetimes: Vec<Option<time::Duration>>) -> (CredentialsCache, Arc<Counting>) {
        let provider = Arc::new(Counting { calls: AtomicUsize::new(0), lifetimes });
        let shared: Arc<dyn ProvideCredentials> = provider.clone();
        (CredentialsCache::from_shared(shared).refresh_before(Duration::from_secs(15 * 60)), provider)
    }

    fn ak(provided: &ProvidedCredentials) -> String {
        match &provided.credentials {
            Credentials::HuaweiAkSk(key) => key.ak.clone(),
            other => panic!("{other:?}"),
        }
    }

    /// Credentials living `SHORT`, due once `PAST_HALF` of it has passed.
    /// (Wide margins: a loaded machine may oversleep by most of a second.)
    const SHORT: time::Duration = time::Duration::seconds(2);
    const PAST_HALF: Duration = Duration::from_millis(1200);

    #[tokio::test]
    async fn credentials_due_for_refresh_are_refreshed_once_by_concurrent_callers() {
        // The first credentials are short-lived: past half their life, they are due.
        let (cache, provider) = cache(vec![Some(SHORT), Some(time::Duration::hours(6))]);
        assert_eq!(ak(&cache.resolve().await.unwrap()), "AK0");
        tokio::time::sleep(PAST_HALF).await;
        let calls: Vec<_> = (0..100)
            .map(|_| {
                tokio::spawn({
                    let c = cache.clone();
                    async move { c.resolve().await }
                })
            })
            .collect();
        for call in calls {
            assert_eq!(ak(&call.await.unwrap().unwrap()), "AK1");
        }
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2, "one refresh for 100 callers");
        let (first, second) = (cache.resolve().await.unwrap(), cache.resolve().await.unwrap());
        assert!(Arc::ptr_eq(&first, &second), "callers share the cached credentials, the secrets are not copied");
        cache.resolve().await.unwrap();
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2, "fresh credentials are cached");
    }

    #[tokio::test]
    async fn shared_credentials_keep_their_secrets_out_of_debug() {
        let (cache, _) = cache(vec![Some(time::Duration::hours(6))]);
        let debug = format!("{:?}", cache.resolve().await.unwrap());
        assert!(debug.contains("AK0") && !debug.contains("\"SK\"") && !debug.contains("\"T\""), "{debug}");
    }

    #[tokio::test]
    async fn expired_credentials_are_never_used() {
        let (cache, _) = cache(vec![Some(time::Duration::seconds(-1))]);
        let err = cache.resolve().await.unwrap_err();
        assert_eq!(err, CredentialsError::Expired { provider: "counting".to_owned() });
        assert!(err.to_string().contains("counting"), "{err}");
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_still_valid_credentials_and_names_the_provider_otherwise() {
        let (cache, provider) = cache(vec![Some(SHORT), None]);
        assert_eq!(ak(&cache.resolve().await.unwrap()), "AK0");
        tokio::time::sleep(PAST_HALF).await;
        assert_eq!(ak(&cache.resolve().await.unwrap()), "AK0", "due but valid: kept when the refresh fails");
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
        let (cache, _) = cache_failing();
        let err = cache.resolve().await.unwrap_err();
        assert!(matches!(&err, CredentialsError::Provider { provider, .. } if provider == "counting"), "{err:?}");
    }

    #[tokio::test]
    async fn cached_credentials_that_expired_are_not_used_when_the_refresh_fails() {
        let (cache, provider) = cache(vec![Some(time::Duration::milliseconds(50)), None]);
        assert_eq!(ak(&cache.resolve().await.unwrap()), "AK0");
        tokio::time::sleep(Duration::from_millis(100)).await;
        let err = cache.resolve().await.unwrap_err();
        assert!(matches!(&err, CredentialsError::Provider { provider, .. } if provider == "counting"), "{err:?}");
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2, "the refresh was tried");
    }

    fn cache_failing() -> (CredentialsCache, Arc<Counting>) {
        cache(vec![None])
    }

    #[test]
    fn credentials_are_due_a_window_ahead_of_expiry_or_halfway_through_a_shorter_life() {
        let (cache, _) = cache(vec![None]);
        let now = time::OffsetDateTime::UNIX_EPOCH;
        let six_hours = now + time::Duration::hours(6);
        assert_eq!(cache.refresh_at(six_hours, now), six_hours - time::Duration::minutes(15), "the window");
        let ten_minutes = now + time::Duration::minutes(10);
        assert_eq!(
            cache.refresh_at(ten_minutes, now),
            now + time::Duration::minutes(5),
            "half of a life inside the window"
        );
        let huge = cache.clone().refresh_before(Duration::MAX);
        assert_eq!(huge.refresh_at(six_hours, now), now + time::Duration::hours(3), "a window too large to represent");
    }

    #[tokio::test]
    async fn credentials_living_less_than_the_window_are_reused_until_halfway() {
        // A 15-minute role under the default 40-minute window: not fetched again on every call.
        let provider =
            Arc::new(Counting { calls: AtomicUsize::new(0), lifetimes: vec![Some(time::Duration::minutes(15))] });
        let shared: Arc<dyn ProvideCredentials> = provider.clone();
        let cache = CredentialsCache::from_shared(shared);
        for _ in 0..3 {
            assert_eq!(ak(&cache.resolve().await.unwrap()), "AK0");
        }
        assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn permanent_credentials_are_fetched_once() {
        let cache = CredentialsCache::new(crate::credentials::StaticProvider::new(Credentials::huawei_aksk("a", "s")));
        for _ in 0..3 {
            assert_eq!(cache.resolve().await.unwrap().credentials, Credentials::huawei_aksk("a", "s"));
        }
    }
}
