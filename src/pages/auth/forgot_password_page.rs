//! `/forgot-password`: asks for the email and mails a reset link (same answer for any email).

use super::{AuthCard, query_param};
use crate::api::auth::ForgotPassword;
use crate::components::{Button, FormError, FormNotice, PageTitle, TextField, action_error};
use crate::i18n::*;
use leptos::prelude::*;

/// The forgotten-password page.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ForgotPassword>::new();
    let error = action_error(action.value());
    let sent = query_param("sent");
    let notice = Signal::derive(move || {
        (sent.get().is_some() || matches!(action.value().get(), Some(Ok(()))))
            .then(|| t_string!(i18n, auth.forgot_sent).to_string())
    });
    view! {
        <PageTitle text=move || t_string!(i18n, auth.forgot_title).to_string() />
        <AuthCard
            title=Signal::derive(move || t_string!(i18n, auth.forgot_title).to_string())
            lead=Signal::derive(move || t_string!(i18n, auth.forgot_lead).to_string())
        >
            <FormNotice text=notice />
            <FormError error=error />
            <ActionForm action=action attr:class="stack" attr:data-testid="forgot-form">
                <TextField
                    name="email"
                    input_type="email"
                    label=Signal::derive(move || t_string!(i18n, auth.email).to_string())
                    autocomplete="email"
                    required=true
                />
                <Button button_type="submit" disabled=action.pending()>{t!(i18n, auth.send_link)}</Button>
            </ActionForm>
        </AuthCard>
    }
}
