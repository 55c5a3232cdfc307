//! `/reset-password?token=…`: choose a new password from the emailed link.

use super::{AuthCard, query_param};
use crate::api::auth::ResetPassword;
use crate::components::{Button, FormError, PageTitle, TextField, action_error, field_message};
use crate::i18n::*;
use leptos::prelude::*;

/// The reset page.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ResetPassword>::new();
    let error = action_error(action.value());
    let token = query_param("token");
    view! {
        <PageTitle text=move || t_string!(i18n, auth.reset_title).to_string() />
        <AuthCard title=Signal::derive(move || t_string!(i18n, auth.reset_title).to_string())>
            <FormError error=error />
            <ActionForm action=action attr:class="stack" attr:data-testid="reset-form">
                <input type="hidden" name="token" value=move || token.get().unwrap_or_default() />
                <TextField
                    name="new_password"
                    input_type="password"
                    label=Signal::derive(move || t_string!(i18n, auth.new_password).to_string())
                    hint=Signal::derive(move || t_string!(i18n, auth.password_hint).to_string())
                    error=field_message(error, "new_password")
                    autocomplete="new-password"
                    required=true
                />
                <Button button_type="submit" disabled=action.pending()>{t!(i18n, auth.reset_submit)}</Button>
            </ActionForm>
        </AuthCard>
    }
}
