//! The dashboard's open support cases: each with its status and whether an answer is waiting,
//! following the customer's live case stream so an agent's new answer shows without a reload.

use super::{CaseStatusBadge, live_refresh};
use crate::api::support::list_cases;
use crate::components::{DateTimeText, ErrorAlert, Skeleton};
use crate::domain::support::CaseSummary;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// Most open cases shown on the dashboard.
const SHOWN: usize = 5;

/// The open cases card.
#[component]
pub fn OpenCases() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |()| list_cases());
    let live = live_refresh(|| "/support/live".to_owned(), move || list.refetch());
    view! {
        <section class="card mt-6" aria-labelledby="cases-heading" data-testid="dashboard-cases"
            data-live=move || if live.get() { "on" } else { "off" }>
            <div class="flex items-baseline justify-between">
                <h2 id="cases-heading" class="card-title">{t!(i18n, support.open_title)}</h2>
                <A href="/support" attr:class="link">{t!(i18n, support.all_cases)}" →"</A>
            </div>
            <Transition fallback=|| view! { <Skeleton lines=3 /> }>
                {move || list.get().map(|result| match result {
                    Ok(snapshot) => {
                        let open: Vec<CaseSummary> = snapshot
                            .value
                            .into_iter()
                            .filter(|c| c.status.is_open())
                            .take(SHOWN)
                            .collect();
                        view! { <OpenList cases=open /> }.into_any()
                    }
                    Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn OpenList(cases: Vec<CaseSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if cases.is_empty() {
        return view! { <p class="text-muted">{t!(i18n, support.open_none)}</p> }.into_any();
    }
    let items = cases
        .into_iter()
        .map(|c| {
            let href = format!("/support/{}", c.id);
            view! {
                <li class="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="open-case" data-number=c.number.clone()>
                    <span>
                        <A href=href attr:class="link font-semibold">{c.subject.clone()}</A>
                        <span class="block text-sm text-muted">
                            {c.number.clone()}" · "<DateTimeText at=c.updated />
                        </span>
                        {c.answered.then(|| view! { <span class="block text-sm text-accent" data-testid="case-answered">{t!(i18n, support.answered)}</span> })}
                    </span>
                    <CaseStatusBadge status=c.status />
                </li>
            }
        })
        .collect_view();
    view! { <ul class="divide-y divide-border">{items}</ul> }.into_any()
}
