//! `/verify-email?token=…`: a button that confirms the address (a button, not the link itself,
//! so mail scanners that open links cannot use the token up), then `?done=1`.

use super::{AuthCard, query_param};
use crate::api::auth::VerifyEmail;
use crate::components::{Button, FormError, PageTitle, action_error};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// The confirmation page.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<VerifyEmail>::new();
    let error = action_error(action.value());
    let token = query_param("token");
    let done = query_param("done");
    view! {
        <PageTitle text=move || t_string!(i18n, auth.verify_title).to_string() />
        <Show
            when=move || done.get().is_none()
            fallback=move || view! {
                <AuthCard title=Signal::derive(move || t_string!(i18n, auth.verified_title).to_string())>
                    <p data-testid="verified">{t!(i18n, auth.verified_body)}</p>
                    <A href="/login" attr:class="btn btn-primary mt-4">{t!(i18n, auth.sign_in)}</A>
                </AuthCard>
            }
        >
            <AuthCard
                title=Signal::derive(move || t_string!(i18n, auth.verify_title).to_string())
                lead=Signal::derive(move || t_string!(i18n, auth.verify_lead).to_string())
            >
                <FormError error=error />
                <ActionForm action=action attr:class="stack" attr:data-testid="verify-form">
                    <input type="hidden" name="token" value=move || token.get().unwrap_or_default() />
                    <Button button_type="submit" disabled=action.pending()>{t!(i18n, auth.verify_submit)}</Button>
                </ActionForm>
            </AuthCard>
        </Show>
    }
}
