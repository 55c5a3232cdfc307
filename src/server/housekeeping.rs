//! Periodic maintenance: forgets inbound deliveries older than the retention window. Runs in
//! `portal serve` (embedded mode) or `portal worker`; a lease makes one instance do it per
//! round when several run.
//!
//! Shape: a single-step function (`run_once`, which tests call directly) and a dumb loop.

use crate::server::store::Store;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;

/// Deliveries are kept this long; providers stop retrying after a few days.
pub const DELIVERY_RETENTION: Duration = Duration::from_secs(30 * 24 * 3600);
const LEASE: &str = "housekeeping";
const EVERY: Duration = Duration::from_secs(3600);

/// One round: returns how many deliveries were pruned, or `None` if another instance holds
/// the round.
pub async fn run_once(
    store: &dyn Store,
    holder: &str,
    now: OffsetDateTime,
) -> anyhow::Result<Option<u64>> {
    if !store.try_acquire_lease(LEASE, holder, EVERY, now).await? {
        return Ok(None);
    }
    let pruned = store.prune_deliveries(now - DELIVERY_RETENTION).await?;
    Ok(Some(pruned))
}

/// Runs `run_once` every hour until shutdown.
pub async fn run(store: Arc<dyn Store>, holder: String, shutdown: CancellationToken) {
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = tick.tick() => match run_once(store.as_ref(), &holder, OffsetDateTime::now_utc()).await {
                Ok(Some(n)) => tracing::info!(pruned = n, "housekeeping round done"),
                Ok(None) => tracing::debug!("housekeeping held by another instance"),
                Err(err) => tracing::warn!(error.cause_chain = ?err, "housekeeping round failed"),
            },
        }
    }
}
