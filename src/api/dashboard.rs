//! `get_dashboard`: the signed-in customer's overview in one call — each part with its own
//! outcome, so a failing part does not hide the others. Visitors get `None` (not an error: the
//! start page is public and shows them its welcome, with a 200).

use super::Snapshot;
use crate::domain::billing::InvoiceSummary;
use crate::domain::dashboard::{Outstanding, ServiceCounts};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How many of the newest invoices the dashboard lists.
pub const LATEST: usize = 5;

/// The dashboard's parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardView {
    /// What is owed and what is due next.
    pub outstanding: Result<Snapshot<Outstanding>, AppError>,
    /// The newest invoices (at most [`LATEST`]).
    pub latest: Result<Snapshot<Vec<InvoiceSummary>>, AppError>,
    /// How many services run.
    pub services: Result<Snapshot<ServiceCounts>, AppError>,
}

/// The signed-in customer's dashboard.
#[server(prefix = "/api", endpoint = "dashboard")]
pub async fn get_dashboard() -> Result<Option<DashboardView>, AppError> {
    let state = crate::server::context::state()?;
    let Some(customer) = crate::server::auth::customer::signed_in_customer().await? else {
        return Ok(None);
    };
    let data = crate::server::dashboard::dashboard(&state, &customer).await;
    Ok(Some(DashboardView {
        outstanding: data.outstanding.map(Snapshot::from),
        latest: data.latest.map(|c| {
            Snapshot::from(c.map(|mut items| {
                items.truncate(LATEST);
                items
            }))
        }),
        services: data.services.map(Snapshot::from),
    }))
}
