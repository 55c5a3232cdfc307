//! `/catalog`: plans and options by category (fibre, mobile SIM, options), filtered with
//! `?category=` links that work without JavaScript. Activation fees are not listed on their
//! own: each plan card says which one comes with it.

use super::product_card::{ProductCard, fee_of};
use super::{category_key, category_label};
use crate::api::Snapshot;
use crate::api::auth::current_viewer;
use crate::api::shop::{CatalogView, list_products};
use crate::components::{EmptyState, ErrorAlert, PageTitle, Skeleton};
use crate::domain::catalog::{Category, ItemClass};
use crate::i18n::*;
use crate::pages::auth::query_param;
use crate::pages::billing::StaleNote;
use leptos::prelude::*;
use leptos_router::components::A;

/// The categories in display order.
const CATEGORIES: [Category; 3] = [Category::Fibre, Category::Sim, Category::Options];

/// The catalog page.
#[component]
pub fn CatalogPage() -> impl IntoView {
    let i18n = use_i18n();
    let filter = query_param("category");
    let catalog = Resource::new(|| (), |()| list_products());
    let viewer = Resource::new(|| (), |()| current_viewer());
    view! {
        <PageTitle text=move || t_string!(i18n, shop.title).to_string() />
        <section class="hero">
            <h1 class="page-title">{t!(i18n, shop.title)}</h1>
            <p class="hero-lead">{t!(i18n, shop.lead)}</p>
        </section>
        <nav class="tabs mb-6" aria-label=move || t_string!(i18n, shop.categories)>
            <CategoryTab key=None filter=filter />
            {CATEGORIES.iter().map(|c| view! { <CategoryTab key=Some(c.clone()) filter=filter /> }).collect_view()}
        </nav>
        <Suspense fallback=|| view! { <Skeleton lines=10 /> }>
            {move || {
                let signed_in = viewer.get().map(|v| matches!(v, Ok(Some(_)))).unwrap_or(false);
                catalog.get().map(|result| match result {
                    Ok(snapshot) => view! { <Catalog snapshot=snapshot filter=filter.get() signed_in=signed_in /> }.into_any(),
                    Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn CategoryTab(key: Option<Category>, filter: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let href = match &key {
        Some(c) => format!("/catalog?category={}", category_key(c)),
        None => "/catalog".to_owned(),
    };
    let this = key.as_ref().map(|c| category_key(c).to_owned());
    let current = move || (filter.get() == this).then_some("page");
    let label = move || match &key {
        Some(c) => category_label(i18n, c),
        None => t_string!(i18n, shop.all).to_string(),
    };
    view! { <A href=href attr:class="tab" attr:aria-current=current>{label}</A> }
}

#[component]
fn Catalog(
    snapshot: Snapshot<CatalogView>,
    filter: Option<String>,
    signed_in: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let Snapshot {
        value,
        as_of,
        stale,
    } = snapshot;
    let CatalogView {
        products,
        tax_rate_bp,
    } = value;
    let mut shown: Vec<Category> = CATEGORIES.to_vec();
    for p in &products {
        if !shown.contains(&p.category) {
            shown.push(p.category.clone());
        }
    }
    if let Some(key) = &filter {
        shown.retain(|c| category_key(c) == key);
    }
    let sections = shown
        .into_iter()
        .filter_map(|category| {
            let mut listed: Vec<_> = products
                .iter()
                .filter(|p| p.category == category && p.item_class != ItemClass::Activation)
                .collect();
            // Plans before options, cheapest first (the CRM's order is by name).
            listed.sort_by_key(|p| {
                (
                    p.item_class != ItemClass::Service,
                    p.unit_price().map_or(i64::MAX, |m| m.minor()),
                )
            });
            let cards: Vec<_> = listed
                .into_iter()
                .map(|p| {
                    view! {
                        <ProductCard product=p.clone() fee=fee_of(p, &products) tax_rate_bp=tax_rate_bp signed_in=signed_in />
                    }
                })
                .collect();
            if cards.is_empty() {
                return None;
            }
            let heading_id = format!("cat-{}", category_key(&category));
            let labelled_by = heading_id.clone();
            let key = category_key(&category).to_owned();
            let label = category.clone();
            Some(view! {
                <section class="mb-10" aria-labelledby=labelled_by data-testid="catalog-section" data-category=key>
                    <h2 id=heading_id class="section-title">{move || category_label(i18n, &label)}</h2>
                    <div class="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">{cards}</div>
                </section>
            })
        })
        .collect::<Vec<_>>();
    let body = if sections.is_empty() {
        view! {
            <EmptyState
                title=Signal::derive(move || t_string!(i18n, shop.empty_title).to_string())
                body=Signal::derive(move || t_string!(i18n, shop.empty_body).to_string())
            />
        }
        .into_any()
    } else {
        sections.into_iter().collect_view().into_any()
    };
    view! {
        <StaleNote stale=stale as_of_ms=as_of />
        <p class="text-sm text-muted mb-4">{move || t_string!(i18n, shop.prices_note, rate = crate::domain::billing::format_tax_rate(tax_rate_bp)).to_string()}</p>
        {body}
    }
}
