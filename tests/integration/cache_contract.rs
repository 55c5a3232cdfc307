//! The cache contract, run against the in-process backend and Redis: hits, TTL expiry,
//! namespace invalidation, single flight, stale-on-error, and a broken backend never failing a
//! read.
//!
//! Redis: `PORTAL_TEST_REDIS_URL` (the test command starts a throwaway server). Without it the
//! Redis run is skipped with a notice, unless `PORTAL_TEST_REQUIRE_SERVICES=1`.

use async_trait::async_trait;
use portal::server::cache::{Cache, CacheBackend, CacheError, MemoryBackend, RedisBackend, Ttl};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::services::service_url;

const LONG: Ttl = Ttl::new(Duration::from_secs(60), Duration::from_secs(60));

#[derive(Debug, PartialEq)]
struct Upstream;

async fn contract(backend: Arc<dyn CacheBackend>) {
    let cache = Cache::new(backend.clone());
    let calls = Arc::new(AtomicUsize::new(0));
    let load = |value: u32| {
        let calls = calls.clone();
        move || async move {
            calls.fetch_add(1, Ordering::SeqCst);
            Ok::<u32, Upstream>(value)
        }
    };

    // Miss then hit.
    let first = cache
        .get_or_load("user:1", "invoices:page:1", LONG, load(7))
        .await
        .expect("load");
    assert_eq!((first.value, first.stale), (7, false));
    let second = cache
        .get_or_load("user:1", "invoices:page:1", LONG, load(8))
        .await
        .expect("hit");
    assert_eq!(second.value, 7, "served from cache");
    assert_eq!(
        second.as_of, first.as_of,
        "a hit keeps the original load time"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    // Invalidating one namespace reloads its keys and leaves the others alone.
    let _ = cache
        .get_or_load("user:2", "invoices:page:1", LONG, load(20))
        .await;
    cache.invalidate("user:1").await.expect("invalidate");
    let after = cache
        .get_or_load("user:1", "invoices:page:1", LONG, load(9))
        .await
        .expect("reload");
    assert_eq!(after.value, 9);
    let other = cache
        .get_or_load("user:2", "invoices:page:1", LONG, load(21))
        .await
        .expect("hit");
    assert_eq!(other.value, 20, "another customer's namespace is untouched");

    // TTL: a short-lived entry is reloaded once it is no longer fresh.
    let short = Ttl::new(Duration::from_millis(150), Duration::from_secs(10));
    let _ = cache.get_or_load("ttl", "k", short, load(1)).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let reloaded = cache
        .get_or_load("ttl", "k", short, load(2))
        .await
        .expect("reload");
    assert_eq!(reloaded.value, 2);

    // Physical expiry: past fresh + grace the entry is gone from the backend.
    let tiny = Ttl::new(Duration::from_millis(100), Duration::from_millis(100));
    let _ = cache.get_or_load("gone", "k", tiny, load(1)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let failed = cache
        .get_or_load("gone", "k", tiny, || async { Err::<u32, _>(Upstream) })
        .await;
    assert_eq!(
        failed,
        Err(Upstream),
        "nothing stale is left after the grace period"
    );

    // Stale on error: past freshness but within grace, a failing loader gets the old value.
    let _ = cache.get_or_load("stale", "k", short, load(5)).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let stale = cache
        .get_or_load("stale", "k", short, || async { Err::<u32, _>(Upstream) })
        .await
        .expect("stale value served");
    assert_eq!((stale.value, stale.stale), (5, true));

    // Single flight: 100 concurrent cold requests make one upstream call.
    let slow_calls = Arc::new(AtomicUsize::new(0));
    let tasks = (0..100).map(|_| {
        let (cache, slow_calls) = (cache.clone(), slow_calls.clone());
        async move {
            cache
                .get_or_load("flight", "cold", LONG, || async move {
                    slow_calls.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    Ok::<u32, Upstream>(42)
                })
                .await
        }
    });
    let results = futures::future::join_all(tasks).await;
    assert!(
        results
            .iter()
            .all(|r| r.as_ref().map(|c| c.value) == Ok(42))
    );
    assert_eq!(
        slow_calls.load(Ordering::SeqCst),
        1,
        "one upstream call for 100 cold requests"
    );

    // Values of any serde type round-trip.
    let list = cache
        .get_or_load("types", "list", LONG, || async {
            Ok::<_, Upstream>(vec!["a".to_owned(), "b".to_owned()])
        })
        .await
        .expect("list");
    assert_eq!(list.value, ["a", "b"]);

    // Rate-limit windows: counted atomically under concurrency, cleared, and expiring.
    let key = format!("login:{}", uuid_like());
    let counts = futures::future::join_all(
        (0..20).map(|_| backend.count_in_window(&key, Duration::from_secs(60))),
    )
    .await;
    let mut counts: Vec<u64> = counts.into_iter().map(|c| c.expect("count")).collect();
    counts.sort_unstable();
    assert_eq!(
        counts,
        (1..=20).collect::<Vec<u64>>(),
        "every hit counted once"
    );
    assert_eq!(backend.window_count(&key).await.expect("peek"), 20);
    backend.clear_window(&key).await.expect("clear");
    assert_eq!(backend.window_count(&key).await.expect("peek"), 0);
    let short = format!("{key}:short");
    assert_eq!(
        backend
            .count_in_window(&short, Duration::from_millis(50))
            .await
            .expect("c"),
        1
    );
    tokio::time::sleep(Duration::from_millis(120)).await;
    assert_eq!(
        backend
            .count_in_window(&short, Duration::from_millis(50))
            .await
            .expect("c"),
        1,
        "a new window"
    );
    backend.ping().await.expect("ping");
}

/// A key no earlier run used (Redis keeps keys between runs of the same server).
fn uuid_like() -> String {
    format!("{}-{:?}", std::process::id(), std::time::SystemTime::now())
}

#[tokio::test]
async fn contract_in_process() {
    contract(Arc::new(MemoryBackend::new(1000))).await;
}

#[tokio::test]
async fn contract_on_redis() {
    let Some(url) = service_url("PORTAL_TEST_REDIS_URL") else {
        return;
    };
    // A unique prefix per run: runs never see each other's keys.
    let prefix = format!("test{}", std::process::id());
    let backend = RedisBackend::connect(&url, &prefix)
        .await
        .expect("redis connects");
    contract(Arc::new(backend)).await;
}

/// A backend that always fails, like an unreachable Redis.
struct Broken;

#[async_trait]
impl CacheBackend for Broken {
    fn name(&self) -> &'static str {
        "broken"
    }
    async fn get(&self, _: &str) -> Result<Option<Vec<u8>>, CacheError> {
        Err(CacheError::Backend("down".into()))
    }
    async fn set(&self, _: &str, _: Vec<u8>, _: Duration) -> Result<(), CacheError> {
        Err(CacheError::Backend("down".into()))
    }
    async fn namespace_version(&self, _: &str) -> Result<u64, CacheError> {
        Err(CacheError::Backend("down".into()))
    }
    async fn bump_namespace(&self, _: &str) -> Result<u64, CacheError> {
        Err(CacheError::Backend("down".into()))
    }
    async fn count_in_window(&self, _: &str, _: Duration) -> Result<u64, CacheError> {
        Err(CacheError::Backend("down".into()))
    }
    async fn window_count(&self, _: &str) -> Result<u64, CacheError> {
        Err(CacheError::Backend("down".into()))
    }
    async fn clear_window(&self, _: &str) -> Result<(), CacheError> {
        Err(CacheError::Backend("down".into()))
    }
    async fn ping(&self) -> Result<(), CacheError> {
        Err(CacheError::Backend("down".into()))
    }
}

#[tokio::test]
async fn a_broken_backend_never_fails_a_read() {
    let cache = Cache::new(Arc::new(Broken));
    let got = cache
        .get_or_load("ns", "k", LONG, || async { Ok::<u32, Upstream>(3) })
        .await;
    assert_eq!(got.map(|c| c.value), Ok(3));
    assert!(
        cache.invalidate("ns").await.is_err(),
        "invalidation failures are reported to the caller"
    );
}

#[tokio::test]
async fn a_dead_redis_is_refused_at_start() {
    // Port 1 on loopback: nothing listens there.
    let result = tokio::time::timeout(
        Duration::from_secs(20),
        RedisBackend::connect("redis://127.0.0.1:1", "x"),
    )
    .await;
    assert!(
        matches!(result, Ok(Err(_))),
        "connecting to a dead Redis must fail, not hang"
    );
}
