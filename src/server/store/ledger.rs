//! The provisioning idempotency ledger: per CRM order, the last recorded [`Stage`]. Writes are
//! compare-and-set on the stage the caller read, so a step is recorded once even when two
//! workers race; one SQL body for both backends (`impl_ledger_store!`).

use super::StoreError;
use crate::domain::provisioning::Stage;
use async_trait::async_trait;

/// The ledger operations.
#[async_trait]
pub trait LedgerStore {
    /// The order's recorded stage; `None` before anything was recorded.
    async fn ledger_stage(&self, order_id: &str) -> Result<Option<Stage>, StoreError>;

    /// Records `to` if the stored stage is still `from` (`None`: no row yet). Returns whether
    /// it was recorded. Refuses (as [`StoreError::Conflict`]) a move the ledger's rules forbid.
    async fn advance_ledger(
        &self,
        order_id: &str,
        from: Option<&Stage>,
        to: &Stage,
        now_ms: i64,
    ) -> Result<bool, StoreError>;

    /// Every order's stage name with its count, for the status page and metrics.
    async fn ledger_counts(&self) -> Result<Vec<(String, u64)>, StoreError>;
}

/// A stage as its stored JSON.
pub(crate) fn stage_json(stage: &Stage) -> Result<String, StoreError> {
    serde_json::to_string(stage).map_err(|e| StoreError::Other(e.into()))
}

/// A stored stage; an unreadable row is an error, never silently "received".
pub(crate) fn parse_stage(json: &str) -> Result<Stage, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Other(anyhow::anyhow!("ledger row: {e}")))
}

/// Implements `LedgerStore` for a store type with a `pool` field.
macro_rules! impl_ledger_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::server::store::LedgerStore for $store {
            async fn ledger_stage(
                &self,
                order_id: &str,
            ) -> Result<
                Option<$crate::domain::provisioning::Stage>,
                $crate::server::store::StoreError,
            > {
                let row: Option<(String,)> =
                    sqlx::query_as("SELECT stage FROM provisioning_ledger WHERE order_id = $1")
                        .bind(order_id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(|(json,)| $crate::server::store::ledger::parse_stage(&json))
                    .transpose()
            }

            async fn advance_ledger(
                &self,
                order_id: &str,
                from: Option<&$crate::domain::provisioning::Stage>,
                to: &$crate::domain::provisioning::Stage,
                now_ms: i64,
            ) -> Result<bool, $crate::server::store::StoreError> {
                use $crate::domain::provisioning::Stage;
                use $crate::server::store::ledger::stage_json;
                if !from.unwrap_or(&Stage::Received).may_become(to) {
                    return Err($crate::server::store::StoreError::Conflict(format!(
                        "ledger: {} cannot become {}",
                        from.map_or("nothing", Stage::name),
                        to.name()
                    )));
                }
                let to_json = stage_json(to)?;
                let written = match from {
                    None => sqlx::query(
                        "INSERT INTO provisioning_ledger \
                         (order_id, stage, stage_name, created_at_ms, updated_at_ms) \
                         VALUES ($1, $2, $3, $4, $4) ON CONFLICT (order_id) DO NOTHING",
                    )
                    .bind(order_id)
                    .bind(&to_json)
                    .bind(to.name())
                    .bind(now_ms)
                    .execute(&self.pool)
                    .await?
                    .rows_affected(),
                    Some(from) => sqlx::query(
                        "UPDATE provisioning_ledger SET stage = $1, stage_name = $2, \
                         updated_at_ms = $3 WHERE order_id = $4 AND stage = $5",
                    )
                    .bind(&to_json)
                    .bind(to.name())
                    .bind(now_ms)
                    .bind(order_id)
                    .bind(stage_json(from)?)
                    .execute(&self.pool)
                    .await?
                    .rows_affected(),
                };
                Ok(written == 1)
            }

            async fn ledger_counts(
                &self,
            ) -> Result<Vec<(String, u64)>, $crate::server::store::StoreError> {
                let rows: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT stage_name, COUNT(*) FROM provisioning_ledger GROUP BY stage_name \
                     ORDER BY stage_name",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(name, n)| (name, u64::try_from(n).unwrap_or(0)))
                    .collect())
            }
        }
    };
}

pub(crate) use impl_ledger_store;
