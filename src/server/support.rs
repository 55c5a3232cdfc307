//! Support cases for the signed-in customer: the policy (`[support]`), reads through the cache
//! (namespace `user:{id}:cases`, fresh for `[cache] cases_fresh_secs`) and the writes — open a
//! case (linked to a service or an order of theirs, with an optional file), reply, close,
//! reopen within the window, attach a file — each dropping the cached cases so the customer
//! sees their own change at once.
//!
//! - [`read`] — the list and one case;
//! - [`write`] — the changes;
//! - [`upload`] — the multipart form endpoints (new case with a file, attach a file);
//! - [`download`] — a case's file, for its owner only;
//! - [`watch`] — noticing an agent's answer while the customer looks (a scoped poll);
//! - [`live`] — the case page's and the dashboard's live streams (SSE).

pub mod download;
pub mod live;
pub mod read;
pub mod upload;
pub mod watch;
pub mod write;

use crate::domain::support::FileRules;
use crate::error::AppError;
use crate::server::auth::customer::Customer;
use crate::server::integrations::salesforce::SalesforceId;
use crate::server::state::AppState;

/// What customers may attach and how long a closed case can be reopened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportPolicy {
    /// Attachment rules.
    pub files: FileRules,
    /// Reopen window after closing.
    pub reopen_window: time::Duration,
}

impl SupportPolicy {
    /// From `[support]` (already validated at start-up).
    pub fn from_settings(
        settings: &crate::server::config::SupportSettings,
    ) -> Result<Self, crate::server::config::ConfigError> {
        Ok(SupportPolicy {
            files: settings.file_rules()?,
            reopen_window: time::Duration::days(i64::from(settings.reopen_days)),
        })
    }
}

/// The cache namespace of a user's cases.
pub fn namespace(user_id: &str) -> String {
    format!("user:{user_id}:cases")
}

/// Drops the customer's cached cases.
pub async fn invalidate(state: &AppState, user_id: &str) {
    if let Err(e) = state.cache.invalidate(&namespace(user_id)).await {
        tracing::warn!(error = %e, "could not drop cached cases; they refresh within their freshness");
    }
}

fn stored_id(text: &str, what: &str) -> Result<SalesforceId, AppError> {
    SalesforceId::parse(text).map_err(|_| {
        crate::server::errors::internal(anyhow::anyhow!(
            "the stored Salesforce {what} id is malformed"
        ))
    })
}

/// The customer's Salesforce Account.
fn account(customer: &Customer) -> Result<SalesforceId, AppError> {
    stored_id(customer.sf_account_id()?, "Account")
}

/// The customer's Salesforce Contact.
fn contact(customer: &Customer) -> Result<SalesforceId, AppError> {
    stored_id(customer.sf_contact_id()?, "Contact")
}

/// A case id from the browser; anything that is not one is `NotFound`.
fn case_id(id: &str) -> Result<SalesforceId, AppError> {
    SalesforceId::parse_with_prefix(
        id.trim(),
        crate::server::integrations::salesforce::cases::CASE_PREFIX,
    )
    .map_err(|_| crate::server::errors::with_status(AppError::NotFound))
}
