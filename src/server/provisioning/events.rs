//! The Pub/Sub subscriber's side of the pipeline: each `OrderProvisionRequested__e` becomes a
//! provisioning job stored **with** its replay id (one transaction or Lua script), so a crash
//! can neither lose the event nor enqueue it twice; keepalives move the checkpoint on; a
//! refused replay id clears it and runs the reconciliation sweep at once. Exactly one instance
//! subscribes: [`run`] holds the `pubsub-subscriber` lease while it does, renewing it, and
//! stops its stream the moment the lease is lost.

use super::{TOPIC, enqueue_event, sweep};
use crate::server::integrations::salesforce::SalesforceId;
use crate::server::integrations::salesforce::SalesforceProvisioning;
use crate::server::integrations::salesforce::pubsub::{
    EventHandler, ProvisionRequested, PubSubClient, SubscribeOptions, run_subscription,
};
use crate::server::queue::{Checkpoint, JobQueue};
use crate::server::store::Store;
use async_trait::async_trait;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;

/// The subscriber lease.
pub const LEASE: &str = "pubsub-subscriber";

/// Events into jobs.
pub struct QueueHandler {
    /// The queue (and checkpoint store).
    pub queue: Arc<dyn JobQueue>,
    /// For the sweep after a refused replay id.
    pub crm: SalesforceProvisioning,
    /// Job attempts.
    pub max_attempts: u32,
}

#[async_trait]
impl EventHandler for QueueHandler {
    async fn checkpoint(&self) -> anyhow::Result<Option<Vec<u8>>> {
        Ok(self.queue.checkpoint(TOPIC).await?)
    }

    async fn deliver(&self, event: ProvisionRequested, replay_id: &[u8]) -> anyhow::Result<()> {
        metrics::counter!("provisioning_events_total").increment(1);
        match event
            .order_id
            .as_deref()
            .and_then(|id| SalesforceId::parse(id).ok())
        {
            Some(order) => {
                enqueue_event(
                    self.queue.as_ref(),
                    order.as_str(),
                    replay_id,
                    self.max_attempts,
                )
                .await?;
                tracing::info!(
                    order = order.as_str(),
                    event = event.event_id,
                    "provisioning requested"
                );
            }
            None => {
                // Nothing to provision; move past it rather than stall the stream.
                tracing::error!(
                    event = event.event_id,
                    "an OrderProvisionRequested__e without a valid OrderId__c was skipped"
                );
                self.idle(replay_id).await?;
            }
        }
        Ok(())
    }

    async fn idle(&self, latest_replay_id: &[u8]) -> anyhow::Result<()> {
        self.queue
            .save_checkpoint(
                &Checkpoint {
                    subscription: TOPIC,
                    replay_id: latest_replay_id,
                },
                OffsetDateTime::now_utc(),
            )
            .await?;
        Ok(())
    }

    async fn replay_rejected(&self) -> anyhow::Result<()> {
        tracing::error!("the stored replay id was refused; reconciling from the CRM");
        metrics::counter!("provisioning_replay_rejected_total").increment(1);
        self.queue.clear_checkpoint(TOPIC).await?;
        sweep::run_once(&self.crm, self.queue.as_ref(), self.max_attempts).await?;
        Ok(())
    }
}

/// Subscribes while this instance holds the lease, until shutdown.
pub async fn run(
    store: Arc<dyn Store>,
    client: PubSubClient,
    handler: QueueHandler,
    holder: String,
    options: SubscribeOptions,
    lease_ttl: Duration,
    shutdown: CancellationToken,
) {
    while !shutdown.is_cancelled() {
        let held = store
            .try_acquire_lease(LEASE, &holder, lease_ttl, OffsetDateTime::now_utc())
            .await
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "could not take the subscriber lease");
                false
            });
        if !held {
            tokio::select! {
                () = shutdown.cancelled() => break,
                () = tokio::time::sleep(lease_ttl / 3) => continue,
            }
        }
        tracing::info!("this instance runs the Pub/Sub subscriber");
        let stream_stop = shutdown.child_token();
        let subscription = run_subscription(
            &client,
            TOPIC,
            &handler,
            options.clone(),
            stream_stop.clone(),
        );
        tokio::pin!(subscription);
        loop {
            tokio::select! {
                result = &mut subscription => {
                    if let Err(e) = result {
                        tracing::warn!(error.cause_chain = ?e, "the Pub/Sub subscription stopped");
                    }
                    break;
                }
                () = tokio::time::sleep(lease_ttl / 3) => {
                    let renewed = store
                        .try_acquire_lease(LEASE, &holder, lease_ttl, OffsetDateTime::now_utc())
                        .await
                        .unwrap_or(false);
                    if !renewed {
                        tracing::warn!("lost the subscriber lease; stopping the stream");
                        stream_stop.cancel();
                    }
                }
            }
        }
    }
    let _ = store.release_lease(LEASE, &holder).await;
}
