//! The control API (loopback only): what tests and operators use to drive the sandbox.
//!
//! - `GET  /health`           → `{"status":"ok"}`
//! - `GET  /providers`        → `{"<name>": "<base url>"}`
//! - `POST /reset`            → every simulator back to its seed; faults and call log cleared
//! - `GET  /faults`, `POST /faults` (a [`FaultRule`]) → `{"id": n}`, `DELETE /faults`,
//!   `DELETE /faults/{id}`
//! - `GET  /calls[?provider=name]`, `DELETE /calls`

use super::{CallLog, FaultBook, FaultRule, SeedData, Simulator};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Shared by the control handlers.
#[derive(Clone)]
pub struct ControlState {
    /// The seed every reset returns to.
    pub seed: Arc<SeedData>,
    /// The simulators.
    pub simulators: Arc<Vec<Arc<dyn Simulator>>>,
    /// Base URL per simulator.
    pub urls: Arc<BTreeMap<&'static str, String>>,
    /// Fault rules.
    pub faults: Arc<FaultBook>,
    /// Call log.
    pub calls: Arc<CallLog>,
}

/// The control router.
pub fn router(state: ControlState) -> Router {
    Router::new()
        .route(
            "/health",
            get(|| async { Json(serde_json::json!({ "status": "ok" })) }),
        )
        .route("/providers", get(providers))
        .route("/reset", post(reset))
        .route(
            "/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/faults/{id}", delete(remove_fault))
        .route("/calls", get(list_calls).delete(clear_calls))
        .with_state(state)
}

async fn providers(State(st): State<ControlState>) -> impl IntoResponse {
    Json(st.urls.as_ref().clone())
}

async fn reset(State(st): State<ControlState>) -> StatusCode {
    for sim in st.simulators.iter() {
        sim.reset(&st.seed);
    }
    st.faults.clear();
    st.calls.clear();
    StatusCode::NO_CONTENT
}

async fn list_faults(State(st): State<ControlState>) -> impl IntoResponse {
    Json(st.faults.snapshot())
}

async fn add_fault(
    State(st): State<ControlState>,
    Json(rule): Json<FaultRule>,
) -> impl IntoResponse {
    let known = rule.provider == "*" || st.urls.contains_key(rule.provider.as_str());
    if !known {
        let msg = format!(
            "unknown provider {:?}; known: {:?}",
            rule.provider,
            st.urls.keys()
        );
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(serde_json::json!({ "error": msg })),
        );
    }
    let id = st.faults.add(rule);
    (StatusCode::CREATED, Json(serde_json::json!({ "id": id })))
}

async fn clear_faults(State(st): State<ControlState>) -> StatusCode {
    st.faults.clear();
    StatusCode::NO_CONTENT
}

async fn remove_fault(State(st): State<ControlState>, Path(id): Path<u64>) -> StatusCode {
    if st.faults.remove(id) {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}

#[derive(Deserialize)]
struct CallsQuery {
    provider: Option<String>,
}

async fn list_calls(
    State(st): State<ControlState>,
    Query(q): Query<CallsQuery>,
) -> impl IntoResponse {
    Json(st.calls.list(q.provider.as_deref()))
}

async fn clear_calls(State(st): State<ControlState>) -> StatusCode {
    st.calls.clear();
    StatusCode::NO_CONTENT
}
