//! `/catalog/:id`: one plan or option — what it includes, its price, the activation fee that
//! comes with it and what activation involves, the options that go with it, and the
//! add-to-cart form with a quantity.

use super::add_form::AddToCartForm;
use super::product_card::{ProductCard, fee_of};
use super::{PriceTag, category_key, category_label, product_name};
use crate::api::Snapshot;
use crate::api::auth::current_viewer;
use crate::api::shop::{CatalogView, get_product};
use crate::components::{ErrorAlert, PageTitle, Skeleton};
use crate::domain::catalog::{Category, ItemClass, Product};
use crate::i18n::*;
use crate::pages::billing::StaleNote;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The product page.
#[component]
pub fn ProductPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let product = Resource::new(
        move || params.with(|p| p.get("id").unwrap_or_default()),
        get_product,
    );
    let viewer = Resource::new(|| (), |()| current_viewer());
    view! {
        <PageTitle text=move || t_string!(i18n, shop.title).to_string() />
        <p class="mb-2"><A href="/catalog">{t!(i18n, shop.back)}</A></p>
        <Suspense fallback=|| view! { <Skeleton lines=10 /> }>
            {move || {
                let signed_in = viewer.get().map(|v| matches!(v, Ok(Some(_)))).unwrap_or(false);
                product.get().map(|result| match result {
                    Ok(snapshot) => view! { <ProductDetail snapshot=snapshot signed_in=signed_in /> }.into_any(),
                    Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn ProductDetail(snapshot: Snapshot<(Product, CatalogView)>, signed_in: bool) -> impl IntoView {
    let i18n = use_i18n();
    let Snapshot {
        value: (product, catalog),
        as_of,
        stale,
    } = snapshot;
    let CatalogView {
        products,
        tax_rate_bp,
    } = catalog;
    let name = product_name(&product);
    let fee = fee_of(&product, &products);
    let category = product.category.clone();
    let category_href = format!("/catalog?category={}", category_key(&category));
    let specs = product
        .config_options
        .iter()
        .map(|(k, v)| view! { <div><dt>{k.clone()}</dt><dd>{v.clone()}</dd></div> })
        .collect_view();
    let activation = activation_view(&product, fee, tax_rate_bp);
    // Options go with plans (not with other options).
    let options: Vec<Product> = if product.item_class == ItemClass::Service {
        products
            .iter()
            .filter(|p| p.item_class == ItemClass::Option && p.id != product.id)
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    let options_view = (!options.is_empty()).then(|| {
        let cards = options
            .into_iter()
            .map(|o| view! { <ProductCard product=o fee=None tax_rate_bp=tax_rate_bp signed_in=signed_in /> })
            .collect_view();
        view! {
            <section class="mt-8" aria-labelledby="options-heading">
                <h2 id="options-heading" class="section-title">{t!(i18n, shop.options_title)}</h2>
                <div class="grid gap-4 sm:grid-cols-2">{cards}</div>
            </section>
        }
    });
    let category_name = category.clone();
    view! {
        <StaleNote stale=stale as_of_ms=as_of />
        <article class="card" data-testid="product" data-sku=product.sku.clone()>
            <p class="hero-kicker"><A href=category_href>{move || category_label(i18n, &category_name)}</A></p>
            <h1 class="page-title">{move || name.get()}</h1>
            <PriceTag product=product.clone() tax_rate_bp=tax_rate_bp />
            {(!product.config_options.is_empty()).then(|| view! {
                <div class="mt-6">
                    <h2 class="card-title">{t!(i18n, shop.specs)}</h2>
                    <dl class="spec-list">{specs}</dl>
                </div>
            })}
            {(!product.description.is_empty()).then(|| view! { <p class="mt-4">{product.description.clone()}</p> })}
            {activation}
            <div class="mt-6">
                <AddToCartForm product_id=product.id.clone() name=name signed_in=signed_in with_quantity=true />
            </div>
        </article>
        {options_view}
    }
}

/// What activation involves for this product's category, and the fee that comes with it.
fn activation_view(product: &Product, fee: Option<Product>, tax_rate_bp: u32) -> AnyView {
    let i18n = use_i18n();
    if product.item_class != ItemClass::Service {
        return ().into_any();
    }
    let category = product.category.clone();
    let how = move || match category {
        Category::Fibre => t_string!(i18n, shop.activation_fibre).to_string(),
        Category::Sim => t_string!(i18n, shop.activation_sim).to_string(),
        _ => t_string!(i18n, shop.activation_other).to_string(),
    };
    let fee_view = fee.map(|fee| {
        let fee_name = product_name(&fee);
        view! {
            <div class="mt-3" data-testid="activation-fee">
                <p class="font-semibold">{move || fee_name.get()}</p>
                <PriceTag product=fee tax_rate_bp=tax_rate_bp />
                <p class="text-sm text-muted">{t!(i18n, shop.activation_added)}</p>
            </div>
        }
    });
    view! {
        <section class="mt-6" aria-labelledby="activation-heading">
            <h2 id="activation-heading" class="card-title">{t!(i18n, shop.activation_title)}</h2>
            <p>{how}</p>
            {fee_view}
        </section>
    }
    .into_any()
}
