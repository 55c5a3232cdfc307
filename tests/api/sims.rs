//! SIM lines over HTTP (read-only): a customer's lines with their states, one line with its
//! quota buckets and daily usage, another customer's number not found, and a Freebit fault
//! answered with a clear error (or the copy already read), never a panic.

use crate::browser::Browser;
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use portal::sandbox::{FaultKind, FaultRule};

const DEMO_PASSWORD: &str = "sandbox-demo-2026";

async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let mut browser = Browser::new(&app.address);
    browser.login(email, DEMO_PASSWORD).await;
    browser
}

#[tokio::test]
async fn sims_hanako_sees_her_lines_with_their_states() {
    let app = spawn_app().await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;

    let list = hanako.post("/api/sims", &[]).await;
    assert_eq!(list.status, 200, "{}", list.body);
    let list = list.json();
    let lines = list["value"].as_array().expect("lines");
    let numbers: Vec<&str> = lines
        .iter()
        .map(|l| l["number"].as_str().expect("number"))
        .collect();
    assert_eq!(numbers, vec!["09012345678", "09087654321"], "{list}");
    assert_eq!(lines[0]["service_id"], 102);
    assert_eq!(lines[0]["formatted"], "090-1234-5678");
    assert_eq!(lines[0]["state"], "Active", "{list}");
    assert_eq!(lines[0]["plan"], "PLAN-D20");
    assert!(lines[0]["data_left_mb"].as_u64().expect("data left") > 0);
    assert_eq!(lines[1]["service_id"], 103);
    assert!(lines[1]["state"].get("Suspended").is_some(), "{list}");
    assert!(list["as_of"].as_i64().expect("as_of") > 0);
    assert_eq!(list["stale"], false);

    let page = hanako.get("/sims").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("href=\"/sims/09012345678\""));
    assert!(page.body.contains("data-state=\"suspended\""));
    assert!(page.body.contains("data-testid=\"as-of\""));
}

#[tokio::test]
async fn sims_detail_shows_buckets_usage_and_the_chart() {
    let app = spawn_app().await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;

    let one = hanako
        .post("/api/sims/get", &[("number", "090-1234-5678")])
        .await;
    assert_eq!(one.status, 200, "{}", one.body);
    let one = one.json();
    let detail = &one["value"];
    assert_eq!(detail["service_id"], 102);
    let buckets = detail["line"]["buckets"].as_array().expect("buckets");
    assert!(buckets.len() >= 2, "plan and top-up: {detail}");
    assert!(buckets.iter().any(|b| b["source"] == "TopUp"), "{detail}");
    let left: u64 = buckets
        .iter()
        .map(|b| b["remaining_mb"].as_u64().expect("mb"))
        .sum();
    assert_eq!(detail["data_left_mb"].as_u64(), Some(left));
    assert_eq!(detail["line"]["pending_plan_change"]["to"], "PLAN-D10");
    let days = detail["usage"]["days"].as_array().expect("usage days");
    assert!(days.len() >= 28, "{} days", days.len());
    assert_eq!(days.last().expect("today")["provisional"], true);

    let page = hanako.get("/sims/09012345678").await;
    assert_eq!(page.status, 200);
    for needle in [
        "data-testid=\"usage-chart\"",
        "role=\"img\"",
        "<title>",
        "data-testid=\"usage-table\"",
        "data-testid=\"sim-bucket\"",
        "data-kind=\"plan_change\"",
        "/support/new?service=102",
        "data-testid=\"as-of\"",
    ] {
        assert!(page.body.contains(needle), "the SIM page lacks {needle}");
    }
    // The ICCID leaves the server masked: only its last four digits.
    let iccid = detail["line"]["iccid"].as_str().expect("iccid");
    assert_eq!(
        iccid.chars().filter(char::is_ascii_digit).count(),
        4,
        "{iccid}"
    );
    assert!(page.body.contains(iccid));

    let voice = hanako.get("/sims/09087654321").await;
    assert_eq!(voice.status, 200);
    assert!(voice.body.contains("data-testid=\"sim-voice-option\""));

    let service = hanako.get("/services/102").await;
    assert!(service.body.contains("href=\"/sims/09012345678\""));
}

#[tokio::test]
async fn sims_another_customers_line_is_not_found() {
    let app = spawn_app().await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;

    for number in ["080-9876-5432", "08098765432", "not-a-number"] {
        let other = hanako.post("/api/sims/get", &[("number", number)]).await;
        assert_eq!(other.status, 404, "{number}: {}", other.body);
    }
    let page = hanako.get("/sims/08098765432").await;
    assert!(!page.body.contains("data-testid=\"sim-number\""));

    let mut alex = signed_in(&app, "alex@example.com").await;
    let own = alex
        .post("/api/sims/get", &[("number", "08098765432")])
        .await;
    assert_eq!(own.status, 200, "{}", own.body);
    let mine = alex
        .post("/api/sims/get", &[("number", "09012345678")])
        .await;
    assert_eq!(mine.status, 404);
}

#[tokio::test]
async fn sims_a_freebit_fault_is_a_clear_error_or_the_copy_read_before() {
    let app = spawn_app_with(&[("PORTAL__FREEBIT__MAX_RETRIES", "0")]).await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;
    let before = hanako
        .post("/api/sims/get", &[("number", "09012345678")])
        .await;
    assert_eq!(before.status, 200, "{}", before.body);

    app.inject_fault(&FaultRule {
        provider: "freebit".into(),
        path_prefix: None,
        kind: FaultKind::Status { status: 503 },
        times: None,
        every: None,
    })
    .await;

    // Read before: served from the portal's copy, with its time.
    let again = hanako
        .post("/api/sims/get", &[("number", "09012345678")])
        .await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.json()["as_of"], before.json()["as_of"]);

    // Never read: a clear "unavailable", and the page shows an alert.
    let unseen = hanako
        .post("/api/sims/get", &[("number", "09087654321")])
        .await;
    assert_eq!(unseen.status, 503, "{}", unseen.body);
    let page = hanako.get("/sims/09087654321").await;
    assert!(page.body.contains("role=\"alert\""), "an error is shown");

    // The list still lists the lines, without figures for the one not read.
    let list = hanako.post("/api/sims", &[]).await;
    assert_eq!(list.status, 200, "{}", list.body);
}
