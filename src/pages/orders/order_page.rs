//! `/orders/:id`: one order — its number and date, a timeline of where it stands (placed,
//! approved, being set up, ready), its items and totals. After checkout the page comes with
//! `?placed=1` and thanks the customer.

use super::OrderBadge;
use crate::api::Snapshot;
use crate::api::shop::get_order;
use crate::components::{DateText, DateTimeText, MoneyText, PageTitle, Skeleton, Table};
use crate::domain::order_timeline::{Step, StepState, timeline};
use crate::domain::orders::{Order, OrderStatus, ProvisioningStatus};
use crate::domain::provisioning::failure_code;
use crate::i18n::*;
use crate::pages::account::load_error;
use crate::pages::auth::query_param;
use crate::pages::billing::StaleNote;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The order page.
#[component]
pub fn OrderPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let placed = query_param("placed");
    let order_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let order = Resource::new(order_id, get_order);
    follow_live(order_id, move || order.refetch());
    view! {
        <PageTitle text=move || t_string!(i18n, orders.title).to_string() />
        <p class="mb-2"><A href="/orders">{t!(i18n, orders.back)}</A></p>
        <Suspense fallback=|| view! { <Skeleton lines=10 /> }>
            {move || order.get().map(|result| match result {
                Ok(snapshot) => view! { <OrderDetail snapshot=snapshot placed=placed.get().is_some() /> }.into_any(),
                Err(e) => load_error(e),
            })}
        </Suspense>
    }
}

#[component]
fn OrderDetail(snapshot: Snapshot<Order>, placed: bool) -> impl IntoView {
    let i18n = use_i18n();
    let Snapshot {
        value: order,
        as_of,
        stale,
    } = snapshot;
    let number = order.number.clone();
    let thanks_number = number.clone();
    let number_attr = number.clone();
    let rows = order
        .items
        .iter()
        .map(|item| {
            view! {
                <tr data-testid="order-line" data-sku=item.sku.clone() data-quantity=item.quantity.to_string()>
                    <td>{item.name.clone()}</td>
                    <td class="text-right tabular-nums">{item.quantity}</td>
                    <td class="text-right"><MoneyText amount=item.unit_price /></td>
                    <td class="text-right"><MoneyText amount=item.total /></td>
                </tr>
            }
        })
        .collect_view();
    let steps = timeline(&order)
        .into_iter()
        .map(|s| {
            let label = move || match s.step {
                Step::Placed => t_string!(i18n, orders.step_placed),
                Step::Approved => t_string!(i18n, orders.step_approved),
                Step::Provisioning => t_string!(i18n, orders.step_provisioning),
                Step::Active => t_string!(i18n, orders.step_active),
            };
            let state_text = move || match s.state {
                StepState::Done => t_string!(i18n, orders.state_done),
                StepState::Current => t_string!(i18n, orders.state_current),
                StepState::Upcoming => t_string!(i18n, orders.state_upcoming),
                StepState::Failed => t_string!(i18n, orders.state_failed),
                StepState::Cancelled => t_string!(i18n, orders.state_cancelled),
            };
            let key = match s.state {
                StepState::Done => "done",
                StepState::Current => "current",
                StepState::Upcoming => "upcoming",
                StepState::Failed => "failed",
                StepState::Cancelled => "cancelled",
            };
            view! {
                <li class="timeline-step" data-state=key aria-current=(s.state == StepState::Current).then_some("step")>
                    <span class="timeline-dot" aria-hidden="true"></span>
                    <span class="font-semibold">{label}</span>
                    <span class="block text-sm text-muted">
                        {state_text}
                        {s.at.map(|at| view! { " · " <DateTimeText at=at /> })}
                    </span>
                </li>
            }
        })
        .collect_view();
    let error = order
        .error
        .clone()
        .filter(|_| order.provisioning == ProvisioningStatus::Failed);
    // Still moving: without JavaScript the page reloads itself now and then instead.
    let moving = order.status == OrderStatus::Activated
        && !matches!(
            order.provisioning,
            ProvisioningStatus::Provisioned | ProvisioningStatus::Failed
        );
    // Waiting for the company's approval, which happens elsewhere: without JavaScript the page
    // looks again now and then, more gently.
    let awaiting = order.status == OrderStatus::Draft;
    view! {
        {placed.then(|| view! {
            <div class="alert alert-success" role="status" data-testid="order-placed">
                {move || t_string!(i18n, orders.placed, number = thanks_number.clone()).to_string()}
            </div>
        })}
        <StaleNote stale=stale as_of_ms=as_of />
        <section class="card" data-testid="order" data-id=order.id.clone() data-number=number_attr>
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <h1 class="page-title">{move || t_string!(i18n, orders.order_number, number = number.clone()).to_string()}</h1>
                <OrderBadge order=order.clone() />
            </div>
            <p class="text-muted">{t!(i18n, orders.date)}": "<DateText date=order.effective_date /></p>
            <h2 class="card-title mt-6">{t!(i18n, orders.timeline)}</h2>
            <ol class="timeline" data-testid="order-timeline">{steps}</ol>
            {error.map(|text| view! { <FailureNote text=text /> })}
            {moving.then(|| view! {
                <p class="text-sm text-muted mt-4" data-testid="order-live">{t!(i18n, orders.live_note)}</p>
                <noscript><meta http-equiv="refresh" content="10" /></noscript>
            })}
            {awaiting.then(|| view! { <noscript><meta http-equiv="refresh" content="30" /></noscript> })}
            <p class="mt-4">
                <A href=format!("/support/new?order={}", order.id) attr:class="btn btn-secondary" attr:data-testid="help-order">{t!(i18n, support.help_order)}</A>
            </p>
        </section>
        <section class="card mt-6">
            <Table caption=Signal::derive(move || t_string!(i18n, orders.items).to_string())>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, shop.item)}</th>
                        <th scope="col" class="text-right">{t!(i18n, shop.quantity)}</th>
                        <th scope="col" class="text-right">{t!(i18n, shop.unit_price)}</th>
                        <th scope="col" class="text-right">{t!(i18n, shop.amount)}</th>
                    </tr>
                </thead>
                <tbody data-testid="order-lines">{rows}</tbody>
                <tfoot>
                    <tr>
                        <th scope="row" colspan="3" class="text-right">{t!(i18n, orders.total_excl)}</th>
                        <td class="text-right font-semibold" data-testid="order-total"><MoneyText amount=order.total /></td>
                    </tr>
                </tfoot>
            </Table>
        </section>
    }
}

/// Why provisioning failed, in the customer's words: what they can do when it is theirs to
/// fix (no payment method), otherwise that the team is on it, with the systems' reason.
#[component]
fn FailureNote(text: String) -> impl IntoView {
    let i18n = use_i18n();
    let code = failure_code(&text).map(str::to_owned);
    let reason = text
        .split_once(':')
        .map_or(text.clone(), |(_, rest)| rest.trim().to_owned());
    view! {
        <div class="alert alert-danger mt-4" role="status" data-testid="order-failure" data-code=code.clone().unwrap_or_default()>
            {match code.as_deref() {
                Some("NO_PAYMENT_METHOD") => view! {
                    <p>{t!(i18n, orders.failed_no_payment)}</p>
                    <p class="mt-2"><A href="/billing/payment-methods">{t!(i18n, orders.add_payment_method)}</A></p>
                }.into_any(),
                _ => view! {
                    <p>{t!(i18n, orders.failed_note)}</p>
                    <p class="mt-2 text-sm">{move || t_string!(i18n, orders.failed_reason, reason = reason.clone()).to_string()}</p>
                }.into_any(),
            }}
        </div>
    }
}

/// In the browser, listens to the order's live stream (`/orders/{id}/live`) and calls
/// `changed` on every event; the stream closes with the page. Nothing on the server.
fn follow_live(
    order_id: impl Fn() -> String + Send + Sync + 'static,
    changed: impl Fn() + Clone + 'static,
) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        Effect::new(move |previous: Option<Option<web_sys::EventSource>>| {
            if let Some(Some(old)) = previous {
                old.close();
            }
            let id = order_id();
            let url = format!("/orders/{}/live", js_sys_encode(&id));
            let source = web_sys::EventSource::new(&url).ok()?;
            let changed = changed.clone();
            let on_order = Closure::<dyn Fn(web_sys::Event)>::new(move |_| changed());
            let _ =
                source.add_event_listener_with_callback("order", on_order.as_ref().unchecked_ref());
            // The listener lives as long as the page.
            on_order.forget();
            let closing = send_wrapper::SendWrapper::new(source.clone());
            on_cleanup(move || closing.close());
            Some(source)
        });
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (order_id, changed);
    }
}

/// An id as a URL path segment (CRM ids are alphanumeric; anything else is dropped).
#[cfg(feature = "hydrate")]
fn js_sys_encode(id: &str) -> String {
    id.chars().filter(char::is_ascii_alphanumeric).collect()
}
