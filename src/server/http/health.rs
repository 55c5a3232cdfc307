//! `/health` (the process is alive: no dependencies checked, so a slow database never gets a
//! healthy instance killed) and `/ready` (it can serve: database, cache and probes answer).

use crate::server::state::AppState;
use crate::server::status::check_all;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;

/// Liveness.
pub async fn health() -> impl IntoResponse {
    (StatusCode::OK, Json(serde_json::json!({ "status": "ok" })))
}

/// Readiness: 200 when nothing is down, 503 otherwise, with the per-component report.
pub async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    let status = check_all(&state).await;
    let code = if status.is_ready() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(status))
}
