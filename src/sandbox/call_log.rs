//! The call log: every request a simulator served (provider, method, path, status, time), so
//! tests can assert what the portal actually sent — e.g. "one upstream call for 100 requests".

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

/// Oldest calls are dropped past this many.
const CAPACITY: usize = 10_000;

/// One served call.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Call {
    /// Increasing sequence number (survives trimming, so gaps show dropped entries).
    pub seq: u64,
    /// Simulator name.
    pub provider: &'static str,
    /// HTTP method.
    pub method: String,
    /// Path, without the query string (which may carry credentials).
    pub path: String,
    /// Response status.
    pub status: u16,
    /// Time to answer, in milliseconds.
    pub duration_ms: u64,
}

/// The log.
#[derive(Default)]
pub struct CallLog {
    calls: Mutex<(u64, VecDeque<Call>)>,
}

impl CallLog {
    fn lock(&self) -> MutexGuard<'_, (u64, VecDeque<Call>)> {
        self.calls.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn push(&self, mut call: Call) {
        let mut guard = self.lock();
        guard.0 += 1;
        call.seq = guard.0;
        if guard.1.len() == CAPACITY {
            guard.1.pop_front();
        }
        guard.1.push_back(call);
    }

    /// The calls, oldest first, optionally of one provider.
    pub fn list(&self, provider: Option<&str>) -> Vec<Call> {
        self.lock()
            .1
            .iter()
            .filter(|c| provider.is_none_or(|p| c.provider == p))
            .cloned()
            .collect()
    }

    /// Forgets every call.
    pub fn clear(&self) {
        self.lock().1.clear();
    }
}

/// Middleware state.
#[derive(Clone)]
pub struct CallLogState {
    /// Simulator name.
    pub provider: &'static str,
    /// The log.
    pub log: Arc<CallLog>,
}

/// Records a call after it is answered (including injected faults, which sit inside).
pub async fn record(State(st): State<CallLogState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let (method, path) = (req.method().to_string(), req.uri().path().to_owned());
    let response = next.run(req).await;
    st.log.push(Call {
        seq: 0,
        provider: st.provider,
        method,
        path,
        status: response.status().as_u16(),
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    });
    response
}
