//! `POST /webhooks/whmcs` over HTTP: the signature, the window, replays and tampering change
//! nothing; a valid event drops exactly the affected customer's cached invoices; the WHMCS
//! simulator's own deliveries (an invoice paid on its page) arrive signed and are accepted.

use crate::browser::Browser;
use crate::helpers::{TestApp, spawn_app};
use portal::server::webhooks::signature::sign;
use serde_json::{Value, json};
use std::time::Duration;

const SECRET: &[u8] = b"sandbox-webhook-secret";
const DEMO_PASSWORD: &str = "sandbox-demo-2026";

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn body(id: &str, kind: &str, client_id: u32) -> String {
    json!({"id": id, "type": kind, "occurred_at": "2026-11-21T00:00:00Z",
           "data": {"client_id": client_id, "invoice_id": 2013}})
    .to_string()
}

/// Posts a delivery; `signature` is the header value (or `None` to sign correctly).
async fn deliver(
    app: &TestApp,
    id: &str,
    ts: i64,
    body: &str,
    signature: Option<String>,
) -> (u16, Value) {
    let signature = signature.unwrap_or_else(|| {
        format!(
            "v1={}",
            sign(SECRET, ts, id, body.as_bytes()).expect("sign")
        )
    });
    let response = app
        .client
        .post(format!("{}/webhooks/whmcs", app.address))
        .header("content-type", "application/json")
        .header("x-portal-event-id", id)
        .header("x-portal-timestamp", ts.to_string())
        .header("x-portal-signature", signature)
        .body(body.to_owned())
        .send()
        .await
        .expect("delivered");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn whmcs_base(app: &TestApp) -> String {
    app.state
        .providers
        .whmcs
        .api_url()
        .trim_end_matches("/includes/api.php")
        .to_owned()
}

/// Raises a hook on the WHMCS simulator, which then delivers it to the portal.
async fn raise(app: &TestApp, event: Value) {
    let raised = app
        .client
        .post(format!("{}/sandbox/events", whmcs_base(app)))
        .json(&event)
        .send()
        .await
        .expect("raised");
    assert_eq!(raised.status(), 201);
}

/// When hanako's first invoice page was fetched from WHMCS (Unix ms): unchanged while it is
/// served from the cache, newer once an event dropped the cache.
async fn as_of(browser: &mut Browser) -> i64 {
    // Let the clock move on, so a fresh fetch cannot share a millisecond with the last one.
    tokio::time::sleep(Duration::from_millis(5)).await;
    let list = browser
        .post("/api/billing/invoices", &[("page", "1")])
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    list.json()["as_of"].as_i64().expect("as_of")
}

#[tokio::test]
async fn refused_deliveries_change_nothing() {
    let app = spawn_app().await;
    let mut hanako = Browser::new(&app.address);
    hanako.login("hanako@example.jp", DEMO_PASSWORD).await;
    let cached = as_of(&mut hanako).await;
    assert_eq!(as_of(&mut hanako).await, cached, "served from the cache");

    let id = "evt-refused";
    let good = body(id, "invoice.paid", 1001);
    let ts = now();
    let wrong_secret = format!(
        "v1={}",
        sign(b"not-the-secret", ts, id, good.as_bytes()).expect("sign")
    );
    let cases: Vec<(&str, (u16, Value))> = vec![
        (
            "wrong secret",
            deliver(&app, id, ts, &good, Some(wrong_secret)).await,
        ),
        (
            "stale timestamp",
            deliver(&app, id, ts - 301, &good, None).await,
        ),
        (
            "future timestamp",
            deliver(&app, id, ts + 301, &good, None).await,
        ),
        ("tampered body", {
            let sig = format!(
                "v1={}",
                sign(SECRET, ts, id, good.as_bytes()).expect("sign")
            );
            deliver(&app, id, ts, &good.replace("2013", "2012"), Some(sig)).await
        }),
        (
            "no signature",
            deliver(&app, id, ts, &good, Some(String::new())).await,
        ),
    ];
    for (case, (status, answer)) in cases {
        assert_eq!(status, 401, "{case}: {answer}");
    }
    // Signed, but the body names another event.
    let (status, _) = deliver(&app, "evt-other", ts, &good, None).await;
    assert_eq!(status, 400);
    // Signed, but not JSON.
    let (status, _) = deliver(&app, id, ts, "not json", None).await;
    assert_eq!(status, 400);
    // Too large.
    let huge = format!("{{\"pad\":\"{}\"}}", "x".repeat(300 * 1024));
    let (status, _) = deliver(&app, id, ts, &huge, None).await;
    assert_eq!(status, 413);
    // None of that reached the cache.
    assert_eq!(as_of(&mut hanako).await, cached);
}

#[tokio::test]
async fn a_valid_event_refreshes_only_its_customer_and_a_replay_is_ignored() {
    let app = spawn_app().await;
    let mut hanako = Browser::new(&app.address);
    hanako.login("hanako@example.jp", DEMO_PASSWORD).await;
    let mut alex = Browser::new(&app.address);
    alex.login("alex@example.com", DEMO_PASSWORD).await;
    let hanako_cached = as_of(&mut hanako).await;
    let alex_cached = as_of(&mut alex).await;

    // An event for alex's client drops nothing of hanako's.
    let (status, answer) = deliver(
        &app,
        "evt-alex",
        now(),
        &body("evt-alex", "invoice.paid", 1002),
        None,
    )
    .await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("processed"))
    );
    assert_eq!(
        as_of(&mut hanako).await,
        hanako_cached,
        "hanako's cache kept"
    );
    let alex_refreshed = as_of(&mut alex).await;
    assert!(alex_refreshed > alex_cached, "alex's invoices read again");

    // Hanako's event: her next read goes to WHMCS; alex's cache is kept.
    let id = "evt-hanako";
    let (status, answer) = deliver(&app, id, now(), &body(id, "invoice.paid", 1001), None).await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("processed"))
    );
    let hanako_refreshed = as_of(&mut hanako).await;
    assert!(
        hanako_refreshed > hanako_cached,
        "hanako's invoices read again"
    );
    assert_eq!(as_of(&mut alex).await, alex_refreshed, "alex's cache kept");

    // A replay (same id, freshly signed) is acknowledged and changes nothing.
    let (status, answer) = deliver(&app, id, now(), &body(id, "invoice.paid", 1001), None).await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("duplicate"))
    );
    assert_eq!(as_of(&mut hanako).await, hanako_refreshed);

    // A client without a portal user (kenji) is acknowledged and ignored.
    let (status, answer) = deliver(
        &app,
        "evt-kenji",
        now(),
        &body("evt-kenji", "invoice.paid", 1003),
        None,
    )
    .await;
    assert_eq!((status, answer["status"].as_str()), (200, Some("ignored")));
}

#[tokio::test]
async fn the_simulator_delivers_its_events_signed_and_they_are_accepted() {
    let app = spawn_app().await;
    let whmcs = whmcs_base(&app);
    raise(
        &app,
        json!({"type": "invoice.created", "client_id": 1001, "invoice_id": 2013}),
    )
    .await;
    let mut deliveries = Value::Null;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        deliveries = app
            .client
            .get(format!("{whmcs}/sandbox/deliveries"))
            .send()
            .await
            .expect("deliveries")
            .json()
            .await
            .expect("json");
        if deliveries[0]["state"] == "delivered" {
            break;
        }
    }
    assert_eq!(deliveries[0]["type"], "invoice.created", "{deliveries}");
    assert_eq!(deliveries[0]["state"], "delivered", "{deliveries}");
    assert_eq!(deliveries[0]["last_status"], 200);
    assert_eq!(deliveries[0]["attempts"], 1);
}

#[tokio::test]
async fn an_event_the_simulator_delivers_refreshes_the_portal() {
    let app = spawn_app().await;
    let mut hanako = Browser::new(&app.address);
    hanako.login("hanako@example.jp", DEMO_PASSWORD).await;
    let cached = as_of(&mut hanako).await;
    // Raised through the control API; the simulator's pay page records the same event.
    raise(
        &app,
        json!({"type": "invoice.paid", "client_id": 1001, "invoice_id": 2013}),
    )
    .await;
    let mut refreshed = cached;
    for _ in 0..50 {
        refreshed = as_of(&mut hanako).await;
        if refreshed != cached {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        refreshed > cached,
        "the delivered event dropped hanako's cached invoices"
    );
}
