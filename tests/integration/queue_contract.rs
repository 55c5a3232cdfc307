//! The job queue contract, run on every backend (SQLite, PostgreSQL, Redis), and the
//! provisioning ledger's compare-and-set on both SQL backends: one open job per key, the
//! checkpoint stored with the job or not at all, exclusive claims, lease expiry reclaim,
//! retries that wait, the dead-letter state with its reason, release without counting, and
//! writes refused to a worker that lost its lease.

use crate::services::service_url;
use crate::store_story::uuid_like;
use portal::domain::provisioning::{Failure, Stage};
use portal::server::queue::{Checkpoint, Enqueued, JobQueue, NewJob, QueueError, RedisQueue};
use portal::server::store::{LedgerStore, PostgresStore, SqliteStore, StoreError};
use std::time::Duration;
use time::OffsetDateTime;

fn job(key: &str) -> NewJob {
    NewJob {
        kind: "provision_order".into(),
        dedupe_key: key.into(),
        payload: format!("{{\"order_id\":\"{key}\"}}"),
        max_attempts: 3,
    }
}

const LEASE: Duration = Duration::from_secs(30);

async fn contract(queue: &dyn JobQueue) {
    let t0 = OffsetDateTime::now_utc();
    let sub = format!("/event/Test_{}", uuid_like());

    // One open job per key; the checkpoint is stored with it (even for a duplicate).
    let first = queue
        .enqueue_with_checkpoint(
            &job("A"),
            &Checkpoint {
                subscription: &sub,
                replay_id: &[0, 0, 0, 1],
            },
            t0,
        )
        .await
        .expect("enqueue");
    assert!(matches!(first, Enqueued::Added(_)));
    let dup = queue
        .enqueue_with_checkpoint(
            &job("A"),
            &Checkpoint {
                subscription: &sub,
                replay_id: &[0, 0, 0, 9],
            },
            t0,
        )
        .await
        .expect("enqueue");
    assert_eq!(dup, Enqueued::Duplicate);
    assert_eq!(
        queue.checkpoint(&sub).await.expect("cp"),
        Some(vec![0, 0, 0, 9])
    );
    queue.enqueue(&job("B"), t0).await.expect("enqueue B");
    let stats = queue
        .stats(t0 + Duration::from_secs(2))
        .await
        .expect("stats");
    assert_eq!((stats.ready, stats.running, stats.dead), (2, 0, 0));
    assert!(stats.oldest_ready_age_ms >= 1_000, "{stats:?}");

    // Claims are exclusive: two workers get two different jobs, a third gets none.
    let a = queue
        .claim("w1", LEASE, t0)
        .await
        .expect("claim")
        .expect("a job");
    let b = queue
        .claim("w2", LEASE * 10, t0)
        .await
        .expect("claim")
        .expect("a job");
    assert_ne!(a.id, b.id);
    assert_eq!(a.attempts, 1);
    // Both were due at the same instant, so either may come first (Redis orders ties by id).
    let (key_a, key_b) = (a.dedupe_key.clone(), b.dedupe_key.clone());
    let mut keys = [key_a.as_str(), key_b.as_str()];
    keys.sort_unstable();
    assert_eq!(keys, ["A", "B"]);
    assert!(queue.claim("w3", LEASE, t0).await.expect("claim").is_none());

    // A retry waits for its time; then it is claimable with the attempt counted.
    queue
        .retry(&a, "WHMCS down", t0 + Duration::from_secs(10))
        .await
        .expect("retry");
    assert!(
        queue
            .claim("w1", LEASE, t0 + Duration::from_secs(5))
            .await
            .expect("claim")
            .is_none()
    );
    let a2 = queue
        .claim("w1", LEASE, t0 + Duration::from_secs(11))
        .await
        .expect("claim")
        .expect("due now");
    assert_eq!((a2.id.clone(), a2.attempts), (a.id.clone(), 2));

    // A lease that runs out makes the job claimable by another worker (its first holder
    // died); the first holder's late writes are refused.
    let later = t0 + Duration::from_secs(11) + LEASE + Duration::from_secs(1);
    let stolen = queue
        .claim("w4", LEASE, later)
        .await
        .expect("claim")
        .expect("reclaimed");
    assert_eq!(stolen.id, a.id);
    assert_eq!(stolen.attempts, 3);
    assert!(matches!(
        queue.complete(&a2, later).await,
        Err(QueueError::LeaseLost)
    ));
    assert!(matches!(
        queue.extend(&a2, LEASE, later).await,
        Err(QueueError::LeaseLost)
    ));
    queue
        .extend(&stolen, LEASE, later)
        .await
        .expect("the holder extends");

    // Release gives it back uncounted.
    queue.release(&stolen).await.expect("release");
    let again = queue
        .claim("w5", LEASE, later)
        .await
        .expect("claim")
        .expect("released job");
    assert_eq!((again.id.clone(), again.attempts), (a.id.clone(), 3));

    // Dead letter with its reason; the key is free again.
    queue
        .bury(&again, "gave up: WHMCS refused", later)
        .await
        .expect("bury");
    let dead = queue.dead_jobs(10).await.expect("dead");
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].dedupe_key, key_a);
    assert_eq!(dead[0].reason, "gave up: WHMCS refused");
    assert!(matches!(
        queue.enqueue(&job(&key_a), later).await.expect("enqueue"),
        Enqueued::Added(_)
    ));

    // Completing frees the key too.
    queue.complete(&b, later).await.expect("complete");
    assert!(matches!(
        queue.enqueue(&job(&key_b), later).await.expect("enqueue"),
        Enqueued::Added(_)
    ));
    let stats = queue.stats(later).await.expect("stats");
    assert_eq!((stats.ready, stats.running, stats.dead), (2, 0, 1));

    queue.clear_checkpoint(&sub).await.expect("clear");
    assert_eq!(queue.checkpoint(&sub).await.expect("cp"), None);
}

async fn ledger(store: &dyn LedgerStore) {
    let order = format!("801{}", uuid_like());
    assert_eq!(store.ledger_stage(&order).await.expect("read"), None);
    let added = Stage::Added {
        billing_order_id: 7,
    };
    assert!(
        store
            .advance_ledger(&order, None, &added, 1)
            .await
            .expect("record")
    );
    // A second worker that read "nothing" loses the race.
    assert!(
        !store
            .advance_ledger(&order, None, &added, 2)
            .await
            .expect("lost")
    );
    let accepted = Stage::Accepted {
        billing_order_id: 7,
    };
    assert!(
        !store
            .advance_ledger(&order, Some(&Stage::Received), &accepted, 3)
            .await
            .expect_err("Received cannot become Accepted")
            .to_string()
            .is_empty()
    );
    assert!(
        store
            .advance_ledger(&order, Some(&added), &accepted, 3)
            .await
            .expect("accept")
    );
    assert!(
        !store
            .advance_ledger(&order, Some(&added), &accepted, 4)
            .await
            .expect("stale")
    );
    assert!(matches!(
        store
            .advance_ledger(
                &order,
                Some(&accepted),
                &Stage::Added {
                    billing_order_id: 8
                },
                5
            )
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store.ledger_stage(&order).await.expect("read"),
        Some(accepted)
    );
    let failed = Stage::Failed {
        failure: Failure::NoPaymentMethod,
        reported: false,
    };
    let other = format!("801{}x", uuid_like());
    assert!(
        store
            .advance_ledger(&other, None, &failed, 6)
            .await
            .expect("fail")
    );
    assert_eq!(
        store.ledger_stage(&other).await.expect("read"),
        Some(failed)
    );
    let counts = store.ledger_counts().await.expect("counts");
    assert!(
        counts.iter().any(|(name, n)| name == "accepted" && *n >= 1),
        "{counts:?}"
    );
}

#[tokio::test]
async fn queue_and_ledger_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}/portal.db", dir.path().display());
    let store = SqliteStore::connect(&url, 4).await.expect("sqlite");
    contract(&store).await;
    ledger(&store).await;
}

#[tokio::test]
async fn queue_and_ledger_on_postgres() {
    let Some(url) = crate::services::fresh_postgres("queue").await else {
        return;
    };
    let store = PostgresStore::connect(&url, 4).await.expect("postgres");
    contract(&store).await;
    ledger(&store).await;
}

#[tokio::test]
async fn queue_on_redis() {
    let Some(url) = service_url("PORTAL_TEST_REDIS_URL") else {
        return;
    };
    let backend = portal::server::cache::RedisBackend::connect(&url, "t")
        .await
        .expect("redis");
    let queue = RedisQueue::new(
        backend.client().clone(),
        &format!("queue-test-{}", uuid_like()),
    );
    contract(&queue).await;
}
