//! The write operations (reference §2.2 D, F–N, P) with the rules of §2.3/§2.4. Checks run
//! in a fixed order: parameters (400), the line (404), a repeated `quotaCode` (409-335, before
//! anything else so a retry is always answered), the per-account rate limit (429), then the
//! line's state (409-330 suspended or cancelled, 409-331 locked by a running order, …).

use super::calendar::{is_month_end, parse_ymd, plan, ymd, ymdhms};
use super::line::{Line, Order, TALK_OPTIONS};
use super::reads::{Body, line_mut};
use super::state::{FreebitState, top_up_bucket};
use super::wire::{self, Code, Reply, field};
use serde_json::{Map, Value, json};
use time::{Duration, OffsetDateTime};

/// Largest top-up, MB (PA04-04).
const MAX_QUOTA_MB: u32 = 512_000;

/// Writes: 1 per 10 s per account (simulator clock).
fn write_limit(on: bool, line: &mut Line, now: OffsetDateTime) -> Result<(), Reply> {
    if on
        && line
            .last_write
            .is_some_and(|t| now - t < Duration::seconds(10))
    {
        return Err(Reply::error(wire::RATE_LIMITED));
    }
    line.last_write = Some(now);
    Ok(())
}

/// The usual gate of a write: rate limit, then not suspended/cancelled, then not locked.
fn gate(st: &FreebitState, line: &mut Line, lock: bool) -> Result<(), Reply> {
    write_limit(st.settings.rate_limits, line, st.now())?;
    if !line.in_service() {
        return Err(Reply::error(wire::NOT_ACTIVE));
    }
    if lock && line.locked() {
        return Err(Reply::error(wire::LOCKED));
    }
    Ok(())
}

fn fail(code: Code) -> Reply {
    Reply::error(code)
}

/// Runs `op` on the line named in `body`, with the state's settings and clock at hand.
fn with_line(
    st: &mut FreebitState,
    body: &Body,
    op: impl FnOnce(&mut FreebitState, &mut Line) -> Result<Value, Reply>,
) -> Reply {
    let account = match field(body, "account") {
        Some(a) => a.into_owned(),
        None => return fail(wire::MISSING),
    };
    if let Err(reply) = line_mut(st, body) {
        return reply;
    }
    // Taken out while `op` runs, so that it can use the state's clock, settings and counters.
    let Some(mut line) = st.lines.remove(&account) else {
        return fail(wire::NOT_FOUND);
    };
    let result = op(st, &mut line);
    // Rate-limit stamps and effects are kept even when the request is refused afterwards.
    st.lines.insert(account, line);
    match result {
        Ok(payload) => Reply::ok(payload),
        Err(reply) => reply,
    }
}

fn require_mvno(body: &Body) -> Result<(), Reply> {
    match field(body, "kind").as_deref() {
        None => Err(fail(wire::MISSING)),
        Some("MVNO") => Ok(()),
        Some(_) => Err(fail(wire::BAD_FORMAT)),
    }
}

/// `master/addSpec/`: `{kind:"MVNO", account, quota, quotaCode?, expire?}`.
pub fn add_quota(st: &mut FreebitState, body: &Body) -> Reply {
    if let Err(reply) = require_mvno(body) {
        return reply;
    }
    let quota = match field(body, "quota") {
        None => return fail(wire::MISSING),
        Some(raw) if raw.len() <= 6 && raw.bytes().all(|b| b.is_ascii_digit()) => {
            raw.parse::<u32>().unwrap_or(0)
        }
        Some(_) => return fail(wire::BAD_FORMAT),
    };
    if !(1..=MAX_QUOTA_MB).contains(&quota) {
        return fail(wire::OUT_OF_RANGE);
    }
    let code = field(body, "quotaCode").map(|c| c.into_owned());
    if code.as_ref().is_some_and(|c| c.chars().count() > 512) {
        return fail(wire::OUT_OF_RANGE);
    }
    let today = st.today();
    let expire = match field(body, "expire") {
        None => None,
        Some(raw) => match parse_ymd(&raw) {
            None => return fail(wire::BAD_FORMAT),
            Some(d) if d < today || d > today + Duration::days(92) => {
                return fail(wire::OUT_OF_RANGE);
            }
            Some(d) => Some(d),
        },
    };
    with_line(st, body, |st, line| {
        if line.share_group.is_some() {
            return Err(fail(wire::SHARE_GROUP));
        }
        if let Some(original) = code.as_ref().and_then(|c| line.applied_codes.get(c)) {
            return Err(Reply::error_with(wire::DUPLICATE, original.clone()));
        }
        gate(st, line, true)?;
        st.seq += 1;
        let bucket = top_up_bucket(code.as_deref(), quota, st.now(), expire, st.seq);
        let expire = ymd(bucket.expire);
        line.add_bucket(bucket);
        let answer = json!({
            "account": line.account,
            "quotaCode": code,
            "addedMb": quota.to_string(),
            "expire": expire,
            "remainingMb": (line.remaining_kb() / 1024).to_string(),
        });
        if let Some(code) = &code {
            line.applied_codes.insert(code.clone(), answer.clone());
        }
        Ok(answer)
    })
}

/// `mvno/changePlan/`: `{account, planCode, globalIp?, runTime?}`.
pub fn change_plan(st: &mut FreebitState, body: &Body) -> Reply {
    let Some(code) = field(body, "planCode").map(|c| c.into_owned()) else {
        return fail(wire::MISSING);
    };
    let Some(new_plan) = plan(&code) else {
        return fail(wire::BAD_FORMAT);
    };
    let today = st.today();
    let run = match field(body, "runTime") {
        None => None,
        Some(raw) => match parse_ymd(&raw) {
            None => return fail(wire::BAD_FORMAT),
            Some(d) if d.day() != 1 || d <= today => return fail(wire::OUT_OF_RANGE),
            Some(d) => Some(d),
        },
    };
    with_line(st, body, |st, line| {
        gate(st, line, true)?;
        if line.cancel_on.is_some() {
            return Err(fail(wire::CANCEL_SCHEDULED));
        }
        if new_plan.voice != line.is_voice() {
            return Err(fail(wire::UNSUPPORTED));
        }
        if line.reserved_plan.is_some() || is_month_end(today) {
            return Err(fail(wire::PLAN_RESERVED));
        }
        if code == line.plan_code {
            return Err(fail(wire::NO_CHANGE));
        }
        match run {
            Some(on) => line.reserved_plan = Some((code.clone(), on)),
            // Immediate: the new allowance is granted from next month.
            None => line.plan_code = code.clone(),
        }
        Ok(json!({
            "account": line.account,
            "planCode": code,
            "runTime": run.map(ymd),
            "ipv4": Value::Null,
        }))
    })
}

/// `mvno/cancelPlanChange/`: `{account}` — withdraws the booked change (409-334 if none).
pub fn cancel_plan_change(st: &mut FreebitState, body: &Body) -> Reply {
    with_line(st, body, |st, line| {
        write_limit(st.settings.rate_limits, line, st.now())?;
        if line.reserved_plan.take().is_none() {
            return Err(fail(wire::NO_CHANGE));
        }
        Ok(json!({ "account": line.account }))
    })
}

/// `master/cnclAcnt/`: `{kind:"MVNO", account, runDate?}` (none = now).
pub fn cancel_account(st: &mut FreebitState, body: &Body) -> Reply {
    if let Err(reply) = require_mvno(body) {
        return reply;
    }
    let today = st.today();
    let run = match field(body, "runDate") {
        None => today,
        Some(raw) => match parse_ymd(&raw) {
            None => return fail(wire::BAD_FORMAT),
            Some(d) if d < today => return fail(wire::OUT_OF_RANGE),
            Some(d) => d,
        },
    };
    with_line(st, body, |st, line| {
        write_limit(st.settings.rate_limits, line, st.now())?;
        if line.cancelled_on.is_some() {
            return Err(fail(wire::NOT_ACTIVE));
        }
        if line.cancel_on.is_some() {
            return Err(fail(wire::CANCEL_SCHEDULED));
        }
        if line.locked() {
            return Err(fail(wire::LOCKED));
        }
        line.cancel_on = Some(run);
        Ok(json!({ "account": line.account, "runDate": ymd(run) }))
    })
}

/// `master/cancelCnclAcnt/`: `{kind:"MVNO", account}` — before the cancellation lands.
pub fn withdraw_cancellation(st: &mut FreebitState, body: &Body) -> Reply {
    if let Err(reply) = require_mvno(body) {
        return reply;
    }
    with_line(st, body, |st, line| {
        write_limit(st.settings.rate_limits, line, st.now())?;
        if line.cancelled_on.is_some() {
            return Err(fail(wire::NOT_ACTIVE));
        }
        if line.cancel_on.take().is_none() {
            return Err(fail(wire::NO_CHANGE));
        }
        Ok(json!({ "account": line.account }))
    })
}

/// Starts an order on the line and answers `{account, orderId, scheduledAt}`.
fn start_order(
    st: &FreebitState,
    line: &mut Line,
    id: String,
    kind: &'static str,
    target: String,
    delay_secs: i64,
) -> Value {
    let due = st.now() + Duration::seconds(delay_secs);
    line.orders.push(Order {
        id: id.clone(),
        kind,
        target,
        due,
    });
    json!({ "account": line.account, "orderId": id, "scheduledAt": ymdhms(due) })
}

/// `mvno/talkoption/changeOrder/`: `{account, userConfirmed:"10", talkOption:{…}}`.
pub fn voice_options(st: &mut FreebitState, body: &Body) -> Reply {
    if field(body, "userConfirmed").as_deref() != Some("10") {
        return fail(wire::NOT_CONFIRMED);
    }
    let Some(options) = body.get("talkOption").and_then(Value::as_object) else {
        return fail(wire::NOT_CONFIRMED);
    };
    if options.is_empty() {
        return fail(wire::NOT_CONFIRMED);
    }
    let valid = options.iter().all(|(k, v)| {
        TALK_OPTIONS.contains(&k.as_str()) && matches!(v.as_str(), Some("10" | "20"))
    });
    if !valid {
        return fail(wire::BAD_FORMAT);
    }
    let change = Value::Object(options.clone()).to_string();
    with_line(st, body, |st, line| {
        if !line.is_voice() {
            return Err(fail(wire::UNSUPPORTED));
        }
        gate(st, line, true)?;
        let (id, delay) = (st.order_id(), st.settings.voice_delay_secs);
        Ok(start_order(st, line, id, "TALK_OPTION", change, delay))
    })
}

/// `mvno/contractline/change/`: `{account, productNumber?, contractLine:"4G"|"5G"}`.
pub fn contract_line(st: &mut FreebitState, body: &Body) -> Reply {
    let target = match field(body, "contractLine").as_deref() {
        None => return fail(wire::MISSING),
        Some(t @ ("4G" | "5G")) => t.to_owned(),
        Some(_) => return fail(wire::BAD_FORMAT),
    };
    with_line(st, body, |st, line| {
        gate(st, line, true)?;
        if line.contract_line == target {
            return Err(fail(wire::NO_CHANGE));
        }
        let (id, delay) = (st.order_id(), st.settings.contract_line_delay_secs);
        Ok(start_order(st, line, id, "CONTRACT_LINE", target, delay))
    })
}

/// `mvno/changeSpeed/`: `{account, speedMode:"10"|"20"}` (synchronous; 1 a minute).
pub fn speed_mode(st: &mut FreebitState, body: &Body) -> Reply {
    let low = match field(body, "speedMode").as_deref() {
        None => return fail(wire::MISSING),
        Some("10") => false,
        Some("20") => true,
        Some(_) => return fail(wire::BAD_FORMAT),
    };
    with_line(st, body, |st, line| {
        let now = st.now();
        if st.settings.rate_limits
            && line
                .last_speed_change
                .is_some_and(|t| now - t < Duration::MINUTE)
        {
            return Err(fail(wire::RATE_LIMITED));
        }
        gate(st, line, false)?;
        line.last_speed_change = Some(now);
        line.speed_low = low;
        Ok(json!({ "account": line.account, "speedMode": if low { "20" } else { "10" } }))
    })
}

/// `mvno/changeState/`: `{account, state:"20" suspend | "10" resume, reason?}`.
pub fn line_state(st: &mut FreebitState, body: &Body) -> Reply {
    let suspend = match field(body, "state").as_deref() {
        None => return fail(wire::MISSING),
        Some("20") => true,
        Some("10") => false,
        Some(_) => return fail(wire::BAD_FORMAT),
    };
    let reason = match (suspend, field(body, "reason").as_deref()) {
        (false, _) => None,
        (true, None) => return fail(wire::MISSING),
        (true, Some(r @ ("LOST" | "CUSTOMER" | "NONPAYMENT"))) => Some(r.to_owned()),
        (true, Some(_)) => return fail(wire::BAD_FORMAT),
    };
    with_line(st, body, |st, line| {
        write_limit(st.settings.rate_limits, line, st.now())?;
        if line.cancelled_on.is_some() {
            return Err(fail(wire::NOT_ACTIVE));
        }
        line.suspended = reason;
        Ok(json!({ "account": line.account, "state": line.state_code() }))
    })
}

/// `mvno/esim/addAcnt/` (reissue): `{account, addKind:"R", eid, reissue:{…}, aladinOperated?}`.
pub fn esim_reissue(st: &mut FreebitState, body: &Body) -> Reply {
    let Some(kind) = field(body, "addKind") else {
        return fail(wire::MISSING);
    };
    // The one evidenced rule (PA05-41): aladinOperated "10" only with addKind "N".
    if field(body, "aladinOperated").as_deref() == Some("10") && kind != "N" {
        return fail(wire::UNSUPPORTED);
    }
    if kind != "R" {
        // New lines and MNP-in are not simulated.
        return fail(wire::UNSUPPORTED);
    }
    let eid = match field(body, "eid") {
        None => return fail(wire::MISSING),
        Some(e) if e.len() == 32 && e.bytes().all(|b| b.is_ascii_digit()) => e.into_owned(),
        Some(_) => return fail(wire::BAD_FORMAT),
    };
    with_line(st, body, |st, line| {
        gate(st, line, true)?;
        line.profile = None;
        let (id, delay) = (st.order_id(), st.settings.esim_delay_secs);
        Ok(start_order(st, line, id, "ESIM_REISSUE", eid, delay))
    })
}

/// `mvno/mnp/reserveOut/`: `{account}` — a 10-digit number valid 15 days counting today
/// (the same one while it is valid).
pub fn mnp_reserve(st: &mut FreebitState, body: &Body) -> Reply {
    let today = st.today();
    with_line(st, body, |st, line| {
        gate(st, line, false)?;
        let valid = line.mnp.clone().filter(|(_, until)| *until >= today);
        let (number, until) = valid.unwrap_or_else(|| {
            let digits: String = st.order_id().chars().filter(char::is_ascii_digit).collect();
            let tail = &line.account[line.account.len().saturating_sub(4)..];
            (
                format!("{digits:0>6}{tail:0>4}"),
                today + Duration::days(14),
            )
        });
        line.mnp = Some((number.clone(), until));
        let mut answer = Map::new();
        answer.insert("account".into(), json!(line.account));
        answer.insert("reserveNumber".into(), json!(number));
        answer.insert("reserveExpireDate".into(), json!(ymd(until)));
        Ok(Value::Object(answer))
    })
}
