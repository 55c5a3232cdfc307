//! `reply_to_case`, `close_case`, `reopen_case`: the customer's text-only changes to one of
//! their cases. Each sends the browser back to `/support/{id}` with a flag the page confirms.

use crate::error::AppError;
use leptos::prelude::*;

/// The case page with a flag, for a well-formed id only (it goes into a URL).
#[cfg(feature = "ssr")]
fn back_to(id: &str, flag: &str) {
    if id.bytes().all(|b| b.is_ascii_alphanumeric()) && !id.is_empty() {
        leptos_axum::redirect(&format!("/support/{id}?{flag}=1"));
    }
}

/// Adds the customer's reply (`body`: required, at most 4000 characters) to an open case.
#[server(prefix = "/api", endpoint = "support/reply")]
pub async fn reply_to_case(id: String, #[server(default)] body: String) -> Result<(), AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    crate::server::support::write::reply(&state, &customer, &id, &body).await?;
    back_to(&id, "replied");
    Ok(())
}

/// Closes the customer's case.
#[server(prefix = "/api", endpoint = "support/close")]
pub async fn close_case(id: String) -> Result<(), AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    crate::server::support::write::close(&state, &customer, &id).await?;
    back_to(&id, "closed");
    Ok(())
}

/// Reopens a case closed within the reopen window.
#[server(prefix = "/api", endpoint = "support/reopen")]
pub async fn reopen_case(id: String) -> Result<(), AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    crate::server::support::write::reopen(&state, &customer, &id).await?;
    back_to(&id, "reopened");
    Ok(())
}
