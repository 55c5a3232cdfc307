//! Queue workers: claim a job, run the orchestrator under the job's lease (renewed while it
//! runs), then complete it, retry it later with backoff and jitter, or bury it in the
//! dead-letter state with its reason. Shutdown lets an in-flight job finish for a grace period
//! and otherwise releases it for another worker, uncounted.
//!
//! Shape: [`run_once`] (one claim; tests drive it) and [`run`] (the loop).
//!
//! Jobs are dispatched by kind: `provision_order` runs the orchestrator, `sim_topup` adds a paid
//! top-up's quota ([`TopUpApplier`]); any other kind is buried with its reason, never mistaken
//! for an order.

use super::fulfil::{Fulfilment, Outcome, StepError};
use super::{JOB_KIND, ProvisionJob};
use crate::server::config::ProvisioningSettings;
use crate::server::integrations::salesforce::SalesforceId;
use crate::server::queue::{Job, JobQueue, backoff_delay};
use crate::server::sims::topup_apply::{self, ApplyOutcome, TopUpApplier};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;

/// How long shutdown waits for an in-flight job before releasing it.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// What one claim came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ran {
    /// Nothing was due.
    Idle,
    /// The job finished (provisioned or reported failed).
    Completed(Outcome),
    /// It will run again later.
    Retrying(String),
    /// It is in the dead-letter state.
    Buried(String),
    /// Shutdown released it.
    Released,
    /// A job of another kind (a top-up) finished.
    Done,
}

/// The worker's settings and collaborators.
#[derive(Clone)]
pub struct Worker {
    /// The queue.
    pub queue: Arc<dyn JobQueue>,
    /// The orchestrator.
    pub fulfil: Fulfilment,
    /// Lease holder name.
    pub holder: String,
    /// Settings.
    pub settings: ProvisioningSettings,
    /// Runs `sim_topup` jobs.
    pub topups: TopUpApplier,
}

impl Worker {
    /// Claims and runs at most one job.
    pub async fn run_once(&self, shutdown: &CancellationToken) -> anyhow::Result<Ran> {
        let lease = self.settings.lease();
        let Some(job) = self
            .queue
            .claim(&self.holder, lease, OffsetDateTime::now_utc())
            .await?
        else {
            return Ok(Ran::Idle);
        };
        super::chaos::reached("claimed");
        let started = std::time::Instant::now();
        let ran = self.process(&job, shutdown).await?;
        let outcome = match &ran {
            Ran::Completed(Outcome::Provisioned(_)) => "provisioned",
            Ran::Completed(Outcome::Failed(_)) => "failed",
            Ran::Retrying(_) => "retry",
            Ran::Buried(_) => "dead",
            Ran::Done => "done",
            Ran::Released | Ran::Idle => "released",
        };
        metrics::counter!("provisioning_jobs_total", "outcome" => outcome).increment(1);
        metrics::histogram!("provisioning_job_seconds").record(started.elapsed().as_secs_f64());
        Ok(ran)
    }

    async fn process(&self, job: &Job, shutdown: &CancellationToken) -> anyhow::Result<Ran> {
        if job.kind == topup_apply::JOB_KIND {
            return self.process_topup(job).await;
        }
        let now = OffsetDateTime::now_utc();
        let order = match parse(job) {
            Ok(order) => order,
            Err(reason) => {
                self.queue.bury(job, &reason, now).await?;
                return Ok(Ran::Buried(reason));
            }
        };
        if job.attempts > job.max_attempts {
            // Its workers kept dying (lease expiries count as attempts too).
            let reason = "attempts exhausted (the job's workers stopped before finishing)";
            self.queue.bury(job, reason, now).await?;
            return Ok(Ran::Buried(reason.into()));
        }
        let run = self.fulfil.run(&order);
        tokio::pin!(run);
        let result = tokio::select! {
            result = &mut run => result,
            () = self.keep_lease(job) => unreachable_lease(),
            () = shutdown.cancelled() => {
                match tokio::time::timeout(SHUTDOWN_GRACE, &mut run).await {
                    Ok(result) => result,
                    Err(_) => {
                        self.queue.release(job).await?;
                        return Ok(Ran::Released);
                    }
                }
            }
        };
        let now = OffsetDateTime::now_utc();
        Ok(match result {
            Ok(outcome) => {
                self.queue.complete(job, now).await?;
                Ran::Completed(outcome)
            }
            Err(StepError::Skipped(reason)) => {
                tracing::info!(order = order.as_str(), reason, "provisioning skipped");
                self.queue.complete(job, now).await?;
                Ran::Completed(Outcome::Provisioned(None))
            }
            Err(StepError::Permanent(failure)) => {
                // `run` records permanent failures itself; reaching here means it could not.
                let reason = failure.crm_text();
                self.queue.bury(job, &reason, now).await?;
                Ran::Buried(reason)
            }
            Err(StepError::Transient(reason)) if job.attempts >= job.max_attempts => {
                tracing::error!(
                    order = order.as_str(),
                    reason,
                    "provisioning gave up; job buried"
                );
                self.queue.bury(job, &reason, now).await?;
                Ran::Buried(reason)
            }
            Err(StepError::Transient(reason)) => {
                let delay = backoff_delay(
                    job.attempts,
                    self.settings.backoff_base(),
                    self.settings.backoff_max(),
                    rand::random::<f64>(),
                );
                tracing::warn!(
                    order = order.as_str(),
                    reason,
                    attempt = job.attempts,
                    delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    "provisioning will retry"
                );
                self.queue.retry(job, &reason, now + delay).await?;
                Ran::Retrying(reason)
            }
        })
    }

    /// A `sim_topup` job: short (one or two provider calls), so it runs without lease renewal;
    /// a failure is retried with the same backoff as orders, until its generous attempts run
    /// out (then it is buried and shows on `/status`).
    async fn process_topup(&self, job: &Job) -> anyhow::Result<Ran> {
        let outcome = self.topups.run_job(&job.payload).await;
        let now = OffsetDateTime::now_utc();
        Ok(match outcome {
            ApplyOutcome::Done => {
                self.queue.complete(job, now).await?;
                Ran::Done
            }
            ApplyOutcome::GiveUp(reason) => {
                self.queue.bury(job, &reason, now).await?;
                Ran::Buried(reason)
            }
            ApplyOutcome::Retry(reason) if job.attempts >= job.max_attempts => {
                tracing::error!(job = job.id, reason, "top-up job gave up; buried");
                self.queue.bury(job, &reason, now).await?;
                Ran::Buried(reason)
            }
            ApplyOutcome::Retry(reason) => {
                let delay = backoff_delay(
                    job.attempts,
                    self.settings.backoff_base(),
                    self.settings.backoff_max(),
                    rand::random::<f64>(),
                );
                tracing::warn!(
                    job = job.id,
                    reason,
                    attempt = job.attempts,
                    "top-up job will retry"
                );
                self.queue.retry(job, &reason, now + delay).await?;
                Ran::Retrying(reason)
            }
        })
    }

    /// Renews the lease at a third of its length, forever (until the select drops it); a
    /// lost lease is logged — the ledger's compare-and-set keeps the steps right regardless.
    async fn keep_lease(&self, job: &Job) {
        let lease = self.settings.lease();
        loop {
            tokio::time::sleep(lease / 3).await;
            if let Err(e) = self
                .queue
                .extend(job, lease, OffsetDateTime::now_utc())
                .await
            {
                tracing::warn!(error = %e, job = job.id, "could not renew a job's lease");
            }
        }
    }

    /// Runs jobs until shutdown.
    pub async fn run(self, shutdown: CancellationToken) {
        let poll = self.settings.poll();
        while !shutdown.is_cancelled() {
            match self.run_once(&shutdown).await {
                Ok(Ran::Idle) => {
                    tokio::select! {
                        () = shutdown.cancelled() => break,
                        () = tokio::time::sleep(poll) => {}
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error.cause_chain = ?e, "the provisioning queue failed; backing off");
                    tokio::select! {
                        () = shutdown.cancelled() => break,
                        () = tokio::time::sleep(poll * 10) => {}
                    }
                }
            }
        }
    }
}

fn unreachable_lease() -> Result<Outcome, StepError> {
    Err(StepError::Transient("the lease keeper stopped".into()))
}

fn parse(job: &Job) -> Result<SalesforceId, String> {
    if job.kind != JOB_KIND {
        return Err(format!("unknown job kind {:?}", job.kind));
    }
    let payload: ProvisionJob =
        serde_json::from_str(&job.payload).map_err(|e| format!("unreadable payload: {e}"))?;
    SalesforceId::parse(&payload.order_id)
        .map_err(|_| "the payload's order id is not a record id".into())
}
