//! `get_security`, `change_password`, `revoke_session`.

use crate::domain::account::SecurityOverview;
use crate::error::AppError;
use leptos::prelude::*;

/// Sessions, 2FA state and audit log.
#[server(prefix = "/api", endpoint = "account/security")]
pub async fn get_security() -> Result<SecurityOverview, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    crate::server::accounts::security::overview(&state, &customer).await
}

/// Changes the password.
#[server(prefix = "/api", endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    crate::server::accounts::security::change_password(
        &state,
        &customer,
        &current_password,
        &new_password,
    )
    .await?;
    leptos_axum::redirect("/account/security?password=1");
    Ok(())
}

/// Signs one session out.
#[server(prefix = "/api", endpoint = "account/sessions/revoke")]
pub async fn revoke_session(session_id: String) -> Result<(), AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    crate::server::accounts::security::revoke(&state, &customer, &session_id).await?;
    leptos_axum::redirect("/account/security?revoked=1");
    Ok(())
}
