//! `/signup/done`: "check your email", with a form to send the link again.

use super::AuthCard;
use crate::api::auth::ResendVerification;
use crate::components::{Button, ButtonKind, PageTitle, TextField};
use crate::i18n::*;
use leptos::prelude::*;

/// After sign-up.
#[component]
pub fn SignupDonePage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ResendVerification>::new();
    view! {
        <PageTitle text=move || t_string!(i18n, auth.signup_done_title).to_string() />
        <AuthCard title=Signal::derive(move || t_string!(i18n, auth.signup_done_title).to_string())>
            <p data-testid="signup-done">{t!(i18n, auth.signup_done_body)}</p>
            <ActionForm action=action attr:class="stack mt-6">
                <TextField
                    name="email"
                    input_type="email"
                    label=Signal::derive(move || t_string!(i18n, auth.email).to_string())
                    autocomplete="email"
                    required=true
                />
                <Button kind=ButtonKind::Secondary button_type="submit" disabled=action.pending()>
                    {t!(i18n, auth.resend_verification)}
                </Button>
            </ActionForm>
        </AuthCard>
    }
}
