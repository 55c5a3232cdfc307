//! Order provisioning: CRM approval → `OrderProvisionRequested__e` (Pub/Sub) → durable job
//! (with the stream checkpoint, atomically) → worker → fulfilment orchestrator (WHMCS
//! AddOrder/AcceptOrder, steps in the idempotency ledger) → CRM order updated → open order
//! pages told live (SSE).
//!
//! - `events`: Pub/Sub events into jobs with their checkpoint; the one subscriber (lease);
//! - `fulfil`: the six steps and their error classes;
//! - `worker`: claim/lease/retry/bury/release around the orchestrator;
//! - `sweep`: the reconciliation sweep (approved but unprovisioned orders from the CRM);
//! - `sse`: the order page's event stream (over the live channel, `server::live`);
//! - `retry`: orders the customer unblocked (a payment method added) go round again;
//! - `runtime`: wiring it all for `portal serve` / `portal worker`;
//! - `chaos`: the crash points the chaos test kills workers at.

pub mod chaos;
pub mod events;
pub mod fulfil;
pub mod retry;
pub mod runtime;
pub mod sse;
pub mod sweep;
pub mod worker;

use crate::server::queue::{Checkpoint, Enqueued, JobQueue, NewJob, QueueError};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The job kind.
pub const JOB_KIND: &str = "provision_order";
pub use crate::server::integrations::salesforce::pubsub::TOPIC;

/// The lease name of the reconciliation sweep.
pub fn sweep_lease() -> &'static str {
    "provisioning-sweep"
}

/// A provisioning job's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionJob {
    /// The CRM order id.
    pub order_id: String,
}

fn job(order_id: &str, max_attempts: u32) -> NewJob {
    NewJob {
        kind: JOB_KIND.into(),
        dedupe_key: order_id.to_owned(),
        payload: serde_json::to_string(&ProvisionJob {
            order_id: order_id.to_owned(),
        })
        .unwrap_or_default(),
        max_attempts,
    }
}

/// Enqueues provisioning of `order_id` (nothing if its job is open).
pub async fn enqueue(
    queue: &dyn JobQueue,
    order_id: &str,
    max_attempts: u32,
) -> Result<Enqueued, QueueError> {
    queue
        .enqueue(&job(order_id, max_attempts), OffsetDateTime::now_utc())
        .await
}

/// Enqueues provisioning of `order_id` and stores the event's replay id, both or neither.
pub async fn enqueue_event(
    queue: &dyn JobQueue,
    order_id: &str,
    replay_id: &[u8],
    max_attempts: u32,
) -> Result<Enqueued, QueueError> {
    queue
        .enqueue_with_checkpoint(
            &job(order_id, max_attempts),
            &Checkpoint {
                subscription: TOPIC,
                replay_id,
            },
            OffsetDateTime::now_utc(),
        )
        .await
}
