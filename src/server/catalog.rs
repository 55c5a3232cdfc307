//! The catalog the portal sells from, read from Salesforce through the shared cache (one copy
//! for everyone, namespace [`NAMESPACE`], fresh for `[cache] catalog_fresh_secs` — 10 minutes by
//! default, within the seeds' 5–15). A stale copy stands in, marked "as of", while Salesforce
//! fails. `invalidate` drops it at once (the signed catalog-changed event calls it).

use crate::domain::catalog::Product;
use crate::error::AppError;
use crate::server::accounts::provider_errors;
use crate::server::cache::{Cached, DataKind};
use crate::server::state::AppState;

/// The cache namespace of the catalog.
pub const NAMESPACE: &str = "catalog";

/// Every product on sale, in the CRM's order.
pub async fn products(state: &AppState) -> Result<Cached<Vec<Product>>, AppError> {
    let catalog = &state.providers.catalog;
    state
        .cache
        .get_or_load(
            NAMESPACE,
            "products",
            state.cache.ttl(DataKind::Catalog),
            || async { catalog.products().await },
        )
        .await
        .map_err(provider_errors::salesforce)
}

/// Drops the cached catalog, so the next reader gets Salesforce's current one.
pub async fn invalidate(state: &AppState) -> Result<(), AppError> {
    state
        .cache
        .invalidate(NAMESPACE)
        .await
        .map_err(|e| crate::server::errors::internal(anyhow::Error::new(e)))
}
