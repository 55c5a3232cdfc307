//! HTTP plumbing shared by the provider clients: a reqwest client with time limits and the
//! process-wide TLS crypto provider, and the retry policy for transport faults.

use backon::ExponentialBuilder;
use std::time::Duration;

/// Installs rustls' ring provider once per process (reqwest is built without a default one so
/// that the whole binary uses ring, like sqlx and fred).
pub fn install_crypto_provider() {
    // Err means another caller installed it first, which is what we want anyway.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A client for one provider: overall and connect time limits, no redirects (an API that
/// redirects is misconfigured, and following would resend credentials).
pub fn client(timeout: Duration) -> reqwest::Result<reqwest::Client> {
    install_crypto_provider();
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(5)))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("customer-portal/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Exponential backoff with jitter for retrying transport faults: 100 ms doubling, capped at
/// 2 s, `max_retries` retries after the first attempt.
pub fn backoff(max_retries: u32) -> ExponentialBuilder {
    ExponentialBuilder::default()
        .with_min_delay(Duration::from_millis(100))
        .with_max_delay(Duration::from_secs(2))
        .with_max_times(max_retries as usize)
        .with_jitter()
}

/// A transport error's description for logs: reqwest's message and its causes, with the URL
/// (which may carry a host or query worth keeping out of logs) replaced by `<url>`.
pub fn describe(error: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut detail = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = cause.source();
    }
    if let Some(url) = error.url() {
        detail = detail.replace(url.as_str(), "<url>");
    }
    detail
}
