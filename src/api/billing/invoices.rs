//! `list_invoices` / `get_invoice`, with how old the data is (served from the cache, possibly
//! stale when WHMCS failed).

use crate::domain::billing::{Invoice, InvoicePage};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A page of invoices and how current it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceList {
    /// The page.
    pub page: InvoicePage,
    /// The status filter applied (its key), if any.
    pub status: Option<String>,
    /// When it was fetched from the billing system (Unix ms).
    pub as_of: i64,
    /// True when the billing system failed and this is an older copy.
    pub stale: bool,
}

/// One invoice and how current it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    /// The invoice.
    pub invoice: Invoice,
    /// When it was fetched from the billing system (Unix ms).
    pub as_of: i64,
    /// True when the billing system failed and this is an older copy.
    pub stale: bool,
}

/// Page `page` (from 1) of the customer's invoices; `status` is a status key (`unpaid`,
/// `overdue`…), blank for all.
#[server(prefix = "/api", endpoint = "billing/invoices")]
pub async fn list_invoices(
    #[server(default)] status: Option<String>,
    #[server(default)] page: u32,
) -> Result<InvoiceList, AppError> {
    use crate::domain::billing::InvoiceStatus;
    use crate::server::errors::with_status;
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    let status = match status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(key) => {
            Some(InvoiceStatus::from_key(key).ok_or_else(|| with_status(AppError::BadRequest))?)
        }
    };
    let cached = crate::server::billing::invoices(&state, &customer, status, page).await?;
    Ok(InvoiceList {
        page: cached.value,
        status: status.map(|s| s.key().to_owned()),
        as_of: unix_ms(cached.as_of),
        stale: cached.stale,
    })
}

/// One of the customer's invoices (`NotFound` for anyone else's). `paid`: they are back from
/// paying it, so the cached invoices are refreshed first.
#[server(prefix = "/api", endpoint = "billing/invoice")]
pub async fn get_invoice(id: u32, #[server(default)] paid: bool) -> Result<InvoiceView, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    let cached = crate::server::billing::invoice(&state, &customer, id, paid).await?;
    Ok(InvoiceView {
        invoice: cached.value,
        as_of: unix_ms(cached.as_of),
        stale: cached.stale,
    })
}

#[cfg(feature = "ssr")]
fn unix_ms(at: time::OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}
