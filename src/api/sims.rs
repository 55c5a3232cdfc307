//! The SIM pages' server functions (read-only): the customer's lines at a glance and one line
//! with its usage. Every one starts from `require_customer`; ownership and caching are the
//! server layer's (`server::sims`), so another customer's number is simply not found.

use crate::api::Snapshot;
use crate::domain::sim::{LineState, SimLine, SimUsage};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub mod actions;
pub mod alerts;
pub mod topup;

/// One line in the list: the WHMCS service it belongs to and, when the SIM platform answered,
/// its plan, data left and state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimSummary {
    /// The WHMCS service id.
    pub service_id: u32,
    /// The product name.
    pub product: String,
    /// The phone number, digits only (the detail page's URL segment).
    pub number: String,
    /// The phone number as it is written (`090-1234-5678`).
    pub formatted: String,
    /// The current plan, when known.
    pub plan: Option<String>,
    /// Megabytes left over the valid buckets, when known.
    pub data_left_mb: Option<u32>,
    /// The line's state, when known.
    pub state: Option<LineState>,
}

/// One line in full: the platform's details and, when available, its usage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimDetail {
    /// The WHMCS service id.
    pub service_id: u32,
    /// The product name.
    pub product: String,
    /// The line as the platform describes it.
    pub line: SimLine,
    /// Megabytes left over the valid buckets.
    pub data_left_mb: u32,
    /// Daily usage (`None` when the platform has none for this line).
    pub usage: Option<SimUsage>,
}

/// The customer's SIM lines (services carrying a phone number), in the billing system's order.
#[server(prefix = "/api", endpoint = "sims")]
pub async fn list_sims() -> Result<Snapshot<Vec<SimSummary>>, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    Ok(crate::server::sims::lines(&state, &customer).await?.into())
}

/// One of the customer's lines by its number (`NotFound` for anyone else's).
#[server(prefix = "/api", endpoint = "sims/get")]
pub async fn get_sim(number: String) -> Result<Snapshot<SimDetail>, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    Ok(crate::server::sims::line(&state, &customer, &number)
        .await?
        .into())
}
