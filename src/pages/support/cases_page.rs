//! `/support`: the customer's cases — open ones first, then closed — with number, subject,
//! what they are about, status and last update; each links to its page. Refreshes itself so a
//! new answer shows.

use super::{CaseStatusBadge, ContextLinks, live_refresh};
use crate::api::Snapshot;
use crate::api::support::list_cases;
use crate::components::{DateTimeText, EmptyState, PageTitle, Skeleton, Table};
use crate::domain::support::CaseSummary;
use crate::i18n::*;
use crate::pages::account::load_error;
use crate::pages::billing::SnapshotCard;
use leptos::prelude::*;
use leptos_router::components::A;

/// The cases list.
#[component]
pub fn CasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |()| list_cases());
    let live = live_refresh(|| "/support/live".to_owned(), move || list.refetch());
    view! {
        <PageTitle text=move || t_string!(i18n, support.title).to_string() />
        <span hidden data-testid="cases-live" data-live=move || if live.get() { "on" } else { "off" }></span>
        <div class="page-head">
            <h1 class="page-title">{t!(i18n, support.title)}</h1>
            <A href="/support/new" attr:class="btn btn-primary" attr:data-testid="new-case">{t!(i18n, support.new_case)}</A>
        </div>
        <p class="text-muted mb-4">{t!(i18n, support.lead)}</p>
        <Transition fallback=|| view! { <Skeleton lines=6 /> }>
            {move || list.get().map(|result| match result {
                Ok(snapshot) => view! { <CaseList snapshot=snapshot /> }.into_any(),
                Err(e) => load_error(e),
            })}
        </Transition>
    }
}

#[component]
fn CaseList(snapshot: Snapshot<Vec<CaseSummary>>) -> impl IntoView {
    let i18n = use_i18n();
    let Snapshot {
        value: mut cases,
        as_of,
        stale,
    } = snapshot;
    // Open cases first; within each, the most recent activity first (the server's order).
    cases.sort_by_key(|c| !c.status.is_open());
    let body = if cases.is_empty() {
        view! {
            <EmptyState
                title=Signal::derive(move || t_string!(i18n, support.empty_title).to_string())
                body=Signal::derive(move || t_string!(i18n, support.empty_body).to_string())
            />
        }
        .into_any()
    } else {
        let rows = cases
            .into_iter()
            .map(|c| view! { <CaseRow case=c /> })
            .collect_view();
        view! {
            <Table caption=Signal::derive(move || t_string!(i18n, support.title).to_string())>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, support.number)}</th>
                        <th scope="col">{t!(i18n, support.subject)}</th>
                        <th scope="col">{t!(i18n, support.about)}</th>
                        <th scope="col">{t!(i18n, support.status)}</th>
                        <th scope="col">{t!(i18n, support.updated)}</th>
                    </tr>
                </thead>
                <tbody data-testid="cases">{rows}</tbody>
            </Table>
        }
        .into_any()
    };
    view! { <SnapshotCard stale=stale as_of_ms=as_of>{body}</SnapshotCard> }
}

#[component]
fn CaseRow(case: CaseSummary) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/support/{}", case.id);
    let answered = case.answered && case.status.is_open();
    let (id_attr, number_attr) = (case.id.clone(), case.number.clone());
    view! {
        <tr data-testid="case-row" data-id=id_attr data-number=number_attr data-status=case.status.key()>
            <td class="tabular-nums"><A href=href.clone() attr:class="link font-semibold">{case.number.clone()}</A></td>
            <td>
                <A href=href attr:class="link">{case.subject.clone()}</A>
                {answered.then(|| view! { <span class="block text-sm text-accent" data-testid="case-answered">{t!(i18n, support.answered)}</span> })}
            </td>
            <td><ContextLinks context=case.context.clone() /></td>
            <td><CaseStatusBadge status=case.status /></td>
            <td><DateTimeText at=case.updated /></td>
        </tr>
    }
}
