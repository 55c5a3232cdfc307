//! The 404 page: answered with status 404 (not a soft 200), with a way back.

use crate::components::PageTitle;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// Shown for any unknown URL.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <PageTitle text=move || t_string!(i18n, errors.not_found_title).to_string() />
        <section class="error-page" aria-labelledby="error-title">
            <p class="error-code" aria-hidden="true">"404"</p>
            <h1 id="error-title" class="page-title">{t!(i18n, errors.not_found_title)}</h1>
            <p class="text-muted max-w-prose">{t!(i18n, errors.not_found_body)}</p>
            <A href="/" attr:class="btn btn-primary">{t!(i18n, errors.back_home)}</A>
        </section>
    }
}
