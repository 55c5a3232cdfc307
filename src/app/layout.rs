//! The page frame: skip link, header (brand, sandbox badge, navigation, preferences), main
//! content, footer, toasts. On phones the navigation folds into a `<details>` menu, which opens
//! and closes without JavaScript.

use super::nav::{AreaKey, is_current, visible_areas};
use super::preference_forms::{LanguageSwitch, ThemeSwitch};
use super::sandbox_badge::{SandboxBadge, SandboxMailboxMenuLink};
use super::session_menu::SessionMenu;
use crate::components::ToastRegion;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// The frame around every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a href="#main" class="skip-link">{t!(i18n, app.skip_to_content)}</a>
        <header class="site-header">
            <div class="site-header-inner">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    <span>{t!(i18n, app.name)}</span>
                </A>
                <SandboxBadge />
                <nav class="nav-desktop" aria-label=move || t_string!(i18n, nav.main)>
                    <NavLinks />
                </nav>
                <div class="header-prefs">
                    <LanguageSwitch />
                    <ThemeSwitch />
                    <SessionMenu />
                </div>
                <details class="nav-mobile">
                    <summary class="btn btn-ghost">{t!(i18n, nav.menu)}</summary>
                    <nav class="nav-mobile-panel" aria-label=move || t_string!(i18n, nav.main)>
                        <NavLinks />
                        <SandboxMailboxMenuLink />
                        <div class="nav-mobile-prefs">
                            <LanguageSwitch />
                            <ThemeSwitch />
                        </div>
                        <SessionMenu />
                    </nav>
                </details>
            </div>
        </header>
        <main id="main" class="site-main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <div class="site-footer-inner">
                <A href="/status">{t!(i18n, nav.status)}</A>
                <p>{t!(i18n, footer.rights)}</p>
            </div>
        </footer>
        <ToastRegion dismiss_label=Signal::derive(move || t_string!(i18n, common.dismiss).to_string()) />
    }
}

/// The links to the built areas, marking the current one.
#[component]
fn NavLinks() -> impl IntoView {
    let location = use_location();
    visible_areas()
        .map(|area| {
            let href = area.href;
            let current = move || is_current(href, &location.pathname.get()).then_some("page");
            view! {
                <A href=href attr:class="nav-link" attr:aria-current=current>
                    <AreaLabel key=area.key />
                </A>
            }
        })
        .collect_view()
}

/// An area's name in the current language.
#[component]
fn AreaLabel(key: AreaKey) -> impl IntoView {
    let i18n = use_i18n();
    move || match key {
        AreaKey::Dashboard => t_string!(i18n, nav.dashboard),
        AreaKey::Orders => t_string!(i18n, nav.orders),
        AreaKey::Catalog => t_string!(i18n, nav.catalog),
        AreaKey::Billing => t_string!(i18n, nav.billing),
        AreaKey::Services => t_string!(i18n, nav.services),
        AreaKey::Sims => t_string!(i18n, nav.sims),
        AreaKey::Support => t_string!(i18n, nav.support),
        AreaKey::Account => t_string!(i18n, nav.account),
    }
}
