//! In-process backend (embedded mode): moka with a TTL per entry; namespace versions in a map
//! beside it (they must never be evicted, or invalidated entries would come back).

use super::{CacheBackend, CacheError};
use async_trait::async_trait;
use moka::Expiry;
use moka::future::Cache as Moka;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone)]
struct Entry {
    bytes: Arc<[u8]>,
    ttl: Duration,
}

struct PerEntryTtl;

impl Expiry<String, Entry> for PerEntryTtl {
    fn expire_after_create(&self, _key: &String, value: &Entry, _now: Instant) -> Option<Duration> {
        Some(value.ttl)
    }

    fn expire_after_update(
        &self,
        _key: &String,
        value: &Entry,
        _now: Instant,
        _current: Option<Duration>,
    ) -> Option<Duration> {
        Some(value.ttl)
    }
}

/// The in-process cache backend.
pub struct MemoryBackend {
    entries: Moka<String, Entry>,
    versions: Mutex<HashMap<String, u64>>,
    windows: Mutex<HashMap<String, (u64, Instant)>>,
}

impl MemoryBackend {
    /// A cache holding at most `capacity` entries.
    pub fn new(capacity: u64) -> Self {
        MemoryBackend {
            entries: Moka::builder()
                .max_capacity(capacity)
                .expire_after(PerEntryTtl)
                .build(),
            versions: Mutex::new(HashMap::new()),
            windows: Mutex::new(HashMap::new()),
        }
    }

    fn versions(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, u64>>, CacheError> {
        self.versions
            .lock()
            .map_err(|_| CacheError::Backend("version map poisoned".into()))
    }
}

#[async_trait]
impl CacheBackend for MemoryBackend {
    fn name(&self) -> &'static str {
        "in-process"
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        Ok(self.entries.get(key).await.map(|e| e.bytes.to_vec()))
    }

    async fn set(&self, key: &str, value: Vec<u8>, ttl: Duration) -> Result<(), CacheError> {
        self.entries
            .insert(
                key.to_owned(),
                Entry {
                    bytes: value.into(),
                    ttl,
                },
            )
            .await;
        Ok(())
    }

    async fn namespace_version(&self, ns: &str) -> Result<u64, CacheError> {
        Ok(self.versions()?.get(ns).copied().unwrap_or(0))
    }

    async fn bump_namespace(&self, ns: &str) -> Result<u64, CacheError> {
        let mut versions = self.versions()?;
        let v = versions.entry(ns.to_owned()).or_insert(0);
        *v += 1;
        Ok(*v)
    }

    async fn count_in_window(&self, key: &str, window: Duration) -> Result<u64, CacheError> {
        let mut windows = self
            .windows
            .lock()
            .map_err(|_| CacheError::Backend("window map poisoned".into()))?;
        let now = Instant::now();
        // Bounded memory: drop finished windows whenever the map grows large.
        if windows.len() > 10_000 {
            windows.retain(|_, (_, ends)| *ends > now);
        }
        let entry = windows.entry(key.to_owned()).or_insert((0, now + window));
        if entry.1 <= now {
            *entry = (0, now + window);
        }
        entry.0 += 1;
        Ok(entry.0)
    }

    async fn window_count(&self, key: &str) -> Result<u64, CacheError> {
        let windows = self
            .windows
            .lock()
            .map_err(|_| CacheError::Backend("window map poisoned".into()))?;
        Ok(windows
            .get(key)
            .filter(|(_, ends)| *ends > Instant::now())
            .map_or(0, |(n, _)| *n))
    }

    async fn clear_window(&self, key: &str) -> Result<(), CacheError> {
        self.windows
            .lock()
            .map_err(|_| CacheError::Backend("window map poisoned".into()))?
            .remove(key);
        Ok(())
    }

    async fn ping(&self) -> Result<(), CacheError> {
        Ok(())
    }
}
