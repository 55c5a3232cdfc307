//! The header's account corner: who is signed in and a sign-out button (a real form, so it works
//! without JavaScript), or the sign-in and sign-up links for visitors.

use crate::api::auth::{Logout, current_viewer};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// The account corner.
#[component]
pub fn SessionMenu() -> impl IntoView {
    let i18n = use_i18n();
    // Fetched again after each navigation, so signing in or out (which navigates) shows at once.
    let location = leptos_router::hooks::use_location();
    let viewer = Resource::new(move || location.pathname.get(), |_| current_viewer());
    let logout = ServerAction::<Logout>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || viewer.get().map(|v| match v.ok().flatten() {
                Some(viewer) => {
                    let email = viewer.email.clone();
                    let units = viewer.cart_units;
                    view! {
                    <div class="session-menu" data-testid="session-menu">
                        <A href="/cart" attr:class="cart-link" attr:data-testid="cart-link" attr:data-count=units.to_string()
                            attr:aria-label=move || t_string!(i18n, shop.cart_count, count = units).to_string()>
                            // Drawn, not an emoji: not every system has a colour emoji font.
                            <svg aria-hidden="true" viewBox="0 0 24 24" class="h-5 w-5" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
                                <path d="M3 4h2l2.4 11.2a1 1 0 0 0 1 .8h8.9a1 1 0 0 0 1-.8L20 8H6.2" />
                                <circle cx="9.5" cy="19.5" r="1.3" />
                                <circle cx="17" cy="19.5" r="1.3" />
                            </svg>
                            <span class="cart-label">{t!(i18n, shop.cart)}</span>
                            {(units > 0).then(|| view! { <span class="cart-count" aria-hidden="true">{units}</span> })}
                        </A>
                        <A href="/account" attr:class="session-email" attr:title=move || t_string!(i18n, auth.signed_in_as, email = email.clone()).to_string()>
                            {viewer.email.clone()}
                        </A>
                        <ActionForm action=logout>
                            <button type="submit" class="btn btn-ghost" data-testid="sign-out">{t!(i18n, auth.sign_out)}</button>
                        </ActionForm>
                    </div>
                }.into_any()
                }
                None => view! {
                    <div class="session-menu">
                        <A href="/login" attr:class="btn btn-ghost">{t!(i18n, nav.sign_in)}</A>
                        <A href="/signup" attr:class="btn btn-primary">{t!(i18n, nav.sign_up)}</A>
                    </div>
                }.into_any(),
            })}
        </Suspense>
    }
}
