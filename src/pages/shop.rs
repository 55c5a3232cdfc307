//! The shop: the catalog (`/catalog`, `/catalog/:id`), the cart (`/cart`) and the confirmation
//! step (`/checkout`) that places the order. Prices are shown as Japanese shops must (総額表示):
//! with tax first, the amount before tax beside it.

mod add_form;
mod cart_page;
mod catalog_page;
mod checkout_page;
mod product_card;
mod product_page;
mod totals;

pub use cart_page::CartPage;
pub use catalog_page::CatalogPage;
pub use checkout_page::CheckoutPage;
pub use product_page::ProductPage;

use crate::components::{MoneyText, current_lang};
use crate::domain::cart::Taxed;
use crate::domain::catalog::{BillingCycle, Category, Product};
use crate::domain::common::Lang;
use crate::i18n::*;
use leptos::prelude::*;

/// A product's name in the reader's language, following the language switch.
pub(crate) fn product_name(product: &Product) -> Signal<String> {
    let (ja, en) = (product.name_ja.clone(), product.name_en.clone());
    Signal::derive(move || match current_lang() {
        Lang::Ja => ja.clone(),
        Lang::En => en.clone(),
    })
}

/// A category's name in the reader's language.
pub(crate) fn category_label(
    i18n: leptos_i18n::I18nContext<Locale>,
    category: &Category,
) -> String {
    match category {
        Category::Fibre => t_string!(i18n, shop.cat_fibre).to_string(),
        Category::Sim => t_string!(i18n, shop.cat_sim).to_string(),
        Category::Options => t_string!(i18n, shop.cat_options).to_string(),
        Category::Other(name) => name.clone(),
    }
}

/// The category's URL key (`?category=`).
pub(crate) fn category_key(category: &Category) -> &str {
    match category {
        Category::Fibre => "fibre",
        Category::Sim => "sim",
        Category::Options => "options",
        Category::Other(name) => name,
    }
}

/// A price with tax (large) and before tax (small), with its period.
#[component]
pub(crate) fn PriceTag(product: Product, tax_rate_bp: u32) -> impl IntoView {
    let i18n = use_i18n();
    let Some(unit) = product.unit_price() else {
        return ().into_any();
    };
    let taxed = Taxed::on(unit, tax_rate_bp);
    let monthly = product.billing_cycle != BillingCycle::OneTime;
    let period = move || match product.billing_cycle {
        BillingCycle::Monthly => t_string!(i18n, shop.per_month).to_string(),
        BillingCycle::Annually => t_string!(i18n, shop.per_year).to_string(),
        BillingCycle::OneTime => t_string!(i18n, shop.one_time).to_string(),
    };
    view! {
        <p class="price-tag" data-testid="price" data-monthly=monthly.to_string() data-amount=unit.minor().to_string()>
            <span class="price-main"><MoneyText amount=taxed.total /></span>
            <span class="price-period">{period}</span>
            <span class="price-note">
                {t!(i18n, shop.tax_included)}
                " · "
                {move || t_string!(i18n, shop.tax_excluded, amount = unit.format(current_lang())).to_string()}
            </span>
        </p>
    }
    .into_any()
}
