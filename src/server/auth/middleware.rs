//! Turns the session cookies into an [`Identity`] for the rest of the request (server-side
//! rendering and server functions alike), refreshing transparently: an expired or missing
//! access token with a valid refresh token rotates the refresh token, mints a new access token
//! and sets both cookies on the response. A replayed refresh token revokes its whole session.

use super::cookies::{self, ACCESS, REFRESH};
use super::jwt::{self, Purpose};
use super::secrets::{hash_token, random_token};
use super::{AuthConfig, Identity, audit, client_info::ClientInfo};
use crate::domain::account::AuditKind;
use crate::server::state::AppState;
use crate::server::store::{RefreshOutcome, unix_ms};
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::http::header::SET_COOKIE;
use axum::middleware::Next;
use axum::response::Response;
use time::OffsetDateTime;

/// The request extension the middleware always inserts (None = anonymous).
#[derive(Debug, Clone, Default)]
pub struct MaybeIdentity(pub Option<Identity>);

/// How often `last_seen` is written for a session (not on every request).
const TOUCH_EVERY_MS: i64 = 60_000;

/// The middleware.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path.starts_with("/pkg/") || path == "/favicon.ico" || path == "/health" {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let client = ClientInfo::from_parts(&parts, state.auth.trust_forwarded_for);
    parts.extensions.insert(client);
    let (identity, set_cookies) = resolve(&state, &parts).await;
    req = Request::from_parts(parts, body);
    req.extensions_mut().insert(MaybeIdentity(identity));
    let mut response = next.run(req).await;
    // A handler that set session cookies itself (login, logout) knows better.
    let handler_set: Vec<String> = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split('=').next().map(str::to_owned))
        .collect();
    for cookie in set_cookies {
        let name = cookie.split('=').next().unwrap_or_default();
        if handler_set.iter().any(|n| n == name) {
            continue;
        }
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

async fn resolve(
    state: &AppState,
    parts: &axum::http::request::Parts,
) -> (Option<Identity>, Vec<String>) {
    let config = &state.auth;
    let access = cookies::read(&parts.headers, ACCESS);
    let refresh = cookies::read(&parts.headers, REFRESH);
    if access.is_none() && refresh.is_none() {
        return (None, Vec::new());
    }
    let now = OffsetDateTime::now_utc();
    let now_ms = unix_ms(now);
    let client = ClientInfo::from_parts(parts, config.trust_forwarded_for);
    if let Some(claims) = access.and_then(|token| jwt::verify(config, &token, Purpose::Access).ok())
    {
        match state.store.session(&claims.sid).await {
            Ok(Some(session)) if session.is_live(now_ms) && session.user_id == claims.sub => {
                if now_ms - session.last_seen_at_ms > TOUCH_EVERY_MS {
                    let _ = state
                        .store
                        .touch_session(&session.id, &client.ip, now_ms)
                        .await;
                }
                return (
                    Some(Identity {
                        user_id: claims.sub,
                        session_id: claims.sid,
                    }),
                    Vec::new(),
                );
            }
            // Revoked or gone: fall through (the refresh token will fail too).
            Ok(_) => {}
            Err(err) => {
                // The database is down: treat as anonymous for this request, keep cookies.
                tracing::error!(error = %err, "session lookup failed");
                return (None, Vec::new());
            }
        }
    }
    let Some(refresh) = refresh else {
        return (None, clear_all(config));
    };
    let new_refresh = random_token();
    let outcome = state
        .store
        .rotate_refresh(
            &hash_token(&refresh),
            &hash_token(&new_refresh),
            now_ms + ms(config.refresh_ttl),
            now_ms,
            ms(config.refresh_grace),
        )
        .await;
    match outcome {
        Ok(RefreshOutcome::Rotated(session)) => {
            match issue_access(config, &session.user_id, &session.id, now) {
                Some(access) => (
                    Some(Identity {
                        user_id: session.user_id,
                        session_id: session.id,
                    }),
                    vec![
                        access,
                        cookies::set(
                            REFRESH,
                            &new_refresh,
                            remaining(session.expires_at_ms, now_ms),
                            config.secure_cookies,
                        ),
                    ],
                ),
                None => (None, Vec::new()),
            }
        }
        Ok(RefreshOutcome::RecentlyRotated(session)) => {
            let cookies: Vec<String> = issue_access(config, &session.user_id, &session.id, now)
                .into_iter()
                .collect();
            (
                Some(Identity {
                    user_id: session.user_id,
                    session_id: session.id,
                }),
                cookies,
            )
        }
        Ok(RefreshOutcome::Replayed { user_id, .. }) => {
            tracing::warn!("a used refresh token was presented again; its session is revoked");
            audit::record(
                state.store.as_ref(),
                &user_id,
                AuditKind::RefreshReplay,
                &client,
            )
            .await;
            (None, clear_all(config))
        }
        Ok(RefreshOutcome::Invalid) => (None, clear_all(config)),
        Err(err) => {
            tracing::error!(error = %err, "refresh rotation failed");
            (None, Vec::new())
        }
    }
}

fn issue_access(
    config: &AuthConfig,
    user_id: &str,
    session_id: &str,
    now: OffsetDateTime,
) -> Option<String> {
    match jwt::sign(
        config,
        user_id,
        session_id,
        Purpose::Access,
        config.access_ttl,
        now,
    ) {
        Ok(token) => Some(cookies::set(
            ACCESS,
            &token,
            config.access_ttl,
            config.secure_cookies,
        )),
        Err(err) => {
            tracing::error!(error = %err, "could not sign an access token");
            None
        }
    }
}

/// The cookies that end a session in the browser.
pub fn clear_all(config: &AuthConfig) -> Vec<String> {
    vec![
        cookies::clear(ACCESS, config.secure_cookies),
        cookies::clear(REFRESH, config.secure_cookies),
    ]
}

pub(crate) fn ms(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

pub(crate) fn remaining(until_ms: i64, now_ms: i64) -> std::time::Duration {
    std::time::Duration::from_millis(u64::try_from(until_ms - now_ms).unwrap_or(0))
}
