//! Wiring the pipeline into a process: the fulfilment orchestrator from the providers, the
//! queue workers and the reconciliation sweep (and, with Pub/Sub, the subscriber), all stopped
//! by one cancellation token. `portal serve` runs it when `[provisioning] workers_in_serve`;
//! `portal worker` always does.

use super::events::{self, QueueHandler};
use super::fulfil::Fulfilment;
use super::{sweep, worker::Worker};
use crate::server::accounts::Providers;
use crate::server::cache::Cache;
use crate::server::config::ProvisioningSettings;
use crate::server::integrations::salesforce::SalesforceProvisioning;
use crate::server::integrations::salesforce::pubsub::{PubSubClient, SubscribeOptions};
use crate::server::live::LiveUpdates;
use crate::server::queue::JobQueue;
use crate::server::store::Store;
use std::sync::Arc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// What the pipeline needs.
pub struct Pipeline {
    /// The ledger and leases.
    pub store: Arc<dyn Store>,
    /// The job queue.
    pub queue: Arc<dyn JobQueue>,
    /// Provider adapters.
    pub providers: Providers,
    /// The CRM's provisioning reads and writes.
    pub crm: SalesforceProvisioning,
    /// The cache to drop customers' data from.
    pub cache: Cache,
    /// Order page fan-out.
    pub live: LiveUpdates,
    /// Settings.
    pub settings: ProvisioningSettings,
    /// The Pub/Sub client, when this process subscribes.
    pub pubsub: Option<PubSubClient>,
}

impl Pipeline {
    /// The orchestrator.
    pub fn fulfilment(&self) -> Fulfilment {
        Fulfilment {
            whmcs: self.providers.whmcs.clone(),
            crm: self.crm.clone(),
            store: self.store.clone(),
            cache: self.cache.clone(),
            live: self.live.clone(),
            gateway: self.settings.payment_gateway.clone(),
        }
    }

    /// Starts the workers and the sweep; they stop when `shutdown` fires (workers finish or
    /// release their job first).
    pub fn start(&self, holder: &str, shutdown: &CancellationToken) -> Vec<JoinHandle<()>> {
        super::chaos::arm(&self.settings.chaos_kill_at);
        let mut tasks = Vec::new();
        for n in 0..self.settings.workers.max(1) {
            let worker = Worker {
                queue: self.queue.clone(),
                fulfil: self.fulfilment(),
                holder: format!("{holder}/w{n}"),
                settings: self.settings.clone(),
                topups: crate::server::sims::topup_apply::TopUpApplier {
                    store: self.store.clone(),
                    whmcs: self.providers.whmcs.clone(),
                    freebit: self.providers.freebit.clone(),
                    cache: self.cache.clone(),
                },
            };
            tasks.push(tokio::spawn(worker.run(shutdown.clone())));
        }
        if let Some(client) = &self.pubsub {
            tasks.push(tokio::spawn(events::run(
                self.store.clone(),
                client.clone(),
                QueueHandler {
                    queue: self.queue.clone(),
                    crm: self.crm.clone(),
                    max_attempts: self.settings.max_attempts,
                },
                holder.to_owned(),
                SubscribeOptions::default(),
                self.settings.subscriber_lease(),
                shutdown.clone(),
            )));
        }
        tasks.push(tokio::spawn(queue_gauges(
            self.queue.clone(),
            shutdown.clone(),
        )));
        tasks.push(tokio::spawn(sweep::run(
            self.store.clone(),
            self.crm.clone(),
            self.queue.clone(),
            holder.to_owned(),
            self.settings.sweep_every(),
            self.settings.max_attempts,
            shutdown.clone(),
        )));
        tasks
    }
}

/// Keeps the queue gauges of `/metrics` current (depth, oldest age, dead letters).
async fn queue_gauges(queue: Arc<dyn JobQueue>, shutdown: CancellationToken) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(15));
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            _ = tick.tick() => {
                match queue.stats(time::OffsetDateTime::now_utc()).await {
                    Ok(stats) => crate::server::status::record_queue_gauges(&stats),
                    Err(e) => tracing::warn!(error = %e, "could not read the queue's figures"),
                }
            }
        }
    }
}
