//! The portal's own persistence behind one trait at the level of domain operations, with a
//! SQLite backend (embedded mode) and a PostgreSQL backend (production), chosen once at start
//! from the database URL. Each backend speaks its own SQL dialect; both pass one story test
//! (`tests/integration/store_story.rs`).
//!
//! What lives here grows with the product (users, sessions, provisioning ledger…). The
//! foundation holds the two operations every later area relies on: leases (exactly one holder
//! of a named role across instances, e.g. the Pub/Sub subscriber) and inbound delivery
//! de-duplication (webhooks and events are delivered at least once; we act once).

mod accounts;
pub(crate) mod accounts_sql;
mod alerts;
mod alerts_sql;
mod cart;
mod cart_sql;
mod error;
pub(crate) mod ledger;
mod postgres;
mod sqlite;
pub(crate) mod topups;

pub use accounts::{
    AccountStore, AuditRecord, EmailPurpose, RefreshOutcome, STATUS_ACTIVE, STATUS_PROVISIONING,
    SessionRecord, UserLink, UserRecord,
};
pub use alerts::{AlertEvent, AlertStore, NoticeRecord};
pub use cart::{CartRecord, CartStore, CartWrite};
pub use error::StoreError;
pub use ledger::LedgerStore;
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;
pub use topups::{TopUpInsert, TopUpRecord, TopUpStep, TopUpStore};

use crate::server::config::{DatabaseKind, DatabaseSettings};
use async_trait::async_trait;
use secrecy::ExposeSecret;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// The portal's persistence operations.
#[async_trait]
pub trait Store:
    AccountStore
    + AlertStore
    + CartStore
    + LedgerStore
    + TopUpStore
    + crate::server::queue::JobQueue
    + Send
    + Sync
    + 'static
{
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// A trivial round trip, for readiness.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Takes the lease `name` for `holder` until `now + ttl`, or renews it if `holder` already
    /// has it. Returns whether `holder` holds it afterwards. An expired lease can be taken by
    /// anyone; a live lease of another holder cannot.
    async fn try_acquire_lease(
        &self,
        name: &str,
        holder: &str,
        ttl: Duration,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError>;

    /// Gives the lease up, if `holder` has it.
    async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError>;

    /// Records that the event `event_id` from `source` arrived. Returns `true` the first time
    /// and `false` for every repeat, atomically, so concurrent duplicates are acted on once.
    async fn record_delivery(
        &self,
        source: &str,
        event_id: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError>;

    /// Forgets one delivery, so the sender's retry is acted on: used when acting on a newly
    /// recorded event failed.
    async fn forget_delivery(&self, source: &str, event_id: &str) -> Result<(), StoreError>;

    /// Forgets deliveries received before `before` (their senders stopped retrying long ago).
    async fn prune_deliveries(&self, before: OffsetDateTime) -> Result<u64, StoreError>;
}

/// Connects to the configured database and applies its migrations.
pub async fn connect(settings: &DatabaseSettings) -> anyhow::Result<Arc<dyn Store>> {
    let url = settings.url.expose_secret();
    let store: Arc<dyn Store> = match settings.kind()? {
        DatabaseKind::Sqlite => {
            Arc::new(SqliteStore::connect(url, settings.max_connections).await?)
        }
        DatabaseKind::Postgres => {
            Arc::new(PostgresStore::connect(url, settings.max_connections).await?)
        }
    };
    Ok(store)
}

/// Milliseconds since the Unix epoch, the portable timestamp both schemas use.
pub(crate) fn unix_ms(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// `now + ttl` in Unix milliseconds, saturating.
pub(crate) fn expiry_ms(now: OffsetDateTime, ttl: Duration) -> i64 {
    unix_ms(now).saturating_add(i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX))
}
