//! The durable job queue behind one trait, [`JobQueue`]: the SQL store's `jobs` table in
//! embedded mode and with Postgres alone, Redis when `REDIS_URL` is set ([`RedisQueue`]).
//! One contract suite (`tests/integration/queue_contract.rs`) runs on every backend.
//!
//! Semantics (at-least-once):
//! - [`enqueue`](JobQueue::enqueue) keeps at most one *open* (ready or running) job per dedupe
//!   key — a duplicate event while its job is open adds nothing;
//! - [`enqueue_with_checkpoint`](JobQueue::enqueue_with_checkpoint) also stores an event
//!   stream's checkpoint, atomically with the job, so a crash can neither lose an event nor
//!   enqueue it twice;
//! - [`claim`](JobQueue::claim) hands a due job to one worker under a lease and counts the
//!   attempt; a job whose lease ran out (its worker died) is claimable again — the stalled-job
//!   reclaim;
//! - a worker then [`complete`](JobQueue::complete)s, [`retry`](JobQueue::retry)s later
//!   (backoff is the caller's: [`backoff_delay`]), [`bury`](JobQueue::bury)s it in the
//!   dead-letter state with the reason, or [`release`](JobQueue::release)s it at shutdown
//!   without counting the attempt.

mod redis;
pub(crate) mod sql;

pub use redis::RedisQueue;

use async_trait::async_trait;
use std::time::Duration;
use time::OffsetDateTime;

/// A job to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    /// What it is (`provision_order`).
    pub kind: String,
    /// At most one open job per key (the CRM order id).
    pub dedupe_key: String,
    /// JSON payload.
    pub payload: String,
    /// Attempts before the dead-letter state.
    pub max_attempts: u32,
}

/// A claimed job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Dedupe key.
    pub dedupe_key: String,
    /// Payload.
    pub payload: String,
    /// Attempts so far, this one included.
    pub attempts: u32,
    /// Attempts allowed.
    pub max_attempts: u32,
    /// When it was enqueued (Unix ms).
    pub enqueued_at_ms: i64,
    /// The worker holding it.
    pub holder: String,
}

/// A job in the dead-letter state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadJob {
    /// Id.
    pub id: String,
    /// Dedupe key.
    pub dedupe_key: String,
    /// Attempts made.
    pub attempts: u32,
    /// Why it was given up.
    pub reason: String,
}

/// What [`JobQueue::enqueue`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enqueued {
    /// A new job with this id.
    Added(String),
    /// An open job with the same key exists; nothing added.
    Duplicate,
}

/// An event stream's position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint<'a> {
    /// The subscription (`/event/OrderProvisionRequested__e`).
    pub subscription: &'a str,
    /// The opaque replay id.
    pub replay_id: &'a [u8],
}

/// Depth and age, for metrics and the status page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueStats {
    /// Jobs waiting (due or not).
    pub ready: u64,
    /// Jobs held by a worker.
    pub running: u64,
    /// Jobs in the dead-letter state.
    pub dead: u64,
    /// Age of the oldest waiting job, in milliseconds.
    pub oldest_ready_age_ms: u64,
}

/// A queue failure.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// The job is no longer held by this worker (its lease ran out and another took it).
    #[error("the job's lease was lost")]
    LeaseLost,
    /// The backend failed.
    #[error(transparent)]
    Backend(#[from] anyhow::Error),
}

impl From<sqlx::Error> for QueueError {
    fn from(err: sqlx::Error) -> Self {
        QueueError::Backend(anyhow::Error::new(err))
    }
}

/// The queue operations.
#[async_trait]
pub trait JobQueue: Send + Sync + 'static {
    /// `sql` or `redis`.
    fn queue_backend(&self) -> &'static str;

    /// Adds a job unless an open one has the same key.
    async fn enqueue(&self, job: &NewJob, now: OffsetDateTime) -> Result<Enqueued, QueueError>;

    /// [`enqueue`](Self::enqueue) and store `checkpoint`, both or neither.
    async fn enqueue_with_checkpoint(
        &self,
        job: &NewJob,
        checkpoint: &Checkpoint<'_>,
        now: OffsetDateTime,
    ) -> Result<Enqueued, QueueError>;

    /// Stores a checkpoint alone (a keepalive's position).
    async fn save_checkpoint(
        &self,
        checkpoint: &Checkpoint<'_>,
        now: OffsetDateTime,
    ) -> Result<(), QueueError>;

    /// The stored checkpoint of `subscription`.
    async fn checkpoint(&self, subscription: &str) -> Result<Option<Vec<u8>>, QueueError>;

    /// Forgets the checkpoint of `subscription` (it was refused by the stream).
    async fn clear_checkpoint(&self, subscription: &str) -> Result<(), QueueError>;

    /// The next due job, leased to `worker` for `lease`; `None` when nothing is due.
    async fn claim(
        &self,
        worker: &str,
        lease: Duration,
        now: OffsetDateTime,
    ) -> Result<Option<Job>, QueueError>;

    /// Extends a held job's lease; [`QueueError::LeaseLost`] when it is no longer ours.
    async fn extend(
        &self,
        job: &Job,
        lease: Duration,
        now: OffsetDateTime,
    ) -> Result<(), QueueError>;

    /// Marks a held job done.
    async fn complete(&self, job: &Job, now: OffsetDateTime) -> Result<(), QueueError>;

    /// Puts a held job back to run at `at`, recording why the attempt failed.
    async fn retry(&self, job: &Job, reason: &str, at: OffsetDateTime) -> Result<(), QueueError>;

    /// Moves a held job to the dead-letter state with its reason.
    async fn bury(&self, job: &Job, reason: &str, now: OffsetDateTime) -> Result<(), QueueError>;

    /// Gives a held job back untouched (shutdown), not counting the attempt.
    async fn release(&self, job: &Job) -> Result<(), QueueError>;

    /// Depth and age.
    async fn stats(&self, now: OffsetDateTime) -> Result<QueueStats, QueueError>;

    /// Dead-letter jobs, newest first.
    async fn dead_jobs(&self, limit: u32) -> Result<Vec<DeadJob>, QueueError>;
}

/// The delay before retry number `attempt` (1-based): exponential from `base`, capped at
/// `cap`, with "full jitter" from `jitter` in `[0, 1)` so retries of many jobs spread out.
pub fn backoff_delay(attempt: u32, base: Duration, cap: Duration, jitter: f64) -> Duration {
    let exp = base.saturating_mul(
        1u32.checked_shl(attempt.saturating_sub(1).min(20))
            .unwrap_or(u32::MAX),
    );
    let ceiling = exp.min(cap);
    // Half fixed, half random: never zero, never more than the ceiling.
    ceiling / 2 + ceiling.mul_f64(jitter.clamp(0.0, 1.0) / 2.0)
}

/// Unix milliseconds.
pub(crate) fn ms(at: OffsetDateTime) -> i64 {
    crate::server::store::unix_ms(at)
}

/// `now + d` in Unix milliseconds.
pub(crate) fn ms_after(at: OffsetDateTime, d: Duration) -> i64 {
    crate::server::store::expiry_ms(at, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_exponentially_within_the_cap_and_jitter() {
        let base = Duration::from_secs(1);
        let cap = Duration::from_secs(60);
        assert_eq!(backoff_delay(1, base, cap, 0.0), Duration::from_millis(500));
        assert_eq!(backoff_delay(1, base, cap, 1.0), Duration::from_secs(1));
        assert_eq!(backoff_delay(3, base, cap, 0.0), Duration::from_secs(2));
        assert_eq!(backoff_delay(3, base, cap, 0.999_999).as_secs(), 3);
        assert_eq!(backoff_delay(30, base, cap, 0.0), Duration::from_secs(30));
        assert!(backoff_delay(30, base, cap, 1.0) <= cap);
        assert_eq!(backoff_delay(0, base, cap, 0.0), Duration::from_millis(500));
    }
}
