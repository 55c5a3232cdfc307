//! `api.php` answers: the JSON envelope (`result` success/error at the top level, no data
//! wrapper), with HTTP 200 for business errors and a 4xx for gate errors, as WHMCS does.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

/// An action's answer.
#[derive(Debug)]
pub enum Reply {
    /// `{"result":"success", ...fields}` with HTTP 200.
    Success(Map<String, Value>),
    /// `{"result":"error","message":...}` with this status.
    Error {
        /// HTTP status (200 for business errors).
        status: StatusCode,
        /// WHMCS's message, verbatim.
        message: String,
    },
}

impl Reply {
    /// A success with these fields.
    pub fn success(fields: Map<String, Value>) -> Reply {
        Reply::Success(fields)
    }

    /// A business error: HTTP 200.
    pub fn error(message: impl Into<String>) -> Reply {
        Reply::Error {
            status: StatusCode::OK,
            message: message.into(),
        }
    }

    /// A gate error (authentication, IP, permission, malformed request).
    pub fn gate(status: StatusCode, message: impl Into<String>) -> Reply {
        Reply::Error {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            Reply::Success(mut fields) => {
                fields.insert("result".into(), Value::from("success"));
                (StatusCode::OK, Value::Object(fields))
            }
            Reply::Error { status, message } => {
                let mut fields = Map::new();
                fields.insert("result".into(), Value::from("error"));
                fields.insert("message".into(), Value::from(message));
                (status, Value::Object(fields))
            }
        };
        let mut response = (status, body.to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response
    }
}
