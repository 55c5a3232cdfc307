//! Starting and ending sessions: the session row with its first refresh token, the two
//! cookies on the response, and the audit events.

use super::provider_errors;
use crate::domain::account::AuditKind;
use crate::error::AppError;
use crate::server::auth::client_info::ClientInfo;
use crate::server::auth::cookies::{self, ACCESS, REFRESH};
use crate::server::auth::jwt::{self, Purpose};
use crate::server::auth::middleware::{clear_all, ms};
use crate::server::auth::secrets::{hash_token, random_token};
use crate::server::auth::{Identity, audit};
use crate::server::errors::internal;
use crate::server::state::AppState;
use crate::server::store::{SessionRecord, unix_ms};
use axum::http::HeaderValue;
use axum::http::header::SET_COOKIE;

/// Adds `Set-Cookie` headers to the current server function's response.
pub fn set_cookies(values: impl IntoIterator<Item = String>) {
    if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        for value in values {
            if let Ok(header) = HeaderValue::from_str(&value) {
                opts.append_header(SET_COOKIE, header);
            }
        }
    }
}

/// Signs `user_id` in on this device: a new session, its cookies, an audit event.
pub async fn start(
    state: &AppState,
    user_id: &str,
    client: &ClientInfo,
) -> Result<Identity, AppError> {
    let config = &state.auth;
    let now = time::OffsetDateTime::now_utc();
    let now_ms = unix_ms(now);
    let refresh = random_token();
    let session = SessionRecord {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: user_id.to_owned(),
        user_agent: client.user_agent.clone(),
        ip: client.ip.clone(),
        created_at_ms: now_ms,
        last_seen_at_ms: now_ms,
        expires_at_ms: now_ms + ms(config.refresh_ttl),
        revoked: None,
    };
    state
        .store
        .create_session(&session, &hash_token(&refresh))
        .await
        .map_err(provider_errors::store)?;
    let access = jwt::sign(
        config,
        user_id,
        &session.id,
        Purpose::Access,
        config.access_ttl,
        now,
    )
    .map_err(internal)?;
    set_cookies([
        cookies::set(ACCESS, &access, config.access_ttl, config.secure_cookies),
        cookies::set(REFRESH, &refresh, config.refresh_ttl, config.secure_cookies),
        cookies::clear(cookies::SECOND_FACTOR, config.secure_cookies),
    ]);
    audit::record(state.store.as_ref(), user_id, AuditKind::Login, client).await;
    Ok(Identity {
        user_id: user_id.to_owned(),
        session_id: session.id,
    })
}

/// Ends the current session (or every session) and clears the cookies.
pub async fn end(state: &AppState, identity: &Identity, everywhere: bool) -> Result<(), AppError> {
    let now_ms = unix_ms(time::OffsetDateTime::now_utc());
    let client = ClientInfo::current();
    if everywhere {
        state
            .store
            .revoke_sessions(&identity.user_id, None, "logout_everywhere", now_ms)
            .await
            .map_err(provider_errors::store)?;
    } else {
        state
            .store
            .revoke_session(&identity.user_id, &identity.session_id, "logout", now_ms)
            .await
            .map_err(provider_errors::store)?;
    }
    set_cookies(clear_all(&state.auth));
    let kind = if everywhere {
        AuditKind::LogoutEverywhere
    } else {
        AuditKind::Logout
    };
    audit::record(state.store.as_ref(), &identity.user_id, kind, &client).await;
    Ok(())
}
