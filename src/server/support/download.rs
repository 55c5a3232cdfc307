//! `GET /support/{case}/files/{document}`: the signed-in owner downloads a file of their case.
//! The case must be the customer's and the document linked to it (both checked by the scoped
//! read in the adapter); anything else — another customer's case or file, an unknown id — is
//! 404, never a hint that it exists. The answer carries the type derived from the file's
//! extension (only the kinds customers may upload; anything else is a plain byte stream),
//! `Content-Disposition: attachment` with a safe name (ASCII fallback plus the UTF-8 name per
//! RFC 6266/5987, so a Japanese file name survives), `X-Content-Type-Options: nosniff` and
//! `Cache-Control: private, no-store` — a file a customer sent support is personal data.

use super::{account, case_id};
use crate::domain::support::FileKind;
use crate::error::AppError;
use crate::server::accounts::provider_errors;
use crate::server::auth::customer::customer_of;
use crate::server::auth::middleware::MaybeIdentity;
use crate::server::errors::with_status;
use crate::server::integrations::salesforce::SalesforceId;
use crate::server::integrations::salesforce::cases::CaseFileData;
use crate::server::state::AppState;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS,
};
use axum::response::{IntoResponse, Redirect, Response};

/// ContentDocument key prefix.
const DOCUMENT_PREFIX: &str = "069";

/// The handler.
pub async fn case_file(
    State(state): State<AppState>,
    Path((case, document)): Path<(String, String)>,
    identity: Option<Extension<MaybeIdentity>>,
) -> Response {
    let identity = identity.and_then(|Extension(MaybeIdentity(identity))| identity);
    let found = async {
        let identity = identity.ok_or(AppError::Unauthenticated)?;
        let customer = customer_of(&state, identity)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let account = account(&customer)?;
        let case = case_id(&case)?;
        let document = SalesforceId::parse_with_prefix(document.trim(), DOCUMENT_PREFIX)
            .map_err(|_| with_status(AppError::NotFound))?;
        state
            .providers
            .cases
            .file(&account, &case, &document)
            .await
            .map_err(provider_errors::salesforce)?
            .ok_or_else(|| with_status(AppError::NotFound))
    };
    match found.await {
        Ok(file) => attachment(file),
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

/// The file as a download.
fn attachment(file: CaseFileData) -> Response {
    let kind = FileKind::ALL.into_iter().find(|k| {
        k.extensions()
            .contains(&file.extension.to_ascii_lowercase().as_str())
    });
    let content_type = match kind {
        Some(FileKind::Text) => "text/plain; charset=utf-8",
        Some(kind) => kind.mime(),
        None => "application/octet-stream",
    };
    (
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (
                CONTENT_DISPOSITION,
                disposition(&file.title, &file.extension),
            ),
            (X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        file.bytes,
    )
        .into_response()
}

/// `attachment; filename="…"; filename*=UTF-8''…`: the ASCII fallback keeps letters, digits,
/// `.`, `-`, `_` (anything else becomes `_`, so no quote, slash or control character can
/// reach the header); the extended form carries the real name percent-encoded. A title
/// without the extension gets it back, so the saved file opens with the right program.
pub fn disposition(title: &str, extension: &str) -> String {
    let mut name: String = title
        .chars()
        .filter(|c| !c.is_control() && *c != '/' && *c != '\\')
        .collect::<String>()
        .trim()
        .chars()
        .take(200)
        .collect();
    let extension: String = extension
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(10)
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() {
        name = "file".into();
    }
    if !extension.is_empty()
        && !name
            .to_ascii_lowercase()
            .ends_with(&format!(".{extension}"))
    {
        name = format!("{name}.{extension}");
    }
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::disposition;

    #[test]
    fn names_are_safe_in_the_header() {
        assert_eq!(
            disposition("shot.png", "png"),
            "attachment; filename=\"shot.png\"; filename*=UTF-8''shot.png"
        );
        assert_eq!(
            disposition("請求書", "pdf"),
            "attachment; filename=\"___.pdf\"; filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf"
        );
        let hostile = disposition("a\"; b=\r\n/../x", "txt");
        assert!(!hostile.contains('\r') && !hostile.contains('\n'));
        assert!(hostile.starts_with("attachment; filename=\"a__"));
        assert_eq!(hostile.matches('"').count(), 2, "{hostile}");
        assert!(disposition("", "").contains("filename=\"file\""));
    }
}
