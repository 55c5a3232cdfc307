//! `sandbox_mailbox`: the mail the portal sent in sandbox mode (not found otherwise).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One caught mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailView {
    /// Sequence number.
    pub id: u64,
    /// Recipient.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
    /// Unix ms.
    pub sent_at_ms: i64,
}

/// Caught mail, newest first.
#[server(prefix = "/api", endpoint = "sandbox/mailbox")]
pub async fn sandbox_mailbox() -> Result<Vec<MailView>, AppError> {
    let state = crate::server::context::state()?;
    let catcher = state
        .mailer
        .catcher()
        .filter(|_| state.sandbox)
        .ok_or_else(|| crate::server::errors::with_status(AppError::NotFound))?;
    Ok(catcher
        .all()
        .into_iter()
        .map(|m| MailView {
            id: m.id,
            to: m.mail.to,
            subject: m.mail.subject,
            body: m.mail.body,
            sent_at_ms: m.sent_at_ms,
        })
        .collect())
}
