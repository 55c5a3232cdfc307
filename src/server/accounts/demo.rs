//! Sandbox only: the seed's demo customers get portal users (password = the seed's demo
//! password, email verified, linked to their simulator records) at start, so the demo and the
//! end-to-end tests can sign in at once. Customers marked `portal_user: false` are left for the
//! "link your billing account" journey.
//!
//! The simulators keep their records in memory, so after a restart the provider records of
//! accounts created in an earlier sandbox run no longer exist (and their ids would be handed out
//! again). Those portal users are removed at start, with a warning, so that the portal never
//! points at another customer's records.

use crate::sandbox::SeedData;
use crate::server::auth::password;
use crate::server::state::AppState;
use crate::server::store::{STATUS_ACTIVE, UserRecord, unix_ms};

/// Creates the missing demo users.
pub async fn ensure_demo_users(state: &AppState, seed: &SeedData) -> anyhow::Result<()> {
    let now_ms = unix_ms(time::OffsetDateTime::now_utc());
    let seeded: Vec<String> = seed
        .customers
        .iter()
        .filter(|c| c.portal_user)
        .map(|c| c.email.to_lowercase())
        .collect();
    let mut removed = 0;
    for (id, email) in state.store.all_users().await? {
        if !seeded.contains(&email) {
            state.store.delete_user(&id).await?;
            removed += 1;
        }
    }
    if removed > 0 {
        tracing::warn!(
            removed,
            "sandbox restarted: removed the portal accounts of an earlier run (the simulators keep their records in memory)"
        );
    }
    let mut hash = None;
    for c in seed.customers.iter().filter(|c| c.portal_user) {
        let email = c.email.to_lowercase();
        if state.store.user_by_email(&email).await?.is_some() {
            continue;
        }
        let hash = match &hash {
            Some(h) => Clone::clone(h),
            None => {
                let h = password::hash(&seed.demo_password).await?;
                hash = Some(h.clone());
                h
            }
        };
        state
            .store
            .create_user(&UserRecord {
                id: uuid::Uuid::new_v4().to_string(),
                email,
                password_hash: hash,
                status: STATUS_ACTIVE.into(),
                locale: c.locale.clone(),
                email_verified_at_ms: Some(now_ms),
                totp_secret: None,
                totp_enabled_at_ms: None,
                totp_last_step: None,
                whmcs_client_id: Some(i64::from(c.whmcs_client_id)),
                sf_account_id: c.salesforce_account_id.clone(),
                sf_contact_id: c.salesforce_contact_id.clone(),
                created_at_ms: now_ms,
            })
            .await?;
        tracing::info!(email = %c.email, password = %seed.demo_password, "sandbox demo customer ready (sandbox-only credentials)");
    }
    Ok(())
}
