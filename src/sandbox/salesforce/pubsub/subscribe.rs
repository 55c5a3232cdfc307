//! One simulated Subscribe stream (reference §1.4): replay fields are read from the first
//! request only; later requests only add credit (`num_requested`, additive, capped at 100)
//! and must name the same topic if they name one. Events go out while credit lasts; with
//! nothing to send, an empty keepalive carrying the stream's position as `latest_replay_id`
//! follows `pubsub_keepalive_ms` of silence; with no credit and no new request for
//! `pubsub_idle_close_ms`, the stream ends. The hang switch silences the stream entirely;
//! dropping streams ends it with UNAVAILABLE.
//!
//! The position reported in keepalives is this stream's cursor, not the topic's tip, so a
//! client that stores it never skips events it has not been sent yet.

use super::bus::{Start, replay_bytes};
use super::status;
use crate::sandbox::salesforce::SimState;
use crate::server::integrations::salesforce::pubsub::proto::{
    ConsumerEvent, FetchRequest, FetchResponse, ReplayPreset,
};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tonic::{Code, Status, Streaming};

/// The server's ceiling for outstanding events.
const MAX_PENDING: i32 = 100;

/// How often a stream re-checks its timers when nothing wakes it.
const TICK: Duration = Duration::from_millis(20);

type Tx = mpsc::Sender<Result<FetchResponse, Status>>;

/// A response carrying `events` (none for a keepalive) and the stream's position.
fn response(events: Vec<ConsumerEvent>, cursor: u64, pending: i32) -> FetchResponse {
    FetchResponse {
        events,
        latest_replay_id: replay_bytes(cursor),
        rpc_id: uuid::Uuid::new_v4().to_string(),
        pending_num_requested: pending,
    }
}

/// Runs one stream until it ends; errors are sent as the stream's final item.
pub async fn run(state: Arc<SimState>, mut requests: Streaming<FetchRequest>, tx: Tx) {
    let first = match requests.message().await {
        Ok(Some(first)) => first,
        _ => return,
    };
    let topic = first.topic_name.clone();
    // The lock is released before any await (its guard is not Send).
    let opened = {
        let mut inner = state.lock();
        let retention = Duration::from_secs(inner.settings.pubsub_retention_secs);
        let bus = &mut inner.pubsub;
        bus.purge(retention);
        if bus.topic(&topic).is_none() {
            Err(status::topic_denied(&topic))
        } else {
            let start = match ReplayPreset::try_from(first.replay_preset) {
                Ok(ReplayPreset::Latest) => Start::After(bus.latest()),
                Ok(ReplayPreset::Earliest) => Start::After(bus.earliest_start(&topic)),
                Ok(ReplayPreset::Custom) => bus.custom_start(&topic, &first.replay_id),
                Err(_) => Start::Refused,
            };
            match start {
                Start::After(cursor) => Ok((cursor, bus.watchers())),
                Start::Refused => Err(status::replay_corrupted()),
            }
        }
    };
    let (mut cursor, watchers) = match opened {
        Ok(opened) => opened,
        Err(status) => {
            let _ = tx.send(Err(status)).await;
            return;
        }
    };
    let (mut kill, mut changed) = watchers;
    kill.mark_unchanged();
    let mut pending = first.num_requested.clamp(0, MAX_PENDING);
    let mut last_sent = Instant::now();
    let mut idle_since = Instant::now();
    loop {
        let (keepalive, idle_close, hang, batch) = {
            let mut inner = state.lock();
            let keepalive = Duration::from_millis(inner.settings.pubsub_keepalive_ms);
            let idle_close = Duration::from_millis(inner.settings.pubsub_idle_close_ms);
            let retention = Duration::from_secs(inner.settings.pubsub_retention_secs);
            inner.pubsub.purge(retention);
            let hang = inner.pubsub.hang;
            let max = usize::try_from(pending).unwrap_or(0);
            let batch = if hang || max == 0 {
                Vec::new()
            } else {
                inner.pubsub.after(&topic, cursor, max)
            };
            (keepalive, idle_close, hang, batch)
        };
        if let Some(last) = batch.last() {
            if let Ok(bytes) = <[u8; 8]>::try_from(last.replay_id.as_slice()) {
                cursor = u64::from_be_bytes(bytes);
            }
            pending -= i32::try_from(batch.len()).unwrap_or(pending);
            if tx.send(Ok(response(batch, cursor, pending))).await.is_err() {
                return;
            }
            last_sent = Instant::now();
            if pending == 0 {
                idle_since = Instant::now();
            }
            continue;
        }
        if !hang && last_sent.elapsed() >= keepalive {
            // A keepalive: no events, the stream's position.
            if tx
                .send(Ok(response(Vec::new(), cursor, pending)))
                .await
                .is_err()
            {
                return;
            }
            last_sent = Instant::now();
        }
        if !hang && pending == 0 && idle_since.elapsed() >= idle_close {
            // Everything requested was delivered and no new request came: close normally.
            return;
        }
        tokio::select! {
            message = requests.message() => match message {
                Ok(Some(more)) => {
                    if !more.topic_name.is_empty() && more.topic_name != topic {
                        let err = status::status(Code::InvalidArgument, "The topic name in a FetchRequest must match the first request.", None);
                        let _ = tx.send(Err(err)).await;
                        return;
                    }
                    pending = pending.saturating_add(more.num_requested.max(0)).min(MAX_PENDING);
                    idle_since = Instant::now();
                }
                // The client closed its side or went away.
                _ => return,
            },
            gone = kill.changed() => {
                let _ = gone;
                let _ = tx.send(Err(Status::unavailable("RST_STREAM closed stream (sandbox fault)"))).await;
                return;
            }
            _ = changed.changed() => {}
            () = tx.closed() => return,
            () = tokio::time::sleep(TICK) => {}
        }
    }
}
