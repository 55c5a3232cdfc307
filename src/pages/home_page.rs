//! `/`: the start page. A signed-in customer gets their dashboard; a visitor a welcome that
//! shows, live, whether the portal's systems are up.

use crate::api::dashboard::get_dashboard;
use crate::api::system::get_status;
use crate::components::{ErrorAlert, PageTitle, Skeleton};
use crate::i18n::*;
use crate::pages::dashboard::Dashboard;
use crate::pages::status_page::OverallBanner;
use leptos::prelude::*;
use leptos_router::components::A;

/// The start page.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let dashboard = Resource::new(|| (), |_| get_dashboard());
    view! {
        <Suspense fallback=|| view! { <Skeleton lines=8 /> }>
            {move || dashboard.get().map(|result| match result {
                Ok(Some(view)) => view! {
                    <PageTitle text=move || t_string!(i18n, dashboard.title).to_string() />
                    <Dashboard view=view />
                }.into_any(),
                Ok(None) => view! { <Welcome /> }.into_any(),
                Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
            })}
        </Suspense>
    }
}

/// What a visitor sees.
#[component]
fn Welcome() -> impl IntoView {
    let i18n = use_i18n();
    let status = Resource::new(|| (), |_| get_status());
    view! {
        <PageTitle text=move || t_string!(i18n, home.title).to_string() />
        <section class="hero">
            <p class="hero-kicker">{t!(i18n, app.tagline)}</p>
            <h1 class="page-title">{t!(i18n, home.title)}</h1>
            <p class="hero-lead">{t!(i18n, home.lead)}</p>
        </section>
        <div class="grid gap-6 md:grid-cols-2">
            <section class="card" aria-labelledby="now-heading">
                <h2 id="now-heading" class="card-title">{t!(i18n, home.status_heading)}</h2>
                <Suspense fallback=|| view! { <Skeleton lines=2 /> }>
                    {move || status.get().map(|result| match result {
                        Ok(s) => view! { <OverallBanner status=s /> }.into_any(),
                        Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                    })}
                </Suspense>
                <A href="/status" attr:class="link mt-4 inline-block">{t!(i18n, home.status_link)}" →"</A>
            </section>
            <section class="card" aria-labelledby="what-heading">
                <h2 id="what-heading" class="card-title">{t!(i18n, home.what_heading)}</h2>
                <p class="text-muted">{t!(i18n, home.what_body)}</p>
            </section>
        </div>
    }
}
