//! The dashboard's data: what is owed, the latest invoices and the services, read
//! **concurrently** (the page waits for the slowest WHMCS call, not their sum) and each
//! independently — one failing part shows its own error while the others render, and each
//! part may be a stale cached copy with its age.

use crate::domain::billing::{InvoiceStatus, InvoiceSummary};
use crate::domain::dashboard::{self, Outstanding, ServiceCounts};
use crate::error::AppError;
use crate::server::auth::customer::Customer;
use crate::server::billing::{self, currency_context, whmcs_error};
use crate::server::cache::{Cached, DataKind};
use crate::server::integrations::whmcs::billing::MAX_PER_PAGE;
use crate::server::services;
use crate::server::state::AppState;

/// The three parts, each read on its own.
pub struct DashboardData {
    /// Outstanding invoices, summed.
    pub outstanding: Result<Cached<Outstanding>, AppError>,
    /// The newest invoices (first page).
    pub latest: Result<Cached<Vec<InvoiceSummary>>, AppError>,
    /// Service counts.
    pub services: Result<Cached<ServiceCounts>, AppError>,
}

/// Reads the three parts at once.
pub async fn dashboard(state: &AppState, customer: &Customer) -> DashboardData {
    let (outstanding, latest, services) = tokio::join!(
        outstanding(state, customer),
        billing::invoices(state, customer, None, 1),
        services::services(state, customer),
    );
    DashboardData {
        outstanding: outstanding.map(|c| c.map(|list| dashboard::outstanding(&list))),
        latest: latest.map(|c| c.map(|page| page.items)),
        services: services.map(|c| c.map(|list| dashboard::service_counts(&list))),
    }
}

/// Every unpaid invoice (WHMCS' `Unpaid` includes the overdue ones), up to one full page.
async fn outstanding(
    state: &AppState,
    customer: &Customer,
) -> Result<Cached<Vec<InvoiceSummary>>, AppError> {
    let client_id = customer.whmcs_client_id()?;
    let ctx = currency_context(state).await?;
    let whmcs = &state.providers.whmcs;
    state
        .cache
        .get_or_load(
            &billing::namespace(customer.user_id()),
            "outstanding",
            state.cache.ttl(DataKind::Invoices),
            || async {
                whmcs
                    .invoices(
                        &ctx,
                        client_id,
                        Some(InvoiceStatus::Unpaid),
                        1,
                        MAX_PER_PAGE,
                    )
                    .await
                    .map(|page| page.items)
            },
        )
        .await
        .map_err(whmcs_error)
}
