//! Changing cases: open one (checked, linked to the customer's own service or order, with an
//! optional file checked before anything is sent), reply, close, reopen within the window,
//! attach a file. Every change re-reads the case scoped to the customer's Account first, so
//! another customer's case id is `NotFound`, and drops the cached cases afterwards.
//!
//! Opening with a file is two calls (the Case, then the ContentVersion). If the file fails
//! after the case exists, the case stands and the outcome says the file did not attach, so
//! the customer is told and can attach it again from the case page — never a silent half.

use super::{account, case_id, contact, invalidate};
use crate::domain::services::PHONE_FIELD;
use crate::domain::support::{
    CaseContext, CaseStatus, FileProblem, NewCase, mask_phone, parse_reply,
};
use crate::error::{AppError, FieldError};
use crate::server::accounts::provider_errors;
use crate::server::auth::customer::Customer;
use crate::server::errors::with_status;
use crate::server::integrations::salesforce::cases::CaseRecord;
use crate::server::integrations::salesforce::{SalesforceError, SalesforceId};
use crate::server::state::AppState;
use time::OffsetDateTime;

/// Why a submission was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Form fields.
    Fields(Vec<FieldError>),
    /// The file.
    File(FileProblem),
    /// Anything else (not found, provider down…).
    App(AppError),
}

impl From<AppError> for Refusal {
    fn from(err: AppError) -> Self {
        Refusal::App(err)
    }
}

/// A new case as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewCaseForm {
    /// Category key.
    pub category: String,
    /// Subject.
    pub subject: String,
    /// Description.
    pub description: String,
    /// The service it was opened from.
    pub service_id: Option<u32>,
    /// The order it was opened from.
    pub order_id: Option<String>,
}

/// A file as posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The browser's file name.
    pub name: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// What opening a case did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    /// The new case.
    pub id: SalesforceId,
    /// True when a file was sent but could not be attached (the case exists).
    pub file_failed: bool,
}

/// What the case is linked to, read from the customer's own service or order (anyone else's
/// is `NotFound`, so a crafted link cannot attach someone else's data).
async fn context(
    state: &AppState,
    customer: &Customer,
    form: &NewCaseForm,
) -> Result<(CaseContext, Option<SalesforceId>), AppError> {
    let mut context = CaseContext::default();
    if let Some(id) = form.service_id {
        let service = crate::server::services::service(state, customer, id)
            .await?
            .value;
        context.service_id = Some(service.id);
        context.service_name = Some(service.product.clone());
        context.phone_masked = service
            .custom_fields
            .get(PHONE_FIELD)
            .map(|p| mask_phone(p))
            .filter(|p| !p.is_empty());
    }
    let mut order_id = None;
    if let Some(id) = form.order_id.as_deref().filter(|s| !s.trim().is_empty()) {
        let order = crate::server::orders::order(state, customer, id)
            .await?
            .value;
        context.order_number = Some(order.number.clone());
        context.order_id = Some(order.id.clone());
        order_id = SalesforceId::parse(&order.id).ok();
    }
    Ok((context, order_id))
}

/// Opens a case. The fields and the file are checked first: if either is refused, nothing is
/// sent to Salesforce.
pub async fn open_case(
    state: &AppState,
    customer: &Customer,
    form: &NewCaseForm,
    file: Option<&Upload>,
) -> Result<Opened, Refusal> {
    let case = NewCase::parse(&form.category, &form.subject, &form.description);
    let checked = file
        .map(|f| state.support.files.check(&f.name, &f.bytes))
        .transpose();
    let (case, checked) = match (case, checked) {
        (Ok(case), Ok(checked)) => (case, checked),
        (Err(fields), _) => return Err(Refusal::Fields(fields)),
        (_, Err(problem)) => return Err(Refusal::File(problem)),
    };
    let account = account(customer)?;
    let contact = contact(customer)?;
    let (context, order_id) = context(state, customer, form).await?;
    let cases = &state.providers.cases;
    let id = cases
        .create_case(&account, &contact, &case, &context, order_id.as_ref())
        .await
        .map_err(case_error)?;
    tracing::info!(case = %id, linked = !context.is_empty(), "support case opened");
    let mut file_failed = false;
    if let (Some(file), Some(checked)) = (file, checked)
        && let Err(err) = cases
            .attach(&id, &checked.name, checked.kind, &file.bytes)
            .await
    {
        tracing::warn!(case = %id, error = %err, "the case was opened but its file did not attach");
        file_failed = true;
    }
    invalidate(state, customer.user_id()).await;
    Ok(Opened { id, file_failed })
}

/// The customer's case, read fresh (decisions need its current status).
async fn own_case(
    state: &AppState,
    customer: &Customer,
    id: &str,
) -> Result<(SalesforceId, CaseRecord), AppError> {
    let account = account(customer)?;
    let id = case_id(id)?;
    match state
        .providers
        .cases
        .case(&account, &id)
        .await
        .map_err(provider_errors::salesforce)?
    {
        Some(case) => Ok((id, case)),
        None => Err(with_status(AppError::NotFound)),
    }
}

/// Adds the customer's reply to an open case (a closed one must be reopened first: `Conflict`).
pub async fn reply(
    state: &AppState,
    customer: &Customer,
    id: &str,
    body: &str,
) -> Result<(), AppError> {
    let body = parse_reply(body).map_err(|fields| with_status(AppError::Validation { fields }))?;
    let (id, case) = own_case(state, customer, id).await?;
    if !case.summary.status.is_open() {
        return Err(with_status(AppError::Conflict));
    }
    state
        .providers
        .cases
        .add_comment(&id, &body)
        .await
        .map_err(case_error)?;
    invalidate(state, customer.user_id()).await;
    Ok(())
}

/// Closes the customer's case (closing a closed case changes nothing).
pub async fn close(state: &AppState, customer: &Customer, id: &str) -> Result<(), AppError> {
    let (id, case) = own_case(state, customer, id).await?;
    if case.summary.status.is_open() {
        state
            .providers
            .cases
            .set_status(&id, CaseStatus::Closed)
            .await
            .map_err(case_error)?;
        invalidate(state, customer.user_id()).await;
    }
    Ok(())
}

/// Reopens a case closed within the reopen window (`Conflict` otherwise); it goes back to the
/// queue as `New`.
pub async fn reopen(state: &AppState, customer: &Customer, id: &str) -> Result<(), AppError> {
    let (id, case) = own_case(state, customer, id).await?;
    if !case
        .summary
        .reopenable(OffsetDateTime::now_utc(), state.support.reopen_window)
    {
        return Err(with_status(AppError::Conflict));
    }
    state
        .providers
        .cases
        .set_status(&id, CaseStatus::New)
        .await
        .map_err(case_error)?;
    invalidate(state, customer.user_id()).await;
    Ok(())
}

/// Attaches a file to one of the customer's cases (checked before anything is sent).
pub async fn attach(
    state: &AppState,
    customer: &Customer,
    id: &str,
    file: &Upload,
) -> Result<SalesforceId, Refusal> {
    let checked = state
        .support
        .files
        .check(&file.name, &file.bytes)
        .map_err(Refusal::File)?;
    let (id, _) = own_case(state, customer, id).await?;
    state
        .providers
        .cases
        .attach(&id, &checked.name, checked.kind, &file.bytes)
        .await
        .map_err(case_error)?;
    invalidate(state, customer.user_id()).await;
    Ok(id)
}

fn case_error(err: SalesforceError) -> AppError {
    match err {
        // The CRM refused the record (e.g. a rule on the org): the customer can do nothing
        // different, so it is our problem, logged with the code.
        SalesforceError::NotFound => with_status(AppError::NotFound),
        other => provider_errors::salesforce(other),
    }
}
