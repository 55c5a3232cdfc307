//! The application shell and router: the HTML document, providers (translations, theme,
//! toasts), the layout, and the routes. Routes are stable URLs (see DESIGN §9).

mod layout;
mod nav;
mod preference_forms;
mod sandbox_badge;
mod session_menu;
mod theme;

pub use nav::{AREAS, Area, AreaKey};
pub use theme::{ThemeState, use_theme};

use crate::i18n::I18nContextProvider;
use crate::pages::account::{ProfilePage, SecurityPage};
use crate::pages::auth::{
    ForgotPasswordPage, LinkAccountPage, LoginPage, ResetPasswordPage, SecondFactorPage,
    SignupDonePage, SignupPage, VerifyEmailPage,
};
use crate::pages::billing::{InvoicePage, InvoicesPage, PayMethodsPage};
use crate::pages::orders::{OrderPage, OrdersPage};
use crate::pages::services::{ServicePage, ServicesPage};
use crate::pages::shop::{CartPage, CatalogPage, CheckoutPage, ProductPage};
use crate::pages::sims::{SimPage, SimsPage};
use crate::pages::support::{CasePage, CasesPage, NewCasePage};
use crate::pages::{HomePage, NotFoundPage, SandboxMailboxPage, StatusPage};
use layout::Layout;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The HTML document around the app, rendered on the server for every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::http::security_headers::set_page_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The app: providers, layout and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::components::provide_toasts();
    mark_hydrated();
    view! {
        <Stylesheet id="leptos" href="/pkg/portal.css" />
        <I18nContextProvider>
            <theme::ThemeProvider>
                <Router>
                    <Layout>
                        <Routes fallback=|| view! { <NotFoundPage /> }>
                            // In-order streaming: resolved data is in the HTML itself, so pages
                            // are complete without JavaScript (out-of-order needs a script to
                            // swap it in).
                            <Route path=path!("/") view=HomePage ssr=SsrMode::InOrder />
                            <Route path=path!("/status") view=StatusPage ssr=SsrMode::InOrder />
                            <Route path=path!("/login") view=LoginPage ssr=SsrMode::InOrder />
                            <Route path=path!("/login/2fa") view=SecondFactorPage ssr=SsrMode::InOrder />
                            <Route path=path!("/signup") view=SignupPage ssr=SsrMode::InOrder />
                            <Route path=path!("/signup/done") view=SignupDonePage ssr=SsrMode::InOrder />
                            <Route path=path!("/signup/link") view=LinkAccountPage ssr=SsrMode::InOrder />
                            <Route path=path!("/verify-email") view=VerifyEmailPage ssr=SsrMode::InOrder />
                            <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SsrMode::InOrder />
                            <Route path=path!("/reset-password") view=ResetPasswordPage ssr=SsrMode::InOrder />
                            <Route path=path!("/account") view=ProfilePage ssr=SsrMode::InOrder />
                            <Route path=path!("/account/security") view=SecurityPage ssr=SsrMode::InOrder />
                            <Route path=path!("/billing/invoices") view=InvoicesPage ssr=SsrMode::InOrder />
                            <Route path=path!("/billing/invoices/:id") view=InvoicePage ssr=SsrMode::InOrder />
                            <Route path=path!("/billing/payment-methods") view=PayMethodsPage ssr=SsrMode::InOrder />
                            <Route path=path!("/services") view=ServicesPage ssr=SsrMode::InOrder />
                            <Route path=path!("/services/:id") view=ServicePage ssr=SsrMode::InOrder />
                            <Route path=path!("/sims") view=SimsPage ssr=SsrMode::InOrder />
                            <Route path=path!("/sims/:number") view=SimPage ssr=SsrMode::InOrder />
                            <Route path=path!("/catalog") view=CatalogPage ssr=SsrMode::InOrder />
                            <Route path=path!("/catalog/:id") view=ProductPage ssr=SsrMode::InOrder />
                            <Route path=path!("/cart") view=CartPage ssr=SsrMode::InOrder />
                            <Route path=path!("/checkout") view=CheckoutPage ssr=SsrMode::InOrder />
                            <Route path=path!("/orders") view=OrdersPage ssr=SsrMode::InOrder />
                            <Route path=path!("/orders/:id") view=OrderPage ssr=SsrMode::InOrder />
                            <Route path=path!("/support") view=CasesPage ssr=SsrMode::InOrder />
                            <Route path=path!("/support/new") view=NewCasePage ssr=SsrMode::InOrder />
                            <Route path=path!("/support/:id") view=CasePage ssr=SsrMode::InOrder />
                            <Route path=path!("/sandbox/mail") view=SandboxMailboxPage ssr=SsrMode::InOrder />
                        </Routes>
                    </Layout>
                </Router>
            </theme::ThemeProvider>
        </I18nContextProvider>
    }
}

/// Sets `data-hydrated` on `<body>` once the WASM has taken over, so tests (and the CSS) can
/// tell a hydrated page from server-rendered HTML. Effects never run on the server.
fn mark_hydrated() {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
