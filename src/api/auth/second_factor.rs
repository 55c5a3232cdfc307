//! `second_factor`: the 2FA code (or a recovery code) after the password.

use crate::error::AppError;
use leptos::prelude::*;

/// Completes a sign-in with a code.
#[server(prefix = "/api", endpoint = "auth/second-factor")]
pub async fn second_factor(code: String) -> Result<(), AppError> {
    let state = crate::server::context::state()?;
    crate::server::accounts::login::second_factor(&state, &code).await?;
    leptos_axum::redirect("/");
    Ok(())
}
