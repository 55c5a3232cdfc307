//! Emailed one-time links: creating them (random token, only its hash stored), building the
//! URL on the portal's public origin, sending the mail in the customer's language, and
//! consuming them exactly once.

use super::provider_errors;
use crate::domain::common::lang::Lang;
use crate::error::{AppError, FieldProblem};
use crate::server::auth::middleware::ms;
use crate::server::auth::secrets::{hash_token, random_token};
use crate::server::errors::{internal, with_status};
use crate::server::mail::templates::{self, Template};
use crate::server::state::AppState;
use crate::server::store::{EmailPurpose, unix_ms};

/// The portal origin links point to: `auth.public_url`, else the request's `Host`.
pub fn origin(state: &AppState) -> String {
    if let Some(url) = &state.auth.public_url {
        return url.clone();
    }
    let host = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(axum::http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .map(str::to_owned)
        })
        .filter(|h| !h.is_empty() && !h.contains(['/', ' ', '@']))
        .unwrap_or_else(|| "127.0.0.1:3000".into());
    format!("http://{host}")
}

/// Creates a link for `purpose` and mails it to `to`.
#[allow(clippy::too_many_arguments)]
pub async fn send(
    state: &AppState,
    user_id: &str,
    purpose: EmailPurpose,
    to: &str,
    new_email: Option<&str>,
    name: &str,
    lang: Lang,
) -> Result<(), AppError> {
    let token = random_token();
    let now_ms = unix_ms(time::OffsetDateTime::now_utc());
    state
        .store
        .create_email_token(
            &hash_token(&token),
            user_id,
            purpose,
            new_email,
            now_ms + ms(state.auth.email_link_ttl),
        )
        .await
        .map_err(provider_errors::store)?;
    let (path, template) = match purpose {
        EmailPurpose::Verify => ("/verify-email", Template::Verify),
        EmailPurpose::Reset => ("/reset-password", Template::Reset),
        EmailPurpose::ChangeEmail => ("/verify-email", Template::ChangeEmail),
    };
    let link = format!("{}{path}?token={token}", origin(state));
    let mail = templates::render(template, lang, to, name, &link);
    state
        .mailer
        .send(mail)
        .await
        .map_err(|e| internal(e.context("could not send a mail")))
}

/// Uses a link once: its user and new email, or a `token` field error.
pub async fn consume(
    state: &AppState,
    token: &str,
    purpose: EmailPurpose,
) -> Result<(String, Option<String>), AppError> {
    consume_any(state, token, &[purpose]).await
}

/// Uses a link valid for any of `purposes` (tried in order) once.
pub async fn consume_any(
    state: &AppState,
    token: &str,
    purposes: &[EmailPurpose],
) -> Result<(String, Option<String>), AppError> {
    let now_ms = unix_ms(time::OffsetDateTime::now_utc());
    let hash = hash_token(token.trim());
    for purpose in purposes {
        if let Some(found) = state
            .store
            .consume_email_token(&hash, *purpose, now_ms)
            .await
            .map_err(provider_errors::store)?
        {
            return Ok(found);
        }
    }
    Err(with_status(AppError::field("token", FieldProblem::Invalid)))
}
