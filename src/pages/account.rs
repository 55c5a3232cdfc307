//! The account area: profile (`/account`) and security (`/account/security`).

mod profile_fields;
mod profile_page;
mod security_page;
mod totp_panel;

pub use profile_fields::ProfileFields;
pub use profile_page::ProfilePage;
pub use security_page::SecurityPage;

use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// What a signed-out visitor sees on a page that needs an account.
#[component]
pub fn SignInPrompt() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="card" data-testid="sign-in-prompt">
            <p>{t!(i18n, errors.unauthenticated)}</p>
            <A href="/login" attr:class="btn btn-primary mt-4">{t!(i18n, auth.sign_in)}</A>
        </div>
    }
}

/// A page-level load error: the sign-in prompt for `Unauthenticated`, else the alert.
pub fn load_error(err: AppError) -> AnyView {
    match err {
        AppError::Unauthenticated => view! { <SignInPrompt /> }.into_any(),
        other => view! { <crate::components::ErrorAlert error=other /> }.into_any(),
    }
}

/// Tabs between the account pages.
#[component]
pub fn AccountTabs(current: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let aria = move |href: &'static str| (href == current).then_some("page");
    view! {
        <nav class="tabs" aria-label=move || t_string!(i18n, account.title)>
            <A href="/account" attr:class="tab" attr:aria-current=aria("/account")>{t!(i18n, account.profile_link)}</A>
            <A href="/account/security" attr:class="tab" attr:aria-current=aria("/account/security")>{t!(i18n, account.security_link)}</A>
        </nav>
    }
}
