//! SQLite backend (embedded mode): one file under the data directory, WAL journal so readers
//! never wait for the writer, migrations from `migrations/sqlite`.

use super::{Store, StoreError, expiry_ms, unix_ms};
use anyhow::Context;
use async_trait::async_trait;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;
use time::OffsetDateTime;

/// The SQLite store.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed, with its directory) the database and migrates it.
    #[tracing::instrument(name = "Opening the SQLite database", skip_all)]
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .context("database.url is not a valid SQLite URL")?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        if let Some(dir) = options
            .get_filename()
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).with_context(|| {
                format!("could not create the data directory {}", dir.display())
            })?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(max_connections)
            .connect_with(options)
            .await
            .context("could not open the SQLite database")?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&pool)
            .await
            .context("could not apply the SQLite migrations")?;
        Ok(SqliteStore { pool })
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    #[tracing::instrument(name = "Taking a lease", skip(self, ttl, now))]
    async fn try_acquire_lease(
        &self,
        name: &str,
        holder: &str,
        ttl: Duration,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let row: Option<(String,)> = sqlx::query_as(
            "INSERT INTO leases (name, holder, expires_at_ms) VALUES (?1, ?2, ?3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at_ms = excluded.expires_at_ms \
             WHERE leases.holder = excluded.holder OR leases.expires_at_ms <= ?4 \
             RETURNING holder",
        )
        .bind(name)
        .bind(holder)
        .bind(expiry_ms(now, ttl))
        .bind(unix_ms(now))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM leases WHERE name = ?1 AND holder = ?2")
            .bind(name)
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    #[tracing::instrument(name = "Recording an inbound delivery", skip(self, now))]
    async fn record_delivery(
        &self,
        source: &str,
        event_id: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO inbound_deliveries (source, event_id, received_at_ms) VALUES (?1, ?2, ?3) \
             ON CONFLICT (source, event_id) DO NOTHING",
        )
        .bind(source)
        .bind(event_id)
        .bind(unix_ms(now))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn forget_delivery(&self, source: &str, event_id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM inbound_deliveries WHERE source = ?1 AND event_id = ?2")
            .bind(source)
            .bind(event_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn prune_deliveries(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM inbound_deliveries WHERE received_at_ms < ?1")
            .bind(unix_ms(before))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

super::accounts_sql::impl_account_store!(SqliteStore);
super::alerts_sql::impl_alert_store!(SqliteStore);
super::cart_sql::impl_cart_store!(SqliteStore);
super::ledger::impl_ledger_store!(SqliteStore);
super::topups::impl_topup_store!(SqliteStore);
crate::server::queue::sql::impl_job_queue!(SqliteStore);
