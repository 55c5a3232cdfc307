//! Making sure a portal user has its three records — WHMCS client, Salesforce Account,
//! Salesforce Contact — creating only what is missing, recording each id the moment it is
//! known, then marking the user active. Called by sign-up, by linking, and again by sign-in
//! when an earlier attempt stopped halfway.

use super::Providers;
use super::provider_errors;
use crate::domain::common::lang::Lang;
use crate::domain::customer::Profile;
use crate::error::AppError;
use crate::server::auth::secrets::random_token;
use crate::server::integrations::salesforce::SalesforceId;
use crate::server::store::{STATUS_ACTIVE, Store, UserLink, UserRecord, unix_ms};

fn now_ms() -> i64 {
    unix_ms(time::OffsetDateTime::now_utc())
}

/// Completes `user`'s provider records from `profile`. Idempotent.
pub async fn complete(
    store: &dyn Store,
    providers: &Providers,
    user: &UserRecord,
    profile: &Profile,
) -> Result<(), AppError> {
    let lang = Lang::parse(&user.locale).unwrap_or_default();
    // 1. WHMCS client: adopt the one with this email (our own earlier attempt, or a billing
    //    customer — who can only use the portal after proving the email is theirs) or create.
    let client_id = match user.whmcs_client_id.and_then(|id| u32::try_from(id).ok()) {
        Some(id) => id,
        None => {
            let existing = providers
                .whmcs
                .client_by_email(&user.email)
                .await
                .map_err(provider_errors::whmcs)?;
            let id = match existing {
                Some(client) => client.id,
                None => providers
                    .whmcs
                    .add_client(profile, &random_token(), lang)
                    .await
                    .map_err(provider_errors::whmcs)?,
            };
            store
                .set_user_link(&user.id, &UserLink::WhmcsClient(i64::from(id)), now_ms())
                .await
                .map_err(provider_errors::store)?;
            id
        }
    };
    // 2. Salesforce Account, found by its WHMCS client id field.
    let account = match user.sf_account_id.as_deref().map(SalesforceId::parse) {
        Some(Ok(id)) => id,
        _ => {
            let found = providers
                .salesforce
                .find_account_by_whmcs_client(client_id)
                .await
                .map_err(provider_errors::salesforce)?;
            let id = match found {
                Some(id) => id,
                None => providers
                    .salesforce
                    .create_account(&profile.name.display(Lang::Ja), client_id)
                    .await
                    .map_err(provider_errors::salesforce)?,
            };
            store
                .set_user_link(
                    &user.id,
                    &UserLink::SalesforceAccount(id.as_str().to_owned()),
                    now_ms(),
                )
                .await
                .map_err(provider_errors::store)?;
            id
        }
    };
    // 3. Salesforce Contact on that Account.
    if user.sf_contact_id.is_none() {
        let found = providers
            .salesforce
            .find_contact(&account, &user.email)
            .await
            .map_err(provider_errors::salesforce)?;
        let id = match found {
            Some(id) => id,
            None => providers
                .salesforce
                .create_contact(&account, profile)
                .await
                .map_err(provider_errors::salesforce)?,
        };
        store
            .set_user_link(
                &user.id,
                &UserLink::SalesforceContact(id.as_str().to_owned()),
                now_ms(),
            )
            .await
            .map_err(provider_errors::store)?;
    }
    store
        .set_user_status(&user.id, STATUS_ACTIVE, now_ms())
        .await
        .map_err(provider_errors::store)?;
    Ok(())
}
