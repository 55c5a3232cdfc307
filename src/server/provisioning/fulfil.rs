//! The fulfilment orchestrator: the seeds' six steps for one CRM order, each step's outcome
//! recorded in the ledger before the next starts, so a retried or duplicated job resumes after
//! the last recorded step (the ledger's rules: `domain::provisioning::Stage`).
//!
//! 1. load and validate the CRM order; 2. the billing client must have a payment method;
//! 3. map the items to billing lines and resolve their options; 4. `AddOrder` — unless an
//!    order carrying this CRM order's note already exists (a crash between adding it and
//!    recording it); 5. `AcceptOrder`; 6. write the outcome on the CRM order.
//!
//! Errors are sorted into [`StepError::Transient`] (try the job again later) and
//! [`StepError::Permanent`] (record the failure, tell the customer why).

use crate::domain::provisioning::{
    Failure, Next, ProvisionOrder, Readiness, Stage, billing_lines, check_ready, order_note,
    resolve_config_options,
};
use crate::server::cache::Cache;
use crate::server::integrations::salesforce::{
    ProvisioningUpdate, SalesforceError, SalesforceId, SalesforceProvisioning,
};
use crate::server::integrations::whmcs::orders::NewBillingOrder;
use crate::server::integrations::whmcs::{WhmcsClient, WhmcsError};
use crate::server::live::{LiveUpdates, OrderEvent};
use crate::server::store::{Store, StoreError};
use std::sync::Arc;
use time::OffsetDateTime;

/// How a step went wrong.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// Worth trying again later (a provider down, slow or throttling; the store unreachable).
    #[error("transient: {0}")]
    Transient(String),
    /// The order cannot be provisioned as it is; the CRM order says why.
    #[error("failed: {0}")]
    Permanent(Failure),
    /// The order is not (or no longer) something to provision: nothing is written anywhere.
    #[error("skipped: {0}")]
    Skipped(String),
}

impl From<StoreError> for StepError {
    fn from(e: StoreError) -> Self {
        StepError::Transient(format!("store: {e}"))
    }
}

fn whmcs_error(e: WhmcsError) -> StepError {
    if e.is_transient() || matches!(e, WhmcsError::Authentication { .. } | WhmcsError::Decode(_)) {
        // Credentials and unreadable answers are the operator's to fix; retrying (and in the
        // end the dead-letter state) keeps the order rather than failing it.
        StepError::Transient(format!("WHMCS: {e}"))
    } else {
        let message = match e {
            WhmcsError::Api { message }
            | WhmcsError::Validation { message }
            | WhmcsError::NotFound { message } => message,
            other => other.to_string(),
        };
        StepError::Permanent(Failure::Refused(message))
    }
}

fn salesforce_error(e: SalesforceError) -> StepError {
    // A refused write on the CRM order is a configuration problem (field names, permissions),
    // not the customer's: keep retrying so it lands in the dead-letter state with its reason.
    StepError::Transient(format!("Salesforce: {e}"))
}

/// What a run came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Provisioned (now or earlier) as this billing order.
    Provisioned(Option<u32>),
    /// Failed for good, and the CRM order says so.
    Failed(Failure),
}

/// The orchestrator's dependencies.
#[derive(Clone)]
pub struct Fulfilment {
    /// Billing.
    pub whmcs: WhmcsClient,
    /// The CRM's provisioning reads and writes.
    pub crm: SalesforceProvisioning,
    /// The ledger.
    pub store: Arc<dyn Store>,
    /// Cached customer data to drop when an order changes.
    pub cache: Cache,
    /// Order page subscribers.
    pub live: LiveUpdates,
    /// The gateway `AddOrder` names (`[provisioning] payment_gateway`).
    pub gateway: String,
}

impl Fulfilment {
    /// Runs every step left for `order_id`, recording each.
    pub async fn run(&self, order_id: &SalesforceId) -> Result<Outcome, StepError> {
        let key = order_id.as_str();
        // Each pass reads the ledger, does the next step and records it; a lost
        // compare-and-set (another worker recorded first) simply reads again.
        for _ in 0..16 {
            let stage = self.store.ledger_stage(key).await?;
            let current = stage.clone().unwrap_or(Stage::Received);
            let next = match current.next() {
                Next::AddOrder => self.add(order_id).await,
                Next::AcceptOrder(id) => self.accept(id).await,
                Next::ReportProvisioned(id) => self.report_provisioned(order_id, id).await,
                Next::ReportFailure(failure) => self.report_failure(order_id, failure).await,
                Next::Done => {
                    return Ok(match current {
                        Stage::Failed { failure, .. } => Outcome::Failed(failure),
                        other => Outcome::Provisioned(other.billing_order_id()),
                    });
                }
            };
            let to = match next {
                Ok(Some(to)) => {
                    super::chaos::reached_stage("step", to.name());
                    to
                }
                Ok(None) => return Ok(Outcome::Provisioned(None)),
                Err(StepError::Permanent(failure)) => Stage::Failed {
                    failure,
                    reported: false,
                },
                Err(other) => return Err(other),
            };
            let now_ms = crate::server::store::unix_ms(OffsetDateTime::now_utc());
            if self
                .store
                .advance_ledger(key, stage.as_ref(), &to, now_ms)
                .await?
            {
                metrics::counter!("provisioning_steps_total", "stage" => to.name()).increment(1);
                tracing::info!(order = key, stage = to.name(), "provisioning step recorded");
                super::chaos::reached_stage("recorded", to.name());
            }
        }
        Err(StepError::Transient(
            "the ledger kept changing under this worker".into(),
        ))
    }

    /// Steps 1–4. `Ok(None)`: already provisioned outside this ledger (nothing to record).
    async fn add(&self, order_id: &SalesforceId) -> Result<Option<Stage>, StepError> {
        let order = self
            .crm
            .order(order_id)
            .await
            .map_err(salesforce_error)?
            .ok_or_else(|| StepError::Skipped("the CRM has no such order".into()))?;
        match check_ready(&order) {
            Ok(Readiness::AlreadyProvisioned) => return Ok(None),
            Ok(Readiness::Ready) => {}
            Err(Failure::NotApproved) => {
                return Err(StepError::Skipped("the order is not approved".into()));
            }
            Err(other) => return Err(StepError::Permanent(other)),
        }
        self.crm
            .record(order_id, &ProvisioningUpdate::InProgress)
            .await
            .map_err(salesforce_error)?;
        super::chaos::reached("crm:in-progress");
        self.announce(&order).await;
        let client_id = order
            .billing_client_id
            .ok_or(StepError::Permanent(Failure::NoBillingAccount))?;
        if let Some(existing) = self
            .whmcs
            .order_marked_for(client_id, order_id.as_str())
            .await
            .map_err(whmcs_error)?
        {
            tracing::info!(
                order = order_id.as_str(),
                billing_order = existing.id,
                "found the billing order an earlier attempt added"
            );
            return Ok(Some(Stage::Added {
                billing_order_id: existing.id,
            }));
        }
        let methods = self
            .whmcs
            .pay_methods(client_id)
            .await
            .map_err(whmcs_error)?;
        if methods.is_empty() {
            return Err(StepError::Permanent(Failure::NoPaymentMethod));
        }
        let lines = billing_lines(&order.items).map_err(StepError::Permanent)?;
        let mut resolved = Vec::with_capacity(lines.len());
        for line in &lines {
            let options = if line.config_options.is_empty() {
                Vec::new()
            } else {
                let defs = self
                    .whmcs
                    .config_options(line.product_id)
                    .await
                    .map_err(whmcs_error)?;
                resolve_config_options(line, &defs).map_err(StepError::Permanent)?
            };
            resolved.push((line, options));
        }
        let added = self
            .whmcs
            .add_order(&NewBillingOrder {
                client_id,
                payment_method: &self.gateway,
                lines: resolved,
                notes: order_note(order_id.as_str()),
            })
            .await
            .map_err(whmcs_error)?;
        Ok(Some(Stage::Added {
            billing_order_id: added.order_id,
        }))
    }

    /// Step 5.
    async fn accept(&self, billing_order_id: u32) -> Result<Option<Stage>, StepError> {
        self.whmcs
            .accept_order(billing_order_id)
            .await
            .map_err(whmcs_error)?;
        Ok(Some(Stage::Accepted { billing_order_id }))
    }

    /// Step 6, success.
    async fn report_provisioned(
        &self,
        order_id: &SalesforceId,
        billing_order_id: u32,
    ) -> Result<Option<Stage>, StepError> {
        self.crm
            .record(
                order_id,
                &ProvisioningUpdate::Provisioned {
                    billing_order_id,
                    at: OffsetDateTime::now_utc(),
                },
            )
            .await
            .map_err(salesforce_error)?;
        self.after_change(order_id).await;
        Ok(Some(Stage::Completed { billing_order_id }))
    }

    /// Step 6, failure.
    async fn report_failure(
        &self,
        order_id: &SalesforceId,
        failure: Failure,
    ) -> Result<Option<Stage>, StepError> {
        self.crm
            .record(order_id, &ProvisioningUpdate::Failed(failure.crm_text()))
            .await
            .map_err(salesforce_error)?;
        metrics::counter!("provisioning_failures_total", "code" => failure.code()).increment(1);
        self.after_change(order_id).await;
        Ok(Some(Stage::Failed {
            failure,
            reported: true,
        }))
    }

    /// Drops the customer's cached orders, services and invoices and tells open order pages.
    async fn after_change(&self, order_id: &SalesforceId) {
        match self.crm.order(order_id).await {
            Ok(Some(order)) => self.announce(&order).await,
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "could not re-read the order to announce it"),
        }
    }

    async fn announce(&self, order: &ProvisionOrder) {
        let Some(client_id) = order.billing_client_id else {
            return;
        };
        match self.store.user_by_whmcs_client(i64::from(client_id)).await {
            Ok(Some(user)) => {
                for ns in [
                    crate::server::orders::namespace(&user.id),
                    crate::server::services::namespace(&user.id),
                    crate::server::billing::namespace(&user.id),
                ] {
                    if let Err(e) = self.cache.invalidate(&ns).await {
                        tracing::warn!(error = %e, ns, "could not drop a cached namespace");
                    }
                }
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "could not find the order's portal user"),
        }
        self.live
            .publish(OrderEvent {
                order_id: order.id.clone(),
            })
            .await;
    }
}
