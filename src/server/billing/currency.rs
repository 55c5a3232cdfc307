//! The WHMCS currency context (the install's default currency), cached for an hour under
//! `whmcs:currencies`: it changes only when an administrator edits currencies.

use super::whmcs_error;
use crate::domain::common::money::Currency;
use crate::error::AppError;
use crate::server::cache::DataKind;
use crate::server::integrations::whmcs::CurrencyContext;
use crate::server::state::AppState;

const NAMESPACE: &str = "whmcs:currencies";

/// The currency context for the money mappers.
pub async fn currency_context(state: &AppState) -> Result<CurrencyContext, AppError> {
    let whmcs = &state.providers.whmcs;
    let cached = state
        .cache
        .get_or_load::<Currency, _, _, _>(
            NAMESPACE,
            "default",
            state.cache.ttl(DataKind::Currencies),
            || async { whmcs.currency_context().await.map(|ctx| ctx.default) },
        )
        .await
        .map_err(whmcs_error)?;
    Ok(CurrencyContext::new(cached.value))
}
