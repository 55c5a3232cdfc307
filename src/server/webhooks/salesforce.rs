//! `POST /webhooks/salesforce`: signed events from the org (an Apex callout or a Flow's HTTP
//! action, signed like the WHMCS events: `docs/SALESFORCE_EVENTS.md`). `catalog.changed` —
//! sent when a Product2 or a portal PricebookEntry changes — drops the cached catalog so the
//! next reader sees the change at once instead of within `[cache] catalog_fresh_secs`.
//!
//! Acting is idempotent (dropping a cache twice is the same as once), so deliveries are not
//! de-duplicated; a failure to act answers 503 and the sender retries. Unknown types are
//! acknowledged and ignored, so the org can send newer events before the portal reads them.

use super::MAX_BODY;
use crate::server::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

/// The part of an event the portal reads.
#[derive(Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
}

/// Receives one event delivery.
pub async fn salesforce(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if body.len() > MAX_BODY {
        return outcome(StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    }
    let keys = &state.webhooks;
    let id = match keys.verified_id(&keys.salesforce_secrets, &headers, &body) {
        Ok(id) => id,
        Err(err) => {
            // The payload is deliberately not logged: it is unauthenticated input.
            tracing::warn!(reason = %err, "refused a Salesforce event delivery");
            return outcome(StatusCode::UNAUTHORIZED, "refused");
        }
    };
    let event = match serde_json::from_slice::<Event>(&body) {
        Ok(event) if event.id == id => event,
        Ok(_) => return outcome(StatusCode::BAD_REQUEST, "id_mismatch"),
        Err(_) => return outcome(StatusCode::BAD_REQUEST, "unreadable"),
    };
    if event.kind != "catalog.changed" {
        tracing::info!(event_id = %id, kind = %event.kind, "Salesforce event ignored");
        return outcome(StatusCode::OK, "ignored");
    }
    match crate::server::catalog::invalidate(&state).await {
        Ok(()) => {
            tracing::info!(event_id = %id, "catalog changed in Salesforce; cached copy dropped");
            metrics::counter!("webhook_events_total", "source" => "salesforce", "kind" => event.kind)
                .increment(1);
            outcome(StatusCode::OK, "processed")
        }
        Err(_) => outcome(StatusCode::SERVICE_UNAVAILABLE, "retry"),
    }
}

fn outcome(status: StatusCode, what: &'static str) -> Response {
    (status, Json(json!({ "status": what }))).into_response()
}
