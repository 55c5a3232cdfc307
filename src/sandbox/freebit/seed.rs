//! Builds a line from the seed (`sim_lines` of `sandbox/seed.json`) as of an instant: 184
//! days of generated history, then last month and this month simulated day by day with the
//! same rules as live time (allowance, carry-over, usage, top-ups, the suspension), so the
//! quota left is exactly what the usage shown implies.

use super::calendar::{daily_kb, jst_date, midnight};
use super::line::{Line, Profile, TALK_OPTIONS};
use super::state::top_up_bucket;
use crate::domain::sim::{Msisdn, first_of_next_month};
use crate::sandbox::SeedSimLine;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use time::{Date, Duration, OffsetDateTime};

/// Days of usage history kept (reference §2.4 rule 12).
pub const HISTORY_DAYS: i64 = 184;

/// The line, or `None` when its number is not one.
pub fn build(seed: &SeedSimLine, now: OffsetDateTime, seq: &mut u64) -> Option<Line> {
    let account = Msisdn::parse(&seed.msisdn).ok()?.digits().to_owned();
    let today = jst_date(now);
    let started = today - Duration::days(i64::from(seed.started_days_ago));
    let this_month = today.replace_day(1).ok()?;
    let start = (this_month - Duration::days(1)).replace_day(1).ok()?;
    let suspended_on = seed.suspended.as_ref().map(|s| {
        (
            today - Duration::days(i64::from(s.days_ago)),
            s.reason.clone(),
        )
    });
    let esim = seed.form == "esim";
    let mut line = Line {
        imsi: format!("44010{:0>10}", &account[account.len().saturating_sub(10)..]),
        account,
        iccid: seed.iccid.clone(),
        product_number: seed.product_number.clone(),
        eid: seed.eid.clone(),
        sim_form: if esim { "20" } else { "10" },
        sim_kind: seed.sim_kind.clone(),
        contract_line: seed.network.clone(),
        plan_code: seed.plan.clone(),
        start_date: started,
        suspended: None,
        cancel_on: None,
        cancelled_on: None,
        share_group: None,
        speed_low: false,
        daily_mb: seed.daily_mb,
        buckets: Vec::new(),
        additions: Vec::new(),
        talk: (seed.sim_kind == "E0")
            .then(|| TALK_OPTIONS.map(|name| seed.voice_options.iter().any(|o| o == name))),
        reserved_plan: None,
        orders: Vec::new(),
        usage: BTreeMap::new(),
        applied_codes: HashMap::new(),
        profile: esim.then_some(Profile {
            state: "INSTALLED",
            activation_code: None,
            expires_at: None,
        }),
        mnp: None,
        reads: HashMap::new(),
        last_write: None,
        last_speed_change: None,
    };
    let mut day = (today - Duration::days(HISTORY_DAYS)).max(started);
    while day < start {
        let used = if suspended_on.as_ref().is_none_or(|(on, _)| day < *on) {
            daily_kb(&line.account, day, line.daily_mb)
        } else {
            0
        };
        line.usage.insert(day, (used, 0));
        day = day.next_day()?;
    }
    // Last month opens with a quarter of an allowance carried over from the month before.
    let allowance = super::calendar::plan(&seed.plan).map_or(0, |p| p.quota_mb);
    *seq += 1;
    line.add_bucket(super::line::Bucket {
        kind: "CARRYOVER",
        code: None,
        quota_mb: allowance / 4,
        remaining_kb: u64::from(allowance / 4) * 1024,
        expire: this_month - Duration::days(1),
        added_at: midnight(start),
        seq: *seq,
    });
    line.grant_plan(start, seq);
    let mut day = start;
    loop {
        events(seed, &mut line, day, today, suspended_on.as_ref(), seq);
        if day >= today {
            break;
        }
        line.close_day(day);
        day = day.next_day()?;
        line.start_day(day, seq);
    }
    if let Some(plan) = &seed.pending_plan_change {
        line.reserved_plan = Some((plan.clone(), first_of_next_month(today)));
    }
    Some(line)
}

/// What the seed says happened on `day`: the suspension, top-ups.
fn events(
    seed: &SeedSimLine,
    line: &mut Line,
    day: Date,
    today: Date,
    suspended_on: Option<&(Date, String)>,
    seq: &mut u64,
) {
    if let Some((on, reason)) = suspended_on
        && *on == day
    {
        line.suspended = Some(reason.clone());
    }
    for top_up in &seed.top_ups {
        if today - Duration::days(i64::from(top_up.days_ago)) != day {
            continue;
        }
        *seq += 1;
        let bucket = top_up_bucket(
            Some(&top_up.code),
            top_up.mb,
            midnight(day) + Duration::hours(12),
            None,
            *seq,
        );
        let expire = super::calendar::ymd(bucket.expire);
        line.add_bucket(bucket);
        let answer = json!({
            "account": line.account,
            "quotaCode": top_up.code,
            "addedMb": top_up.mb.to_string(),
            "expire": expire,
            "remainingMb": (line.remaining_kb() / 1024).to_string(),
        });
        line.applied_codes.insert(top_up.code.clone(), answer);
    }
}
