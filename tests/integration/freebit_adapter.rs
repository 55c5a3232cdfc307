//! The Freebit adapter against the Freebit simulator over real HTTP: every operation, every
//! error code, the `authKey` life cycle and the idempotent top-up. The simulator's clock is
//! frozen at [`NOW`] and its lines seeded as of then; rate limits are off except where a test
//! turns them on. Business rules over time are in `freebit_rules`.

use crate::sandbox::RunningSandbox;
use portal::domain::sim::{
    EsimProfileState, LineState, Msisdn, NetworkType, OperationKind, PlanCode, QuotaAddition,
    QuotaSource, SimForm, SimKind, SpeedMode, SuspendReason, TopUpAmount, VoiceOptionsChange,
    cancellation_date, next_plan_change_date,
};
use portal::sandbox::{FaultKind, FaultRule};
use portal::server::config::FreebitSettings;
use portal::server::integrations::freebit::{FreebitClient, FreebitError};
use secrecy::SecretString;
use serde_json::{Value, json};
use time::Date;
use time::macros::date;

/// The simulator's frozen "now" (a Thursday, 10:00 in Tokyo).
pub const NOW: &str = "2025-05-15T10:00:00+09:00";
/// Its date.
pub const TODAY: Date = date!(2025 - 05 - 15);
/// hanako's data-only physical SIM, 5G, with a plan change booked (WHMCS service 102).
pub const HANAKO_DATA: &str = "090-1234-5678";
/// hanako's voice SIM, suspended after a loss (WHMCS service 103).
pub const HANAKO_VOICE: &str = "090-8765-4321";
/// alex's data+SMS eSIM, 5G (WHMCS service 201).
pub const ALEX: &str = "080-9876-5432";

/// A sandbox with the Freebit simulator's clock frozen at [`NOW`], and helpers.
pub struct FreebitEnv {
    /// The sandbox.
    pub sandbox: RunningSandbox,
    http: reqwest::Client,
}

/// A phone number.
pub fn msisdn(number: &str) -> Msisdn {
    Msisdn::parse(number).expect("a phone number")
}

/// The default `[freebit]` settings with a short time limit.
pub fn settings() -> FreebitSettings {
    let mut s = portal::server::config::load_from(None, &[])
        .expect("defaults")
        .freebit;
    s.timeout_ms = 3_000;
    s
}

impl FreebitEnv {
    /// Starts a sandbox, freezes the Freebit clock at [`NOW`] (re-seeding) and turns the rate
    /// limits off.
    pub async fn start() -> FreebitEnv {
        let env = FreebitEnv {
            sandbox: RunningSandbox::start().await,
            http: reqwest::Client::new(),
        };
        env.set_clock(NOW).await;
        env.control("/_sandbox/settings", json!({ "rate_limits": false }))
            .await;
        env
    }

    /// The simulator's base URL.
    pub fn url(&self) -> String {
        self.sandbox.url("freebit")
    }

    /// An adapter on the simulator.
    pub fn client(&self) -> FreebitClient {
        self.client_with(settings())
    }

    /// An adapter with these settings.
    pub fn client_with(&self, settings: FreebitSettings) -> FreebitClient {
        FreebitClient::from_settings(&settings, &format!("{}/emptool/api", self.url()))
            .expect("client")
    }

    /// POSTs JSON to a `/_sandbox` endpoint.
    pub async fn control(&self, path: &str, body: Value) -> Value {
        let response = self
            .http
            .post(format!("{}{path}", self.url()))
            .json(&body)
            .send()
            .await
            .expect("reachable");
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        response.json().await.unwrap_or(Value::Null)
    }

    /// GETs a `/_sandbox` endpoint.
    pub async fn get(&self, path: &str) -> Value {
        self.http
            .get(format!("{}{path}", self.url()))
            .send()
            .await
            .expect("reachable")
            .json()
            .await
            .expect("json")
    }

    /// Re-seeds the simulator as of `now` (RFC 3339), frozen.
    pub async fn set_clock(&self, now: &str) {
        self.control("/_sandbox/clock", json!({ "now": now, "frozen": true }))
            .await;
    }

    /// Moves the simulator's clock on.
    pub async fn advance(&self, seconds: i64) {
        self.control("/_sandbox/advance", json!({ "seconds": seconds }))
            .await;
    }

    /// The simulator's own view of a line.
    pub async fn line(&self, number: &str) -> Value {
        self.get(&format!("/_sandbox/lines/{number}")).await
    }

    /// Decoded requests the simulator received.
    pub async fn requests(&self) -> Vec<Value> {
        match self.get("/_sandbox/requests").await {
            Value::Array(items) => items,
            _ => Vec::new(),
        }
    }

    /// The first decoded request to `path` (e.g. `mvno/changePlan`).
    pub async fn first_request(&self, path: &str) -> Value {
        self.requests()
            .await
            .into_iter()
            .find(|r| r["path"] == path)
            .unwrap_or_else(|| panic!("no request to {path} was logged"))
    }

    /// Forgets the decoded requests.
    pub async fn clear_requests(&self) {
        self.http
            .delete(format!("{}/_sandbox/requests", self.url()))
            .send()
            .await
            .expect("reachable");
    }

    /// Adds a fault rule for the Freebit simulator.
    pub fn fault(&self, path_prefix: &str, kind: FaultKind, times: u32) {
        self.sandbox.handle.faults.add(FaultRule {
            provider: "freebit".into(),
            path_prefix: Some(path_prefix.into()),
            kind,
            times: Some(times),
            every: None,
        });
    }

    /// A provider fault on the next `times` calls to `path` (below `/emptool/api/`).
    pub fn provider_fault(&self, path: &str, code: &str, times: u32) {
        self.fault(
            &format!("/emptool/api/{path}"),
            FaultKind::Provider { code: code.into() },
            times,
        );
    }

    /// A raw POST to `path` (below `/emptool/api/`).
    pub async fn raw(&self, path: &str, content_type: &str, body: String) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}/emptool/api/{path}", self.url()))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("reachable");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// A raw form POST of `json` to `path`.
    pub async fn raw_json(&self, path: &str, json: &Value) -> (u16, Value) {
        let body = portal::server::integrations::freebit::client::form_body(&json.to_string());
        self.raw(path, "application/x-www-form-urlencoded", body)
            .await
    }

    /// A valid `authKey`, fetched raw.
    pub async fn auth_key(&self) -> String {
        let (_, answer) = self
            .raw_json(
                "authOem/",
                &json!({ "oemId": "sandbox-oem", "oemKey": "sandbox-oem-key" }),
            )
            .await;
        answer["authKey"].as_str().expect("authKey").to_owned()
    }
}

/// `resultCode-statusCode` of a raw answer.
pub fn code(answer: &Value) -> String {
    format!(
        "{}-{}",
        answer["resultCode"].as_str().unwrap_or(""),
        answer["status"]["statusCode"].as_str().unwrap_or("")
    )
}

#[tokio::test]
async fn the_seeded_lines_are_the_whmcs_services_phone_numbers() {
    let env = FreebitEnv::start().await;
    let whmcs = portal::server::integrations::whmcs::WhmcsClient::from_settings(
        &portal::server::config::load_from(None, &[])
            .expect("defaults")
            .whmcs,
        &format!("{}/includes/api.php", env.sandbox.url("whmcs")),
    )
    .expect("whmcs");
    let ctx = whmcs.currency_context().await.expect("currencies");
    let freebit = env.client();
    let mut seen = Vec::new();
    for client in [1001, 1002] {
        for service in whmcs.services(&ctx, client).await.expect("services") {
            let Some(number) = service
                .custom_fields
                .get(portal::domain::services::PHONE_FIELD)
            else {
                continue;
            };
            let line = freebit
                .account_detail(&msisdn(number))
                .await
                .expect("every SIM service has its Freebit line");
            seen.push((service.id, line));
        }
    }
    let ids: Vec<u32> = seen.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, [102, 103, 201]);
    let kinds: Vec<_> = seen
        .iter()
        .map(|(_, l)| {
            (
                l.form,
                l.kind,
                l.state.key(),
                l.pending_plan_change.is_some(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (SimForm::Physical, SimKind::DataOnly, "active", true),
            (SimForm::Physical, SimKind::VoiceData, "suspended", false),
            (SimForm::Esim, SimKind::DataSms, "active", false),
        ],
        "the demo covers card and eSIM, voice and data, a suspension and a booked change"
    );
}

#[tokio::test]
async fn account_detail_describes_the_line() {
    let env = FreebitEnv::start().await;
    let line = env
        .client()
        .account_detail(&msisdn(HANAKO_DATA))
        .await
        .expect("detail");
    assert_eq!(line.msisdn.formatted(), HANAKO_DATA);
    assert_eq!(line.network, NetworkType::FiveG);
    assert_eq!(line.plan.as_str(), "PLAN-D20");
    assert_eq!(line.state, LineState::Active);
    assert_eq!(line.voice, None);
    let change = line
        .pending_plan_change
        .clone()
        .expect("booked in the seed");
    assert_eq!(
        (change.to.as_str(), change.effective_on),
        ("PLAN-D10", date!(2025 - 06 - 01))
    );
    let sources: Vec<_> = line.buckets.iter().map(|b| b.source).collect();
    assert_eq!(
        sources,
        [
            QuotaSource::Carryover,
            QuotaSource::Plan,
            QuotaSource::TopUp
        ],
        "earliest expiry first"
    );
    assert_eq!(line.buckets[2].code.as_deref(), Some("INV-DEMO-0102"));
    let sum: u32 = line.buckets.iter().map(|b| b.remaining_mb).sum();
    assert!(
        line.remaining_mb.abs_diff(sum) <= 3,
        "{} vs {sum}",
        line.remaining_mb
    );
    assert_eq!(line.iccid_masked().as_deref(), Some("•••••••••••••••5678"));

    let voice = env
        .client()
        .account_detail(&msisdn(HANAKO_VOICE))
        .await
        .expect("detail");
    assert_eq!(
        voice.state,
        LineState::Suspended {
            reason: Some(SuspendReason::Lost)
        }
    );
    let options = voice.voice.expect("a voice line");
    assert!(options.voicemail && options.call_waiting && !options.intl_roaming);

    // The request carried version "2", kind MVNO and the number without hyphens.
    let detail = env.first_request("master/getAcntDetail").await;
    assert_eq!(detail["body"]["version"], "2");
    assert_eq!(detail["body"]["requestDatas"][0]["account"], "09012345678");
    assert_eq!(detail["body"]["requestDatas"][0]["kind"], "MVNO");
}

#[tokio::test]
async fn traffic_is_a_daily_series_with_today_provisional() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let usage = freebit.traffic(&msisdn(ALEX), None).await.expect("traffic");
    assert_eq!(usage.days.len(), 30, "the last 30 days by default");
    let today = usage.days.last().expect("today");
    assert_eq!(today.date, TODAY);
    assert!(today.provisional);
    assert!(
        !usage.days[usage.days.len() - 2].provisional,
        "yesterday is final after 06:00"
    );
    assert!(usage.days[..29].iter().all(|d| !d.provisional));
    assert_eq!(usage.today_bytes, today.total_bytes());
    let may: u64 = usage.days_in_month(TODAY).map(|d| d.total_bytes()).sum();
    assert_eq!(usage.this_month_bytes, may);
    assert!(usage.last_month_bytes > 0);

    let range = freebit
        .traffic(
            &msisdn(ALEX),
            Some((date!(2025 - 04 - 01), date!(2025 - 04 - 30))),
        )
        .await
        .expect("a range");
    assert_eq!(range.days.len(), 30);
    let april: u64 = range.days.iter().map(|d| d.total_bytes()).sum();
    assert_eq!(april, usage.last_month_bytes);

    let too_old = freebit
        .traffic(
            &msisdn(ALEX),
            Some((date!(2024 - 10 - 01), date!(2024 - 10 - 31))),
        )
        .await;
    assert!(
        matches!(too_old, Err(FreebitError::BadRequest(_))),
        "{too_old:?}"
    );
}

#[tokio::test]
async fn quota_history_lists_allowances_and_top_ups() {
    let env = FreebitEnv::start().await;
    let history = env
        .client()
        .quota_history(&msisdn(HANAKO_DATA), None)
        .await
        .expect("history");
    let newest = &history[0];
    assert_eq!(newest.source, QuotaSource::TopUp);
    assert_eq!(newest.quota_code.as_deref(), Some("INV-DEMO-0102"));
    assert_eq!(newest.granted_mb, 1024);
    assert_eq!(newest.expires_on, date!(2025 - 06 - 30));
    assert!(history.iter().any(|h| h.source == QuotaSource::Plan));
    assert!(history.iter().any(|h| h.source == QuotaSource::Carryover));
}

#[tokio::test]
async fn a_top_up_is_added_once_per_quota_code() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let line = msisdn(ALEX);
    let before = freebit
        .account_detail(&line)
        .await
        .expect("detail")
        .remaining_mb;
    let addition = QuotaAddition::top_up(TopUpAmount::parse("2").expect("2 GB"), "INV-9001");

    let first = freebit.add_quota(&line, &addition).await.expect("added");
    assert_eq!(
        (first.added_mb, first.already_applied, first.expires_on),
        (2048, false, date!(2025 - 06 - 30))
    );
    assert_eq!(first.remaining_mb, before + 2048);

    let again = freebit.add_quota(&line, &addition).await.expect("a retry");
    assert!(again.already_applied);
    assert_eq!(
        (again.added_mb, again.remaining_mb),
        (2048, first.remaining_mb)
    );
    let after = freebit
        .account_detail(&line)
        .await
        .expect("detail")
        .remaining_mb;
    assert_eq!(after, before + 2048, "added once");

    let sent = env.requests().await;
    let adds: Vec<_> = sent
        .iter()
        .filter(|r| r["path"] == "master/addSpec")
        .collect();
    assert_eq!(adds.len(), 2);
    assert_eq!(adds[0]["body"]["quota"], "2048");
    assert_eq!(adds[0]["body"]["quotaCode"], "INV-9001");
    assert_eq!(adds[0]["body"]["kind"], "MVNO");
    assert_eq!(adds[1]["result"], "409-335");

    // A supplied expiry is kept; the adapter refuses what the API would.
    let dated = QuotaAddition {
        megabytes: 100,
        quota_code: "INV-9002".into(),
        expires_on: Some(date!(2025 - 05 - 20)),
    };
    let result = freebit.add_quota(&line, &dated).await.expect("added");
    assert_eq!(result.expires_on, date!(2025 - 05 - 20));
    let too_much = QuotaAddition {
        megabytes: 600_000,
        ..dated.clone()
    };
    assert!(matches!(
        freebit.add_quota(&line, &too_much).await,
        Err(FreebitError::BadRequest(_))
    ));
    let too_late = QuotaAddition {
        quota_code: "INV-9003".into(),
        expires_on: Some(date!(2025 - 12 - 31)),
        ..dated
    };
    assert!(matches!(
        freebit.add_quota(&line, &too_late).await,
        Err(FreebitError::BadRequest(code)) if code.status_code == "303"
    ));
}

#[tokio::test]
async fn a_top_up_whose_answer_is_lost_is_repeated_and_added_once() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let line = msisdn(ALEX);
    let before = freebit
        .account_detail(&line)
        .await
        .expect("detail")
        .remaining_mb;

    // The first attempt runs, then its answer is lost: the adapter repeats with the same
    // quotaCode and the simulator answers 409-335 with the original result.
    env.provider_fault("master/addSpec", "lost_reply", 1);
    let addition = QuotaAddition::top_up(TopUpAmount::parse("1").expect("1 GB"), "INV-7001");
    let result = freebit.add_quota(&line, &addition).await.expect("added");
    assert!(
        result.already_applied,
        "the second attempt found the first one"
    );
    assert_eq!(result.remaining_mb, before + 1024);

    // Maintenance on the first attempt: nothing ran, the repeat adds it.
    env.provider_fault("master/addSpec", "maintenance", 1);
    let second = QuotaAddition::top_up(TopUpAmount::parse("1").expect("1 GB"), "INV-7002");
    let result = freebit.add_quota(&line, &second).await.expect("added");
    assert!(!result.already_applied);

    let state = env.line(ALEX).await;
    let codes: Vec<&str> = state["buckets"]
        .as_array()
        .expect("buckets")
        .iter()
        .filter_map(|b| b["code"].as_str())
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "INV-7001").count(),
        1,
        "{codes:?}"
    );
    assert_eq!(codes.iter().filter(|c| **c == "INV-7002").count(), 1);
    let after = freebit
        .account_detail(&line)
        .await
        .expect("detail")
        .remaining_mb;
    assert_eq!(after, before + 2048);
}

#[tokio::test]
async fn a_plan_change_is_booked_for_the_first_and_can_be_withdrawn() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let line = msisdn(ALEX);
    let plan = |code: &str| PlanCode::parse(code).expect("plan");
    let first = next_plan_change_date(TODAY);

    let booked = freebit
        .change_plan(&line, &plan("PLAN-D50"), first)
        .await
        .expect("booked");
    assert_eq!(
        (booked.to.as_str(), booked.effective_on),
        ("PLAN-D50", first)
    );
    let detail = freebit.account_detail(&line).await.expect("detail");
    assert_eq!(detail.pending_plan_change, Some(booked));
    assert_eq!(detail.plan.as_str(), "PLAN-D20", "not before the 1st");

    let twice = freebit.change_plan(&line, &plan("PLAN-D10"), first).await;
    assert_eq!(twice, Err(FreebitError::PlanChangeReserved));

    freebit
        .withdraw_plan_change(&line)
        .await
        .expect("withdrawn");
    let detail = freebit.account_detail(&line).await.expect("detail");
    assert_eq!(detail.pending_plan_change, None);
    assert_eq!(
        freebit.withdraw_plan_change(&line).await,
        Err(FreebitError::NoChange)
    );

    let same = freebit.change_plan(&line, &plan("PLAN-D20"), first).await;
    assert_eq!(same, Err(FreebitError::NoChange));
    let voice_plan = freebit.change_plan(&line, &plan("PLAN-V10"), first).await;
    assert_eq!(
        voice_plan,
        Err(FreebitError::Unsupported),
        "a voice plan on a data SIM"
    );
    let mid_month = freebit
        .change_plan(&line, &plan("PLAN-D10"), date!(2025 - 06 - 15))
        .await;
    assert!(matches!(mid_month, Err(FreebitError::BadRequest(c)) if c.status_code == "303"));
    let unknown = freebit.change_plan(&line, &plan("PLAN-X"), first).await;
    assert!(matches!(unknown, Err(FreebitError::BadRequest(c)) if c.status_code == "302"));

    let change = env.first_request("mvno/changePlan").await;
    assert_eq!(change["body"]["runTime"], "20250601");
    assert_eq!(change["body"]["planCode"], "PLAN-D50");
}

#[tokio::test]
async fn voice_options_change_when_the_order_completes() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let line = msisdn(HANAKO_VOICE);
    freebit.resume(&line).await.expect("resumed");
    let change = VoiceOptionsChange {
        voicemail: Some(false),
        intl_roaming: Some(true),
        ..VoiceOptionsChange::default()
    };
    let order = freebit
        .change_voice_options(&line, &change)
        .await
        .expect("accepted");
    assert!(order.order_id.starts_with("ORD-"));
    let detail = freebit.account_detail(&line).await.expect("detail");
    assert_eq!(detail.pending[0].kind, OperationKind::VoiceOptions);
    assert!(detail.voice.expect("voice").voicemail, "not yet");

    env.advance(300).await;
    let detail = freebit.account_detail(&line).await.expect("detail");
    let options = detail.voice.expect("voice");
    assert!(!options.voicemail && options.intl_roaming && options.call_waiting);
    assert!(detail.pending.is_empty());

    let request = env.first_request("mvno/talkoption/changeOrder").await;
    assert_eq!(request["body"]["userConfirmed"], "10");
    assert_eq!(
        request["body"]["talkOption"],
        json!({ "voiceMail": "20", "intlRoaming": "10" }),
        "only the changed options"
    );

    let data_line = freebit.change_voice_options(&msisdn(ALEX), &change).await;
    assert_eq!(data_line, Err(FreebitError::Unsupported));
    let nothing = freebit
        .change_voice_options(&line, &VoiceOptionsChange::default())
        .await;
    assert!(matches!(nothing, Err(FreebitError::BadRequest(_))));
}

#[tokio::test]
async fn a_network_change_locks_the_line_until_it_is_done() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let line = msisdn(ALEX);
    let order = freebit
        .change_network(&line, NetworkType::Lte)
        .await
        .expect("accepted");
    assert_eq!(
        order.scheduled_at.map(|t| t.unix_timestamp()),
        Some(time::macros::datetime!(2025-05-15 10:30 +9).unix_timestamp())
    );
    let detail = freebit.account_detail(&line).await.expect("detail");
    assert!(detail.is_locked());
    assert_eq!(detail.pending[0].target.as_deref(), Some("4G"));
    let addition = QuotaAddition::top_up(TopUpAmount::parse("1").expect("1 GB"), "INV-5");
    assert_eq!(
        freebit.add_quota(&line, &addition).await,
        Err(FreebitError::Locked)
    );
    assert_eq!(
        freebit.change_network(&line, NetworkType::FiveG).await,
        Err(FreebitError::Locked)
    );

    env.advance(1800).await;
    let detail = freebit.account_detail(&line).await.expect("detail");
    assert_eq!(detail.network, NetworkType::Lte);
    assert!(!detail.is_locked());
    assert_eq!(
        freebit.change_network(&line, NetworkType::Lte).await,
        Err(FreebitError::NoChange)
    );
    freebit.add_quota(&line, &addition).await.expect("unlocked");
}

#[tokio::test]
async fn speed_mode_switches_and_throttles() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let line = msisdn(ALEX);
    assert_eq!(
        freebit.set_speed_mode(&line, SpeedMode::Low).await,
        Ok(SpeedMode::Low)
    );
    let detail = freebit.account_detail(&line).await.expect("detail");
    assert_eq!(detail.speed, SpeedMode::Low);
    assert!(detail.throttled);
    assert_eq!(detail.throttle_kbps, 200);
    let usage = freebit.traffic(&line, None).await.expect("traffic");
    assert!(usage.throttled);
    assert_eq!(
        freebit.set_speed_mode(&line, SpeedMode::High).await,
        Ok(SpeedMode::High)
    );
    assert!(
        !freebit
            .account_detail(&line)
            .await
            .expect("detail")
            .throttled
    );
}

#[tokio::test]
async fn a_line_is_suspended_and_resumed() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let line = msisdn(ALEX);
    freebit
        .suspend(&line, SuspendReason::Lost)
        .await
        .expect("suspended");
    let detail = freebit.account_detail(&line).await.expect("detail");
    assert_eq!(
        detail.state,
        LineState::Suspended {
            reason: Some(SuspendReason::Lost)
        }
    );
    let addition = QuotaAddition::top_up(TopUpAmount::parse("1").expect("1 GB"), "INV-6");
    assert_eq!(
        freebit.add_quota(&line, &addition).await,
        Err(FreebitError::NotActive)
    );
    freebit.resume(&line).await.expect("resumed");
    assert_eq!(
        freebit.account_detail(&line).await.expect("detail").state,
        LineState::Active
    );
    let suspend = env.first_request("mvno/changeState").await;
    assert_eq!(suspend["body"]["state"], "20");
    assert_eq!(suspend["body"]["reason"], "LOST");
}

#[tokio::test]
async fn an_esim_reissue_releases_an_activation_code_later() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let line = msisdn(ALEX);
    let before = freebit.account_detail(&line).await.expect("detail");
    let installed = freebit.esim_profile(&line).await.expect("profile");
    assert_eq!(
        (installed.state, installed.activation_code),
        (EsimProfileState::Installed, None)
    );

    let eid = portal::domain::sim::Eid::parse("89049032004008882600099999999999").expect("eid");
    let order = freebit.reissue_esim(&line, &eid).await.expect("accepted");
    assert!(order.scheduled_at.is_some());
    let preparing = freebit.esim_profile(&line).await.expect("profile");
    assert_eq!(preparing.state, EsimProfileState::Preparing);
    assert_eq!(preparing.activation_code, None);
    assert_eq!(
        freebit.account_detail(&line).await.expect("detail").pending[0].kind,
        OperationKind::EsimReissue
    );

    env.advance(600).await;
    let released = freebit.esim_profile(&line).await.expect("profile");
    assert_eq!(released.state, EsimProfileState::Released);
    let code = released.activation_code.expect("a code once released");
    assert!(code.starts_with("LPA:1$"), "{code}");
    assert!(released.expires_at.is_some());
    let after = freebit.account_detail(&line).await.expect("detail");
    assert_eq!(after.eid.as_deref(), Some(eid.as_str()));
    assert_ne!(after.iccid, before.iccid, "the old profile is deactivated");
    assert_eq!(after.msisdn, before.msisdn);

    // A physical SIM has no profile until it is reissued as an eSIM.
    let card = msisdn(HANAKO_DATA);
    assert_eq!(
        freebit.esim_profile(&card).await,
        Err(FreebitError::Unsupported)
    );
    freebit
        .reissue_esim(&card, &eid)
        .await
        .expect("card → eSIM");
    env.advance(600).await;
    assert_eq!(
        freebit.account_detail(&card).await.expect("detail").form,
        SimForm::Esim
    );
}

#[tokio::test]
async fn a_cancellation_is_scheduled_for_the_month_end_and_withdrawn() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let line = msisdn(ALEX);
    let on = cancellation_date(TODAY);
    assert_eq!(on, date!(2025 - 05 - 31));
    let scheduled = freebit.cancel_line(&line, on).await.expect("scheduled");
    assert_eq!(scheduled.effective_on, on);
    let detail = freebit.account_detail(&line).await.expect("detail");
    assert_eq!(detail.state, LineState::CancelScheduled { on });
    assert_eq!(
        freebit.cancel_line(&line, on).await,
        Err(FreebitError::CancellationScheduled)
    );
    let plan = PlanCode::parse("PLAN-D10").expect("plan");
    assert_eq!(
        freebit
            .change_plan(&line, &plan, next_plan_change_date(TODAY))
            .await,
        Err(FreebitError::CancellationScheduled)
    );
    freebit
        .withdraw_cancellation(&line)
        .await
        .expect("withdrawn");
    assert_eq!(
        freebit.account_detail(&line).await.expect("detail").state,
        LineState::Active
    );
    assert_eq!(
        freebit.withdraw_cancellation(&line).await,
        Err(FreebitError::NoChange)
    );
    let past = freebit.cancel_line(&line, date!(2025 - 05 - 01)).await;
    assert!(matches!(past, Err(FreebitError::BadRequest(c)) if c.status_code == "303"));
}

#[tokio::test]
async fn an_mnp_out_number_is_reserved_for_fifteen_days() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let line = msisdn(ALEX);
    let reservation = freebit.reserve_mnp_out(&line).await.expect("reserved");
    assert_eq!(reservation.number.len(), 10);
    assert!(reservation.number.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(reservation.expires_on, date!(2025 - 05 - 29));
    let again = freebit.reserve_mnp_out(&line).await.expect("the same");
    assert_eq!(again, reservation);
    assert_eq!(
        freebit.reserve_mnp_out(&msisdn(HANAKO_VOICE)).await,
        Err(FreebitError::NotActive)
    );
}

#[tokio::test]
async fn an_expired_auth_key_is_renewed_once() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let line = msisdn(ALEX);
    freebit.account_detail(&line).await.expect("detail");
    env.control("/_sandbox/expire-auth-keys", json!({})).await;
    env.clear_requests().await;

    freebit.account_detail(&line).await.expect("renewed");
    let paths: Vec<(String, String)> = env
        .requests()
        .await
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap_or("").to_owned(),
                r["result"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        paths,
        [
            ("master/getAcntDetail".into(), "401-202".into()),
            ("authOem".into(), "100-200".into()),
            ("master/getAcntDetail".into(), "100-200".into()),
        ]
    );

    // The new key is cached: the next call does not authenticate.
    freebit.traffic(&line, None).await.expect("traffic");
    assert_eq!(
        env.requests()
            .await
            .iter()
            .filter(|r| r["path"] == "authOem")
            .count(),
        1
    );

    // Refused twice in a row: one new key, then the error.
    env.provider_fault("master/getAcntDetail", "auth_expired", 2);
    let refused = freebit.account_detail(&line).await;
    assert!(matches!(refused, Err(FreebitError::Auth(_))), "{refused:?}");
    assert_eq!(
        env.requests()
            .await
            .iter()
            .filter(|r| r["path"] == "authOem")
            .count(),
        2,
        "exactly one re-authentication"
    );
}

#[tokio::test]
async fn wrong_oem_credentials_are_refused() {
    let env = FreebitEnv::start().await;
    let mut wrong = settings();
    wrong.oem_key = SecretString::from("not-the-key");
    let refused = env.client_with(wrong).authenticate().await;
    match refused {
        Err(FreebitError::Auth(code)) => {
            assert_eq!(
                (code.result_code.as_str(), code.status_code.as_str()),
                ("401", "203")
            );
        }
        other => panic!("expected 401-203, got {other:?}"),
    }
    let sent = env.requests().await;
    assert!(
        sent.iter().all(|r| r["body"].get("oemKey").is_none()),
        "keys are not logged"
    );
}

#[tokio::test]
async fn error_codes_reach_their_variants() {
    let env = FreebitEnv::start().await;
    let freebit = env.client();
    let alex = msisdn(ALEX);

    // 404-210: a number that is not ours.
    assert_eq!(
        freebit.account_detail(&msisdn("070-0000-0000")).await,
        Err(FreebitError::NotFound)
    );
    // 409-336 / 409-337: no plan; a SIM inside a share group.
    env.control(
        &format!("/_sandbox/lines/{ALEX}"),
        json!({ "share_group": "QUMB_00000000001" }),
    )
    .await;
    assert_eq!(
        freebit.traffic(&alex, None).await,
        Err(FreebitError::ShareGroupMember)
    );
    let addition = QuotaAddition::top_up(TopUpAmount::parse("1").expect("1 GB"), "INV-1");
    assert_eq!(
        freebit.add_quota(&alex, &addition).await,
        Err(FreebitError::ShareGroupMember)
    );
    env.control(
        &format!("/_sandbox/lines/{ALEX}"),
        json!({ "share_group": null, "plan_code": "" }),
    )
    .await;
    assert_eq!(
        freebit.traffic(&alex, None).await,
        Err(FreebitError::NoPlan)
    );
    env.control(
        &format!("/_sandbox/lines/{ALEX}"),
        json!({ "plan_code": "PLAN-D20" }),
    )
    .await;

    // 429-900, 503-998, 500-999 and a page without an envelope, injected.
    env.provider_fault("master/getAcntDetail", "rate_limit", 1);
    assert_eq!(
        freebit.account_detail(&alex).await,
        Err(FreebitError::RateLimited)
    );
    env.provider_fault("master/getAcntDetail", "maintenance", 3);
    assert_eq!(
        freebit.account_detail(&alex).await,
        Err(FreebitError::Maintenance),
        "retried twice, then given up"
    );
    env.provider_fault("master/getAcntDetail", "internal", 3);
    let internal = freebit.account_detail(&alex).await;
    assert!(
        matches!(&internal, Err(FreebitError::Other(c)) if c.result_code == "500" && c.status_code == "999"),
        "{internal:?}"
    );
    assert!(internal.err().is_some_and(|e| e.is_transient()));
    env.provider_fault("master/getAcntDetail", "internal", 1);
    freebit
        .account_detail(&alex)
        .await
        .expect("a read is retried after one internal error");
    env.provider_fault("master/getAcntDetail", "not_json", 1);
    assert!(matches!(
        freebit.account_detail(&alex).await,
        Err(FreebitError::Decode(_))
    ));
    // A write is not repeated after server trouble: it may have been applied.
    env.provider_fault("mvno/changeSpeed", "internal", 1);
    assert!(matches!(
        freebit.set_speed_mode(&alex, SpeedMode::Low).await,
        Err(FreebitError::Other(_))
    ));
    env.fault(
        "/emptool/api/mvno/getTrafficInfo",
        FaultKind::Status { status: 502 },
        1,
    );
    freebit
        .traffic(&alex, None)
        .await
        .expect("a read is retried after a gateway error");

    // 400-356 (the evidenced code) and the other 400s, sent raw.
    let key = env.auth_key().await;
    let cases = [
        (
            "mvno/esim/addAcnt/",
            json!({ "authKey": key, "account": "08098765432", "addKind": "R", "aladinOperated": "10", "eid": "89049032004008882600099999999999" }),
            "400-356",
        ),
        (
            "mvno/talkoption/changeOrder/",
            json!({ "authKey": key, "account": "09087654321", "userConfirmed": "20", "talkOption": { "voiceMail": "10" } }),
            "400-304",
        ),
        (
            "mvno/talkoption/changeOrder/",
            json!({ "authKey": key, "account": "09087654321", "userConfirmed": "10", "talkOption": {} }),
            "400-304",
        ),
        (
            "master/addSpec/",
            json!({ "authKey": key, "kind": "MVNO", "account": "08098765432", "quota": "1GB" }),
            "400-302",
        ),
        (
            "master/addSpec/",
            json!({ "authKey": key, "kind": "MVNO", "account": "08098765432", "quota": "0" }),
            "400-303",
        ),
        (
            "master/addSpec/",
            json!({ "authKey": key, "kind": "MVNO", "account": "08098765432" }),
            "400-301",
        ),
        (
            "mvno/getTrafficInfo/",
            json!({ "account": "08098765432" }),
            "401-201",
        ),
        (
            "mvno/getTrafficInfo/",
            json!({ "authKey": "AK-made-up", "account": "08098765432" }),
            "401-201",
        ),
        (
            "mvno/contractline/change/",
            json!({ "authKey": key, "account": "08098765432", "contractLine": "3G" }),
            "400-302",
        ),
    ];
    for (path, body, expected) in cases {
        let (status, answer) = env.raw_json(path, &body).await;
        assert_eq!(
            (status, code(&answer)),
            (200, expected.to_owned()),
            "{path} {body}"
        );
    }
}

#[tokio::test]
async fn the_body_is_a_form_with_one_json_field() {
    let env = FreebitEnv::start().await;
    let key = env.auth_key().await;
    let request = json!({ "authKey": key, "account": "08098765432" });

    let (status, answer) = env.raw_json("mvno/getTrafficInfo/", &request).await;
    assert_eq!((status, code(&answer)), (200, "100-200".into()));

    let boundary = "----portal-test";
    let multipart = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"json\"\r\n\r\n{request}\r\n--{boundary}--\r\n"
    );
    let (status, answer) = env
        .raw(
            "mvno/getTrafficInfo/",
            &format!("multipart/form-data; boundary={boundary}"),
            multipart,
        )
        .await;
    assert_eq!(
        (status, code(&answer)),
        (200, "100-200".into()),
        "multipart is accepted too"
    );

    let (status, answer) = env
        .raw(
            "mvno/getTrafficInfo/",
            "application/json",
            request.to_string(),
        )
        .await;
    assert_eq!(
        (status, code(&answer)),
        (200, "400-301".into()),
        "a JSON body is not a form"
    );
    let (status, answer) = env
        .raw(
            "mvno/getTrafficInfo/",
            "application/x-www-form-urlencoded",
            "json=%7Bnot%20json".into(),
        )
        .await;
    assert_eq!((status, code(&answer)), (200, "400-301".into()));
    let (status, _) = env
        .raw(
            "mvno/noSuchThing/",
            "application/x-www-form-urlencoded",
            "json=%7B%7D".into(),
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn cached_reads_ask_freebit_once_per_freshness_period() {
    use portal::server::cache::{Cache, MemoryBackend};
    use portal::server::integrations::freebit::CachedLines;
    use std::sync::Arc;
    use std::time::Duration;

    let env = FreebitEnv::start().await;
    let cache = Cache::new(Arc::new(MemoryBackend::new(100)));
    // A freshness under five minutes is raised to five.
    let lines = CachedLines::new(
        env.client(),
        cache,
        Duration::from_secs(1),
        Duration::from_secs(3600),
    );
    let line = msisdn(ALEX);
    let calls = || async {
        env.requests()
            .await
            .iter()
            .filter(|r| r["path"] == "master/getAcntDetail" || r["path"] == "mvno/getTrafficInfo")
            .count()
    };
    let first = lines.detail(&line).await.expect("detail");
    let usage = lines.usage(&line).await.expect("usage");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let again = lines.detail(&line).await.expect("detail");
    lines.usage(&line).await.expect("usage");
    assert_eq!(calls().await, 2, "one detail and one traffic call");
    assert_eq!(again.as_of, first.as_of);
    assert!(!again.stale && usage.value.days.len() == 30);

    // The portal's own change drops the line's copies.
    lines
        .client()
        .set_speed_mode(&line, SpeedMode::Low)
        .await
        .expect("changed");
    lines.invalidate(&line).await;
    assert_eq!(
        lines.detail(&line).await.expect("detail").value.speed,
        SpeedMode::Low
    );
    assert_eq!(calls().await, 3);

    // Dropped copies are gone: with Freebit down, the read fails (stale-on-error is the
    // cache's own contract, tested in `cache_contract`).
    lines.invalidate(&line).await;
    env.provider_fault("master/getAcntDetail", "maintenance", 3);
    let down = lines.detail(&line).await;
    assert!(down.is_err(), "a dropped copy is not served");
}
