//! `/_sandbox/pubsub/…` on the Salesforce simulator's port (not part of Salesforce): what tests
//! use to publish and to break streams.
//!
//! - `GET  /_sandbox/pubsub` → topics (schema id, retained events, latest replay id), live
//!   streams, switches.
//! - `POST /_sandbox/pubsub/publish` `{"order_id"?, "idem_key"?, "event_id"?, "created_ms"?}` →
//!   `{"replay_id": hex}`: one `OrderProvisionRequested__e` (e.g. a duplicate of an approval's).
//! - `POST /_sandbox/pubsub/drop-streams` → every live Subscribe stream ends with UNAVAILABLE.
//! - `POST /_sandbox/pubsub/hang` `{"on": bool}` → streams send nothing (no keepalives).
//! - `POST /_sandbox/pubsub/duplicate` `{"count": n}` → the next CUSTOM subscription also
//!   redelivers the `n` events at or before its replay id.
//! - `POST /_sandbox/pubsub/schema` `{"add_field": "Note__c"}` → the topic's schema gains a
//!   nullable text field: `{"schema_id": new id}`; later events use it.
//!
//! Timing (`pubsub_keepalive_ms`, `pubsub_idle_close_ms`, `pubsub_retention_secs`) is in
//! `POST /_sandbox/settings`.

use super::bus::replay_bytes;
use crate::sandbox::salesforce::SimState;
use crate::server::integrations::salesforce::pubsub::event::{ProvisionRequested, TOPIC};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `GET /_sandbox/pubsub`.
pub async fn overview(State(st): State<Arc<SimState>>) -> Json<Value> {
    let inner = st.lock();
    let bus = &inner.pubsub;
    let topics: serde_json::Map<String, Value> = bus
        .topic_names()
        .filter_map(|name| {
            let topic = bus.topic(name)?;
            Some((
                name.clone(),
                json!({"schema_id": topic.schema_id, "retained": bus.retained(name)}),
            ))
        })
        .collect();
    Json(json!({
        "topics": topics,
        "latest_replay_id": hex(&replay_bytes(bus.latest())),
        "live_streams": bus.live_streams(),
        "hang": bus.hang,
        "duplicate_next": bus.duplicate_next,
    }))
}

/// Body of `POST /_sandbox/pubsub/publish`.
#[derive(Deserialize)]
pub struct PublishBody {
    order_id: Option<String>,
    idem_key: Option<String>,
    #[serde(default)]
    event_id: String,
    created_ms: Option<i64>,
}

/// Publishes one event as the integration user; returns its replay id.
pub fn publish(st: &SimState, event: &ProvisionRequested) -> anyhow::Result<Vec<u8>> {
    st.lock()
        .pubsub
        .publish_provision(TOPIC, event)
        .map(replay_bytes)
}

/// `POST /_sandbox/pubsub/publish`.
pub async fn publish_event(
    State(st): State<Arc<SimState>>,
    Json(body): Json<PublishBody>,
) -> Response {
    let event = ProvisionRequested {
        event_id: body.event_id,
        order_id: body.order_id,
        idem_key: body.idem_key,
        created_ms: body.created_ms.unwrap_or_else(now_ms),
        created_by: st.user_id.clone(),
    };
    match publish(&st, &event) {
        Ok(id) => (StatusCode::CREATED, Json(json!({"replay_id": hex(&id)}))).into_response(),
        Err(err) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"error": format!("{err:#}")})),
        )
            .into_response(),
    }
}

/// Epoch milliseconds now.
pub fn now_ms() -> i64 {
    i64::try_from(time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
}

/// `POST /_sandbox/pubsub/drop-streams`.
pub async fn drop_streams(State(st): State<Arc<SimState>>) -> StatusCode {
    st.lock().pubsub.drop_streams();
    StatusCode::NO_CONTENT
}

/// Body of `POST /_sandbox/pubsub/hang`.
#[derive(Deserialize)]
pub struct HangBody {
    on: bool,
}

/// `POST /_sandbox/pubsub/hang`.
pub async fn hang(State(st): State<Arc<SimState>>, Json(body): Json<HangBody>) -> StatusCode {
    st.lock().pubsub.hang = body.on;
    StatusCode::NO_CONTENT
}

/// Body of `POST /_sandbox/pubsub/duplicate`.
#[derive(Deserialize)]
pub struct DuplicateBody {
    count: usize,
}

/// `POST /_sandbox/pubsub/duplicate`.
pub async fn duplicate(
    State(st): State<Arc<SimState>>,
    Json(body): Json<DuplicateBody>,
) -> StatusCode {
    st.lock().pubsub.duplicate_next = body.count;
    StatusCode::NO_CONTENT
}

/// Body of `POST /_sandbox/pubsub/schema`.
#[derive(Deserialize)]
pub struct SchemaBody {
    add_field: String,
}

/// `POST /_sandbox/pubsub/schema`.
pub async fn change_schema(
    State(st): State<Arc<SimState>>,
    Json(body): Json<SchemaBody>,
) -> Response {
    let valid = !body.add_field.is_empty()
        && body
            .add_field
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && body.add_field.as_bytes()[0].is_ascii_alphabetic();
    if !valid {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"error": "add_field must be an Avro field name"})),
        )
            .into_response();
    }
    match st.lock().pubsub.add_field(TOPIC, &body.add_field) {
        Ok(id) => Json(json!({"schema_id": id})).into_response(),
        Err(err) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"error": format!("{err:#}")})),
        )
            .into_response(),
    }
}
