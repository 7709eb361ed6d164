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
/// being refused later in a long retry loop).
pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(40 * 60);

/// A provider with a cache in front of it.
#[derive(Debug, Clone)]
pub struct CredentialsCache {
    provider: Arc<dyn ProvideCredentials>,
    /// The credentials last provided, shared with the calls using them (an attempt takes a
    /// reference, not a copy of the secrets). Written only while `refreshing` is held.
    cached: Arc<RwLock<Option<Arc<ProvidedCredentials>>>>,
    /// Held for a refresh, so that only one caller asks the provider at a time.
    refreshing: Arc<tokio::sync::Mutex<()>>,
    refresh_before: Duration,
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
        let cached = self.cached.read().unwrap_or_else(PoisonError::into_inner).clone();
        match self.provider.provide_credentials().await {
            Ok(fresh) => {
                if fresh.expires_at.is_some_and(|at| at <= now) {
                    return Err(CredentialsError::Expired { provider: self.provider.name().to_owned() });
                }
                tracing::debug!(provider = self.provider.name(), expires_at = ?fresh.expires_at, "credentials refreshed");
                let fresh = Arc::new(fresh);
                *self.cached.write().unwrap_or_else(PoisonError::into_inner) = Some(fresh.clone());
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
        cached.as_ref().filter(|current| !self.is_due(current, time::OffsetDateTime::now_utc())).cloned()
    }

    fn is_due(&self, credentials: &ProvidedCredentials, now: time::OffsetDateTime) -> bool {
        let Some(expires_at) = credentials.expires_at else { return false };
        // A window too large to represent means "always due".
        let window = time::Duration::try_from(self.refresh_before).unwrap_or(time::Duration::MAX);
        expires_at.checked_sub(window).is_none_or(|refresh_at| now >= refresh_at)
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

    #[tokio::test]
    async fn credentials_due_for_refresh_are_refreshed_once_by_concurrent_callers() {
        // The first credentials expire in 10 minutes: inside the 15-minute window, so due.
        let (cache, provider) = cache(vec![Some(time::Duration::minutes(10)), Some(time::Duration::hours(6))]);
        assert_eq!(ak(&cache.resolve().await.unwrap()), "AK0");
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
        let (cache, provider) = cache(vec![Some(time::Duration::minutes(10)), None]);
        assert_eq!(ak(&cache.resolve().await.unwrap()), "AK0");
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

    #[tokio::test]
    async fn permanent_credentials_are_fetched_once() {
        let cache = CredentialsCache::new(crate::credentials::StaticProvider::new(Credentials::huawei_aksk("a", "s")));
        for _ in 0..3 {
            assert_eq!(cache.resolve().await.unwrap().credentials, Credentials::huawei_aksk("a", "s"));
        }
    }
}
