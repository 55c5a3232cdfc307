//! Reading the customer's cases: the list (newest activity first) and one case with its public
//! conversation and files. Both are scoped to the customer's Account in the query; another
//! customer's case id (or an unknown one) is `NotFound`.

use super::{account, case_id, namespace};
use crate::domain::support::{CaseDetail, CaseSummary};
use crate::error::AppError;
use crate::server::accounts::provider_errors;
use crate::server::auth::customer::Customer;
use crate::server::cache::{Cached, DataKind};
use crate::server::errors::with_status;
use crate::server::state::AppState;
use time::OffsetDateTime;

/// The customer's cases.
pub async fn cases(
    state: &AppState,
    customer: &Customer,
) -> Result<Cached<Vec<CaseSummary>>, AppError> {
    let account = account(customer)?;
    let adapter = &state.providers.cases;
    state
        .cache
        .get_or_load(
            &namespace(customer.user_id()),
            "all",
            state.cache.ttl(DataKind::Cases),
            || async { adapter.cases_for_account(&account).await },
        )
        .await
        .map_err(provider_errors::salesforce)
}

/// One of the customer's cases.
pub async fn case(
    state: &AppState,
    customer: &Customer,
    id: &str,
) -> Result<Cached<CaseDetail>, AppError> {
    let account = account(customer)?;
    let id = case_id(id)?;
    let adapter = &state.providers.cases;
    let cached = state
        .cache
        .get_or_load(
            &namespace(customer.user_id()),
            &format!("case:{id}"),
            state.cache.ttl(DataKind::Cases),
            || async {
                adapter
                    .case(&account, &id)
                    .await
                    .map(|found| found.map(|c| (c.summary, c.description, c.messages, c.files)))
            },
        )
        .await
        .map_err(provider_errors::salesforce)?;
    let Some((summary, description, messages, files)) = cached.value else {
        return Err(with_status(AppError::NotFound));
    };
    let reopenable = summary.reopenable(OffsetDateTime::now_utc(), state.support.reopen_window);
    Ok(Cached {
        value: CaseDetail {
            summary,
            description,
            messages,
            files,
            reopenable,
        },
        as_of: cached.as_of,
        stale: cached.stale,
    })
}
