//! `checkout`: places the order for the cart confirmed at `revision`.

use crate::error::AppError;
use leptos::prelude::*;

/// Places the order and sends the browser to `/orders/{id}?placed=1`. Posting the same
/// revision again finds the same order; a cart changed since confirmation is a `Conflict`.
#[server(prefix = "/api", endpoint = "checkout")]
pub async fn checkout(revision: String) -> Result<String, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    let id = crate::server::orders::checkout(&state, &customer, &revision).await?;
    leptos_axum::redirect(&format!("/orders/{id}?placed=1"));
    Ok(id.to_string())
}
