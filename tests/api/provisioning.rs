//! Order provisioning end to end against the simulators, in process: an approved order's job
//! (the queue, the in-serve workers) becomes exactly one accepted WHMCS order with one active
//! service per unit, the CRM order says "Provisioned" with the WHMCS order id and time, the
//! order page's live stream says so — and duplicates, a repeat after completion, or a WHMCS
//! order an earlier attempt added without recording it never make a second WHMCS order.

use crate::browser::Browser;
use crate::helpers::{TestApp, spawn_app};
use portal::domain::provisioning::{BillingCycleName, BillingLine, Stage, order_note};
use portal::server::integrations::whmcs::orders::NewBillingOrder;
use portal::server::provisioning::enqueue;
use serde_json::Value;
use std::time::Duration;

const DEMO_PASSWORD: &str = "sandbox-demo-2026";
const HANAKO_CLIENT: u32 = 1001;

/// Signs Hanako in, orders `skus` (one each) and returns the browser and the order id.
async fn place_order(app: &TestApp, skus: &[&str]) -> (Browser, String) {
    let mut hanako = Browser::new(&app.address);
    hanako.login("hanako@example.jp", DEMO_PASSWORD).await;
    let catalog = hanako.post("/api/catalog", &[]).await;
    let products = catalog.json()["value"]["products"].clone();
    for sku in skus {
        let id = products
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["sku"] == *sku))
            .and_then(|p| p["id"].as_str())
            .expect("product")
            .to_owned();
        let added = hanako.post("/api/cart/add", &[("product_id", &id)]).await;
        assert_eq!(added.status, 200, "{}", added.body);
    }
    let cart = hanako.post("/api/cart", &[]).await.json();
    let revision = cart["value"]["revision"]
        .as_str()
        .expect("revision")
        .to_owned();
    let placed = hanako
        .post("/api/checkout", &[("revision", &revision)])
        .await;
    assert_eq!(placed.status, 200, "{}", placed.body);
    let order_id = placed.json().as_str().expect("order id").to_owned();
    (hanako, order_id)
}

async fn approve(app: &TestApp, order_id: &str) {
    let url = format!(
        "{}/_sandbox/orders/{order_id}/approve",
        app.provider_urls["salesforce"]
    );
    let answer = app.client.post(url).send().await.expect("reachable");
    assert!(answer.status().is_success(), "{}", answer.status());
}

/// The CRM order record as the simulator stores it.
async fn crm_order(app: &TestApp, order_id: &str) -> Value {
    let records: Vec<Value> = reqwest::get(format!(
        "{}/_sandbox/records/Order",
        app.provider_urls["salesforce"]
    ))
    .await
    .expect("reachable")
    .json()
    .await
    .expect("json");
    records
        .into_iter()
        .find(|r| r["Id"] == order_id)
        .expect("the order exists")
}

/// Waits until the ledger says the order is done.
async fn completed(app: &TestApp, order_id: &str) -> Stage {
    for _ in 0..200 {
        if let Some(stage @ (Stage::Completed { .. } | Stage::Failed { reported: true, .. })) =
            app.state.store.ledger_stage(order_id).await.expect("store")
        {
            return stage;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("order {order_id} was not provisioned in time");
}

/// WHMCS orders marked for the CRM order.
async fn marked_orders(app: &TestApp, order_id: &str) -> usize {
    let whmcs = &app.state.providers.whmcs;
    let mut count = 0;
    let mut start = 0;
    loop {
        let page = whmcs
            .call(
                "GetOrders",
                &portal::server::integrations::whmcs::Params::new()
                    .with("userid", HANAKO_CLIENT)
                    .with("limitstart", start)
                    .with("limitnum", 100),
            )
            .await
            .expect("GetOrders");
        let orders = page["orders"]["order"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        count += orders
            .iter()
            .filter(|o| o["notes"].as_str() == Some(order_note(order_id).as_str()))
            .count();
        start += orders.len();
        if orders.is_empty() {
            return count;
        }
    }
}

#[tokio::test]
async fn an_approved_order_becomes_one_whmcs_order_and_the_page_hears_it() {
    let app = spawn_app().await;
    let (mut hanako, order_id) = place_order(&app, &["SIM-D-3G", "FIB-1G"]).await;

    // The order page's live stream, opened before anything happens.
    let cookie = hanako.cookie_header();
    let mut live = app
        .client
        .get(format!("{}/orders/{order_id}/live", app.address))
        .header("cookie", cookie)
        .send()
        .await
        .expect("stream");
    assert_eq!(live.status(), 200);
    assert_eq!(
        live.headers()["content-type"].to_str().ok(),
        Some("text/event-stream")
    );

    // Approval publishes OrderProvisionRequested__e; the subscriber enqueues it (with its
    // replay id) and a worker provisions it. A duplicate delivery changes nothing.
    approve(&app, &order_id).await;
    let queue = app.state.queue.as_ref();
    enqueue(queue, &order_id, 8).await.expect("enqueue");
    let stage = completed(&app, &order_id).await;
    assert!(
        queue
            .checkpoint(portal::server::provisioning::TOPIC)
            .await
            .expect("checkpoint")
            .is_some(),
        "the subscriber stored the event's replay id"
    );
    let Stage::Completed { billing_order_id } = stage else {
        panic!("not provisioned: {stage:?}");
    };

    // The page heard about it without asking.
    let chunk = tokio::time::timeout(Duration::from_secs(5), live.chunk())
        .await
        .expect("an event in time")
        .expect("stream")
        .expect("a chunk");
    let text = String::from_utf8_lossy(&chunk);
    assert!(text.contains("event: order"), "{text}");

    // The CRM order says so.
    let crm = crm_order(&app, &order_id).await;
    assert_eq!(crm["Provisioning_Status__c"], "Provisioned");
    assert_eq!(crm["WHMCS_Order_Id__c"], billing_order_id.to_string());
    assert!(crm["Provisioned_At__c"].is_string(), "{crm}");
    assert!(crm["Provisioning_Error__c"].is_null(), "{crm}");

    // Exactly one WHMCS order, accepted, with one active service per unit (plan + fee each).
    assert_eq!(marked_orders(&app, &order_id).await, 1);
    let whmcs = &app.state.providers.whmcs;
    let order = whmcs
        .order(billing_order_id)
        .await
        .expect("GetOrders")
        .expect("order");
    assert_eq!(order.status, "Active");
    let ctx = whmcs.currency_context().await.expect("currency");
    let services = whmcs.services(&ctx, HANAKO_CLIENT).await.expect("services");
    let raw = whmcs
        .call(
            "GetClientsProducts",
            &portal::server::integrations::whmcs::Params::new()
                .with("clientid", HANAKO_CLIENT)
                .with("limitnum", 500),
        )
        .await
        .expect("products");
    let wanted = billing_order_id.to_string();
    let from_order: Vec<&Value> = raw["products"]["product"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter(|p| p["orderid"] == wanted.as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(from_order.len(), 4, "SIM, its fee, fibre, its fee");
    assert!(from_order.iter().all(|p| p["status"] == "Active"));
    let sim = from_order
        .iter()
        .find(|p| p["pid"] == "201")
        .expect("the SIM service");
    assert_eq!(sim["billingcycle"], "Monthly");
    let options = sim["configoptions"]["configoption"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        options
            .iter()
            .any(|o| o["option"] == "Data GB" && o["value"] == "3"),
        "{options:?}"
    );
    assert!(!services.is_empty());

    // The customer's order page shows it done.
    let page = hanako.post("/api/orders/get", &[("id", &order_id)]).await;
    assert_eq!(
        page.json()["value"]["provisioning"],
        "Provisioned",
        "{}",
        page.body
    );

    // Asking again after completion does nothing more.
    assert!(matches!(
        enqueue(queue, &order_id, 8).await.expect("enqueue"),
        portal::server::queue::Enqueued::Added(_)
    ));
    // Wait until that job has actually run, so the count below is not read too early.
    let mut drained = false;
    for _ in 0..200 {
        let stats = queue
            .stats(time::OffsetDateTime::now_utc())
            .await
            .expect("stats");
        if stats.ready == 0 && stats.running == 0 {
            drained = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(drained, "the repeated job ran");
    assert_eq!(marked_orders(&app, &order_id).await, 1);
}

#[tokio::test]
async fn a_whmcs_order_added_before_a_crash_is_found_not_added_again() {
    let app = spawn_app().await;
    let (_hanako, order_id) = place_order(&app, &["OPT-ROUTER"]).await;
    approve(&app, &order_id).await;
    // An earlier attempt added the WHMCS order and died before recording it.
    let line = BillingLine {
        product_id: 301,
        cycle: BillingCycleName::Monthly,
        quantity: 1,
        name: "Router".into(),
        config_options: Default::default(),
    };
    let earlier = app
        .state
        .providers
        .whmcs
        .add_order(&NewBillingOrder {
            client_id: HANAKO_CLIENT,
            payment_method: "stripe",
            lines: vec![(&line, Vec::new())],
            notes: order_note(&order_id),
        })
        .await
        .expect("AddOrder");
    enqueue(app.state.queue.as_ref(), &order_id, 8)
        .await
        .expect("enqueue");
    let stage = completed(&app, &order_id).await;
    assert_eq!(
        stage,
        Stage::Completed {
            billing_order_id: earlier.order_id
        }
    );
    assert_eq!(marked_orders(&app, &order_id).await, 1);
    assert_eq!(
        crm_order(&app, &order_id).await["Provisioning_Status__c"],
        "Provisioned"
    );
}

#[tokio::test]
async fn another_customers_order_stream_is_not_found() {
    let app = spawn_app().await;
    let (_hanako, order_id) = place_order(&app, &["OPT-FIXIP"]).await;
    let mut alex = Browser::new(&app.address);
    alex.login("alex@example.com", DEMO_PASSWORD).await;
    let answer = app
        .client
        .get(format!("{}/orders/{order_id}/live", app.address))
        .header("cookie", alex.cookie_header())
        .send()
        .await
        .expect("answer");
    assert_eq!(answer.status(), 404);
    let visitor = app
        .client
        .get(format!("{}/orders/{order_id}/live", app.address))
        .send()
        .await
        .expect("answer");
    assert_eq!(visitor.status(), 401);
}

#[tokio::test]
async fn a_job_that_gave_up_shows_on_the_status_page_and_in_the_gauges() {
    let app = spawn_app().await;
    let ready = |app: &TestApp| {
        let url = format!("{}/ready", app.address);
        let client = app.client.clone();
        async move {
            let body: Value = client
                .get(url)
                .send()
                .await
                .expect("ready")
                .json()
                .await
                .expect("json");
            body["components"]
                .as_array()
                .and_then(|cs| cs.iter().find(|c| c["component"] == "order_queue").cloned())
                .expect("the order queue is a component")
        }
    };
    let before = ready(&app).await;
    assert_eq!(before["health"], "operational", "{before}");
    assert!(
        before["backend"]
            .as_str()
            .is_some_and(|b| b.contains("0 dead")),
        "{before}"
    );

    // An unreadable job goes straight to the dead-letter state.
    let queue = app.state.queue.as_ref();
    queue
        .enqueue(
            &portal::server::queue::NewJob {
                kind: portal::server::provisioning::JOB_KIND.into(),
                dedupe_key: "unreadable".into(),
                payload: "{not json".into(),
                max_attempts: 3,
            },
            time::OffsetDateTime::now_utc(),
        )
        .await
        .expect("enqueue");
    let mut dead = 0;
    for _ in 0..100 {
        dead = queue
            .stats(time::OffsetDateTime::now_utc())
            .await
            .expect("stats")
            .dead;
        if dead == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(dead, 1, "the worker buried it");
    let dead_jobs = queue.dead_jobs(10).await.expect("dead jobs");
    assert!(
        dead_jobs[0].reason.contains("unreadable payload"),
        "{:?}",
        dead_jobs[0].reason
    );

    let after = ready(&app).await;
    assert_eq!(after["health"], "degraded", "{after}");
    assert!(
        after["backend"]
            .as_str()
            .is_some_and(|b| b.contains("1 dead")),
        "{after}"
    );
    let html = app
        .client
        .get(format!("{}/status", app.address))
        .send()
        .await
        .expect("status page")
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("Order processing") && html.contains("1 dead"),
        "{html}"
    );
}
