//! Service reads: the customer's services in WHMCS's order, and one service after checking it
//! is theirs.

use crate::domain::services::Service;
use crate::error::AppError;
use crate::server::auth::customer::Customer;
use crate::server::billing::{currency_context, whmcs_error};
use crate::server::cache::{Cached, DataKind};
use crate::server::state::AppState;

/// The cache namespace of a user's services (invalidated after a cancellation request).
pub fn namespace(user_id: &str) -> String {
    format!("user:{user_id}:services")
}

/// All of the customer's services.
pub async fn services(
    state: &AppState,
    customer: &Customer,
) -> Result<Cached<Vec<Service>>, AppError> {
    let client_id = customer.whmcs_client_id()?;
    let ctx = currency_context(state).await?;
    let whmcs = &state.providers.whmcs;
    state
        .cache
        .get_or_load(
            &namespace(customer.user_id()),
            "all",
            state.cache.ttl(DataKind::Services),
            || async { whmcs.services(&ctx, client_id).await },
        )
        .await
        .map_err(whmcs_error)
}

/// One of the customer's services; someone else's (or an unknown id) is `NotFound`.
pub async fn service(
    state: &AppState,
    customer: &Customer,
    id: u32,
) -> Result<Cached<Service>, AppError> {
    // A customer without a billing record has no services to read.
    customer.whmcs_client_id()?;
    let ctx = currency_context(state).await?;
    let whmcs = &state.providers.whmcs;
    let cached = state
        .cache
        .get_or_load(
            &namespace(customer.user_id()),
            &format!("service:{id}"),
            state.cache.ttl(DataKind::Services),
            || async { whmcs.service(&ctx, id).await },
        )
        .await
        .map_err(whmcs_error)?;
    let (owner, service) = cached.value;
    // Defence in depth: the namespace is the customer's, but the owner is checked every time.
    customer.owns_whmcs(owner)?;
    Ok(Cached {
        value: service,
        as_of: cached.as_of,
        stale: cached.stale,
    })
}
