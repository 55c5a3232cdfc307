//! The Freebit simulator's business rules over its virtual clock, observed through the adapter:
//! a plan change takes effect on the 1st, one booked at a time and none on the last day of a
//! month, usage is final the next morning, the bucket that expires first is used first, a line
//! without quota is throttled, suspended lines refuse writes, an async order locks the line,
//! a cancellation lands after its date, usage is the same on every run, and the rate limits.

use crate::freebit_adapter::{ALEX, FreebitEnv, HANAKO_DATA, HANAKO_VOICE, TODAY, msisdn};
use portal::domain::sim::{
    Eid, LineState, NetworkType, PlanCode, QuotaAddition, QuotaSource, SpeedMode, SuspendReason,
    TopUpAmount, VoiceOptionsChange, cancellation_date, next_plan_change_date,
};
use portal::server::integrations::freebit::FreebitError;
use serde_json::{Value, json};
use time::macros::date;

const DAY: i64 = 86_400;

fn plan(code: &str) -> PlanCode {
    PlanCode::parse(code).expect("plan")
}

fn top_up(gb: &str, code: &str) -> QuotaAddition {
    QuotaAddition::top_up(TopUpAmount::parse(gb).expect("amount"), code)
}

/// A bucket's remaining KB in the simulator's own view, by type and code.
fn remaining_kb(line: &Value, kind: &str, code: Option<&str>) -> Option<u64> {
    line["buckets"].as_array()?.iter().find_map(|b| {
        (b["type"] == kind && b["code"].as_str() == code).then(|| b["remaining_kb"].as_u64())?
    })
}

#[tokio::test]
async fn a_plan_change_takes_effect_on_the_first_with_the_new_allowance() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let line = msisdn(ALEX);
    freebit
        .change_plan(&line, &plan("PLAN-D50"), next_plan_change_date(TODAY))
        .await
        .expect("booked");
    let may = freebit.account_detail(&line).await.expect("detail");
    let may_plan_left = may
        .buckets
        .iter()
        .find(|b| b.source == QuotaSource::Plan)
        .map(|b| b.remaining_mb)
        .expect("a plan bucket");

    // 2025-05-31 23:59:59 JST: still May's plan.
    env.advance(16 * DAY + 14 * 3600 - 1).await;
    let last_day = freebit.account_detail(&line).await.expect("detail");
    assert_eq!(last_day.plan.as_str(), "PLAN-D20");
    assert!(last_day.pending_plan_change.is_some());

    env.advance(2).await;
    let june = freebit.account_detail(&line).await.expect("detail");
    assert_eq!(june.plan.as_str(), "PLAN-D50");
    assert_eq!(june.pending_plan_change, None);
    let plan_bucket = june
        .buckets
        .iter()
        .find(|b| b.source == QuotaSource::Plan)
        .expect("June's allowance");
    assert_eq!(
        (plan_bucket.granted_mb, plan_bucket.expires_on),
        (50 * 1024, date!(2025 - 06 - 30))
    );
    let carried = june
        .buckets
        .iter()
        .find(|b| b.source == QuotaSource::Carryover)
        .expect("May's rest carried over");
    assert!(carried.remaining_mb <= may_plan_left);
    assert_eq!(carried.expires_on, date!(2025 - 06 - 30));
    assert!(
        june.buckets
            .iter()
            .all(|b| b.expires_on >= date!(2025 - 06 - 01)),
        "May's buckets are gone"
    );
}

#[tokio::test]
async fn one_plan_change_is_booked_at_a_time_and_none_on_the_last_day() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    // hanako's data line has one booked in the seed.
    let data = msisdn(HANAKO_DATA);
    assert_eq!(
        freebit
            .change_plan(&data, &plan("PLAN-D50"), next_plan_change_date(TODAY))
            .await,
        Err(FreebitError::PlanChangeReserved)
    );
    // On the last day of a month even a line without a booking is refused.
    env.set_clock("2025-05-31T12:00:00+09:00").await;
    env.control("/_sandbox/settings", json!({ "rate_limits": false }))
        .await;
    let alex = msisdn(ALEX);
    assert_eq!(
        freebit
            .change_plan(&alex, &plan("PLAN-D10"), date!(2025 - 06 - 01))
            .await,
        Err(FreebitError::PlanChangeReserved)
    );
    env.advance(DAY).await;
    freebit
        .change_plan(&alex, &plan("PLAN-D10"), date!(2025 - 07 - 01))
        .await
        .expect("the next day it can be booked");
}

#[tokio::test]
async fn usage_is_provisional_until_the_next_morning() {
    let env = FreebitEnv::start().await;
    env.set_clock("2025-05-15T05:00:00+09:00").await;
    let freebit = env.client();
    let line = msisdn(ALEX);
    let early = freebit.traffic(&line, None).await.expect("traffic");
    let yesterday = early.days[early.days.len() - 2];
    assert_eq!(yesterday.date, date!(2025 - 05 - 14));
    assert!(yesterday.provisional, "not final before 06:00");
    assert!(early.days[early.days.len() - 3].provisional.eq(&false));

    env.advance(3600).await;
    let later = freebit.traffic(&line, None).await.expect("traffic");
    let final_day = later.days[later.days.len() - 2];
    assert!(!final_day.provisional);
    assert_eq!(
        final_day.total_bytes(),
        yesterday.total_bytes(),
        "the figure stands"
    );
    let today = later.days.last().expect("today");
    assert!(today.provisional);
    assert!(today.total_bytes() > early.days.last().expect("today").total_bytes());
}

#[tokio::test]
async fn the_bucket_that_expires_first_is_used_first() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let line = msisdn(ALEX);
    let soon = QuotaAddition {
        megabytes: 51_200,
        quota_code: "INV-SOON".into(),
        expires_on: Some(date!(2025 - 05 - 20)),
    };
    freebit.add_quota(&line, &soon).await.expect("added");
    freebit
        .add_quota(&line, &top_up("1", "INV-LATER"))
        .await
        .expect("added");
    let before = env.line(ALEX).await;

    env.advance(DAY).await;
    let after = env.line(ALEX).await;
    let used = |kind: &str, code: Option<&str>| {
        remaining_kb(&before, kind, code).unwrap_or(0)
            - remaining_kb(&after, kind, code).unwrap_or(0)
    };
    let usage = freebit.traffic(&line, None).await.expect("traffic");
    let may_15 = usage
        .days
        .iter()
        .find(|d| d.date == TODAY)
        .expect("yesterday, closed");
    assert!(may_15.high_speed_bytes > 0);
    assert_eq!(
        used("TOPUP", Some("INV-SOON")) * 1024,
        may_15.high_speed_bytes
    );
    assert_eq!(used("PLAN", None), 0);
    assert_eq!(used("CARRYOVER", None), 0);
    assert_eq!(used("TOPUP", Some("INV-LATER")), 0);

    // Past its expiry the bucket is gone.
    env.advance(5 * DAY).await;
    let detail = freebit.account_detail(&line).await.expect("detail");
    assert!(
        detail
            .buckets
            .iter()
            .all(|b| b.code.as_deref() != Some("INV-SOON"))
    );
}

#[tokio::test]
async fn a_line_without_quota_is_throttled_until_topped_up() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let line = msisdn(ALEX);
    env.control(
        &format!("/_sandbox/lines/{ALEX}"),
        json!({ "daily_mb": 200_000 }),
    )
    .await;
    env.advance(DAY).await;
    let detail = freebit.account_detail(&line).await.expect("detail");
    assert_eq!(detail.remaining_mb, 0);
    assert!(detail.throttled);
    let usage = freebit.traffic(&line, None).await.expect("traffic");
    assert!(usage.throttled);
    let closed = usage
        .days
        .iter()
        .find(|d| d.date == TODAY)
        .expect("the day that ran out");
    assert!(closed.high_speed_bytes > 0 && closed.throttled_bytes > 0);

    env.advance(DAY).await;
    let usage = freebit.traffic(&line, None).await.expect("traffic");
    let throttled_day = usage
        .days
        .iter()
        .find(|d| d.date == date!(2025 - 05 - 16))
        .expect("a day without quota");
    assert_eq!(throttled_day.high_speed_bytes, 0);
    assert!(throttled_day.throttled_bytes > 0);

    freebit
        .add_quota(&line, &top_up("1", "INV-RESCUE"))
        .await
        .expect("topped up");
    assert!(
        !freebit
            .account_detail(&line)
            .await
            .expect("detail")
            .throttled
    );
}

#[tokio::test]
async fn saving_mode_uses_no_quota() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let line = msisdn(ALEX);
    freebit
        .set_speed_mode(&line, SpeedMode::Low)
        .await
        .expect("low");
    let before = freebit
        .account_detail(&line)
        .await
        .expect("detail")
        .remaining_mb;
    env.advance(DAY).await;
    assert_eq!(
        freebit
            .account_detail(&line)
            .await
            .expect("detail")
            .remaining_mb,
        before
    );
    let usage = freebit.traffic(&line, None).await.expect("traffic");
    let day = usage.days.iter().find(|d| d.date == TODAY).expect("closed");
    assert_eq!(day.high_speed_bytes, 0);
    assert!(day.throttled_bytes > 0);
}

#[tokio::test]
async fn a_suspended_line_refuses_writes_but_answers_reads() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let line = msisdn(HANAKO_VOICE);
    let eid = Eid::parse("89049032004008882600011111111111").expect("eid");
    let change = VoiceOptionsChange {
        intl_roaming: Some(true),
        ..VoiceOptionsChange::default()
    };
    let refusals = [
        freebit.add_quota(&line, &top_up("1", "INV-S1")).await.err(),
        freebit
            .change_plan(&line, &plan("PLAN-V10"), next_plan_change_date(TODAY))
            .await
            .err(),
        freebit.set_speed_mode(&line, SpeedMode::Low).await.err(),
        freebit.change_voice_options(&line, &change).await.err(),
        freebit
            .change_network(&line, NetworkType::FiveG)
            .await
            .err(),
        freebit.reissue_esim(&line, &eid).await.err(),
        freebit.reserve_mnp_out(&line).await.err(),
    ];
    for refusal in refusals {
        assert_eq!(refusal, Some(FreebitError::NotActive));
    }
    freebit.account_detail(&line).await.expect("detail answers");
    let usage = freebit.traffic(&line, None).await.expect("traffic answers");
    let suspended_days = usage
        .days
        .iter()
        .filter(|d| d.date >= date!(2025 - 05 - 11))
        .all(|d| d.total_bytes() == 0);
    assert!(suspended_days, "a suspended line uses no data");
    // Nothing changed on the platform.
    let state = env.line(HANAKO_VOICE).await;
    assert_eq!(state["orders"], json!([]));
    assert_eq!(state["plan_code"], "PLAN-V03");
    freebit.resume(&line).await.expect("resume is allowed");
    assert_eq!(
        freebit.account_detail(&line).await.expect("detail").state,
        LineState::Active
    );
}

#[tokio::test]
async fn an_async_order_locks_the_line_until_it_completes() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let line = msisdn(HANAKO_VOICE);
    freebit.resume(&line).await.expect("resumed");
    let change = VoiceOptionsChange {
        call_forwarding: Some(true),
        ..VoiceOptionsChange::default()
    };
    freebit
        .change_voice_options(&line, &change)
        .await
        .expect("accepted");
    env.advance(299).await;
    assert_eq!(
        freebit.change_network(&line, NetworkType::FiveG).await,
        Err(FreebitError::Locked)
    );
    assert_eq!(
        freebit.cancel_line(&line, cancellation_date(TODAY)).await,
        Err(FreebitError::Locked)
    );
    // Speed mode and suspension are not held up by an order.
    freebit
        .set_speed_mode(&line, SpeedMode::Low)
        .await
        .expect("speed");
    env.advance(1).await;
    let detail = freebit.account_detail(&line).await.expect("detail");
    assert!(detail.voice.expect("voice").call_forwarding);
    freebit
        .change_network(&line, NetworkType::FiveG)
        .await
        .expect("unlocked");
}

#[tokio::test]
async fn a_cancellation_lands_after_its_date_and_the_line_then_disappears() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let line = msisdn(ALEX);
    freebit
        .cancel_line(&line, date!(2025 - 05 - 31))
        .await
        .expect("scheduled");
    // 2025-05-31 00:09:59 JST: not yet (the platform needs up to ten minutes).
    env.advance(15 * DAY + 14 * 3600 + 9 * 60 + 59).await;
    assert_eq!(
        freebit.account_detail(&line).await.expect("detail").state,
        LineState::CancelScheduled {
            on: date!(2025 - 05 - 31)
        }
    );
    env.advance(1).await;
    assert_eq!(
        freebit.account_detail(&line).await.expect("detail").state,
        LineState::Cancelled
    );
    assert_eq!(
        freebit.withdraw_cancellation(&line).await,
        Err(FreebitError::NotActive)
    );
    assert_eq!(
        freebit.suspend(&line, SuspendReason::Lost).await,
        Err(FreebitError::NotActive)
    );
    assert_eq!(
        freebit.traffic(&line, None).await,
        Err(FreebitError::NotActive)
    );
    env.advance(91 * DAY).await;
    assert_eq!(
        freebit.account_detail(&line).await,
        Err(FreebitError::NotFound)
    );
}

#[tokio::test]
async fn usage_is_the_same_on_every_run() {
    let one = FreebitEnv::start().await;
    let two = FreebitEnv::start().await;
    for number in [ALEX, HANAKO_DATA] {
        let a = one
            .client()
            .traffic(&msisdn(number), None)
            .await
            .expect("traffic");
        let b = two
            .client()
            .traffic(&msisdn(number), None)
            .await
            .expect("traffic");
        assert_eq!(a.days, b.days);
        let da = one
            .client()
            .account_detail(&msisdn(number))
            .await
            .expect("detail");
        let db = two
            .client()
            .account_detail(&msisdn(number))
            .await
            .expect("detail");
        assert_eq!(da.buckets, db.buckets);
    }
}

#[tokio::test]
async fn the_rate_limits_hold_per_account() {
    let env = FreebitEnv::start().await;
    // The overall per-second limit is on the wall clock: wide here, checked at the end.
    env.control(
        "/_sandbox/settings",
        json!({ "rate_limits": true, "requests_per_second": 1000 }),
    )
    .await;
    let freebit = env.client();
    let line = msisdn(ALEX);
    for _ in 0..6 {
        freebit
            .account_detail(&line)
            .await
            .expect("within 6 a minute");
        env.advance(1).await;
    }
    assert_eq!(
        freebit.account_detail(&line).await,
        Err(FreebitError::RateLimited)
    );
    freebit
        .account_detail(&msisdn(HANAKO_DATA))
        .await
        .expect("another account has its own window");
    env.advance(60).await;
    freebit.account_detail(&line).await.expect("a minute later");

    freebit
        .add_quota(&line, &top_up("1", "INV-R1"))
        .await
        .expect("first write");
    assert_eq!(
        freebit.add_quota(&line, &top_up("1", "INV-R2")).await,
        Err(FreebitError::RateLimited)
    );
    // A repeated quotaCode is answered even inside the window.
    assert!(
        freebit
            .add_quota(&line, &top_up("1", "INV-R1"))
            .await
            .expect("a retry")
            .already_applied
    );
    env.advance(10).await;
    freebit
        .set_speed_mode(&line, SpeedMode::Low)
        .await
        .expect("after 10 s");
    env.advance(10).await;
    assert_eq!(
        freebit.set_speed_mode(&line, SpeedMode::High).await,
        Err(FreebitError::RateLimited),
        "one speed change a minute"
    );

    // 10 requests a second in all (here 2): a burst gets 429-900 whatever the account.
    env.control("/_sandbox/settings", json!({ "requests_per_second": 2 }))
        .await;
    env.advance(60).await;
    let burst = [
        freebit.traffic(&line, None).await,
        freebit.traffic(&msisdn(HANAKO_DATA), None).await,
        freebit.traffic(&msisdn(HANAKO_VOICE), None).await,
    ];
    assert_eq!(
        burst.last().and_then(|r| r.as_ref().err()),
        Some(&FreebitError::RateLimited)
    );
}
