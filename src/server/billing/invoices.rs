//! Invoice reads: a page of the customer's invoices (optionally one status), and one invoice
//! with its lines and payments after checking it is theirs.

use super::{currency_context, whmcs_error};
use crate::domain::billing::{Invoice, InvoicePage, InvoiceStatus};
use crate::error::AppError;
use crate::server::auth::customer::Customer;
use crate::server::cache::{Cached, DataKind};
use crate::server::state::AppState;

/// Invoices per page.
pub const PER_PAGE: u32 = 10;

/// The cache namespace of a user's invoices (invalidated after a payment).
pub fn namespace(user_id: &str) -> String {
    format!("user:{user_id}:invoices")
}

/// Page `page` (from 1) of the customer's invoices, newest first, optionally only `status`.
pub async fn invoices(
    state: &AppState,
    customer: &Customer,
    status: Option<InvoiceStatus>,
    page: u32,
) -> Result<Cached<InvoicePage>, AppError> {
    let client_id = customer.whmcs_client_id()?;
    let page = page.max(1);
    let ctx = currency_context(state).await?;
    let key = format!("page:{page}:{}", status.map_or("all", InvoiceStatus::key));
    let whmcs = &state.providers.whmcs;
    state
        .cache
        .get_or_load(
            &namespace(customer.user_id()),
            &key,
            state.cache.ttl(DataKind::Invoices),
            || async {
                whmcs
                    .invoices(&ctx, client_id, status, page, PER_PAGE)
                    .await
            },
        )
        .await
        .map_err(whmcs_error)
}

/// One of the customer's invoices; someone else's (or an unknown id) is `NotFound`. `fresh`
/// drops the customer's cached invoices first (they just came back from paying).
pub async fn invoice(
    state: &AppState,
    customer: &Customer,
    id: u32,
    fresh: bool,
) -> Result<Cached<Invoice>, AppError> {
    // A customer without a billing record has no invoices to read.
    customer.whmcs_client_id()?;
    let ns = namespace(customer.user_id());
    if fresh && let Err(err) = state.cache.invalidate(&ns).await {
        tracing::warn!(error = %err, "could not invalidate the invoice cache");
    }
    let ctx = currency_context(state).await?;
    let whmcs = &state.providers.whmcs;
    let cached = state
        .cache
        .get_or_load(
            &ns,
            &format!("invoice:{id}"),
            state.cache.ttl(DataKind::Invoices),
            || async { whmcs.invoice(&ctx, id).await },
        )
        .await
        .map_err(whmcs_error)?;
    let (owner, invoice) = cached.value;
    // Defence in depth: the namespace is the customer's, but the owner is checked every time.
    customer.owns_whmcs(owner)?;
    Ok(Cached {
        value: invoice,
        as_of: cached.as_of,
        stale: cached.stale,
    })
}
