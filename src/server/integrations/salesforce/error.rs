//! What can go wrong talking to Salesforce, as one closed enum. The `Display` text names the
//! kind and Salesforce's error code but never the provider's free-text message (it can echo
//! personal data such as an email address); the message stays available in the variant for
//! code that needs it.

use super::dto::ApiErrorItem;

/// A Salesforce call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SalesforceError {
    /// Connection refused/reset, DNS, TLS, or an unreadable response.
    #[error("could not reach Salesforce: {0}")]
    Transport(String),
    /// No answer within the time limit.
    #[error("Salesforce did not answer in time")]
    Timeout,
    /// The token request was refused (OAuth `error`, e.g. `invalid_grant`), or the key or
    /// settings could not produce an assertion.
    #[error("Salesforce refused the integration login: {error}")]
    Auth {
        /// OAuth error code (`invalid_grant`, `invalid_client_id`…) or `assertion`.
        error: String,
        /// OAuth `error_description` (no personal data: it describes the app or assertion).
        description: String,
    },
    /// 401 `INVALID_SESSION_ID` even after minting a new token.
    #[error("the Salesforce session expired or is invalid")]
    SessionExpired,
    /// 404: no such record (or resource).
    #[error("the Salesforce record does not exist")]
    NotFound,
    /// 400 about the record's data (`REQUIRED_FIELD_MISSING`, `STRING_TOO_LONG`,
    /// `DUPLICATE_VALUE`, `INVALID_EMAIL_ADDRESS`…).
    #[error("Salesforce refused the record: {code} (fields {fields:?})")]
    Validation {
        /// `errorCode`.
        code: String,
        /// `message` (may contain personal data: do not log).
        message: String,
        /// `fields`.
        fields: Vec<String>,
    },
    /// 403 `REQUEST_LIMIT_EXCEEDED`: the org's API quota is used up.
    #[error("the Salesforce API request limit is exceeded")]
    RateLimited,
    /// Any other error answer (e.g. 400 `MALFORMED_QUERY`, 500, 503 after the retries).
    #[error("Salesforce answered HTTP {status} {code}")]
    Api {
        /// HTTP status.
        status: u16,
        /// `errorCode`, or empty when the body was not Salesforce's error array.
        code: String,
        /// `message` (may contain personal data: do not log).
        message: String,
    },
    /// A success answer that does not have the expected shape.
    #[error("unexpected Salesforce response: {0}")]
    Decode(String),
}

/// `errorCode`s that describe the submitted record rather than the request.
const VALIDATION_CODES: &[&str] = &[
    "DUPLICATE_VALUE",
    "DUPLICATES_DETECTED",
    "FIELD_CUSTOM_VALIDATION_EXCEPTION",
    "FIELD_INTEGRITY_EXCEPTION",
    "INVALID_EMAIL_ADDRESS",
    "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
    "INVALID_FIELD_FOR_INSERT_UPDATE",
    "MALFORMED_ID",
    "INVALID_CROSS_REFERENCE_KEY",
    "REQUIRED_FIELD_MISSING",
    "STRING_TOO_LONG",
    "NUMBER_OUTSIDE_VALID_RANGE",
];

impl SalesforceError {
    /// Whether trying again later may succeed (network, time-out, quota, server trouble).
    pub fn is_transient(&self) -> bool {
        match self {
            SalesforceError::Transport(_)
            | SalesforceError::Timeout
            | SalesforceError::RateLimited => true,
            SalesforceError::Api { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// The `errorCode`, when Salesforce gave one.
    pub fn code(&self) -> Option<&str> {
        match self {
            SalesforceError::Validation { code, .. } | SalesforceError::Api { code, .. }
                if !code.is_empty() =>
            {
                Some(code)
            }
            SalesforceError::RateLimited => Some("REQUEST_LIMIT_EXCEEDED"),
            SalesforceError::SessionExpired => Some("INVALID_SESSION_ID"),
            _ => None,
        }
    }

    /// Classifies a non-2xx REST answer from its status and body.
    pub(crate) fn from_response(status: u16, body: &[u8]) -> Self {
        if status == 400
            && let Ok(tree) = serde_json::from_slice::<super::dto::TreeResponse>(body)
            && let Some(err) = tree.first_error()
        {
            return err;
        }
        let items: Vec<ApiErrorItem> = serde_json::from_slice(body)
            .or_else(|_| serde_json::from_slice::<ApiErrorItem>(body).map(|one| vec![one]))
            .unwrap_or_default();
        let first = items.into_iter().next().unwrap_or_default();
        let code = first.error_code.unwrap_or_default();
        let message = first.message.unwrap_or_default();
        match (status, code.as_str()) {
            (401, _) => SalesforceError::SessionExpired,
            (_, "REQUEST_LIMIT_EXCEEDED") => SalesforceError::RateLimited,
            (404, _) => SalesforceError::NotFound,
            (400, c) if VALIDATION_CODES.contains(&c) => SalesforceError::Validation {
                code,
                message,
                fields: first.fields.unwrap_or_default(),
            },
            _ => SalesforceError::Api {
                status,
                code,
                message,
            },
        }
    }

    /// From a reqwest failure; the text names the kind of fault, never the URL's query.
    pub(crate) fn from_reqwest(err: &reqwest::Error) -> Self {
        if err.is_timeout() {
            return SalesforceError::Timeout;
        }
        let kind = if err.is_connect() {
            "connection failed"
        } else if err.is_body() || err.is_decode() {
            "response body unreadable"
        } else if err.is_request() {
            "request failed"
        } else {
            "transport error"
        };
        SalesforceError::Transport(kind.into())
    }

    /// From a JSON decoding failure: position and category only, never the offending value.
    pub(crate) fn decode(what: &str, err: &serde_json::Error) -> Self {
        SalesforceError::Decode(format!(
            "{what}: {:?} error at line {} column {}",
            err.classify(),
            err.line(),
            err.column()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_arrays_are_classified() {
        let e = SalesforceError::from_response(
            401,
            br#"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#,
        );
        assert_eq!(e, SalesforceError::SessionExpired);
        let e = SalesforceError::from_response(
            403,
            br#"[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#,
        );
        assert_eq!(e, SalesforceError::RateLimited);
        assert!(e.is_transient());
        let e = SalesforceError::from_response(
            400,
            br#"[{"message":"Required fields are missing: [LastName]","errorCode":"REQUIRED_FIELD_MISSING","fields":["LastName"]}]"#,
        );
        assert_eq!(
            e,
            SalesforceError::Validation {
                code: "REQUIRED_FIELD_MISSING".into(),
                message: "Required fields are missing: [LastName]".into(),
                fields: vec!["LastName".into()],
            }
        );
        assert!(!e.is_transient());
        let e = SalesforceError::from_response(
            404,
            br#"[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]"#,
        );
        assert_eq!(e, SalesforceError::NotFound);
        let e = SalesforceError::from_response(
            400,
            br#"[{"message":"unexpected token: OR","errorCode":"MALFORMED_QUERY"}]"#,
        );
        assert_eq!(e.code(), Some("MALFORMED_QUERY"));
        assert!(matches!(e, SalesforceError::Api { status: 400, .. }));
    }

    #[test]
    fn non_json_bodies_and_per_record_status_codes_are_tolerated() {
        let e = SalesforceError::from_response(503, b"sandbox injected fault: HTTP 503");
        assert!(matches!(e, SalesforceError::Api { status: 503, ref code, .. } if code.is_empty()));
        assert!(e.is_transient());
        let e = SalesforceError::from_response(
            400,
            br#"{"statusCode":"STRING_TOO_LONG","message":"too long","fields":["Phone"]}"#,
        );
        assert_eq!(e.code(), Some("STRING_TOO_LONG"));
    }

    #[test]
    fn display_never_includes_the_message() {
        let e = SalesforceError::Validation {
            code: "INVALID_EMAIL_ADDRESS".into(),
            message: "Email: invalid email address: hanako@example".into(),
            fields: vec!["Email".into()],
        };
        assert!(!e.to_string().contains("hanako"));
    }
}
