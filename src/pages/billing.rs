//! The billing area: invoices (`/billing/invoices`) and one invoice
//! (`/billing/invoices/:id`), with paying through the billing system's payment page, and the
//! stored payment methods (`/billing/payment-methods`), managed on the billing system's pages.

mod invoice_page;
mod invoice_table;
mod invoices_page;
mod pay_methods_page;

pub use invoice_page::InvoicePage;
pub use invoice_table::InvoiceTable;
pub use invoices_page::InvoicesPage;
pub use pay_methods_page::PayMethodsPage;

use crate::components::{StatusBadge, Tone, current_lang};
use crate::domain::billing::InvoiceStatus;
use crate::domain::common::format_date_time;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// Tabs between the billing lists.
#[component]
fn BillingTabs(current: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let aria = move |href: &'static str| (href == current).then_some("page");
    view! {
        <nav class="tabs mb-4" aria-label=move || t_string!(i18n, billing.tabs)>
            <A href="/billing/invoices" attr:class="tab" attr:aria-current=aria("/billing/invoices")>{t!(i18n, billing.invoices_title)}</A>
            <A href="/billing/payment-methods" attr:class="tab" attr:aria-current=aria("/billing/payment-methods")>{t!(i18n, billing.pay_methods_title)}</A>
        </nav>
    }
}

/// An invoice status in the reader's language.
fn status_label(i18n: leptos_i18n::I18nContext<Locale>, status: InvoiceStatus) -> String {
    match status {
        InvoiceStatus::Draft => t_string!(i18n, billing.status_draft),
        InvoiceStatus::Unpaid => t_string!(i18n, billing.status_unpaid),
        InvoiceStatus::Overdue => t_string!(i18n, billing.status_overdue),
        InvoiceStatus::Paid => t_string!(i18n, billing.status_paid),
        InvoiceStatus::Cancelled => t_string!(i18n, billing.status_cancelled),
        InvoiceStatus::Refunded => t_string!(i18n, billing.status_refunded),
        InvoiceStatus::Collections => t_string!(i18n, billing.status_collections),
        InvoiceStatus::PaymentPending => t_string!(i18n, billing.status_payment_pending),
    }
    .to_string()
}

fn status_tone(status: InvoiceStatus) -> Tone {
    match status {
        InvoiceStatus::Paid => Tone::Success,
        InvoiceStatus::Unpaid => Tone::Warning,
        InvoiceStatus::Overdue | InvoiceStatus::Collections => Tone::Danger,
        InvoiceStatus::PaymentPending | InvoiceStatus::Refunded => Tone::Info,
        InvoiceStatus::Draft | InvoiceStatus::Cancelled => Tone::Neutral,
    }
}

/// An invoice's status as a badge.
#[component]
fn InvoiceStatusBadge(status: InvoiceStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span data-testid="invoice-status" data-status=status.key()>
            <StatusBadge tone=status_tone(status) label=Signal::derive(move || status_label(i18n, status)) />
        </span>
    }
}

/// A list read from the billing system, in a card, under its "as of" note when stale.
#[component]
pub fn SnapshotCard(stale: bool, as_of_ms: i64, children: Children) -> impl IntoView {
    view! {
        <StaleNote stale=stale as_of_ms=as_of_ms />
        <section class="card">{children()}</section>
    }
}

/// "As of …" when the billing system failed and an older copy is shown (also on the services
/// pages, which read the same billing system).
#[component]
pub fn StaleNote(stale: bool, as_of_ms: i64) -> impl IntoView {
    let i18n = use_i18n();
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(as_of_ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    stale.then(|| {
        view! {
            <div class="alert alert-warning" role="status" data-testid="stale-note">
                {move || t_string!(i18n, billing.stale_note, at = format_date_time(at, current_lang())).to_string()}
            </div>
        }
    })
}
