//! Usage alerts over HTTP, against the Freebit simulator's virtual clock: a threshold below
//! this month's usage raises one in-app notice and one mail; refreshing again raises nothing
//! more; the next month (the simulator's clock moved on) alerts again; clearing works; another
//! customer's line is not found. Also the month view of the usage card and the "SIM platform"
//! component on `/ready` and the status page.

use crate::browser::Browser;
use crate::helpers::{TestApp, spawn_app};
use serde_json::{Value, json};

const DEMO_PASSWORD: &str = "sandbox-demo-2026";
const LINE: &str = "09012345678";
const DAY: i64 = 86_400;

async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let mut browser = Browser::new(&app.address);
    browser.login(email, DEMO_PASSWORD).await;
    browser
}

/// Calls the Freebit simulator's control API.
async fn freebit_control(app: &TestApp, path: &str, body: Value) {
    let base = app.provider_urls.get("freebit").expect("freebit simulator");
    let res = app
        .client
        .post(format!("{base}{path}"))
        .json(&body)
        .send()
        .await
        .expect("control call");
    assert!(res.status().is_success(), "{path}: {}", res.status());
}

/// Stops the simulator's clock at a fixed instant, 20 November 2026 at noon in Japan (it
/// re-seeds the lines as of then), so usage figures are the same every run.
async fn freeze_on_20_november(app: &TestApp) {
    freebit_control(
        app,
        "/_sandbox/clock",
        json!({ "now": "2026-11-20T03:00:00Z", "frozen": true }),
    )
    .await;
}

/// Drops the portal's cached figures of the line, as five minutes passing would.
async fn expire_cache(app: &TestApp) {
    app.state
        .cache
        .invalidate(&format!("sim:{LINE}"))
        .await
        .expect("cache");
}

/// Alert mails to hanako about the line.
fn alert_mails(app: &TestApp) -> Vec<String> {
    app.state
        .mailer
        .catcher()
        .expect("sandbox mail catcher")
        .all()
        .into_iter()
        .filter(|m| m.mail.to == "hanako@example.jp" && m.mail.subject.contains("090-1234-5678"))
        .map(|m| m.mail.body)
        .collect()
}

async fn panel(browser: &mut Browser) -> Value {
    let answer = browser
        .post("/api/sims/alerts/get", &[("number", LINE)])
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

fn months(notices: &Value) -> Vec<String> {
    notices
        .as_array()
        .expect("notices")
        .iter()
        .map(|n| n["body"]["month"].as_str().expect("month").to_owned())
        .collect()
}

#[tokio::test]
async fn sim_alerts_notify_once_per_threshold_per_month() {
    let app = spawn_app().await;
    freeze_on_20_november(&app).await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;

    // No alert yet: nothing raised, nothing mailed.
    let before = panel(&mut hanako).await;
    assert_eq!(before["threshold_gb"], Value::Null);
    assert_eq!(before["notices"], json!([]));

    // A bad threshold is refused on its field.
    for bad in ["", "0", "abc", "1000.5"] {
        let refused = hanako
            .post(
                "/api/sims/alerts/set",
                &[("number", LINE), ("threshold_gb", bad)],
            )
            .await;
        assert_eq!(refused.status, 422, "{bad}: {}", refused.body);
        assert_eq!(refused.json()["fields"][0]["field"], "threshold_gb");
    }

    // 0.1 GB: well below 20 days of this line's usage.
    let set = hanako
        .post(
            "/api/sims/alerts/set",
            &[("number", "090-1234-5678"), ("threshold_gb", "0.1")],
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(set.json(), "Saved");
    assert!(
        alert_mails(&app).is_empty(),
        "nothing sent before a refresh"
    );

    let after = panel(&mut hanako).await;
    assert_eq!(after["threshold_gb"], "0.1");
    assert_eq!(months(&after["notices"]), ["2026-11"], "{after}");
    assert_eq!(after["notices"][0]["body"]["threshold"], 102);
    let mails = alert_mails(&app);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0].contains("0.1 GB"), "{}", mails[0]);
    assert!(
        mails[0].contains("2026年11月"),
        "hanako reads Japanese: {}",
        mails[0]
    );
    assert!(mails[0].contains(&format!("/sims/{LINE}")), "{}", mails[0]);

    // Refreshed again (the cached figures expired, then the dashboard too): no second alert.
    expire_cache(&app).await;
    let again = panel(&mut hanako).await;
    assert_eq!(months(&again["notices"]), ["2026-11"]);
    expire_cache(&app).await;
    let all = hanako.post("/api/notices", &[]).await;
    assert_eq!(all.status, 200, "{}", all.body);
    assert_eq!(months(&all.json()), ["2026-11"]);
    assert_eq!(
        alert_mails(&app).len(),
        1,
        "one mail per threshold per month"
    );

    // Twelve days on it is 2 December in Japan: a new month, a new alert.
    freebit_control(&app, "/_sandbox/advance", json!({ "seconds": 12 * DAY })).await;
    expire_cache(&app).await;
    let december = panel(&mut hanako).await;
    assert_eq!(
        months(&december["notices"]),
        ["2026-12", "2026-11"],
        "{december}"
    );
    let mails = alert_mails(&app);
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert!(mails.iter().any(|m| m.contains("2026年12月")), "{mails:?}");
    expire_cache(&app).await;
    panel(&mut hanako).await;
    assert_eq!(alert_mails(&app).len(), 2);

    // Both notices show on the dashboard and on the SIM page until dismissed.
    let dashboard = hanako.get("/").await;
    assert_eq!(dashboard.status, 200);
    assert!(dashboard.body.contains("data-testid=\"dashboard-notices\""));
    assert_eq!(dashboard.body.matches("data-testid=\"notice\"").count(), 2);
    let page = hanako.get(&format!("/sims/{LINE}")).await;
    assert!(page.body.contains("data-testid=\"usage-alert-current\""));
    assert_eq!(page.body.matches("data-testid=\"notice\"").count(), 2);

    // Dismissing (here as a plain form post) hides one, and only once.
    let id = december["notices"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let dismissed = hanako
        .post_with(
            "/api/notices/dismiss",
            &[("id", &id), ("back", &format!("/sims/{LINE}"))],
            &[("accept", "text/html")],
        )
        .await;
    assert_eq!(dismissed.status, 302, "{}", dismissed.body);
    assert_eq!(
        dismissed.location.as_deref(),
        Some(format!("/sims/{LINE}?alert=dismissed").as_str())
    );
    assert_eq!(months(&panel(&mut hanako).await["notices"]), ["2026-11"]);
    let twice = hanako.post("/api/notices/dismiss", &[("id", &id)]).await;
    assert_eq!(twice.status, 404, "{}", twice.body);

    // Clearing (as a plain form post) stops further alerts; the notice left stays.
    let cleared = hanako
        .post_with(
            "/api/sims/alerts/clear",
            &[("number", LINE)],
            &[("accept", "text/html")],
        )
        .await;
    assert_eq!(cleared.status, 302, "{}", cleared.body);
    assert_eq!(
        cleared.location.as_deref(),
        Some(format!("/sims/{LINE}?alert=cleared").as_str())
    );
    let cleared = panel(&mut hanako).await;
    assert_eq!(cleared["threshold_gb"], Value::Null);
    assert_eq!(months(&cleared["notices"]), ["2026-11"]);
    let page = hanako.get(&format!("/sims/{LINE}")).await;
    assert!(page.body.contains("data-testid=\"usage-alert-none\""));
}

#[tokio::test]
async fn sim_alerts_of_another_customers_line_are_not_found() {
    let app = spawn_app().await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;
    let set = hanako
        .post(
            "/api/sims/alerts/set",
            &[("number", LINE), ("threshold_gb", "0.1")],
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.body);
    let raised = panel(&mut hanako).await;
    let id = raised["notices"][0]["id"]
        .as_str()
        .expect("a notice")
        .to_owned();

    let mut alex = signed_in(&app, "alex@example.com").await;
    for (path, form) in [
        ("/api/sims/alerts/get", vec![("number", LINE)]),
        (
            "/api/sims/alerts/set",
            vec![("number", LINE), ("threshold_gb", "1")],
        ),
        ("/api/sims/alerts/clear", vec![("number", LINE)]),
        ("/api/notices/dismiss", vec![("id", id.as_str())]),
    ] {
        let answer = alex.post(path, &form).await;
        assert_eq!(answer.status, 404, "{path}: {}", answer.body);
    }
    // Alex sees none of hanako's notices, and hanako's alert is untouched.
    assert_eq!(alex.post("/api/notices", &[]).await.json(), json!([]));
    let still = panel(&mut hanako).await;
    assert_eq!(still["threshold_gb"], "0.1");
    assert_eq!(still["notices"].as_array().map(Vec::len), Some(1));
    // An unknown number is not found either.
    let unknown = hanako
        .post("/api/sims/alerts/get", &[("number", "not-a-number")])
        .await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn sim_alerts_set_without_javascript_comes_back_to_the_line() {
    let app = spawn_app().await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;
    let saved = hanako
        .post_with(
            "/api/sims/alerts/set",
            &[("number", "090-1234-5678"), ("threshold_gb", "５")],
            &[("accept", "text/html")],
        )
        .await;
    assert_eq!(saved.status, 302, "{}", saved.body);
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("/sims/{LINE}?alert=saved").as_str())
    );
    let page = hanako.get(&format!("/sims/{LINE}?alert=saved")).await;
    assert!(page.body.contains("data-testid=\"form-notice\""));
    assert!(
        page.body.contains("data-gb=\"5\""),
        "the threshold is shown"
    );
}

#[tokio::test]
async fn sim_usage_month_view_shows_the_months_total_against_the_plan() {
    let app = spawn_app().await;
    freeze_on_20_november(&app).await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;
    let days = hanako.get(&format!("/sims/{LINE}")).await;
    assert!(days.body.contains("data-testid=\"usage-range-30d\""));
    assert!(days.body.contains("href=\"/sims/09012345678?range=month\""));
    assert!(!days.body.contains("data-testid=\"usage-month-total\""));
    let last_30 = days.body.matches("data-testid=\"usage-bar\"").count();
    assert!(last_30 >= 28, "{last_30} bars");

    let month = hanako.get(&format!("/sims/{LINE}?range=month")).await;
    assert_eq!(month.status, 200);
    for needle in [
        "data-testid=\"usage-month-total\"",
        "data-testid=\"usage-month-used\"",
        "data-testid=\"usage-month-allowance\"",
        "data-testid=\"usage-month-percent\"",
        "role=\"img\"",
        "<title>",
        "data-testid=\"usage-table\"",
    ] {
        assert!(month.body.contains(needle), "the month view lacks {needle}");
    }
    assert!(month.body.contains("this month so far") || month.body.contains("今月これまで"));
    // 1 to 20 November.
    assert_eq!(month.body.matches("data-testid=\"usage-bar\"").count(), 20);
    assert!(month.body.contains("data-date=\"2026-11-01\""));
    assert!(!month.body.contains("data-date=\"2026-10-31\""));
}

#[tokio::test]
async fn sim_platform_is_a_component_of_ready_and_status() {
    let app = spawn_app().await;
    let ready: Value = app
        .client
        .get(format!("{}/ready", app.address))
        .send()
        .await
        .expect("ready")
        .json()
        .await
        .expect("json");
    let sim = ready["components"]
        .as_array()
        .expect("components")
        .iter()
        .find(|c| c["component"] == "sim_platform")
        .cloned()
        .unwrap_or_else(|| panic!("no SIM platform in {ready}"));
    assert_ne!(sim["health"], "down", "{sim}");
    assert_eq!(sim["backend"], "freebit");

    let page = app
        .client
        .get(format!("{}/status", app.address))
        .send()
        .await
        .expect("status page")
        .text()
        .await
        .expect("body");
    assert!(page.contains("data-component=\"sim-platform\""));
}
