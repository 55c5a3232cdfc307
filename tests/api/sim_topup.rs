//! Paid SIM data top-ups over HTTP against the sandbox: WHMCS invoices and captures, Freebit
//! adds the quota keyed by the invoice id — once, whatever goes wrong on the way (lost replies,
//! platform errors, a double submit), and nothing at all when the customer has no card or the
//! payment is declined. Another customer's line is not found.

use crate::browser::{Answer, Browser};
use crate::helpers::{TestApp, spawn_app};
use crate::whmcs_pages::WhmcsPages;
use portal::sandbox::{FaultKind, FaultRule};
use serde_json::Value;
use std::time::Duration;

const DEMO_PASSWORD: &str = "sandbox-demo-2026";
const HANAKO_LINE: &str = "09012345678";

async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let mut browser = Browser::new(&app.address);
    browser.login(email, DEMO_PASSWORD).await;
    browser
}

fn freebit(app: &TestApp) -> String {
    app.provider_urls["freebit"].clone()
}

/// Switches the Freebit simulator's per-line write limit off (1 write / 10 s otherwise).
async fn rate_limits_off(app: &TestApp) {
    let done = app
        .client
        .post(format!("{}/_sandbox/settings", freebit(app)))
        .json(&serde_json::json!({ "rate_limits": false }))
        .send()
        .await
        .expect("settings");
    assert!(done.status().is_success());
}

/// Hanako signed in, with the simulator's write limit off (the tests write often).
async fn hanako_ready(app: &TestApp) -> Browser {
    rate_limits_off(app).await;
    signed_in(app, "hanako@example.jp").await
}

/// Calls the WHMCS simulator's API directly, as an administrator would look.
async fn whmcs_api(app: &TestApp, params: &[(&str, &str)]) -> Value {
    let mut form = vec![
        ("identifier", "sandbox-identifier"),
        ("secret", "sandbox-secret"),
    ];
    form.extend_from_slice(params);
    app.client
        .post(app.state.providers.whmcs.api_url())
        .form(&form)
        .send()
        .await
        .expect("whmcs")
        .json()
        .await
        .expect("json")
}

/// The top-up's invoice id, after checking WHMCS holds it Paid with exactly one payment.
async fn paid_once(app: &TestApp, view: &Value) -> String {
    let invoice = view["invoice_id"].as_u64().expect("invoice").to_string();
    let paid = whmcs_api(app, &[("action", "GetInvoice"), ("invoiceid", &invoice)]).await;
    assert_eq!(paid["status"], "Paid", "{paid}");
    assert_eq!(
        paid["transactions"]["transaction"].as_array().map(Vec::len),
        Some(1),
        "charged once: {paid}"
    );
    invoice
}

/// Fault rules not yet spent (a spent rule shows the fault really happened).
async fn faults_left(app: &TestApp) -> usize {
    let faults: Value = app
        .client
        .get(format!("{}/faults", app.control_url))
        .send()
        .await
        .expect("faults")
        .json()
        .await
        .expect("json");
    faults.as_array().map_or(usize::MAX, Vec::len)
}

async fn invoice_count(app: &TestApp, client: &str) -> u64 {
    let list = whmcs_api(
        app,
        &[
            ("action", "GetInvoices"),
            ("userid", client),
            ("limitnum", "1"),
        ],
    )
    .await;
    list["totalresults"].as_u64().expect("total")
}

/// A `GET` on the Freebit simulator's control API.
async fn freebit_control(app: &TestApp, path: &str) -> Value {
    app.client
        .get(format!("{}{path}", freebit(app)))
        .send()
        .await
        .expect("control")
        .json()
        .await
        .expect("json")
}

/// The quota buckets on the line whose code is `code` (Freebit's own view of the line).
async fn buckets_with_code(app: &TestApp, number: &str, code: &str) -> usize {
    let line = freebit_control(app, &format!("/_sandbox/lines/{number}")).await;
    line["buckets"]
        .as_array()
        .expect("buckets")
        .iter()
        .filter(|b| b["code"] == code)
        .count()
}

/// Quota additions Freebit applied (answered `100-…`, not a repeat's 409-335) for `number`.
async fn applied_additions(app: &TestApp, number: &str) -> usize {
    let log = freebit_control(app, "/_sandbox/requests").await;
    log.as_array()
        .expect("log")
        .iter()
        .filter(|r| {
            r["path"].as_str().is_some_and(|p| p.contains("addSpec"))
                && r["account"] == number
                && r["result"].as_str().is_some_and(|c| c.starts_with("100-"))
        })
        .count()
}

async fn offer(browser: &mut Browser, number: &str) -> Value {
    let answer = browser
        .post("/api/sims/topup/offer", &[("number", number)])
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

/// A new idempotency key for Hanako's line, as the page would carry it.
async fn fresh_key(browser: &mut Browser) -> String {
    offer(browser, HANAKO_LINE).await["key"]
        .as_str()
        .expect("key")
        .to_owned()
}

async fn top_up(browser: &mut Browser, number: &str, gb: &str, key: &str) -> Answer {
    browser
        .post(
            "/api/sims/topup",
            &[("number", number), ("gb", gb), ("key", key)],
        )
        .await
}

/// Buys `gb` on Hanako's line with `key` and waits until the top-up has settled.
async fn buy(browser: &mut Browser, gb: &str, key: &str) -> Value {
    let answer = top_up(browser, HANAKO_LINE, gb, key).await;
    assert!(
        answer.status == 200 || answer.status == 302,
        "{}",
        answer.body
    );
    settled(browser, HANAKO_LINE, key).await
}

async fn data_left(browser: &mut Browser, number: &str) -> u64 {
    let detail = browser
        .post("/api/sims/get", &[("number", number)])
        .await
        .json();
    detail["value"]["data_left_mb"].as_u64().expect("data left")
}

/// Reads the top-up until it is no longer on its way (the background job's retries).
async fn settled(browser: &mut Browser, number: &str, id: &str) -> Value {
    for _ in 0..120 {
        let status = browser
            .post("/api/sims/topup/status", &[("number", number), ("id", id)])
            .await;
        assert_eq!(status.status, 200, "{}", status.body);
        let view = status.json();
        if !matches!(
            view["state"].as_str(),
            Some("Requested" | "Invoiced" | "Paid")
        ) {
            return view;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("top-up {id} never settled");
}

fn provider_fault(
    provider: &str,
    path: Option<&str>,
    code: &str,
    every: u32,
    times: u32,
) -> FaultRule {
    FaultRule {
        provider: provider.into(),
        path_prefix: path.map(str::to_owned),
        kind: FaultKind::Provider { code: code.into() },
        times: Some(times),
        every: Some(every),
    }
}

/// A Freebit fault on the next `times` quota additions.
fn quota_fault(code: &str, times: u32) -> FaultRule {
    provider_fault(
        "freebit",
        Some("/emptool/api/master/addSpec"),
        code,
        1,
        times,
    )
}

#[tokio::test]
async fn sim_topup_one_gb_is_invoiced_paid_and_added_once() {
    let app = spawn_app().await;
    let mut hanako = hanako_ready(&app).await;
    let before = data_left(&mut hanako, HANAKO_LINE).await;
    let invoices_before = invoice_count(&app, "1001").await;

    let offer = offer(&mut hanako, HANAKO_LINE).await;
    assert_eq!(offer["available"], true, "{offer}");
    assert_eq!(offer["price_per_gb_jpy"], 500);
    let key = offer["key"].as_str().expect("key").to_owned();

    let view = buy(&mut hanako, "1", &key).await;
    assert_eq!(view["state"], "Applied", "{view}");
    assert_eq!(view["amount_jpy"], 550);
    let invoice_id = view["invoice_id"].as_u64().expect("invoice").to_string();

    // WHMCS: one new invoice, Paid, with one line and one payment.
    assert_eq!(invoice_count(&app, "1001").await, invoices_before + 1);
    let invoice = whmcs_api(
        &app,
        &[("action", "GetInvoice"), ("invoiceid", &invoice_id)],
    )
    .await;
    assert_eq!(invoice["status"], "Paid", "{invoice}");
    let item = &invoice["items"]["item"][0];
    assert_eq!(item["description"], "Data top-up 1 GB for 090-1234-5678");
    assert_eq!(
        invoice["transactions"]["transaction"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // Freebit: exactly one addition, keyed by the invoice id; the line shows 1 GB more.
    assert_eq!(applied_additions(&app, HANAKO_LINE).await, 1);
    assert_eq!(buckets_with_code(&app, HANAKO_LINE, &invoice_id).await, 1);
    // 1 GB more (less whatever the line used meanwhile: the simulator's clock runs on).
    let after = data_left(&mut hanako, HANAKO_LINE).await;
    assert!(
        after <= before + 1024 && after + 64 >= before + 1024,
        "{before} → {after}"
    );
    let reported = view["remaining_mb"].as_u64().expect("remaining");
    assert!(reported.abs_diff(after) <= 64, "{reported} vs {after}");

    // The history lists it; the page renders the section and the result.
    let again = offer_history(&mut hanako).await;
    assert_eq!(again[0]["id"], key.as_str());
    let page = hanako
        .get(&format!("/sims/{HANAKO_LINE}?topup={key}"))
        .await;
    assert_eq!(page.status, 200);
    for needle in [
        "data-testid=\"topup-section\"",
        "data-testid=\"topup-result\"",
        "data-state=\"applied\"",
        "data-testid=\"topup-history-row\"",
        &format!("/billing/invoices/{invoice_id}"),
    ] {
        assert!(page.body.contains(needle), "the page lacks {needle}");
    }
    // The confirm step shows the price and the invoice line before anything is charged.
    let confirm = hanako.get(&format!("/sims/{HANAKO_LINE}?topup_gb=3")).await;
    assert!(confirm.body.contains("data-testid=\"topup-confirm\""));
    assert!(confirm.body.contains("Data top-up 3 GB for 090-1234-5678"));
    assert!(confirm.body.contains("¥1,650") || confirm.body.contains("1,650円"));
}

async fn offer_history(browser: &mut Browser) -> Vec<Value> {
    offer(browser, HANAKO_LINE).await["history"]
        .as_array()
        .expect("history")
        .clone()
}

#[tokio::test]
async fn sim_topup_double_submit_makes_one_invoice_and_one_addition() {
    let app = spawn_app().await;
    let mut hanako = hanako_ready(&app).await;
    let invoices_before = invoice_count(&app, "1001").await;
    let key = fresh_key(&mut hanako).await;

    // A no-JS browser re-posting the same form, and a double click landing concurrently.
    // The first post is a plain HTML form (no JavaScript): answered with a redirect to the
    // SIM page showing this top-up.
    let referer = format!("{}/sims/{HANAKO_LINE}?topup_gb=2", app.address);
    let first = hanako
        .post_with(
            "/api/sims/topup",
            &[("number", HANAKO_LINE), ("gb", "2"), ("key", &key)],
            &[("accept", "text/html"), ("referer", &referer)],
        )
        .await;
    assert_eq!(first.status, 302, "{}", first.body);
    assert_eq!(
        first.location,
        Some(format!("/sims/{HANAKO_LINE}?topup={key}&t={key}"))
    );
    let mut other = signed_in(&app, "hanako@example.jp").await;
    let (a, b) = tokio::join!(
        top_up(&mut hanako, HANAKO_LINE, "2", &key),
        top_up(&mut other, HANAKO_LINE, "2", &key)
    );
    for repeat in [a, b] {
        assert!(
            repeat.status == 200 || repeat.status == 302,
            "{}",
            repeat.body
        );
    }
    let view = settled(&mut hanako, HANAKO_LINE, &key).await;
    assert_eq!(view["state"], "Applied", "{view}");
    assert_eq!(invoice_count(&app, "1001").await, invoices_before + 1);
    assert_eq!(applied_additions(&app, HANAKO_LINE).await, 1);
    assert_eq!(offer_history(&mut hanako).await.len(), 1);
}

#[tokio::test]
async fn sim_topup_faults_charge_once_and_add_once() {
    let app = spawn_app().await;
    let mut hanako = hanako_ready(&app).await;

    // 1. Freebit runs the addition but its answer is lost: the retry with the same quotaCode
    //    is answered "already applied".
    let key = fresh_key(&mut hanako).await;
    app.inject_fault(&quota_fault("lost_reply", 1)).await;
    let view = buy(&mut hanako, "1", &key).await;
    assert_eq!(view["state"], "Applied", "{view}");
    let invoice = view["invoice_id"].as_u64().expect("invoice").to_string();
    assert_eq!(buckets_with_code(&app, HANAKO_LINE, &invoice).await, 1);
    assert_eq!(faults_left(&app).await, 0, "the lost reply happened");

    // 2. The platform fails the quota call for a while (errors, then maintenance): paid, and
    //    the background job adds it once the platform answers.
    let key = fresh_key(&mut hanako).await;
    app.inject_fault(&quota_fault("internal", 8)).await;
    app.inject_fault(&quota_fault("maintenance", 2)).await;
    // The request's inline try (the client's three attempts) fails: the customer is told it is
    // paid and being added; the job's retry lands it.
    let answer = top_up(&mut hanako, HANAKO_LINE, "1", &key).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["state"], "Paid", "{}", answer.body);
    let view = settled(&mut hanako, HANAKO_LINE, &key).await;
    assert_eq!(view["state"], "Applied", "{view}");
    let invoice = paid_once(&app, &view).await;
    assert_eq!(buckets_with_code(&app, HANAKO_LINE, &invoice).await, 1);
    assert_eq!(faults_left(&app).await, 0, "every failure happened first");

    // 3. WHMCS captures but the answer is lost: the portal reads the invoice (Paid) instead
    //    of capturing again. The services and currencies are cached by the offer read, so
    //    the submit's WHMCS calls are GetPayMethods, CreateInvoice, CapturePayment: the
    //    third is the one whose answer is lost.
    let key = fresh_key(&mut hanako).await;
    let invoices_before = invoice_count(&app, "1001").await;
    app.inject_fault(&provider_fault("whmcs", None, "lost_reply", 3, 1))
        .await;
    top_up(&mut hanako, HANAKO_LINE, "1", &key).await;
    assert_eq!(faults_left(&app).await, 0, "the fault ran");
    let view = settled(&mut hanako, HANAKO_LINE, &key).await;
    assert_eq!(view["state"], "Applied", "{view}");
    let invoice = paid_once(&app, &view).await;
    assert_eq!(invoice_count(&app, "1001").await, invoices_before + 1);
    assert_eq!(buckets_with_code(&app, HANAKO_LINE, &invoice).await, 1);

    // Three top-ups, three additions in all.
    assert_eq!(applied_additions(&app, HANAKO_LINE).await, 3);
}

#[tokio::test]
async fn sim_topup_declined_or_without_a_card_charges_nothing_and_adds_nothing() {
    let app = spawn_app().await;
    let mut hanako = hanako_ready(&app).await;

    // Declined: the invoice stays unpaid, the top-up failed, nothing added.
    let key = fresh_key(&mut hanako).await;
    // The submit's WHMCS calls (services cached by the offer): GetPayMethods, CreateInvoice,
    // CapturePayment — the third is declined.
    app.inject_fault(&provider_fault("whmcs", None, "payment_failed", 3, 1))
        .await;
    let view = buy(&mut hanako, "5", &key).await;
    assert_eq!(view["state"], "Failed", "{view}");
    assert_eq!(view["failure"], "Declined");
    let invoice = view["invoice_id"].as_u64().expect("invoice").to_string();
    let unpaid = whmcs_api(&app, &[("action", "GetInvoice"), ("invoiceid", &invoice)]).await;
    assert_eq!(unpaid["status"], "Unpaid");
    assert_eq!(applied_additions(&app, HANAKO_LINE).await, 0);
    let page = hanako
        .get(&format!("/sims/{HANAKO_LINE}?topup={key}"))
        .await;
    assert!(
        page.body.contains("data-reason=\"declined\""),
        "{}",
        page.body.len()
    );

    // No card: remove her Visa in WHMCS (her bank account becomes the default).
    let methods = hanako.post("/api/billing/pay-methods", &[]).await.json();
    let card = methods["value"][0]["id"].as_u64().expect("card id");
    let manage = hanako
        .post("/api/billing/pay-methods/manage", &[("add", "false")])
        .await;
    let sso = manage.json().as_str().expect("url").to_owned();
    let (whmcs, _) = WhmcsPages::redeem(&sso).await;
    let removed = whmcs
        .post(
            &format!("/index.php?rp=/account/paymentmethods/{card}/delete"),
            &[],
        )
        .await;
    assert!(removed.status < 400, "{}", removed.body);

    let invoices_before = invoice_count(&app, "1001").await;
    let key = fresh_key(&mut hanako).await;
    let refused = top_up(&mut hanako, HANAKO_LINE, "1", &key).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("card"), "{}", refused.body);
    assert_eq!(
        invoice_count(&app, "1001").await,
        invoices_before,
        "no invoice"
    );
    assert_eq!(applied_additions(&app, HANAKO_LINE).await, 0);
}

#[tokio::test]
async fn sim_topup_is_refused_for_others_lines_bad_amounts_and_suspended_lines() {
    let app = spawn_app().await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;
    let mut alex = signed_in(&app, "alex@example.com").await;
    let invoices_before = invoice_count(&app, "1001").await;
    let key = fresh_key(&mut hanako).await;

    // Another customer's line: not found, for the offer, the submit and the status.
    let theirs = alex
        .post("/api/sims/topup/offer", &[("number", HANAKO_LINE)])
        .await;
    assert_eq!(theirs.status, 404, "{}", theirs.body);
    let theirs = top_up(&mut alex, HANAKO_LINE, "1", &key).await;
    assert_eq!(theirs.status, 404, "{}", theirs.body);

    // Amounts outside 1–50 GB.
    for gb in ["0", "51", "1.5", ""] {
        let bad = top_up(&mut hanako, HANAKO_LINE, gb, &key).await;
        assert_eq!(bad.status, 422, "{gb}: {}", bad.body);
    }

    // Her suspended line: refused before any charge.
    let suspended = offer(&mut hanako, "09087654321").await;
    assert_eq!(suspended["available"], false);
    assert_eq!(suspended["platform_unreachable"], false);
    let refused = top_up(
        &mut hanako,
        "09087654321",
        "1",
        suspended["key"].as_str().expect("key"),
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("line"), "{}", refused.body);

    // Her real top-up later cannot be read by alex either.
    let mine = top_up(&mut hanako, HANAKO_LINE, "1", &key).await;
    assert!(mine.status == 200 || mine.status == 302, "{}", mine.body);
    let peek = alex
        .post(
            "/api/sims/topup/status",
            &[("number", HANAKO_LINE), ("id", &key)],
        )
        .await;
    assert_eq!(peek.status, 404);
    // Re-using her key on alex's own line finds nothing of hers and makes nothing.
    let reuse = top_up(&mut alex, "08098765432", "1", &key).await;
    assert_eq!(reuse.status, 404, "{}", reuse.body);
    assert_eq!(invoice_count(&app, "1001").await, invoices_before + 1);
}

#[tokio::test]
async fn sim_topup_offer_says_the_platform_is_unreachable_rather_than_the_line_suspended() {
    let app = spawn_app().await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;
    // Freebit in maintenance for every call (retries included), before the line was ever read.
    app.inject_fault(&provider_fault("freebit", None, "maintenance", 1, 50))
        .await;
    let answer = offer(&mut hanako, HANAKO_LINE).await;
    assert_eq!(answer["available"], false, "{answer}");
    assert_eq!(answer["platform_unreachable"], true, "{answer}");
}
