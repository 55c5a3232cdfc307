//! Paid data top-ups: the customer picks 1–50 GB, WHMCS invoices and charges their default card,
//! then Freebit adds the quota keyed by the invoice id. The flow, and why it never charges
//! twice nor adds twice:
//!
//! 1. Checks before any money moves: the line is the customer's (exactly like
//!    [`line`](super::line): anyone else's number is `NotFound`), the amount is 1–50 GB, the
//!    line is in service, and the default pay method is a card (else "add a card").
//! 2. The top-up row is stored under the form's idempotency key. A repeated submit (double
//!    click, a re-posted no-JS form, a retry after a lost answer) finds that row and is
//!    answered with its state: no second invoice, no second capture.
//! 3. `CreateInvoice`; its id is recorded at once (`Invoiced`). A failure here stops the
//!    top-up (`Failed`, nothing charged).
//! 4. `CapturePayment`, never repeated: a refusal leaves the invoice unpaid (`Failed`,
//!    declined); an answer lost on the way (a time-out, a proxy's 5xx) is settled by reading
//!    the invoice's status — Paid goes on, Unpaid stops — and, when even that read fails, by
//!    the background job, which reads it later.
//! 5. Once `Paid`, a queue job keyed by the top-up adds the quota with `quotaCode` = invoice
//!    id ([`topup_apply`](super::topup_apply)); the request also tries once inline so the
//!    customer usually sees the new figure at once. Freebit applies a code once per line, so
//!    the inline try and the job, or any retry, add the quota once.

use super::topup_apply::{self, ApplyOutcome, TopUpApplier};
use crate::api::sims::topup::{TopUpOffer, TopUpView};
use crate::domain::billing::PayMethodKind;
use crate::domain::common::date::JST;
use crate::domain::sim::topup::{TopUpFailure, TopUpPrice, TopUpState, valid_key};
use crate::domain::sim::{LineState, Msisdn, TopUpAmount};
use crate::error::{AppError, FieldError, FieldProblem};
use crate::server::auth::customer::Customer;
use crate::server::errors::{internal, with_status};
use crate::server::integrations::whmcs::WhmcsError;
use crate::server::integrations::whmcs::invoicing::{Capture, InvoiceItem, NewInvoice};
use crate::server::sims::{cached_lines, freebit_error};
use crate::server::state::AppState;
use crate::server::store::{StoreError, TopUpInsert, TopUpRecord, TopUpStep};
use time::{Duration, OffsetDateTime};

/// Top-ups listed in a line's history.
pub const HISTORY: u32 = 10;

/// A refusal of one pseudo-field (`card`, `line`, `key`) or a real one (`gb`).
fn refuse(field: &str, problem: FieldProblem) -> AppError {
    with_status(AppError::Validation {
        fields: vec![FieldError {
            field: field.into(),
            problem,
        }],
    })
}

fn store_error(err: StoreError) -> AppError {
    internal(anyhow::Error::new(err).context("top-up store"))
}

fn now_ms() -> i64 {
    crate::server::store::unix_ms(OffsetDateTime::now_utc())
}

/// A stored top-up as the page shows it.
pub fn view(record: &TopUpRecord) -> TopUpView {
    TopUpView {
        id: record.id.clone(),
        number: record.msisdn.clone(),
        gb: record.gb,
        amount_jpy: record.amount_jpy,
        invoice_id: record.invoice_id,
        state: record.state,
        failure: record.failure.as_deref().and_then(TopUpFailure::parse),
        remaining_mb: record.remaining_mb,
        created_at_ms: record.created_at_ms,
    }
}

/// What the top-up section needs: the price, a fresh idempotency key for the form, whether
/// the line can be topped up now, and the line's recent top-ups.
pub async fn offer(
    state: &AppState,
    customer: &Customer,
    number: &str,
) -> Result<TopUpOffer, AppError> {
    let (_, msisdn) = super::owned_line(state, customer, number).await?;
    let line_state = match cached_lines(state).detail(&msisdn).await {
        Ok(detail) => Some(detail.value.state),
        Err(err) => {
            tracing::warn!(error = %err, "SIM line not described for a top-up offer");
            None
        }
    };
    let history = state
        .store
        .line_topups(customer.user_id(), msisdn.digits(), HISTORY)
        .await
        .map_err(store_error)?;
    Ok(TopUpOffer {
        number: msisdn.digits().to_owned(),
        formatted: msisdn.formatted(),
        price_per_gb_jpy: state.sims.topup_price_per_gb_jpy,
        tax_bp: state.tax_rate_bp,
        key: uuid::Uuid::new_v4().to_string(),
        available: line_state.is_some_and(accepts_top_up),
        platform_unreachable: line_state.is_none(),
        history: history.iter().map(view).collect(),
    })
}

/// One of the customer's top-ups of this line (`NotFound` for anyone else's).
pub async fn status(
    state: &AppState,
    customer: &Customer,
    number: &str,
    id: &str,
) -> Result<TopUpView, AppError> {
    let (_, msisdn) = super::owned_line(state, customer, number).await?;
    let record = state
        .store
        .topup(id)
        .await
        .map_err(store_error)?
        .filter(|r| r.user_id == customer.user_id() && r.msisdn == msisdn.digits())
        .ok_or_else(|| with_status(AppError::NotFound))?;
    Ok(view(&record))
}

/// Lines in service (a scheduled cancellation still runs until its day) take top-ups.
fn accepts_top_up(state: LineState) -> bool {
    matches!(state, LineState::Active | LineState::CancelScheduled { .. })
}

/// The invoice line: "Data top-up 3 GB for 090-1234-5678".
pub fn invoice_description(gb: u32, msisdn: &Msisdn) -> String {
    format!("Data top-up {gb} GB for {}", msisdn.formatted())
}

/// Buys `gb` of data for the customer's line `number`, once per idempotency `key`.
pub async fn submit(
    state: &AppState,
    customer: &Customer,
    number: &str,
    gb: &str,
    key: &str,
) -> Result<TopUpView, AppError> {
    let key = valid_key(key).ok_or_else(|| refuse("key", FieldProblem::Invalid))?;
    let amount = TopUpAmount::parse(gb)
        .map_err(|e| with_status(AppError::Validation { fields: vec![e] }))?;
    let (service, msisdn) = super::owned_line(state, customer, number).await?;
    // A repeat of a submit already recorded: answer with what it came to, touch nothing.
    if let Some(existing) = state.store.topup(key).await.map_err(store_error)? {
        if existing.user_id != customer.user_id() || existing.msisdn != msisdn.digits() {
            return Err(with_status(AppError::NotFound));
        }
        return Ok(view(&existing));
    }
    let detail = cached_lines(state)
        .detail(&msisdn)
        .await
        .map_err(freebit_error)?;
    if !accepts_top_up(detail.value.state) {
        return Err(refuse("line", FieldProblem::Invalid));
    }
    let client_id = customer.whmcs_client_id()?;
    let whmcs = &state.providers.whmcs;
    let methods = whmcs.pay_methods(client_id).await.map_err(billing_error)?;
    let card_first = methods
        .iter()
        .find(|m| m.is_default)
        .or_else(|| methods.first())
        .is_some_and(|m| m.kind == PayMethodKind::Card);
    if !card_first {
        return Err(refuse("card", FieldProblem::Required));
    }
    let price = TopUpPrice::of(
        amount.gb(),
        state.sims.topup_price_per_gb_jpy,
        state.tax_rate_bp,
    );
    let now = now_ms();
    let record = TopUpRecord {
        id: key.to_owned(),
        user_id: customer.user_id().to_owned(),
        client_id,
        service_id: service.id,
        msisdn: msisdn.digits().to_owned(),
        gb: amount.gb(),
        amount_jpy: price.total_jpy,
        invoice_id: None,
        state: TopUpState::Requested,
        failure: None,
        remaining_mb: None,
        created_at_ms: now,
        updated_at_ms: now,
    };
    match state
        .store
        .insert_topup(&record)
        .await
        .map_err(store_error)?
    {
        TopUpInsert::Created => {}
        // Another request with the same key got here first; it does the work.
        TopUpInsert::Existing(existing) => return Ok(view(&existing)),
    }
    tracing::info!(
        topup = key,
        service = service.id,
        gb = amount.gb(),
        "SIM top-up requested"
    );
    let record = invoice_and_capture(state, record, &msisdn).await?;
    Ok(view(&record))
}

/// A WHMCS failure before anything was charged.
fn billing_error(err: WhmcsError) -> AppError {
    if err.is_transient() {
        tracing::warn!(error = %err, "WHMCS unavailable");
        with_status(AppError::Unavailable)
    } else {
        internal(anyhow::Error::new(err).context("WHMCS call failed"))
    }
}

/// Records a step and returns the record as it now is (re-read when another step won).
async fn step(
    state: &AppState,
    record: &TopUpRecord,
    step: TopUpStep<'_>,
) -> Result<TopUpRecord, AppError> {
    let moved = state
        .store
        .advance_topup(&record.id, &step, now_ms())
        .await
        .map_err(store_error)?;
    if !moved {
        tracing::info!(topup = record.id, "top-up moved on elsewhere");
    }
    state
        .store
        .topup(&record.id)
        .await
        .map_err(store_error)?
        .ok_or_else(|| internal(anyhow::anyhow!("top-up {} vanished", record.id)))
}

fn failed(from: TopUpState, reason: TopUpFailure) -> TopUpStep<'static> {
    TopUpStep {
        from,
        to: TopUpState::Failed,
        invoice_id: None,
        failure: Some(reason.key()),
        remaining_mb: None,
    }
}

/// Steps 3–5 of the flow for a freshly stored top-up.
async fn invoice_and_capture(
    state: &AppState,
    record: TopUpRecord,
    msisdn: &Msisdn,
) -> Result<TopUpRecord, AppError> {
    let whmcs = &state.providers.whmcs;
    let today = OffsetDateTime::now_utc().to_offset(JST).date();
    let invoice = NewInvoice {
        client_id: record.client_id,
        payment_method: state.sims.topup_gateway.clone(),
        date: today,
        due_date: today + Duration::days(i64::from(state.sims.topup_due_days)),
        items: vec![InvoiceItem {
            description: invoice_description(record.gb, msisdn),
            amount_jpy: i64::from(record.gb) * i64::from(state.sims.topup_price_per_gb_jpy),
            taxed: true,
        }],
    };
    let invoice_id = match whmcs.create_invoice(&invoice).await {
        Ok(id) => id,
        Err(err) => {
            // An answer lost after WHMCS made the invoice leaves an unpaid invoice nobody
            // captures: never a charge. The customer is told to try again.
            tracing::warn!(topup = record.id, error = %err, "CreateInvoice failed; top-up stopped");
            return step(
                state,
                &record,
                failed(TopUpState::Requested, TopUpFailure::InvoiceFailed),
            )
            .await;
        }
    };
    let record = step(
        state,
        &record,
        TopUpStep {
            from: TopUpState::Requested,
            to: TopUpState::Invoiced,
            invoice_id: Some(invoice_id),
            failure: None,
            remaining_mb: None,
        },
    )
    .await?;
    if record.state != TopUpState::Invoiced {
        return Ok(record);
    }
    let unpaid_reason = match whmcs.capture_payment(invoice_id).await {
        Ok(Capture::Paid) => None,
        Ok(Capture::Declined) => {
            tracing::info!(topup = record.id, invoice = invoice_id, "capture declined");
            return step(
                state,
                &record,
                failed(TopUpState::Invoiced, TopUpFailure::Declined),
            )
            .await;
        }
        // Not Unpaid any more: only its status says whether that is "paid".
        Ok(Capture::NotUnpaid) => Some(TopUpFailure::NotPayable),
        Err(err) => {
            // The answer was lost: WHMCS may or may not have charged. Ask, never capture again.
            tracing::warn!(topup = record.id, invoice = invoice_id, error = %err, "capture outcome unknown; reading the invoice");
            Some(TopUpFailure::PaymentUnconfirmed)
        }
    };
    if let Some(reason) = unpaid_reason {
        match whmcs.invoice_status(invoice_id).await {
            Ok(read) if read.is_paid() => {}
            Ok(_) => {
                return step(state, &record, failed(TopUpState::Invoiced, reason)).await;
            }
            Err(err) => return uncertain(state, record, &err).await,
        }
    }
    let record = step(
        state,
        &record,
        TopUpStep {
            from: TopUpState::Invoiced,
            to: TopUpState::Paid,
            invoice_id: None,
            failure: None,
            remaining_mb: None,
        },
    )
    .await?;
    if record.state != TopUpState::Paid {
        return Ok(record);
    }
    // Durable first: once the job is queued the quota lands even if this process dies now.
    if let Err(err) = topup_apply::enqueue(state.queue.as_ref(), &record.id).await {
        tracing::error!(topup = record.id, error = %err, "could not queue the quota step; trying inline");
    }
    let applier = TopUpApplier::from_state(state);
    match applier.apply(&record.id).await {
        ApplyOutcome::Done => {}
        ApplyOutcome::Retry(reason) => {
            tracing::info!(
                topup = record.id,
                reason,
                "quota not added yet; the job retries"
            );
        }
        ApplyOutcome::GiveUp(reason) => {
            tracing::error!(
                topup = record.id,
                reason,
                "quota step refused; the job retries"
            );
        }
    }
    state
        .store
        .topup(&record.id)
        .await
        .map_err(store_error)?
        .ok_or_else(|| internal(anyhow::anyhow!("top-up {} vanished", record.id)))
}

/// The capture's outcome could not be learnt now: leave the top-up `Invoiced` and let the job
/// read the invoice later (it never captures either).
async fn uncertain(
    state: &AppState,
    record: TopUpRecord,
    err: &WhmcsError,
) -> Result<TopUpRecord, AppError> {
    tracing::warn!(topup = record.id, error = %err, "payment status unknown; the job will read it");
    if let Err(queue_err) = topup_apply::enqueue(state.queue.as_ref(), &record.id).await {
        tracing::error!(topup = record.id, error = %queue_err, "could not queue the payment check");
    }
    Ok(record)
}
