//! `begin_totp`, `enable_totp`, `disable_totp`.

use crate::domain::account::TotpEnrolment;
use crate::error::AppError;
use leptos::prelude::*;

/// Starts enrolment: QR code and key.
#[server(prefix = "/api", endpoint = "account/totp/begin")]
pub async fn begin_totp() -> Result<TotpEnrolment, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    crate::server::accounts::security::begin_totp(&state, &customer).await
}

/// Confirms with a code; returns the recovery codes.
#[server(prefix = "/api", endpoint = "account/totp/enable")]
pub async fn enable_totp(code: String) -> Result<Vec<String>, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    crate::server::accounts::security::enable_totp(&state, &customer, &code).await
}

/// Turns 2FA off.
#[server(prefix = "/api", endpoint = "account/totp/disable")]
pub async fn disable_totp(current_password: String) -> Result<(), AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    crate::server::accounts::security::disable_totp(&state, &customer, &current_password).await?;
    leptos_axum::redirect("/account/security?totp=off");
    Ok(())
}
