//! The WHMCS transport: one form-encoded `POST` to `includes/api.php` per call, with the API
//! credentials and `responsetype=json` in the body (never in the URL, which access logs keep),
//! the success/error envelope read before the HTTP status (reference §1.6), typed errors, a
//! time limit, and retries with backoff for transport faults only.
//!
//! What is retried — only faults after which WHMCS cannot have acted twice on our behalf:
//! - reads (`Get*`, `ValidateLogin`): connection failures, time-outs before any response, and
//!   502/503/504 without a WHMCS envelope;
//! - writes: connection failures and 503 without an envelope (the request never reached
//!   WHMCS). A write that timed out may have been applied, so it is reported, not repeated.
//!
//! An answered WHMCS error (`result=error`, any status) is never retried, nor is a 429.
//!
//! Each attempt is timed into `provider_request_duration_seconds{provider="whmcs",action}`;
//! failures count into `provider_errors_total{provider="whmcs",action,kind}`. Logs carry the
//! action, status, outcome and latency — never parameters, bodies or credentials.

use super::error::{WhmcsError, classify};
use crate::server::config::WhmcsSettings;
use crate::server::integrations::http;
use anyhow::{Context, bail};
use backon::Retryable;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

const PROVIDER: &str = "whmcs";

/// Request parameters of one action, in order. Keys may use PHP bracket syntax
/// (`pid[0]`, `email_preferences[invoice]`). `Debug` shows the keys only: values may be
/// personal data or passwords.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// No parameters.
    pub fn new() -> Self {
        Params(Vec::new())
    }

    /// Adds a parameter.
    pub fn with(mut self, key: impl Into<String>, value: impl ToString) -> Self {
        self.push(key, value);
        self
    }

    /// Adds a parameter.
    pub fn push(&mut self, key: impl Into<String>, value: impl ToString) {
        self.0.push((key.into(), value.to_string()));
    }

    /// Adds a flag the PHP way: `1` when on, nothing when off (WHMCS reads the string
    /// `"false"` as true).
    pub fn flag(self, key: impl Into<String>, on: bool) -> Self {
        if on { self.with(key, "1") } else { self }
    }

    /// The value of a parameter.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The parameters in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl fmt::Debug for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(k, _)| k))
            .finish()
    }
}

/// A WHMCS API client. Cheap to clone (one shared connection pool).
#[derive(Clone)]
pub struct WhmcsClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    api_url: String,
    identifier: SecretString,
    secret: SecretString,
    access_key: Option<SecretString>,
    max_retries: u32,
}

impl fmt::Debug for WhmcsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WhmcsClient")
            .field("api_url", &self.inner.api_url)
            .finish_non_exhaustive()
    }
}

/// One failed attempt, and whether the retry policy may try again.
struct Failure {
    error: WhmcsError,
    retry: bool,
}

impl WhmcsClient {
    /// Builds a client. `api_url` is the full `…/includes/api.php` URL, resolved by start-up
    /// (the sandbox's in embedded mode, `settings.api_url` otherwise).
    pub fn from_settings(settings: &WhmcsSettings, api_url: &str) -> anyhow::Result<Self> {
        let parsed = url::Url::parse(api_url)
            .with_context(|| format!("whmcs.api_url {api_url:?} is not a URL"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            bail!("whmcs.api_url must be an http(s) URL");
        }
        if settings.identifier.expose_secret().is_empty()
            || settings.secret.expose_secret().is_empty()
        {
            bail!("whmcs.identifier and whmcs.secret must be set");
        }
        let timeout = Duration::from_millis(settings.timeout_ms.max(1));
        let http = http::client(timeout).context("could not build the WHMCS HTTP client")?;
        let access_key = settings.access_key.expose_secret().trim();
        Ok(WhmcsClient {
            inner: Arc::new(Inner {
                http,
                api_url: api_url.to_owned(),
                identifier: settings.identifier.clone(),
                secret: settings.secret.clone(),
                access_key: (!access_key.is_empty()).then(|| SecretString::from(access_key)),
                max_retries: settings.max_retries,
            }),
        })
    }

    /// The `includes/api.php` URL this client calls.
    pub fn api_url(&self) -> &str {
        &self.inner.api_url
    }

    /// Calls `action` and returns the success envelope (`result` included) as JSON.
    pub async fn call(&self, action: &str, params: &Params) -> Result<Value, WhmcsError> {
        let read = is_read(action);
        let outcome = (|| self.attempt(action, params, read))
            .retry(http::backoff(self.inner.max_retries))
            .when(|failure: &Failure| failure.retry)
            .notify(|failure: &Failure, delay: Duration| {
                tracing::warn!(
                    provider = PROVIDER,
                    action,
                    kind = failure.error.kind(),
                    delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    "WHMCS call failed; retrying"
                );
            })
            .await;
        outcome.map_err(|failure| {
            // "Not found" is an answer callers expect (look up before create), not a fault.
            if matches!(failure.error, WhmcsError::NotFound { .. }) {
                tracing::debug!(provider = PROVIDER, action, "WHMCS: not found");
            } else {
                tracing::warn!(
                    provider = PROVIDER,
                    action,
                    kind = failure.error.kind(),
                    error = %failure.error,
                    "WHMCS call failed"
                );
            }
            failure.error
        })
    }

    /// Calls `action` and reads the success envelope as `T`.
    pub async fn call_as<T: DeserializeOwned>(
        &self,
        action: &str,
        params: &Params,
    ) -> Result<T, WhmcsError> {
        let value = self.call(action, params).await?;
        serde_json::from_value(value)
            .map_err(|e| WhmcsError::Decode(format!("{action} response: {e}")))
    }

    async fn attempt(&self, action: &str, params: &Params, read: bool) -> Result<Value, Failure> {
        let started = Instant::now();
        let result = self.send(action, params, read).await;
        let elapsed = started.elapsed();
        let action_label = action.to_owned();
        metrics::histogram!(
            "provider_request_duration_seconds",
            "provider" => PROVIDER,
            "action" => action_label.clone()
        )
        .record(elapsed.as_secs_f64());
        let elapsed_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
        match &result {
            Ok(_) => tracing::debug!(provider = PROVIDER, action, elapsed_ms, "WHMCS call ok"),
            Err(failure) => {
                metrics::counter!(
                    "provider_errors_total",
                    "provider" => PROVIDER,
                    "action" => action_label,
                    "kind" => failure.error.kind()
                )
                .increment(1);
                tracing::debug!(
                    provider = PROVIDER,
                    action,
                    elapsed_ms,
                    kind = failure.error.kind(),
                    "WHMCS attempt failed"
                );
            }
        }
        result
    }

    async fn send(&self, action: &str, params: &Params, read: bool) -> Result<Value, Failure> {
        let inner = &self.inner;
        let mut form: Vec<(&str, &str)> = Vec::with_capacity(params.0.len() + 5);
        form.push(("action", action));
        form.push(("identifier", inner.identifier.expose_secret()));
        form.push(("secret", inner.secret.expose_secret()));
        if let Some(key) = &inner.access_key {
            form.push(("accesskey", key.expose_secret()));
        }
        form.push(("responsetype", "json"));
        form.extend(params.iter());
        let response = inner
            .http
            .post(&inner.api_url)
            .form(&form)
            .send()
            .await
            .map_err(|e| request_failure(&e, read))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        // The response has started: a failure while reading it is never retried.
        let body = response.bytes().await.map_err(|e| Failure {
            error: if e.is_timeout() {
                WhmcsError::Timeout
            } else {
                transport(None, &e)
            },
            retry: false,
        })?;
        interpret(action, status, &body, retry_after, read)
    }
}

/// Actions that change nothing (safe to repeat after a time-out).
fn is_read(action: &str) -> bool {
    let lower = action.to_ascii_lowercase();
    lower.starts_with("get") || lower == "validatelogin"
}

fn request_failure(error: &reqwest::Error, read: bool) -> Failure {
    if error.is_timeout() {
        Failure {
            error: WhmcsError::Timeout,
            retry: read,
        }
    } else if error.is_connect() {
        Failure {
            error: transport(None, error),
            retry: true,
        }
    } else {
        Failure {
            error: transport(None, error),
            retry: read,
        }
    }
}

/// A transport error, described without the URL.
fn transport(status: Option<u16>, error: &reqwest::Error) -> WhmcsError {
    WhmcsError::Transport {
        status,
        detail: http::describe(error).replace("<url>", "<api_url>"),
    }
}

/// Reads an answer: the envelope first, then the status (reference §1.6).
fn interpret(
    action: &str,
    status: u16,
    body: &[u8],
    retry_after: Option<Duration>,
    read: bool,
) -> Result<Value, Failure> {
    let answered = |error| Failure {
        error,
        retry: false,
    };
    let envelope = match serde_json::from_slice::<Value>(body) {
        Ok(value @ Value::Object(_)) => Some(value),
        _ => None,
    };
    let Some(envelope) =
        envelope.filter(|v| v.get("result").is_some() || v.get("status").is_some())
    else {
        return Err(match status {
            429 => answered(WhmcsError::RateLimited { retry_after }),
            502..=504 => Failure {
                error: WhmcsError::Transport {
                    status: Some(status),
                    detail: format!("HTTP {status} without a WHMCS answer"),
                },
                retry: read || status == 503,
            },
            401 | 403 => answered(WhmcsError::Authentication {
                message: format!("HTTP {status} without a WHMCS answer"),
            }),
            200..=299 => answered(WhmcsError::Decode(format!(
                "{action}: the body is not a WHMCS JSON envelope"
            ))),
            _ => answered(WhmcsError::Transport {
                status: Some(status),
                detail: format!("HTTP {status} without a WHMCS answer"),
            }),
        });
    };
    let field = |key: &str| {
        envelope
            .get(key)
            .and_then(Value::as_str)
            .map(|s| s.trim().to_ascii_lowercase())
    };
    let message = || {
        envelope
            .get("message")
            .map(super::dto::de::scalar_text)
            .unwrap_or_default()
    };
    if field("result").as_deref() == Some("error") || field("status").as_deref() == Some("error") {
        return Err(answered(classify(status, &message(), retry_after)));
    }
    if field("result").as_deref() != Some("success") {
        return Err(answered(WhmcsError::Decode(format!(
            "{action}: unknown result in the envelope"
        ))));
    }
    if let Some(warning) = envelope.get("warning") {
        tracing::warn!(
            provider = PROVIDER,
            action,
            warning = %super::dto::de::scalar_text(warning),
            "WHMCS answered with a warning"
        );
    }
    Ok(envelope)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(status: u16, body: &str, read: bool) -> (&'static str, bool) {
        match interpret("GetClients", status, body.as_bytes(), None, read) {
            Ok(_) => ("ok", false),
            Err(f) => (f.error.kind(), f.retry),
        }
    }

    #[test]
    fn the_envelope_is_read_before_the_status() {
        assert_eq!(
            kind(200, r#"{"result":"success","clientid":"1"}"#, true),
            ("ok", false)
        );
        assert_eq!(
            kind(
                403,
                r#"{"result":"error","message":"Invalid IP 203.0.113.9"}"#,
                true
            ),
            ("authentication", false)
        );
        assert_eq!(
            kind(
                200,
                r#"{"result":"error","message":"Client Not Found"}"#,
                true
            ),
            ("not_found", false)
        );
        assert_eq!(
            kind(200, r#"{"status":"error","message":"Something"}"#, true),
            ("api", false)
        );
        // A 503 carrying a WHMCS envelope was answered: not retried.
        assert_eq!(
            kind(503, r#"{"result":"error","message":"Maintenance"}"#, true),
            ("api", false)
        );
    }

    #[test]
    fn proxy_answers_without_an_envelope() {
        assert_eq!(kind(503, "<html>down</html>", true), ("transport", true));
        assert_eq!(kind(503, "", false), ("transport", true));
        assert_eq!(kind(502, "bad gateway", true), ("transport", true));
        assert_eq!(
            kind(504, "", false),
            ("transport", false),
            "a write may have happened"
        );
        assert_eq!(kind(500, "<b>Fatal error</b>", true), ("transport", false));
        assert_eq!(kind(429, "slow down", true), ("rate_limited", false));
        assert_eq!(
            kind(403, "<html>Forbidden</html>", true),
            ("authentication", false)
        );
        assert_eq!(
            kind(200, "<html>maintenance</html>", true),
            ("decode", false)
        );
        assert_eq!(kind(200, r#"{"result":"maybe"}"#, true), ("decode", false));
        assert_eq!(kind(200, r#"[1,2]"#, true), ("decode", false));
    }

    #[test]
    fn reads_and_writes() {
        assert!(is_read("GetClientsDetails"));
        assert!(is_read("getclients"));
        assert!(is_read("ValidateLogin"));
        assert!(!is_read("AddClient"));
        assert!(!is_read("UpdateClient"));
    }

    #[test]
    fn params_hide_their_values() {
        let params = Params::new()
            .with("email", "hanako@example.jp")
            .with("password2", "secret")
            .flag("noemail", true)
            .flag("skipvalidation", false);
        assert_eq!(
            format!("{params:?}"),
            r#"["email", "password2", "noemail"]"#
        );
        assert_eq!(params.get("noemail"), Some("1"));
        assert_eq!(params.get("skipvalidation"), None);
    }
}
