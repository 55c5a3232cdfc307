//! The document title of a page, in the reader's language.
//!
//! leptos_meta renders `<title>` after the body has streamed, when the page's reactive owner
//! may already be disposed; a closure reading the translation signals then panics (seen under
//! concurrent load). On the server the title is therefore computed once, up front; in the
//! browser it stays reactive so a language switch retitles the tab.

use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

/// Sets the page's `<title>` to "<page> · <portal name>", both translated.
#[component]
pub fn PageTitle<F>(text: F) -> impl IntoView
where
    F: Fn() -> String + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let full = move || format!("{} · {}", text(), t_string!(i18n, app.name));
    #[cfg(feature = "ssr")]
    let full = full();
    view! { <Title text=full /> }
}
