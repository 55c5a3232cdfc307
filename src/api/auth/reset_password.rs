//! `reset_password`: a new password from the emailed link.

use crate::error::AppError;
use leptos::prelude::*;

/// Sets the new password and signs out everywhere.
#[server(prefix = "/api", endpoint = "auth/reset-password")]
pub async fn reset_password(token: String, new_password: String) -> Result<(), AppError> {
    let state = crate::server::context::state()?;
    crate::server::accounts::login::reset_password(&state, &token, &new_password).await?;
    leptos_axum::redirect("/login?reset=1");
    Ok(())
}
