//! Retrying what the customer fixed: when billing reports a new payment method
//! (`pay_method.added`), the customer's orders that failed with `NO_PAYMENT_METHOD` are put
//! back in the queue — the order page promises exactly that. Their ledger goes from the
//! reported failure back to the start (the one way back the ledger's rules allow), so the job
//! runs every step again; nothing else changes until it does.

use super::enqueue;
use crate::domain::orders::ProvisioningStatus;
use crate::domain::provisioning::{Failure, Stage, failure_code};
use crate::server::integrations::salesforce::{SalesforceId, SalesforceOrders};
use crate::server::queue::JobQueue;
use crate::server::store::{Store, unix_ms};
use time::OffsetDateTime;

/// Re-queues the account's orders whose provisioning failed for want of a payment method;
/// how many. An error leaves nothing half done that a second call would not finish.
pub async fn after_payment_method_added(
    orders: &SalesforceOrders,
    store: &dyn Store,
    queue: &dyn JobQueue,
    account_id: &SalesforceId,
    max_attempts: u32,
) -> anyhow::Result<usize> {
    let wanted = Failure::NoPaymentMethod.code();
    let mut requeued = 0;
    for order in orders.orders_for_account(account_id).await? {
        let failed_for_payment = order.provisioning == ProvisioningStatus::Failed
            && order.error.as_deref().and_then(failure_code) == Some(wanted);
        if !failed_for_payment {
            continue;
        }
        let stage = store.ledger_stage(&order.id).await?;
        if let Some(failed @ Stage::Failed { failure, .. }) = &stage
            && failure.code() == wanted
        {
            let now = unix_ms(OffsetDateTime::now_utc());
            // A lost compare-and-set means another event re-queued it first: still enqueue
            // (a no-op while its job is open).
            store
                .advance_ledger(&order.id, Some(failed), &Stage::Received, now)
                .await?;
        }
        enqueue(queue, &order.id, max_attempts).await?;
        requeued += 1;
        tracing::info!(
            order = order.id,
            "a payment method was added: provisioning again"
        );
    }
    metrics::counter!("provisioning_requeued_total", "reason" => wanted).increment(requeued as u64);
    Ok(requeued)
}
