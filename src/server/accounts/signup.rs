//! Sign-up of a new customer: validate, create (or resume) the portal user, make sure the
//! WHMCS client and Salesforce Account/Contact exist and are linked, and mail the verification
//! link. An email that already has an active account gets a password-reset mail instead of an
//! error, so the form never tells a stranger which emails are customers.

use super::{email_links, provider_errors, provisioning};
use crate::domain::account::{AuditKind, password_problem};
use crate::domain::common::lang::Lang;
use crate::domain::customer::Profile;
use crate::error::{AppError, FieldError};
use crate::server::auth::client_info::ClientInfo;
use crate::server::auth::{audit, password};
use crate::server::errors::{internal, with_status};
use crate::server::state::AppState;
use crate::server::store::{
    EmailPurpose, STATUS_ACTIVE, STATUS_PROVISIONING, StoreError, UserRecord, unix_ms,
};

/// Validates the form: profile fields and password together, every problem at once.
pub fn validate(profile: Profile, password: &str) -> Result<Profile, AppError> {
    let mut fields: Vec<FieldError> = Vec::new();
    let email = profile.email.clone();
    let profile = match profile.validated() {
        Ok(p) => Some(p),
        Err(errors) => {
            fields.extend(errors);
            None
        }
    };
    if let Some(problem) = password_problem(password, &email) {
        fields.push(FieldError {
            field: "password".into(),
            problem,
        });
    }
    match profile {
        Some(p) if fields.is_empty() => Ok(p),
        _ => Err(with_status(AppError::Validation { fields })),
    }
}

/// Signs a new customer up.
pub async fn sign_up(
    state: &AppState,
    profile: Profile,
    password_plain: &str,
    lang: Lang,
) -> Result<(), AppError> {
    let client = ClientInfo::current();
    state
        .limiter
        .hit_ip(
            "signup",
            &client.ip,
            state.auth.signup_per_ip,
            state.auth.rate_window,
        )
        .await
        .map_err(with_status)?;
    let profile = validate(profile, password_plain)?;
    let hash = password::hash(password_plain).await.map_err(internal)?;
    let now_ms = unix_ms(time::OffsetDateTime::now_utc());
    let existing = state
        .store
        .user_by_email(&profile.email)
        .await
        .map_err(provider_errors::store)?;
    let user = match existing {
        Some(user) if user.status == STATUS_ACTIVE => {
            // Already a customer: help them in without confirming it to whoever typed this.
            let name = profile.name.display(lang);
            return email_links::send(
                state,
                &user.id,
                EmailPurpose::Reset,
                &user.email,
                None,
                &name,
                Lang::parse(&user.locale).unwrap_or(lang),
            )
            .await;
        }
        Some(user) => {
            // An earlier attempt stopped halfway: resume it with the password given now.
            state
                .store
                .set_password_hash(&user.id, &hash, now_ms)
                .await
                .map_err(provider_errors::store)?;
            user
        }
        None => {
            let user = UserRecord {
                id: uuid::Uuid::new_v4().to_string(),
                email: profile.email.clone(),
                password_hash: hash,
                status: STATUS_PROVISIONING.into(),
                locale: lang.tag().into(),
                email_verified_at_ms: None,
                totp_secret: None,
                totp_enabled_at_ms: None,
                totp_last_step: None,
                whmcs_client_id: None,
                sf_account_id: None,
                sf_contact_id: None,
                created_at_ms: now_ms,
            };
            match state.store.create_user(&user).await {
                Ok(()) => user,
                // A parallel submit of the same form won the race: resume that one.
                Err(StoreError::Conflict(_)) => state
                    .store
                    .user_by_email(&profile.email)
                    .await
                    .map_err(provider_errors::store)?
                    .ok_or_else(|| with_status(AppError::Conflict))?,
                Err(other) => return Err(provider_errors::store(other)),
            }
        }
    };
    provisioning::complete(state.store.as_ref(), &state.providers, &user, &profile).await?;
    audit::record(state.store.as_ref(), &user.id, AuditKind::SignedUp, &client).await;
    email_links::send(
        state,
        &user.id,
        EmailPurpose::Verify,
        &user.email,
        None,
        &profile.name.display(lang),
        lang,
    )
    .await
}

/// Confirms an email address from its link (sign-up verification or a profile change).
pub async fn confirm_email(state: &AppState, token: &str) -> Result<(), AppError> {
    let client = ClientInfo::current();
    let now_ms = unix_ms(time::OffsetDateTime::now_utc());
    let (user_id, new_email) = email_links::consume_any(
        state,
        token,
        &[EmailPurpose::Verify, EmailPurpose::ChangeEmail],
    )
    .await?;
    match new_email {
        None => {
            state
                .store
                .mark_email_verified(&user_id, now_ms)
                .await
                .map_err(provider_errors::store)?;
            audit::record(
                state.store.as_ref(),
                &user_id,
                AuditKind::EmailVerified,
                &client,
            )
            .await;
        }
        Some(email) => super::profile::apply_email_change(state, &user_id, &email).await?,
    }
    Ok(())
}
