//! `list_products` / `get_product`: the catalog, for everyone (visitors included).

use crate::api::Snapshot;
use crate::domain::catalog::Product;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The catalog and the consumption tax rate its prices are shown with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogView {
    /// Products on sale, in the CRM's order.
    pub products: Vec<Product>,
    /// Hundredths of a percent.
    pub tax_rate_bp: u32,
}

#[cfg(feature = "ssr")]
async fn catalog_view() -> Result<crate::server::cache::Cached<CatalogView>, AppError> {
    let state = crate::server::context::state()?;
    let rate = state.tax_rate_bp;
    Ok(crate::server::catalog::products(&state)
        .await?
        .map(|products| CatalogView {
            products,
            tax_rate_bp: rate,
        }))
}

/// Every product on sale.
#[server(prefix = "/api", endpoint = "catalog")]
pub async fn list_products() -> Result<Snapshot<CatalogView>, AppError> {
    Ok(catalog_view().await?.into())
}

/// One product on sale (`NotFound` otherwise), with the whole catalog so the page can show
/// its activation fee and the options that go with it.
#[server(prefix = "/api", endpoint = "catalog/product")]
pub async fn get_product(id: String) -> Result<Snapshot<(Product, CatalogView)>, AppError> {
    let all = catalog_view().await?;
    let product = all
        .value
        .products
        .iter()
        .find(|p| p.id == id)
        .cloned()
        .ok_or_else(|| crate::server::errors::with_status(AppError::NotFound))?;
    Ok(all.map(|catalog| (product, catalog)).into())
}
