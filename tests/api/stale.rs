//! With WHMCS failing, pages stay usable on cached data and say so: an invoice list, an invoice,
//! the services and the dashboard read before the failure are served past their freshness,
//! marked stale with their original time, and the pages show the "as of" note. Data never read
//! before gives a clear error instead.

use crate::browser::Browser;
use crate::helpers::{TestApp, spawn_app_with};
use portal::sandbox::{FaultKind, FaultRule};
use std::time::Duration;

const DEMO_PASSWORD: &str = "sandbox-demo-2026";

async fn break_whmcs(app: &TestApp) {
    let rule = FaultRule {
        provider: "whmcs".into(),
        path_prefix: Some("/includes/api.php".into()),
        kind: FaultKind::Status { status: 503 },
        times: None,
        every: None,
    };
    app.inject_fault(&rule).await;
}

#[tokio::test]
async fn cached_pages_stand_in_while_whmcs_fails() {
    let app = spawn_app_with(&[
        ("PORTAL__CACHE__INVOICES_FRESH_SECS", "1"),
        ("PORTAL__CACHE__SERVICES_FRESH_SECS", "1"),
        ("PORTAL__WHMCS__MAX_RETRIES", "0"),
    ])
    .await;
    let mut hanako = Browser::new(&app.address);
    hanako.login("hanako@example.jp", DEMO_PASSWORD).await;

    let list = hanako.post("/api/billing/invoices", &[("page", "1")]).await;
    assert_eq!(list.status, 200, "{}", list.body);
    let list = list.json();
    assert_eq!(list["stale"], false);
    let invoice = hanako
        .post("/api/billing/invoice", &[("id", "2013")])
        .await
        .json();
    assert_eq!(invoice["stale"], false);
    let services = hanako.post("/api/services", &[]).await;
    assert_eq!(services.status, 200, "{}", services.body);
    let dashboard = hanako.post("/api/dashboard", &[]).await;
    assert_eq!(dashboard.status, 200, "{}", dashboard.body);

    // Past freshness, WHMCS answering 503 to everything.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    break_whmcs(&app).await;

    let again = hanako.post("/api/billing/invoices", &[("page", "1")]).await;
    assert_eq!(again.status, 200, "{}", again.body);
    let again = again.json();
    assert_eq!(again["stale"], true);
    assert_eq!(
        again["as_of"], list["as_of"],
        "the original time is reported"
    );
    assert_eq!(again["page"], list["page"]);
    let invoice_again = hanako
        .post("/api/billing/invoice", &[("id", "2013")])
        .await
        .json();
    assert_eq!(invoice_again["stale"], true);
    let services_again = hanako.post("/api/services", &[]).await.json();
    assert_eq!(services_again["stale"], true, "{services_again}");
    let dashboard = hanako.post("/api/dashboard", &[]).await.json();
    for part in ["outstanding", "latest", "services"] {
        assert_eq!(dashboard[part]["Ok"]["stale"], true, "{part}: {dashboard}");
    }

    // The pages say so.
    for path in [
        "/billing/invoices",
        "/billing/invoices/2013",
        "/services",
        "/",
    ] {
        let page = hanako.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(
            page.body.contains("data-testid=\"stale-note\""),
            "{path} shows no as-of note"
        );
    }

    // Something never read before cannot stand in: a clear error, not a stale page.
    let unseen = hanako.post("/api/billing/invoice", &[("id", "2001")]).await;
    assert!(unseen.status >= 500, "{} {}", unseen.status, unseen.body);
    let page = hanako.get("/billing/invoices/2001").await;
    assert!(page.body.contains("role=\"alert\""), "an error is shown");
}
