//! `request_cancellation`: asks the billing system to cancel one of the customer's services.

use crate::domain::services::CancellationOutcome;
use crate::error::AppError;
use leptos::prelude::*;

/// Requests cancellation of service `id`. `kind`: `immediate` or `end_of_period`; `reason`:
/// required, at most 1000 characters. Sends the browser back to `/services/{id}` with
/// `?cancellation=requested|already_requested`, so the page confirms it with or without
/// JavaScript.
#[server(prefix = "/api", endpoint = "services/cancel")]
pub async fn request_cancellation(
    id: u32,
    #[server(default)] kind: String,
    #[server(default)] reason: String,
) -> Result<CancellationOutcome, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    let outcome =
        crate::server::services::request_cancellation(&state, &customer, id, &kind, &reason)
            .await?;
    leptos_axum::redirect(&format!("/services/{id}?cancellation={}", outcome.key()));
    Ok(outcome)
}
