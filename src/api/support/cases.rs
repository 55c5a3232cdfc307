//! `list_cases` / `get_case`: the customer's support cases from the CRM.

use crate::api::Snapshot;
use crate::domain::support::{CaseDetail, CaseSummary};
use crate::error::AppError;
use leptos::prelude::*;

/// The customer's cases, most recent activity first.
#[server(prefix = "/api", endpoint = "support/cases")]
pub async fn list_cases() -> Result<Snapshot<Vec<CaseSummary>>, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    Ok(crate::server::support::read::cases(&state, &customer)
        .await?
        .into())
}

/// One of the customer's cases with its conversation (`NotFound` for anyone else's).
#[server(prefix = "/api", endpoint = "support/case")]
pub async fn get_case(id: String) -> Result<Snapshot<CaseDetail>, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    Ok(crate::server::support::read::case(&state, &customer, &id)
        .await?
        .into())
}

/// What a customer may attach (sizes and types), for the forms' hints and `accept`.
#[server(prefix = "/api", endpoint = "support/file-rules")]
pub async fn file_rules() -> Result<crate::domain::support::FileRules, AppError> {
    let state = crate::server::context::state()?;
    Ok(state.support.files.clone())
}
