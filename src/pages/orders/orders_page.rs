//! `/orders`: the customer's orders, newest first — number, date, what was ordered, total and
//! where it stands — each linking to its page.

use super::OrderBadge;
use crate::api::Snapshot;
use crate::api::shop::list_orders;
use crate::components::{DateText, EmptyState, MoneyText, PageTitle, Skeleton, Table};
use crate::domain::orders::Order;
use crate::i18n::*;
use crate::pages::account::load_error;
use crate::pages::billing::SnapshotCard;
use leptos::prelude::*;
use leptos_router::components::A;

/// The orders list.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |()| list_orders());
    view! {
        <PageTitle text=move || t_string!(i18n, orders.title).to_string() />
        <div class="page-head">
            <h1 class="page-title">{t!(i18n, orders.title)}</h1>
            <A href="/catalog" attr:class="btn btn-secondary">{t!(i18n, orders.new_order)}</A>
        </div>
        <p class="text-muted mb-4">{t!(i18n, orders.lead)}</p>
        <Suspense fallback=|| view! { <Skeleton lines=6 /> }>
            {move || list.get().map(|result| match result {
                Ok(snapshot) => view! { <OrderList snapshot=snapshot /> }.into_any(),
                Err(e) => load_error(e),
            })}
        </Suspense>
    }
}

#[component]
fn OrderList(snapshot: Snapshot<Vec<Order>>) -> impl IntoView {
    let i18n = use_i18n();
    let Snapshot {
        value: orders,
        as_of,
        stale,
    } = snapshot;
    let body = if orders.is_empty() {
        view! {
            <EmptyState
                title=Signal::derive(move || t_string!(i18n, orders.empty_title).to_string())
                body=Signal::derive(move || t_string!(i18n, orders.empty_body).to_string())
            >
                <A href="/catalog" attr:class="btn btn-primary">{t!(i18n, orders.new_order)}</A>
            </EmptyState>
        }
        .into_any()
    } else {
        let rows = orders
            .into_iter()
            .map(|o| view! { <OrderRow order=o /> })
            .collect_view();
        view! {
            <Table caption=Signal::derive(move || t_string!(i18n, orders.title).to_string())>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, orders.number)}</th>
                        <th scope="col">{t!(i18n, orders.date)}</th>
                        <th scope="col">{t!(i18n, orders.items)}</th>
                        <th scope="col" class="text-right">{t!(i18n, orders.total_excl)}</th>
                        <th scope="col">{t!(i18n, orders.status)}</th>
                    </tr>
                </thead>
                <tbody data-testid="orders">{rows}</tbody>
            </Table>
        }
        .into_any()
    };
    view! { <SnapshotCard stale=stale as_of_ms=as_of>{body}</SnapshotCard> }
}

#[component]
fn OrderRow(order: Order) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/orders/{}", order.id);
    let first = order
        .items
        .first()
        .map(|i| i.name.clone())
        .unwrap_or_default();
    let more = order.items.len().saturating_sub(1);
    let number = order.number.clone();
    let label_number = number.clone();
    view! {
        <tr data-testid="order-row" data-id=order.id.clone() data-number=number.clone()>
            <td>
                <A href=href attr:class="link font-semibold">
                    <span class="sr-only">{move || t_string!(i18n, orders.order_label).to_string()}" "</span>
                    {label_number}
                </A>
            </td>
            <td><DateText date=order.effective_date /></td>
            <td>
                {first}
                {(more > 0).then(|| view! { <span class="text-muted">{move || t_string!(i18n, orders.more_items, count = more).to_string()}</span> })}
            </td>
            <td class="text-right"><MoneyText amount=order.total /></td>
            <td><OrderBadge order=order.clone() /></td>
        </tr>
    }
}
