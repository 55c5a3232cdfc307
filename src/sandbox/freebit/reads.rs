//! The read operations (reference §2.2 B, C, E, O) and the helpers every operation shares:
//! finding the line, and the per-account rate limits.

use super::calendar::{jst_date, midnight, parse_ymd, ymd, ymdhms};
use super::line::{Line, TALK_OPTIONS};
use super::state::FreebitState;
use super::wire::{self, Reply, field};
use serde_json::{Map, Value, json};
use std::collections::VecDeque;
use time::{Date, Duration, OffsetDateTime};

/// The request body.
pub type Body = Map<String, Value>;

/// The line named by `account` (400-301 without one, 404-210 when unknown or long gone).
pub fn line_mut<'a>(st: &'a mut FreebitState, body: &Body) -> Result<&'a mut Line, Reply> {
    let account = field(body, "account").ok_or_else(|| Reply::error(wire::MISSING))?;
    line_by(st, &account)
}

/// The line with number `account`.
pub fn line_by<'a>(st: &'a mut FreebitState, account: &str) -> Result<&'a mut Line, Reply> {
    let visible = st.lines.get(account).is_some_and(|l| st.visible(l));
    match st.lines.get_mut(account) {
        Some(line) if visible => Ok(line),
        _ => Err(Reply::error(wire::NOT_FOUND)),
    }
}

/// Detail and traffic: 6 a minute per account and operation.
pub fn read_limit(
    on: bool,
    line: &mut Line,
    op: &'static str,
    now: OffsetDateTime,
) -> Result<(), Reply> {
    if !on {
        return Ok(());
    }
    let window: &mut VecDeque<OffsetDateTime> = line.reads.entry(op).or_default();
    while window.front().is_some_and(|t| now - *t >= Duration::MINUTE) {
        window.pop_front();
    }
    if window.len() >= 6 {
        return Err(Reply::error(wire::RATE_LIMITED));
    }
    window.push_back(now);
    Ok(())
}

/// `master/getAcntDetail/`: `{version?, requestDatas:[{kind:"MVNO", account}]}`.
pub fn detail(st: &mut FreebitState, body: &Body) -> Reply {
    let Some(item) = body
        .get("requestDatas")
        .and_then(Value::as_array)
        .and_then(|items| items.first())
        .and_then(Value::as_object)
    else {
        return Reply::error(wire::MISSING);
    };
    if field(item, "kind").as_deref() != Some("MVNO") {
        return Reply::error(wire::BAD_FORMAT);
    }
    let (now, limits, throttle) = (st.now(), st.settings.rate_limits, st.settings.throttle_kbps);
    let line = match line_mut(st, item) {
        Ok(line) => line,
        Err(reply) => return reply,
    };
    if let Err(reply) = read_limit(limits, line, "detail", now) {
        return reply;
    }
    Reply::ok(json!({ "responseDatas": [render(line, throttle)] }))
}

fn render(line: &Line, throttle_kbps: u32) -> Value {
    let buckets: Vec<Value> = line
        .buckets
        .iter()
        .map(|b| {
            json!({
                "type": b.kind,
                "quotaCode": b.code,
                "quotaMb": b.quota_mb.to_string(),
                "remainingMb": (b.remaining_kb / 1024).to_string(),
                "expire": ymd(b.expire),
            })
        })
        .collect();
    let talk = line.talk.map(|talk| {
        let options: Map<String, Value> = TALK_OPTIONS
            .iter()
            .zip(talk)
            .map(|(name, on)| ((*name).to_owned(), json!(if on { "10" } else { "20" })))
            .collect();
        Value::Object(options)
    });
    let orders: Vec<Value> = line
        .orders
        .iter()
        .map(|o| {
            let target = if o.kind == "TALK_OPTION" { Value::Null } else { json!(o.target) };
            json!({ "orderId": o.id, "type": o.kind, "target": target, "scheduledAt": ymdhms(o.due) })
        })
        .collect();
    json!({
        "kind": "MVNO",
        "account": line.account,
        "iccid": line.iccid,
        "imsi": line.imsi,
        "productNumber": line.product_number,
        "eid": line.eid,
        "simForm": line.sim_form,
        "simKind": line.sim_kind,
        "contractLine": line.contract_line,
        "planCode": line.plan_code,
        "state": line.state_code(),
        "stateReason": line.suspended,
        "startDate": ymd(line.start_date),
        "speedMode": if line.speed_low { "20" } else { "10" },
        "throttleKbps": throttle_kbps.to_string(),
        "quota": {
            "totalRemainingMb": (line.remaining_kb() / 1024).to_string(),
            "buckets": buckets,
        },
        "talkOption": talk,
        "reservedPlanChange": line.reserved_plan.as_ref().map(|(code, on)| json!({ "planCode": code, "runTime": ymd(*on) })),
        "reservedCancel": line.cancel_on.map(|on| json!({ "runDate": ymd(on) })),
        "pendingOrders": orders,
        "masterAccount": Value::Null,
    })
}

/// `fromDate`/`toDate` (default: the last 30 days to today; at most 184 days back).
fn range(body: &Body, today: Date) -> Result<(Date, Date), Reply> {
    let read = |key: &str| -> Result<Option<Date>, Reply> {
        match field(body, key) {
            None => Ok(None),
            Some(raw) => parse_ymd(&raw)
                .map(Some)
                .ok_or_else(|| Reply::error(wire::BAD_FORMAT)),
        }
    };
    let to = read("toDate")?.unwrap_or(today);
    let from = read("fromDate")?.unwrap_or(to - Duration::days(29));
    let oldest = today - Duration::days(super::seed::HISTORY_DAYS);
    if from > to || from < oldest || to > today {
        return Err(Reply::error(wire::OUT_OF_RANGE));
    }
    Ok((from, to))
}

/// `mvno/getTrafficInfo/`: `{account, fromDate?, toDate?}`, KB.
pub fn traffic(st: &mut FreebitState, body: &Body) -> Reply {
    let (now, today, limits) = (st.now(), st.today(), st.settings.rate_limits);
    let line = match line_mut(st, body) {
        Ok(line) => line,
        Err(reply) => return reply,
    };
    let (from, to) = match range(body, today) {
        Ok(r) => r,
        Err(reply) => return reply,
    };
    if line.cancelled_on.is_some() {
        return Reply::error(wire::NOT_ACTIVE);
    }
    if line.share_group.is_some() {
        return Reply::error(wire::SHARE_GROUP);
    }
    if super::calendar::plan(&line.plan_code).is_none() {
        return Reply::error(wire::NO_PLAN);
    }
    if let Err(reply) = read_limit(limits, line, "traffic", now) {
        return reply;
    }
    let today_usage = line.today_so_far(now);
    let on = |date: Date| -> (u64, u64) {
        if date == today {
            today_usage
        } else {
            line.usage.get(&date).copied().unwrap_or((0, 0))
        }
    };
    let is_final = |date: Date| now >= midnight(date) + Duration::days(1) + Duration::hours(6);
    let mut daily = Vec::new();
    let mut date = from.max(line.start_date);
    while date <= to {
        let (high, low) = on(date);
        daily.push(json!({
            "date": ymd(date),
            "highSpeedKb": high.to_string(),
            "lowSpeedKb": low.to_string(),
            "final": if is_final(date) { "10" } else { "20" },
        }));
        let Some(next) = date.next_day() else { break };
        date = next;
    }
    let month_total = |first: Date, last: Date| -> u64 {
        let mut sum = 0;
        let mut d = first;
        while d <= last {
            let (h, l) = on(d);
            sum += h + l;
            let Some(next) = d.next_day() else { break };
            d = next;
        }
        sum
    };
    let this_month = today.replace_day(1).unwrap_or(today);
    let last_month = (this_month - Duration::days(1))
        .replace_day(1)
        .unwrap_or(this_month);
    Reply::ok(json!({
        "account": line.account,
        "planCode": line.plan_code,
        "speedMode": if line.speed_low { "20" } else { "10" },
        "asOf": ymdhms(now),
        "trafficInfo": {
            "todayKb": (today_usage.0 + today_usage.1).to_string(),
            "todayFinal": "20",
            "thisMonthKb": month_total(this_month, today).to_string(),
            "lastMonthKb": month_total(last_month, this_month - Duration::days(1)).to_string(),
            "throttled": if line.throttled() { "10" } else { "20" },
            "daily": daily,
        },
    }))
}

/// `mvno/getQuotaHistory/`: `{account, fromDate?, toDate?}` over the addition date.
pub fn quota_history(st: &mut FreebitState, body: &Body) -> Reply {
    let today = st.today();
    let line = match line_mut(st, body) {
        Ok(line) => line,
        Err(reply) => return reply,
    };
    let (from, to) = match (field(body, "fromDate"), field(body, "toDate")) {
        (None, None) => (today - Duration::days(super::seed::HISTORY_DAYS), today),
        _ => match range(body, today) {
            Ok(r) => r,
            Err(reply) => return reply,
        },
    };
    let items: Vec<Value> = line
        .additions
        .iter()
        .filter(|a| (from..=to).contains(&jst_date(a.added_at)))
        .map(|a| {
            let left = line
                .buckets
                .iter()
                .find(|b| b.seq == a.seq)
                .map_or(0, |b| b.remaining_kb / 1024);
            json!({
                "quotaCode": a.code,
                "type": a.kind,
                "quotaMb": a.quota_mb.to_string(),
                "addedAt": ymdhms(a.added_at),
                "expire": ymd(a.expire),
                "remainingMb": left.to_string(),
            })
        })
        .collect();
    Reply::ok(json!({ "account": line.account, "quotaHistory": items }))
}

/// `mvno/esim/getProfile/`: `{account}` (400-356 for a line that never had an eSIM).
pub fn esim_profile(st: &mut FreebitState, body: &Body) -> Reply {
    let line = match line_mut(st, body) {
        Ok(line) => line,
        Err(reply) => return reply,
    };
    if line.orders.iter().any(|o| o.kind == "ESIM_REISSUE") {
        return Reply::ok(json!({
            "account": line.account,
            "profileState": "PREPARING",
            "activationCode": Value::Null,
            "confirmationCodeRequired": "20",
            "expiresAt": Value::Null,
        }));
    }
    let Some(profile) = &line.profile else {
        return Reply::error(wire::UNSUPPORTED);
    };
    Reply::ok(json!({
        "account": line.account,
        "profileState": profile.state,
        "activationCode": profile.activation_code,
        "confirmationCodeRequired": "20",
        "expiresAt": profile.expires_at.map(ymdhms),
    }))
}
