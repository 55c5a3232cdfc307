//! Billing for the signed-in customer: pages of their invoices, one invoice (only their own),
//! and the single sign-on link that sends them to WHMCS to pay one. Reads go through the cache
//! (namespace `user:{id}:invoices`): fresh for 90 s, and for an hour after that a stale copy is
//! served — marked with its age — when WHMCS fails.

mod currency;
mod invoices;
mod page_policy;
mod pay;

pub use currency::currency_context;
pub use invoices::{PER_PAGE, invoice, invoices, namespace};
pub use page_policy::allow_payment_redirect;
pub use pay::pay_url;

use crate::error::AppError;
use crate::server::accounts::provider_errors;
use crate::server::errors::with_status;
use crate::server::integrations::whmcs::WhmcsError;

/// A WHMCS failure for the customer; an unknown record is `NotFound`.
fn whmcs_error(err: WhmcsError) -> AppError {
    match err {
        WhmcsError::NotFound { .. } => with_status(AppError::NotFound),
        other => provider_errors::whmcs(other),
    }
}
