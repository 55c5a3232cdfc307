//! The language and theme switches. Each is a real form posting to a server function, so it
//! works before (or without) the WASM; once hydrated, a click switches instantly in the browser
//! instead, writing the same cookie.

use super::theme::use_theme;
use crate::api::preferences::{SetLanguage, SetTheme};
use crate::domain::preferences::Theme;
use crate::i18n::*;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// 日本語 / English.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let choice = move |locale: Locale, code: &'static str, label: &'static str| {
        let pressed = move || (i18n.get_locale() == locale).to_string();
        view! {
            <button
                type="submit"
                name="lang"
                value=code
                lang=code
                class="seg-btn"
                aria-pressed=pressed
                on:click=move |ev| {
                    ev.prevent_default();
                    i18n.set_locale(locale);
                }
            >
                {label}
            </button>
        }
    };
    view! {
        <form method="post" action=SetLanguage::url() class="segmented" role="group" aria-label=move || t_string!(i18n, prefs.language)>
            {choice(Locale::ja, "ja", "日本語")}
            {choice(Locale::en, "en", "English")}
        </form>
    }
}

/// Light / Dark / System.
#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_theme();
    let current = move || state.map_or(Theme::System, |s| s.theme.get());
    let choice = move |theme: Theme| {
        let label = move || match theme {
            Theme::Light => t_string!(i18n, prefs.theme_light),
            Theme::Dark => t_string!(i18n, prefs.theme_dark),
            Theme::System => t_string!(i18n, prefs.theme_system),
        };
        let icon = match theme {
            Theme::Light => "☀",
            Theme::Dark => "☾",
            Theme::System => "◐",
        };
        view! {
            <button
                type="submit"
                name="theme"
                value=theme.as_str()
                class="seg-btn"
                title=label
                aria-label=label
                aria-pressed=move || (current() == theme).to_string()
                data-theme-choice=theme.as_str()
                on:click=move |ev| {
                    if let Some(s) = state {
                        ev.prevent_default();
                        s.set(theme);
                    }
                }
            >
                <span aria-hidden="true">{icon}</span>
            </button>
        }
    };
    view! {
        <form method="post" action=SetTheme::url() class="segmented" role="group" aria-label=move || t_string!(i18n, prefs.theme)>
            {Theme::ALL.map(choice).collect_view()}
        </form>
    }
}
