//! The signed-in start page: what is owed and when, how many services run, the latest
//! invoices. Each card shows its own part's outcome (an error or an "as of" note) without
//! hiding the others.

use crate::api::Snapshot;
use crate::api::dashboard::DashboardView;
use crate::components::{DateText, ErrorAlert, MoneyText, StatusBadge, Tone};
use crate::domain::billing::InvoiceSummary;
use crate::domain::dashboard::{Outstanding, ServiceCounts};
use crate::error::AppError;
use crate::i18n::*;
use crate::pages::billing::{InvoiceTable, StaleNote};
use crate::pages::support::OpenCases;
use leptos::prelude::*;
use leptos_router::components::A;

/// The dashboard.
#[component]
pub fn Dashboard(view: DashboardView) -> impl IntoView {
    let i18n = use_i18n();
    let DashboardView {
        outstanding,
        latest,
        services,
    } = view;
    view! {
        <section class="hero">
            <h1 class="page-title">{t!(i18n, dashboard.title)}</h1>
            <p class="hero-lead">{t!(i18n, dashboard.lead)}</p>
        </section>
        <crate::pages::sims::DashboardNotices />
        <div class="grid gap-6 md:grid-cols-3">
            <Part part=outstanding.clone() render=|o: Outstanding| view! { <OwedCard owed=o /> }.into_any() />
            <Part part=outstanding render=|o: Outstanding| view! { <NextDueCard owed=o /> }.into_any() />
            <Part part=services render=|c: ServiceCounts| view! { <ServicesCard counts=c /> }.into_any() />
        </div>
        <section class="card mt-6" aria-labelledby="latest-heading" data-testid="dashboard-latest">
            <div class="flex items-baseline justify-between">
                <h2 id="latest-heading" class="card-title">{t!(i18n, dashboard.latest_title)}</h2>
                <A href="/billing/invoices" attr:class="link">{t!(i18n, dashboard.all_invoices)}" →"</A>
            </div>
            {match latest {
                Ok(snapshot) => view! { <LatestInvoices snapshot=snapshot /> }.into_any(),
                Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
            }}
        </section>
        <OpenCases />
    }
}

/// One part: its card, or its error in a card of its own.
#[component]
fn Part<T: Clone + Send + Sync + 'static>(
    part: Result<Snapshot<T>, AppError>,
    render: fn(T) -> AnyView,
) -> impl IntoView {
    match part {
        Ok(Snapshot {
            value,
            as_of,
            stale,
        }) => view! {
            <div>
                <StaleNote stale=stale as_of_ms=as_of />
                {render(value)}
            </div>
        }
        .into_any(),
        Err(e) => view! { <section class="card"><ErrorAlert error=e /></section> }.into_any(),
    }
}

#[component]
fn OwedCard(owed: Outstanding) -> impl IntoView {
    let i18n = use_i18n();
    let Outstanding {
        total,
        count,
        overdue,
        ..
    } = owed;
    view! {
        <section class="card h-full" aria-labelledby="owed-heading" data-testid="dashboard-outstanding" data-count=count.to_string()>
            <h2 id="owed-heading" class="card-title">{t!(i18n, dashboard.owed_title)}</h2>
            {match total {
                Some(total) => view! {
                    <p class="text-3xl font-semibold" data-testid="dashboard-owed-total"><MoneyText amount=total /></p>
                    <p class="text-muted">{move || t_string!(i18n, dashboard.owed_count, count = count).to_string()}</p>
                    {(overdue > 0).then(|| view! {
                        <p class="mt-2"><StatusBadge tone=Tone::Danger label=Signal::derive(move || t_string!(i18n, dashboard.overdue_count, count = overdue).to_string()) /></p>
                    })}
                    <A href="/billing/invoices?status=unpaid" attr:class="link mt-4 inline-block">{t!(i18n, dashboard.see_unpaid)}" →"</A>
                }.into_any(),
                None => view! {
                    <p class="text-xl font-semibold text-success" data-testid="dashboard-owed-total">{t!(i18n, dashboard.nothing_owed)}</p>
                    <p class="text-muted">{t!(i18n, dashboard.nothing_owed_body)}</p>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn NextDueCard(owed: Outstanding) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card h-full" aria-labelledby="next-heading" data-testid="dashboard-next-due">
            <h2 id="next-heading" class="card-title">{t!(i18n, dashboard.next_title)}</h2>
            {match owed.next_due {
                Some(invoice) => view! { <NextInvoice invoice=invoice /> }.into_any(),
                None => view! { <p class="text-muted">{t!(i18n, dashboard.next_none)}</p> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn NextInvoice(invoice: InvoiceSummary) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/billing/invoices/{}", invoice.id);
    let number = invoice.number.clone();
    let amount = invoice.balance.unwrap_or(invoice.total);
    view! {
        <p class="text-3xl font-semibold"><MoneyText amount=amount /></p>
        <p class="text-muted" data-testid="dashboard-next-number" data-id=invoice.id.to_string()>
            {move || t_string!(i18n, dashboard.next_invoice, number = number.clone()).to_string()}
        </p>
        {invoice.due_date.map(|d| view! {
            <p>{t!(i18n, dashboard.due_on)}" "<strong><DateText date=d /></strong></p>
        })}
        <A href=href attr:class="btn btn-primary mt-4 inline-block">{t!(i18n, dashboard.view_and_pay)}</A>
    }
}

#[component]
fn ServicesCard(counts: ServiceCounts) -> impl IntoView {
    let i18n = use_i18n();
    let ServiceCounts {
        active,
        suspended,
        total,
    } = counts;
    view! {
        <section class="card h-full" aria-labelledby="services-heading" data-testid="dashboard-services" data-active=active.to_string()>
            <h2 id="services-heading" class="card-title">{t!(i18n, dashboard.services_title)}</h2>
            <p class="text-3xl font-semibold">{active}</p>
            <p class="text-muted">{move || t_string!(i18n, dashboard.services_active, total = total).to_string()}</p>
            {(suspended > 0).then(|| view! {
                <p class="mt-2"><StatusBadge tone=Tone::Warning label=Signal::derive(move || t_string!(i18n, dashboard.services_suspended, count = suspended).to_string()) /></p>
            })}
            <A href="/services" attr:class="link mt-4 inline-block">{t!(i18n, dashboard.see_services)}" →"</A>
        </section>
    }
}

#[component]
fn LatestInvoices(snapshot: Snapshot<Vec<InvoiceSummary>>) -> impl IntoView {
    let i18n = use_i18n();
    let Snapshot {
        value,
        as_of,
        stale,
    } = snapshot;
    if value.is_empty() {
        return view! { <p class="text-muted">{t!(i18n, billing.empty_body)}</p> }.into_any();
    }
    view! {
        <StaleNote stale=stale as_of_ms=as_of />
        <InvoiceTable items=value />
    }
    .into_any()
}
