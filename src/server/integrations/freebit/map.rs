//! Pure conversions from Freebit's wire shapes to the portal's SIM domain
//! (`crate::domain::sim`), and of domain values to wire values. Codes are read through
//! [`codes`](super::codes); dates are `YYYYMMDD`, instants `YYYYMMDDhhmmss` in JST; usage is
//! KB (1 KB = 1024 bytes) and quota MB. A value that cannot be read is a
//! [`FreebitError::Decode`] naming the field — never a panic, whatever the input.

use super::codes;
use super::dto::{self, Text, text};
use super::error::FreebitError;
use crate::domain::common::date::JST;
use crate::domain::sim::{
    CancellationScheduled, DailyUsage, EsimProfile, MnpOutReservation, Msisdn, OrderAccepted,
    PendingOperation, PlanChange, PlanCode, QuotaBucket, QuotaHistoryEntry, SimLine, SimUsage,
    SpeedMode, TopUpResult, VoiceOptions, VoiceOptionsChange,
};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

fn bad(field: &str) -> FreebitError {
    FreebitError::Decode(format!("{field}: missing or unreadable"))
}

fn required<'a>(field: &'a Option<Text>, name: &str) -> Result<&'a str, FreebitError> {
    text(field).ok_or_else(|| bad(name))
}

fn number<T: std::str::FromStr>(field: &Option<Text>, name: &str) -> Result<T, FreebitError> {
    required(field, name)?.parse().map_err(|_| bad(name))
}

fn number_or_zero<T: std::str::FromStr + Default>(
    field: &Option<Text>,
    name: &str,
) -> Result<T, FreebitError> {
    match text(field) {
        None => Ok(T::default()),
        Some(_) => number(field, name),
    }
}

/// `YYYYMMDD` (also `YYYY/MM/DD` and `YYYY-MM-DD`, which Freebit accepts in requests).
pub fn parse_date(raw: &str) -> Option<Date> {
    let digits: String = raw.chars().filter(|c| !matches!(c, '/' | '-')).collect();
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = digits[..4].parse().ok()?;
    let month: u8 = digits[4..6].parse().ok()?;
    let day: u8 = digits[6..8].parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// `YYYYMMDDhhmmss`, JST.
pub fn parse_instant(raw: &str) -> Option<OffsetDateTime> {
    let raw = raw.trim();
    if raw.len() != 14 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let date = parse_date(&raw[..8])?;
    let time = Time::from_hms(
        raw[8..10].parse().ok()?,
        raw[10..12].parse().ok()?,
        raw[12..14].parse().ok()?,
    )
    .ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_offset(JST))
}

/// A date as Freebit wants it: `YYYYMMDD`.
pub fn format_date(date: Date) -> String {
    format!(
        "{:04}{:02}{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

fn date_field(field: &Option<Text>, name: &str) -> Result<Date, FreebitError> {
    parse_date(required(field, name)?).ok_or_else(|| bad(name))
}

fn optional_date(field: &Option<Text>, name: &str) -> Result<Option<Date>, FreebitError> {
    text(field)
        .map(|raw| parse_date(raw).ok_or_else(|| bad(name)))
        .transpose()
}

fn optional_instant(
    field: &Option<Text>,
    name: &str,
) -> Result<Option<OffsetDateTime>, FreebitError> {
    text(field)
        .map(|raw| parse_instant(raw).ok_or_else(|| bad(name)))
        .transpose()
}

fn kb_to_bytes(field: &Option<Text>, name: &str) -> Result<u64, FreebitError> {
    Ok(number_or_zero::<u64>(field, name)?.saturating_mul(1024))
}

fn flag_field(field: &Option<Text>, name: &str) -> Result<bool, FreebitError> {
    match text(field) {
        None => Ok(false),
        Some(raw) => codes::parse_flag(raw).ok_or_else(|| bad(name)),
    }
}

fn plan(field: &Option<Text>, name: &str) -> Result<PlanCode, FreebitError> {
    PlanCode::parse(required(field, name)?).map_err(|_| bad(name))
}

/// The line of an account detail answer (the first item of `responseDatas`).
pub fn sim_line(raw: &dto::DetailResponse) -> Result<SimLine, FreebitError> {
    let d = raw
        .response_datas
        .first()
        .ok_or_else(|| bad("responseDatas"))?;
    let msisdn = Msisdn::parse(required(&d.account, "account")?).map_err(|_| bad("account"))?;
    let cancel_on = match &d.reserved_cancel {
        Some(c) => optional_date(&c.run_date, "reservedCancel.runDate")?,
        None => None,
    };
    let state = codes::line_state(
        required(&d.state, "state")?,
        text(&d.state_reason),
        cancel_on,
    )
    .ok_or_else(|| bad("state"))?;
    let kind = codes::sim_kind(required(&d.sim_kind, "simKind")?).ok_or_else(|| bad("simKind"))?;
    let speed = match text(&d.speed_mode) {
        None => SpeedMode::High,
        Some(raw) => codes::speed_mode(raw).ok_or_else(|| bad("speedMode"))?,
    };
    let (remaining_mb, mut buckets) = match &d.quota {
        Some(q) => (
            number_or_zero::<u32>(&q.total_remaining_mb, "quota.totalRemainingMb")?,
            q.buckets
                .iter()
                .map(bucket)
                .collect::<Result<Vec<_>, _>>()?,
        ),
        None => (0, Vec::new()),
    };
    buckets.sort_by_key(|b| b.expires_on);
    let pending_plan_change = match &d.reserved_plan_change {
        Some(r) if text(&r.plan_code).is_some() => Some(PlanChange {
            to: plan(&r.plan_code, "reservedPlanChange.planCode")?,
            effective_on: date_field(&r.run_time, "reservedPlanChange.runTime")?,
        }),
        _ => None,
    };
    let pending = d
        .pending_orders
        .iter()
        .map(|o| {
            Ok(PendingOperation {
                order_id: required(&o.order_id, "pendingOrders.orderId")?.to_owned(),
                kind: codes::operation_kind(text(&o.kind).unwrap_or_default()),
                target: text(&o.target).map(str::to_owned),
                effective_at: optional_instant(&o.scheduled_at, "pendingOrders.scheduledAt")?,
            })
        })
        .collect::<Result<Vec<_>, FreebitError>>()?;
    let voice = match &d.talk_option {
        Some(t) if kind.has_voice() => Some(voice_options(t)?),
        _ => None,
    };
    Ok(SimLine {
        msisdn,
        iccid: text(&d.iccid).map(str::to_owned),
        eid: text(&d.eid).map(str::to_owned),
        product_number: text(&d.product_number).map(str::to_owned),
        form: codes::sim_form(required(&d.sim_form, "simForm")?).ok_or_else(|| bad("simForm"))?,
        kind,
        network: codes::network(required(&d.contract_line, "contractLine")?)
            .ok_or_else(|| bad("contractLine"))?,
        plan: plan(&d.plan_code, "planCode")?,
        state,
        started_on: optional_date(&d.start_date, "startDate")?,
        speed,
        throttled: speed == SpeedMode::Low || remaining_mb == 0,
        throttle_kbps: number_or_zero(&d.throttle_kbps, "throttleKbps")?,
        remaining_mb,
        buckets,
        voice,
        pending_plan_change,
        pending,
    })
}

fn bucket(b: &dto::Bucket) -> Result<QuotaBucket, FreebitError> {
    Ok(QuotaBucket {
        source: codes::quota_source(required(&b.kind, "buckets.type")?)
            .ok_or_else(|| bad("buckets.type"))?,
        code: text(&b.quota_code).map(str::to_owned),
        granted_mb: number_or_zero(&b.quota_mb, "buckets.quotaMb")?,
        remaining_mb: number_or_zero(&b.remaining_mb, "buckets.remainingMb")?,
        expires_on: date_field(&b.expire, "buckets.expire")?,
    })
}

fn voice_options(t: &dto::TalkOption) -> Result<VoiceOptions, FreebitError> {
    let read = |v: &Option<String>, name: &str| match v.as_deref().map(str::trim) {
        None | Some("") => Ok(false),
        Some(raw) => codes::parse_flag(raw).ok_or_else(|| bad(name)),
    };
    Ok(VoiceOptions {
        voicemail: read(&t.voice_mail, "talkOption.voiceMail")?,
        call_waiting: read(&t.call_waiting, "talkOption.callWaiting")?,
        call_forwarding: read(&t.call_transfer, "talkOption.callTransfer")?,
        intl_calling: read(&t.intl_call, "talkOption.intlCall")?,
        intl_roaming: read(&t.intl_roaming, "talkOption.intlRoaming")?,
    })
}

/// The `talkOption` of a change request: only the options that change.
pub fn talk_option_change(change: &VoiceOptionsChange) -> dto::TalkOption {
    let flag = |v: Option<bool>| v.map(|on| codes::flag(on).to_owned());
    dto::TalkOption {
        voice_mail: flag(change.voicemail),
        call_waiting: flag(change.call_waiting),
        call_transfer: flag(change.call_forwarding),
        intl_call: flag(change.intl_calling),
        intl_roaming: flag(change.intl_roaming),
    }
}

/// A traffic answer.
pub fn usage(msisdn: &Msisdn, raw: &dto::TrafficResponse) -> Result<SimUsage, FreebitError> {
    let info = raw
        .traffic_info
        .as_ref()
        .ok_or_else(|| bad("trafficInfo"))?;
    let mut days = info
        .daily
        .iter()
        .map(|d| {
            Ok(DailyUsage {
                date: date_field(&d.date, "daily.date")?,
                high_speed_bytes: kb_to_bytes(&d.high_speed_kb, "daily.highSpeedKb")?,
                throttled_bytes: kb_to_bytes(&d.low_speed_kb, "daily.lowSpeedKb")?,
                provisional: !flag_field(&d.is_final, "daily.final")?,
            })
        })
        .collect::<Result<Vec<_>, FreebitError>>()?;
    days.sort_by_key(|d| d.date);
    Ok(SimUsage {
        msisdn: msisdn.clone(),
        plan: text(&raw.plan_code).and_then(|p| PlanCode::parse(p).ok()),
        days,
        today_bytes: kb_to_bytes(&info.today_kb, "todayKb")?,
        this_month_bytes: kb_to_bytes(&info.this_month_kb, "thisMonthKb")?,
        last_month_bytes: kb_to_bytes(&info.last_month_kb, "lastMonthKb")?,
        throttled: flag_field(&info.throttled, "throttled")?,
        as_of: optional_instant(&raw.as_of, "asOf")?.ok_or_else(|| bad("asOf"))?,
    })
}

/// A quota history answer, newest first.
pub fn quota_history(
    raw: &dto::QuotaHistoryResponse,
) -> Result<Vec<QuotaHistoryEntry>, FreebitError> {
    let mut out = raw
        .quota_history
        .iter()
        .map(|h| {
            Ok(QuotaHistoryEntry {
                quota_code: text(&h.quota_code).map(str::to_owned),
                source: codes::quota_source(required(&h.kind, "quotaHistory.type")?)
                    .ok_or_else(|| bad("quotaHistory.type"))?,
                granted_mb: number_or_zero(&h.quota_mb, "quotaHistory.quotaMb")?,
                added_at: optional_instant(&h.added_at, "quotaHistory.addedAt")?,
                expires_on: date_field(&h.expire, "quotaHistory.expire")?,
                remaining_mb: number_or_zero(&h.remaining_mb, "quotaHistory.remainingMb")?,
            })
        })
        .collect::<Result<Vec<_>, FreebitError>>()?;
    out.sort_by_key(|h| std::cmp::Reverse(h.added_at));
    Ok(out)
}

/// A quota addition's answer; `already_applied` when it came with 409-335.
pub fn top_up(
    raw: &dto::AddQuotaResponse,
    sent_code: &str,
    already_applied: bool,
) -> Result<TopUpResult, FreebitError> {
    Ok(TopUpResult {
        quota_code: text(&raw.quota_code).unwrap_or(sent_code).to_owned(),
        added_mb: number(&raw.added_mb, "addedMb")?,
        expires_on: date_field(&raw.expire, "expire")?,
        remaining_mb: number_or_zero(&raw.remaining_mb, "remainingMb")?,
        already_applied,
    })
}

/// A plan change's answer.
pub fn plan_change(
    raw: &dto::PlanChangeResponse,
    asked: &PlanChange,
) -> Result<PlanChange, FreebitError> {
    Ok(PlanChange {
        to: text(&raw.plan_code)
            .and_then(|p| PlanCode::parse(p).ok())
            .unwrap_or_else(|| asked.to.clone()),
        effective_on: optional_date(&raw.run_time, "runTime")?.unwrap_or(asked.effective_on),
    })
}

/// A cancellation's answer.
pub fn cancellation(
    raw: &dto::CancelResponse,
    asked: Date,
) -> Result<CancellationScheduled, FreebitError> {
    Ok(CancellationScheduled {
        effective_on: optional_date(&raw.run_date, "runDate")?.unwrap_or(asked),
    })
}

/// An accepted order.
pub fn order(raw: &dto::OrderResponse) -> Result<OrderAccepted, FreebitError> {
    Ok(OrderAccepted {
        order_id: required(&raw.order_id, "orderId")?.to_owned(),
        scheduled_at: optional_instant(&raw.scheduled_at, "scheduledAt")?,
    })
}

/// An eSIM profile.
pub fn esim_profile(raw: &dto::ProfileResponse) -> Result<EsimProfile, FreebitError> {
    Ok(EsimProfile {
        state: codes::profile_state(required(&raw.profile_state, "profileState")?)
            .ok_or_else(|| bad("profileState"))?,
        activation_code: text(&raw.activation_code)
            .filter(|c| c.starts_with("LPA:"))
            .map(str::to_owned),
        confirmation_code_required: flag_field(
            &raw.confirmation_code_required,
            "confirmationCodeRequired",
        )?,
        expires_at: optional_instant(&raw.expires_at, "expiresAt")?,
    })
}

/// An MNP-out reservation.
pub fn mnp_reservation(raw: &dto::MnpResponse) -> Result<MnpOutReservation, FreebitError> {
    let number = required(&raw.reserve_number, "reserveNumber")?;
    if number.len() != 10 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("reserveNumber"));
    }
    Ok(MnpOutReservation {
        number: number.to_owned(),
        expires_on: date_field(&raw.reserve_expire_date, "reserveExpireDate")?,
    })
}

#[cfg(test)]
mod tests;
