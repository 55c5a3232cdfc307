//! One product in the catalog grid: name, what it includes, its price with and without tax,
//! the activation fee that comes with it, a link to its page and the add-to-cart form.

use super::add_form::AddToCartForm;
use super::{PriceTag, product_name};
use crate::components::current_lang;
use crate::domain::cart::Taxed;
use crate::domain::catalog::Product;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// A product card. `fee` is the activation product the plan requires, if any.
#[component]
pub fn ProductCard(
    product: Product,
    fee: Option<Product>,
    tax_rate_bp: u32,
    signed_in: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/catalog/{}", product.id);
    let name = product_name(&product);
    let heading_id = format!("product-{}", product.id);
    let labelled_by = heading_id.clone();
    let sku = product.sku.clone();
    let id = product.id.clone();
    let specs = product
        .config_options
        .iter()
        .map(|(k, v)| view! { <li class="chip">{format!("{k}: {v}")}</li> })
        .collect_view();
    let fee_line = fee.and_then(|fee| {
        let amount = Taxed::on(fee.unit_price()?, tax_rate_bp).total;
        Some(view! {
            <p class="text-sm text-muted" data-testid="activation-fee">
                {move || t_string!(i18n, shop.activation_with, amount = amount.format(current_lang())).to_string()}
            </p>
        })
    });
    let link_name = name;
    view! {
        <article class="card product-card" aria-labelledby=labelled_by data-testid="product-card" data-sku=sku data-id=id>
            <h3 id=heading_id class="card-title">{move || name.get()}</h3>
            <ul class="chips" aria-label=move || t_string!(i18n, shop.specs)>{specs}</ul>
            <PriceTag product=product.clone() tax_rate_bp=tax_rate_bp />
            {fee_line}
            <div class="product-actions">
                <A href=href attr:class="link">
                    {t!(i18n, shop.details)}
                    <span class="sr-only">{move || format!(" — {}", link_name.get())}</span>
                </A>
                <AddToCartForm product_id=product.id.clone() name=name signed_in=signed_in />
            </div>
        </article>
    }
}

/// The activation product a plan requires, from the catalog.
pub fn fee_of(product: &Product, catalog: &[Product]) -> Option<Product> {
    let id = product.activation_product_id.as_ref()?;
    catalog.iter().find(|p| &p.id == id).cloned()
}
