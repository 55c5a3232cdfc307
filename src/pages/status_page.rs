//! `/status`: the health of each part of the portal, checked when the page is opened and again
//! on request ("Check again" re-runs the checks in place, or reloads the page without
//! JavaScript).

use crate::api::system::get_status;
use crate::components::{
    DateTimeText, ErrorAlert, PageTitle, Skeleton, StatusBadge, Table, ToastKind, Tone, use_toasts,
};
use crate::domain::system::{Component, ComponentStatus, Health, SystemStatus};
use crate::i18n::*;
use leptos::prelude::*;

/// The status page.
#[component]
pub fn StatusPage() -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let checks = RwSignal::new(0u32);
    let status = Resource::new(move || checks.get(), |_| get_status());
    // After a requested re-check completes, confirm it.
    Effect::new(move |prev: Option<u32>| {
        let n = checks.get();
        if status.with(|s| s.as_ref().is_some_and(Result::is_ok)) && prev.is_some_and(|p| p != n) {
            toasts.push(
                ToastKind::Success,
                t_string!(i18n, status.refreshed).to_string(),
            );
        }
        if status.with(Option::is_some) {
            n
        } else {
            prev.unwrap_or(n)
        }
    });
    view! {
        <PageTitle text=move || t_string!(i18n, status.title).to_string() />
        <div class="page-head">
            <div>
                <h1 class="page-title">{t!(i18n, status.title)}</h1>
                <p class="text-muted">{t!(i18n, status.intro)}</p>
            </div>
            <form method="get" action="/status">
                <button
                    type="submit"
                    class="btn btn-secondary"
                    id="status-refresh"
                    on:click=move |ev| {
                        ev.prevent_default();
                        checks.update(|n| *n += 1);
                    }
                >
                    {t!(i18n, status.refresh)}
                </button>
            </form>
        </div>
        <Transition fallback=|| view! { <div class="card"><Skeleton lines=4 /></div> }>
            {move || status.get().map(|result| match result {
                Ok(s) => view! { <StatusReport status=s /> }.into_any(),
                Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
            })}
        </Transition>
    }
}

/// The one-line summary with its colour, also used on the start page.
#[component]
pub fn OverallBanner(status: SystemStatus) -> impl IntoView {
    let i18n = use_i18n();
    let overall = status.overall();
    let at = status.checked_at;
    let sandbox = status.sandbox;
    view! {
        <div class=move || format!("banner banner-{}", health_class(overall)) data-overall=health_class(overall)>
            <p class="font-semibold">
                {move || match overall {
                    Health::Operational => t_string!(i18n, status.overall_operational),
                    Health::Degraded => t_string!(i18n, status.overall_degraded),
                    Health::Down => t_string!(i18n, status.overall_down),
                }}
            </p>
            <p class="text-sm opacity-90">
                {move || if sandbox { t_string!(i18n, status.mode_sandbox) } else { t_string!(i18n, status.mode_live) }}
                " · "
                {t!(i18n, status.checked_at, when = move || view! { <DateTimeText at /> })}
            </p>
        </div>
    }
}

#[component]
fn StatusReport(status: SystemStatus) -> impl IntoView {
    let i18n = use_i18n();
    let rows = status.components.clone();
    view! {
        <div class="space-y-6">
            <OverallBanner status=status />
            <Table caption=Signal::derive(move || t_string!(i18n, status.title).to_string())>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, status.component)}</th>
                        <th scope="col">{t!(i18n, status.health)}</th>
                        <th scope="col">{t!(i18n, status.backend)}</th>
                        <th scope="col" class="text-right">{t!(i18n, status.latency)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! { <StatusRow row /> }).collect_view()}
                </tbody>
            </Table>
        </div>
    }
}

#[component]
fn StatusRow(row: ComponentStatus) -> impl IntoView {
    let i18n = use_i18n();
    let ComponentStatus {
        component,
        health,
        backend,
        latency_ms,
    } = row;
    let name = move || match component {
        Component::Database => t_string!(i18n, status.database),
        Component::Cache => t_string!(i18n, status.cache),
        Component::Sandbox => t_string!(i18n, status.sandbox),
        Component::OrderQueue => t_string!(i18n, status.order_queue),
        Component::SimPlatform => t_string!(i18n, status.sim_platform),
    };
    let tone = match health {
        Health::Operational => Tone::Success,
        Health::Degraded => Tone::Warning,
        Health::Down => Tone::Danger,
    };
    let label = Signal::derive(move || match health {
        Health::Operational => t_string!(i18n, health.operational).to_string(),
        Health::Degraded => t_string!(i18n, health.degraded).to_string(),
        Health::Down => t_string!(i18n, health.down).to_string(),
    });
    view! {
        <tr data-component=health_class_component(component)>
            <th scope="row">{name}</th>
            <td><StatusBadge tone=tone label=label /></td>
            <td><code>{backend}</code></td>
            <td class="text-right tabular-nums">{t!(i18n, status.latency_ms, ms = latency_ms)}</td>
        </tr>
    }
}

fn health_class(h: Health) -> &'static str {
    match h {
        Health::Operational => "operational",
        Health::Degraded => "degraded",
        Health::Down => "down",
    }
}

fn health_class_component(c: Component) -> &'static str {
    match c {
        Component::Database => "database",
        Component::Cache => "cache",
        Component::Sandbox => "sandbox",
        Component::OrderQueue => "order-queue",
        Component::SimPlatform => "sim-platform",
    }
}
