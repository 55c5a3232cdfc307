//! A cancellation request: checked (type, reason), only for the customer's own service while
//! it is live, handed to WHMCS (`AddCancelRequest`; staff or WHMCS's cron act on it), recorded
//! in the customer's audit log, and the cached services dropped.

use super::namespace;
use crate::domain::account::AuditKind;
use crate::domain::services::{CancellationOutcome, CancellationRequest};
use crate::error::AppError;
use crate::server::auth::audit;
use crate::server::auth::client_info::ClientInfo;
use crate::server::auth::customer::Customer;
use crate::server::billing::{currency_context, whmcs_error};
use crate::server::errors::with_status;
use crate::server::integrations::whmcs::CancelOutcome;
use crate::server::state::AppState;

/// Requests cancellation of service `id` (`kind`: a `CancellationType` key; `reason`: free
/// text). Refused fields → `Validation`; not theirs → `NotFound`; already ended (cancelled,
/// terminated, completed…) → `Conflict`. An open request is `AlreadyRequested`, not an error.
pub async fn request_cancellation(
    state: &AppState,
    customer: &Customer,
    id: u32,
    kind: &str,
    reason: &str,
) -> Result<CancellationOutcome, AppError> {
    let request = CancellationRequest::parse(kind, reason)
        .map_err(|fields| with_status(AppError::Validation { fields }))?;
    customer.whmcs_client_id()?;
    let ctx = currency_context(state).await?;
    let whmcs = &state.providers.whmcs;
    // Read uncached: the status must be current to decide whether it can still be cancelled.
    let (owner, service) = whmcs.service(&ctx, id).await.map_err(whmcs_error)?;
    customer.owns_whmcs(owner)?;
    if !service.status.is_live() {
        return Err(with_status(AppError::Conflict));
    }
    let outcome = whmcs
        .add_cancel_request(id, request.kind(), request.reason())
        .await
        .map_err(whmcs_error)?;
    if let Err(err) = state.cache.invalidate(&namespace(customer.user_id())).await {
        tracing::warn!(error = %err, "could not invalidate the services cache");
    }
    Ok(match outcome {
        CancelOutcome::Requested => {
            tracing::info!(
                service_id = id,
                kind = request.kind().key(),
                "cancellation requested"
            );
            audit::record(
                state.store.as_ref(),
                customer.user_id(),
                AuditKind::CancellationRequested,
                &ClientInfo::current(),
            )
            .await;
            CancellationOutcome::Requested
        }
        CancelOutcome::AlreadyRequested => CancellationOutcome::AlreadyRequested,
    })
}
