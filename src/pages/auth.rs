//! Signing up, in and out, and the emailed-link pages. Every form is an `ActionForm`: a plain
//! HTML form before (or without) the WASM, an in-place submit after.

mod forgot_password_page;
mod link_account_page;
mod login_page;
mod reset_password_page;
mod second_factor_page;
mod signup_done_page;
mod signup_page;
mod verify_email_page;

pub use forgot_password_page::ForgotPasswordPage;
pub use link_account_page::LinkAccountPage;
pub use login_page::LoginPage;
pub use reset_password_page::ResetPasswordPage;
pub use second_factor_page::SecondFactorPage;
pub use signup_done_page::SignupDonePage;
pub use signup_page::SignupPage;
pub use verify_email_page::VerifyEmailPage;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The narrow centred card the auth pages share.
#[component]
pub fn AuthCard(
    #[prop(into)] title: Signal<String>,
    #[prop(optional, into)] lead: Option<Signal<String>>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="auth-card card">
            <h1 class="page-title">{move || title.get()}</h1>
            {lead.map(|l| view! { <p class="text-muted mb-4">{move || l.get()}</p> })}
            {children()}
        </section>
    }
}

/// A query parameter of the current URL.
pub fn query_param(name: &'static str) -> Signal<Option<String>> {
    let query = use_query_map();
    Signal::derive(move || query.with(|q| q.get(name)))
}
