//! Paying an invoice: a one-time WHMCS single sign-on link to the invoice's payment page,
//! returning to the portal's invoice page with `?paid=1` (which refreshes the cached invoices).

use super::{currency_context, whmcs_error};
use crate::error::AppError;
use crate::server::accounts::email_links::origin;
use crate::server::auth::customer::Customer;
use crate::server::errors::with_status;
use crate::server::integrations::whmcs::SsoDestination;
use crate::server::state::AppState;

/// The single sign-on URL that lets the customer pay invoice `id` in WHMCS. Not theirs →
/// `NotFound`; nothing to pay → `Conflict`. Never cache or log the URL.
pub async fn pay_url(state: &AppState, customer: &Customer, id: u32) -> Result<String, AppError> {
    let client_id = customer.whmcs_client_id()?;
    let ctx = currency_context(state).await?;
    let whmcs = &state.providers.whmcs;
    // Read uncached: the status must be current to decide whether there is anything to pay.
    let (owner, invoice) = whmcs.invoice(&ctx, id).await.map_err(whmcs_error)?;
    customer.owns_whmcs(owner)?;
    if !invoice.summary.status.is_outstanding() {
        return Err(with_status(AppError::Conflict));
    }
    let return_url = format!("{}/billing/invoices/{id}?paid=1", origin(state));
    whmcs
        .create_sso_token(client_id, SsoDestination::InvoicePay(id), Some(&return_url))
        .await
        .map_err(whmcs_error)
}
