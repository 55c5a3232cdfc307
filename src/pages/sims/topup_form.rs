//! The SIM page's top-up section: choose 1–50 GB (quick picks 1/3/5/10 or a number), see the
//! price and the invoice it will create, confirm, then the result — "3 GB added — now X
//! left", "paid, being applied" with the invoice link, or a clear refusal ("no card on file"
//! linking to the payment methods). Below, the line's recent top-ups with their states.
//!
//! Every step is a URL, so it all works without JavaScript: choosing is a GET to
//! `?topup_gb=N` (the confirm step), confirming is an `ActionForm` POST the server answers with
//! a redirect to `?topup={id}&t={id}` (the result; `t` makes the page read the line again), and
//! a refusal comes back in the action's value. Hydrated, the same redirect is followed by the
//! router, and a top-up still being applied is re-read every few seconds until it lands, then
//! the page's figures are refreshed.

use crate::api::sims::topup::{TopUpOffer, TopUpSim, TopUpView, topup_offer, topup_status};
use crate::components::{Button, ErrorAlert, Skeleton, action_error, current_lang};
use crate::domain::common::money::Money;
use crate::domain::sim::TopUpAmount;
use crate::domain::sim::chart::format_mb;
use crate::domain::sim::topup::{QUICK_PICKS_GB, TopUpFailure, TopUpPrice, TopUpState};
use crate::error::{AppError, FieldProblem};
use crate::i18n::*;
use crate::pages::auth::query_param;
use leptos::prelude::*;
use leptos_router::components::A;

/// How often a hydrated page re-reads a top-up that is still on its way.
const POLL_MS: u64 = 3000;

fn yen(amount: i64) -> String {
    Money::yen(amount).format(current_lang())
}

/// The section for the line `number` (digits).
#[component]
pub fn TopUpSection(number: String) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<TopUpSim>::new();
    let topup_id = query_param("topup");
    let chosen = query_param("topup_gb");
    let wanted = number.clone();
    // Keyed on the shown top-up, so a new idempotency key is issued after each one.
    let offer = Resource::new(move || topup_id.get(), move |_| topup_offer(wanted.clone()));
    let error = action_error(action.value());
    let result_number = number.clone();
    view! {
        <section class="card mt-4" aria-labelledby="topup-heading" data-testid="topup-section">
            <h2 id="topup-heading" class="card-title">{t!(i18n, sim_topup.title)}</h2>
            <p class="text-muted mb-4">{t!(i18n, sim_topup.lead)}</p>
            {move || topup_id.get().map(|id| view! { <TopUpResult number=result_number.clone() id=id /> })}
            {move || error.get().map(|e| view! { <Refusal error=e /> })}
            <Transition fallback=|| view! { <Skeleton lines=3 /> }>
                {move || offer.get().map(|result| match result {
                    Ok(offer) => view! { <OfferBody offer=offer chosen=chosen action=action /> }.into_any(),
                    Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// A refusal before any charge, in words the customer can act on.
#[component]
fn Refusal(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let card = error.field_problem("card").is_some();
    let line = error.field_problem("line").is_some();
    let gb = error.field_problem("gb").is_some();
    if card {
        view! {
            <div class="alert alert-danger" role="alert" data-testid="topup-error" data-reason="no_card">
                {t!(i18n, sim_topup.no_card)}" "
                <A href="/billing/payment-methods" attr:data-testid="topup-add-card">{t!(i18n, sim_topup.add_card)}</A>
            </div>
        }
        .into_any()
    } else if line {
        view! {
            <div class="alert alert-danger" role="alert" data-testid="topup-error" data-reason="line">
                {t!(i18n, sim_topup.line_not_active)}
            </div>
        }
        .into_any()
    } else if gb || matches!(error.field_problem("key"), Some(FieldProblem::Invalid)) {
        view! {
            <div class="alert alert-danger" role="alert" data-testid="topup-error" data-reason="amount">
                {t!(i18n, sim_topup.amount_invalid)}
            </div>
        }
        .into_any()
    } else {
        view! { <div data-testid="topup-error" data-reason="other"><ErrorAlert error=error /></div> }.into_any()
    }
}

#[component]
fn OfferBody(
    offer: TopUpOffer,
    chosen: Signal<Option<String>>,
    action: ServerAction<TopUpSim>,
) -> impl IntoView {
    let i18n = use_i18n();
    let history = offer.history.clone();
    let step = move || {
        let offer = offer.clone();
        if !offer.available {
            let why = if offer.platform_unreachable {
                t_string!(i18n, sim_topup.platform_unreachable).to_string()
            } else {
                t_string!(i18n, sim_topup.line_not_active).to_string()
            };
            return view! {
                <p class="text-muted" data-testid="topup-unavailable" data-reason=if offer.platform_unreachable { "platform" } else { "line" }>{why}</p>
            }
            .into_any();
        }
        match chosen
            .get()
            .and_then(|gb| TopUpAmount::parse(&gb).ok())
            .map(TopUpAmount::gb)
        {
            Some(gb) => view! { <Confirm offer=offer gb=gb action=action /> }.into_any(),
            None => view! { <Choose offer=offer /> }.into_any(),
        }
    };
    view! {
        {step}
        <History items=history />
    }
}

/// Step 1: quick picks and a number, each leading to the confirm step.
#[component]
fn Choose(offer: TopUpOffer) -> impl IntoView {
    let i18n = use_i18n();
    let page = format!("/sims/{}", offer.number);
    let per_gb = TopUpPrice::of(1, offer.price_per_gb_jpy, offer.tax_bp).total_jpy;
    let picks = QUICK_PICKS_GB
        .into_iter()
        .map(|gb| {
            let href = format!("{page}?topup_gb={gb}");
            view! {
                <A href=href attr:class="btn btn-secondary" attr:data-testid="topup-pick" attr:data-gb=gb.to_string()>
                    {format!("{gb} GB")}
                </A>
            }
        })
        .collect_view();
    view! {
        <p class="mb-2" data-testid="topup-unit-price">
            {move || t_string!(i18n, sim_topup.unit_price, price = yen(per_gb)).to_string()}
        </p>
        <div class="flex flex-wrap gap-2 mb-4">{picks}</div>
        <form method="get" action=page class="flex flex-wrap items-end gap-2" data-testid="topup-choose-form">
            <div class="field">
                <label for="topup-gb" class="field-label">{t!(i18n, sim_topup.amount_label)}</label>
                <input
                    id="topup-gb"
                    name="topup_gb"
                    type="number"
                    class="field-input w-32"
                    min=TopUpAmount::MIN_GB.to_string()
                    max=TopUpAmount::MAX_GB.to_string()
                    step="1"
                    required=true
                    data-testid="topup-gb-input"
                />
            </div>
            <Button button_type="submit">{t!(i18n, sim_topup.choose_next)}</Button>
        </form>
    }
}

/// Step 2: the price, the invoice it will make, and the confirm button.
#[component]
fn Confirm(offer: TopUpOffer, gb: u32, action: ServerAction<TopUpSim>) -> impl IntoView {
    let i18n = use_i18n();
    let price = TopUpPrice::of(gb, offer.price_per_gb_jpy, offer.tax_bp);
    let description = format!("Data top-up {gb} GB for {}", offer.formatted);
    let cancel = format!("/sims/{}", offer.number);
    view! {
        <div class="stack" data-testid="topup-confirm" data-gb=gb.to_string()>
            <dl class="grid grid-cols-2 gap-2 sm:grid-cols-4">
                <div><dt class="text-muted text-sm">{t!(i18n, sim_topup.amount)}</dt><dd class="font-semibold">{format!("{gb} GB")}</dd></div>
                <div><dt class="text-muted text-sm">{t!(i18n, sim_topup.subtotal)}</dt><dd class="tabular-nums">{move || yen(price.subtotal_jpy)}</dd></div>
                <div><dt class="text-muted text-sm">{t!(i18n, sim_topup.tax)}</dt><dd class="tabular-nums">{move || yen(price.tax_jpy)}</dd></div>
                <div><dt class="text-muted text-sm">{t!(i18n, sim_topup.total)}</dt><dd class="font-semibold tabular-nums" data-testid="topup-total">{move || yen(price.total_jpy)}</dd></div>
            </dl>
            <p class="text-sm" data-testid="topup-invoice-preview">
                {t!(i18n, sim_topup.invoice_preview)}" "<q>{description}</q>
            </p>
            <p class="text-muted text-sm">{t!(i18n, sim_topup.charge_note)}</p>
            <ActionForm action=action attr:class="flex flex-wrap gap-2" attr:data-testid="topup-form">
                <input type="hidden" name="number" value=offer.number.clone() />
                <input type="hidden" name="gb" value=gb.to_string() />
                <input type="hidden" name="key" value=offer.key.clone() />
                <Button button_type="submit" disabled=action.pending()>
                    {move || t_string!(i18n, sim_topup.confirm, price = yen(price.total_jpy)).to_string()}
                </Button>
                <A href=cancel attr:class="btn btn-secondary" attr:data-testid="topup-cancel">{t!(i18n, sim_topup.cancel)}</A>
            </ActionForm>
        </div>
    }
}

/// The outcome of the top-up named in the URL; re-read while it is on its way (hydrated).
#[component]
fn TopUpResult(number: String, id: String) -> impl IntoView {
    let (n, i) = (number.clone(), id.clone());
    let status = Resource::new(|| (), move |()| topup_status(n.clone(), i.clone()));
    let navigate = leptos_router::hooks::use_navigate();
    let refresh_page = format!("/sims/{number}?topup={id}&t={id}-done");
    // Hydrated only: poll while in progress; when it lands, reload the page's figures.
    Effect::new(move |was_in_progress: Option<bool>| {
        let in_progress = status
            .get()
            .and_then(Result::ok)
            .is_some_and(|v| v.state.in_progress());
        let landed = status
            .get()
            .and_then(Result::ok)
            .is_some_and(|v| v.state == TopUpState::Applied);
        if in_progress {
            set_timeout(
                move || status.refetch(),
                std::time::Duration::from_millis(POLL_MS),
            );
        } else if landed && was_in_progress == Some(true) {
            navigate(&refresh_page, Default::default());
        }
        in_progress
    });
    let again = format!("/sims/{number}?topup={id}");
    view! {
        <Suspense fallback=|| ()>
            {move || status.get().map(|result| match result {
                Ok(view) => view! { <ResultBox view=view again=again.clone() /> }.into_any(),
                Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
            })}
        </Suspense>
    }
}

fn invoice_link(id: Option<u32>) -> impl IntoView {
    id.map(|id| {
        view! {
            <A href=format!("/billing/invoices/{id}") attr:data-testid="topup-invoice-link">{format!("#{id}")}</A>
        }
    })
}

#[component]
fn ResultBox(view: TopUpView, again: String) -> impl IntoView {
    let i18n = use_i18n();
    let gb = view.gb;
    let state = view.state.key();
    match view.state {
        TopUpState::Applied => {
            let left = view.remaining_mb.map(format_mb).unwrap_or_default();
            view! {
                <div class="alert alert-success" role="status" data-testid="topup-result" data-state=state>
                    {move || t_string!(i18n, sim_topup.applied, gb = gb, left = left.clone()).to_string()}
                    " "{invoice_link(view.invoice_id)}
                </div>
            }
            .into_any()
        }
        TopUpState::Paid => view! {
            <div class="alert alert-info" role="status" data-testid="topup-result" data-state=state>
                {move || t_string!(i18n, sim_topup.paid_applying, gb = gb).to_string()}
                " "{invoice_link(view.invoice_id)}
                " "<a href=again.clone() data-testid="topup-refresh">{t!(i18n, sim_topup.check_again)}</a>
            </div>
        }
        .into_any(),
        TopUpState::Requested | TopUpState::Invoiced => view! {
            <div class="alert alert-info" role="status" data-testid="topup-result" data-state=state>
                {t!(i18n, sim_topup.in_progress)}
                " "{invoice_link(view.invoice_id)}
                " "<a href=again.clone() data-testid="topup-refresh">{t!(i18n, sim_topup.check_again)}</a>
            </div>
        }
        .into_any(),
        TopUpState::Failed => {
            let reason = view.failure;
            let text = move || {
                match reason {
                    Some(TopUpFailure::Declined) => t_string!(i18n, sim_topup.failed_declined),
                    Some(TopUpFailure::InvoiceFailed) => t_string!(i18n, sim_topup.failed_invoice),
                    Some(TopUpFailure::PaymentUnconfirmed) => {
                        t_string!(i18n, sim_topup.failed_unconfirmed)
                    }
                    Some(TopUpFailure::NotPayable) | None => {
                        t_string!(i18n, sim_topup.failed_not_payable)
                    }
                }
                .to_string()
            };
            let card = matches!(reason, Some(TopUpFailure::Declined)).then(|| {
                view! {
                    " "<A href="/billing/payment-methods" attr:data-testid="topup-add-card">{t!(i18n, sim_topup.update_card)}</A>
                }
            });
            view! {
                <div class="alert alert-danger" role="alert" data-testid="topup-result" data-state=state data-reason=reason.map(TopUpFailure::key)>
                    {text}" "{invoice_link(view.invoice_id)}{card}
                </div>
            }
            .into_any()
        }
    }
}

fn state_label(i18n: leptos_i18n::I18nContext<Locale>, state: TopUpState) -> String {
    match state {
        TopUpState::Requested | TopUpState::Invoiced => t_string!(i18n, sim_topup.state_pending),
        TopUpState::Paid => t_string!(i18n, sim_topup.state_paid),
        TopUpState::Applied => t_string!(i18n, sim_topup.state_applied),
        TopUpState::Failed => t_string!(i18n, sim_topup.state_failed),
    }
    .to_string()
}

/// The line's recent top-ups.
#[component]
fn History(items: Vec<TopUpView>) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return view! { <p class="text-muted text-sm mt-4" data-testid="topup-history-empty">{t!(i18n, sim_topup.history_empty)}</p> }
            .into_any();
    }
    let rows = items
        .into_iter()
        .map(|item| {
            let at = time::OffsetDateTime::from_unix_timestamp_nanos(
                i128::from(item.created_at_ms) * 1_000_000,
            )
            .ok();
            let state = item.state;
            view! {
                <tr data-testid="topup-history-row" data-state=state.key()>
                    <td>{at.map(|at| view! { <crate::components::DateTimeText at=at /> })}</td>
                    <td class="text-right tabular-nums">{format!("{} GB", item.gb)}</td>
                    <td class="text-right tabular-nums">{move || yen(item.amount_jpy)}</td>
                    <td>{invoice_link(item.invoice_id)}</td>
                    <td>{move || state_label(i18n, state)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <crate::components::Table caption=Signal::derive(move || t_string!(i18n, sim_topup.history_title).to_string())>
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, sim_topup.history_when)}</th>
                    <th scope="col" class="text-right">{t!(i18n, sim_topup.amount)}</th>
                    <th scope="col" class="text-right">{t!(i18n, sim_topup.total)}</th>
                    <th scope="col">{t!(i18n, sim_topup.invoice)}</th>
                    <th scope="col">{t!(i18n, sim_topup.state)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </crate::components::Table>
    }
    .into_any()
}
