//! `/services/:id`: one service — status, billing cycle, price, dates, its custom fields and
//! configurable options — and, while it is live, the cancellation request form. After a
//! request the page comes back with `?cancellation=requested|already_requested` and confirms
//! it (with or without JavaScript).

use super::cancel_form::CancelForm;
use super::services_page::PHONE_FIELD;
use super::{ServiceStatusBadge, cycle_label, price};
use crate::api::Snapshot;
use crate::api::services::{RequestCancellation, get_service};
use crate::components::{DateText, FormNotice, MoneyText, PageTitle, Skeleton};
use crate::domain::services::{BillingCycle, CancellationOutcome, Service};
use crate::error::AppError;
use crate::i18n::*;
use crate::pages::account::load_error;
use crate::pages::auth::query_param;
use crate::pages::billing::StaleNote;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The service page.
#[component]
pub fn ServicePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let outcome = query_param("cancellation");
    let service = Resource::new(
        move || params.with(|p| p.get("id").and_then(|id| id.parse::<u32>().ok())),
        |id| async move {
            match id {
                Some(id) => get_service(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageTitle text=move || t_string!(i18n, services.title).to_string() />
        <p class="mb-2"><A href="/services">{t!(i18n, services.back)}</A></p>
        <Suspense fallback=|| view! { <Skeleton lines=10 /> }>
            {move || service.get().map(|result| match result {
                Ok(snapshot) => view! { <ServiceDetail snapshot=snapshot outcome=outcome /> }.into_any(),
                Err(e) => load_error(e),
            })}
        </Suspense>
    }
}

#[component]
fn ServiceDetail(snapshot: Snapshot<Service>, outcome: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let Snapshot {
        value: service,
        as_of,
        stale,
    } = snapshot;
    let action = ServerAction::<RequestCancellation>::new();
    // The answer of a hydrated submit, or the flag the page was sent back with.
    let done = Signal::derive(move || {
        action.value().get().and_then(Result::ok).or_else(|| {
            outcome
                .get()
                .and_then(|k| CancellationOutcome::from_key(&k))
        })
    });
    let notice = Signal::derive(move || {
        done.get().map(|o| match o {
            CancellationOutcome::Requested => {
                t_string!(i18n, services.cancel_requested).to_string()
            }
            CancellationOutcome::AlreadyRequested => {
                t_string!(i18n, services.cancel_already).to_string()
            }
        })
    });
    let id = service.id;
    let live = service.status.is_live();
    // A SIM service (one carrying a phone number) links to its line's page.
    let sim_link = service
        .custom_fields
        .get(PHONE_FIELD)
        .and_then(|p| crate::domain::sim::Msisdn::parse(p).ok())
        .map(|n| {
            view! {
                <A href=format!("/sims/{}", n.digits()) attr:class="btn btn-secondary" attr:data-testid="service-sim">{t!(i18n, sims.view_sim)}</A>
            }
        });
    let cancel = if live {
        view! {
            <Show when=move || done.with(Option::is_none)>
                <CancelForm id=id action=action />
            </Show>
        }
        .into_any()
    } else {
        view! {
            <p class="text-muted mt-4" data-testid="not-cancellable">{t!(i18n, services.not_cancellable)}</p>
        }
        .into_any()
    };
    view! {
        <div class="page-head">
            <div>
                <h1 class="page-title" data-testid="service-title">{service.product.clone()}</h1>
                <p class="text-muted m-0">{service.group.clone()}</p>
            </div>
            <ServiceStatusBadge status=service.status />
        </div>
        <StaleNote stale=stale as_of_ms=as_of />
        <FormNotice text=notice />
        <Overview service=service.clone() />
        <p class="mt-4 flex flex-wrap gap-2">
            {sim_link}
            <A href=format!("/support/new?service={id}") attr:class="btn btn-secondary" attr:data-testid="help-service">{t!(i18n, support.help_service)}</A>
        </p>
        <Details service=service />
        {cancel}
    }
}

#[component]
fn Overview(service: Service) -> impl IntoView {
    let i18n = use_i18n();
    let cycle = service.billing_cycle;
    let amount = price(&service);
    // A one-time service's price is its first payment: saying it twice reads like two charges.
    let first_payment = cycle.and_then(BillingCycle::months).is_some().then(|| {
        view! {
            <div><dt class="text-muted text-sm">{t!(i18n, services.first_payment)}</dt><dd><MoneyText amount=service.first_payment /></dd></div>
        }
    });
    let date = |d: Option<time::Date>| {
        d.map_or_else(
            || view! { "—" }.into_any(),
            |d| view! { <DateText date=d /> }.into_any(),
        )
    };
    view! {
        <section class="card">
            <dl class="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-5">
                <div><dt class="text-muted text-sm">{t!(i18n, services.price)}</dt><dd data-testid="service-price" class="font-semibold"><MoneyText amount=amount /></dd></div>
                <div><dt class="text-muted text-sm">{t!(i18n, services.cycle)}</dt><dd>{move || cycle_label(i18n, cycle)}</dd></div>
                <div><dt class="text-muted text-sm">{t!(i18n, services.next_due)}</dt><dd>{date(service.next_due)}</dd></div>
                <div><dt class="text-muted text-sm">{t!(i18n, services.registered)}</dt><dd>{date(service.registered)}</dd></div>
                {first_payment}
            </dl>
        </section>
    }
}

/// Custom fields (the phone number first) and configurable options, named as the billing
/// system names them — except the phone number, which the portal knows and translates.
#[component]
fn Details(service: Service) -> impl IntoView {
    let i18n = use_i18n();
    let mut fields: Vec<(String, String)> = service.custom_fields.into_iter().collect();
    fields.sort_by_key(|(name, _)| name != PHONE_FIELD);
    fields.extend(service.config_options);
    let body = if fields.is_empty() {
        view! { <p class="text-muted">{t!(i18n, services.no_details)}</p> }.into_any()
    } else {
        let items = fields
            .into_iter()
            .map(|(name, value)| {
                let label = move || {
                    if name == PHONE_FIELD {
                        t_string!(i18n, services.phone_number).to_string()
                    } else {
                        name.clone()
                    }
                };
                view! {
                    <div data-testid="service-field">
                        <dt class="text-muted text-sm">{label}</dt>
                        <dd class="tabular-nums">{value}</dd>
                    </div>
                }
            })
            .collect_view();
        view! { <dl class="grid grid-cols-1 gap-4 sm:grid-cols-2">{items}</dl> }.into_any()
    };
    view! {
        <section class="card mt-4" aria-labelledby="details-heading">
            <h2 id="details-heading" class="card-title">{t!(i18n, services.details_title)}</h2>
            {body}
        </section>
    }
}
