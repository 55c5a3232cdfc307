//! The helper every server function uses to act for the signed-in customer, and only for
//! them: [`require_customer`] loads who is signed in (or fails with `Unauthenticated`), and
//! [`Customer`] hands out the customer's own provider ids. Data is only ever fetched by these
//! ids; a resource id from the browser is checked with [`Customer::owns_whmcs`] (or its
//! Salesforce twin), which answers `NotFound` for anyone else's — never "forbidden", so ids of
//! other customers cannot even be confirmed to exist.

use super::Identity;
use super::middleware::MaybeIdentity;
use crate::error::AppError;
use crate::server::context;
use crate::server::errors::with_status;
use crate::server::store::{STATUS_ACTIVE, UserRecord};

/// The signed-in customer.
#[derive(Debug, Clone)]
pub struct Customer {
    /// Session identity.
    pub identity: Identity,
    /// Their user row.
    pub user: UserRecord,
}

impl Customer {
    /// Portal user id.
    pub fn user_id(&self) -> &str {
        &self.identity.user_id
    }

    /// Their WHMCS client id; `NotFound` while it is not linked yet.
    pub fn whmcs_client_id(&self) -> Result<u32, AppError> {
        self.user
            .whmcs_client_id
            .and_then(|id| u32::try_from(id).ok())
            .ok_or_else(|| with_status(AppError::NotFound))
    }

    /// Their Salesforce Account id.
    pub fn sf_account_id(&self) -> Result<&str, AppError> {
        self.user
            .sf_account_id
            .as_deref()
            .ok_or_else(|| with_status(AppError::NotFound))
    }

    /// Their Salesforce Contact id.
    pub fn sf_contact_id(&self) -> Result<&str, AppError> {
        self.user
            .sf_contact_id
            .as_deref()
            .ok_or_else(|| with_status(AppError::NotFound))
    }

    /// `Ok` if a WHMCS resource belongs to this customer's client, else `NotFound`.
    pub fn owns_whmcs(&self, owner_client_id: u32) -> Result<(), AppError> {
        if self.whmcs_client_id()? == owner_client_id {
            Ok(())
        } else {
            Err(with_status(AppError::NotFound))
        }
    }

    /// `Ok` if a Salesforce record's Account is this customer's, else `NotFound`.
    pub fn owns_salesforce(&self, owner_account_id: &str) -> Result<(), AppError> {
        let mine = self.sf_account_id()?;
        // Compare the 15-character case-sensitive core: 15- and 18-character forms are equal.
        if mine.get(..15).is_some() && mine.get(..15) == owner_account_id.get(..15) {
            Ok(())
        } else {
            Err(with_status(AppError::NotFound))
        }
    }
}

/// The session identity of the current request, if any (set by the auth middleware).
pub fn identity() -> Option<Identity> {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<MaybeIdentity>().cloned())
        .and_then(|MaybeIdentity(identity)| identity)
}

/// The signed-in, fully set-up customer, or `Unauthenticated`.
pub async fn require_customer() -> Result<Customer, AppError> {
    signed_in_customer()
        .await?
        .ok_or_else(|| with_status(AppError::Unauthenticated))
}

/// The signed-in, fully set-up customer, if any (for pages that also serve visitors).
pub async fn signed_in_customer() -> Result<Option<Customer>, AppError> {
    let Some(identity) = identity() else {
        return Ok(None);
    };
    customer_of(&context::state()?, identity).await
}

/// The active customer behind a session identity, if any (for plain axum handlers, which find
/// the identity in the request's [`MaybeIdentity`] extension themselves).
pub async fn customer_of(
    state: &crate::server::state::AppState,
    identity: Identity,
) -> Result<Option<Customer>, AppError> {
    let user = state
        .store
        .user_by_id(&identity.user_id)
        .await
        .map_err(|e| crate::server::errors::internal(e.into()))?
        .filter(|u| u.status == STATUS_ACTIVE);
    Ok(user.map(|user| Customer { identity, user }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(client: Option<i64>, account: Option<&str>) -> Customer {
        Customer {
            identity: Identity {
                user_id: "u".into(),
                session_id: "s".into(),
            },
            user: UserRecord {
                id: "u".into(),
                email: "a@x.jp".into(),
                password_hash: String::new(),
                status: STATUS_ACTIVE.into(),
                locale: "ja".into(),
                email_verified_at_ms: Some(1),
                totp_secret: None,
                totp_enabled_at_ms: None,
                totp_last_step: None,
                whmcs_client_id: client,
                sf_account_id: account.map(str::to_owned),
                sf_contact_id: None,
                created_at_ms: 0,
            },
        }
    }

    #[test]
    fn another_customers_ids_are_not_found() {
        let me = customer(Some(1001), Some("001J5000003HanAIAS"));
        assert!(me.owns_whmcs(1001).is_ok());
        assert_eq!(me.owns_whmcs(1002), Err(AppError::NotFound));
        assert!(me.owns_salesforce("001J5000003HanAI").is_ok());
        assert!(me.owns_salesforce("001J5000003HanAIAS").is_ok());
        assert_eq!(
            me.owns_salesforce("001J5000003AlxMIAS"),
            Err(AppError::NotFound)
        );
        assert_eq!(me.owns_salesforce(""), Err(AppError::NotFound));
        let unlinked = customer(None, None);
        assert_eq!(unlinked.whmcs_client_id(), Err(AppError::NotFound));
        assert_eq!(
            unlinked.owns_salesforce("001J5000003HanAI"),
            Err(AppError::NotFound)
        );
    }
}
