//! The "add to cart" form of a product card and a product page: an `ActionForm` posting to the
//! `add_to_cart` server function, which answers with a redirect to the cart — a plain form
//! post without the WASM, a fetch and a client-side navigation with it. Visitors get a
//! sign-in link instead.

use crate::api::shop::AddToCart;
use crate::components::{Button, ButtonKind, FormError, action_error};
use crate::domain::orders::MAX_QUANTITY;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// The form; `with_quantity` adds a quantity selector (the product page).
#[component]
pub fn AddToCartForm(
    product_id: String,
    name: Signal<String>,
    signed_in: bool,
    #[prop(optional)] with_quantity: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    if !signed_in {
        return view! {
            <A href="/login" attr:class="btn btn-secondary" attr:data-testid="sign-in-to-order">
                {t!(i18n, shop.sign_in_to_order)}
            </A>
        }
        .into_any();
    }
    let quantity = with_quantity.then(|| {
        let id = format!("qty-{product_id}");
        let label_for = id.clone();
        view! {
            <label for=label_for class="field-label sr-only-sm">{t!(i18n, shop.quantity)}</label>
            <select id=id name="quantity" class="field-input w-24">
                {(1..=MAX_QUANTITY).map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
            </select>
        }
    });
    let label = name;
    let action = ServerAction::<AddToCart>::new();
    let error = action_error(action.value());
    view! {
        <FormError error=error />
        <ActionForm action=action attr:class="flex items-end gap-2" attr:data-testid="add-to-cart">
            <input type="hidden" name="product_id" value=product_id />
            {quantity}
            <Button button_type="submit" kind=ButtonKind::Primary disabled=action.pending()>
                <span aria-hidden="true">{t!(i18n, shop.add)}</span>
                <span class="sr-only">{move || t_string!(i18n, shop.add_named, name = label.get()).to_string()}</span>
            </Button>
        </ActionForm>
    }
    .into_any()
}
