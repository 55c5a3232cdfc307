//! Billing for the signed-in customer: pages of their invoices, one invoice (only their own),
//! the single sign-on link that sends them to WHMCS to pay one, and their stored payment
//! methods (listed here, added and removed in WHMCS through single sign-on). Reads go through
//! the cache (namespaces `user:{id}:invoices`, fresh for 90 s, and `user:{id}:paymethods`,
//! fresh for 120 s): for an hour after that a stale copy is served — marked with its age —
//! when WHMCS fails.
//!
//! Invoices also download as PDFs that the portal renders itself (`pdf`, served by
//! `pdf_download` at `/billing/invoices/{id}/pdf`).

mod currency;
mod invoices;
mod page_policy;
mod pay;
mod pay_methods;
mod pdf;
mod pdf_download;

pub use currency::currency_context;
pub use invoices::{PER_PAGE, invoice, invoices, namespace};
pub use page_policy::allow_payment_redirect;
pub use pay::pay_url;
pub use pay_methods::{manage_pay_methods_url, pay_methods, pay_methods_namespace};
pub use pdf::InvoicePdf;
pub use pdf_download::invoice_pdf;

use crate::error::AppError;
use crate::server::accounts::provider_errors;
use crate::server::errors::with_status;
use crate::server::integrations::whmcs::WhmcsError;

/// A WHMCS failure for the customer; an unknown record is `NotFound`. (Also used by the
/// services area, which reads the same billing system.)
pub(crate) fn whmcs_error(err: WhmcsError) -> AppError {
    match err {
        WhmcsError::NotFound { .. } => with_status(AppError::NotFound),
        other => provider_errors::whmcs(other),
    }
}
