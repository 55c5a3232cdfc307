//! `AppError`: the one error type that crosses the wire, from server functions to the browser.
//!
//! Each variant names the HTTP status it maps to. Variants carry *codes*, never English text:
//! the UI turns a code into a sentence in the reader's language (`components::error_text`).
//! Unexpected failures become [`AppError::Internal`], which carries only a reference the
//! customer can quote to support; the cause chain is logged once on the server
//! (`server::errors::internal`) and never sent to the browser.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Why one form field was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "code")]
pub enum FieldProblem {
    /// Nothing was entered.
    Required,
    /// Longer than `max` characters.
    TooLong {
        /// The limit.
        max: u32,
    },
    /// Not in the expected format.
    Invalid,
    /// Shorter than `min` characters.
    TooShort {
        /// The minimum.
        min: u32,
    },
    /// Already used by another account.
    Taken,
    /// Does not match (current password, 2FA code, confirmation).
    Incorrect,
}

/// A refused form field, by the form's field name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's `name` attribute.
    pub field: String,
    /// What is wrong with it.
    pub problem: FieldProblem,
}

/// The wire error of every server function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum AppError {
    /// 422 Unprocessable Content: the input was understood but refused, field by field.
    #[error("invalid input ({} field(s))", fields.len())]
    Validation {
        /// The refused fields.
        fields: Vec<FieldError>,
    },
    /// 400 Bad Request: the request itself was malformed (not a form-field problem).
    #[error("bad request")]
    BadRequest,
    /// 401 Unauthorized: no valid session.
    #[error("not signed in")]
    Unauthenticated,
    /// 403 Forbidden: signed in, but this action is not allowed (also: failed CSRF check).
    #[error("forbidden")]
    Forbidden,
    /// 404 Not Found: missing, *or* belonging to another customer (never say which).
    #[error("not found")]
    NotFound,
    /// 409 Conflict: the thing changed meanwhile or already exists.
    #[error("conflict")]
    Conflict,
    /// 429 Too Many Requests: slow down; retry after this many seconds.
    #[error("rate limited, retry after {retry_after_secs}s")]
    RateLimited {
        /// Seconds to wait.
        retry_after_secs: u32,
    },
    /// 503 Service Unavailable: a provider (billing, CRM, SIM platform) is down or too slow.
    #[error("a provider is unavailable")]
    Unavailable,
    /// 500 Internal Server Error: something unexpected; details are in the server log under
    /// `reference` (the request id).
    #[error("internal error (reference {reference})")]
    Internal {
        /// The request id, for support.
        reference: String,
    },
    /// Never sent by the server: the browser could not reach it or could not read its answer.
    #[error("network problem")]
    Network,
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation { .. } => 422,
            AppError::BadRequest => 400,
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Conflict => 409,
            AppError::RateLimited { .. } => 429,
            AppError::Unavailable => 503,
            AppError::Internal { .. } => 500,
            AppError::Network => 502,
        }
    }

    /// A single-field validation error.
    pub fn field(field: &str, problem: FieldProblem) -> Self {
        AppError::Validation {
            fields: vec![FieldError {
                field: field.to_owned(),
                problem,
            }],
        }
    }

    /// The problem with `field`, if this is a validation error naming it.
    pub fn field_problem(&self, field: &str) -> Option<FieldProblem> {
        match self {
            AppError::Validation { fields } => {
                fields.iter().find(|f| f.field == field).map(|f| f.problem)
            }
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// Framework-level failures: a transport problem seen by the browser is `Network`; a
    /// malformed request seen by the server is `BadRequest`; anything else is internal.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::Network
            }
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::BadRequest,
            _ => AppError::Internal {
                reference: String::new(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_json_without_text() {
        let err = AppError::field("email", FieldProblem::TooLong { max: 254 });
        let json = serde_json::to_string(&err).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"kind":"validation","fields":[{"field":"email","problem":{"code":"too_long","max":254}}]}"#
        );
        let back: AppError = serde_json::from_str(&json).unwrap_or(AppError::BadRequest);
        assert_eq!(back, err);
        assert_eq!(
            back.field_problem("email"),
            Some(FieldProblem::TooLong { max: 254 })
        );
        assert_eq!(back.field_problem("name"), None);
    }

    #[test]
    fn every_variant_has_its_documented_status() {
        assert_eq!(AppError::NotFound.status(), 404);
        assert_eq!(AppError::Validation { fields: vec![] }.status(), 422);
        assert_eq!(
            AppError::RateLimited {
                retry_after_secs: 3
            }
            .status(),
            429
        );
        assert_eq!(
            AppError::Internal {
                reference: "r".into()
            }
            .status(),
            500
        );
        assert_eq!(AppError::Unavailable.status(), 503);
    }

    #[test]
    fn internal_errors_carry_no_cause() {
        let err = AppError::from_server_fn_error(ServerFnErrorErr::ServerError(
            "connection refused to 10.0.0.5 password=hunter2".into(),
        ));
        let json = serde_json::to_string(&err).unwrap_or_default();
        assert!(
            !json.contains("hunter2") && !json.contains("10.0.0.5"),
            "{json}"
        );
    }
}
