//! The `authKey` cache. OEM authentication (`authOem/` with `oemId` + `oemKey`) gives an
//! `authKey` that every other call carries inside its JSON (reference §1.2). Its lifetime is
//! not documented, so a key is reused for `auth_key_ttl_secs` (or until shortly before the
//! `expireAt` the simulator announces, when that lies ahead of our clock — an expiry already
//! past means the two clocks disagree, and is ignored) and an auth error fetches a new one,
//! once.
//!
//! Fetching holds a tokio mutex, so concurrent callers wait for one fetch instead of each
//! authenticating; [`AuthKeys::renew`] with the key that failed reuses a replacement another
//! caller already fetched. Keys are never logged.

use super::error::FreebitError;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// A key is dropped this long before the expiry the platform announced.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);

/// A fetched key.
pub struct AuthKey {
    value: String,
    valid_until: Instant,
    generation: u64,
}

impl AuthKey {
    /// The value to send.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Debug for AuthKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthKey")
            .field("value", &"[redacted]")
            .field("generation", &self.generation)
            .finish()
    }
}

/// What a fetch returns: the key, and how long the platform says it lives (if it says).
pub type Fetched = (String, Option<Duration>);

/// The cache.
pub struct AuthKeys {
    ttl: Duration,
    state: Mutex<(u64, Option<Arc<AuthKey>>)>,
}

impl AuthKeys {
    /// An empty cache reusing keys for at most `ttl`.
    pub fn new(ttl: Duration) -> Self {
        AuthKeys {
            ttl,
            state: Mutex::new((0, None)),
        }
    }

    /// The cached key while it is valid, else a newly fetched one.
    pub async fn get<F, Fut>(&self, fetch: F) -> Result<Arc<AuthKey>, FreebitError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Fetched, FreebitError>>,
    {
        let mut state = self.state.lock().await;
        if let Some(key) = &state.1
            && Instant::now() < key.valid_until
        {
            return Ok(key.clone());
        }
        self.fetch_into(&mut state, fetch).await
    }

    /// A key other than `stale` (which the platform just refused): one another caller fetched
    /// meanwhile, or a new one.
    pub async fn renew<F, Fut>(
        &self,
        stale: &AuthKey,
        fetch: F,
    ) -> Result<Arc<AuthKey>, FreebitError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Fetched, FreebitError>>,
    {
        let mut state = self.state.lock().await;
        if let Some(key) = &state.1
            && key.generation != stale.generation
        {
            return Ok(key.clone());
        }
        self.fetch_into(&mut state, fetch).await
    }

    async fn fetch_into<F, Fut>(
        &self,
        state: &mut (u64, Option<Arc<AuthKey>>),
        fetch: F,
    ) -> Result<Arc<AuthKey>, FreebitError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Fetched, FreebitError>>,
    {
        state.1 = None;
        let (value, lives) = fetch().await?;
        let lifetime = match lives {
            Some(lives) if lives > EXPIRY_MARGIN => self.ttl.min(lives - EXPIRY_MARGIN),
            _ => self.ttl,
        };
        state.0 += 1;
        let key = Arc::new(AuthKey {
            value,
            valid_until: Instant::now() + lifetime,
            generation: state.0,
        });
        state.1 = Some(key.clone());
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    async fn fetch(count: &AtomicU32) -> Result<Fetched, FreebitError> {
        let n = count.fetch_add(1, Ordering::SeqCst) + 1;
        Ok((format!("key-{n}"), None))
    }

    #[tokio::test]
    async fn keys_are_cached_and_renewed_once() {
        let fetches = AtomicU32::new(0);
        let keys = AuthKeys::new(Duration::from_secs(3000));
        let first = keys.get(|| fetch(&fetches)).await.expect("key");
        let again = keys.get(|| fetch(&fetches)).await.expect("key");
        assert_eq!((first.value(), again.value()), ("key-1", "key-1"));
        // Two callers saw key-1 refused: only one new key is fetched.
        let renewed = keys.renew(&first, || fetch(&fetches)).await.expect("key");
        let other = keys.renew(&first, || fetch(&fetches)).await.expect("key");
        assert_eq!((renewed.value(), other.value()), ("key-2", "key-2"));
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
        assert!(!format!("{renewed:?}").contains("key-2"));
    }

    #[tokio::test]
    async fn a_shorter_announced_life_wins_over_the_ttl() {
        let keys = AuthKeys::new(Duration::from_secs(3000));
        let announced = |secs| async move { Ok(("k".to_owned(), Some(Duration::from_secs(secs)))) };
        let key = keys.get(|| announced(90)).await.expect("key");
        let left = key.valid_until.saturating_duration_since(Instant::now());
        assert!(
            left <= Duration::from_secs(30),
            "90 s less the margin: {left:?}"
        );
        // An expiry already past (the clocks disagree) falls back to the TTL.
        let skewed = AuthKeys::new(Duration::from_secs(3000));
        let key = skewed.get(|| announced(0)).await.expect("key");
        assert!(key.valid_until > Instant::now() + Duration::from_secs(2900));
    }

    #[tokio::test]
    async fn a_failed_fetch_leaves_no_key() {
        let keys = AuthKeys::new(Duration::from_secs(3000));
        let failed = keys
            .get(|| async { Err::<Fetched, _>(FreebitError::Timeout) })
            .await;
        assert!(failed.is_err());
        let fetches = AtomicU32::new(0);
        keys.get(|| fetch(&fetches)).await.expect("key");
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }
}
