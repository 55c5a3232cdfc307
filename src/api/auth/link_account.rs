//! `link_account`: an existing billing customer joins the portal.

use crate::error::AppError;
use leptos::prelude::*;

/// Proves WHMCS ownership, creates the portal user, signs in.
#[server(prefix = "/api", endpoint = "auth/link")]
pub async fn link_account(
    email: String,
    billing_password: String,
    new_password: String,
) -> Result<(), AppError> {
    let state = crate::server::context::state()?;
    let lang = crate::server::preferences::request_lang();
    crate::server::accounts::link::link_existing(
        &state,
        &email,
        &billing_password,
        &new_password,
        lang,
    )
    .await?;
    leptos_axum::redirect("/");
    Ok(())
}
