//! `POST /webhooks/whmcs`. In order: body size (at most [`MAX_BODY`], else 413), headers and
//! signature over the raw bytes (401, logged without the payload), the body's id against the
//! header's (400), first sight of the event id (a repeat answers 200 and changes nothing),
//! then the affected customer's cached data is dropped (and, for `pay_method.added`, orders
//! that failed for want of a payment method are queued again). If acting fails, the delivery is
//! forgotten again and 503 asks the sender to retry — nothing is half done and lost.

use super::events::{Cached, EventBody, stale_after};
use crate::server::integrations::salesforce::SalesforceId;
use crate::server::provisioning::retry;
use crate::server::state::AppState;
use crate::server::{billing, services};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use time::OffsetDateTime;

/// Largest accepted body (reference §4.4: 256 KiB).
pub const MAX_BODY: usize = 256 * 1024;
/// The store's name for this sender's deliveries.
const SOURCE: &str = "whmcs";

/// Receives one event delivery.
pub async fn whmcs(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let keys = &state.webhooks;
    let checked = keys.verified_id(&keys.whmcs_secrets, &headers, &body);
    let id = match checked {
        Ok(id) => id,
        Err(err) => {
            // The payload is deliberately not logged: it is unauthenticated input.
            tracing::warn!(reason = %err, "refused a WHMCS event delivery");
            return outcome(StatusCode::UNAUTHORIZED, "refused");
        }
    };
    let event: EventBody = match serde_json::from_slice(&body) {
        Ok(event) => event,
        Err(err) => {
            tracing::warn!(event_id = %id, error = %err, "a signed WHMCS event is not readable");
            return outcome(StatusCode::BAD_REQUEST, "unreadable");
        }
    };
    if event.id != id {
        tracing::warn!(event_id = %id, "a WHMCS event's body names another id");
        return outcome(StatusCode::BAD_REQUEST, "id_mismatch");
    }
    match state
        .store
        .record_delivery(SOURCE, &id, OffsetDateTime::now_utc())
        .await
    {
        Ok(true) => {}
        Ok(false) => {
            tracing::info!(event_id = %id, kind = %event.kind, "duplicate WHMCS event ignored");
            return outcome(StatusCode::OK, "duplicate");
        }
        Err(err) => {
            tracing::error!(event_id = %id, error = %err, "could not record a WHMCS event");
            return outcome(StatusCode::SERVICE_UNAVAILABLE, "retry");
        }
    }
    match act(&state, &event).await {
        Ok(status) => {
            tracing::info!(event_id = %id, kind = %event.kind, status, "WHMCS event received");
            outcome(StatusCode::OK, status)
        }
        Err(err) => {
            tracing::error!(event_id = %id, kind = %event.kind, error = %err, "could not act on a WHMCS event; asking for a retry");
            if let Err(err) = state.store.forget_delivery(SOURCE, &id).await {
                tracing::error!(event_id = %id, error = %err, "could not forget a failed WHMCS event: its retry will be ignored until the cache expires");
            }
            outcome(StatusCode::SERVICE_UNAVAILABLE, "retry")
        }
    }
}

/// Drops the affected customer's cached data. `ignored` when the event names no client of a
/// portal user (WHMCS also serves customers who never signed up).
async fn act(state: &AppState, event: &EventBody) -> anyhow::Result<&'static str> {
    let Some(client_id) = event.data.client_id else {
        return Ok("ignored");
    };
    let Some(user) = state
        .store
        .user_by_whmcs_client(i64::from(client_id))
        .await?
    else {
        return Ok("ignored");
    };
    for part in stale_after(&event.kind) {
        let ns = match part {
            Cached::Invoices => billing::namespace(&user.id),
            Cached::Services => services::namespace(&user.id),
            Cached::PayMethods => billing::pay_methods_namespace(&user.id),
        };
        state.cache.invalidate(&ns).await?;
    }
    if event.kind == "pay_method.added"
        && let Some(account) = user
            .sf_account_id
            .as_deref()
            .and_then(|id| SalesforceId::parse(id).ok())
    {
        // Orders that failed for want of a payment method go round again; an error here
        // asks WHMCS to deliver the event again, so none is left failed by mistake.
        retry::after_payment_method_added(
            &state.providers.orders,
            state.store.as_ref(),
            state.queue.as_ref(),
            &account,
            state.provisioning_attempts,
        )
        .await?;
    }
    metrics::counter!("webhook_events_total", "source" => SOURCE, "kind" => event.kind.clone())
        .increment(1);
    Ok("processed")
}

fn outcome(status: StatusCode, what: &'static str) -> Response {
    (status, Json(json!({ "status": what }))).into_response()
}
