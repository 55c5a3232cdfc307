//! `list_pay_methods` / `manage_pay_methods`: the customer's stored payment methods, and the
//! way to WHMCS's own pages to add or remove one (single sign-on), from a plain form post or a
//! hydrated one alike.

use crate::api::Snapshot;
use crate::domain::billing::PayMethod;
use crate::error::AppError;
use leptos::prelude::*;

/// The customer's payment methods, the default first. `updated`: they are back from changing
/// them in WHMCS, so the cached list is refreshed first.
#[server(prefix = "/api", endpoint = "billing/pay-methods")]
pub async fn list_pay_methods(
    #[server(default)] updated: bool,
) -> Result<Snapshot<Vec<PayMethod>>, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    let cached = crate::server::billing::pay_methods(&state, &customer, updated).await?;
    Ok(cached.into())
}

/// Redirects to a one-time WHMCS link: its add-a-card form (`add`) or its list of payment
/// methods (remove, make default). WHMCS sends the customer back to
/// `/billing/payment-methods?updated=1`. Returns the link too, for callers that follow it
/// themselves.
#[server(prefix = "/api", endpoint = "billing/pay-methods/manage")]
pub async fn manage_pay_methods(#[server(default)] add: bool) -> Result<String, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    let url = crate::server::billing::manage_pay_methods_url(&state, &customer, add).await?;
    leptos_axum::redirect(&url);
    Ok(url)
}
