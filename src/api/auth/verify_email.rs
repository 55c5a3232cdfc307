//! `verify_email`: the emailed confirmation link's button.

use crate::error::AppError;
use leptos::prelude::*;

/// Confirms an email address.
#[server(prefix = "/api", endpoint = "auth/verify-email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    let state = crate::server::context::state()?;
    crate::server::accounts::signup::confirm_email(&state, &token).await?;
    leptos_axum::redirect("/verify-email?done=1");
    Ok(())
}
