//! `AppError` → a sentence in the reader's language. The only place error codes become words.

use crate::error::{AppError, FieldProblem};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// The message for an error, in the current language.
pub fn error_text(i18n: I18nContext<Locale>, err: &AppError) -> String {
    match err {
        AppError::Validation { .. } => t_string!(i18n, errors.validation).to_string(),
        AppError::BadRequest => t_string!(i18n, errors.bad_request).to_string(),
        AppError::Unauthenticated => t_string!(i18n, errors.unauthenticated).to_string(),
        AppError::Forbidden => t_string!(i18n, errors.forbidden).to_string(),
        AppError::NotFound => t_string!(i18n, errors.not_found).to_string(),
        AppError::Conflict => t_string!(i18n, errors.conflict).to_string(),
        AppError::RateLimited { retry_after_secs } => {
            let secs = *retry_after_secs;
            t_string!(i18n, errors.rate_limited, secs).to_string()
        }
        AppError::Unavailable => t_string!(i18n, errors.unavailable).to_string(),
        AppError::Internal { reference } => {
            let reference = if reference.is_empty() {
                "-".to_owned()
            } else {
                reference.clone()
            };
            t_string!(i18n, errors.internal, reference).to_string()
        }
        AppError::Network => t_string!(i18n, errors.network).to_string(),
    }
}

/// The message for one refused field; `field` picks a precise hint for format errors.
pub fn field_error_text(i18n: I18nContext<Locale>, field: &str, problem: FieldProblem) -> String {
    match (field, problem) {
        (_, FieldProblem::Required) => t_string!(i18n, fields.required).to_string(),
        (_, FieldProblem::TooLong { max }) => t_string!(i18n, fields.too_long, max).to_string(),
        (_, FieldProblem::TooShort { min }) => t_string!(i18n, fields.too_short, min).to_string(),
        (_, FieldProblem::Taken) => t_string!(i18n, fields.taken).to_string(),
        ("email" | "new_email", FieldProblem::Invalid) => {
            t_string!(i18n, fields.email_invalid).to_string()
        }
        ("phone", FieldProblem::Invalid) => t_string!(i18n, fields.phone_invalid).to_string(),
        ("postal_code", FieldProblem::Invalid) => {
            t_string!(i18n, fields.postal_code_invalid).to_string()
        }
        ("prefecture", FieldProblem::Invalid) => {
            t_string!(i18n, fields.prefecture_invalid).to_string()
        }
        ("password" | "new_password", FieldProblem::Invalid) => {
            t_string!(i18n, fields.password_is_email).to_string()
        }
        ("credentials", _) => t_string!(i18n, fields.credentials_incorrect).to_string(),
        ("code", _) => t_string!(i18n, fields.code_incorrect).to_string(),
        ("token", _) => t_string!(i18n, fields.link_invalid).to_string(),
        (_, FieldProblem::Invalid) => t_string!(i18n, fields.invalid).to_string(),
        (_, FieldProblem::Incorrect) => t_string!(i18n, fields.incorrect).to_string(),
    }
}

/// An error shown in a page: announced to screen readers, in the current language.
#[component]
pub fn ErrorAlert(#[prop(into)] error: Signal<AppError>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="alert alert-danger" role="alert">
            {move || error.with(|e| error_text(i18n, e))}
        </div>
    }
}
