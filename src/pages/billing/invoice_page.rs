//! `/billing/invoices/:id`: one invoice with its lines, tax, payments, a PDF download link
//! (`/billing/invoices/:id/pdf`) and — while money is owed — a "Pay now" button that goes to
//! the billing system's payment page and back here with `?paid=1` (which refreshes the
//! invoice).

use super::{InvoiceStatusBadge, StaleNote};
use crate::api::billing::{InvoiceView, PayInvoice, get_invoice};
use crate::components::{
    Button, DateText, FormError, FormNotice, MoneyText, PageTitle, Skeleton, action_error,
};
use crate::domain::billing::{Invoice, InvoiceStatus, format_tax_rate};
use crate::error::AppError;
use crate::i18n::*;
use crate::pages::account::load_error;
use crate::pages::auth::query_param;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The invoice page.
#[component]
pub fn InvoicePage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::billing::allow_payment_redirect();
    let i18n = use_i18n();
    let params = use_params_map();
    let paid = query_param("paid");
    let invoice = Resource::new(
        move || {
            let id = params.with(|p| p.get("id").and_then(|id| id.parse::<u32>().ok()));
            (id, paid.get().is_some_and(|p| p == "1"))
        },
        |(id, paid)| async move {
            match id {
                Some(id) => get_invoice(id, paid).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageTitle text=move || t_string!(i18n, billing.invoices_title).to_string() />
        <p class="mb-2"><A href="/billing/invoices">{t!(i18n, billing.back)}</A></p>
        <Suspense fallback=|| view! { <Skeleton lines=10 /> }>
            {move || invoice.get().map(|result| match result {
                Ok(view) => view! { <InvoiceDetail view=view paid=paid.get().is_some_and(|p| p == "1") /> }.into_any(),
                Err(e) => load_error(e),
            })}
        </Suspense>
    }
}

#[component]
fn InvoiceDetail(view: InvoiceView, paid: bool) -> impl IntoView {
    let i18n = use_i18n();
    let InvoiceView {
        invoice,
        as_of,
        stale,
    } = view;
    let status = invoice.summary.status;
    let notice = Signal::derive(move || {
        paid.then(|| {
            if status.is_outstanding() {
                t_string!(i18n, billing.payment_processing).to_string()
            } else {
                t_string!(i18n, billing.paid_notice).to_string()
            }
        })
    });
    let number = invoice.summary.number.clone();
    let title = move || t_string!(i18n, billing.invoice_title, number = number.clone()).to_string();
    let payable = matches!(status, InvoiceStatus::Unpaid | InvoiceStatus::Overdue);
    let id = invoice.summary.id;
    view! {
        <div class="page-head">
            <h1 class="page-title" data-testid="invoice-title">{title}</h1>
            <div class="flex flex-wrap items-center gap-3">
                <InvoiceStatusBadge status=status />
                // A plain link with `download`: works without JavaScript, and the router leaves it alone.
                <a class="btn btn-secondary" href=format!("/billing/invoices/{id}/pdf") download="" data-testid="invoice-pdf">
                    {t!(i18n, billing.download_pdf)}
                </a>
            </div>
        </div>
        <StaleNote stale=stale as_of_ms=as_of />
        <FormNotice text=notice />
        <Dates invoice=invoice.clone() />
        {payable.then(|| view! { <PaySection id=id /> })}
        <Items invoice=invoice.clone() />
        <Payments invoice=invoice />
    }
}

#[component]
fn Dates(invoice: Invoice) -> impl IntoView {
    let i18n = use_i18n();
    let s = invoice.summary;
    view! {
        <section class="card mt-4">
            <dl class="grid grid-cols-2 gap-2 sm:grid-cols-4">
                <div><dt class="text-muted text-sm">{t!(i18n, billing.date)}</dt><dd>{s.date.map(|d| view! { <DateText date=d /> })}</dd></div>
                <div><dt class="text-muted text-sm">{t!(i18n, billing.due_date)}</dt><dd>{s.due_date.map(|d| view! { <DateText date=d /> })}</dd></div>
                <div><dt class="text-muted text-sm">{t!(i18n, billing.total)}</dt><dd data-testid="invoice-total"><MoneyText amount=s.total /></dd></div>
                {s.date_paid.map(|d| view! {
                    <div><dt class="text-muted text-sm">{t!(i18n, billing.date_paid)}</dt><dd><DateText date=d /></dd></div>
                })}
            </dl>
        </section>
    }
}

#[component]
fn PaySection(id: u32) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<PayInvoice>::new();
    let error = action_error(action.value());
    view! {
        <section class="card mt-4" aria-labelledby="pay-heading">
            <h2 id="pay-heading" class="card-title">{t!(i18n, billing.pay_title)}</h2>
            <p class="text-muted mb-4">{t!(i18n, billing.pay_lead)}</p>
            <FormError error=error />
            <ActionForm action=action attr:data-testid="pay-form">
                <input type="hidden" name="id" value=id.to_string() />
                <Button button_type="submit" disabled=action.pending()>{t!(i18n, billing.pay_now)}</Button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Items(invoice: Invoice) -> impl IntoView {
    let i18n = use_i18n();
    let rows = invoice
        .items
        .into_iter()
        .map(|item| {
            view! {
                <tr data-testid="invoice-item">
                    <td>{item.description}</td>
                    <td class="text-right"><MoneyText amount=item.amount /></td>
                </tr>
            }
        })
        .collect_view();
    let rate = format_tax_rate(invoice.tax_rate_bp);
    let credit = (invoice.credit.minor() != 0).then(|| {
        view! {
            <tr><th scope="row">{t!(i18n, billing.credit)}</th><td class="text-right"><MoneyText amount=invoice.credit /></td></tr>
        }
    });
    view! {
        <section class="card mt-4" aria-labelledby="items-heading">
            <h2 id="items-heading" class="card-title">{t!(i18n, billing.items_title)}</h2>
            <div class="table-scroll">
                <table class="data-table" data-testid="invoice-items">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, billing.description)}</th>
                            <th scope="col" class="text-right">{t!(i18n, billing.amount)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                    <tfoot>
                        <tr><th scope="row">{t!(i18n, billing.subtotal)}</th><td class="text-right"><MoneyText amount=invoice.subtotal /></td></tr>
                        <tr><th scope="row">{move || t_string!(i18n, billing.tax, rate = rate.clone()).to_string()}</th><td class="text-right" data-testid="invoice-tax"><MoneyText amount=invoice.tax /></td></tr>
                        {credit}
                        <tr><th scope="row">{t!(i18n, billing.total)}</th><td class="text-right font-semibold"><MoneyText amount=invoice.summary.total /></td></tr>
                        {invoice.summary.balance.map(|b| view! {
                            <tr><th scope="row">{t!(i18n, billing.balance)}</th><td class="text-right" data-testid="invoice-balance"><MoneyText amount=b /></td></tr>
                        })}
                    </tfoot>
                </table>
            </div>
        </section>
    }
}

#[component]
fn Payments(invoice: Invoice) -> impl IntoView {
    let i18n = use_i18n();
    let body = if invoice.payments.is_empty() {
        view! { <p class="text-muted">{t!(i18n, billing.no_payments)}</p> }.into_any()
    } else {
        let rows = invoice
            .payments
            .into_iter()
            .map(|p| {
                view! {
                    <tr data-testid="payment-row">
                        <td>{p.date.map(|d| view! { <DateText date=d /> })}</td>
                        <td>{p.gateway}</td>
                        <td>{p.transaction_id}</td>
                        <td class="text-right"><MoneyText amount=p.amount /></td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="data-table" data-testid="payments">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, billing.date_paid)}</th>
                            <th scope="col">{t!(i18n, billing.gateway)}</th>
                            <th scope="col">{t!(i18n, billing.transaction)}</th>
                            <th scope="col" class="text-right">{t!(i18n, billing.amount)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card mt-4" aria-labelledby="payments-heading">
            <h2 id="payments-heading" class="card-title">{t!(i18n, billing.payments_title)}</h2>
            {body}
        </section>
    }
}
