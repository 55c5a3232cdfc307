//! Logging set-up (once per process) and the wrapper that keeps personal data out of logs.
//!
//! Logs are JSON in production (one object per line, for the log pipeline) and readable lines
//! in development. Request spans carry the request id (see `http::request_id`), so every line a
//! request produces, including provider calls made on its behalf, can be found by that id.

use std::fmt;
use tracing_subscriber::{EnvFilter, fmt as tfmt, prelude::*};

/// Installs the global subscriber. `RUST_LOG` wins over the configured filter. Calling it twice
/// (as tests do) keeps the first subscriber.
pub fn init(filter: &str, json: bool) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(filter))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    let result = if json {
        registry
            .with(
                tfmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(false),
            )
            .try_init()
    } else {
        registry
            .with(tfmt::layer().with_target(false).compact())
            .try_init()
    };
    // Already initialised (tests): the first subscriber stays; nothing to report.
    drop(result);
}

/// Wraps personal data (emails, names, phone numbers, addresses) so that it can be passed to a
/// log macro by mistake without being written: both `Debug` and `Display` print a placeholder.
#[derive(Clone, PartialEq, Eq)]
pub struct Redacted<T>(pub T);

impl<T> fmt::Debug for Redacted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<T> fmt::Display for Redacted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::Redacted;

    #[test]
    fn redacted_values_never_print() {
        let email = Redacted("hanako@example.jp".to_owned());
        assert_eq!(format!("{email:?} {email}"), "[redacted] [redacted]");
    }
}
