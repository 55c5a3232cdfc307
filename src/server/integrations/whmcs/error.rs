//! What can go wrong talking to WHMCS, as one closed enum, and the one place that turns an
//! answered error (`{"result":"error","message":…}` plus its HTTP status) into a variant.
//!
//! WHMCS has no error codes: classification matches the message text case-insensitively
//! (reference §1.6 — the case differs between actions). Every pattern lives in the tables
//! below so that a correction is a one-line change.

use std::time::Duration;

/// A failed WHMCS call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WhmcsError {
    /// No usable answer: connection refused or reset, a proxy's 5xx page, an HTTP status
    /// without a WHMCS envelope.
    #[error("WHMCS could not be reached: {detail}")]
    Transport {
        /// HTTP status, when a proxy or server answered with one.
        status: Option<u16>,
        /// What happened (no URLs, parameters or bodies).
        detail: String,
    },
    /// No answer within the configured time limit.
    #[error("WHMCS did not answer in time")]
    Timeout,
    /// WHMCS refused our API credentials, our IP address or the action for our API role
    /// (a configuration problem, never the customer's).
    #[error("WHMCS refused the API credentials: {message}")]
    Authentication {
        /// WHMCS's message, e.g. `Authentication Failed`, `Invalid IP 203.0.113.9`.
        message: String,
    },
    /// The record does not exist (`Client Not Found`, `Client ID Not Found`…).
    #[error("WHMCS: {message}")]
    NotFound {
        /// WHMCS's message.
        message: String,
    },
    /// WHMCS refused data the customer can correct (a missing field, an email already in use,
    /// a wrong password).
    #[error("WHMCS refused the data: {message}")]
    Validation {
        /// WHMCS's message, e.g. `The email address entered is not available for use.`
        message: String,
    },
    /// WHMCS or the proxy in front of it asks us to slow down (HTTP 429).
    #[error("WHMCS is rate limiting calls")]
    RateLimited {
        /// The `Retry-After` delay, when given in seconds.
        retry_after: Option<Duration>,
    },
    /// Any other answered error (a business rule, a module failure, a bug on our side such as
    /// a missing parameter).
    #[error("WHMCS error: {message}")]
    Api {
        /// WHMCS's message.
        message: String,
    },
    /// WHMCS answered with something we could not read.
    #[error("unexpected WHMCS response: {0}")]
    Decode(String),
}

impl WhmcsError {
    /// True when trying again later may succeed (the service is down, slow or throttling);
    /// false when the same call would fail the same way.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            WhmcsError::Transport { .. } | WhmcsError::Timeout | WhmcsError::RateLimited { .. }
        )
    }

    /// A short, stable name for logs and metric labels.
    pub fn kind(&self) -> &'static str {
        match self {
            WhmcsError::Transport { .. } => "transport",
            WhmcsError::Timeout => "timeout",
            WhmcsError::Authentication { .. } => "authentication",
            WhmcsError::NotFound { .. } => "not_found",
            WhmcsError::Validation { .. } => "validation",
            WhmcsError::RateLimited { .. } => "rate_limited",
            WhmcsError::Api { .. } => "api",
            WhmcsError::Decode(_) => "decode",
        }
    }

    /// WHMCS's own message, for answered errors.
    pub fn message(&self) -> Option<&str> {
        match self {
            WhmcsError::Authentication { message }
            | WhmcsError::NotFound { message }
            | WhmcsError::Validation { message }
            | WhmcsError::Api { message } => Some(message),
            _ => None,
        }
    }

    /// True when WHMCS answered with exactly this message (ignoring case and surrounding
    /// space and punctuation).
    pub fn message_is(&self, expected: &str) -> bool {
        self.message()
            .is_some_and(|m| normalise(m) == normalise(expected))
    }

    /// For a validation error, the profile field it concerns, when the message names one:
    /// `email`, `given_name`, `family_name`, `street`, `city`, `prefecture`, `postal_code`,
    /// `country`, `phone`, `password`.
    pub fn field(&self) -> Option<&'static str> {
        let WhmcsError::Validation { message } = self else {
            return None;
        };
        let text = normalise(message);
        FIELD_HINTS
            .iter()
            .find(|(pattern, _)| text.contains(pattern))
            .map(|(_, field)| *field)
    }
}

/// Messages of the access gate (credentials, IP allow list, API role). Prefixes.
const AUTHENTICATION: &[&str] = &[
    "authentication failed",
    "invalid or missing credentials",
    "invalid ip",
    "invalid permissions",
    "access denied",
    "administrator account disabled",
    "invalid password provided",
];

/// Messages of field errors the customer can fix. Prefixes.
const VALIDATION: &[&str] = &[
    "you did not enter",
    "you did not provide",
    "the email address you entered was not valid",
    "the email address entered is not valid",
    "the email address entered is not available for use",
    "a user already exists with that email address",
    "duplicate email address",
    "valid country required",
    "invalid telephone",
    "email or password invalid",
];

/// Which field a validation message is about (substring → field).
const FIELD_HINTS: &[(&str, &str)] = &[
    ("email or password", "password"),
    ("email", "email"),
    ("first name", "given_name"),
    ("last name", "family_name"),
    ("address line 1", "street"),
    ("city", "city"),
    ("state", "prefecture"),
    ("postcode", "postal_code"),
    ("country", "country"),
    ("phone", "phone"),
];

fn normalise(message: &str) -> String {
    message
        .trim()
        .trim_end_matches(['.', '!'])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Classifies an answered `result=error` by its message, then by its HTTP status.
pub(crate) fn classify(status: u16, message: &str, retry_after: Option<Duration>) -> WhmcsError {
    let text = normalise(message);
    let message = message.trim().to_owned();
    if AUTHENTICATION.iter().any(|p| text.starts_with(p)) {
        return WhmcsError::Authentication { message };
    }
    if VALIDATION.iter().any(|p| text.starts_with(p)) {
        return WhmcsError::Validation { message };
    }
    // `Client Not Found`, `Invoice ID Not Found`, `Service ID not found`… but not
    // `Order ID not found or Status not Pending`, which is a state conflict.
    if text.ends_with("not found") {
        return WhmcsError::NotFound { message };
    }
    match status {
        429 => WhmcsError::RateLimited { retry_after },
        401 | 403 => WhmcsError::Authentication { message },
        _ => WhmcsError::Api { message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_messages_are_classified() {
        let cases = [
            (403, "Authentication Failed", "authentication"),
            (403, "Invalid or missing credentials", "authentication"),
            (403, "Invalid IP 2405:201:abcd::1", "authentication"),
            (400, "Invalid IP 203.0.113.9", "authentication"),
            (
                403,
                r#"Invalid Permissions: API action "mergeticket" is not allowed"#,
                "authentication",
            ),
            (200, "Client Not Found", "not_found"),
            (200, "Client ID Not Found", "not_found"),
            (200, "Service ID not found", "not_found"),
            (200, "Order ID not found or Status not Pending", "api"),
            (200, "Invoice Not Found or Not Unpaid", "api"),
            (
                200,
                "The email address entered is not available for use.",
                "validation",
            ),
            (
                200,
                "A user already exists with that email address",
                "validation",
            ),
            (200, "You did not enter your first name", "validation"),
            (200, "Email or Password Invalid", "validation"),
            (200, "Either clientid Or email Is Required", "api"),
            (400, "Empty action request", "api"),
            (429, "Slow down", "rate_limited"),
            (403, "Something else", "authentication"),
        ];
        for (status, message, kind) in cases {
            assert_eq!(classify(status, message, None).kind(), kind, "{message}");
        }
    }

    #[test]
    fn validation_errors_name_their_field() {
        let field = |m: &str| classify(200, m, None).field();
        assert_eq!(
            field("The email address entered is not available for use."),
            Some("email")
        );
        assert_eq!(
            field("You did not enter your first name"),
            Some("given_name")
        );
        assert_eq!(
            field("You did not enter your  address line 1"),
            Some("street")
        );
        assert_eq!(field("Email or Password Invalid"), Some("password"));
        assert_eq!(classify(200, "Client Not Found", None).field(), None);
    }

    #[test]
    fn message_comparison_ignores_case_and_punctuation() {
        let err = classify(200, " email or password invalid. ", None);
        assert!(err.message_is("Email or Password Invalid"));
        assert!(!err.message_is("Client Not Found"));
        assert!(WhmcsError::Timeout.is_transient());
        assert!(!err.is_transient());
    }
}
