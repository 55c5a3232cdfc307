//! `GET /billing/invoices/{id}/pdf`: the signed-in customer's invoice as a PDF download.
//!
//! A plain axum handler, because a binary download is no server function. The identity comes
//! from the auth middleware's [`MaybeIdentity`] extension; the invoice through the same
//! ownership-checked read as the invoice page (anyone else's id, or an unknown one, is 404);
//! the addressee from the billing profile; the language from the preference cookie or
//! `Accept-Language` as pages choose it, else the account's own. Signed out, the browser is
//! sent to sign in (303 to `/login`) rather than handed an error as a file.

use super::pdf::{PdfError, Recipient};
use crate::domain::common::Lang;
use crate::error::AppError;
use crate::server::accounts::profile;
use crate::server::auth::customer::customer_of;
use crate::server::auth::middleware::MaybeIdentity;
use crate::server::preferences::headers_lang;
use crate::server::state::AppState;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

/// The handler.
pub async fn invoice_pdf(
    State(state): State<AppState>,
    Path(id): Path<String>,
    identity: Option<Extension<MaybeIdentity>>,
    headers: HeaderMap,
) -> Response {
    let identity = identity.and_then(|Extension(MaybeIdentity(identity))| identity);
    match download(&state, &id, identity, &headers).await {
        Ok(response) => response,
        Err(AppError::Unauthenticated) => Redirect::to("/login").into_response(),
        Err(err) => {
            let status =
                StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (
                status,
                [(CACHE_CONTROL, "private, no-store")],
                err.to_string(),
            )
                .into_response()
        }
    }
}

async fn download(
    state: &AppState,
    id: &str,
    identity: Option<crate::server::auth::Identity>,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    let identity = identity.ok_or(AppError::Unauthenticated)?;
    let customer = customer_of(state, identity)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let id: u32 = id.parse().map_err(|_| AppError::NotFound)?;
    let invoice = super::invoice(state, &customer, id, false).await?.value;
    let lang = headers_lang(headers)
        .or_else(|| Lang::parse(&customer.user.locale))
        .unwrap_or_default();
    let profile = profile::load(state, &customer).await?;
    let recipient = Recipient::from_profile(&profile, lang);
    let filename = format!("invoice-{}.pdf", file_part(&invoice.summary.number, id));
    let bytes = state
        .invoice_pdf
        .render(invoice, recipient, lang)
        .await
        .map_err(|err| failed(&err, headers))?;
    Ok((
        [
            (CONTENT_TYPE, "application/pdf".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// The invoice number as a safe file-name part (ASCII letters, digits, `-`, `_`), else the id.
fn file_part(number: &str, id: u32) -> String {
    let safe: String = number
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .take(64)
        .collect();
    if safe.is_empty() {
        id.to_string()
    } else {
        safe
    }
}

/// Logs a rendering failure once, with the request id as the customer-facing reference.
fn failed(err: &PdfError, headers: &HeaderMap) -> AppError {
    let reference = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    tracing::error!(error.cause_chain = ?err, error.message = %err, reference, "invoice PDF failed");
    AppError::Internal { reference }
}

#[cfg(test)]
mod tests {
    use super::file_part;

    #[test]
    fn file_names_keep_only_safe_characters() {
        assert_eq!(file_part("INV-2013", 2013), "INV-2013");
        assert_eq!(file_part("2026/03 \"x\"", 7), "202603x");
        assert_eq!(file_part("請求", 2013), "2013");
    }
}
