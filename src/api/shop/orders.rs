//! `list_orders` / `get_order`: the customer's orders from the CRM.

use crate::api::Snapshot;
use crate::domain::orders::Order;
use crate::error::AppError;
use leptos::prelude::*;

/// The customer's orders, newest first.
#[server(prefix = "/api", endpoint = "orders")]
pub async fn list_orders() -> Result<Snapshot<Vec<Order>>, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    Ok(crate::server::orders::orders(&state, &customer)
        .await?
        .into())
}

/// One of the customer's orders (`NotFound` for anyone else's).
#[server(prefix = "/api", endpoint = "orders/get")]
pub async fn get_order(id: String) -> Result<Snapshot<Order>, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    Ok(crate::server::orders::order(&state, &customer, &id)
        .await?
        .into())
}
