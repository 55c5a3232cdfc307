//! `forgot_password` and `resend_verification`: mail a link; the same answer for any email.

use crate::error::AppError;
use leptos::prelude::*;

/// Mails a reset link.
#[server(prefix = "/api", endpoint = "auth/forgot-password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    let state = crate::server::context::state()?;
    let lang = crate::server::preferences::request_lang();
    crate::server::accounts::login::request_reset(&state, &email, lang).await?;
    leptos_axum::redirect("/forgot-password?sent=1");
    Ok(())
}

/// Mails the verification link again.
#[server(prefix = "/api", endpoint = "auth/resend-verification")]
pub async fn resend_verification(email: String) -> Result<(), AppError> {
    let state = crate::server::context::state()?;
    let lang = crate::server::preferences::request_lang();
    crate::server::accounts::login::resend_verification(&state, &email, lang).await?;
    leptos_axum::redirect("/signup/done");
    Ok(())
}
