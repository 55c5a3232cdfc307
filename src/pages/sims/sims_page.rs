//! `/sims`: the customer's SIM lines — number, plan, data left and state — each linking to its
//! page; an empty state when they have none.

use super::{AsOf, LineStateBadge};
use crate::api::Snapshot;
use crate::api::sims::{SimSummary, list_sims};
use crate::components::{EmptyState, PageTitle, Skeleton, Table};
use crate::domain::sim::chart::format_mb;
use crate::i18n::*;
use crate::pages::account::load_error;
use leptos::prelude::*;
use leptos_router::components::A;

/// The SIM list.
#[component]
pub fn SimsPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |()| list_sims());
    view! {
        <PageTitle text=move || t_string!(i18n, sims.title).to_string() />
        <div class="page-head">
            <h1 class="page-title">{t!(i18n, sims.title)}</h1>
        </div>
        <p class="text-muted mb-4">{t!(i18n, sims.lead)}</p>
        <Suspense fallback=|| view! { <Skeleton lines=4 /> }>
            {move || list.get().map(|result| match result {
                Ok(snapshot) => view! { <SimList snapshot=snapshot /> }.into_any(),
                Err(e) => load_error(e),
            })}
        </Suspense>
    }
}

#[component]
fn SimList(snapshot: Snapshot<Vec<SimSummary>>) -> impl IntoView {
    let i18n = use_i18n();
    let Snapshot {
        value: lines,
        as_of,
        stale,
    } = snapshot;
    if lines.is_empty() {
        return view! {
            <section class="card">
                <EmptyState
                    title=Signal::derive(move || t_string!(i18n, sims.empty_title).to_string())
                    body=Signal::derive(move || t_string!(i18n, sims.empty_body).to_string())
                />
            </section>
        }
        .into_any();
    }
    let rows = lines
        .into_iter()
        .map(|line| view! { <SimRow line=line /> })
        .collect_view();
    view! {
        <AsOf stale=stale as_of_ms=as_of />
        <section class="card">
            <Table caption=Signal::derive(move || t_string!(i18n, sims.title).to_string())>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, sims.number)}</th>
                        <th scope="col">{t!(i18n, sims.plan)}</th>
                        <th scope="col" class="text-right">{t!(i18n, sims.data_left)}</th>
                        <th scope="col">{t!(i18n, sims.state)}</th>
                    </tr>
                </thead>
                <tbody data-testid="sims">{rows}</tbody>
            </Table>
        </section>
    }
    .into_any()
}

#[component]
fn SimRow(line: SimSummary) -> impl IntoView {
    let i18n = use_i18n();
    let unknown = move || t_string!(i18n, sims.unknown).to_string();
    let state = line.state.map_or_else(
        || view! { <span class="text-muted">{unknown}</span> }.into_any(),
        |s| view! { <LineStateBadge state=s /> }.into_any(),
    );
    view! {
        <tr data-testid="sim-row" data-number=line.number.clone() data-service=line.service_id.to_string()>
            <td>
                <A href=format!("/sims/{}", line.number) attr:class="link font-semibold tabular-nums">{line.formatted.clone()}</A>
                <span class="block text-muted text-sm">{line.product.clone()}</span>
            </td>
            <td>{line.plan.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="text-right tabular-nums" data-testid="sim-data-left">{line.data_left_mb.map_or_else(|| "—".into(), format_mb)}</td>
            <td>{state}</td>
        </tr>
    }
}
