//! `/checkout`: the confirmation step. Shows exactly what will be ordered — lines, monthly and
//! one-time totals with tax, the order date — and a "Place order" form carrying the cart's
//! revision. The server orders only that revision (a cart changed in another tab is sent back
//! here to be reviewed again) and a repeated post finds the same order.

use super::product_name;
use super::totals::{CartTotals, EmptyCart};
use crate::api::Snapshot;
use crate::api::shop::{Checkout, get_cart};
use crate::components::{
    Button, ErrorAlert, FormError, MoneyText, PageTitle, Skeleton, Table, action_error,
};
use crate::domain::cart::Cart;
use crate::error::AppError;
use crate::i18n::*;
use crate::pages::account::SignInPrompt;
use crate::pages::billing::StaleNote;
use leptos::prelude::*;
use leptos_router::components::A;

/// The confirmation page.
#[component]
pub fn CheckoutPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Checkout>::new();
    // A refused checkout (cart changed) reads the cart again, so the page shows the new one.
    let cart = Resource::new(move || action.version().get(), |_| get_cart());
    view! {
        <PageTitle text=move || t_string!(i18n, shop.checkout_title).to_string() />
        <div class="page-head">
            <h1 class="page-title">{t!(i18n, shop.checkout_title)}</h1>
        </div>
        <p class="text-muted mb-4">{t!(i18n, shop.checkout_lead)}</p>
        <Suspense fallback=|| view! { <Skeleton lines=8 /> }>
            {move || cart.get().map(|result| match result {
                Ok(Some(snapshot)) => view! { <Confirm snapshot=snapshot action=action /> }.into_any(),
                Ok(None) => view! { <SignInPrompt /> }.into_any(),
                Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Confirm(snapshot: Snapshot<Cart>, action: ServerAction<Checkout>) -> impl IntoView {
    let i18n = use_i18n();
    let Snapshot {
        value: cart,
        as_of,
        stale,
    } = snapshot;
    let error = action_error(action.value());
    let changed = Signal::derive(move || error.get().filter(|e| *e == AppError::Conflict));
    let other = Signal::derive(move || error.get().filter(|e| *e != AppError::Conflict));
    if cart.is_empty() {
        return view! {
            <EmptyCart />
        }
        .into_any();
    }
    let rows = cart
        .lines
        .iter()
        .map(|line| {
            let name = product_name(&line.product);
            view! {
                <tr data-testid="confirm-line" data-sku=line.product.sku.clone() data-quantity=line.quantity.to_string()>
                    <td>{move || name.get()}</td>
                    <td class="text-right tabular-nums">{line.quantity}</td>
                    <td class="text-right"><MoneyText amount=line.amount /></td>
                </tr>
            }
        })
        .collect_view();
    let rate = cart.tax_rate_bp;
    let blocked = !cart.notices.is_empty() || stale;
    view! {
        <StaleNote stale=stale as_of_ms=as_of />
        {move || changed.get().map(|_| view! {
            <div class="alert alert-warning" role="alert" data-testid="cart-changed">{t!(i18n, shop.changed)}</div>
        })}
        <FormError error=other />
        <section class="card">
            <Table caption=Signal::derive(move || t_string!(i18n, shop.checkout_title).to_string())>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, shop.item)}</th>
                        <th scope="col" class="text-right">{t!(i18n, shop.quantity)}</th>
                        <th scope="col" class="text-right">{t!(i18n, shop.amount)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </Table>
        </section>
        <CartTotals monthly=cart.monthly one_time=cart.one_time tax_rate_bp=rate />
        <section class="card mt-6">
            <p>{t!(i18n, shop.checkout_note)}</p>
            <ActionForm action=action attr:class="flex flex-wrap gap-3 justify-end mt-4" attr:data-testid="checkout-form">
                <input type="hidden" name="revision" value=cart.revision.clone() />
                <A href="/cart" attr:class="btn btn-secondary">{t!(i18n, shop.edit_cart)}</A>
                <Button button_type="submit" disabled=Signal::derive(move || blocked || action.pending().get())>{t!(i18n, shop.place_order)}</Button>
            </ActionForm>
        </section>
    }
    .into_any()
}
