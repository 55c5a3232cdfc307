//! Linking an existing billing customer: they prove ownership with their WHMCS credentials
//! (ValidateLogin + the clients their user owns), choose a portal password, and the portal
//! creates the user and whatever Salesforce records are missing. The email is the one WHMCS
//! holds, which the proof of ownership vouches for, so the customer is signed in at once.

use super::{provider_errors, provisioning, sessions};
use crate::domain::account::{AuditKind, password_problem};
use crate::domain::common::lang::Lang;
use crate::domain::customer::normalize_email;
use crate::error::{AppError, FieldProblem};
use crate::server::auth::client_info::ClientInfo;
use crate::server::auth::{audit, password};
use crate::server::errors::{internal, with_status};
use crate::server::state::AppState;
use crate::server::store::{STATUS_ACTIVE, STATUS_PROVISIONING, UserLink, UserRecord, unix_ms};

/// Links and signs in.
pub async fn link_existing(
    state: &AppState,
    email: &str,
    billing_password: &str,
    new_password: &str,
    lang: Lang,
) -> Result<(), AppError> {
    let client = ClientInfo::current();
    let email = normalize_email(email);
    let auth = &state.auth;
    super::login::throttle_sign_in(state, &client, &email).await?;
    if let Some(problem) = password_problem(new_password, &email) {
        return Err(with_status(AppError::field("new_password", problem)));
    }
    let owned = state
        .providers
        .whmcs
        .verify_owner(&email, billing_password)
        .await
        .map_err(provider_errors::whmcs)?;
    let Some(client_id) = owned else {
        state
            .limiter
            .record_failure(&email, auth.login_free_failures, auth.rate_window)
            .await;
        return Err(with_status(AppError::field(
            "credentials",
            FieldProblem::Incorrect,
        )));
    };
    state.limiter.record_success(&email).await;
    let details = state
        .providers
        .whmcs
        .client_details(client_id)
        .await
        .map_err(provider_errors::whmcs)?;
    let already = state
        .store
        .user_by_whmcs_client(i64::from(client_id))
        .await
        .map_err(provider_errors::store)?;
    if already.as_ref().is_some_and(|u| u.status == STATUS_ACTIVE) {
        // Already linked: sign in instead (they just proved who they are, so saying so is fine).
        return Err(with_status(AppError::field("email", FieldProblem::Taken)));
    }
    let hash = password::hash(new_password).await.map_err(internal)?;
    let now_ms = unix_ms(time::OffsetDateTime::now_utc());
    let user = match already {
        Some(user) => user,
        None => {
            let user = UserRecord {
                id: uuid::Uuid::new_v4().to_string(),
                email: normalize_email(&details.profile.email),
                password_hash: hash.clone(),
                status: STATUS_PROVISIONING.into(),
                locale: lang.tag().into(),
                email_verified_at_ms: Some(now_ms),
                totp_secret: None,
                totp_enabled_at_ms: None,
                totp_last_step: None,
                whmcs_client_id: Some(i64::from(client_id)),
                sf_account_id: None,
                sf_contact_id: None,
                created_at_ms: now_ms,
            };
            state.store.create_user(&user).await.map_err(|e| match e {
                crate::server::store::StoreError::Conflict(_) => {
                    with_status(AppError::field("email", FieldProblem::Taken))
                }
                other => provider_errors::store(other),
            })?;
            user
        }
    };
    state
        .store
        .set_password_hash(&user.id, &hash, now_ms)
        .await
        .map_err(provider_errors::store)?;
    state
        .store
        .set_user_link(
            &user.id,
            &UserLink::WhmcsClient(i64::from(client_id)),
            now_ms,
        )
        .await
        .map_err(provider_errors::store)?;
    let user = UserRecord {
        whmcs_client_id: Some(i64::from(client_id)),
        ..user
    };
    provisioning::complete(
        state.store.as_ref(),
        &state.providers,
        &user,
        &details.profile,
    )
    .await?;
    state
        .store
        .mark_email_verified(&user.id, now_ms)
        .await
        .map_err(provider_errors::store)?;
    audit::record(state.store.as_ref(), &user.id, AuditKind::SignedUp, &client).await;
    sessions::start(state, &user.id, &client).await?;
    Ok(())
}
