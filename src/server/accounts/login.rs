//! Signing in: password (with per-IP and per-account throttling, and the same answer and the
//! same time for unknown emails and wrong passwords), then the second factor when 2FA is on
//! (a TOTP code — each accepted once — or a recovery code), and password reset by emailed link.

use super::{email_links, provider_errors, provisioning, sessions};
use crate::domain::account::{AuditKind, password_problem};
use crate::domain::common::lang::Lang;
use crate::domain::customer::normalize_email;
use crate::error::{AppError, FieldProblem};
use crate::server::auth::client_info::ClientInfo;
use crate::server::auth::cookies::{self, SECOND_FACTOR};
use crate::server::auth::jwt::{self, Purpose};
use crate::server::auth::secrets::{hash_token, normalize_recovery_code};
use crate::server::auth::{audit, password, totp};
use crate::server::errors::{internal, with_status};
use crate::server::state::AppState;
use crate::server::store::{EmailPurpose, STATUS_ACTIVE, UserRecord, unix_ms};
use std::time::Duration;

/// How long the second step may take after the password was accepted.
const SECOND_FACTOR_TTL: Duration = Duration::from_secs(300);

/// What a correct password leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginStep {
    /// Signed in.
    Done,
    /// A code is needed (`/login/2fa`).
    SecondFactor,
}

fn incorrect() -> AppError {
    with_status(AppError::field("credentials", FieldProblem::Incorrect))
}

/// Checks email and password.
pub async fn login(
    state: &AppState,
    email: &str,
    password_plain: &str,
) -> Result<LoginStep, AppError> {
    let client = ClientInfo::current();
    let email = normalize_email(email);
    let auth = &state.auth;
    throttle_sign_in(state, &client, &email).await?;
    let user = state
        .store
        .user_by_email(&email)
        .await
        .map_err(provider_errors::store)?;
    let Some(user) = user else {
        password::verify_against_nothing(password_plain).await;
        state
            .limiter
            .record_failure(&email, auth.login_free_failures, auth.rate_window)
            .await;
        return Err(incorrect());
    };
    if !password::verify(password_plain, &user.password_hash).await {
        state
            .limiter
            .record_failure(&email, auth.login_free_failures, auth.rate_window)
            .await;
        audit::record(
            state.store.as_ref(),
            &user.id,
            AuditKind::LoginFailed,
            &client,
        )
        .await;
        return Err(incorrect());
    }
    if user.email_verified_at_ms.is_none() {
        return Err(with_status(AppError::field(
            "email_unverified",
            FieldProblem::Invalid,
        )));
    }
    if user.status != STATUS_ACTIVE {
        resume_provisioning(state, &user).await?;
    }
    state.limiter.record_success(&email).await;
    if user.totp_enabled_at_ms.is_some() {
        let now = time::OffsetDateTime::now_utc();
        let token = jwt::sign(
            auth,
            &user.id,
            "",
            Purpose::SecondFactor,
            SECOND_FACTOR_TTL,
            now,
        )
        .map_err(internal)?;
        sessions::set_cookies([cookies::set(
            SECOND_FACTOR,
            &token,
            SECOND_FACTOR_TTL,
            auth.secure_cookies,
        )]);
        return Ok(LoginStep::SecondFactor);
    }
    sessions::start(state, &user.id, &client).await?;
    Ok(LoginStep::Done)
}

/// Refuses a sign-in attempt (password, or WHMCS credentials when linking) while this IP or
/// this account is over its limit; counts the attempt against the IP.
pub(super) async fn throttle_sign_in(
    state: &AppState,
    client: &ClientInfo,
    email: &str,
) -> Result<(), AppError> {
    let auth = &state.auth;
    state
        .limiter
        .hit_ip("login", &client.ip, auth.login_per_ip, auth.rate_window)
        .await
        .map_err(with_status)?;
    state
        .limiter
        .check_account(email, auth.login_free_failures)
        .await
        .map_err(with_status)
}

/// Finishes a sign-up that stopped halfway, from the billing record (which exists if any step
/// succeeded) or, failing that, asks the customer to sign up again.
async fn resume_provisioning(state: &AppState, user: &UserRecord) -> Result<(), AppError> {
    let profile = match user.whmcs_client_id.and_then(|id| u32::try_from(id).ok()) {
        Some(id) => {
            state
                .providers
                .whmcs
                .client_details(id)
                .await
                .map_err(provider_errors::whmcs)?
                .profile
        }
        None => return Err(incorrect()),
    };
    provisioning::complete(state.store.as_ref(), &state.providers, user, &profile).await
}

/// Checks the second factor and signs in.
pub async fn second_factor(state: &AppState, code: &str) -> Result<(), AppError> {
    let client = ClientInfo::current();
    let auth = &state.auth;
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>()
        .ok_or_else(|| with_status(AppError::BadRequest))?;
    let token = cookies::read(&parts.headers, SECOND_FACTOR)
        .ok_or_else(|| with_status(AppError::Unauthenticated))?;
    let claims = jwt::verify(auth, &token, Purpose::SecondFactor)
        .map_err(|_| with_status(AppError::Unauthenticated))?;
    let user = state
        .store
        .user_by_id(&claims.sub)
        .await
        .map_err(provider_errors::store)?
        .ok_or_else(|| with_status(AppError::Unauthenticated))?;
    state
        .limiter
        .check_account(&user.email, auth.login_free_failures)
        .await
        .map_err(with_status)?;
    if check_code(state, &user, code).await? {
        state.limiter.record_success(&user.email).await;
        sessions::start(state, &user.id, &client).await?;
        Ok(())
    } else {
        state
            .limiter
            .record_failure(&user.email, auth.login_free_failures, auth.rate_window)
            .await;
        audit::record(
            state.store.as_ref(),
            &user.id,
            AuditKind::LoginFailed,
            &client,
        )
        .await;
        Err(with_status(AppError::field(
            "code",
            FieldProblem::Incorrect,
        )))
    }
}

/// A TOTP code (each time step accepted once) or an unused recovery code.
pub async fn check_code(state: &AppState, user: &UserRecord, code: &str) -> Result<bool, AppError> {
    let Some(secret) = user.totp_secret.as_deref() else {
        return Ok(false);
    };
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit()) {
        let now = u64::try_from(time::OffsetDateTime::now_utc().unix_timestamp()).unwrap_or(0);
        return match totp::matching_step(secret, &digits, now) {
            Some(step) => state
                .store
                .advance_totp_step(&user.id, step)
                .await
                .map_err(provider_errors::store),
            None => Ok(false),
        };
    }
    let now_ms = unix_ms(time::OffsetDateTime::now_utc());
    let used = state
        .store
        .use_recovery_code(
            &user.id,
            &hash_token(&normalize_recovery_code(code)),
            now_ms,
        )
        .await
        .map_err(provider_errors::store)?;
    if used {
        let client = ClientInfo::current();
        audit::record(
            state.store.as_ref(),
            &user.id,
            AuditKind::RecoveryCodeUsed,
            &client,
        )
        .await;
    }
    Ok(used)
}

/// Mails a reset link if the email has an account; answers the same either way.
pub async fn request_reset(state: &AppState, email: &str, lang: Lang) -> Result<(), AppError> {
    mail_link_to_account(state, email, lang, EmailPurpose::Reset).await
}

/// Resends the verification link of an unverified account (same answer for any email).
pub async fn resend_verification(
    state: &AppState,
    email: &str,
    lang: Lang,
) -> Result<(), AppError> {
    mail_link_to_account(state, email, lang, EmailPurpose::Verify).await
}

/// Mails a `purpose` link to the account with this email, if there is one (and, for a
/// verification link, if it is not verified yet); throttled per IP; the same answer either way.
async fn mail_link_to_account(
    state: &AppState,
    email: &str,
    lang: Lang,
    purpose: EmailPurpose,
) -> Result<(), AppError> {
    let client = ClientInfo::current();
    state
        .limiter
        .hit_ip(
            "reset",
            &client.ip,
            state.auth.signup_per_ip,
            state.auth.rate_window,
        )
        .await
        .map_err(with_status)?;
    let user = state
        .store
        .user_by_email(&normalize_email(email))
        .await
        .map_err(provider_errors::store)?
        .filter(|u| purpose != EmailPurpose::Verify || u.email_verified_at_ms.is_none());
    if let Some(user) = user {
        let lang = Lang::parse(&user.locale).unwrap_or(lang);
        email_links::send(
            state,
            &user.id,
            purpose,
            &user.email,
            None,
            &user.email,
            lang,
        )
        .await?;
    }
    Ok(())
}

/// Sets a new password from a reset link, signs out every session, and (having proved the
/// mailbox) marks the email verified.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    new_password: &str,
) -> Result<(), AppError> {
    let client = ClientInfo::current();
    if let Some(problem) = password_problem(new_password, "") {
        return Err(with_status(AppError::field("new_password", problem)));
    }
    let (user_id, _) = email_links::consume(state, token, EmailPurpose::Reset).await?;
    let hash = password::hash(new_password).await.map_err(internal)?;
    let now_ms = unix_ms(time::OffsetDateTime::now_utc());
    let store = &state.store;
    store
        .set_password_hash(&user_id, &hash, now_ms)
        .await
        .map_err(provider_errors::store)?;
    store
        .mark_email_verified(&user_id, now_ms)
        .await
        .map_err(provider_errors::store)?;
    store
        .revoke_sessions(&user_id, None, "password_reset", now_ms)
        .await
        .map_err(provider_errors::store)?;
    audit::record(store.as_ref(), &user_id, AuditKind::PasswordReset, &client).await;
    Ok(())
}
