//! Fault injection for the simulators, set through the control API: added latency, an HTTP
//! status instead of the real answer, or a provider-specific fault (`expired_session`,
//! `rate_limit`…) that the simulator itself renders in its provider's error shape.
//!
//! Rules are deterministic (the next N calls, or every Nth call), never random, so a test that
//! injects "5 % faults" as "every 20th call" fails the same way every run.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// What happens to a matching call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FaultKind {
    /// Wait this long before answering normally (or before another fault).
    Latency {
        /// Milliseconds.
        ms: u64,
    },
    /// Answer with this status and a short plain-text body instead of calling the simulator.
    Status {
        /// 4xx or 5xx.
        status: u16,
    },
    /// Let the simulator answer with its provider's own error for `code`.
    Provider {
        /// Simulator-defined, e.g. `expired_session`.
        code: String,
    },
}

/// A fault rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    /// Simulator name, or `*` for all.
    pub provider: String,
    /// Only paths starting with this.
    #[serde(default)]
    pub path_prefix: Option<String>,
    /// The fault.
    pub kind: FaultKind,
    /// Apply to the next N matching calls, then remove the rule.
    #[serde(default)]
    pub times: Option<u32>,
    /// Apply to every Nth matching call (1 = every call). Default 1.
    #[serde(default)]
    pub every: Option<u32>,
}

/// A provider fault handed to the simulator as a request extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InjectedFault(pub String);

#[derive(Debug, Clone, Serialize)]
struct Active {
    id: u64,
    rule: FaultRule,
    matched: u32,
    applied: u32,
}

/// The active rules.
#[derive(Default)]
pub struct FaultBook {
    rules: Mutex<(u64, Vec<Active>)>,
}

impl FaultBook {
    fn lock(&self) -> MutexGuard<'_, (u64, Vec<Active>)> {
        self.rules.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a rule, returning its id.
    pub fn add(&self, rule: FaultRule) -> u64 {
        let mut guard = self.lock();
        guard.0 += 1;
        let id = guard.0;
        guard.1.push(Active {
            id,
            rule,
            matched: 0,
            applied: 0,
        });
        id
    }

    /// Removes one rule; false if it did not exist.
    pub fn remove(&self, id: u64) -> bool {
        let mut guard = self.lock();
        let before = guard.1.len();
        guard.1.retain(|a| a.id != id);
        guard.1.len() != before
    }

    /// Removes every rule.
    pub fn clear(&self) {
        self.lock().1.clear();
    }

    /// The active rules with their counters, as JSON.
    pub fn snapshot(&self) -> serde_json::Value {
        serde_json::to_value(&self.lock().1).unwrap_or_default()
    }

    /// The faults to apply to one call, advancing counters and retiring spent rules.
    pub fn take(&self, provider: &str, path: &str) -> Vec<FaultKind> {
        let mut guard = self.lock();
        let mut out = Vec::new();
        for active in &mut guard.1 {
            let rule = &active.rule;
            let provider_ok = rule.provider == "*" || rule.provider == provider;
            let path_ok = rule
                .path_prefix
                .as_deref()
                .is_none_or(|p| path.starts_with(p));
            if !(provider_ok && path_ok) {
                continue;
            }
            active.matched += 1;
            let every = rule.every.unwrap_or(1).max(1);
            if active.matched % every == 0 {
                active.applied += 1;
                out.push(rule.kind.clone());
            }
        }
        guard
            .1
            .retain(|a| a.rule.times.is_none_or(|t| a.applied < t));
        out
    }
}

/// Middleware state: which simulator this is, and the shared book.
#[derive(Clone)]
pub struct FaultLayerState {
    /// Simulator name.
    pub provider: &'static str,
    /// The rules.
    pub book: Arc<FaultBook>,
}

/// What a simulator answers for a `lost_reply` fault after the operation has run: the
/// gateway in front of it timed out, so the caller cannot know whether it happened.
pub fn lost_reply() -> Response {
    (
        StatusCode::GATEWAY_TIMEOUT,
        [(axum::http::header::CONTENT_TYPE, "text/html")],
        "<html><body><h1>504 Gateway Time-out</h1></body></html>",
    )
        .into_response()
}

/// Applies matching faults to a call.
pub async fn apply(State(st): State<FaultLayerState>, mut req: Request, next: Next) -> Response {
    let faults = st.book.take(st.provider, req.uri().path());
    for fault in faults {
        match fault {
            FaultKind::Latency { ms } => tokio::time::sleep(Duration::from_millis(ms)).await,
            FaultKind::Status { status } => {
                let code =
                    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let mut response =
                    (code, format!("sandbox injected fault: HTTP {status}")).into_response();
                if code == StatusCode::TOO_MANY_REQUESTS {
                    response
                        .headers_mut()
                        .insert("retry-after", axum::http::HeaderValue::from_static("1"));
                }
                return response;
            }
            FaultKind::Provider { code } => {
                req.extensions_mut().insert(InjectedFault(code));
            }
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(kind: FaultKind, times: Option<u32>, every: Option<u32>) -> FaultRule {
        FaultRule {
            provider: "whmcs".into(),
            path_prefix: Some("/includes".into()),
            kind,
            times,
            every,
        }
    }

    #[test]
    fn times_limits_and_retires_a_rule() {
        let book = FaultBook::default();
        book.add(rule(FaultKind::Status { status: 503 }, Some(2), None));
        assert_eq!(book.take("whmcs", "/includes/api.php").len(), 1);
        assert_eq!(book.take("whmcs", "/includes/api.php").len(), 1);
        assert!(book.take("whmcs", "/includes/api.php").is_empty());
        assert_eq!(book.snapshot().as_array().map(Vec::len), Some(0));
    }

    #[test]
    fn every_nth_is_deterministic_and_scoped() {
        let book = FaultBook::default();
        book.add(rule(FaultKind::Latency { ms: 1 }, None, Some(3)));
        let hits: Vec<usize> = (0..9)
            .map(|_| book.take("whmcs", "/includes/api.php").len())
            .collect();
        assert_eq!(hits, [0, 0, 1, 0, 0, 1, 0, 0, 1]);
        assert!(book.take("freebit", "/includes/api.php").is_empty());
        assert!(book.take("whmcs", "/other").is_empty());
    }
}
