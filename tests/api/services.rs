//! Services and payment methods over HTTP: a customer's services and nobody else's, the
//! cancellation request (recorded by the WHMCS simulator once, refused fields, ended services),
//! and payment methods (default first; adding one through the simulator's single sign-on page
//! returns to the portal with the list refreshed).

use crate::browser::Browser;
use crate::helpers::{TestApp, spawn_app};
use crate::whmcs_pages::{WhmcsPages, page_policy, whmcs_base};

const DEMO_PASSWORD: &str = "sandbox-demo-2026";

async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let mut browser = Browser::new(&app.address);
    browser.login(email, DEMO_PASSWORD).await;
    browser
}

/// What the WHMCS simulator has stored (`GET /sandbox/cancel_requests`).
async fn cancel_requests(app: &TestApp) -> serde_json::Value {
    reqwest::get(format!("{}/sandbox/cancel_requests", whmcs_base(app)))
        .await
        .expect("reachable")
        .json()
        .await
        .expect("json")
}

fn field_problem(answer: &serde_json::Value, field: &str) -> serde_json::Value {
    answer["fields"]
        .as_array()
        .and_then(|fields| fields.iter().find(|f| f["field"] == field))
        .map(|f| f["problem"]["code"].clone())
        .unwrap_or_default()
}

#[tokio::test]
async fn hanako_sees_her_services_and_nobody_else_does() {
    let app = spawn_app().await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;

    let list = hanako.post("/api/services", &[]).await;
    assert_eq!(list.status, 200, "{}", list.body);
    let list = list.json();
    let ids: Vec<u64> = list["value"]
        .as_array()
        .expect("services")
        .iter()
        .map(|s| s["id"].as_u64().expect("id"))
        .collect();
    assert_eq!(ids, vec![101, 102, 103, 104]);
    assert_eq!(list["stale"], false);
    assert!(list["as_of"].as_i64().expect("as_of") > 0);
    assert_eq!(list["value"][0]["billing_cycle"], "Monthly");
    assert_eq!(list["value"][3]["status"], "Completed");

    let one = hanako.post("/api/services/get", &[("id", "102")]).await;
    assert_eq!(one.status, 200, "{}", one.body);
    let one = one.json();
    assert_eq!(one["value"]["id"], 102);
    assert_eq!(
        one["value"]["custom_fields"]["Phone Number"],
        "090-1234-5678"
    );
    assert_eq!(one["value"]["config_options"]["データ容量"], "20GB");
    assert!(!one["value"]["registered"].is_null());

    let mut alex = signed_in(&app, "alex@example.com").await;
    let theirs = alex.post("/api/services/get", &[("id", "101")]).await;
    assert_eq!(theirs.status, 404, "{}", theirs.body);
    let unknown = alex.post("/api/services/get", &[("id", "999999")]).await;
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    let alex_list = alex.post("/api/services", &[]).await.json();
    assert_eq!(alex_list["value"].as_array().map(Vec::len), Some(1));

    let anonymous = Browser::new(&app.address).post("/api/services", &[]).await;
    assert_eq!(anonymous.status, 401);

    // The pages render without JavaScript.
    let page = hanako.get("/services").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.body.matches("data-testid=\"service-row\"").count(), 4);
    let detail = hanako.get("/services/102").await;
    assert!(detail.body.contains("data-testid=\"cancel-form\""));
    assert!(detail.body.contains("090-1234-5678"));
    let ended = hanako.get("/services/104").await;
    assert!(!ended.body.contains("data-testid=\"cancel-form\""));
    assert!(ended.body.contains("data-testid=\"not-cancellable\""));
}

#[tokio::test]
async fn a_cancellation_request_reaches_the_billing_system_once() {
    let app = spawn_app().await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;

    // Refused fields come back together, and nothing reaches WHMCS.
    let empty = hanako
        .post(
            "/api/services/cancel",
            &[("id", "102"), ("kind", "later"), ("reason", "   ")],
        )
        .await;
    assert_eq!(empty.status, 422, "{}", empty.body);
    let empty = empty.json();
    assert_eq!(field_problem(&empty, "reason"), "required");
    assert_eq!(field_problem(&empty, "kind"), "invalid");
    let long = "解".repeat(1001);
    let too_long = hanako
        .post(
            "/api/services/cancel",
            &[("id", "102"), ("kind", "immediate"), ("reason", &long)],
        )
        .await;
    assert_eq!(too_long.status, 422, "{}", too_long.body);
    assert_eq!(field_problem(&too_long.json(), "reason"), "too_long");

    // Someone else's service is not found, and nothing is recorded for it.
    let mut alex = signed_in(&app, "alex@example.com").await;
    let theirs = alex
        .post(
            "/api/services/cancel",
            &[("id", "102"), ("kind", "immediate"), ("reason", "x")],
        )
        .await;
    assert_eq!(theirs.status, 404, "{}", theirs.body);
    assert_eq!(cancel_requests(&app).await, serde_json::json!([]));

    let first = hanako
        .post(
            "/api/services/cancel",
            &[
                ("id", "102"),
                ("kind", "end_of_period"),
                ("reason", "  引っ越しのため  "),
            ],
        )
        .await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.json(), "Requested");
    let stored = cancel_requests(&app).await;
    assert_eq!(stored.as_array().map(Vec::len), Some(1));
    assert_eq!(stored[0]["service_id"], 102);
    assert_eq!(stored[0]["kind"], "End of Billing Period");
    assert_eq!(stored[0]["reason"], "引っ越しのため");

    // Again (here as a plain form post): a friendly outcome, not an error, and not stored twice.
    let referer = format!("{}/services/102", app.address);
    let again = hanako
        .post_with(
            "/api/services/cancel",
            &[("id", "102"), ("kind", "immediate"), ("reason", "again")],
            &[("accept", "text/html"), ("referer", &referer)],
        )
        .await;
    assert_eq!(again.status, 302, "{}", again.body);
    assert_eq!(
        again.location.as_deref(),
        Some("/services/102?cancellation=already_requested")
    );
    assert_eq!(
        cancel_requests(&app).await.as_array().map(Vec::len),
        Some(1)
    );
    let confirmed = hanako
        .get("/services/102?cancellation=already_requested")
        .await;
    assert!(confirmed.body.contains("data-testid=\"form-notice\""));
    assert!(!confirmed.body.contains("data-testid=\"cancel-form\""));

    // A service that has ended cannot be cancelled.
    let ended = hanako
        .post(
            "/api/services/cancel",
            &[("id", "104"), ("kind", "immediate"), ("reason", "x")],
        )
        .await;
    assert_eq!(ended.status, 409, "{}", ended.body);
    assert_eq!(
        cancel_requests(&app).await.as_array().map(Vec::len),
        Some(1)
    );

    // The request is in the customer's audit log.
    let security = hanako.post("/api/account/security", &[]).await.json();
    let kinds: Vec<&str> = security["audit"]
        .as_array()
        .expect("audit")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"cancellation_requested"), "{kinds:?}");
}

#[tokio::test]
async fn payment_methods_list_the_default_first_and_are_added_through_whmcs() {
    let app = spawn_app().await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;
    let answer = hanako.post("/api/billing/pay-methods", &[]).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    // WHMCS's gateway token never leaves the server.
    assert!(!answer.body.contains("cus_sim"), "{}", answer.body);
    let list = answer.json();
    let methods = list["value"].as_array().expect("methods");
    assert_eq!(methods.len(), 2);
    assert_eq!(methods[0]["is_default"], true);
    assert_eq!(methods[0]["kind"], "Card");
    assert_eq!(methods[0]["last4"], "4242");
    assert_eq!(methods[1]["kind"], "BankAccount");

    // "Add a payment method" without JavaScript: a redirect to WHMCS's card form.
    let referer = format!("{}/billing/payment-methods", app.address);
    let add = hanako
        .post_with(
            "/api/billing/pay-methods/manage",
            &[("add", "true")],
            &[("accept", "text/html"), ("referer", &referer)],
        )
        .await;
    assert_eq!(add.status, 302, "{}", add.body);
    let (whmcs, landed) = WhmcsPages::redeem(&add.location.expect("sso")).await;
    assert_eq!(landed, "/index.php?rp=/account/paymentmethods/add");
    let form = whmcs.get(&landed).await;
    assert!(form.body.contains("card_number"), "{}", form.body);
    let saved = whmcs
        .post(
            &landed,
            &[("card_number", "4111 1111 1111 1111"), ("expiry", "12/30")],
        )
        .await;
    assert_eq!(saved.status, 303);
    assert_eq!(
        saved.location,
        Some(format!("{}/billing/payment-methods?updated=1", app.address))
    );

    // Back on the portal the cached list is refreshed; the old default stays the default.
    let after = hanako
        .post("/api/billing/pay-methods", &[("updated", "true")])
        .await
        .json();
    let methods = after["value"].as_array().expect("methods");
    assert_eq!(methods.len(), 3);
    assert_eq!(methods[0]["last4"], "4242");
    assert!(methods.iter().any(|m| m["last4"] == "1111"));

    // "Manage or remove" goes to WHMCS's list, which links back to the portal.
    let manage = hanako
        .post("/api/billing/pay-methods/manage", &[("add", "false")])
        .await;
    assert_eq!(manage.status, 200, "{}", manage.body);
    let sso = manage.json().as_str().expect("url").to_owned();
    let (whmcs, landed) = WhmcsPages::redeem(&sso).await;
    assert_eq!(landed, "/index.php?rp=/account/paymentmethods");
    let page = whmcs.get(&landed).await;
    assert!(page.body.contains("Remove"), "{}", page.body);
    assert!(page.body.contains("/billing/payment-methods?updated=1"));

    // The page renders without JavaScript, and its forms may lead to WHMCS.
    let html = hanako.get("/billing/payment-methods").await;
    assert_eq!(html.status, 200);
    assert_eq!(
        html.body.matches("data-testid=\"pay-method-row\"").count(),
        3
    );
    assert_eq!(
        html.body.matches("data-testid=\"default-badge\"").count(),
        1
    );
    let policy = page_policy(&app, &hanako.cookie_header(), "/billing/payment-methods").await;
    assert!(
        policy.contains(&format!("form-action 'self' {}", whmcs_base(&app))),
        "{policy}"
    );
}
