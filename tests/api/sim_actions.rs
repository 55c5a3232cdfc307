//! SIM line actions over HTTP against the Freebit simulator: each confirmed action changes the
//! simulator's line exactly once (checked on its control API: the stored line and the decoded
//! request log), a re-posted form acts once, business-rule refusals are clear messages, and
//! another customer's line is not found without Freebit being asked.

use crate::browser::{Answer, Browser};
use crate::helpers::{TestApp, spawn_app};
use portal::domain::common::date::JST;
use portal::domain::sim::{cancellation_date, next_plan_change_date};
use serde_json::{Value, json};
use time::OffsetDateTime;

const DEMO_PASSWORD: &str = "sandbox-demo-2026";

async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let mut browser = Browser::new(&app.address);
    browser.login(email, DEMO_PASSWORD).await;
    browser
}

fn freebit(app: &TestApp) -> String {
    app.provider_urls
        .get("freebit")
        .cloned()
        .expect("the Freebit simulator runs")
}

async fn sim_get(app: &TestApp, path: &str) -> Value {
    app.client
        .get(format!("{}{path}", freebit(app)))
        .send()
        .await
        .expect("control API")
        .json()
        .await
        .expect("json")
}

async fn sim_post(app: &TestApp, path: &str, body: Value) {
    let answer = app
        .client
        .post(format!("{}{path}", freebit(app)))
        .json(&body)
        .send()
        .await
        .expect("control API");
    assert!(answer.status().is_success(), "{path}: {}", answer.status());
}

/// The rate limit (1 write / 10 s per line) would refuse a test's quick succession of writes.
async fn no_rate_limits(app: &TestApp) {
    sim_post(app, "/_sandbox/settings", json!({ "rate_limits": false })).await;
}

/// How many requests to a path containing `path` the simulator received for `account`.
async fn calls(app: &TestApp, account: &str, path: &str) -> usize {
    let log = sim_get(app, "/_sandbox/requests").await;
    log.as_array()
        .expect("request log")
        .iter()
        .filter(|r| {
            r["account"].as_str() == Some(account)
                && r["path"].as_str().is_some_and(|p| p.contains(path))
        })
        .count()
}

fn today() -> time::Date {
    OffsetDateTime::now_utc().to_offset(JST).date()
}

fn ymd(date: time::Date) -> String {
    format!(
        "{:04}{:02}{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The line's actions (with a fresh one-use token).
async fn actions(browser: &mut Browser, number: &str) -> Value {
    let answer = browser
        .post("/api/sims/actions", &[("number", number)])
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

/// A fresh one-use token for the line's forms.
async fn fresh_token(browser: &mut Browser, number: &str) -> String {
    actions(browser, number).await["token"]
        .as_str()
        .expect("token")
        .to_owned()
}

async fn act(browser: &mut Browser, number: &str, token: &str, fields: &[(&str, &str)]) -> Answer {
    let mut form = vec![("number", number), ("token", token)];
    form.extend_from_slice(fields);
    browser.post("/api/sims/action", &form).await
}

/// Sends a form twice, as a double click would: done once, then `already_done`.
async fn acts_once(browser: &mut Browser, number: &str, token: &str, fields: &[(&str, &str)]) {
    assert_eq!(status(&act(browser, number, token, fields).await), "done");
    assert_eq!(
        status(&act(browser, number, token, fields).await),
        "already_done"
    );
}

fn status(answer: &Answer) -> String {
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn sim_actions_plan_change_preview_withdraw_book_and_a_second_change_refused() {
    let app = spawn_app().await;
    no_rate_limits(&app).await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;
    let number = "09012345678";

    let offered = actions(&mut hanako, number).await;
    let codes: Vec<&str> = offered["choices"]
        .as_array()
        .expect("choices")
        .iter()
        .map(|p| p["code"].as_str().expect("code"))
        .collect();
    assert!(
        codes.contains(&"PLAN-D10") && codes.contains(&"PLAN-D50"),
        "{codes:?}"
    );
    assert!(
        !codes.contains(&"PLAN-D20"),
        "not the current plan: {codes:?}"
    );
    assert!(
        codes.iter().all(|c| c.starts_with("PLAN-D")),
        "data plans only: {codes:?}"
    );
    assert_eq!(offered["pending_plan_change"]["to"], "PLAN-D10");
    let page = hanako.get("/sims/09012345678").await;
    assert!(page.body.contains("data-testid=\"plan-change-booked\""));
    assert!(page.body.contains("data-testid=\"plan-withdraw-form\""));

    // Withdraw the booked change: once, and a re-posted form is not sent again.
    let token = offered["token"].as_str().expect("token").to_owned();
    acts_once(&mut hanako, number, &token, &[("action", "plan_withdraw")]).await;
    assert_eq!(calls(&app, number, "cancelPlanChange").await, 1);
    let line = sim_get(&app, "/_sandbox/lines/09012345678").await;
    assert_eq!(line["reserved_plan"], Value::Null, "{line}");

    // The preview: current → new plan, what changes, from the 1st of next month.
    let effective = next_plan_change_date(today());
    let preview = hanako.get("/sims/09012345678?preview_plan=PLAN-D50").await;
    assert!(
        preview.body.contains("data-testid=\"plan-preview\""),
        "preview shown"
    );
    assert!(preview.body.contains(&format!("datetime=\"{effective}\"")));
    assert!(preview.body.contains("+30 GB"), "the data difference");
    assert!(preview.body.contains("data-testid=\"plan-confirm-form\""));

    // Book it (a form post without JavaScript: sent back to the SIM page with the outcome).
    let token = fresh_token(&mut hanako, number).await;
    let form = [
        ("number", number),
        ("token", token.as_str()),
        ("action", "plan_change"),
        ("plan", "PLAN-D50"),
    ];
    let booked = hanako
        .post_with("/api/sims/action", &form, &[("accept", "text/html")])
        .await;
    assert!(
        matches!(booked.status, 302 | 303),
        "{}: {}",
        booked.status,
        booked.body
    );
    let back = booked.location.expect("redirect");
    assert!(
        back.starts_with("/sims/09012345678?sim_action=plan_change&sim_status=done"),
        "{back}"
    );
    let resent = hanako
        .post_with("/api/sims/action", &form, &[("accept", "text/html")])
        .await;
    assert!(
        resent
            .location
            .unwrap_or_default()
            .contains("sim_status=already_done")
    );
    assert_eq!(calls(&app, number, "changePlan").await, 1);
    let line = sim_get(&app, "/_sandbox/lines/09012345678").await;
    assert_eq!(line["reserved_plan"]["plan_code"], "PLAN-D50", "{line}");
    assert_eq!(line["reserved_plan"]["on"], ymd(effective));
    let page = hanako.get(&back).await;
    assert!(
        page.body.contains("data-testid=\"form-notice\""),
        "the outcome is shown"
    );

    // A second change in the month is refused with a clear message, and nothing changes.
    let token = fresh_token(&mut hanako, number).await;
    let second = act(
        &mut hanako,
        number,
        &token,
        &[("action", "plan_change"), ("plan", "PLAN-D03")],
    )
    .await;
    assert_eq!(status(&second), "plan_change_reserved");
    assert!(
        second.json()["message"]
            .as_str()
            .is_some_and(|m| m.contains("already booked")),
        "{}",
        second.body
    );
    assert!(
        !second.body.contains("409"),
        "no vendor codes: {}",
        second.body
    );
    let page = hanako
        .get("/sims/09012345678?sim_action=plan_change&sim_status=plan_change_reserved&t=x")
        .await;
    assert!(page.body.contains("data-testid=\"sim-action-refused\""));
    let line = sim_get(&app, "/_sandbox/lines/09012345678").await;
    assert_eq!(line["reserved_plan"]["plan_code"], "PLAN-D50");

    // A voice plan for a data line is refused by the portal, before Freebit.
    let voice_plan = act(
        &mut hanako,
        number,
        &token,
        &[("action", "plan_change"), ("plan", "PLAN-V10")],
    )
    .await;
    assert_eq!(voice_plan.status, 422, "{}", voice_plan.body);
    assert_eq!(
        calls(&app, number, "changePlan").await,
        2,
        "booked + refused"
    );

    // Speed mode: changed at once, exactly once.
    acts_once(
        &mut hanako,
        number,
        &token,
        &[("action", "speed"), ("speed", "low")],
    )
    .await;
    assert_eq!(calls(&app, number, "changeSpeed").await, 1);
    let line = sim_get(&app, "/_sandbox/lines/09012345678").await;
    assert_eq!(line["speed_low"], true);

    // Each change is in the customer's activity log.
    let security = hanako.get("/account/security").await;
    assert!(security.body.contains("SIM line changed"), "audited");
}

#[tokio::test]
async fn sim_actions_cancellation_shows_the_date_then_books_and_withdraws() {
    let app = spawn_app().await;
    no_rate_limits(&app).await;
    let mut alex = signed_in(&app, "alex@example.com").await;
    let number = "08098765432";
    let on = cancellation_date(today());

    let page = alex.get("/sims/08098765432").await;
    assert!(page.body.contains("data-testid=\"cancel-date\""));
    assert!(
        page.body.contains(&format!("datetime=\"{on}\"")),
        "the date before confirming"
    );
    let offered = actions(&mut alex, number).await;
    assert_ne!(offered["cancellation_on"], Value::Null, "{offered}");
    let token = offered["token"].as_str().expect("token").to_owned();

    let no_reason = act(&mut alex, number, &token, &[("action", "cancel")]).await;
    assert_eq!(no_reason.status, 422, "{}", no_reason.body);
    assert_eq!(calls(&app, number, "cnclAcnt").await, 0);

    let cancel = [("action", "cancel"), ("reason", "switching_carrier")];
    acts_once(&mut alex, number, &token, &cancel).await;
    assert_eq!(calls(&app, number, "cnclAcnt").await, 1);
    let line = sim_get(&app, "/_sandbox/lines/08098765432").await;
    assert_eq!(line["cancel_on"], ymd(on), "{line}");
    let page = alex.get("/sims/08098765432?t=1").await;
    assert!(page.body.contains("data-testid=\"cancel-scheduled\""));
    assert!(page.body.contains("data-testid=\"cancel-withdraw-form\""));

    let token = fresh_token(&mut alex, number).await;
    let withdraw = act(&mut alex, number, &token, &[("action", "cancel_withdraw")]).await;
    assert_eq!(status(&withdraw), "done");
    assert_eq!(calls(&app, number, "cancelCnclAcnt").await, 1);
    let line = sim_get(&app, "/_sandbox/lines/08098765432").await;
    assert_eq!(line["cancel_on"], Value::Null, "{line}");
}

#[tokio::test]
async fn sim_actions_esim_reissue_shows_the_qr_code_once_released() {
    let app = spawn_app().await;
    no_rate_limits(&app).await;
    let mut alex = signed_in(&app, "alex@example.com").await;
    let number = "08098765432";

    let offered = actions(&mut alex, number).await;
    assert_eq!(offered["esim"]["state"], "Installed", "{offered}");
    assert_eq!(offered["esim"]["activation_code"], Value::Null);
    let token = offered["token"].as_str().expect("token").to_owned();
    let reissue = [("action", "esim_reissue"), ("eid", "")];
    acts_once(&mut alex, number, &token, &reissue).await;
    assert_eq!(calls(&app, number, "esim/addAcnt").await, 1);
    let line = sim_get(&app, "/_sandbox/lines/08098765432").await;
    assert_eq!(line["orders"][0]["type"], "ESIM_REISSUE", "{line}");

    let preparing = actions(&mut alex, number).await;
    assert_eq!(preparing["esim"]["state"], "Preparing");
    let page = alex.get("/sims/08098765432?t=2").await;
    assert!(page.body.contains("data-testid=\"esim-preparing\""));
    assert!(!page.body.contains("data-testid=\"esim-qr\""));

    sim_post(&app, "/_sandbox/advance", json!({ "seconds": 700 })).await;
    let released = actions(&mut alex, number).await;
    assert_eq!(released["esim"]["state"], "Released", "{released}");
    let code = released["esim"]["activation_code"].as_str().expect("code");
    assert!(code.starts_with("LPA:1$"), "{code}");
    assert!(
        released["esim"]["qr_svg"]
            .as_str()
            .is_some_and(|svg| svg.starts_with("<svg")),
        "QR as SVG"
    );
    let raw = app
        .client
        .post(format!("{}/api/sims/actions", app.address))
        .header("cookie", alex.cookie_header())
        .form(&[("number", number)])
        .send()
        .await
        .expect("actions");
    assert_eq!(
        raw.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store"),
        "the activation code is not cached"
    );
    let page = alex.get("/sims/08098765432?t=3").await;
    assert!(page.body.contains("data-testid=\"esim-qr\""));
    assert!(page.body.contains("data-testid=\"esim-activation-code\""));
    assert_eq!(
        calls(&app, number, "esim/addAcnt").await,
        1,
        "still one reissue"
    );
}

#[tokio::test]
async fn sim_actions_suspended_line_refuses_changes_resumes_and_suspends() {
    let app = spawn_app().await;
    no_rate_limits(&app).await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;
    let number = "09087654321";

    // Suspended at Freebit though active in billing: said plainly, resume offered.
    let page = hanako.get("/sims/09087654321").await;
    assert!(page.body.contains("data-testid=\"sim-suspended-note\""));
    assert!(page.body.contains("data-testid=\"resume-form\""));
    assert!(!page.body.contains("data-testid=\"voice-form\""));
    let ja = app
        .client
        .get(format!("{}/sims/09087654321", app.address))
        .header(
            "cookie",
            format!("{}; i18n_pref_locale=ja", hanako.cookie_header()),
        )
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    assert!(
        ja.contains("この回線の手続き") && ja.contains("回線の利用を再開する"),
        "the area in Japanese"
    );

    let token = fresh_token(&mut hanako, number).await;
    let roaming = [
        ("action", "voice"),
        ("voicemail", "on"),
        ("call_waiting", "on"),
        ("intl_roaming", "on"),
    ];
    let refused = act(&mut hanako, number, &token, &roaming).await;
    assert_eq!(status(&refused), "not_active");
    assert!(
        refused.json()["message"]
            .as_str()
            .is_some_and(|m| m.contains("suspended")),
        "{}",
        refused.body
    );

    acts_once(&mut hanako, number, &token, &[("action", "resume")]).await;
    let line = sim_get(&app, "/_sandbox/lines/09087654321").await;
    assert_eq!(line["suspended"], Value::Null, "{line}");

    // Active again: the same voice change (a failed try may be sent again) goes through once.
    acts_once(&mut hanako, number, &token, &roaming).await;
    let line = sim_get(&app, "/_sandbox/lines/09087654321").await;
    let orders = line["orders"].as_array().expect("orders");
    assert_eq!(orders.len(), 1, "{line}");
    assert_eq!(orders[0]["type"], "TALK_OPTION");

    // 4G → 5G once the voice order has finished.
    sim_post(&app, "/_sandbox/advance", json!({ "seconds": 400 })).await;
    let token = fresh_token(&mut hanako, number).await;
    let network = [("action", "network"), ("network", "5g")];
    assert_eq!(
        status(&act(&mut hanako, number, &token, &network).await),
        "done"
    );
    assert_eq!(calls(&app, number, "contractline").await, 1);

    let suspend = act(&mut hanako, number, &token, &[("action", "suspend")]).await;
    assert_eq!(status(&suspend), "done");
    let line = sim_get(&app, "/_sandbox/lines/09087654321").await;
    assert_eq!(line["suspended"], "LOST", "{line}");
    assert_eq!(
        calls(&app, number, "changeState").await,
        2,
        "resume + suspend"
    );
}

#[tokio::test]
async fn sim_actions_another_customers_line_is_not_found_and_freebit_not_asked() {
    let app = spawn_app().await;
    let mut alex = signed_in(&app, "alex@example.com").await;
    app.client
        .delete(format!("{}/_sandbox/requests", freebit(&app)))
        .send()
        .await
        .expect("clear the log");

    let other = alex
        .post("/api/sims/actions", &[("number", "090-1234-5678")])
        .await;
    assert_eq!(other.status, 404, "{}", other.body);
    for fields in [
        vec![("action", "suspend")],
        vec![("action", "plan_change"), ("plan", "PLAN-D50")],
        vec![("action", "cancel"), ("reason", "cost")],
        vec![("action", "esim_reissue")],
    ] {
        let answer = act(&mut alex, "09012345678", "token-1", &fields).await;
        assert_eq!(answer.status, 404, "{fields:?}: {}", answer.body);
    }
    let log = sim_get(&app, "/_sandbox/requests").await;
    assert!(
        log.as_array()
            .expect("log")
            .iter()
            .all(|r| r["account"].as_str() != Some("09012345678")),
        "Freebit was asked about hanako's line: {log}"
    );
}
