//! The Freebit simulator: the MVNO partner API of reference `freebit.md` §2 ("Freebit-shaped":
//! Freebit's evidenced wire traits, our designed bodies and missing operations).
//!
//! # Protocol
//!
//! `POST /emptool/api/{path}` with `Content-Type: application/x-www-form-urlencoded` and one
//! field `json` (a `multipart/form-data` `json` part is accepted too; anything else is
//! 400-301). Every call but `authOem/` carries `authKey` inside the JSON: missing or unknown
//! → 401-201, expired → 401-202. Answers are JSON with `resultCode` (`"100"` = success) and
//! `status{message,statusCode}`; business errors are HTTP 200, maintenance HTTP 503. An
//! unknown path is a plain HTTP 404.
//!
//! | path | operation |
//! |---|---|
//! | `authOem/` | `{oemId, oemKey}` → `{authKey, expireAt}` ([`OEM_ID`]/[`OEM_KEY`]; else 401-203) |
//! | `master/getAcntDetail/` | account detail (SimDetail) |
//! | `mvno/getTrafficInfo/` | daily usage, today provisional, monthly totals (KB) |
//! | `mvno/getQuotaHistory/` | quota additions |
//! | `master/addSpec/` | top-up; a repeated `quotaCode` → 409-335 with the original answer |
//! | `mvno/changePlan/`, `mvno/cancelPlanChange/` | plan change booked for the 1st; withdraw |
//! | `master/cnclAcnt/`, `master/cancelCnclAcnt/` | cancellation on `runDate`; withdraw |
//! | `mvno/talkoption/changeOrder/` | voice options (async) |
//! | `mvno/contractline/change/` | 4G/5G (async, locks the line) |
//! | `mvno/changeSpeed/` | speed mode |
//! | `mvno/changeState/` | suspend / resume |
//! | `mvno/esim/addAcnt/`, `mvno/esim/getProfile/` | eSIM reissue (async); its activation code |
//! | `mvno/mnp/reserveOut/` | MNP-out reservation number |
//!
//! The rules (§2.3, §2.4) live in `line` (quota buckets, earliest expiry first, carry-over,
//! throttling, usage closing at midnight and final at 06:00), `writes` (the order of checks,
//! suspended lines refusing writes, locks, one plan change booked at a time, idempotent
//! top-ups) and `state` (virtual clock, async orders, cancellations, rate limits). Lines come
//! from the seed's `sim_lines` (`seed`); their usage is generated from the phone number and
//! the date, so every run shows the same figures.
//!
//! # Provider faults (`{"type":"provider","code":…}` rules of the control API)
//!
//! | code | answer |
//! |---|---|
//! | `auth_expired` | 401-202, whatever the `authKey` |
//! | `rate_limit` | 429-900 |
//! | `maintenance` | HTTP 503 with 503-998 |
//! | `internal` | 500-999 |
//! | `not_json` | HTTP 200 with an HTML page |
//! | `lost_reply` | the operation **runs**, then a proxy's 504 page replaces its answer |
//!
//! Latency and bare HTTP statuses are the host's generic faults.
//!
//! # Simulator control (on this port; not part of Freebit)
//!
//! - `GET /_sandbox/clock`; `POST /_sandbox/clock` `{"now"?: RFC 3339, "frozen"?: bool}` — with
//!   `now`, the lines are seeded again as of that instant;
//! - `POST /_sandbox/advance` `{"seconds": n}` — time moves on: days close, months open,
//!   orders finish, cancellations land;
//! - `GET`/`POST /_sandbox/settings` — delays (`voice_delay_secs` 300,
//!   `contract_line_delay_secs` 1800, `esim_delay_secs` 600, `cancel_delay_secs` 600),
//!   `auth_ttl_secs` (3600), `rate_limits` (true), `requests_per_second` (10),
//!   `throttle_kbps` (200);
//! - `POST /_sandbox/expire-auth-keys`;
//! - `GET /_sandbox/lines`, `GET /_sandbox/lines/{account}`, `POST /_sandbox/lines/{account}`
//!   `{"share_group"?, "plan_code"?, "daily_mb"?}`;
//! - `GET`/`DELETE /_sandbox/requests` — decoded requests with their result codes.
//!
//! A control-API reset reseeds the lines at the wall clock and restores these settings.

mod calendar;
mod control;
mod line;
mod reads;
mod seed;
mod state;
mod wire;
mod writes;

use super::{InjectedFault, SeedData, Simulator};
use axum::Router;
use axum::extract::{Extension, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use reads::Body;
use serde_json::{Value, json};
use state::FreebitState;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use time::OffsetDateTime;
use wire::{Reply, field};

/// The sandbox's OEM id (the `[freebit]` default).
pub const OEM_ID: &str = "sandbox-oem";
/// The sandbox's OEM key (the `[freebit]` default).
pub const OEM_KEY: &str = "sandbox-oem-key";

/// The simulator.
#[derive(Clone)]
pub struct FreebitSimulator {
    state: Arc<Mutex<FreebitState>>,
}

impl Default for FreebitSimulator {
    fn default() -> Self {
        FreebitSimulator {
            state: Arc::new(Mutex::new(FreebitState::seeded(
                &[],
                OffsetDateTime::now_utc(),
                false,
            ))),
        }
    }
}

/// An operation, by path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Auth,
    Detail,
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

const PATHS: &[(&str, Op)] = &[
    ("authOem", Op::Auth),
    ("master/getAcntDetail", Op::Detail),
    ("mvno/getTrafficInfo", Op::Traffic),
    ("mvno/getQuotaHistory", Op::QuotaHistory),
    ("master/addSpec", Op::AddQuota),
    ("mvno/changePlan", Op::ChangePlan),
    ("mvno/cancelPlanChange", Op::CancelPlanChange),
    ("master/cnclAcnt", Op::CancelAccount),
    ("master/cancelCnclAcnt", Op::WithdrawCancellation),
    ("mvno/talkoption/changeOrder", Op::VoiceOptions),
    ("mvno/contractline/change", Op::ContractLine),
    ("mvno/changeSpeed", Op::SpeedMode),
    ("mvno/changeState", Op::LineState),
    ("mvno/esim/addAcnt", Op::EsimReissue),
    ("mvno/esim/getProfile", Op::EsimProfile),
    ("mvno/mnp/reserveOut", Op::MnpReserve),
];

impl FreebitSimulator {
    /// No lines until the host seeds it.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, FreebitState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Answers one decoded request.
    fn answer(&self, path: &str, op: Op, body: &Body) -> Reply {
        let mut st = self.lock();
        let reply = if !st.admit() {
            Reply::error(wire::RATE_LIMITED)
        } else if op == Op::Auth {
            authenticate(&mut st, body)
        } else if let Err(refused) = check_key(&st, body) {
            refused
        } else {
            st.catch_up();
            dispatch(op, &mut st, body)
        };
        let account = field(body, "account")
            .or_else(|| {
                body.get("requestDatas")
                    .and_then(|d| d.get(0))
                    .and_then(Value::as_object)
                    .and_then(|item| field(item, "account"))
            })
            .map(|a| a.into_owned());
        let mut logged = body.clone();
        logged.remove("authKey");
        logged.remove("oemKey");
        let at = calendar::ymdhms(st.now());
        st.log_request(json!({
            "at": at,
            "path": path,
            "account": account,
            "body": logged,
            "result": reply.code(),
        }));
        reply
    }
}

fn dispatch(op: Op, st: &mut FreebitState, body: &Body) -> Reply {
    match op {
        Op::Auth => authenticate(st, body),
        Op::Detail => reads::detail(st, body),
        Op::Traffic => reads::traffic(st, body),
        Op::QuotaHistory => reads::quota_history(st, body),
        Op::EsimProfile => reads::esim_profile(st, body),
        Op::AddQuota => writes::add_quota(st, body),
        Op::ChangePlan => writes::change_plan(st, body),
        Op::CancelPlanChange => writes::cancel_plan_change(st, body),
        Op::CancelAccount => writes::cancel_account(st, body),
        Op::WithdrawCancellation => writes::withdraw_cancellation(st, body),
        Op::VoiceOptions => writes::voice_options(st, body),
        Op::ContractLine => writes::contract_line(st, body),
        Op::SpeedMode => writes::speed_mode(st, body),
        Op::LineState => writes::line_state(st, body),
        Op::EsimReissue => writes::esim_reissue(st, body),
        Op::MnpReserve => writes::mnp_reserve(st, body),
    }
}

/// `authOem/`: a new `authKey` for the right OEM credentials.
fn authenticate(st: &mut FreebitState, body: &Body) -> Reply {
    let (Some(id), Some(key)) = (field(body, "oemId"), field(body, "oemKey")) else {
        return Reply::error(wire::MISSING);
    };
    if id != OEM_ID || key != OEM_KEY {
        return Reply::error(wire::OEM_REFUSED);
    }
    let (key, expires) = st.issue_key();
    Reply::ok(json!({ "authKey": key, "expireAt": calendar::ymdhms(expires) }))
}

/// The `authKey` check of every other operation.
fn check_key(st: &FreebitState, body: &Body) -> Result<(), Reply> {
    let key = field(body, "authKey").ok_or_else(|| Reply::error(wire::AUTH_MISSING))?;
    match st.keys.get(key.as_ref()) {
        None => Err(Reply::error(wire::AUTH_MISSING)),
        Some(expires) if *expires <= st.now() => Err(Reply::error(wire::AUTH_EXPIRED)),
        Some(_) => Ok(()),
    }
}

impl Simulator for FreebitSimulator {
    fn name(&self) -> &'static str {
        "freebit"
    }

    fn router(&self) -> Router {
        Router::new()
            .route("/emptool/api/{*path}", post(api))
            .route(
                "/_sandbox/clock",
                get(control::get_clock).post(control::set_clock),
            )
            .route("/_sandbox/advance", post(control::advance))
            .route(
                "/_sandbox/settings",
                get(control::get_settings).post(control::set_settings),
            )
            .route(
                "/_sandbox/expire-auth-keys",
                post(control::expire_auth_keys),
            )
            .route("/_sandbox/lines", get(control::list_lines))
            .route(
                "/_sandbox/lines/{account}",
                get(control::get_line).post(control::patch_line),
            )
            .route(
                "/_sandbox/requests",
                get(control::list_requests).delete(control::clear_requests),
            )
            .with_state(self.clone())
    }

    fn reset(&self, seed: &SeedData) {
        *self.lock() = FreebitState::seeded(&seed.sim_lines, OffsetDateTime::now_utc(), false);
    }
}

async fn api(
    State(sim): State<FreebitSimulator>,
    fault: Option<Extension<InjectedFault>>,
    req: Request,
) -> Response {
    let path = req
        .uri()
        .path()
        .trim_start_matches("/emptool/api/")
        .trim_end_matches('/')
        .to_owned();
    let Some(op) = PATHS.iter().find(|(p, _)| *p == path).map(|(_, op)| *op) else {
        return (StatusCode::NOT_FOUND, "Not Found").into_response();
    };
    let mut lose_reply = false;
    if let Some(Extension(InjectedFault(code))) = fault {
        if code == "lost_reply" {
            lose_reply = true;
        } else if let Some(response) = injected(&code) {
            return response;
        }
    }
    let body = match wire::read_json(req).await {
        Ok(body) => body,
        Err(refused) => return refused.into_response(),
    };
    let reply = sim.answer(&path, op, &body);
    if lose_reply {
        // The operation ran; its answer is lost on the way back (a proxy timeout).
        return super::faults::lost_reply();
    }
    reply.into_response()
}

/// Renders a provider fault; `None` for an unknown code (answered normally).
fn injected(code: &str) -> Option<Response> {
    Some(match code {
        "auth_expired" => Reply::error(wire::AUTH_EXPIRED).into_response(),
        "rate_limit" => Reply::error(wire::RATE_LIMITED).into_response(),
        "maintenance" => Reply::error(wire::MAINTENANCE).into_response(),
        "internal" => Reply::error(wire::INTERNAL).into_response(),
        "not_json" => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html")],
            "<!DOCTYPE html><html><body>ログイン</body></html>",
        )
            .into_response(),
        other => {
            tracing::warn!(
                code = other,
                "unknown Freebit fault code; answering normally"
            );
            return None;
        }
    })
}
