//! The boundary where server-side failures become `AppError`s: unexpected ones are logged once,
//! with their cause chain, and leave as an opaque `Internal` carrying the request id; the HTTP
//! status of the server function's response is set from the variant.

use crate::error::AppError;
use leptos::prelude::use_context;

/// Logs an unexpected error with its cause chain and returns the opaque wire error.
pub fn internal(err: anyhow::Error) -> AppError {
    let reference = super::context::request_id();
    tracing::error!(error.cause_chain = ?err, error.message = %err, reference, "unexpected error");
    set_status(500);
    AppError::Internal { reference }
}

/// Sets the response status of the current server function call from an `AppError`, so that
/// clients and logs see the documented status instead of a blanket 500.
pub fn with_status(err: AppError) -> AppError {
    set_status(err.status());
    err
}

fn set_status(code: u16) {
    // A plain HTML form post (no JavaScript) is answered with a redirect back to the form,
    // carrying the error in the URL; a 4xx status would stop the browser following it.
    let form_post = use_context::<axum::http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(axum::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if form_post {
        return;
    }
    if let (Some(opts), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(code),
    ) {
        opts.set_status(status);
    }
}
