//! Paid data top-ups of one line: the section's offer (price, a fresh idempotency key, the
//! line's recent top-ups), buying one, and reading one's state. Thin: ownership, the checks
//! before any charge and the invoice → capture → quota flow are `server::sims::topup`'s.
//! Buying redirects a plain form post to `/sims/{number}?topup={id}&t={id}` (`t` makes the
//! page read the line again), so it works without JavaScript; hydrated, the router follows the
//! same redirect.

use crate::domain::sim::topup::{TopUpFailure, TopUpState};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One top-up as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopUpView {
    /// Its id (the form's idempotency key).
    pub id: String,
    /// The line, digits only.
    pub number: String,
    /// Gigabytes bought.
    pub gb: u32,
    /// Yen charged (or to be charged), tax included.
    pub amount_jpy: i64,
    /// The WHMCS invoice, once made.
    pub invoice_id: Option<u32>,
    /// Where it is.
    pub state: TopUpState,
    /// Why it stopped, when it failed.
    pub failure: Option<TopUpFailure>,
    /// Megabytes left on the line right after the quota landed.
    pub remaining_mb: Option<u32>,
    /// When it was asked for (Unix ms).
    pub created_at_ms: i64,
}

/// What the top-up section needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopUpOffer {
    /// The line, digits only.
    pub number: String,
    /// The line as written (`090-1234-5678`), for the invoice preview.
    pub formatted: String,
    /// Yen per GB before tax.
    pub price_per_gb_jpy: u32,
    /// Consumption tax, hundredths of a percent.
    pub tax_bp: u32,
    /// A fresh idempotency key for the confirm form.
    pub key: String,
    /// False when the line cannot take a top-up now (suspended, cancelled, unknown state).
    pub available: bool,
    /// True when that is because the SIM platform could not be asked just now (not the line's
    /// state), so the page says "try again shortly" rather than "suspended".
    pub platform_unreachable: bool,
    /// The line's recent top-ups, newest first.
    pub history: Vec<TopUpView>,
}

/// The top-up section of the customer's line `number`.
#[server(prefix = "/api", endpoint = "sims/topup/offer")]
pub async fn topup_offer(number: String) -> Result<TopUpOffer, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    crate::server::sims::topup::offer(&state, &customer, &number).await
}

/// Buys `gb` (1–50) GB for the customer's line `number`, once per `key`: a repeated post of
/// the same key answers with the first one's state and charges nothing more.
#[server(prefix = "/api", endpoint = "sims/topup")]
pub async fn top_up_sim(
    number: String,
    #[server(default)] gb: String,
    #[server(default)] key: String,
) -> Result<TopUpView, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    let view = crate::server::sims::topup::submit(&state, &customer, &number, &gb, &key).await?;
    leptos_axum::redirect(&format!(
        "/sims/{}?topup={}&t={}",
        view.number, view.id, view.id
    ));
    Ok(view)
}

/// One of the customer's top-ups of line `number`.
#[server(prefix = "/api", endpoint = "sims/topup/status")]
pub async fn topup_status(number: String, id: String) -> Result<TopUpView, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    crate::server::sims::topup::status(&state, &customer, &number, &id).await
}
