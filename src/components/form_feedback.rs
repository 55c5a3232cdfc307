//! Feedback for forms backed by server actions: the inline message of one field, and the
//! alert above the form for everything that is not about a single input (wrong credentials,
//! an expired link, a provider that is down). Works the same hydrated and without JavaScript,
//! where Leptos puts the error of a plain form post back into the action's value.

use crate::components::{error_text, field_error_text};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// Pseudo-fields: validation errors that describe the whole form, not one input.
const FORM_LEVEL: [&str; 4] = ["credentials", "code", "token", "email_unverified"];

/// The error of an action's last result, if it failed.
pub fn action_error<T, S>(value: S) -> Signal<Option<AppError>>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || value.get().and_then(Result::err))
}

/// The inline message for `field`, in the current language.
pub fn field_message(
    error: Signal<Option<AppError>>,
    field: &'static str,
) -> Signal<Option<String>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        error
            .get()
            .and_then(|e| e.field_problem(field))
            .map(|p| field_error_text(i18n, field, p))
    })
}

/// The alert above a form, when the last submit failed.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || {
        error.get().map(|e| {
            let form_level = match &e {
                AppError::Validation { fields } => fields
                    .iter()
                    .find(|f| FORM_LEVEL.contains(&f.field.as_str()))
                    .map(|f| {
                        if f.field == "email_unverified" {
                            t_string!(i18n, auth.email_unverified).to_string()
                        } else {
                            field_error_text(i18n, &f.field, f.problem)
                        }
                    }),
                _ => None,
            };
            form_level.unwrap_or_else(|| error_text(i18n, &e))
        })
    };
    view! {
        <Show when=move || error.with(Option::is_some)>
            <div class="alert alert-danger" role="alert" data-testid="form-error">{message}</div>
        </Show>
    }
}

/// A success note (shown from a query flag after a redirect, or an action's success).
#[component]
pub fn FormNotice(#[prop(into)] text: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || text.with(Option::is_some)>
            <div class="alert alert-success" role="status" data-testid="form-notice">{move || text.get()}</div>
        </Show>
    }
}
