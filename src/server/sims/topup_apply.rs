//! The background half of a paid top-up: the `sim_topup` queue job (one per top-up, its dedupe
//! key the top-up id) that
//!
//! - for a top-up still `Invoiced` after an uncertain capture, reads the invoice's status in
//!   WHMCS (never captures): Paid → `Paid`; still Unpaid → `Failed` (payment unconfirmed, no
//!   charge);
//! - for a `Paid` top-up, adds the quota with `quotaCode` = invoice id, then records `Applied`
//!   with the megabytes left and drops the line's cached figures.
//!
//! Freebit applies a `quotaCode` once per line (a repeat answers 409-335 with the original
//! result, surfaced as `already_applied`), so this job, the inline try of the request and any
//! number of retries add the quota exactly once. Any failure is retried with backoff until it
//! lands; the job's attempts are generous because the money is already taken.

use crate::domain::sim::topup::{TopUpFailure, TopUpState};
use crate::domain::sim::{Msisdn, QuotaAddition, TopUpAmount};
use crate::server::cache::Cache;
use crate::server::integrations::freebit::{CachedLines, FreebitClient};
use crate::server::integrations::whmcs::WhmcsClient;
use crate::server::queue::{Enqueued, JobQueue, NewJob, QueueError};
use crate::server::state::AppState;
use crate::server::store::{Store, TopUpRecord, TopUpStep};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// The job kind.
pub const JOB_KIND: &str = "sim_topup";
/// Attempts before the dead-letter state: with the worker's backoff capped at minutes, days
/// of retrying (a paid top-up is not given up quietly; a buried one shows on `/status`).
pub const MAX_ATTEMPTS: u32 = 200;

/// The job's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopUpJob {
    /// The top-up's id.
    pub topup_id: String,
}

/// The job of a top-up.
pub fn job(topup_id: &str) -> Result<NewJob, QueueError> {
    let payload = serde_json::to_string(&TopUpJob {
        topup_id: topup_id.to_owned(),
    })
    .map_err(|e| QueueError::Backend(e.into()))?;
    Ok(NewJob {
        kind: JOB_KIND.into(),
        dedupe_key: format!("{JOB_KIND}:{topup_id}"),
        payload,
        max_attempts: MAX_ATTEMPTS,
    })
}

/// Queues the top-up's job (nothing is added while one is open for it).
pub async fn enqueue(queue: &dyn JobQueue, topup_id: &str) -> Result<Enqueued, QueueError> {
    queue
        .enqueue(&job(topup_id)?, OffsetDateTime::now_utc())
        .await
}

/// What one run came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyOutcome {
    /// Nothing left to do (applied, failed before a charge, or unknown).
    Done,
    /// Try again later, for this reason.
    Retry(String),
    /// The job's payload is unusable; bury it with this reason.
    GiveUp(String),
}

/// The collaborators of the job.
#[derive(Clone)]
pub struct TopUpApplier {
    /// The top-up rows.
    pub store: Arc<dyn Store>,
    /// Billing, for the invoice's status.
    pub whmcs: WhmcsClient,
    /// The SIM platform.
    pub freebit: FreebitClient,
    /// The cache the line's figures are dropped from.
    pub cache: Cache,
}

fn now_ms() -> i64 {
    crate::server::store::unix_ms(OffsetDateTime::now_utc())
}

impl TopUpApplier {
    /// From the app's state (the request's inline try).
    pub fn from_state(state: &AppState) -> Self {
        TopUpApplier {
            store: state.store.clone(),
            whmcs: state.providers.whmcs.clone(),
            freebit: state.providers.freebit.clone(),
            cache: state.cache.clone(),
        }
    }

    /// Runs a claimed job.
    pub async fn run_job(&self, payload: &str) -> ApplyOutcome {
        match serde_json::from_str::<TopUpJob>(payload) {
            Ok(job) => self.apply(&job.topup_id).await,
            Err(e) => ApplyOutcome::GiveUp(format!("unreadable payload: {e}")),
        }
    }

    /// Takes the top-up `id` as far as it can go now.
    pub async fn apply(&self, id: &str) -> ApplyOutcome {
        let record = match self.store.topup(id).await {
            Ok(Some(record)) => record,
            Ok(None) => return ApplyOutcome::GiveUp(format!("no top-up {id}")),
            Err(e) => return ApplyOutcome::Retry(format!("store: {e}")),
        };
        match record.state {
            TopUpState::Invoiced => match self.settle_payment(&record).await {
                Ok(Some(paid)) => self.add_quota(&paid).await,
                Ok(None) => ApplyOutcome::Done,
                Err(reason) => ApplyOutcome::Retry(reason),
            },
            TopUpState::Paid => self.add_quota(&record).await,
            TopUpState::Requested | TopUpState::Applied | TopUpState::Failed => ApplyOutcome::Done,
        }
    }

    /// An `Invoiced` top-up whose capture outcome is unknown: reads the invoice. `Some` with
    /// the paid record, `None` when it stopped (unpaid: nothing charged).
    async fn settle_payment(&self, record: &TopUpRecord) -> Result<Option<TopUpRecord>, String> {
        let Some(invoice_id) = record.invoice_id else {
            return Err("an invoiced top-up without an invoice id".into());
        };
        let read = self
            .whmcs
            .invoice_status(invoice_id)
            .await
            .map_err(|e| format!("GetInvoice: {e}"))?;
        let step = if read.is_paid() {
            TopUpStep {
                from: TopUpState::Invoiced,
                to: TopUpState::Paid,
                invoice_id: None,
                failure: None,
                remaining_mb: None,
            }
        } else {
            TopUpStep {
                from: TopUpState::Invoiced,
                to: TopUpState::Failed,
                invoice_id: None,
                failure: Some(TopUpFailure::PaymentUnconfirmed.key()),
                remaining_mb: None,
            }
        };
        self.store
            .advance_topup(&record.id, &step, now_ms())
            .await
            .map_err(|e| format!("store: {e}"))?;
        let now = self
            .store
            .topup(&record.id)
            .await
            .map_err(|e| format!("store: {e}"))?;
        Ok(now.filter(|r| r.state == TopUpState::Paid))
    }

    /// Adds a paid top-up's quota (idempotent by `quotaCode` = invoice id) and records it.
    async fn add_quota(&self, record: &TopUpRecord) -> ApplyOutcome {
        let Some(invoice_id) = record.invoice_id else {
            return ApplyOutcome::GiveUp("a paid top-up without an invoice id".into());
        };
        let Ok(msisdn) = Msisdn::parse(&record.msisdn) else {
            return ApplyOutcome::GiveUp("a top-up with an unreadable number".into());
        };
        let Ok(amount) = TopUpAmount::parse(&record.gb.to_string()) else {
            return ApplyOutcome::GiveUp("a top-up with an out-of-range amount".into());
        };
        let addition = QuotaAddition::top_up(amount, invoice_id.to_string());
        let result = match self.freebit.add_quota(&msisdn, &addition).await {
            Ok(result) => result,
            Err(e) => return ApplyOutcome::Retry(format!("Freebit ({}): {e}", e.kind())),
        };
        if result.already_applied {
            tracing::info!(
                topup = record.id,
                "the quota had been added before; recording it"
            );
        }
        let step = TopUpStep {
            from: TopUpState::Paid,
            to: TopUpState::Applied,
            invoice_id: None,
            failure: None,
            remaining_mb: Some(result.remaining_mb),
        };
        if let Err(e) = self.store.advance_topup(&record.id, &step, now_ms()).await {
            // The quota is on the line; recording it again next time is harmless (the code
            // is answered as already applied).
            return ApplyOutcome::Retry(format!("store: {e}"));
        }
        CachedLines::new(
            self.freebit.clone(),
            self.cache.clone(),
            Duration::ZERO,
            Duration::ZERO,
        )
        .invalidate(&msisdn)
        .await;
        tracing::info!(
            topup = record.id,
            invoice = invoice_id,
            mb = result.added_mb,
            "SIM top-up applied"
        );
        metrics::counter!("sim_topups_applied_total").increment(1);
        ApplyOutcome::Done
    }
}
