//! Billing over HTTP: a customer's invoices (paging, the computed Overdue filter), one invoice
//! and nobody else's, and paying through the WHMCS simulator's single sign-on page.

use crate::browser::Browser;
use crate::helpers::spawn_app;
use crate::whmcs_pages::{WhmcsPages, page_policy, whmcs_base};

const DEMO_PASSWORD: &str = "sandbox-demo-2026";

fn cookies(browser: &Browser) -> String {
    browser
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn ids(list: &serde_json::Value) -> Vec<u64> {
    list["page"]["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_u64().expect("id"))
        .collect()
}

#[tokio::test]
async fn hanako_lists_pages_and_filters_her_invoices() {
    let app = spawn_app().await;
    let mut hanako = Browser::new(&app.address);
    hanako.login("hanako@example.jp", DEMO_PASSWORD).await;

    let first = hanako.post("/api/billing/invoices", &[("page", "1")]).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let first = first.json();
    assert_eq!(first["page"]["total"], 13);
    assert_eq!(first["stale"], false);
    assert!(first["as_of"].as_i64().expect("as_of") > 0);
    let mut seen = ids(&first);
    assert_eq!(seen.len(), 10);
    let second = hanako
        .post("/api/billing/invoices", &[("page", "2")])
        .await
        .json();
    seen.extend(ids(&second));
    seen.sort_unstable();
    assert_eq!(seen, (2001..=2013).collect::<Vec<_>>());

    let overdue = hanako
        .post(
            "/api/billing/invoices",
            &[("status", "overdue"), ("page", "1")],
        )
        .await;
    assert_eq!(overdue.status, 200, "{}", overdue.body);
    let overdue = overdue.json();
    assert_eq!(ids(&overdue), vec![2012]);
    assert_eq!(overdue["page"]["items"][0]["status"], "Overdue");

    let bad = hanako
        .post("/api/billing/invoices", &[("status", "nonsense")])
        .await;
    assert_eq!(bad.status, 400, "{}", bad.body);

    let anonymous = Browser::new(&app.address)
        .post("/api/billing/invoices", &[])
        .await;
    assert_eq!(anonymous.status, 401);
}

#[tokio::test]
async fn an_invoice_is_only_visible_to_its_owner() {
    let app = spawn_app().await;
    let mut hanako = Browser::new(&app.address);
    hanako.login("hanako@example.jp", DEMO_PASSWORD).await;
    let mine = hanako.post("/api/billing/invoice", &[("id", "2013")]).await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    let mine = mine.json();
    assert_eq!(mine["invoice"]["summary"]["id"], 2013);
    assert_eq!(mine["invoice"]["summary"]["status"], "Unpaid");
    assert!(
        !mine["invoice"]["items"]
            .as_array()
            .expect("items")
            .is_empty()
    );

    let mut alex = Browser::new(&app.address);
    alex.login("alex@example.com", DEMO_PASSWORD).await;
    let theirs = alex.post("/api/billing/invoice", &[("id", "2013")]).await;
    assert_eq!(theirs.status, 404, "{}", theirs.body);
    let unknown = alex.post("/api/billing/invoice", &[("id", "999999")]).await;
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    let pay_theirs = alex
        .post_with(
            "/api/billing/pay",
            &[("id", "2013")],
            &[("accept", "text/html")],
        )
        .await;
    assert!(
        pay_theirs
            .location
            .is_none_or(|l| !l.contains("singlesignon"))
    );
}

#[tokio::test]
async fn paying_through_the_simulator_marks_the_invoice_paid() {
    let app = spawn_app().await;
    let mut hanako = Browser::new(&app.address);
    hanako.login("hanako@example.jp", DEMO_PASSWORD).await;
    // Cached as unpaid first, so the return must refresh it.
    let before = hanako.post("/api/billing/invoice", &[("id", "2013")]).await;
    assert_eq!(before.json()["invoice"]["summary"]["status"], "Unpaid");

    let referer = format!("{}/billing/invoices/2013", app.address);
    let pay = hanako
        .post_with(
            "/api/billing/pay",
            &[("id", "2013")],
            &[("accept", "text/html"), ("referer", &referer)],
        )
        .await;
    assert_eq!(pay.status, 302, "{}", pay.body);

    // The simulator's pages, as a browser would see them.
    let (sim, target) = WhmcsPages::redeem(&pay.location.expect("location")).await;
    assert!(target.contains("/viewinvoice.php?id=2013"), "{target}");
    let page = sim.get(&target).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Pay now"));
    let paid = sim.post(&target, &[("pay", "1")]).await;
    assert_eq!(paid.status, 303);
    let back = paid.location.expect("back to the portal");
    assert!(back.ends_with("/billing/invoices/2013?paid=1"), "{back}");

    let after = hanako
        .post("/api/billing/invoice", &[("id", "2013"), ("paid", "true")])
        .await;
    assert_eq!(after.status, 200, "{}", after.body);
    assert_eq!(after.json()["invoice"]["summary"]["status"], "Paid");
    // The list was refreshed too.
    let unpaid = hanako
        .post("/api/billing/invoices", &[("status", "unpaid")])
        .await
        .json();
    assert!(!ids(&unpaid).contains(&2013));
    // Nothing left to pay.
    let again = hanako
        .post_with(
            "/api/billing/pay",
            &[("id", "2013")],
            &[("accept", "text/html"), ("referer", &referer)],
        )
        .await;
    assert!(again.location.is_none_or(|l| !l.contains("singlesignon")));
}

#[tokio::test]
async fn billing_pages_render_without_javascript() {
    let app = spawn_app().await;
    let mut hanako = Browser::new(&app.address);
    hanako.login("hanako@example.jp", DEMO_PASSWORD).await;
    let list = hanako.get("/billing/invoices").await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body.matches("data-testid=\"invoice-row\"").count(), 10);
    assert!(list.body.contains("name=\"status\""));
    assert!(list.body.contains("/billing/invoices?page=2"));
    let overdue = hanako.get("/billing/invoices?status=overdue").await;
    assert_eq!(
        overdue.body.matches("data-testid=\"invoice-row\"").count(),
        1
    );
    assert!(overdue.body.contains("data-id=\"2012\""));
    // The pay form's redirect to WHMCS is allowed by the page's policy (no JavaScript).
    let policy = page_policy(&app, &cookies(&hanako), "/billing/invoices/2013").await;
    assert!(
        policy.contains(&format!("form-action 'self' {}", whmcs_base(&app))),
        "{policy}"
    );
    let detail = hanako.get("/billing/invoices/2013").await;
    assert_eq!(detail.status, 200);
    assert!(detail.body.contains("data-testid=\"pay-form\""));
    assert!(detail.body.contains("data-testid=\"invoice-item\""));
    let paid = hanako.get("/billing/invoices/2001").await;
    assert!(!paid.body.contains("data-testid=\"pay-form\""));
}

/// The text of a PDF, through poppler's `pdftotext` (installed by `scripts/setup.sh test`).
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("invoice.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext missing: install poppler-utils (scripts/setup.sh test)");
    assert!(out.status.success(), "pdftotext failed on the invoice PDF");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn an_invoice_downloads_as_a_pdf_for_its_owner_only() {
    let app = spawn_app().await;
    let mut hanako = Browser::new(&app.address);
    hanako.login("hanako@example.jp", DEMO_PASSWORD).await;
    let number = hanako
        .post("/api/billing/invoice", &[("id", "2013")])
        .await
        .json()["invoice"]["summary"]["number"]
        .as_str()
        .expect("number")
        .to_owned();
    let page = hanako.get("/billing/invoices/2013").await;
    assert!(
        page.body.contains("href=\"/billing/invoices/2013/pdf\""),
        "no download link without JavaScript"
    );
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let url = format!("{}/billing/invoices/2013/pdf", app.address);

    // In Japanese (the language cookie, as pages read it).
    let ja = client
        .get(&url)
        .header(
            "cookie",
            format!("{}; i18n_pref_locale=ja", cookies(&hanako)),
        )
        .send()
        .await
        .expect("download");
    assert_eq!(ja.status().as_u16(), 200);
    let header = |r: &reqwest::Response, name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header(&ja, "content-type"), "application/pdf");
    let disposition = header(&ja, "content-disposition");
    assert!(
        disposition.starts_with("attachment; filename=\"invoice-")
            && disposition.ends_with(".pdf\""),
        "{disposition}"
    );
    assert_eq!(header(&ja, "cache-control"), "private, no-store");
    let body = ja.bytes().await.expect("body");
    assert!(body.starts_with(b"%PDF-"));
    let text = pdf_text(&body);
    for expected in ["請求書", number.as_str(), "様", "消費税", "T0000000000000"] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }

    // In English (Accept-Language, no cookie).
    let en = client
        .get(&url)
        .header("cookie", cookies(&hanako))
        .header("accept-language", "en-GB,en;q=0.8")
        .send()
        .await
        .expect("download");
    assert_eq!(en.status().as_u16(), 200);
    let text = pdf_text(&en.bytes().await.expect("body"));
    assert!(
        text.contains("Invoice") && text.contains("Consumption tax"),
        "{text}"
    );

    // Someone else's invoice does not exist for alex; nor does nonsense.
    let mut alex = Browser::new(&app.address);
    alex.login("alex@example.com", DEMO_PASSWORD).await;
    for path in ["/billing/invoices/2013/pdf", "/billing/invoices/x/pdf"] {
        let theirs = client
            .get(format!("{}{path}", app.address))
            .header("cookie", cookies(&alex))
            .send()
            .await
            .expect("download");
        assert_eq!(theirs.status().as_u16(), 404, "{path}");
        assert_ne!(header(&theirs, "content-type"), "application/pdf");
    }

    // Signed out: sent to sign in, no PDF.
    let anonymous = client.get(&url).send().await.expect("download");
    assert_eq!(anonymous.status().as_u16(), 303);
    assert_eq!(header(&anonymous, "location"), "/login");
    assert_ne!(header(&anonymous, "content-type"), "application/pdf");
}
