//! `/signup`: a new customer's details and password.

use super::AuthCard;
use crate::api::auth::Signup;
use crate::components::{Button, FormError, PageTitle, TextField, action_error, field_message};
use crate::i18n::*;
use crate::pages::account::ProfileFields;
use leptos::prelude::*;
use leptos_router::components::A;

/// The sign-up page.
#[component]
pub fn SignupPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Signup>::new();
    let error = action_error(action.value());
    view! {
        <PageTitle text=move || t_string!(i18n, auth.signup_title).to_string() />
        <AuthCard
            title=Signal::derive(move || t_string!(i18n, auth.signup_title).to_string())
            lead=Signal::derive(move || t_string!(i18n, auth.signup_lead).to_string())
        >
            <FormError error=error />
            <ActionForm action=action attr:class="stack" attr:data-testid="signup-form">
                <ProfileFields error=error />
                <fieldset class="form-section">
                    <legend>{t!(i18n, auth.section_password)}</legend>
                    <TextField
                        name="password"
                        input_type="password"
                        label=Signal::derive(move || t_string!(i18n, auth.password).to_string())
                        hint=Signal::derive(move || t_string!(i18n, auth.password_hint).to_string())
                        error=field_message(error, "password")
                        autocomplete="new-password"
                        required=true
                    />
                </fieldset>
                <Button button_type="submit" disabled=action.pending()>{t!(i18n, auth.create_account)}</Button>
            </ActionForm>
            <p class="mt-4">{t!(i18n, auth.existing_customer)}" "<A href="/signup/link" attr:class="link">{t!(i18n, auth.link_account_link)}</A></p>
        </AuthCard>
    }
}
