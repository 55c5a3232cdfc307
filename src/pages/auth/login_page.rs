//! `/login`: email and password, with links to sign-up, linking and password reset.

use super::{AuthCard, query_param};
use crate::api::auth::Login;
use crate::components::{Button, FormError, FormNotice, PageTitle, TextField, action_error};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// The sign-in page.
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Login>::new();
    let error = action_error(action.value());
    let reset = query_param("reset");
    let notice = Signal::derive(move || {
        reset
            .get()
            .map(|_| t_string!(i18n, auth.reset_done).to_string())
    });
    view! {
        <PageTitle text=move || t_string!(i18n, auth.login_title).to_string() />
        <AuthCard
            title=Signal::derive(move || t_string!(i18n, auth.login_title).to_string())
            lead=Signal::derive(move || t_string!(i18n, auth.login_lead).to_string())
        >
            <FormNotice text=notice />
            <FormError error=error />
            <ActionForm action=action attr:class="stack" attr:data-testid="login-form">
                <TextField
                    name="email"
                    input_type="email"
                    label=Signal::derive(move || t_string!(i18n, auth.email).to_string())
                    autocomplete="username"
                    required=true
                />
                <TextField
                    name="password"
                    input_type="password"
                    label=Signal::derive(move || t_string!(i18n, auth.password).to_string())
                    autocomplete="current-password"
                    required=true
                />
                <Button button_type="submit" disabled=action.pending()>
                    {t!(i18n, auth.sign_in)}
                </Button>
            </ActionForm>
            <ul class="auth-links">
                <li><A href="/forgot-password" attr:class="link">{t!(i18n, auth.forgot_link)}</A></li>
                <li>{t!(i18n, auth.no_account)}" "<A href="/signup" attr:class="link">{t!(i18n, auth.create_account_link)}</A></li>
                <li>{t!(i18n, auth.existing_customer)}" "<A href="/signup/link" attr:class="link">{t!(i18n, auth.link_account_link)}</A></li>
            </ul>
        </AuthCard>
    }
}
