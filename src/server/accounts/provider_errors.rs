//! Provider failures as the customer should see them: a provider that is down, slow or
//! throttling is `Unavailable` (try again later; nothing was half-done that a retry will not
//! finish); anything unexpected is logged with its cause and becomes `Internal`.

use crate::error::{AppError, FieldProblem};
use crate::server::errors::{internal, with_status};
use crate::server::integrations::salesforce::SalesforceError;
use crate::server::integrations::whmcs::WhmcsError;

/// A WHMCS failure for the customer.
pub fn whmcs(err: WhmcsError) -> AppError {
    if err.is_transient() {
        tracing::warn!(error = %err, "WHMCS unavailable");
        return with_status(AppError::Unavailable);
    }
    match err.field() {
        Some("email") => with_status(AppError::field("email", FieldProblem::Taken)),
        _ => internal(anyhow::Error::new(err).context("WHMCS call failed")),
    }
}

/// A Salesforce failure for the customer.
pub fn salesforce(err: SalesforceError) -> AppError {
    if err.is_transient() {
        tracing::warn!(error = %err, "Salesforce unavailable");
        with_status(AppError::Unavailable)
    } else {
        internal(anyhow::Error::new(err).context("Salesforce call failed"))
    }
}

/// A store failure.
pub fn store(err: crate::server::store::StoreError) -> AppError {
    internal(anyhow::Error::new(err).context("store operation failed"))
}
