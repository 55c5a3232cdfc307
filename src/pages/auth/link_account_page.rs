//! `/signup/link`: an existing billing customer proves ownership and joins the portal.

use super::AuthCard;
use crate::api::auth::LinkAccount;
use crate::components::{Button, FormError, PageTitle, TextField, action_error, field_message};
use crate::i18n::*;
use leptos::prelude::*;

/// The linking page.
#[component]
pub fn LinkAccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<LinkAccount>::new();
    let error = action_error(action.value());
    view! {
        <PageTitle text=move || t_string!(i18n, auth.link_title).to_string() />
        <AuthCard
            title=Signal::derive(move || t_string!(i18n, auth.link_title).to_string())
            lead=Signal::derive(move || t_string!(i18n, auth.link_lead).to_string())
        >
            <FormError error=error />
            <ActionForm action=action attr:class="stack" attr:data-testid="link-form">
                <TextField
                    name="email"
                    input_type="email"
                    label=Signal::derive(move || t_string!(i18n, auth.email).to_string())
                    error=field_message(error, "email")
                    autocomplete="email"
                    required=true
                />
                <TextField
                    name="billing_password"
                    input_type="password"
                    label=Signal::derive(move || t_string!(i18n, auth.billing_password).to_string())
                    autocomplete="off"
                    required=true
                />
                <TextField
                    name="new_password"
                    input_type="password"
                    label=Signal::derive(move || t_string!(i18n, auth.new_password).to_string())
                    hint=Signal::derive(move || t_string!(i18n, auth.password_hint).to_string())
                    error=field_message(error, "new_password")
                    autocomplete="new-password"
                    required=true
                />
                <Button button_type="submit" disabled=action.pending()>{t!(i18n, auth.link_submit)}</Button>
            </ActionForm>
        </AuthCard>
    }
}
