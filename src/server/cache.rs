//! The cache: one front (`Cache`) over two interchangeable backends — Redis (shared by every
//! instance) or in-process (moka) — with the same contract (`tests/integration/cache_contract.rs`).
//!
//! What the front adds on top of a key–value store:
//! - **Versioned namespaces** (`user:42`, `catalog`): a key lives under its namespace's current
//!   version, so invalidating a namespace is one `INCR` (O(1), never `KEYS`/`SCAN`); old entries
//!   become unreachable at once and expire by TTL.
//! - **Single flight**: concurrent misses on one key make one upstream call per instance.
//! - **Stale on error**: an entry stays readable for a grace period after it stops being fresh,
//!   so when the loader fails the caller gets the last good value marked with its age.
//! - Cache faults never fail a read: a broken cache is a miss (logged), the loader still runs.

mod backend;
mod freshness;
mod memory;
mod redis;
mod single_flight;

pub use backend::{CacheBackend, CacheError};
pub use freshness::{DataKind, Freshness};
pub use memory::MemoryBackend;
pub use redis::RedisBackend;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use single_flight::SingleFlight;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// How long an entry is fresh, and how long after that it may still be served if the loader
/// fails.
#[derive(Debug, Clone, Copy)]
pub struct Ttl {
    /// Served without asking upstream.
    pub fresh: Duration,
    /// Kept for stale-on-error after `fresh` ran out.
    pub stale_grace: Duration,
}

impl Ttl {
    /// Fresh for `fresh`, servable when upstream fails for a further `stale_grace`.
    pub const fn new(fresh: Duration, stale_grace: Duration) -> Self {
        Ttl { fresh, stale_grace }
    }
}

/// A value from the cache or its loader, with the instant it was loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Cached<T> {
    /// The value.
    pub value: T,
    /// When the value was fetched from upstream.
    pub as_of: OffsetDateTime,
    /// True when upstream failed and this is an older value past its freshness.
    pub stale: bool,
}

impl<T> Cached<T> {
    /// The same freshness around a value derived from this one.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Cached<U> {
        Cached {
            value: f(self.value),
            as_of: self.as_of,
            stale: self.stale,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    /// Loaded at (Unix ms).
    at: i64,
    /// Fresh until (Unix ms).
    fresh_until: i64,
    v: T,
}

/// The cache front. Cheap to clone.
#[derive(Clone)]
pub struct Cache {
    backend: Arc<dyn CacheBackend>,
    flights: Arc<SingleFlight>,
    freshness: Freshness,
}

impl Cache {
    /// A cache over `backend`.
    pub fn new(backend: Arc<dyn CacheBackend>) -> Self {
        Cache {
            backend,
            flights: Arc::new(SingleFlight::default()),
            freshness: Freshness::default(),
        }
    }

    /// The same cache with these freshness settings.
    pub fn with_freshness(mut self, freshness: Freshness) -> Self {
        self.freshness = freshness;
        self
    }

    /// The time limits for one kind of provider data.
    pub fn ttl(&self, kind: DataKind) -> Ttl {
        self.freshness.ttl(kind)
    }

    /// `redis` or `in-process`.
    pub fn backend_name(&self) -> &'static str {
        self.backend.name()
    }

    /// The backend itself, for counters that are not cached values (rate limits).
    pub fn backend(&self) -> &Arc<dyn CacheBackend> {
        &self.backend
    }

    /// A round trip to the backend, for readiness.
    pub async fn ping(&self) -> Result<(), CacheError> {
        self.backend.ping().await
    }

    /// Returns the cached value of `key` in namespace `ns`, or loads, stores and returns it.
    /// On a loader error, returns the stale value if one is still within its grace period.
    pub async fn get_or_load<T, E, F, Fut>(
        &self,
        ns: &str,
        key: &str,
        ttl: Ttl,
        load: F,
    ) -> Result<Cached<T>, E>
    where
        T: Serialize + DeserializeOwned + Send,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let full_key = self.versioned_key(ns, key).await;
        let mut stale = match self.read::<T>(&full_key).await {
            Some(Fresh(hit)) => return Ok(hit),
            Some(Stale(old)) => Some(old),
            None => None,
        };
        let _flight = self.flights.enter(&full_key).await;
        // Another caller may have loaded it while we waited for the flight.
        match self.read::<T>(&full_key).await {
            Some(Fresh(hit)) => return Ok(hit),
            Some(Stale(old)) => stale = Some(old),
            None => {}
        }
        match load().await {
            Ok(value) => {
                // Millisecond precision, as stored: a later hit reports the same `as_of`.
                let now = OffsetDateTime::now_utc();
                let now = now
                    .replace_nanosecond(now.nanosecond() / 1_000_000 * 1_000_000)
                    .unwrap_or(now);
                let env = Envelope {
                    at: ms(now),
                    fresh_until: ms(now).saturating_add(duration_ms(ttl.fresh)),
                    v: value,
                };
                self.write(&full_key, &env, ttl.fresh + ttl.stale_grace)
                    .await;
                Ok(Cached {
                    value: env.v,
                    as_of: now,
                    stale: false,
                })
            }
            Err(err) => match stale {
                Some(old) => {
                    tracing::warn!(
                        namespace = ns,
                        "upstream failed; serving a stale cached value"
                    );
                    Ok(old)
                }
                None => Err(err),
            },
        }
    }

    /// Makes every key of namespace `ns` unreachable, at once, on every instance sharing the
    /// backend.
    pub async fn invalidate(&self, ns: &str) -> Result<(), CacheError> {
        self.backend.bump_namespace(ns).await.map(drop)
    }

    async fn versioned_key(&self, ns: &str, key: &str) -> String {
        let version = self.backend.namespace_version(ns).await.unwrap_or_else(|err| {
            tracing::warn!(error = %err, "cache namespace version unreadable; treating as a miss");
            u64::MAX
        });
        format!("{ns}:v{version}:{key}")
    }

    async fn read<T: DeserializeOwned>(&self, full_key: &str) -> Option<Lookup<T>> {
        let bytes = match self.backend.get(full_key).await {
            Ok(bytes) => bytes?,
            Err(err) => {
                tracing::warn!(error = %err, "cache read failed; treating as a miss");
                return None;
            }
        };
        // An entry written by an older release with another shape is simply a miss.
        let env: Envelope<T> = serde_json::from_slice(&bytes).ok()?;
        let as_of =
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(env.at) * 1_000_000).ok()?;
        let fresh = env.fresh_until > ms(OffsetDateTime::now_utc());
        let cached = Cached {
            value: env.v,
            as_of,
            stale: !fresh,
        };
        Some(if fresh { Fresh(cached) } else { Stale(cached) })
    }

    async fn write<T: Serialize>(&self, full_key: &str, env: &Envelope<T>, ttl: Duration) {
        let result = match serde_json::to_vec(env) {
            Ok(bytes) => self.backend.set(full_key, bytes, ttl).await,
            Err(err) => Err(CacheError::Backend(err.to_string())),
        };
        if let Err(err) = result {
            tracing::warn!(error = %err, "cache write failed; the value is served uncached");
        }
    }
}

enum Lookup<T> {
    Fresh(Cached<T>),
    Stale(Cached<T>),
}
use Lookup::{Fresh, Stale};

fn ms(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn duration_ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}
