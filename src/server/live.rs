//! The live update channel: a service [`publish`](LiveUpdates::publish)es "this changed"
//! ([`LiveEvent`]) and every open page of every instance that cares hears it through its
//! Server-Sent Events stream — the order page (`server::provisioning::sse`, events from the
//! provisioning pipeline) and the support pages (`server::support::live`, events from the
//! case watch). In one process that is a broadcast channel; with Redis, each instance also
//! publishes to a Redis channel and relays what it hears from it into its own channel, so a
//! worker process's steps reach the pages served by the web instances.
//!
//! Events say only *what* changed (ids), never the content: each stream checks that the
//! signed-in customer owns the thing before it opens, filters events by that, and the page
//! then reads the thing again through the ordinary ownership-checked read.

use fred::prelude::*;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

/// Channel capacity: a page that falls this far behind re-reads what it shows anyway.
const CAPACITY: usize = 1024;

/// "This order changed."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEvent {
    /// The CRM order id.
    pub order_id: String,
}

/// "This support case changed" (an agent answered, its status moved).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEvent {
    /// The CRM Account the case belongs to: streams pass on only their customer's events.
    pub account_id: String,
    /// The CRM Case id.
    pub case_id: String,
}

/// Anything a live page may be waiting for. Tagged on the wire (`{"kind":"order",…}`), so an
/// instance running an older build ignores kinds it does not know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LiveEvent {
    /// An order moved.
    Order(OrderEvent),
    /// A support case changed.
    Case(CaseEvent),
}

impl From<OrderEvent> for LiveEvent {
    fn from(event: OrderEvent) -> Self {
        LiveEvent::Order(event)
    }
}

impl From<CaseEvent> for LiveEvent {
    fn from(event: CaseEvent) -> Self {
        LiveEvent::Case(event)
    }
}

/// The fan-out.
#[derive(Clone)]
pub struct LiveUpdates {
    local: broadcast::Sender<LiveEvent>,
    redis: Option<(Client, String)>,
}

impl Default for LiveUpdates {
    fn default() -> Self {
        LiveUpdates::local()
    }
}

impl LiveUpdates {
    /// One process only.
    pub fn local() -> Self {
        LiveUpdates {
            local: broadcast::channel(CAPACITY).0,
            redis: None,
        }
    }

    /// Across instances through Redis pub/sub on `{prefix}:live`: publishes with `client`
    /// and relays the channel into this process until `shutdown` (a dedicated subscriber
    /// connection, as Redis requires).
    pub async fn redis(
        client: Client,
        prefix: &str,
        shutdown: CancellationToken,
    ) -> anyhow::Result<Self> {
        let channel = format!("{prefix}:live");
        let live = LiveUpdates {
            local: broadcast::channel(CAPACITY).0,
            redis: Some((client.clone(), channel.clone())),
        };
        let subscriber = client.clone_new();
        subscriber.init().await?;
        subscriber.subscribe(channel.clone()).await?;
        let mut messages = subscriber.message_rx();
        let local = live.local.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    message = messages.recv() => match message {
                        Ok(message) => {
                            let text: Option<String> = message.value.convert().ok();
                            if let Some(event) = text.and_then(|t| serde_json::from_str::<LiveEvent>(&t).ok()) {
                                let _ = local.send(event);
                            }
                        }
                        Err(broadcast::error::RecvError::Lagged(_)) => continue,
                        Err(broadcast::error::RecvError::Closed) => break,
                    },
                }
            }
            let _ = subscriber.quit().await;
        });
        Ok(live)
    }

    /// Tells every subscriber (of every instance, with Redis) that something changed.
    pub async fn publish(&self, event: impl Into<LiveEvent>) {
        let event = event.into();
        match &self.redis {
            // Through Redis only: this instance hears it back from its own subscription.
            Some((client, channel)) => {
                let text = serde_json::to_string(&event).unwrap_or_default();
                if let Err(e) = client.publish::<(), _, _>(channel.as_str(), text).await {
                    tracing::warn!(error = %e, "could not publish a live update to Redis");
                    let _ = self.local.send(event);
                }
            }
            None => {
                let _ = self.local.send(event);
            }
        }
    }

    /// A receiver of every event from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.local.subscribe()
    }
}
