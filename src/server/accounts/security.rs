//! The security page: sessions (list, revoke one, sign out everywhere else), password change,
//! 2FA enrolment with recovery codes and its removal, and the audit log.

use super::{login, provider_errors, sessions};
use crate::domain::account::{
    AuditEntry, AuditKind, SecurityOverview, SessionInfo, TotpEnrolment, device_label,
    password_problem,
};
use crate::error::{AppError, FieldProblem};
use crate::server::auth::client_info::ClientInfo;
use crate::server::auth::customer::Customer;
use crate::server::auth::secrets::{hash_token, recovery_code};
use crate::server::auth::{audit, password, totp};
use crate::server::errors::{internal, with_status};
use crate::server::state::AppState;
use crate::server::store::unix_ms;

const AUDIT_SHOWN: i64 = 50;
const RECOVERY_CODES: usize = 10;

/// Records a security event of the signed-in customer from this request.
async fn audit_here(state: &AppState, customer: &Customer, kind: AuditKind) {
    audit::record(
        state.store.as_ref(),
        customer.user_id(),
        kind,
        &ClientInfo::current(),
    )
    .await;
}

fn now_ms() -> i64 {
    unix_ms(time::OffsetDateTime::now_utc())
}

/// Everything the security page shows.
pub async fn overview(state: &AppState, customer: &Customer) -> Result<SecurityOverview, AppError> {
    let store = &state.store;
    let user_id = customer.user_id();
    let mut sessions: Vec<SessionInfo> = store
        .live_sessions(user_id, now_ms())
        .await
        .map_err(provider_errors::store)?
        .into_iter()
        .map(|s| SessionInfo {
            current: s.id == customer.identity.session_id,
            device: device_label(&s.user_agent),
            id: s.id,
            ip: s.ip,
            created_at_ms: s.created_at_ms,
            last_seen_at_ms: s.last_seen_at_ms,
        })
        .collect();
    sessions.sort_by_key(|s| !s.current);
    let audit = store
        .audit_events(user_id, AUDIT_SHOWN)
        .await
        .map_err(provider_errors::store)?
        .into_iter()
        .filter_map(|e| {
            Some(AuditEntry {
                kind: AuditKind::parse(&e.kind)?,
                device: device_label(&e.user_agent),
                ip: e.ip,
                at_ms: e.at_ms,
            })
        })
        .collect();
    Ok(SecurityOverview {
        totp_enabled: customer.user.totp_enabled_at_ms.is_some(),
        recovery_codes_left: store
            .unused_recovery_codes(user_id)
            .await
            .map_err(provider_errors::store)?,
        sessions,
        audit,
    })
}

/// Signs one of the customer's sessions out; another customer's id is not found.
pub async fn revoke(
    state: &AppState,
    customer: &Customer,
    session_id: &str,
) -> Result<(), AppError> {
    let done = state
        .store
        .revoke_session(customer.user_id(), session_id, "revoked_by_user", now_ms())
        .await
        .map_err(provider_errors::store)?;
    if !done {
        return Err(with_status(AppError::NotFound));
    }
    if session_id == customer.identity.session_id {
        sessions::set_cookies(crate::server::auth::middleware::clear_all(&state.auth));
    }
    audit_here(state, customer, AuditKind::SessionRevoked).await;
    Ok(())
}

async fn check_password(customer: &Customer, current: &str) -> Result<(), AppError> {
    if password::verify(current, &customer.user.password_hash).await {
        Ok(())
    } else {
        Err(with_status(AppError::field(
            "current_password",
            FieldProblem::Incorrect,
        )))
    }
}

/// Changes the password and signs out every other session.
pub async fn change_password(
    state: &AppState,
    customer: &Customer,
    current: &str,
    new: &str,
) -> Result<(), AppError> {
    check_password(customer, current).await?;
    if let Some(problem) = password_problem(new, &customer.user.email) {
        return Err(with_status(AppError::field("new_password", problem)));
    }
    let hash = password::hash(new).await.map_err(internal)?;
    let store = &state.store;
    store
        .set_password_hash(customer.user_id(), &hash, now_ms())
        .await
        .map_err(provider_errors::store)?;
    store
        .revoke_sessions(
            customer.user_id(),
            Some(&customer.identity.session_id),
            "password_changed",
            now_ms(),
        )
        .await
        .map_err(provider_errors::store)?;
    audit_here(state, customer, AuditKind::PasswordChanged).await;
    Ok(())
}

/// Starts 2FA enrolment: a new secret (pending until confirmed) and its QR code.
pub async fn begin_totp(state: &AppState, customer: &Customer) -> Result<TotpEnrolment, AppError> {
    if customer.user.totp_enabled_at_ms.is_some() {
        return Err(with_status(AppError::Conflict));
    }
    let secret = totp::new_secret();
    state
        .store
        .set_totp(customer.user_id(), Some(&secret), None, now_ms())
        .await
        .map_err(provider_errors::store)?;
    Ok(TotpEnrolment {
        qr_svg: totp::qr_svg(&secret, &customer.user.email).map_err(internal)?,
        secret: totp::grouped(&secret),
    })
}

/// Confirms enrolment with a code from the app; returns the recovery codes (shown once).
pub async fn enable_totp(
    state: &AppState,
    customer: &Customer,
    code: &str,
) -> Result<Vec<String>, AppError> {
    if customer.user.totp_enabled_at_ms.is_some() || customer.user.totp_secret.is_none() {
        return Err(with_status(AppError::Conflict));
    }
    if !login::check_code(state, &customer.user, code).await? {
        return Err(with_status(AppError::field(
            "code",
            FieldProblem::Incorrect,
        )));
    }
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
    let hashes: Vec<String> = codes.iter().map(|c| hash_token(c)).collect();
    let store = &state.store;
    store
        .replace_recovery_codes(customer.user_id(), &hashes)
        .await
        .map_err(provider_errors::store)?;
    store
        .set_totp(
            customer.user_id(),
            customer.user.totp_secret.as_deref(),
            Some(now_ms()),
            now_ms(),
        )
        .await
        .map_err(provider_errors::store)?;
    audit_here(state, customer, AuditKind::TotpEnabled).await;
    Ok(codes)
}

/// Turns 2FA off (needs the password).
pub async fn disable_totp(
    state: &AppState,
    customer: &Customer,
    current: &str,
) -> Result<(), AppError> {
    check_password(customer, current).await?;
    let store = &state.store;
    store
        .set_totp(customer.user_id(), None, None, now_ms())
        .await
        .map_err(provider_errors::store)?;
    store
        .replace_recovery_codes(customer.user_id(), &[])
        .await
        .map_err(provider_errors::store)?;
    audit_here(state, customer, AuditKind::TotpDisabled).await;
    Ok(())
}
