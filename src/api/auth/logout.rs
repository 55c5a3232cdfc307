//! `logout`: ends this session, or every session with `everywhere`.

use crate::error::AppError;
use leptos::prelude::*;

/// Signs out.
#[server(prefix = "/api", endpoint = "auth/logout")]
pub async fn logout(#[server(default)] everywhere: bool) -> Result<(), AppError> {
    let state = crate::server::context::state()?;
    if let Some(identity) = crate::server::auth::customer::identity() {
        crate::server::accounts::sessions::end(&state, &identity, everywhere).await?;
    }
    leptos_axum::redirect("/login");
    Ok(())
}
