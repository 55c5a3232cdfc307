//! Payment methods: the customer's stored cards and bank accounts, and the one-time WHMCS
//! single sign-on link to add one or manage them (remove, make default). The portal never sees
//! card data: WHMCS's own pages take it and send the customer back to
//! `/billing/payment-methods?updated=1`, which refreshes the list.
//!
//! The list is cached in its own namespace, `user:{id}:paymethods` (not the invoices'), so a
//! card change does not throw away the invoice pages and a payment does not drop the cards.

use super::whmcs_error;
use crate::domain::billing::PayMethod;
use crate::error::AppError;
use crate::server::accounts::email_links::origin;
use crate::server::auth::customer::Customer;
use crate::server::cache::{Cached, DataKind};
use crate::server::integrations::whmcs::SsoDestination;
use crate::server::state::AppState;

/// Where WHMCS sends the customer back to after adding or managing a method.
const RETURN_PATH: &str = "/billing/payment-methods?updated=1";

/// The cache namespace of a user's payment methods.
pub fn pay_methods_namespace(user_id: &str) -> String {
    format!("user:{user_id}:paymethods")
}

/// The customer's payment methods, the default first. `fresh` drops the cached list first
/// (they are back from changing it in WHMCS).
pub async fn pay_methods(
    state: &AppState,
    customer: &Customer,
    fresh: bool,
) -> Result<Cached<Vec<PayMethod>>, AppError> {
    let client_id = customer.whmcs_client_id()?;
    let ns = pay_methods_namespace(customer.user_id());
    if fresh && let Err(err) = state.cache.invalidate(&ns).await {
        tracing::warn!(error = %err, "could not invalidate the payment methods cache");
    }
    let whmcs = &state.providers.whmcs;
    let mut cached = state
        .cache
        .get_or_load(
            &ns,
            "all",
            state.cache.ttl(DataKind::PayMethods),
            || async { whmcs.pay_methods(client_id).await },
        )
        .await
        .map_err(whmcs_error)?;
    // Stable: apart from the default, WHMCS's preference order is kept.
    cached.value.sort_by_key(|m| !m.is_default);
    Ok(cached)
}

/// The single sign-on URL to WHMCS's add-a-card form (`add`) or its list of payment methods
/// (remove, make default). Never cache or log it.
pub async fn manage_pay_methods_url(
    state: &AppState,
    customer: &Customer,
    add: bool,
) -> Result<String, AppError> {
    let client_id = customer.whmcs_client_id()?;
    let destination = if add {
        SsoDestination::AddPayMethod
    } else {
        SsoDestination::PayMethods
    };
    let return_url = format!("{}{RETURN_PATH}", origin(state));
    state
        .providers
        .whmcs
        .create_sso_token(client_id, destination, Some(&return_url))
        .await
        .map_err(whmcs_error)
}
