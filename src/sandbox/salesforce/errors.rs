//! Salesforce's error answers: REST errors are a JSON array of
//! `{"message","errorCode","fields"}` with the HTTP status; OAuth errors are
//! `{"error","error_description"}` with 400.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// One entry of an error array.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorItem {
    /// Text.
    pub message: String,
    /// `errorCode`.
    #[serde(rename = "errorCode")]
    pub error_code: String,
    /// Fields concerned (omitted when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
}

/// A REST error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestError {
    /// HTTP status.
    pub status: u16,
    /// The array.
    pub items: Vec<ErrorItem>,
}

impl RestError {
    /// One error.
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        RestError {
            status,
            items: vec![ErrorItem {
                message: message.into(),
                error_code: code.to_owned(),
                fields: Vec::new(),
            }],
        }
    }

    /// 401 `INVALID_SESSION_ID`.
    pub fn invalid_session() -> Self {
        Self::new(401, "INVALID_SESSION_ID", "Session expired or invalid")
    }

    /// 404 `NOT_FOUND`.
    pub fn not_found() -> Self {
        Self::new(404, "NOT_FOUND", "The requested resource does not exist")
    }

    /// 403 `REQUEST_LIMIT_EXCEEDED`.
    pub fn limit_exceeded() -> Self {
        Self::new(
            403,
            "REQUEST_LIMIT_EXCEEDED",
            "TotalRequests Limit exceeded.",
        )
    }

    /// The first error code.
    #[cfg(test)]
    pub fn code(&self) -> &str {
        self.items
            .first()
            .map(|i| i.error_code.as_str())
            .unwrap_or_default()
    }
}

impl IntoResponse for RestError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        (status, Json(self.items)).into_response()
    }
}

/// An OAuth error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OAuthError {
    /// `invalid_grant`, `invalid_client_id`…
    pub error: &'static str,
    /// Explanation.
    pub error_description: &'static str,
}

impl OAuthError {
    /// `error` / `error_description`.
    pub fn new(error: &'static str, error_description: &'static str) -> Self {
        OAuthError {
            error,
            error_description,
        }
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        (StatusCode::BAD_REQUEST, Json(self)).into_response()
    }
}
