//! `pay_invoice`: sends the browser to WHMCS's payment page for the invoice (single sign-on),
//! from a plain form post or a hydrated one alike.

use crate::error::AppError;
use leptos::prelude::*;

/// Redirects to a one-time WHMCS link for paying invoice `id`; WHMCS sends the customer back
/// to `/billing/invoices/{id}?paid=1`.
#[server(prefix = "/api", endpoint = "billing/pay")]
pub async fn pay_invoice(id: u32) -> Result<(), AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    let url = crate::server::billing::pay_url(&state, &customer, id).await?;
    leptos_axum::redirect(&url);
    Ok(())
}
