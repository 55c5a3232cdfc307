//! The profile: read from the billing record (WHMCS holds the address invoices are sent to),
//! saved to WHMCS and then to the Salesforce Contact so both stay in step. A new email is not
//! applied until the customer opens the link mailed to it.

use super::{email_links, provider_errors};
use crate::domain::account::AuditKind;
use crate::domain::common::lang::Lang;
use crate::domain::customer::Profile;
use crate::error::{AppError, FieldProblem};
use crate::server::auth::audit;
use crate::server::auth::client_info::ClientInfo;
use crate::server::auth::customer::Customer;
use crate::server::errors::with_status;
use crate::server::integrations::salesforce::SalesforceId;
use crate::server::state::AppState;
use crate::server::store::{EmailPurpose, StoreError, unix_ms};

/// The customer's profile.
pub async fn load(state: &AppState, customer: &Customer) -> Result<Profile, AppError> {
    let client_id = customer.whmcs_client_id()?;
    let details = state
        .providers
        .whmcs
        .client_details(client_id)
        .await
        .map_err(provider_errors::whmcs)?;
    Ok(details.profile)
}

/// What saving changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Saved; the email is unchanged.
    Done,
    /// Saved; a confirmation link went to this new address.
    EmailPending(String),
}

/// Saves the profile to both systems. The email is kept until the new one is confirmed.
pub async fn save(
    state: &AppState,
    customer: &Customer,
    profile: Profile,
) -> Result<Saved, AppError> {
    let profile = profile
        .validated()
        .map_err(|fields| with_status(AppError::Validation { fields }))?;
    let new_email = (profile.email != customer.user.email).then(|| profile.email.clone());
    if let Some(email) = &new_email {
        let taken = state
            .store
            .user_by_email(email)
            .await
            .map_err(provider_errors::store)?
            .is_some();
        if taken {
            return Err(with_status(AppError::field("email", FieldProblem::Taken)));
        }
    }
    let stored = Profile {
        email: customer.user.email.clone(),
        ..profile.clone()
    };
    write_both(state, customer, &stored).await?;
    let client = ClientInfo::current();
    audit::record(
        state.store.as_ref(),
        customer.user_id(),
        AuditKind::ProfileUpdated,
        &client,
    )
    .await;
    match new_email {
        None => Ok(Saved::Done),
        Some(email) => {
            let lang = Lang::parse(&customer.user.locale).unwrap_or_default();
            email_links::send(
                state,
                customer.user_id(),
                EmailPurpose::ChangeEmail,
                &email,
                Some(&email),
                &profile.name.display(lang),
                lang,
            )
            .await?;
            Ok(Saved::EmailPending(email))
        }
    }
}

/// WHMCS first (the billing address matters most), then Salesforce. If Salesforce fails the
/// customer is told it did not save; saving again re-applies both (updates are idempotent).
async fn write_both(
    state: &AppState,
    customer: &Customer,
    profile: &Profile,
) -> Result<(), AppError> {
    state
        .providers
        .whmcs
        .update_client(customer.whmcs_client_id()?, profile)
        .await
        .map_err(provider_errors::whmcs)?;
    let contact = SalesforceId::parse(customer.sf_contact_id()?)
        .map_err(|e| crate::server::errors::internal(anyhow::anyhow!("stored contact id: {e}")))?;
    state
        .providers
        .salesforce
        .update_contact(&contact, profile)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "profile saved in WHMCS but not in Salesforce; the customer was asked to retry");
            provider_errors::salesforce(e)
        })
}

/// Applies a confirmed email change everywhere.
pub async fn apply_email_change(
    state: &AppState,
    user_id: &str,
    email: &str,
) -> Result<(), AppError> {
    let now_ms = unix_ms(time::OffsetDateTime::now_utc());
    let user = state
        .store
        .user_by_id(user_id)
        .await
        .map_err(provider_errors::store)?
        .ok_or_else(|| with_status(AppError::field("token", FieldProblem::Invalid)))?;
    let customer = Customer {
        identity: crate::server::auth::Identity {
            user_id: user.id.clone(),
            session_id: String::new(),
        },
        user,
    };
    let mut profile = load(state, &customer).await?;
    profile.email = email.to_owned();
    write_both(state, &customer, &profile).await?;
    state
        .store
        .set_email(user_id, email, now_ms)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => with_status(AppError::field("email", FieldProblem::Taken)),
            other => provider_errors::store(other),
        })?;
    let client = ClientInfo::current();
    audit::record(
        state.store.as_ref(),
        user_id,
        AuditKind::EmailChanged,
        &client,
    )
    .await;
    Ok(())
}
