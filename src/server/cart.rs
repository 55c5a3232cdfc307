//! The signed-in customer's cart: read it priced against the current catalog, and change it
//! (add, set a quantity, remove). Choices live in the store ([`crate::server::store::CartStore`]);
//! the rules (no activation fee on its own, quantities, the fee following its plans) are the
//! domain's ([`crate::domain::cart`]). Every write is conditional on the revision it was
//! computed from and retried a few times when another tab changed the cart meanwhile, so no
//! edit is lost or half applied.

use crate::domain::cart::{self, Cart, CartChoice, CartError};
use crate::domain::catalog::Product;
use crate::error::{AppError, FieldProblem};
use crate::server::accounts::provider_errors;
use crate::server::auth::customer::Customer;
use crate::server::cache::Cached;
use crate::server::errors::with_status;
use crate::server::state::AppState;
use crate::server::store::{CartWrite, unix_ms};
use time::OffsetDateTime;

/// Attempts at a conditional write before giving up with `Conflict`.
const WRITE_ATTEMPTS: usize = 3;

/// A new cart revision.
pub fn new_revision() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The customer's cart, priced with the (cached) catalog.
pub async fn cart(state: &AppState, customer: &Customer) -> Result<Cached<Cart>, AppError> {
    Ok(cart_and_catalog(state, customer)
        .await?
        .map(|(cart, _)| cart))
}

/// The customer's cart and the catalog it was priced with (checkout validates the order
/// against the same copy, without reading it twice).
pub async fn cart_and_catalog(
    state: &AppState,
    customer: &Customer,
) -> Result<Cached<(Cart, Vec<Product>)>, AppError> {
    let catalog = crate::server::catalog::products(state).await?;
    let record = state
        .store
        .cart(customer.user_id())
        .await
        .map_err(provider_errors::store)?;
    let rate = state.tax_rate_bp;
    Ok(catalog.map(|products| {
        (
            cart::build(&record.choices, &products, rate, &record.revision),
            products,
        )
    }))
}

/// A change to the cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CartChange {
    /// Add this many more units.
    Add(String, u32),
    /// Set the quantity (0 removes).
    Set(String, u32),
}

fn refusal(err: CartError) -> AppError {
    with_status(match err {
        CartError::NotOrderable(_) => AppError::field("product_id", FieldProblem::Invalid),
        CartError::Quantity => AppError::field("quantity", FieldProblem::Invalid),
        CartError::Full => AppError::field(
            "product_id",
            FieldProblem::TooLong {
                max: u32::try_from(crate::domain::orders::MAX_LINES).unwrap_or(u32::MAX),
            },
        ),
    })
}

/// Applies `change` and returns the new cart.
pub async fn change(
    state: &AppState,
    customer: &Customer,
    change: CartChange,
) -> Result<Cached<Cart>, AppError> {
    let catalog = crate::server::catalog::products(state).await?;
    let user = customer.user_id();
    for _ in 0..WRITE_ATTEMPTS {
        let record = state
            .store
            .cart(user)
            .await
            .map_err(provider_errors::store)?;
        let next: Vec<CartChoice> = match &change {
            CartChange::Add(id, n) => cart::add(&record.choices, &catalog.value, id, *n),
            CartChange::Set(id, n) => cart::set_quantity(&record.choices, &catalog.value, id, *n),
        }
        .map_err(refusal)?;
        let revision = new_revision();
        let now = OffsetDateTime::now_utc();
        let written = state
            .store
            .replace_cart(user, &record.revision, &next, &revision, unix_ms(now))
            .await
            .map_err(provider_errors::store)?;
        if written == CartWrite::Written {
            let rate = state.tax_rate_bp;
            return Ok(catalog.map(|products| cart::build(&next, &products, rate, &revision)));
        }
    }
    Err(with_status(AppError::Conflict))
}

/// Empties the cart if it is still at `revision` (after its order was placed). Returns
/// whether it was emptied.
pub async fn clear(state: &AppState, user_id: &str, revision: &str) -> Result<bool, AppError> {
    let written = state
        .store
        .replace_cart(
            user_id,
            revision,
            &[],
            &new_revision(),
            unix_ms(OffsetDateTime::now_utc()),
        )
        .await
        .map_err(provider_errors::store)?;
    Ok(written == CartWrite::Written)
}
