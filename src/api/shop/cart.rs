//! `get_cart`, `add_to_cart`, `update_cart`: the signed-in customer's cart.

use crate::api::Snapshot;
use crate::domain::cart::Cart;
use crate::error::AppError;
use leptos::prelude::*;

/// The customer's cart; `None` for a visitor (who has none).
#[server(prefix = "/api", endpoint = "cart")]
pub async fn get_cart() -> Result<Option<Snapshot<Cart>>, AppError> {
    let state = crate::server::context::state()?;
    let Some(customer) = crate::server::auth::customer::signed_in_customer().await? else {
        return Ok(None);
    };
    Ok(Some(
        crate::server::cart::cart(&state, &customer).await?.into(),
    ))
}

/// Adds `quantity` (default 1) of a plan or option; its activation fee comes with it. Sends
/// the browser to `/cart?added={product_id}`.
#[server(prefix = "/api", endpoint = "cart/add")]
pub async fn add_to_cart(
    product_id: String,
    #[server(default)] quantity: Option<u32>,
) -> Result<Snapshot<Cart>, AppError> {
    use crate::server::cart::{CartChange, change};
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    let cart = change(
        &state,
        &customer,
        CartChange::Add(product_id.clone(), quantity.unwrap_or(1)),
    )
    .await?;
    // Only a catalog product id gets this far (anything else was refused), so it is URL-safe.
    leptos_axum::redirect(&format!("/cart?added={product_id}"));
    Ok(cart.into())
}

/// Sets a line's quantity (0 removes it). Sends the browser back to `/cart`.
#[server(prefix = "/api", endpoint = "cart/update")]
pub async fn update_cart(product_id: String, quantity: u32) -> Result<Snapshot<Cart>, AppError> {
    use crate::server::cart::{CartChange, change};
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    let cart = change(&state, &customer, CartChange::Set(product_id, quantity)).await?;
    leptos_axum::redirect("/cart");
    Ok(cart.into())
}
