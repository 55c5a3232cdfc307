//! Persistence of usage alerts and in-app notices: a customer's data threshold per SIM line,
//! the record of each threshold crossed in a month (which is what makes an alert go out once
//! per threshold per month, across instances), the mail outbox on those records, and the
//! notices a customer sees until they dismiss them.

use super::StoreError;
use async_trait::async_trait;

/// One threshold crossed on one line in one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertEvent {
    /// The portal user.
    pub user_id: String,
    /// The line (digits).
    pub msisdn: String,
    /// The month (JST), `YYYY-MM`.
    pub month: String,
    /// The threshold crossed, MB.
    pub threshold_mb: u32,
    /// The month's usage when it was seen crossed, bytes.
    pub used_bytes: u64,
}

/// A stored in-app notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeRecord {
    /// Its id.
    pub id: String,
    /// What shape `payload` has (e.g. `usage_alert`).
    pub kind: String,
    /// What it is about (e.g. a line's digits), for listing one page's notices.
    pub subject: String,
    /// The portal's JSON.
    pub payload: String,
    /// When it was created.
    pub created_at_ms: i64,
}

/// Usage-alert and notice operations.
#[async_trait]
pub trait AlertStore {
    /// The user's threshold for a line, MB.
    async fn usage_alert(&self, user_id: &str, msisdn: &str) -> Result<Option<u32>, StoreError>;

    /// Every threshold the user has set: `(line digits, MB)`, by line.
    async fn usage_alerts_of(&self, user_id: &str) -> Result<Vec<(String, u32)>, StoreError>;

    /// Sets (`Some`) or clears (`None`) the user's threshold for a line.
    async fn set_usage_alert(
        &self,
        user_id: &str,
        msisdn: &str,
        threshold_mb: Option<u32>,
        now_ms: i64,
    ) -> Result<(), StoreError>;

    /// Records `event` and creates its notice, in one transaction, only if this threshold was
    /// not already recorded for this line and month. `true` the first time, `false` for every
    /// repeat — atomically, so concurrent refreshes on several instances alert once.
    async fn record_alert_event(
        &self,
        event: &AlertEvent,
        notice: &NoticeRecord,
        now_ms: i64,
    ) -> Result<bool, StoreError>;

    /// Claims the user's events on a line whose mail has not been sent and that nobody else
    /// holds, until `claim_until_ms`. Each event is handed to one caller at a time.
    async fn claim_alert_mails(
        &self,
        user_id: &str,
        msisdn: &str,
        now_ms: i64,
        claim_until_ms: i64,
    ) -> Result<Vec<AlertEvent>, StoreError>;

    /// Marks an event's mail sent (`Some(now)`) or gives the claim back after a failed send
    /// (`None`), so a later refresh tries again.
    async fn finish_alert_mail(
        &self,
        event: &AlertEvent,
        mailed_at_ms: Option<i64>,
    ) -> Result<(), StoreError>;

    /// The user's notices not yet dismissed, newest first, at most `limit`.
    async fn open_notices(
        &self,
        user_id: &str,
        limit: u32,
    ) -> Result<Vec<NoticeRecord>, StoreError>;

    /// Dismisses one of the user's notices. `false` when the user has no such open notice.
    async fn dismiss_notice(
        &self,
        user_id: &str,
        id: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError>;
}
