//! `/services`: the customer's services — product, type, status, billing cycle, next bill and
//! price — each linking to its page.

use super::{ServiceStatusBadge, cycle_label, price};
use crate::api::Snapshot;
use crate::api::services::list_services;
use crate::components::{DateText, EmptyState, MoneyText, PageTitle, Skeleton, Table};
use crate::domain::services::Service;
use crate::i18n::*;
use crate::pages::account::load_error;
use crate::pages::billing::SnapshotCard;
use leptos::prelude::*;
use leptos_router::components::A;

/// The custom field a SIM's number is kept in: shown under the product so two SIMs of the
/// same plan can be told apart.
pub(super) use crate::domain::services::PHONE_FIELD;

/// The services list.
#[component]
pub fn ServicesPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |()| list_services());
    view! {
        <PageTitle text=move || t_string!(i18n, services.title).to_string() />
        <div class="page-head">
            <h1 class="page-title">{t!(i18n, services.title)}</h1>
        </div>
        <p class="text-muted mb-4">{t!(i18n, services.lead)}</p>
        <Suspense fallback=|| view! { <Skeleton lines=6 /> }>
            {move || list.get().map(|result| match result {
                Ok(snapshot) => view! { <ServiceList snapshot=snapshot /> }.into_any(),
                Err(e) => load_error(e),
            })}
        </Suspense>
    }
}

#[component]
fn ServiceList(snapshot: Snapshot<Vec<Service>>) -> impl IntoView {
    let i18n = use_i18n();
    let Snapshot {
        value: services,
        as_of,
        stale,
    } = snapshot;
    let body = if services.is_empty() {
        view! {
            <EmptyState
                title=Signal::derive(move || t_string!(i18n, services.empty_title).to_string())
                body=Signal::derive(move || t_string!(i18n, services.empty_body).to_string())
            />
        }
        .into_any()
    } else {
        let rows = services
            .into_iter()
            .map(|s| view! { <ServiceRow service=s /> })
            .collect_view();
        view! {
            <Table caption=Signal::derive(move || t_string!(i18n, services.title).to_string())>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, services.service)}</th>
                        <th scope="col">{t!(i18n, services.kind)}</th>
                        <th scope="col">{t!(i18n, services.status)}</th>
                        <th scope="col">{t!(i18n, services.cycle)}</th>
                        <th scope="col">{t!(i18n, services.next_due)}</th>
                        <th scope="col" class="text-right">{t!(i18n, services.price)}</th>
                        <th scope="col"><span class="sr-only">{t!(i18n, services.view)}</span></th>
                    </tr>
                </thead>
                <tbody data-testid="services">{rows}</tbody>
            </Table>
        }
        .into_any()
    };
    view! { <SnapshotCard stale=stale as_of_ms=as_of>{body}</SnapshotCard> }
}

#[component]
fn ServiceRow(service: Service) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/services/{}", service.id);
    let name = service.product.clone();
    let label = move || t_string!(i18n, services.view_service, name = name.clone()).to_string();
    let cycle = service.billing_cycle;
    let amount = price(&service);
    let phone = service
        .custom_fields
        .get(PHONE_FIELD)
        .cloned()
        .map(|p| view! { <span class="block text-muted text-sm tabular-nums">{p}</span> });
    view! {
        <tr data-testid="service-row" data-id=service.id.to_string() data-status=service.status.key()>
            <td>
                <A href=href.clone() attr:class="link font-semibold">{service.product.clone()}</A>
                {phone}
            </td>
            <td>{service.group.clone()}</td>
            <td><ServiceStatusBadge status=service.status /></td>
            <td>{move || cycle_label(i18n, cycle)}</td>
            <td>{service.next_due.map_or_else(|| view! { "—" }.into_any(), |d| view! { <DateText date=d /> }.into_any())}</td>
            <td class="text-right"><MoneyText amount=amount /></td>
            <td><A href=href attr:aria-label=label>{t!(i18n, services.view)}</A></td>
        </tr>
    }
}
