//! `/cart`: the lines with their quantities (each changed or removed by its own small form,
//! without JavaScript too), activation fees shown with the plan they come with, the monthly
//! and one-time totals with tax, and the way on to the confirmation step. Comes back with
//! `?added={product}` after an add and says so.

use super::product_name;
use super::totals::{CartTotals, EmptyCart};
use crate::api::Snapshot;
use crate::api::shop::{UpdateCart, get_cart};
use crate::components::{
    Button, ButtonKind, ErrorAlert, FormError, FormNotice, MoneyText, PageTitle, Skeleton, Table,
    action_error,
};
use crate::domain::cart::{Cart, CartLine};
use crate::domain::orders::MAX_QUANTITY;
use crate::i18n::*;
use crate::pages::account::SignInPrompt;
use crate::pages::auth::query_param;
use crate::pages::billing::StaleNote;
use leptos::prelude::*;
use leptos_router::components::A;

/// The cart page.
#[component]
pub fn CartPage() -> impl IntoView {
    let i18n = use_i18n();
    let added = query_param("added");
    // Bumped when a line's form succeeds hydrated (its redirect is to this same page, which
    // would not reload the cart by itself).
    let changes = RwSignal::new(0u32);
    provide_context(CartChanges(changes));
    let cart = Resource::new(move || (added.get(), changes.get()), |_| get_cart());
    view! {
        <PageTitle text=move || t_string!(i18n, shop.cart_title).to_string() />
        <div class="page-head">
            <h1 class="page-title">{t!(i18n, shop.cart_title)}</h1>
        </div>
        <Suspense fallback=|| view! { <Skeleton lines=8 /> }>
            {move || cart.get().map(|result| match result {
                Ok(Some(snapshot)) => view! { <CartView snapshot=snapshot added=added.get() /> }.into_any(),
                Ok(None) => view! { <SignInPrompt /> }.into_any(),
                Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn CartView(snapshot: Snapshot<Cart>, added: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let Snapshot {
        value: cart,
        as_of,
        stale,
    } = snapshot;
    let added_name = added.and_then(|id| {
        cart.lines
            .iter()
            .find(|l| l.product.id == id)
            .map(|l| product_name(&l.product))
    });
    let notice = Signal::derive(move || {
        added_name.map(|name| t_string!(i18n, shop.added, name = name.get()).to_string())
    });
    let dropped = (!cart.notices.is_empty()).then(|| view! {
        <div class="alert alert-warning" role="status" data-testid="cart-notice">{t!(i18n, shop.unavailable)}</div>
    });
    if cart.is_empty() {
        return view! {
            {dropped}
            <EmptyCart />
        }
        .into_any();
    }
    let all = cart.lines.clone();
    let rows = cart
        .lines
        .iter()
        .map(|line| view! { <CartRow line=line.clone() lines=all.clone() /> })
        .collect_view();
    let rate = cart.tax_rate_bp;
    view! {
        <FormNotice text=notice />
        {dropped}
        <StaleNote stale=stale as_of_ms=as_of />
        <section class="card">
            <Table caption=Signal::derive(move || t_string!(i18n, shop.cart_title).to_string())>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, shop.item)}</th>
                        <th scope="col" class="text-right">{t!(i18n, shop.unit_price)}</th>
                        <th scope="col">{t!(i18n, shop.quantity)}</th>
                        <th scope="col" class="text-right">{t!(i18n, shop.amount)}</th>
                    </tr>
                </thead>
                <tbody data-testid="cart-lines">{rows}</tbody>
            </Table>
        </section>
        <CartTotals monthly=cart.monthly one_time=cart.one_time tax_rate_bp=rate />
        <div class="flex flex-wrap gap-3 justify-end mt-6">
            <A href="/catalog" attr:class="btn btn-secondary">{t!(i18n, shop.continue_shopping)}</A>
            <A href="/checkout" attr:class="btn btn-primary" attr:data-testid="to-checkout">{t!(i18n, shop.to_checkout)}</A>
        </div>
    }
    .into_any()
}

#[component]
fn CartRow(line: CartLine, lines: Vec<CartLine>) -> impl IntoView {
    let i18n = use_i18n();
    let name = product_name(&line.product);
    let unit = line.product.unit_price();
    let quantity_cell = if line.editable() {
        view! { <QuantityForm line=line.clone() /> }.into_any()
    } else {
        // An activation fee: its quantity follows the plans it comes with.
        let plans: Vec<Signal<String>> = line
            .required_by
            .iter()
            .filter_map(|id| lines.iter().find(|l| &l.product.id == id))
            .map(|l| product_name(&l.product))
            .collect();
        let plans = move || plans.iter().map(|p| p.get()).collect::<Vec<_>>().join(", ");
        let quantity = line.quantity;
        view! {
            <span class="tabular-nums">{quantity}</span>
            <span class="block text-sm text-muted">{move || t_string!(i18n, shop.comes_with, plans = plans()).to_string()}</span>
        }
        .into_any()
    };
    view! {
        <tr data-testid="cart-line" data-sku=line.product.sku.clone() data-quantity=line.quantity.to_string()>
            <td>{move || name.get()}</td>
            <td class="text-right">{unit.map(|u| view! { <MoneyText amount=u /> })}</td>
            <td>{quantity_cell}</td>
            <td class="text-right"><MoneyText amount=line.amount /></td>
        </tr>
    }
}

/// Counts successful edits on the page, so the cart is read again after each.
#[derive(Clone, Copy)]
struct CartChanges(RwSignal<u32>);

/// Quantity selector with an Update button, and a Remove button (quantity 0), each a form.
#[component]
fn QuantityForm(line: CartLine) -> impl IntoView {
    let i18n = use_i18n();
    let update = ServerAction::<UpdateCart>::new();
    let remove = ServerAction::<UpdateCart>::new();
    let error = Signal::derive(move || {
        action_error(update.value())
            .get()
            .or_else(|| action_error(remove.value()).get())
    });
    let id = line.product.id.clone();
    let remove_id = id.clone();
    let select_id = format!("qty-{id}");
    let label_for = select_id.clone();
    let name = product_name(&line.product);
    let remove_label = name;
    let current = line.quantity;
    if let Some(CartChanges(changes)) = use_context::<CartChanges>() {
        Effect::new(move |_| {
            let done = update.value().with(|v| matches!(v, Some(Ok(_))))
                || remove.value().with(|v| matches!(v, Some(Ok(_))));
            if done {
                changes.update(|n| *n += 1);
            }
        });
    }
    view! {
        <FormError error=error />
        <div class="flex flex-wrap items-center gap-2">
            <ActionForm action=update attr:class="flex items-center gap-2" attr:data-testid="update-line">
                <input type="hidden" name="product_id" value=id />
                <label for=label_for class="sr-only">{move || t_string!(i18n, shop.quantity_of, name = name.get()).to_string()}</label>
                <select id=select_id name="quantity" class="field-input w-20">
                    {(1..=MAX_QUANTITY).map(|n| view! { <option value=n.to_string() selected=n == current>{n}</option> }).collect_view()}
                </select>
                <Button button_type="submit" kind=ButtonKind::Secondary disabled=update.pending()>{t!(i18n, shop.update)}</Button>
            </ActionForm>
            <ActionForm action=remove attr:data-testid="remove-line">
                <input type="hidden" name="product_id" value=remove_id />
                <input type="hidden" name="quantity" value="0" />
                <Button button_type="submit" kind=ButtonKind::Ghost disabled=remove.pending()>
                    <span aria-hidden="true">{t!(i18n, shop.remove)}</span>
                    <span class="sr-only">{move || t_string!(i18n, shop.remove_named, name = remove_label.get()).to_string()}</span>
                </Button>
            </ActionForm>
        </div>
    }
}
