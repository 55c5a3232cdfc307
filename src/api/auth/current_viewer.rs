//! `current_viewer`: who is signed in, for the header (None for visitors).

use crate::domain::account::Viewer;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in customer, if any.
#[server(prefix = "/api", endpoint = "auth/viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    let Some(customer) = crate::server::auth::customer::signed_in_customer().await? else {
        return Ok(None);
    };
    let state = crate::server::context::state()?;
    // A count from the stored choices alone: no catalog read on every navigation.
    let cart_units = state
        .store
        .cart(customer.user_id())
        .await
        .map_err(crate::server::accounts::provider_errors::store)?
        .choices
        .iter()
        .map(|c| c.quantity)
        .sum();
    Ok(Some(Viewer {
        email: customer.user.email.clone(),
        cart_units,
    }))
}
