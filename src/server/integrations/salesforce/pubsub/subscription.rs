//! [`run_subscription`]: a Subscribe stream kept alive for the life of the process, with the
//! replay checkpoint stored by the [`EventHandler`] (reference §1.4, §1.5, §5.2).
//!
//! - **Start.** CUSTOM from the stored checkpoint (delivery resumes *after* it). With no
//!   checkpoint at all, LATEST: only events published from now on arrive; the portal's
//!   reconciliation sweep covers older approvals, so a first start never replays 72 hours.
//! - **Flow control.** The first request asks for `batch` (≤ 100), and [`Flow`] tops the
//!   credit back up from each response's `pending_num_requested`.
//! - **Checkpoints.** An event's replay id is stored by the handler together with its effect
//!   (`deliver`); a keepalive's `latest_replay_id` by `idle` (nothing is in flight then, as events
//!   are handled one at a time). A handler error stops the stream and resubscribes from the last
//!   stored checkpoint, so the event is delivered again.
//! - **Liveness.** Events and keepalives both count; a stream silent for longer than
//!   `liveness_timeout` (default 2 × the 60 s keepalive seen in practice) is torn down and
//!   rebuilt, since a dead stream often raises no error (pub-sub-api PR #31).
//! - **Errors.** Auth errors renew the token; `replayid.corrupted` / `validation.failed` call
//!   `replay_rejected` once and resubscribe from LATEST until something new is stored (never
//!   looping on the bad id, CAMEL-21740); everything else resubscribes CUSTOM from the stored
//!   checkpoint after an exponential backoff with jitter — never LATEST, which would skip the
//!   events published during the outage. The old stream is always dropped before a new one is
//!   opened (node issue #52: overlapping streams duplicated deliveries).
//! - **Undecodable payloads.** A payload that cannot be decoded with its own schema would
//!   otherwise be redelivered forever and stall every later order, so it is logged at error
//!   level with its replay id, counted (`pubsub_decode_failures_total`), and passed over by
//!   storing its replay id through `idle`; the reconciliation sweep still finds the order.
//! - **Duplicates.** Delivery is at-least-once; exact repeats of a replay id seen recently are
//!   skipped here, and the handler must still dedupe on `idem_key`.

use super::backoff;
use super::client::PubSubClient;
use super::errors::{self, Recovery};
use super::event::ProvisionRequested;
use super::flow::{Flow, MAX_REQUESTED};
use super::proto::{FetchRequest, FetchResponse, ReplayPreset};
use std::collections::{HashSet, VecDeque};
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use tonic::Status;

/// What the subscriber does with events; implemented by the provisioning pipeline.
#[async_trait::async_trait]
pub trait EventHandler: Send + Sync {
    /// The stored replay checkpoint, if any (opaque bytes).
    async fn checkpoint(&self) -> anyhow::Result<Option<Vec<u8>>>;
    /// Durably act on one event and store `replay_id` as the checkpoint, atomically. An Err
    /// means: not stored; the runner must not advance and will redeliver (resubscribe from the
    /// last checkpoint).
    async fn deliver(&self, event: ProvisionRequested, replay_id: &[u8]) -> anyhow::Result<()>;
    /// An empty keepalive carried `latest_replay_id` and nothing is in flight: the handler may
    /// store it as the checkpoint.
    async fn idle(&self, latest_replay_id: &[u8]) -> anyhow::Result<()>;
    /// The stored replay id was refused (corrupt / outside retention): the runner will
    /// resubscribe from LATEST; the handler must reconcile the gap (it runs a sweep).
    async fn replay_rejected(&self) -> anyhow::Result<()>;
}

/// Tunables of [`run_subscription`].
#[derive(Debug, Clone)]
pub struct SubscribeOptions {
    /// Events requested at a time (1..=100).
    pub batch: i32,
    /// A stream with no event and no keepalive for this long is rebuilt.
    pub liveness_timeout: Duration,
    /// First reconnect delay.
    pub backoff_min: Duration,
    /// Longest reconnect delay.
    pub backoff_max: Duration,
}

impl Default for SubscribeOptions {
    fn default() -> Self {
        SubscribeOptions {
            batch: MAX_REQUESTED,
            liveness_timeout: Duration::from_secs(120),
            backoff_min: Duration::from_millis(500),
            backoff_max: Duration::from_secs(60),
        }
    }
}

/// Why one stream ended.
enum Ended {
    Shutdown,
    /// The RPC failed with this status (at open or mid-stream).
    Status(Status),
    /// No message within the liveness timeout.
    Silent,
    /// The server ended the stream normally (idle close).
    Closed,
    /// Anything else: token, handler or schema lookup failure.
    Other(anyhow::Error),
}

/// What the stream achieved before it ended: whether a checkpoint was stored.
struct Attempt {
    ended: Ended,
    stored: bool,
}

/// Replay ids delivered recently, to skip exact repeats (bounded).
struct Recent {
    order: VecDeque<Vec<u8>>,
    set: HashSet<Vec<u8>>,
}

impl Recent {
    const CAPACITY: usize = 1024;

    fn new() -> Self {
        Recent {
            order: VecDeque::new(),
            set: HashSet::new(),
        }
    }

    fn contains(&self, id: &[u8]) -> bool {
        self.set.contains(id)
    }

    fn insert(&mut self, id: &[u8]) {
        if self.set.insert(id.to_vec()) {
            self.order.push_back(id.to_vec());
            if self.order.len() > Self::CAPACITY
                && let Some(old) = self.order.pop_front()
            {
                self.set.remove(&old);
            }
        }
    }
}

/// The first request of a stream.
pub fn first_request(topic: &str, checkpoint: Option<Vec<u8>>, num_requested: i32) -> FetchRequest {
    let (preset, replay_id) = match checkpoint {
        Some(id) => (ReplayPreset::Custom, id),
        None => (ReplayPreset::Latest, Vec::new()),
    };
    FetchRequest {
        topic_name: topic.to_owned(),
        replay_preset: preset as i32,
        replay_id,
        num_requested,
        auth_refresh: String::new(),
    }
}

/// Subscribes to `topic` until `shutdown`, delivering every event to `handler` (see the module
/// docs for the guarantees). Returns `Ok` when `shutdown` fires; errors of single streams are
/// handled inside and never end the loop.
pub async fn run_subscription(
    client: &PubSubClient,
    topic: &str,
    handler: &dyn EventHandler,
    options: SubscribeOptions,
    shutdown: tokio_util::sync::CancellationToken,
) -> anyhow::Result<()> {
    let mut failures: u32 = 0;
    // Set after a refused replay id, until a new checkpoint is stored: resubscribe LATEST.
    let mut from_latest = false;
    let mut recent = Recent::new();
    loop {
        if shutdown.is_cancelled() {
            return Ok(());
        }
        let attempt = run_stream(
            client,
            topic,
            handler,
            &options,
            &shutdown,
            from_latest,
            &mut recent,
        )
        .await;
        if attempt.stored {
            from_latest = false;
            failures = 0;
        }
        let wait = match attempt.ended {
            Ended::Shutdown => return Ok(()),
            Ended::Closed => {
                tracing::info!(topic, "Pub/Sub stream closed by the server; resubscribing");
                true
            }
            Ended::Silent => {
                metrics::counter!("pubsub_stream_timeouts_total").increment(1);
                tracing::warn!(
                    topic,
                    timeout_ms = options.liveness_timeout.as_millis() as u64,
                    "Pub/Sub stream silent; rebuilding it"
                );
                true
            }
            Ended::Other(err) => {
                tracing::warn!(
                    topic,
                    error = format!("{err:#}"),
                    "Pub/Sub subscription attempt failed"
                );
                true
            }
            Ended::Status(status) => {
                let rpc_id = errors::rpc_id(&status).unwrap_or_default().to_owned();
                let error_code = errors::error_code(&status).unwrap_or_default().to_owned();
                match errors::classify(&status) {
                    Recovery::ReplayRejected => {
                        tracing::error!(
                            topic,
                            rpc_id,
                            error_code,
                            "the stored replay id was refused; resubscribing from LATEST and reconciling"
                        );
                        metrics::counter!("pubsub_replay_rejected_total").increment(1);
                        if !from_latest {
                            if let Err(err) = handler.replay_rejected().await {
                                tracing::error!(
                                    error = format!("{err:#}"),
                                    "the replay-gap reconciliation failed to start"
                                );
                            }
                            from_latest = true;
                        }
                        false
                    }
                    Recovery::Reauthenticate => {
                        tracing::info!(
                            topic,
                            rpc_id,
                            error_code,
                            "Pub/Sub refused the token; renewing"
                        );
                        if let Err(err) = client.reauthenticate().await {
                            tracing::warn!(error = format!("{err:#}"), "token renewal failed");
                        }
                        // A second refusal in a row waits like any failure.
                        failures > 0
                    }
                    Recovery::Permanent => {
                        tracing::error!(topic, rpc_id, error_code, code = ?status.code(), message = status.message(), "Pub/Sub refused the subscription; retrying slowly");
                        failures = failures.max(8);
                        true
                    }
                    Recovery::Retry => {
                        tracing::warn!(topic, rpc_id, error_code, code = ?status.code(), message = status.message(), "Pub/Sub stream failed; resuming from the checkpoint");
                        true
                    }
                }
            }
        };
        metrics::counter!("pubsub_reconnects_total").increment(1);
        let delay = if wait {
            backoff::delay(failures, options.backoff_min, options.backoff_max)
        } else {
            Duration::ZERO
        };
        failures = failures.saturating_add(1);
        tokio::select! {
            () = shutdown.cancelled() => return Ok(()),
            () = tokio::time::sleep(delay) => {}
        }
    }
}

/// One Subscribe stream, from open to its end.
async fn run_stream(
    client: &PubSubClient,
    topic: &str,
    handler: &dyn EventHandler,
    options: &SubscribeOptions,
    shutdown: &CancellationToken,
    from_latest: bool,
    recent: &mut Recent,
) -> Attempt {
    let mut stored = false;
    let checkpoint = if from_latest {
        None
    } else {
        match handler.checkpoint().await {
            Ok(c) => c,
            Err(err) => {
                return Attempt {
                    ended: Ended::Other(err.context("reading the replay checkpoint")),
                    stored,
                };
            }
        }
    };
    let mut flow = Flow::new(options.batch);
    let first = first_request(topic, checkpoint, flow.initial());
    let opened = tokio::select! {
        () = shutdown.cancelled() => return Attempt { ended: Ended::Shutdown, stored },
        opened = client.subscribe(first) => opened,
    };
    let (requests, mut stream) = match opened {
        Ok(pair) => pair,
        Err(err) => {
            return Attempt {
                ended: status_or_other(err),
                stored,
            };
        }
    };
    loop {
        let next = tokio::select! {
            () = shutdown.cancelled() => return Attempt { ended: Ended::Shutdown, stored },
            next = tokio::time::timeout(options.liveness_timeout, stream.message()) => next,
        };
        let response: FetchResponse = match next {
            Err(_elapsed) => {
                return Attempt {
                    ended: Ended::Silent,
                    stored,
                };
            }
            Ok(Err(status)) => {
                return Attempt {
                    ended: Ended::Status(status),
                    stored,
                };
            }
            Ok(Ok(None)) => {
                return Attempt {
                    ended: Ended::Closed,
                    stored,
                };
            }
            Ok(Ok(Some(response))) => response,
        };
        flow.on_response(response.pending_num_requested);
        if response.events.is_empty() {
            metrics::counter!("pubsub_keepalives_received_total").increment(1);
            if !response.latest_replay_id.is_empty() {
                match handler.idle(&response.latest_replay_id).await {
                    Ok(()) => stored = true,
                    Err(err) => {
                        // Not fatal: the previous checkpoint is still a correct place to resume.
                        tracing::warn!(
                            error = format!("{err:#}"),
                            "storing the keepalive checkpoint failed"
                        );
                    }
                }
            }
        }
        for consumer in response.events {
            metrics::counter!("pubsub_events_received_total").increment(1);
            let replay_id = consumer.replay_id;
            if recent.contains(&replay_id) {
                metrics::counter!("pubsub_duplicates_skipped_total").increment(1);
                continue;
            }
            let Some(event) = consumer.event else {
                tracing::error!(
                    replay_id = hex(&replay_id),
                    "a Pub/Sub event without a body; passing over it"
                );
                if let Err(err) = handler.idle(&replay_id).await {
                    return Attempt {
                        ended: Ended::Other(
                            err.context("storing the checkpoint past an empty event"),
                        ),
                        stored,
                    };
                }
                stored = true;
                continue;
            };
            let decoded = match client.get_schema(&event.schema_id).await {
                Ok(schema) => super::event::decode(&schema, &event.id, &event.payload),
                // The schema could not be fetched (transport, auth): not the payload's fault,
                // so retry the stream rather than skipping the event.
                Err(err) => {
                    return Attempt {
                        ended: status_or_other(err),
                        stored,
                    };
                }
            };
            let outcome = match decoded {
                Ok(event) => handler.deliver(event, &replay_id).await,
                Err(err) => {
                    metrics::counter!("pubsub_decode_failures_total").increment(1);
                    tracing::error!(
                        replay_id = hex(&replay_id),
                        schema_id = event.schema_id,
                        error = format!("{err:#}"),
                        "undecodable Pub/Sub event; passing over it (the reconciliation sweep covers its order)"
                    );
                    handler.idle(&replay_id).await
                }
            };
            if let Err(err) = outcome {
                metrics::counter!("pubsub_handler_failures_total").increment(1);
                return Attempt {
                    ended: Ended::Other(
                        err.context("the event handler failed; redelivering from the checkpoint"),
                    ),
                    stored,
                };
            }
            stored = true;
            recent.insert(&replay_id);
        }
        if let Some(more) = flow.top_up() {
            let request = FetchRequest {
                topic_name: topic.to_owned(),
                num_requested: more,
                ..FetchRequest::default()
            };
            if requests.send(request).await.is_err() {
                return Attempt {
                    ended: Ended::Other(anyhow::anyhow!("the request stream closed")),
                    stored,
                };
            }
        }
    }
}

/// The gRPC status inside an error, if it is one.
fn status_or_other(err: anyhow::Error) -> Ended {
    match err.downcast_ref::<Status>() {
        Some(status) => Ended::Status(status.clone()),
        None => Ended::Other(err),
    }
}

/// Replay ids in logs: hex (opaque bytes, never decoded as numbers).
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_checkpoint_starts_at_latest_and_one_resumes_custom() {
        let latest = first_request("/event/X__e", None, 50);
        assert_eq!(latest.replay_preset, ReplayPreset::Latest as i32);
        assert!(latest.replay_id.is_empty());
        assert_eq!(latest.num_requested, 50);
        let custom = first_request("/event/X__e", Some(vec![0, 0, 0, 0, 0, 0, 1, 7]), 50);
        assert_eq!(custom.replay_preset, ReplayPreset::Custom as i32);
        assert_eq!(custom.replay_id, vec![0, 0, 0, 0, 0, 0, 1, 7]);
        assert_eq!(custom.topic_name, "/event/X__e");
    }

    #[test]
    fn recent_replay_ids_are_bounded() {
        let mut recent = Recent::new();
        for i in 0..(Recent::CAPACITY as u64 + 10) {
            recent.insert(&i.to_be_bytes());
        }
        assert!(!recent.contains(&0u64.to_be_bytes()));
        assert!(recent.contains(&(Recent::CAPACITY as u64 + 9).to_be_bytes()));
        assert_eq!(recent.set.len(), Recent::CAPACITY);
    }
}
