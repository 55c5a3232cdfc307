//! The totals block of the cart, the confirmation page and an order, laid out like a Japanese
//! qualified invoice: per charge type the amount before tax, the consumption tax at its rate,
//! and the total with tax.

use crate::components::MoneyText;
use crate::domain::billing::format_tax_rate;
use crate::domain::cart::Taxed;
use crate::i18n::*;
use leptos::prelude::*;

/// One group of charges (monthly or one-time); nothing when it is zero.
#[component]
pub fn TaxedTotals(
    #[prop(into)] title: Signal<String>,
    taxed: Taxed,
    tax_rate_bp: u32,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    if taxed.subtotal.minor() == 0 {
        return ().into_any();
    }
    let rate = format_tax_rate(tax_rate_bp);
    view! {
        <section class="totals" data-testid=testid data-total=taxed.total.minor().to_string()>
            <h3 class="totals-title">{move || title.get()}</h3>
            <dl>
                <div><dt>{t!(i18n, shop.subtotal)}</dt><dd><MoneyText amount=taxed.subtotal /></dd></div>
                <div><dt>{move || t_string!(i18n, shop.tax_line, rate = rate.clone()).to_string()}</dt><dd><MoneyText amount=taxed.tax /></dd></div>
                <div class="totals-sum"><dt>{t!(i18n, shop.total)}</dt><dd><MoneyText amount=taxed.total /></dd></div>
            </dl>
        </section>
    }
    .into_any()
}

/// A cart's monthly and one-time totals side by side.
#[component]
pub fn CartTotals(monthly: Taxed, one_time: Taxed, tax_rate_bp: u32) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="grid gap-4 md:grid-cols-2 mt-6">
            <TaxedTotals title=Signal::derive(move || t_string!(i18n, shop.monthly_charges).to_string()) taxed=monthly tax_rate_bp=tax_rate_bp testid="monthly-totals" />
            <TaxedTotals title=Signal::derive(move || t_string!(i18n, shop.one_time_charges).to_string()) taxed=one_time tax_rate_bp=tax_rate_bp testid="one-time-totals" />
        </div>
    }
}

/// What the cart and the confirmation page show for an empty cart.
#[component]
pub fn EmptyCart() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <crate::components::EmptyState
            title=Signal::derive(move || t_string!(i18n, shop.cart_empty_title).to_string())
            body=Signal::derive(move || t_string!(i18n, shop.cart_empty_body).to_string())
        >
            <leptos_router::components::A href="/catalog" attr:class="btn btn-primary">{t!(i18n, shop.browse)}</leptos_router::components::A>
        </crate::components::EmptyState>
    }
}
