//! Redis backend (production), through fred: standalone, sentinel or cluster from the URL,
//! reconnecting by itself. Every key is prefixed so deployments can share a Redis.

use super::{CacheBackend, CacheError};
use async_trait::async_trait;
use fred::prelude::*;
use fred::types::Expiration;
use std::time::Duration;

/// The Redis cache backend.
#[derive(Clone)]
pub struct RedisBackend {
    client: Client,
    prefix: String,
}

fn backend_err(err: fred::error::Error) -> CacheError {
    CacheError::Backend(err.to_string())
}

impl RedisBackend {
    /// Connects to `url` and waits until the connection is up (start-up fails fast on a wrong
    /// URL rather than serving with a dead cache).
    pub async fn connect(url: &str, prefix: &str) -> anyhow::Result<Self> {
        let config = Config::from_url(url).map_err(|e| anyhow::anyhow!("redis.url: {e}"))?;
        let client = Builder::from_config(config)
            .with_connection_config(|c| c.connection_timeout = Duration::from_secs(5))
            .set_policy(ReconnectPolicy::new_exponential(0, 100, 5_000, 2))
            .build()?;
        client
            .init()
            .await
            .map_err(|e| anyhow::anyhow!("could not connect to Redis: {e}"))?;
        Ok(RedisBackend {
            client,
            prefix: prefix.to_owned(),
        })
    }

    fn key(&self, key: &str) -> String {
        format!("{}:cache:{key}", self.prefix)
    }

    fn version_key(&self, ns: &str) -> String {
        format!("{}:nsver:{ns}", self.prefix)
    }

    fn window_key(&self, key: &str) -> String {
        format!("{}:window:{key}", self.prefix)
    }

    /// The underlying client, for other Redis users (rate limits, queues) to share it.
    pub fn client(&self) -> &Client {
        &self.client
    }
}

#[async_trait]
impl CacheBackend for RedisBackend {
    fn name(&self) -> &'static str {
        "redis"
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        self.client
            .get::<Option<Vec<u8>>, _>(self.key(key))
            .await
            .map_err(backend_err)
    }

    async fn set(&self, key: &str, value: Vec<u8>, ttl: Duration) -> Result<(), CacheError> {
        let ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX).max(1);
        self.client
            .set::<(), _, _>(self.key(key), value, Some(Expiration::PX(ms)), None, false)
            .await
            .map_err(backend_err)
    }

    async fn namespace_version(&self, ns: &str) -> Result<u64, CacheError> {
        self.client
            .get::<Option<u64>, _>(self.version_key(ns))
            .await
            .map(|v| v.unwrap_or(0))
            .map_err(backend_err)
    }

    async fn bump_namespace(&self, ns: &str) -> Result<u64, CacheError> {
        self.client
            .incr::<u64, _>(self.version_key(ns))
            .await
            .map_err(backend_err)
    }

    async fn count_in_window(&self, key: &str, window: Duration) -> Result<u64, CacheError> {
        let ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX).max(1);
        // INCR and the first PEXPIRE in one script, so a crash between them cannot leave a
        // counter that never expires.
        self.client
            .eval::<u64, _, _, _>(
                "local n = redis.call('INCR', KEYS[1]) \
                 if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end \
                 return n",
                vec![self.window_key(key)],
                vec![ms.to_string()],
            )
            .await
            .map_err(backend_err)
    }

    async fn window_count(&self, key: &str) -> Result<u64, CacheError> {
        self.client
            .get::<Option<u64>, _>(self.window_key(key))
            .await
            .map(|v| v.unwrap_or(0))
            .map_err(backend_err)
    }

    async fn clear_window(&self, key: &str) -> Result<(), CacheError> {
        self.client
            .del::<(), _>(self.window_key(key))
            .await
            .map_err(backend_err)
    }

    async fn ping(&self) -> Result<(), CacheError> {
        self.client
            .ping::<String>(None)
            .await
            .map(drop)
            .map_err(backend_err)
    }
}
