//! The support area: the customer's cases (`/support`), a new case (`/support/new`, linked to
//! the service or order it was opened from via `?service=` / `?order=`), one case
//! (`/support/:id`) with its conversation, files, reply, close and reopen — and the open cases
//! on the dashboard. Pages that wait for an agent's answer follow the live stream while
//! hydrated ([`live_refresh`]).

mod case_forms;
mod case_page;
mod cases_page;
mod live;
mod new_case_page;
mod open_cases;

use live::live_refresh;

pub use case_page::CasePage;
pub use cases_page::CasesPage;
pub use new_case_page::NewCasePage;
pub use open_cases::OpenCases;

use crate::components::{StatusBadge, Tone};
use crate::domain::support::{CaseCategory, CaseContext, CaseStatus};
use crate::i18n::*;
use leptos::prelude::*;

/// A case status in the reader's language.
fn status_label(i18n: leptos_i18n::I18nContext<Locale>, status: CaseStatus) -> String {
    match status {
        CaseStatus::New => t_string!(i18n, support.status_new),
        CaseStatus::Working => t_string!(i18n, support.status_working),
        CaseStatus::Escalated => t_string!(i18n, support.status_escalated),
        CaseStatus::Closed => t_string!(i18n, support.status_closed),
    }
    .to_string()
}

/// A category in the reader's language.
fn category_label(i18n: leptos_i18n::I18nContext<Locale>, category: CaseCategory) -> String {
    match category {
        CaseCategory::Billing => t_string!(i18n, support.category_billing),
        CaseCategory::Technical => t_string!(i18n, support.category_technical),
        CaseCategory::Service => t_string!(i18n, support.category_service),
        CaseCategory::Order => t_string!(i18n, support.category_order),
        CaseCategory::Other => t_string!(i18n, support.category_other),
    }
    .to_string()
}

/// A case's status as a badge.
#[component]
fn CaseStatusBadge(status: CaseStatus) -> impl IntoView {
    let i18n = use_i18n();
    let tone = match status {
        CaseStatus::New => Tone::Info,
        CaseStatus::Working => Tone::Warning,
        CaseStatus::Escalated => Tone::Danger,
        CaseStatus::Closed => Tone::Neutral,
    };
    view! {
        <span data-testid="case-status" data-status=status.key()>
            <StatusBadge tone=tone label=Signal::derive(move || status_label(i18n, status)) />
        </span>
    }
}

/// What a case is linked to, as links to the service or order.
#[component]
fn ContextLinks(context: CaseContext) -> impl IntoView {
    let i18n = use_i18n();
    let service = context.service_id.map(|id| {
        let name = context.service_name.clone().unwrap_or_else(|| id.to_string());
        let phone = context.phone_masked.clone();
        view! {
            <a class="link" href=format!("/services/{id}") data-testid="case-service" data-service=id.to_string()>
                {name}
                {phone.map(|p| view! { <span class="text-muted tabular-nums">" · "{p}</span> })}
            </a>
        }
    });
    let order = context.order_id.clone().map(|id| {
        let number = context.order_number.clone().unwrap_or_default();
        let number_attr = number.clone();
        view! {
            <a class="link" href=format!("/orders/{id}") data-testid="case-order" data-order=number_attr>
                {move || t_string!(i18n, support.order_link, number = number.clone()).to_string()}
            </a>
        }
    });
    view! { <span class="flex flex-wrap gap-x-3">{service}{order}</span> }
}

/// The sentence for an error key sent back in a URL (`?error=`).
fn error_message(i18n: leptos_i18n::I18nContext<Locale>, key: &str) -> String {
    match key {
        "file_too_large" => t_string!(i18n, support.error_file_too_large).to_string(),
        "file_type" => t_string!(i18n, support.error_file_type).to_string(),
        "file_empty" => t_string!(i18n, support.error_file_empty).to_string(),
        "file_name" => t_string!(i18n, support.error_file_name).to_string(),
        "invalid" => t_string!(i18n, errors.validation).to_string(),
        "not_found" => t_string!(i18n, errors.not_found).to_string(),
        "unavailable" => t_string!(i18n, errors.unavailable).to_string(),
        "conflict" => t_string!(i18n, errors.conflict).to_string(),
        "bad_request" => t_string!(i18n, errors.bad_request).to_string(),
        _ => t_string!(i18n, support.error_generic).to_string(),
    }
}
