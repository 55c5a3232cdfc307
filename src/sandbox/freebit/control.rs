//! `/_sandbox/…` on the Freebit simulator's port (not part of Freebit): the virtual clock,
//! settings, line state and the decoded request log, for tests and demos. Faults and the
//! HTTP call log are the host's (`/faults`, `/calls` on the control API).

use super::FreebitSimulator;
use super::calendar::{ymd, ymdhms};
use super::line::Line;
use super::state::Settings;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

fn clock_view(sim: &FreebitSimulator) -> Value {
    let st = sim.lock();
    let now = st.now();
    json!({
        "now": now.format(&Rfc3339).unwrap_or_default(),
        "jst": ymdhms(now),
        "today": ymd(st.today()),
        "frozen": st.clock.is_frozen(),
    })
}

/// `GET /_sandbox/clock`.
pub async fn get_clock(State(sim): State<FreebitSimulator>) -> Json<Value> {
    Json(clock_view(&sim))
}

/// Body of `POST /_sandbox/clock`.
#[derive(Deserialize)]
pub struct SetClock {
    /// RFC 3339; the lines are seeded again as of this instant.
    now: Option<String>,
    /// Stand still (advance only with `/_sandbox/advance`).
    #[serde(default)]
    frozen: Option<bool>,
}

/// `POST /_sandbox/clock` `{"now"?: RFC 3339, "frozen"?: bool}`: with `now`, the seed is
/// loaded again as of that instant (so a test starts from known dates); without, only
/// `frozen` changes.
pub async fn set_clock(
    State(sim): State<FreebitSimulator>,
    Json(body): Json<SetClock>,
) -> Response {
    let at = match body
        .now
        .as_deref()
        .map(|n| OffsetDateTime::parse(n, &Rfc3339))
    {
        Some(Err(_)) => {
            return (StatusCode::UNPROCESSABLE_ENTITY, "now must be RFC 3339").into_response();
        }
        Some(Ok(at)) => Some(at),
        None => None,
    };
    {
        let mut st = sim.lock();
        let frozen = body.frozen.unwrap_or(st.clock.is_frozen());
        match at {
            Some(at) => st.reseed_at(at, frozen),
            None => {
                let now = st.now();
                st.clock.set(now, frozen);
            }
        }
    }
    Json(clock_view(&sim)).into_response()
}

/// Body of `POST /_sandbox/advance`.
#[derive(Deserialize)]
pub struct Advance {
    seconds: i64,
}

/// `POST /_sandbox/advance` `{"seconds": n}`: time moves on; due orders, day closes, month
/// starts and cancellations happen.
pub async fn advance(State(sim): State<FreebitSimulator>, Json(body): Json<Advance>) -> Response {
    if body.seconds < 0 {
        return (StatusCode::UNPROCESSABLE_ENTITY, "time only moves forward").into_response();
    }
    {
        let mut st = sim.lock();
        st.clock.advance(Duration::seconds(body.seconds));
        st.catch_up();
    }
    Json(clock_view(&sim)).into_response()
}

/// `GET /_sandbox/settings`.
pub async fn get_settings(State(sim): State<FreebitSimulator>) -> Json<Settings> {
    Json(sim.lock().settings.clone())
}

/// `POST /_sandbox/settings` with any of the [`Settings`] fields.
pub async fn set_settings(
    State(sim): State<FreebitSimulator>,
    Json(patch): Json<Value>,
) -> Response {
    let mut st = sim.lock();
    let mut merged = serde_json::to_value(&st.settings).unwrap_or_default();
    if let (Value::Object(into), Value::Object(from)) = (&mut merged, patch) {
        into.extend(from);
    }
    match serde_json::from_value::<Settings>(merged) {
        Ok(settings) => {
            st.settings = settings.clone();
            Json(settings).into_response()
        }
        Err(e) => (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()).into_response(),
    }
}

/// `POST /_sandbox/expire-auth-keys`: every issued `authKey` is expired (401-202 on use).
pub async fn expire_auth_keys(State(sim): State<FreebitSimulator>) -> StatusCode {
    let mut st = sim.lock();
    let past = st.now() - Duration::SECOND;
    for expiry in st.keys.values_mut() {
        *expiry = past;
    }
    StatusCode::NO_CONTENT
}

fn line_view(line: &Line) -> Value {
    let buckets: Vec<Value> = line
        .buckets
        .iter()
        .map(|b| json!({ "type": b.kind, "code": b.code, "quota_mb": b.quota_mb, "remaining_kb": b.remaining_kb, "expire": ymd(b.expire) }))
        .collect();
    let additions: Vec<Value> = line
        .additions
        .iter()
        .map(|b| json!({ "type": b.kind, "code": b.code, "quota_mb": b.quota_mb, "added_at": ymdhms(b.added_at), "expire": ymd(b.expire) }))
        .collect();
    let orders: Vec<Value> = line
        .orders
        .iter()
        .map(|o| json!({ "id": o.id, "type": o.kind, "target": o.target, "due": ymdhms(o.due) }))
        .collect();
    let usage: serde_json::Map<String, Value> = line
        .usage
        .iter()
        .rev()
        .take(62)
        .map(|(d, (high, low))| (ymd(*d), json!([high, low])))
        .collect();
    json!({
        "account": line.account,
        "state": line.state_code(),
        "suspended": line.suspended,
        "plan_code": line.plan_code,
        "reserved_plan": line.reserved_plan.as_ref().map(|(c, d)| json!({ "plan_code": c, "on": ymd(*d) })),
        "cancel_on": line.cancel_on.map(ymd),
        "cancelled_on": line.cancelled_on.map(ymd),
        "contract_line": line.contract_line,
        "sim_form": line.sim_form,
        "sim_kind": line.sim_kind,
        "iccid": line.iccid,
        "eid": line.eid,
        "speed_low": line.speed_low,
        "share_group": line.share_group,
        "daily_mb": line.daily_mb,
        "remaining_kb": line.remaining_kb(),
        "buckets": buckets,
        "additions": additions,
        "orders": orders,
        "applied_codes": line.applied_codes.keys().collect::<Vec<_>>(),
        "profile": line.profile.as_ref().map(|p| json!({ "state": p.state, "activation_code": p.activation_code })),
        "mnp": line.mnp.as_ref().map(|(n, d)| json!({ "number": n, "until": ymd(*d) })),
        "usage": usage,
    })
}

/// `GET /_sandbox/lines`: every line, as stored (after catching up with the clock).
pub async fn list_lines(State(sim): State<FreebitSimulator>) -> Json<Value> {
    let mut st = sim.lock();
    st.catch_up();
    Json(Value::Array(st.lines.values().map(line_view).collect()))
}

/// `GET /_sandbox/lines/{account}` (digits or with hyphens).
pub async fn get_line(
    State(sim): State<FreebitSimulator>,
    Path(account): Path<String>,
) -> Response {
    let mut st = sim.lock();
    st.catch_up();
    let digits: String = account.chars().filter(char::is_ascii_digit).collect();
    match st.lines.get(&digits) {
        Some(line) => Json(line_view(line)).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Body of `POST /_sandbox/lines/{account}`.
#[derive(Deserialize)]
pub struct LinePatch {
    /// Put the SIM inside a share group (`null` takes it out).
    #[serde(default, with = "double_option")]
    share_group: Option<Option<String>>,
    /// Set the plan code directly (an unknown code means "no plan": 409-336 on traffic).
    plan_code: Option<String>,
    /// The usage generator's daily mean, MB.
    daily_mb: Option<u32>,
}

mod double_option {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<String>>, D::Error> {
        Option::<String>::deserialize(d).map(Some)
    }
}

/// `POST /_sandbox/lines/{account}` `{"share_group"?, "plan_code"?, "daily_mb"?}`: set up
/// situations the seed does not have.
pub async fn patch_line(
    State(sim): State<FreebitSimulator>,
    Path(account): Path<String>,
    Json(patch): Json<LinePatch>,
) -> Response {
    let mut st = sim.lock();
    st.catch_up();
    let digits: String = account.chars().filter(char::is_ascii_digit).collect();
    let Some(line) = st.lines.get_mut(&digits) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if let Some(group) = patch.share_group {
        line.share_group = group;
    }
    if let Some(plan) = patch.plan_code {
        line.plan_code = plan;
    }
    if let Some(mb) = patch.daily_mb {
        line.daily_mb = mb;
    }
    Json(line_view(line)).into_response()
}

/// `GET /_sandbox/requests`: decoded requests, oldest first (`authKey`/`oemKey` removed).
pub async fn list_requests(State(sim): State<FreebitSimulator>) -> Json<Value> {
    Json(Value::Array(sim.lock().requests.iter().cloned().collect()))
}

/// `DELETE /_sandbox/requests`.
pub async fn clear_requests(State(sim): State<FreebitSimulator>) -> StatusCode {
    sim.lock().requests.clear();
    StatusCode::NO_CONTENT
}
