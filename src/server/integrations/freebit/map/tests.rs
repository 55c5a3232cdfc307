//! Mapper tests on the reference's own examples (`freebit.md` §2.2), plus "never panics".

use super::*;
use crate::domain::sim::{
    EsimProfileState, LineState, NetworkType, OperationKind, QuotaSource, SimForm, SimKind,
};
use proptest::prelude::*;
use time::macros::{date, datetime};

/// The SimDetail example of reference §2.2, verbatim.
const DETAIL: &str = r#"{"resultCode":"100","status":{"message":"OK","statusCode":"200"},
 "responseDatas":[{
   "kind":"MVNO","account":"08038433843",
   "iccid":"8981100000000000000","imsi":"440100000000000",
   "productNumber":"AX1234567890123","eid":"89049032000000000000000000000000",
   "simForm":"20","simKind":"E0","contractLine":"5G",
   "planCode":"PLAN_10G","state":"10","startDate":"20240401",
   "speedMode":"10","throttleKbps":"200",
   "quota":{"totalRemainingMb":"8123",
            "buckets":[{"type":"CARRYOVER","quotaMb":"2048","remainingMb":"0","expire":"20240531"},
                       {"type":"PLAN","quotaMb":"10240","remainingMb":"7099","expire":"20240630"},
                       {"type":"TOPUP","quotaCode":"INV-1001","quotaMb":"1024","remainingMb":"1024","expire":"20240731"}]},
   "talkOption":{"voiceMail":"20","callWaiting":"10","callTransfer":"20","intlCall":"20","intlRoaming":"20"},
   "reservedPlanChange":{"planCode":"PLAN_20G","runTime":"20240601"},
   "reservedCancel":null,
   "pendingOrders":[{"orderId":"ORD-77","type":"CONTRACT_LINE","target":"5G","scheduledAt":"20240515103000"}],
   "masterAccount":"user@example.jp"}]}"#;

/// The TrafficInfo example of reference §2.2, verbatim.
const TRAFFIC: &str = r#"{"resultCode":"100","status":{"message":"OK","statusCode":"200"},
 "account":"08038433843","planCode":"PLAN_10G","speedMode":"10",
 "asOf":"20240515090000",
 "trafficInfo":{"todayKb":"51200","todayFinal":"20",
   "thisMonthKb":"3251200","lastMonthKb":"8450000","throttled":"20",
   "daily":[{"date":"20240513","highSpeedKb":"402113","lowSpeedKb":"0","final":"10"},
            {"date":"20240514","highSpeedKb":"350002","lowSpeedKb":"1200","final":"10"},
            {"date":"20240515","highSpeedKb":"51200","lowSpeedKb":"0","final":"20"}]}}"#;

fn detail(text: &str) -> Result<SimLine, FreebitError> {
    sim_line(&serde_json::from_str(text).expect("json"))
}

#[test]
fn the_reference_detail_maps_to_a_line() {
    let line = detail(DETAIL).expect("maps");
    assert_eq!(line.msisdn.formatted(), "080-3843-3843");
    assert_eq!(
        (line.form, line.kind, line.network),
        (SimForm::Esim, SimKind::VoiceData, NetworkType::FiveG)
    );
    assert_eq!(line.plan.as_str(), "PLAN_10G");
    assert_eq!(line.state, LineState::Active);
    assert_eq!(line.started_on, Some(date!(2024 - 04 - 01)));
    assert_eq!(
        (line.remaining_mb, line.throttled, line.throttle_kbps),
        (8123, false, 200)
    );
    let sources: Vec<_> = line.buckets.iter().map(|b| b.source).collect();
    assert_eq!(
        sources,
        [
            QuotaSource::Carryover,
            QuotaSource::Plan,
            QuotaSource::TopUp
        ]
    );
    assert_eq!(line.buckets[2].code.as_deref(), Some("INV-1001"));
    let voice = line.voice.expect("voice line");
    assert!(voice.call_waiting && !voice.voicemail && !voice.call_forwarding);
    let change = line.pending_plan_change.as_ref().expect("booked");
    assert_eq!(
        (change.to.as_str(), change.effective_on),
        ("PLAN_20G", date!(2024 - 06 - 01))
    );
    assert_eq!(line.pending.len(), 1);
    assert_eq!(line.pending[0].kind, OperationKind::NetworkChange);
    assert_eq!(
        line.pending[0].effective_at,
        Some(datetime!(2024-05-15 10:30 +9))
    );
    assert!(line.is_locked());
    assert_eq!(
        line.eid_masked().as_deref().map(|e| e.ends_with("0000")),
        Some(true)
    );
}

#[test]
fn states_reasons_and_data_lines() {
    let suspended = DETAIL
        .replace(r#""state":"10""#, r#""state":"20","stateReason":"LOST""#)
        .replace(r#""simKind":"E0""#, r#""simKind":"E2""#);
    let line = detail(&suspended).expect("maps");
    assert_eq!(
        line.state,
        LineState::Suspended {
            reason: Some(crate::domain::sim::SuspendReason::Lost)
        }
    );
    assert_eq!(line.voice, None, "data-only lines have no voice options");
    let scheduled = DETAIL
        .replace(r#""state":"10""#, r#""state":"30""#)
        .replace(
            r#""reservedCancel":null"#,
            r#""reservedCancel":{"runDate":"20240531"}"#,
        );
    assert_eq!(
        detail(&scheduled).expect("maps").state,
        LineState::CancelScheduled {
            on: date!(2024 - 05 - 31)
        }
    );
    // Numbers instead of strings are read too.
    let numeric = DETAIL.replace(r#""totalRemainingMb":"8123""#, r#""totalRemainingMb":8123"#);
    assert_eq!(detail(&numeric).expect("maps").remaining_mb, 8123);
    let empty = DETAIL.replace(r#""totalRemainingMb":"8123""#, r#""totalRemainingMb":"0""#);
    assert!(
        detail(&empty).expect("maps").throttled,
        "no quota left means throttled"
    );
}

#[test]
fn unreadable_details_name_the_field() {
    for (from, to, field) in [
        (r#""state":"10""#, r#""state":"99""#, "state"),
        (r#""simKind":"E0""#, r#""simKind":"X9""#, "simKind"),
        (
            r#""contractLine":"5G""#,
            r#""contractLine":"3G""#,
            "contractLine",
        ),
        (
            r#""expire":"20240531""#,
            r#""expire":"2024-13-01""#,
            "buckets.expire",
        ),
        (
            r#""account":"08038433843""#,
            r#""account":"abc""#,
            "account",
        ),
    ] {
        let err = detail(&DETAIL.replace(from, to)).expect_err(field);
        assert!(err.to_string().contains(field), "{err}");
    }
    assert!(detail(r#"{"responseDatas":[]}"#).is_err());
}

#[test]
fn the_reference_traffic_maps_to_usage() {
    let msisdn = Msisdn::parse("08038433843").expect("valid");
    let raw: dto::TrafficResponse = serde_json::from_str(TRAFFIC).expect("json");
    let usage = usage(&msisdn, &raw).expect("maps");
    assert_eq!(usage.days.len(), 3);
    assert_eq!(usage.days[1].throttled_bytes, 1200 * 1024);
    assert_eq!(usage.days[0].high_speed_bytes, 402_113 * 1024);
    assert!(!usage.days[1].provisional && usage.days[2].provisional);
    assert_eq!(usage.today_bytes, 51_200 * 1024);
    assert_eq!(usage.last_month_bytes, 8_450_000 * 1024);
    assert!(!usage.throttled);
    assert_eq!(usage.as_of, datetime!(2024-05-15 09:00 +9));
}

#[test]
fn writes_map_their_answers() {
    let raw: dto::AddQuotaResponse = serde_json::from_str(
        r#"{"account":"09012345678","quotaCode":"INV-1","addedMb":"1024","expire":"20240731","remainingMb":"5000"}"#,
    )
    .expect("json");
    let result = top_up(&raw, "INV-1", true).expect("maps");
    assert_eq!(
        (result.added_mb, result.remaining_mb, result.already_applied),
        (1024, 5000, true)
    );
    let profile: dto::ProfileResponse = serde_json::from_str(
        r#"{"profileState":"RELEASED","activationCode":"LPA:1$smdp.example$MATCHING-ID","confirmationCodeRequired":"20","expiresAt":"20240601000000"}"#,
    )
    .expect("json");
    let profile = esim_profile(&profile).expect("maps");
    assert_eq!(profile.state, EsimProfileState::Released);
    assert_eq!(
        profile.activation_code.as_deref(),
        Some("LPA:1$smdp.example$MATCHING-ID")
    );
    assert!(!profile.confirmation_code_required);
    let mnp: dto::MnpResponse =
        serde_json::from_str(r#"{"reserveNumber":"1234567890","reserveExpireDate":"20240529"}"#)
            .expect("json");
    assert_eq!(
        mnp_reservation(&mnp).expect("maps").expires_on,
        date!(2024 - 05 - 29)
    );
    let short: dto::MnpResponse =
        serde_json::from_str(r#"{"reserveNumber":"12345"}"#).expect("json");
    assert!(mnp_reservation(&short).is_err());
}

#[test]
fn dates_and_voice_changes_encode() {
    assert_eq!(format_date(date!(2024 - 06 - 01)), "20240601");
    assert_eq!(parse_date("2024/06/01"), Some(date!(2024 - 06 - 01)));
    assert_eq!(parse_date("2024-02-30"), None);
    let change = VoiceOptionsChange {
        voicemail: Some(true),
        intl_roaming: Some(false),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(talk_option_change(&change)).ok(),
        Some(serde_json::json!({"voiceMail": "10", "intlRoaming": "20"}))
    );
}

proptest! {
    #[test]
    fn mappers_never_panic(json in "\\PC{0,200}", field in "[a-zA-Z]{1,12}", value in "\\PC{0,20}") {
        if let Ok(raw) = serde_json::from_str::<dto::DetailResponse>(&json) { let _ = sim_line(&raw); }
        let twisted = DETAIL.replacen("\"10\"", &serde_json::to_string(&value).unwrap_or_default(), 1);
        if let Ok(raw) = serde_json::from_str::<dto::DetailResponse>(&twisted) { let _ = sim_line(&raw); }
        let extra = TRAFFIC.replacen("\"todayKb\"", &format!("\"{field}\":1,\"todayKb\""), 1);
        if let Ok(raw) = serde_json::from_str::<dto::TrafficResponse>(&extra) {
            let _ = usage(&Msisdn::parse("09012345678").expect("valid"), &raw);
        }
        let _ = parse_date(&value);
        let _ = parse_instant(&value);
    }
}
