//! `list_services` / `get_service`, with how old the data is (served from the cache, possibly
//! stale when WHMCS failed).

use crate::api::Snapshot;
use crate::domain::services::Service;
use crate::error::AppError;
use leptos::prelude::*;

/// The customer's services, in the billing system's order.
#[server(prefix = "/api", endpoint = "services")]
pub async fn list_services() -> Result<Snapshot<Vec<Service>>, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    let cached = crate::server::services::services(&state, &customer).await?;
    Ok(cached.into())
}

/// One of the customer's services (`NotFound` for anyone else's).
#[server(prefix = "/api", endpoint = "services/get")]
pub async fn get_service(id: u32) -> Result<Snapshot<Service>, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    let cached = crate::server::services::service(&state, &customer, id).await?;
    Ok(cached.into())
}
