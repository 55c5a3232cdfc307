//! The reconciliation sweep: asks the CRM for approved orders that are neither provisioned nor
//! failed and enqueues each (a no-op for those whose job is open). It covers every event the
//! subscriber could not see — a replay id refused or past the 72 h retention, an outage — so
//! nothing depends on the event stream alone. Runs periodically under a lease (one instance per
//! round) and at once when the subscriber's replay id is refused.

use super::{enqueue, sweep_lease};
use crate::server::integrations::salesforce::SalesforceProvisioning;
use crate::server::queue::{Enqueued, JobQueue};
use crate::server::store::Store;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;

/// One sweep: how many jobs it added.
pub async fn run_once(
    crm: &SalesforceProvisioning,
    queue: &dyn JobQueue,
    max_attempts: u32,
) -> anyhow::Result<usize> {
    let mut added = 0;
    for id in crm.unprovisioned().await? {
        if let Enqueued::Added(_) = enqueue(queue, id.as_str(), max_attempts).await? {
            added += 1;
        }
    }
    metrics::counter!("provisioning_sweep_enqueued_total").increment(added as u64);
    if added > 0 {
        tracing::info!(added, "the reconciliation sweep enqueued orders");
    }
    Ok(added)
}

/// Sweeps every `every` while this instance holds the sweep lease.
pub async fn run(
    store: Arc<dyn Store>,
    crm: SalesforceProvisioning,
    queue: Arc<dyn JobQueue>,
    holder: String,
    every: Duration,
    max_attempts: u32,
    shutdown: CancellationToken,
) {
    let mut tick = tokio::time::interval(every);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            _ = tick.tick() => {
                match store.try_acquire_lease(sweep_lease(), &holder, every, OffsetDateTime::now_utc()).await {
                    Ok(true) => {
                        if let Err(e) = run_once(&crm, queue.as_ref(), max_attempts).await {
                            tracing::warn!(error.cause_chain = ?e, "reconciliation sweep failed");
                        }
                    }
                    Ok(false) => {}
                    Err(e) => tracing::warn!(error = %e, "could not take the sweep lease"),
                }
            }
        }
    }
}
