//! One behaviour story for the store, run against SQLite and PostgreSQL, so both backends (and
//! their two migration sets) are held to the same contract.
//!
//! PostgreSQL: `PORTAL_TEST_POSTGRES_URL` names a server the story may create databases on (the
//! test command starts a throwaway one). Without it the Postgres run is skipped with a notice,
//! unless `PORTAL_TEST_REQUIRE_SERVICES=1` (as in the test command), where it fails.

use portal::server::store::{PostgresStore, SqliteStore, Store};
use std::time::Duration;

mod common;
use common::service_url;
use time::OffsetDateTime;

async fn story(store: &dyn Store) {
    store.ping().await.expect("ping");
    let t0 = OffsetDateTime::now_utc();
    let ttl = Duration::from_secs(30);

    // A free lease can be taken; its holder can renew it; nobody else can take it while live.
    assert!(
        store
            .try_acquire_lease("subscriber", "a", ttl, t0)
            .await
            .expect("take")
    );
    assert!(
        store
            .try_acquire_lease("subscriber", "a", ttl, t0 + Duration::from_secs(10))
            .await
            .expect("renew")
    );
    assert!(
        !store
            .try_acquire_lease("subscriber", "b", ttl, t0 + Duration::from_secs(20))
            .await
            .expect("refused")
    );
    // Leases are independent by name.
    assert!(
        store
            .try_acquire_lease("housekeeping", "b", ttl, t0)
            .await
            .expect("other name")
    );
    // Once expired (renewed at +10 s for 30 s → until +40 s), another holder takes it.
    assert!(
        store
            .try_acquire_lease("subscriber", "b", ttl, t0 + Duration::from_secs(41))
            .await
            .expect("expired")
    );
    assert!(
        !store
            .try_acquire_lease("subscriber", "a", ttl, t0 + Duration::from_secs(42))
            .await
            .expect("lost")
    );
    // Releasing by a non-holder does nothing; by the holder frees it at once.
    store
        .release_lease("subscriber", "a")
        .await
        .expect("noop release");
    assert!(
        !store
            .try_acquire_lease("subscriber", "a", ttl, t0 + Duration::from_secs(43))
            .await
            .expect("still b")
    );
    store
        .release_lease("subscriber", "b")
        .await
        .expect("release");
    assert!(
        store
            .try_acquire_lease("subscriber", "a", ttl, t0 + Duration::from_secs(44))
            .await
            .expect("free again")
    );

    // Deliveries: first sight true, every repeat false, sources independent.
    assert!(
        store
            .record_delivery("whmcs", "evt-1", t0)
            .await
            .expect("first")
    );
    assert!(
        !store
            .record_delivery("whmcs", "evt-1", t0)
            .await
            .expect("repeat")
    );
    assert!(
        store
            .record_delivery("salesforce", "evt-1", t0)
            .await
            .expect("other source")
    );
    // Concurrent duplicates: exactly one wins.
    let results =
        futures::future::join_all((0..8).map(|_| store.record_delivery("whmcs", "evt-race", t0)))
            .await;
    let wins = results
        .into_iter()
        .map(|r| r.expect("race"))
        .filter(|w| *w)
        .count();
    assert_eq!(wins, 1, "one of the concurrent duplicates must win");

    // Pruning forgets old deliveries only; a pruned id counts as new again.
    let later = t0 + Duration::from_secs(3600);
    assert!(
        store
            .record_delivery("whmcs", "evt-2", later)
            .await
            .expect("newer")
    );
    let pruned = store
        .prune_deliveries(t0 + Duration::from_secs(1))
        .await
        .expect("prune");
    assert_eq!(
        pruned, 3,
        "evt-1 (both sources) and evt-race are older than the cut-off"
    );
    assert!(
        !store
            .record_delivery("whmcs", "evt-2", later)
            .await
            .expect("kept")
    );
    assert!(
        store
            .record_delivery("whmcs", "evt-1", later)
            .await
            .expect("forgotten")
    );

    // Housekeeping's single step uses the same operations.
    let round = portal::server::housekeeping::run_once(store, "worker-1", later)
        .await
        .expect("round");
    assert_eq!(round, Some(0));
    let other = portal::server::housekeeping::run_once(store, "worker-2", later)
        .await
        .expect("round");
    assert_eq!(
        other, None,
        "the lease keeps a second instance out of the same round"
    );
}

#[tokio::test]
async fn story_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}/nested/portal.db", dir.path().display());
    let store = SqliteStore::connect(&url, 4)
        .await
        .expect("sqlite opens and migrates");
    story(&store).await;
    // Reopening an existing database re-runs migrations idempotently.
    let again = SqliteStore::connect(&url, 4).await.expect("reopens");
    assert!(
        !again
            .record_delivery("whmcs", "evt-2", OffsetDateTime::now_utc())
            .await
            .expect("persisted")
    );
}

#[tokio::test]
async fn story_on_postgres() {
    let Some(admin_url) = service_url("PORTAL_TEST_POSTGRES_URL") else {
        return;
    };
    // A fresh database per run, so the story never sees another run's rows.
    let name = format!("story_{}", uuid_like());
    let admin = sqlx::PgPool::connect(&admin_url)
        .await
        .expect("admin connection");
    // `name` is built from hex digits only (see uuid_like), so it is safe to splice in.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .expect("create database");
    let url = replace_db(&admin_url, &name);
    let store = PostgresStore::connect(&url, 4)
        .await
        .expect("postgres connects and migrates");
    story(&store).await;
    let again = PostgresStore::connect(&url, 2)
        .await
        .expect("migrations are idempotent");
    again.ping().await.expect("ping");
}

fn uuid_like() -> String {
    format!(
        "{:x}{:x}",
        std::process::id(),
        OffsetDateTime::now_utc().unix_timestamp_nanos()
    )
}

fn replace_db(url: &str, db: &str) -> String {
    let (base, _) = url.rsplit_once('/').unwrap_or((url, ""));
    format!("{base}/{db}")
}
