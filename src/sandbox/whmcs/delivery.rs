//! The simulator's stand-in for our WHMCS hook module (`docs/WHMCS_EVENTS.md`): every event
//! recorded in the simulator's state is POSTed, signed, to the portal's `/webhooks/whmcs`.
//! Like the real module it delivers at least once: the same event id on every attempt, each
//! attempt signed with its own send time, retried with exponential backoff (0.5 s doubling, at
//! most [`MAX_ATTEMPTS`]) until answered 2xx; then the outcome is kept for inspection
//! (`GET /sandbox/deliveries`).

use super::WhmcsSimulator;
use crate::sandbox::EventTarget;
use crate::server::webhooks::signature;
use secrecy::ExposeSecret;
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::time::Duration;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// Attempts per event before it is given up (dead-lettered).
pub const MAX_ATTEMPTS: u32 = 8;
/// How often new events are looked for.
const POLL: Duration = Duration::from_millis(100);

/// One event's delivery, as `GET /sandbox/deliveries` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// The event's sequence number in the simulator.
    pub seq: u64,
    /// The event id sent.
    pub event_id: String,
    /// Its type (`invoice.paid`, …).
    #[serde(rename = "type")]
    pub kind: String,
    /// Attempts made so far.
    pub attempts: u32,
    /// The last HTTP status received, if any.
    pub last_status: Option<u16>,
    /// `pending`, `delivered` or `failed` (given up).
    pub state: &'static str,
}

/// The wire type of a recorded event (the simulator's enum tag → our event names, reference
/// §4.4); an unknown tag becomes `whmcs.<tag>`.
fn wire_type(tag: &str) -> String {
    match tag {
        "InvoicePaid" => "invoice.paid".into(),
        "PayMethodAdded" => "pay_method.added".into(),
        "PayMethodRemoved" => "pay_method.removed".into(),
        "CancellationRequest" => "service.cancellation_requested".into(),
        other => format!("whmcs.{}", other.to_ascii_lowercase()),
    }
}

/// The body of a recorded event (serialised with its `event` tag, `seq` and `at`): the wire
/// type, when it happened, and every other field as data. `Hook` events (from the control API)
/// carry their wire type themselves.
pub(super) fn wire_body(event: &Value, id: &str) -> Option<(u64, String, Vec<u8>)> {
    let object = event.as_object()?;
    let seq = object.get("seq")?.as_u64()?;
    let tag = object.get("event")?.as_str()?;
    let kind = match object.get("type").and_then(Value::as_str) {
        Some(kind) => kind.to_owned(),
        None => wire_type(tag),
    };
    let at = object.get("at").and_then(Value::as_i64).unwrap_or_default();
    let occurred_at = OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default();
    let data: Map<String, Value> = object
        .iter()
        .filter(|(k, v)| !matches!(k.as_str(), "event" | "seq" | "at" | "type") && !v.is_null())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let body = json!({ "id": id, "type": kind, "occurred_at": occurred_at, "data": data });
    Some((seq, kind, serde_json::to_vec(&body).ok()?))
}

struct Pending {
    delivery: Delivery,
    body: Vec<u8>,
    next_at: Instant,
}

/// Delivers the simulator's events to `target` until `shutdown`.
pub fn spawn(sim: WhmcsSimulator, target: EventTarget, shutdown: CancellationToken) {
    tokio::spawn(async move {
        let client = match crate::server::integrations::http::client(Duration::from_secs(3)) {
            Ok(client) => client,
            Err(err) => {
                tracing::error!(error = %err, "the WHMCS simulator cannot deliver events");
                return;
            }
        };
        let mut seen = 0;
        let mut pending: Vec<Pending> = Vec::new();
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                () = tokio::time::sleep(POLL) => {}
            }
            for event in sim.events_after(&mut seen) {
                let id = uuid::Uuid::new_v4().to_string();
                let Some((seq, kind, body)) = wire_body(&event, &id) else {
                    continue;
                };
                let delivery = Delivery {
                    seq,
                    event_id: id,
                    kind,
                    attempts: 0,
                    last_status: None,
                    state: "pending",
                };
                sim.record_delivery(delivery.clone());
                pending.push(Pending {
                    delivery,
                    body,
                    next_at: Instant::now(),
                });
            }
            let now = Instant::now();
            for item in pending.iter_mut().filter(|p| p.next_at <= now) {
                attempt(&client, &target, item).await;
                sim.record_delivery(item.delivery.clone());
            }
            pending.retain(|p| p.delivery.state == "pending");
        }
    });
}

async fn attempt(client: &reqwest::Client, target: &EventTarget, item: &mut Pending) {
    let d = &mut item.delivery;
    d.attempts = d.attempts.saturating_add(1);
    let ts = OffsetDateTime::now_utc().unix_timestamp();
    let sig = signature::sign(
        target.secret.expose_secret().as_bytes(),
        ts,
        &d.event_id,
        &item.body,
    )
    .unwrap_or_default();
    let sent = client
        .post(&target.url)
        .header("content-type", "application/json")
        .header("x-portal-event-id", &d.event_id)
        .header("x-portal-event-type", &d.kind)
        .header("x-portal-timestamp", ts.to_string())
        .header("x-portal-signature", format!("v1={sig}"))
        .body(item.body.clone())
        .send()
        .await;
    d.last_status = sent.as_ref().ok().map(|r| r.status().as_u16());
    if sent.is_ok_and(|r| r.status().is_success()) {
        d.state = "delivered";
    } else if d.attempts >= MAX_ATTEMPTS {
        d.state = "failed";
        tracing::warn!(event_id = %d.event_id, kind = %d.kind, "the WHMCS simulator gave up delivering an event");
    } else {
        let backoff = Duration::from_millis(500).saturating_mul(1 << d.attempts.min(6));
        item.next_at = Instant::now() + backoff;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_events_become_reference_bodies() {
        let event = json!({"event": "InvoicePaid", "seq": 3, "invoice_id": 2013, "client_id": 1001, "at": 1_700_000_000});
        let (seq, kind, body) = wire_body(&event, "e-1").expect("body");
        assert_eq!((seq, kind.as_str()), (3, "invoice.paid"));
        let body: Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(
            body,
            json!({"id": "e-1", "type": "invoice.paid", "occurred_at": "2023-11-14T22:13:20Z",
                   "data": {"invoice_id": 2013, "client_id": 1001}})
        );
        let hook = json!({"event": "Hook", "seq": 4, "type": "service.provisioned", "client_id": 1, "service_id": 9, "invoice_id": null, "at": 0});
        let (_, kind, body) = wire_body(&hook, "e-2").expect("body");
        assert_eq!(kind, "service.provisioned");
        let body: Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(body["data"], json!({"client_id": 1, "service_id": 9}));
        assert!(wire_body(&json!({"seq": 1}), "x").is_none());
    }
}
