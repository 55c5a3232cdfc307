//! Helpers for server functions: reach the `AppState` and the current request without
//! panicking when something is missing.

use crate::error::AppError;
use crate::server::errors::internal;
use crate::server::state::AppState;
use axum::http::HeaderMap;

/// The application state provided by `leptos_routes_with_context`.
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| internal(anyhow::anyhow!("AppState missing from the Leptos context")))
}

/// The current request's headers.
pub async fn headers() -> Result<HeaderMap, AppError> {
    leptos_axum::extract::<HeaderMap>()
        .await
        .map_err(|e| internal(anyhow::anyhow!("{e}")))
}

/// The current request id (set by `http::request_id`), for error references.
pub fn request_id() -> String {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_default()
}
