//! The customer's orders: checkout (the confirmed cart becomes a Draft Order in Salesforce),
//! the list and one order. Reads go through the cache (namespace `user:{id}:orders`, fresh for
//! `[cache] orders_fresh_secs`), dropped after a checkout so the new order shows at once.
//!
//! Checkout is safe to repeat: the cart's revision, shown on the confirmation page and posted
//! back, is the Order's idempotency key. Posting it twice — a double click, a retry after a
//! timeout, a reload of the answer — finds the order the first post created instead of making
//! another; a cart that changed since it was confirmed is refused (`Conflict`), never ordered
//! unseen.

use crate::domain::orders::{Order, OrderError};
use crate::error::{AppError, FieldProblem};
use crate::server::accounts::provider_errors;
use crate::server::auth::customer::Customer;
use crate::server::cache::{Cached, DataKind};
use crate::server::errors::with_status;
use crate::server::integrations::salesforce::{SalesforceError, SalesforceId};
use crate::server::state::AppState;
use time::{Date, OffsetDateTime, UtcOffset};

/// The cache namespace of a user's orders.
pub fn namespace(user_id: &str) -> String {
    format!("user:{user_id}:orders")
}

/// The Order idempotency key for a cart revision.
pub fn idempotency_key(revision: &str) -> String {
    format!("portal-cart-{revision}")
}

/// Today in Japan (orders start on the customer's calendar day, not UTC's).
pub fn today_in_japan(now: OffsetDateTime) -> Date {
    let jst = UtcOffset::from_hms(9, 0, 0).unwrap_or(UtcOffset::UTC);
    now.to_offset(jst).date()
}

fn account(customer: &Customer) -> Result<SalesforceId, AppError> {
    let text = customer.sf_account_id()?;
    SalesforceId::parse(text).map_err(|_| {
        crate::server::errors::internal(anyhow::anyhow!(
            "the stored Salesforce Account id is malformed"
        ))
    })
}

fn order_refusal(err: OrderError) -> AppError {
    tracing::info!(error = %err, "a checkout was refused");
    with_status(match err {
        OrderError::Empty => AppError::field("cart", FieldProblem::Required),
        _ => AppError::field("cart", FieldProblem::Invalid),
    })
}

/// Places the order for the cart the customer confirmed at `revision`; returns the Order id.
pub async fn checkout(
    state: &AppState,
    customer: &Customer,
    revision: &str,
) -> Result<SalesforceId, AppError> {
    let account = account(customer)?;
    let revision = revision.trim();
    if revision.is_empty()
        || revision.len() > 64
        || !revision.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Err(with_status(AppError::field(
            "revision",
            FieldProblem::Invalid,
        )));
    }
    let key = idempotency_key(revision);
    let orders = &state.providers.orders;
    let read = crate::server::cart::cart_and_catalog(state, customer).await?;
    let stale = read.stale;
    let (cart, catalog) = read.value;
    if cart.revision != revision {
        // Already ordered (the cart was emptied by the first post), or changed meanwhile.
        return match orders
            .find_by_key(&key)
            .await
            .map_err(provider_errors::salesforce)?
        {
            Some((id, owner)) if owner == account => Ok(id),
            Some(_) => Err(with_status(AppError::NotFound)),
            None => Err(with_status(AppError::Conflict)),
        };
    }
    if !cart.notices.is_empty() || stale {
        // Something in it went off sale, or prices could not be confirmed: review first.
        return Err(with_status(AppError::Conflict));
    }
    let order = cart.to_new_order();
    let priced = order.validate(&catalog).map_err(order_refusal)?;
    let placed = orders
        .create_order(
            &account,
            &priced,
            today_in_japan(OffsetDateTime::now_utc()),
            &key,
        )
        .await
        .map_err(checkout_error)?;
    tracing::info!(order = %placed.id, created = placed.created, "order placed");
    // The order exists; emptying the cart may lose a race with another tab, which is fine —
    // that tab's cart is a new one.
    crate::server::cart::clear(state, customer.user_id(), revision).await?;
    invalidate(state, customer.user_id()).await;
    Ok(placed.id)
}

fn checkout_error(err: SalesforceError) -> AppError {
    match err {
        // Refused by the CRM's order rules (e.g. a price book entry went inactive meanwhile).
        SalesforceError::Validation { ref code, .. } if code != "DUPLICATE_VALUE" => {
            tracing::warn!(error = %err, "Salesforce refused an order");
            with_status(AppError::Conflict)
        }
        other => provider_errors::salesforce(other),
    }
}

/// Drops the customer's cached orders.
pub async fn invalidate(state: &AppState, user_id: &str) {
    if let Err(e) = state.cache.invalidate(&namespace(user_id)).await {
        tracing::warn!(error = %e, "could not drop cached orders; they refresh within their freshness");
    }
}

/// The customer's orders, newest first.
pub async fn orders(state: &AppState, customer: &Customer) -> Result<Cached<Vec<Order>>, AppError> {
    let account = account(customer)?;
    let orders = &state.providers.orders;
    state
        .cache
        .get_or_load(
            &namespace(customer.user_id()),
            "all",
            state.cache.ttl(DataKind::Orders),
            || async { orders.orders_for_account(&account).await },
        )
        .await
        .map_err(provider_errors::salesforce)
}

/// One of the customer's orders; anyone else's (or an unknown id) is `NotFound`.
pub async fn order(
    state: &AppState,
    customer: &Customer,
    id: &str,
) -> Result<Cached<Order>, AppError> {
    let account = account(customer)?;
    let Ok(id) = SalesforceId::parse(id) else {
        return Err(with_status(AppError::NotFound));
    };
    let orders = &state.providers.orders;
    let cached = state
        .cache
        .get_or_load(
            &namespace(customer.user_id()),
            &format!("order:{id}"),
            state.cache.ttl(DataKind::Orders),
            || async {
                orders
                    .order(&id)
                    .await
                    .map(|found| found.map(|(order, owner)| (order, owner.as_str().to_owned())))
            },
        )
        .await
        .map_err(provider_errors::salesforce)?;
    match cached.value {
        Some((order, owner)) if owner == account.as_str() => Ok(Cached {
            value: order,
            as_of: cached.as_of,
            stale: cached.stale,
        }),
        _ => Err(with_status(AppError::NotFound)),
    }
}
