//! PostgreSQL backend (production): shared by every instance, migrations from
//! `migrations/postgres`, applied at start under sqlx's migration lock so concurrent starts are
//! safe.

use super::{Store, StoreError, expiry_ms, unix_ms};
use anyhow::Context;
use async_trait::async_trait;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use std::time::Duration;
use time::OffsetDateTime;

/// The PostgreSQL store.
#[derive(Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects and migrates.
    #[tracing::instrument(name = "Connecting to PostgreSQL", skip_all)]
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(5))
            .connect(url)
            .await
            .context("could not connect to PostgreSQL (database.url)")?;
        sqlx::migrate!("./migrations/postgres")
            .run(&pool)
            .await
            .context("could not apply the PostgreSQL migrations")?;
        Ok(PostgresStore { pool })
    }
}

#[async_trait]
impl Store for PostgresStore {
    fn backend(&self) -> &'static str {
        "postgres"
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
        // One statement: the row lock taken by ON CONFLICT serialises racing instances.
        let row: Option<(String,)> = sqlx::query_as(
            "INSERT INTO leases (name, holder, expires_at_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at_ms = EXCLUDED.expires_at_ms \
             WHERE leases.holder = EXCLUDED.holder OR leases.expires_at_ms <= $4 \
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
        sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
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
            "INSERT INTO inbound_deliveries (source, event_id, received_at_ms) VALUES ($1, $2, $3) \
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
        sqlx::query("DELETE FROM inbound_deliveries WHERE source = $1 AND event_id = $2")
            .bind(source)
            .bind(event_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn prune_deliveries(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM inbound_deliveries WHERE received_at_ms < $1")
            .bind(unix_ms(before))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

super::accounts_sql::impl_account_store!(PostgresStore);
super::alerts_sql::impl_alert_store!(PostgresStore);
super::cart_sql::impl_cart_store!(PostgresStore);
super::ledger::impl_ledger_store!(PostgresStore);
super::topups::impl_topup_store!(PostgresStore);
crate::server::queue::sql::impl_job_queue!(PostgresStore);
