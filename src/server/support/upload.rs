//! The two forms that carry a file, as plain axum `multipart/form-data` endpoints:
//! `POST /api/support/new-case` (a new case, optionally with a file) and
//! `POST /api/support/attach/{id}` (a file for an existing case). Both answer with a 303
//! redirect to the page that shows the outcome, so they behave the same with and without
//! JavaScript.
//!
//! Why not server functions: Leptos 0.8 server functions take multipart input only with
//! `server_fn`'s `multipart` feature, which is off in this build (turning it on rebuilds every
//! Leptos crate for both targets), and its decoder panics on a request without a valid
//! boundary. These handlers sit behind the same auth and CSRF middleware as everything else
//! and find the customer exactly as server functions do.
//!
//! The body limit is twice the attachment limit plus 1 MiB, so a file somewhat too large still
//! gets the clear "too large" answer; a body beyond that fails to read and gets it too.

use super::write::{NewCaseForm, Refusal, Upload, attach, open_case};
use crate::domain::support::{FileProblem, SUBJECT_MAX_CHARS};
use crate::error::AppError;
use crate::server::auth::customer::{Customer, customer_of};
use crate::server::auth::middleware::MaybeIdentity;
use crate::server::state::AppState;
use axum::Extension;
use axum::extract::multipart::{Multipart, MultipartError};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// Longest description carried back to the form after a refusal (the URL has limits).
const CARRIED_DESCRIPTION_CHARS: usize = 2000;

/// The request body limit for these endpoints.
pub fn body_limit(max_attachment_bytes: u64) -> usize {
    usize::try_from(max_attachment_bytes.saturating_mul(2))
        .unwrap_or(usize::MAX / 2)
        .saturating_add(1024 * 1024)
}

/// A form field, or the file.
enum Part {
    Text(String, String),
    File(Upload),
}

/// Why reading the form failed: the body was too large, or it was not a form.
fn read_failure(err: &MultipartError) -> Refusal {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        Refusal::File(FileProblem::TooLarge)
    } else {
        tracing::info!(error = %err, "an unreadable support form was posted");
        Refusal::App(AppError::BadRequest)
    }
}

async fn parts(mut form: Multipart) -> Result<Vec<Part>, Refusal> {
    let mut out = Vec::new();
    while let Some(field) = form.next_field().await.map_err(|e| read_failure(&e))? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(|e| read_failure(&e))?;
            // An empty file input posts a part with no name and no content: no file chosen.
            if !(file_name.is_empty() && bytes.is_empty()) {
                out.push(Part::File(Upload {
                    name: file_name,
                    bytes: bytes.to_vec(),
                }));
            }
        } else {
            let text = field.text().await.map_err(|e| read_failure(&e))?;
            out.push(Part::Text(name, text));
        }
    }
    Ok(out)
}

async fn signed_in(
    state: &AppState,
    identity: Option<Extension<MaybeIdentity>>,
) -> Option<Customer> {
    let identity = identity.and_then(|Extension(MaybeIdentity(identity))| identity)?;
    customer_of(state, identity).await.ok().flatten()
}

/// The error key a page shows for a refusal.
pub fn refusal_key(refusal: &Refusal) -> &'static str {
    match refusal {
        Refusal::Fields(_) => "invalid",
        Refusal::File(problem) => problem.key(),
        Refusal::App(AppError::NotFound) => "not_found",
        Refusal::App(AppError::Unavailable) => "unavailable",
        Refusal::App(AppError::Conflict) => "conflict",
        Refusal::App(AppError::BadRequest) => "bad_request",
        Refusal::App(_) => "internal",
    }
}

fn query(pairs: &[(&str, &str)]) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        out.append_pair(k, v);
    }
    out.finish()
}

/// `POST /api/support/new-case`.
pub async fn new_case(
    State(state): State<AppState>,
    identity: Option<Extension<MaybeIdentity>>,
    form: Multipart,
) -> Response {
    let Some(customer) = signed_in(&state, identity).await else {
        return Redirect::to("/login").into_response();
    };
    let (parsed, unreadable) = match parts(form).await {
        Ok(parsed) => (parsed, None),
        Err(refusal) => (Vec::new(), Some(refusal)),
    };
    let mut fields = NewCaseForm::default();
    let mut file = None;
    let mut service = String::new();
    for part in &parsed {
        match part {
            Part::Text(name, value) => match name.as_str() {
                "category" => fields.category = value.clone(),
                "subject" => fields.subject = value.clone(),
                "description" => fields.description = value.clone(),
                "service" => service = value.trim().to_owned(),
                "order" => fields.order_id = Some(value.trim().to_owned()),
                _ => {}
            },
            Part::File(upload) => file = Some(upload),
        }
    }
    fields.service_id = service.parse().ok();
    let outcome = match unreadable {
        Some(refusal) => Err(refusal),
        None if !service.is_empty() && fields.service_id.is_none() => {
            Err(Refusal::App(AppError::NotFound))
        }
        None => open_case(&state, &customer, &fields, file).await,
    };
    match outcome {
        Ok(opened) => {
            let flag = if opened.file_failed {
                "opened=1&file=failed"
            } else {
                "opened=1"
            };
            Redirect::to(&format!("/support/{}?{flag}", opened.id)).into_response()
        }
        Err(refusal) => {
            // Back to the form with what was typed, so nothing is lost.
            let subject: String = fields.subject.chars().take(SUBJECT_MAX_CHARS * 2).collect();
            let description: String = fields
                .description
                .chars()
                .take(CARRIED_DESCRIPTION_CHARS)
                .collect();
            let q = query(&[
                ("service", &service),
                ("order", fields.order_id.as_deref().unwrap_or_default()),
                ("category", &fields.category),
                ("subject", &subject),
                ("description", &description),
                ("error", refusal_key(&refusal)),
            ]);
            Redirect::to(&format!("/support/new?{q}")).into_response()
        }
    }
}

/// `POST /api/support/attach/{id}`.
pub async fn attach_file(
    State(state): State<AppState>,
    Path(id): Path<String>,
    identity: Option<Extension<MaybeIdentity>>,
    form: Multipart,
) -> Response {
    let Some(customer) = signed_in(&state, identity).await else {
        return Redirect::to("/login").into_response();
    };
    let outcome = match parts(form).await {
        Err(refusal) => Err(refusal),
        Ok(parts) => match parts.into_iter().find_map(|p| match p {
            Part::File(f) => Some(f),
            Part::Text(..) => None,
        }) {
            Some(file) => attach(&state, &customer, &id, &file).await.map(|_| ()),
            None => Err(Refusal::File(FileProblem::Empty)),
        },
    };
    // The id goes back into a URL path: only a well-formed record id does.
    let safe_id = crate::server::integrations::salesforce::SalesforceId::parse(&id)
        .map(|i| i.as_str().to_owned())
        .unwrap_or_default();
    match outcome {
        Ok(()) => Redirect::to(&format!("/support/{safe_id}?attached=1")).into_response(),
        Err(Refusal::App(AppError::NotFound)) if safe_id.is_empty() => {
            Redirect::to("/support").into_response()
        }
        Err(refusal) => Redirect::to(&format!(
            "/support/{safe_id}?{}",
            query(&[("error", refusal_key(&refusal))])
        ))
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_limit_leaves_room_for_a_clear_answer() {
        assert_eq!(body_limit(5 * 1024 * 1024), 11 * 1024 * 1024);
        assert!(body_limit(u64::MAX) > 0);
    }

    #[test]
    fn refusals_have_page_keys() {
        assert_eq!(
            refusal_key(&Refusal::File(FileProblem::TooLarge)),
            "file_too_large"
        );
        assert_eq!(refusal_key(&Refusal::Fields(Vec::new())), "invalid");
        assert_eq!(refusal_key(&Refusal::App(AppError::NotFound)), "not_found");
        assert_eq!(query(&[("a", "x y"), ("b", "")]), "a=x+y");
    }
}
