//! `/login/2fa`: the authenticator code or a recovery code after the password.

use super::AuthCard;
use crate::api::auth::SecondFactor;
use crate::components::{Button, FormError, PageTitle, TextField, action_error};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// The second-factor page.
#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SecondFactor>::new();
    let error = action_error(action.value());
    let expired = Signal::derive(move || {
        matches!(error.get(), Some(crate::error::AppError::Unauthenticated))
    });
    view! {
        <PageTitle text=move || t_string!(i18n, auth.second_factor_title).to_string() />
        <AuthCard
            title=Signal::derive(move || t_string!(i18n, auth.second_factor_title).to_string())
            lead=Signal::derive(move || t_string!(i18n, auth.second_factor_lead).to_string())
        >
            <Show
                when=move || !expired.get()
                fallback=move || view! {
                    <div class="alert alert-danger" role="alert">{t!(i18n, auth.second_factor_expired)}</div>
                    <A href="/login" attr:class="btn btn-primary">{t!(i18n, auth.sign_in)}</A>
                }
            >
                <FormError error=error />
                <ActionForm action=action attr:class="stack" attr:data-testid="second-factor-form">
                    <TextField
                        name="code"
                        label=Signal::derive(move || t_string!(i18n, auth.code).to_string())
                        autocomplete="one-time-code"
                        required=true
                    />
                    <Button button_type="submit" disabled=action.pending()>{t!(i18n, auth.verify)}</Button>
                </ActionForm>
            </Show>
        </AuthCard>
    }
}
