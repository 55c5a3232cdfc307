//! Live order updates: the provisioning pipeline [`publish`](LiveUpdates::publish)es "this
//! order changed"; every open order page of every instance hears it (SSE,
//! `server::provisioning::sse`). In one process that is a broadcast channel; with Redis, each
//! instance also publishes to a Redis channel and relays what it hears from it into its own
//! channel, so a worker process's steps reach the pages served by the web instances.

use fred::prelude::*;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

/// Channel capacity: a page that falls this far behind re-reads its order anyway.
const CAPACITY: usize = 1024;

/// "This order changed."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEvent {
    /// The CRM order id.
    pub order_id: String,
}

/// The fan-out.
#[derive(Clone)]
pub struct LiveUpdates {
    local: broadcast::Sender<OrderEvent>,
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

    /// Across instances through Redis pub/sub on `{prefix}:orders`: publishes with `client`
    /// and relays the channel into this process until `shutdown` (a dedicated subscriber
    /// connection, as Redis requires).
    pub async fn redis(
        client: Client,
        prefix: &str,
        shutdown: CancellationToken,
    ) -> anyhow::Result<Self> {
        let channel = format!("{prefix}:orders");
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
                            if let Some(event) = text.and_then(|t| serde_json::from_str::<OrderEvent>(&t).ok()) {
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

    /// Tells every subscriber (of every instance, with Redis) that the order changed.
    pub async fn publish(&self, event: &OrderEvent) {
        match &self.redis {
            // Through Redis only: this instance hears it back from its own subscription.
            Some((client, channel)) => {
                let text = serde_json::to_string(event).unwrap_or_default();
                if let Err(e) = client.publish::<(), _, _>(channel.as_str(), text).await {
                    tracing::warn!(error = %e, "could not publish an order update to Redis");
                    let _ = self.local.send(event.clone());
                }
            }
            None => {
                let _ = self.local.send(event.clone());
            }
        }
    }

    /// A receiver of every event from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<OrderEvent> {
        self.local.subscribe()
    }
}
