//! The colour theme: light, dark, or following the system. The server renders
//! `<html data-theme=…>` from the `theme` cookie, so the first paint already has the right
//! colours (no flash, and no inline script needed); the switch updates the attribute and the
//! cookie in the browser, or posts a form without JavaScript.

use crate::domain::preferences::Theme;
use codee::string::FromToStringCodec;
use leptos::prelude::*;
use leptos_meta::Html;
use leptos_use::{SameSite, UseCookieOptions, use_cookie_with_options};

/// The theme and its setter, from context.
#[derive(Clone, Copy)]
pub struct ThemeState {
    /// The current choice.
    pub theme: Signal<Theme>,
    set_cookie: WriteSignal<Option<String>>,
}

impl ThemeState {
    /// Chooses a theme (remembered in the cookie).
    pub fn set(self, theme: Theme) {
        self.set_cookie.set(Some(theme.as_str().to_owned()));
    }
}

/// The theme state (defaults to following the system outside a provider).
pub fn use_theme() -> Option<ThemeState> {
    use_context::<ThemeState>()
}

/// Reads the cookie, provides [`ThemeState`] and sets `<html data-theme>`.
#[component]
pub fn ThemeProvider(children: Children) -> impl IntoView {
    let (cookie, set_cookie) = use_cookie_with_options::<String, FromToStringCodec>(
        crate::domain::preferences::THEME_COOKIE,
        UseCookieOptions::default()
            .path("/")
            .max_age(365_i64 * 24 * 3600 * 1000)
            .same_site(SameSite::Lax),
    );
    let theme =
        Signal::derive(move || cookie.with(|c| c.as_deref().map_or(Theme::System, Theme::parse)));
    provide_context(ThemeState { theme, set_cookie });
    view! {
        <Html attr:data-theme=move || theme.get().as_str() />
        {children()}
    }
}
