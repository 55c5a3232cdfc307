//! `/billing/invoices`: the customer's invoices, a page at a time, filtered by status with a
//! plain GET form (works without JavaScript).

use super::{BillingTabs, InvoiceTable, StaleNote, status_label};
use crate::api::billing::{InvoiceList, list_invoices};
use crate::components::{EmptyState, PageTitle, Skeleton};
use crate::domain::billing::InvoiceStatus;
use crate::i18n::*;
use crate::pages::account::load_error;
use crate::pages::auth::query_param;
use leptos::prelude::*;
use leptos_router::components::A;

/// The invoice list.
#[component]
pub fn InvoicesPage() -> impl IntoView {
    let i18n = use_i18n();
    let status = query_param("status");
    let page = query_param("page");
    let list = Resource::new(
        move || {
            let status = status.get().filter(|s| !s.trim().is_empty());
            let page = page.get().and_then(|p| p.parse::<u32>().ok()).unwrap_or(1);
            (status, page)
        },
        |(status, page)| list_invoices(status, page),
    );
    view! {
        <PageTitle text=move || t_string!(i18n, billing.invoices_title).to_string() />
        <div class="page-head">
            <h1 class="page-title">{t!(i18n, billing.title)}</h1>
        </div>
        <BillingTabs current="/billing/invoices" />
        <p class="text-muted mb-4">{t!(i18n, billing.invoices_lead)}</p>
        <StatusFilter current=status />
        <Suspense fallback=|| view! { <Skeleton lines=8 /> }>
            {move || list.get().map(|result| match result {
                Ok(list) => view! { <InvoiceListView list=list /> }.into_any(),
                Err(e) => load_error(e),
            })}
        </Suspense>
    }
}

#[component]
fn StatusFilter(current: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let options = InvoiceStatus::ALL
        .into_iter()
        .map(|s| {
            view! {
                <option value=s.key() selected=move || current.get().as_deref() == Some(s.key())>
                    {move || status_label(i18n, s)}
                </option>
            }
        })
        .collect_view();
    view! {
        <form method="get" action="/billing/invoices" class="flex flex-wrap items-end gap-3 mb-4" data-testid="status-filter">
            <label class="field">
                <span class="field-label">{t!(i18n, billing.filter_label)}</span>
                <select name="status" class="input">
                    <option value="" selected=move || current.get().is_none_or(|s| s.is_empty())>{t!(i18n, billing.filter_all)}</option>
                    {options}
                </select>
            </label>
            <button type="submit" class="btn btn-secondary">{t!(i18n, billing.filter_apply)}</button>
        </form>
    }
}

#[component]
fn InvoiceListView(list: InvoiceList) -> impl IntoView {
    let i18n = use_i18n();
    let InvoiceList {
        page,
        status,
        as_of,
        stale,
    } = list;
    let pages = page.pages();
    let current = page.page;
    let filtered = status.is_some();
    let status_q = status.unwrap_or_default();
    let body = if page.items.is_empty() {
        view! {
            <EmptyState
                title=Signal::derive(move || t_string!(i18n, billing.empty_title).to_string())
                body=Signal::derive(move || if filtered {
                    t_string!(i18n, billing.empty_filtered_body).to_string()
                } else {
                    t_string!(i18n, billing.empty_body).to_string()
                })
            />
        }
        .into_any()
    } else {
        view! { <InvoiceTable items=page.items /> }.into_any()
    };
    let link = move |n: u32| format!("/billing/invoices?page={n}&status={status_q}");
    let pager = (pages > 1).then(|| {
        view! {
            <nav class="flex items-center gap-4 mt-4" aria-label=move || t_string!(i18n, billing.pagination) data-testid="pager">
                {(current > 1).then(|| view! { <A href=link(current - 1) attr:rel="prev">{t!(i18n, billing.previous)}</A> })}
                <span class="text-muted">{move || t_string!(i18n, billing.page_of, page = current, pages = pages).to_string()}</span>
                {(current < pages).then(|| view! { <A href=link(current + 1) attr:rel="next">{t!(i18n, billing.next)}</A> })}
            </nav>
        }
    });
    view! {
        <StaleNote stale=stale as_of_ms=as_of />
        <section class="card">{body}{pager}</section>
    }
}
