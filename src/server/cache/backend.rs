//! The contract a cache backend fulfils; `Cache` builds everything else on it.

use async_trait::async_trait;
use std::time::Duration;

/// A cache backend failure. Reads treat it as a miss.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The backend refused or could not be reached.
    #[error("cache backend error: {0}")]
    Backend(String),
}

/// A byte-value store with per-entry TTLs and namespace version counters.
#[async_trait]
pub trait CacheBackend: Send + Sync + 'static {
    /// `redis` or `in-process`.
    fn name(&self) -> &'static str;
    /// The value of `key`, if present and not expired.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError>;
    /// Stores `value` under `key` for `ttl`.
    async fn set(&self, key: &str, value: Vec<u8>, ttl: Duration) -> Result<(), CacheError>;
    /// The current version of namespace `ns` (0 if never bumped). Versions never expire.
    async fn namespace_version(&self, ns: &str) -> Result<u64, CacheError>;
    /// Increments the version of `ns`, returning the new one.
    async fn bump_namespace(&self, ns: &str) -> Result<u64, CacheError>;
    /// Counts one event under `key` in a fixed window of length `window` that starts with the
    /// first event, returning the count so far (rate limits). Atomic across instances on Redis.
    async fn count_in_window(&self, key: &str, window: Duration) -> Result<u64, CacheError>;
    /// The count of `key`'s current window (0 if none), without counting.
    async fn window_count(&self, key: &str) -> Result<u64, CacheError>;
    /// Forgets `key`'s window (e.g. failed logins after a success).
    async fn clear_window(&self, key: &str) -> Result<(), CacheError>;
    /// A round trip, for readiness.
    async fn ping(&self) -> Result<(), CacheError>;
}
