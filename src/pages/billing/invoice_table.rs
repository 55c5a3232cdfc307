//! A table of invoices (number, dates, total, status), overdue rows highlighted — the invoice
//! list's and the dashboard's.

use super::InvoiceStatusBadge;
use crate::components::{DateText, MoneyText, Table};
use crate::domain::billing::{InvoiceStatus, InvoiceSummary};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// The table.
#[component]
pub fn InvoiceTable(items: Vec<InvoiceSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = items
        .into_iter()
        .map(|inv| view! { <InvoiceRow invoice=inv /> })
        .collect_view();
    view! {
        <Table caption=Signal::derive(move || t_string!(i18n, billing.invoices_title).to_string())>
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, billing.number)}</th>
                    <th scope="col">{t!(i18n, billing.date)}</th>
                    <th scope="col">{t!(i18n, billing.due_date)}</th>
                    <th scope="col" class="text-right">{t!(i18n, billing.total)}</th>
                    <th scope="col">{t!(i18n, billing.status)}</th>
                    <th scope="col"><span class="sr-only">{t!(i18n, billing.view)}</span></th>
                </tr>
            </thead>
            <tbody data-testid="invoices">{rows}</tbody>
        </Table>
    }
}

#[component]
fn InvoiceRow(invoice: InvoiceSummary) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/billing/invoices/{}", invoice.id);
    let overdue = invoice.status == InvoiceStatus::Overdue;
    let number = invoice.number.clone();
    let label = move || t_string!(i18n, billing.view_invoice, number = number.clone()).to_string();
    view! {
        <tr data-testid="invoice-row" data-id=invoice.id.to_string() data-status=invoice.status.key() class:text-danger=overdue class:font-semibold=overdue>
            <td><A href=href.clone()>{invoice.number.clone()}</A></td>
            <td>{invoice.date.map(|d| view! { <DateText date=d /> })}</td>
            <td>{invoice.due_date.map(|d| view! { <DateText date=d /> })}</td>
            <td class="text-right"><MoneyText amount=invoice.total /></td>
            <td><InvoiceStatusBadge status=invoice.status /></td>
            <td><A href=href attr:aria-label=label>{t!(i18n, billing.view)}</A></td>
        </tr>
    }
}
