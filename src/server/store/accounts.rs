//! Persistence of portal users, their provider links, sessions with rotating refresh tokens,
//! one-time emailed links, 2FA recovery codes and the security audit trail.
//!
//! Sessions live in the SQL store on both deployments (not in Redis): the session list, revoke
//! and "log out everywhere" are relational queries over the same rows, and one source of truth
//! keeps refresh rotation atomic in one transaction. See docs/ARCHITECTURE.md.

use super::StoreError;
use async_trait::async_trait;

/// A portal user row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    /// UUID.
    pub id: String,
    /// Normalised email.
    pub email: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// `provisioning` or `active`.
    pub status: String,
    /// `ja` or `en`.
    pub locale: String,
    /// When the email was verified.
    pub email_verified_at_ms: Option<i64>,
    /// Base32 TOTP secret: set during enrolment, kept once enabled.
    pub totp_secret: Option<String>,
    /// When 2FA was switched on.
    pub totp_enabled_at_ms: Option<i64>,
    /// The last accepted TOTP time step (a code is never accepted twice).
    pub totp_last_step: Option<i64>,
    /// WHMCS client id.
    pub whmcs_client_id: Option<i64>,
    /// Salesforce Account id.
    pub sf_account_id: Option<String>,
    /// Salesforce Contact id.
    pub sf_contact_id: Option<String>,
    /// Creation time.
    pub created_at_ms: i64,
}

/// User status while sign-up creates the provider records.
pub const STATUS_PROVISIONING: &str = "provisioning";
/// User status once every provider link is recorded.
pub const STATUS_ACTIVE: &str = "active";

/// One provider link to record on a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserLink {
    /// WHMCS client id.
    WhmcsClient(i64),
    /// Salesforce Account id.
    SalesforceAccount(String),
    /// Salesforce Contact id.
    SalesforceContact(String),
}

/// A session row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// UUID (also the refresh-token family).
    pub id: String,
    /// Owner.
    pub user_id: String,
    /// Browser's User-Agent, truncated.
    pub user_agent: String,
    /// Client address.
    pub ip: String,
    /// Sign-in time.
    pub created_at_ms: i64,
    /// Last request seen.
    pub last_seen_at_ms: i64,
    /// Absolute end.
    pub expires_at_ms: i64,
    /// When and why it was revoked.
    pub revoked: Option<(i64, String)>,
}

impl SessionRecord {
    /// Not revoked and not expired at `now_ms`.
    pub fn is_live(&self, now_ms: i64) -> bool {
        self.revoked.is_none() && self.expires_at_ms > now_ms
    }
}

/// What presenting a refresh token led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshOutcome {
    /// The token was valid and unused: it is now used and the new one is stored.
    Rotated(SessionRecord),
    /// The token was used moments ago (within the grace window), typically by a parallel
    /// request of the same browser: the session is live but no new token was stored.
    RecentlyRotated(SessionRecord),
    /// The token had been used before: a replay. Its whole session (family) is now revoked.
    Replayed {
        /// The revoked session.
        session_id: String,
        /// Its owner.
        user_id: String,
    },
    /// Unknown, expired, or its session is revoked or expired.
    Invalid,
}

/// Purpose of an emailed one-time link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailPurpose {
    /// Confirm the sign-up address.
    Verify,
    /// Reset a forgotten password.
    Reset,
    /// Confirm a new address from the profile page.
    ChangeEmail,
}

impl EmailPurpose {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            EmailPurpose::Verify => "verify",
            EmailPurpose::Reset => "reset",
            EmailPurpose::ChangeEmail => "change_email",
        }
    }
}

/// An audit event row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// UUID.
    pub id: String,
    /// Whose account.
    pub user_id: String,
    /// Event kind (`domain::account::AuditKind` as text).
    pub kind: String,
    /// Client address.
    pub ip: String,
    /// Browser's User-Agent, truncated.
    pub user_agent: String,
    /// When.
    pub at_ms: i64,
}

/// The account operations.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Inserts a user; `Conflict` if the email or WHMCS client is taken.
    async fn create_user(&self, user: &UserRecord) -> Result<(), StoreError>;
    /// Finds a user by normalised email.
    async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, StoreError>;
    /// Finds a user by id.
    async fn user_by_id(&self, id: &str) -> Result<Option<UserRecord>, StoreError>;
    /// Finds the user linked to a WHMCS client.
    async fn user_by_whmcs_client(&self, client_id: i64) -> Result<Option<UserRecord>, StoreError>;
    /// Every user's id and email (sandbox housekeeping; not for request paths).
    async fn all_users(&self) -> Result<Vec<(String, String)>, StoreError>;
    /// Deletes a user and, by cascade, their sessions, links, tokens and audit events.
    async fn delete_user(&self, id: &str) -> Result<(), StoreError>;
    /// Records one provider link.
    async fn set_user_link(&self, id: &str, link: &UserLink, now_ms: i64)
    -> Result<(), StoreError>;
    /// Sets `provisioning` / `active`.
    async fn set_user_status(&self, id: &str, status: &str, now_ms: i64) -> Result<(), StoreError>;
    /// Replaces the password hash.
    async fn set_password_hash(&self, id: &str, hash: &str, now_ms: i64) -> Result<(), StoreError>;
    /// Changes the email (`Conflict` if taken) and marks it verified.
    async fn set_email(&self, id: &str, email: &str, now_ms: i64) -> Result<(), StoreError>;
    /// Marks the email verified.
    async fn mark_email_verified(&self, id: &str, now_ms: i64) -> Result<(), StoreError>;
    /// Sets the language preference.
    async fn set_locale(&self, id: &str, locale: &str, now_ms: i64) -> Result<(), StoreError>;
    /// Stores a TOTP secret; `enabled_at_ms` None = enrolment pending, None secret = off.
    async fn set_totp(
        &self,
        id: &str,
        secret: Option<&str>,
        enabled_at_ms: Option<i64>,
        now_ms: i64,
    ) -> Result<(), StoreError>;
    /// Accepts TOTP step `step` only if it is later than the last accepted one.
    async fn advance_totp_step(&self, id: &str, step: i64) -> Result<bool, StoreError>;
    /// Replaces the recovery codes.
    async fn replace_recovery_codes(
        &self,
        user_id: &str,
        hashes: &[String],
    ) -> Result<(), StoreError>;
    /// Uses a recovery code once.
    async fn use_recovery_code(
        &self,
        user_id: &str,
        hash: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError>;
    /// Recovery codes not used yet.
    async fn unused_recovery_codes(&self, user_id: &str) -> Result<i64, StoreError>;

    /// Starts a session with its first refresh token.
    async fn create_session(
        &self,
        session: &SessionRecord,
        refresh_hash: &str,
    ) -> Result<(), StoreError>;
    /// Rotates a refresh token (see [`RefreshOutcome`]), atomically.
    async fn rotate_refresh(
        &self,
        old_hash: &str,
        new_hash: &str,
        new_expires_at_ms: i64,
        now_ms: i64,
        grace_ms: i64,
    ) -> Result<RefreshOutcome, StoreError>;
    /// One session.
    async fn session(&self, id: &str) -> Result<Option<SessionRecord>, StoreError>;
    /// Updates `last_seen_at_ms` (and the address and device, which may change).
    async fn touch_session(&self, id: &str, ip: &str, now_ms: i64) -> Result<(), StoreError>;
    /// A user's live sessions, most recent first.
    async fn live_sessions(
        &self,
        user_id: &str,
        now_ms: i64,
    ) -> Result<Vec<SessionRecord>, StoreError>;
    /// Revokes one of the user's sessions; false if it was not theirs or already revoked.
    async fn revoke_session(
        &self,
        user_id: &str,
        session_id: &str,
        reason: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError>;
    /// Revokes every live session of the user except `keep`.
    async fn revoke_sessions(
        &self,
        user_id: &str,
        keep: Option<&str>,
        reason: &str,
        now_ms: i64,
    ) -> Result<u64, StoreError>;

    /// Stores an emailed link's hash.
    async fn create_email_token(
        &self,
        hash: &str,
        user_id: &str,
        purpose: EmailPurpose,
        new_email: Option<&str>,
        expires_at_ms: i64,
    ) -> Result<(), StoreError>;
    /// Uses a link once: its user and new email, if it is valid for `purpose`.
    async fn consume_email_token(
        &self,
        hash: &str,
        purpose: EmailPurpose,
        now_ms: i64,
    ) -> Result<Option<(String, Option<String>)>, StoreError>;

    /// Appends an audit event.
    async fn add_audit(&self, event: &AuditRecord) -> Result<(), StoreError>;
    /// The user's latest audit events.
    async fn audit_events(&self, user_id: &str, limit: i64)
    -> Result<Vec<AuditRecord>, StoreError>;
}
