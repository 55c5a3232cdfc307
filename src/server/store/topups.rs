//! Persistence of paid SIM data top-ups (`sim_topups`): one row per top-up keyed by the
//! form's idempotency key, its state moved only by compare-and-set on the state the caller
//! read (so two requests, or a request and the background job, cannot both take a step), and
//! a line's recent history. One SQL body for both backends (`impl_topup_store!`), like
//! [`cart_sql`](super::cart_sql).

use super::StoreError;
use crate::domain::sim::topup::TopUpState;
use async_trait::async_trait;

/// A stored top-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopUpRecord {
    /// The idempotency key from the form (the portal's payment id).
    pub id: String,
    /// The portal user who asked.
    pub user_id: String,
    /// Their WHMCS client.
    pub client_id: u32,
    /// The line's WHMCS service.
    pub service_id: u32,
    /// The line's number, digits only.
    pub msisdn: String,
    /// Gigabytes bought.
    pub gb: u32,
    /// Yen charged, tax included.
    pub amount_jpy: i64,
    /// The WHMCS invoice, once created (also the Freebit `quotaCode`).
    pub invoice_id: Option<u32>,
    /// Where it is.
    pub state: TopUpState,
    /// Why it failed ([`TopUpFailure`](crate::domain::sim::topup::TopUpFailure) key).
    pub failure: Option<String>,
    /// Megabytes left on the line right after the quota landed.
    pub remaining_mb: Option<u32>,
    /// Unix ms.
    pub created_at_ms: i64,
    /// Unix ms of the last step.
    pub updated_at_ms: i64,
}

/// What [`TopUpStore::insert_topup`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopUpInsert {
    /// The row is new.
    Created,
    /// A row with this id exists already (a repeated submit); here it is, untouched.
    Existing(TopUpRecord),
}

/// One step of a top-up: the state to move to, with what the step learnt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopUpStep<'a> {
    /// The state the caller read.
    pub from: TopUpState,
    /// The state to record.
    pub to: TopUpState,
    /// The invoice id, when this step learnt it (kept otherwise).
    pub invoice_id: Option<u32>,
    /// The failure reason (cleared when `None`).
    pub failure: Option<&'a str>,
    /// Megabytes left after the quota landed (kept when `None`).
    pub remaining_mb: Option<u32>,
}

/// Top-up operations.
#[async_trait]
pub trait TopUpStore {
    /// Stores a new top-up unless its id exists (then returns the stored one).
    async fn insert_topup(&self, record: &TopUpRecord) -> Result<TopUpInsert, StoreError>;

    /// One top-up by id.
    async fn topup(&self, id: &str) -> Result<Option<TopUpRecord>, StoreError>;

    /// Records `step` if the stored state is still `step.from`; returns whether it did. A
    /// move the life cycle forbids is [`StoreError::Conflict`].
    async fn advance_topup(
        &self,
        id: &str,
        step: &TopUpStep<'_>,
        now_ms: i64,
    ) -> Result<bool, StoreError>;

    /// The user's most recent top-ups of one line, newest first.
    async fn line_topups(
        &self,
        user_id: &str,
        msisdn: &str,
        limit: u32,
    ) -> Result<Vec<TopUpRecord>, StoreError>;
}

/// A row as the queries select it: id, user_id, client_id, service_id, msisdn, gb,
/// amount_jpy, invoice_id, state, failure, remaining_mb, created_at_ms, updated_at_ms.
pub(crate) type TopUpRow = (
    String,
    String,
    i64,
    i64,
    String,
    i64,
    i64,
    Option<i64>,
    String,
    Option<String>,
    Option<i64>,
    i64,
    i64,
);

fn small(value: i64, column: &str) -> Result<u32, StoreError> {
    u32::try_from(value)
        .map_err(|_| StoreError::Other(anyhow::anyhow!("sim_topups.{column} out of range")))
}

/// A stored row; an unreadable one is an error, never silently another state.
pub(crate) fn record(row: TopUpRow) -> Result<TopUpRecord, StoreError> {
    let (id, user_id, client_id, service_id, msisdn, gb, amount_jpy, invoice_id, state) = (
        row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8,
    );
    let state = TopUpState::parse(&state)
        .ok_or_else(|| StoreError::Other(anyhow::anyhow!("sim_topups.state {state:?}")))?;
    Ok(TopUpRecord {
        id,
        user_id,
        client_id: small(client_id, "client_id")?,
        service_id: small(service_id, "service_id")?,
        msisdn,
        gb: small(gb, "gb")?,
        amount_jpy,
        invoice_id: invoice_id.map(|v| small(v, "invoice_id")).transpose()?,
        state,
        failure: row.9,
        remaining_mb: row.10.map(|v| small(v, "remaining_mb")).transpose()?,
        created_at_ms: row.11,
        updated_at_ms: row.12,
    })
}

/// Implements `TopUpStore` for a store type with a `pool` field.
macro_rules! impl_topup_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::server::store::TopUpStore for $store {
            async fn insert_topup(
                &self,
                r: &$crate::server::store::TopUpRecord,
            ) -> Result<$crate::server::store::TopUpInsert, $crate::server::store::StoreError>
            {
                use $crate::server::store::TopUpInsert;
                // Insert-or-nothing in one statement: two concurrent submits of one key
                // cannot both create it.
                let inserted = sqlx::query(
                    "INSERT INTO sim_topups (id, user_id, client_id, service_id, msisdn, gb, \
                     amount_jpy, invoice_id, state, failure, remaining_mb, created_at_ms, \
                     updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                     ON CONFLICT (id) DO NOTHING",
                )
                .bind(&r.id)
                .bind(&r.user_id)
                .bind(i64::from(r.client_id))
                .bind(i64::from(r.service_id))
                .bind(&r.msisdn)
                .bind(i64::from(r.gb))
                .bind(r.amount_jpy)
                .bind(r.invoice_id.map(i64::from))
                .bind(r.state.key())
                .bind(r.failure.as_deref())
                .bind(r.remaining_mb.map(i64::from))
                .bind(r.created_at_ms)
                .bind(r.updated_at_ms)
                .execute(&self.pool)
                .await?
                .rows_affected();
                if inserted == 1 {
                    return Ok(TopUpInsert::Created);
                }
                match self.topup(&r.id).await? {
                    Some(existing) => Ok(TopUpInsert::Existing(existing)),
                    None => Err($crate::server::store::StoreError::Other(anyhow::anyhow!(
                        "sim_topups: insert conflicted but no row was found"
                    ))),
                }
            }

            async fn topup(
                &self,
                id: &str,
            ) -> Result<
                Option<$crate::server::store::TopUpRecord>,
                $crate::server::store::StoreError,
            > {
                // The columns of `TopUpRow`, in order (also in `line_topups`).
                let row: Option<$crate::server::store::topups::TopUpRow> = sqlx::query_as(
                    "SELECT id, user_id, client_id, service_id, msisdn, gb, amount_jpy, \
                     invoice_id, state, failure, remaining_mb, created_at_ms, updated_at_ms \
                     FROM sim_topups WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::server::store::topups::record).transpose()
            }

            async fn advance_topup(
                &self,
                id: &str,
                step: &$crate::server::store::TopUpStep<'_>,
                now_ms: i64,
            ) -> Result<bool, $crate::server::store::StoreError> {
                if !step.from.may_become(step.to) {
                    return Err($crate::server::store::StoreError::Conflict(
                        "sim_topups: a step the life cycle forbids".into(),
                    ));
                }
                // Compare-and-set on the state read: of two racing steps one wins.
                let changed = sqlx::query(
                    "UPDATE sim_topups SET state = $1, invoice_id = COALESCE($2, invoice_id), \
                     failure = $3, remaining_mb = COALESCE($4, remaining_mb), updated_at_ms = $5 \
                     WHERE id = $6 AND state = $7",
                )
                .bind(step.to.key())
                .bind(step.invoice_id.map(i64::from))
                .bind(step.failure)
                .bind(step.remaining_mb.map(i64::from))
                .bind(now_ms)
                .bind(id)
                .bind(step.from.key())
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok(changed == 1)
            }

            async fn line_topups(
                &self,
                user_id: &str,
                msisdn: &str,
                limit: u32,
            ) -> Result<Vec<$crate::server::store::TopUpRecord>, $crate::server::store::StoreError>
            {
                let rows: Vec<$crate::server::store::topups::TopUpRow> = sqlx::query_as(
                    "SELECT id, user_id, client_id, service_id, msisdn, gb, amount_jpy, \
                     invoice_id, state, failure, remaining_mb, created_at_ms, updated_at_ms \
                     FROM sim_topups WHERE user_id = $1 AND msisdn = $2 \
                     ORDER BY created_at_ms DESC, id DESC LIMIT $3",
                )
                .bind(user_id)
                    .bind(msisdn)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter()
                    .map($crate::server::store::topups::record)
                    .collect()
            }
        }
    };
}

pub(super) use impl_topup_store;
