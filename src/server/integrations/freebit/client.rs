//! The Freebit transport (reference §1.2–§1.4, §2.1): every call is a `POST` of a form with
//! one field, `json`, holding the request's JSON text with the `authKey` inside it; the answer
//! is JSON whose `resultCode` is `"100"` on success, read before the HTTP status.
//!
//! - The `authKey` comes from OEM authentication and is cached ([`AuthKeys`]); an auth error
//!   (401-2xx) fetches a new key and repeats the call exactly once.
//! - Retries with backoff and jitter (`max_retries`), only where repeating cannot act twice:
//!   reads on connection failures, time-outs, gateway pages and maintenance/internal errors;
//!   top-ups likewise, because their `quotaCode` makes a repeat a no-op (409-335 carries the
//!   original answer); other writes only when the connection failed before anything was sent.
//!   A rate-limit answer (429-900) is never retried: waiting is the caller's decision.
//! - Each attempt is timed into `provider_request_duration_seconds{provider="freebit",action}`;
//!   failures count into `provider_errors_total{provider="freebit",action,kind}`. Logs carry
//!   the action, outcome and codes — never the `authKey`, the OEM key or request bodies.

use super::auth::{AuthKey, AuthKeys, Fetched};
use super::codes;
use super::dto::{AuthResponse, Envelope, text};
use super::error::{FreebitError, VendorCode};
use crate::server::config::{FreebitPaths, FreebitSettings};
use crate::server::integrations::http;
use anyhow::{Context, bail};
use backon::Retryable;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

const PROVIDER: &str = "freebit";

/// The operations, each with its configured path and retry policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Auth,
    AccountDetail,
    Traffic,
    QuotaHistory,
    AddQuota,
    ChangePlan,
    CancelPlanChange,
    CancelAccount,
    WithdrawCancellation,
    VoiceOptions,
    ContractLine,
    SpeedMode,
    LineState,
    EsimReissue,
    EsimProfile,
    MnpReserve,
}

/// What may be repeated after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repeat {
    /// Changes nothing: any transport fault or server trouble.
    Read,
    /// Applied at most once by the platform (top-up by `quotaCode`): like a read.
    Idempotent,
    /// Only when nothing was sent.
    Write,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Auth => "auth",
            Op::AccountDetail => "account_detail",
            Op::Traffic => "traffic",
            Op::QuotaHistory => "quota_history",
            Op::AddQuota => "add_quota",
            Op::ChangePlan => "change_plan",
            Op::CancelPlanChange => "cancel_plan_change",
            Op::CancelAccount => "cancel_account",
            Op::WithdrawCancellation => "withdraw_cancellation",
            Op::VoiceOptions => "voice_options",
            Op::ContractLine => "contract_line",
            Op::SpeedMode => "speed_mode",
            Op::LineState => "line_state",
            Op::EsimReissue => "esim_reissue",
            Op::EsimProfile => "esim_profile",
            Op::MnpReserve => "mnp_reserve",
        }
    }

    fn path(self, paths: &FreebitPaths) -> &str {
        match self {
            Op::Auth => &paths.auth,
            Op::AccountDetail => &paths.account_detail,
            Op::Traffic => &paths.traffic,
            Op::QuotaHistory => &paths.quota_history,
            Op::AddQuota => &paths.add_quota,
            Op::ChangePlan => &paths.change_plan,
            Op::CancelPlanChange => &paths.cancel_plan_change,
            Op::CancelAccount => &paths.cancel_account,
            Op::WithdrawCancellation => &paths.withdraw_cancellation,
            Op::VoiceOptions => &paths.voice_options,
            Op::ContractLine => &paths.contract_line,
            Op::SpeedMode => &paths.speed_mode,
            Op::LineState => &paths.line_state,
            Op::EsimReissue => &paths.esim_reissue,
            Op::EsimProfile => &paths.esim_profile,
            Op::MnpReserve => &paths.mnp_reserve,
        }
    }

    fn repeat(self) -> Repeat {
        match self {
            Op::Auth | Op::AccountDetail | Op::Traffic | Op::QuotaHistory | Op::EsimProfile => {
                Repeat::Read
            }
            Op::AddQuota => Repeat::Idempotent,
            _ => Repeat::Write,
        }
    }
}

/// A success answer; `duplicate` when it came with 409-335 (a top-up's `quotaCode` seen
/// before, answered with the original payload).
pub(crate) struct Reply {
    pub body: Value,
    pub duplicate: bool,
}

impl Reply {
    /// The body as `T`.
    pub fn decode<T: DeserializeOwned>(&self, op: &str) -> Result<T, FreebitError> {
        serde_json::from_value(self.body.clone())
            .map_err(|e| FreebitError::Decode(format!("{op} response: {e}")))
    }
}

/// The Freebit client. Cheap to clone (one connection pool, one key cache).
#[derive(Clone)]
pub struct FreebitClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    paths: FreebitPaths,
    oem_id: String,
    oem_key: SecretString,
    keys: AuthKeys,
    max_retries: u32,
    detail_version: String,
}

impl fmt::Debug for FreebitClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FreebitClient")
            .field("base_url", &self.inner.base_url)
            .finish_non_exhaustive()
    }
}

/// One failed attempt, and whether the retry policy may try again.
struct Failure {
    error: FreebitError,
    retry: bool,
}

impl FreebitClient {
    /// Builds a client. `base_url` is the API base up to `/emptool/api`, resolved by start-up
    /// (the sandbox's in embedded mode, `settings.base_url` otherwise).
    pub fn from_settings(settings: &FreebitSettings, base_url: &str) -> anyhow::Result<Self> {
        let base_url = base_url.trim().trim_end_matches('/');
        let parsed = url::Url::parse(base_url)
            .with_context(|| format!("freebit.base_url {base_url:?} is not a URL"))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.query().is_some() {
            bail!("freebit.base_url must be an http(s) URL without a query");
        }
        if settings.oem_id.trim().is_empty() || settings.oem_key.expose_secret().is_empty() {
            bail!("freebit.oem_id and freebit.oem_key must be set");
        }
        let http = http::client(Duration::from_millis(settings.timeout_ms.max(1)))
            .context("could not build the Freebit HTTP client")?;
        Ok(FreebitClient {
            inner: Arc::new(Inner {
                http,
                base_url: base_url.to_owned(),
                paths: settings.paths.clone(),
                oem_id: settings.oem_id.trim().to_owned(),
                oem_key: settings.oem_key.clone(),
                keys: AuthKeys::new(Duration::from_secs(settings.auth_key_ttl_secs.max(1))),
                max_retries: settings.max_retries,
                detail_version: settings.detail_version.clone(),
            }),
        })
    }

    /// The API base this client calls.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The `version` of account detail requests.
    pub(crate) fn detail_version(&self) -> &str {
        &self.inner.detail_version
    }

    /// Makes sure an `authKey` can be had (fetching one if none is cached): a readiness check.
    pub async fn authenticate(&self) -> Result<(), FreebitError> {
        self.inner.keys.get(|| self.fetch_key()).await.map(|_| ())
    }

    /// Calls `op` with `body` (a JSON object without `authKey`): one new key and one repeat
    /// on an auth error.
    pub(crate) async fn call(&self, op: Op, body: Value) -> Result<Reply, FreebitError> {
        let keys = &self.inner.keys;
        let key = keys.get(|| self.fetch_key()).await?;
        let reply = match self.call_with_key(op, &body, &key).await {
            Err(FreebitError::Auth(code)) => {
                tracing::info!(provider = PROVIDER, action = op.name(), code = %code, "Freebit refused the authKey; authenticating again");
                let fresh = keys.renew(&key, || self.fetch_key()).await?;
                self.call_with_key(op, &body, &fresh).await
            }
            other => other,
        };
        match reply {
            Ok(reply) if reply.duplicate && op != Op::AddQuota => {
                Err(FreebitError::DuplicateQuotaCode)
            }
            Ok(reply) => Ok(reply),
            Err(err) => {
                if matches!(err, FreebitError::NotFound) {
                    tracing::debug!(
                        provider = PROVIDER,
                        action = op.name(),
                        "Freebit: no such line"
                    );
                } else {
                    tracing::warn!(provider = PROVIDER, action = op.name(), kind = err.kind(), error = %err, "Freebit call failed");
                }
                Err(err)
            }
        }
    }

    async fn call_with_key(
        &self,
        op: Op,
        body: &Value,
        key: &AuthKey,
    ) -> Result<Reply, FreebitError> {
        let mut body = body.clone();
        if let Value::Object(map) = &mut body {
            map.insert("authKey".into(), Value::String(key.value().to_owned()));
        }
        self.execute(op, &body.to_string()).await
    }

    async fn fetch_key(&self) -> Result<Fetched, FreebitError> {
        let body = json!({
            "oemId": self.inner.oem_id,
            "oemKey": self.inner.oem_key.expose_secret(),
        });
        let reply = self.execute(Op::Auth, &body.to_string()).await?;
        let auth: AuthResponse = reply.decode("auth")?;
        let value = text(&auth.auth_key)
            .ok_or_else(|| FreebitError::Decode("auth: no authKey".into()))?
            .to_owned();
        let lives = text(&auth.expire_at)
            .and_then(super::map::parse_instant)
            .map(|at| {
                let left = at - time::OffsetDateTime::now_utc();
                Duration::try_from(left).unwrap_or(Duration::ZERO)
            });
        tracing::debug!(provider = PROVIDER, "Freebit authKey fetched");
        Ok((value, lives))
    }

    /// Sends `json_text` to `op`'s path, with the retry policy.
    async fn execute(&self, op: Op, json_text: &str) -> Result<Reply, FreebitError> {
        let repeat = op.repeat();
        (|| self.attempt(op, json_text, repeat))
            .retry(http::backoff(self.inner.max_retries))
            .when(|failure: &Failure| failure.retry)
            .notify(|failure: &Failure, delay: Duration| {
                tracing::warn!(
                    provider = PROVIDER,
                    action = op.name(),
                    kind = failure.error.kind(),
                    delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    "Freebit call failed; retrying"
                );
            })
            .await
            .map_err(|failure| failure.error)
    }

    async fn attempt(&self, op: Op, json_text: &str, repeat: Repeat) -> Result<Reply, Failure> {
        let started = Instant::now();
        let result = self.send(op, json_text, repeat).await;
        let elapsed = started.elapsed();
        metrics::histogram!(
            "provider_request_duration_seconds",
            "provider" => PROVIDER,
            "action" => op.name()
        )
        .record(elapsed.as_secs_f64());
        if let Err(failure) = &result {
            metrics::counter!(
                "provider_errors_total",
                "provider" => PROVIDER,
                "action" => op.name(),
                "kind" => failure.error.kind()
            )
            .increment(1);
        }
        let elapsed_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
        tracing::debug!(
            provider = PROVIDER,
            action = op.name(),
            elapsed_ms,
            ok = result.is_ok(),
            "Freebit attempt"
        );
        result
    }

    async fn send(&self, op: Op, json_text: &str, repeat: Repeat) -> Result<Reply, Failure> {
        let inner = &self.inner;
        let url = format!("{}/{}", inner.base_url, op.path(&inner.paths));
        let response = inner
            .http
            .post(url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(form_body(json_text))
            .send()
            .await
            .map_err(|e| request_failure(&e, repeat))?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(|e| Failure {
            error: if e.is_timeout() {
                FreebitError::Timeout
            } else {
                transport(None, &e)
            },
            retry: repeat != Repeat::Write,
        })?;
        interpret(status, &body).map_err(|error| {
            let retry = match &error {
                FreebitError::Transport { status, .. } => {
                    repeat != Repeat::Write || *status == Some(503)
                }
                FreebitError::Maintenance | FreebitError::Other(_) => {
                    repeat != Repeat::Write && error.is_transient()
                }
                _ => false,
            };
            Failure { error, retry }
        })
    }
}

/// The request body: `json=<the JSON text, form-urlencoded>`.
pub fn form_body(json_text: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("json", json_text)
        .finish()
}

fn request_failure(error: &reqwest::Error, repeat: Repeat) -> Failure {
    if error.is_timeout() {
        Failure {
            error: FreebitError::Timeout,
            retry: repeat != Repeat::Write,
        }
    } else {
        Failure {
            error: transport(None, error),
            retry: error.is_connect() || repeat != Repeat::Write,
        }
    }
}

/// A transport error, described without the URL.
fn transport(status: Option<u16>, error: &reqwest::Error) -> FreebitError {
    FreebitError::Transport {
        status,
        detail: http::describe(error),
    }
}

/// Reads an answer: the envelope first (whatever the status), then the status.
pub(crate) fn interpret(status: u16, body: &[u8]) -> Result<Reply, FreebitError> {
    let value = serde_json::from_slice::<Value>(body)
        .ok()
        .filter(|v| v.get("resultCode").is_some());
    let Some(value) = value else {
        return Err(match status {
            429 => FreebitError::RateLimited,
            200..=299 => FreebitError::Decode("the body is not a Freebit JSON envelope".into()),
            _ => FreebitError::Transport {
                status: Some(status),
                detail: format!("HTTP {status} without a Freebit answer"),
            },
        });
    };
    let envelope: Envelope = serde_json::from_value(value.clone())
        .map_err(|e| FreebitError::Decode(format!("envelope: {e}")))?;
    let result_code = text(&envelope.result_code).unwrap_or_default().to_owned();
    if result_code == codes::SUCCESS {
        return Ok(Reply {
            body: value,
            duplicate: false,
        });
    }
    let status_detail = envelope.status.unwrap_or_default();
    let code = VendorCode {
        status_code: text(&status_detail.status_code)
            .unwrap_or_default()
            .to_owned(),
        message: text(&status_detail.message).unwrap_or_default().to_owned(),
        result_code,
    };
    let class = codes::classify(&code.result_code, &code.status_code);
    if class == Some(codes::ErrorClass::DuplicateQuotaCode) {
        return Ok(Reply {
            body: value,
            duplicate: true,
        });
    }
    Err(FreebitError::from_class(class, code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(status: u16, body: &str) -> &'static str {
        match interpret(status, body.as_bytes()) {
            Ok(reply) if reply.duplicate => "duplicate",
            Ok(_) => "ok",
            Err(e) => e.kind(),
        }
    }

    #[test]
    fn the_form_carries_one_json_field() {
        // PA04-04's example request (reference §1.6), form-urlencoded.
        let body = form_body(r#"{"kind":"MVNO","account":"09012345678","quota":"100"}"#);
        assert_eq!(
            body,
            "json=%7B%22kind%22%3A%22MVNO%22%2C%22account%22%3A%2209012345678%22%2C%22quota%22%3A%22100%22%7D"
        );
        let decoded: Vec<(String, String)> = url::form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect();
        assert_eq!(decoded.len(), 1);
        assert_eq!(decoded[0].0, "json");
        // Japanese text and reserved characters survive the round trip.
        let text = r#"{"reason":"紛失 & 盗難 = +1"}"#;
        let back: Vec<(String, String)> = url::form_urlencoded::parse(form_body(text).as_bytes())
            .into_owned()
            .collect();
        assert_eq!(back[0].1, text);
    }

    #[test]
    fn the_envelope_is_read_before_the_status() {
        assert_eq!(
            kind(
                200,
                r#"{"resultCode":"100","status":{"message":"OK","statusCode":"200"}}"#
            ),
            "ok"
        );
        assert_eq!(
            kind(200, r#"{"resultCode":100}"#),
            "ok",
            "a numeric code is read too"
        );
        assert_eq!(
            kind(
                200,
                r#"{"resultCode":"409","status":{"message":"x","statusCode":"331"}}"#
            ),
            "locked"
        );
        assert_eq!(
            kind(
                200,
                r#"{"resultCode":"409","status":{"message":"x","statusCode":"335"},"addedMb":"1"}"#
            ),
            "duplicate"
        );
        assert_eq!(
            kind(
                503,
                r#"{"resultCode":"503","status":{"message":"x","statusCode":"998"}}"#
            ),
            "maintenance"
        );
        assert_eq!(
            kind(
                401,
                r#"{"resultCode":"401","status":{"message":"x","statusCode":"202"}}"#
            ),
            "auth"
        );
        assert_eq!(kind(200, r#"{"resultCode":"400-356"}"#), "unsupported");
        assert_eq!(
            kind(200, r#"{"resultCode":"777","status":{"statusCode":"1"}}"#),
            "other"
        );
    }

    #[test]
    fn answers_without_an_envelope() {
        assert_eq!(kind(429, "slow down"), "rate_limited");
        assert_eq!(kind(504, "<html>Gateway Time-out</html>"), "transport");
        assert_eq!(kind(200, "<html>login</html>"), "decode");
        assert_eq!(kind(200, r#"{"result":"success"}"#), "decode");
    }

    #[test]
    fn reads_and_top_ups_repeat_other_writes_do_not() {
        assert_eq!(Op::Traffic.repeat(), Repeat::Read);
        assert_eq!(Op::AddQuota.repeat(), Repeat::Idempotent);
        assert_eq!(Op::ChangePlan.repeat(), Repeat::Write);
        assert_eq!(Op::LineState.repeat(), Repeat::Write);
    }
}
