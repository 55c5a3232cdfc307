//! The shop over HTTP: the catalog for everyone, a cart kept in the store with its rules (a
//! plan brings its activation fee, which cannot be chosen alone; quantities 1–10), checkout
//! into exactly one Draft Order in the Salesforce simulator — for a double submit, concurrent
//! or repeated, too — and the customer's orders, which nobody else can read.

use crate::browser::{Answer, Browser};
use crate::helpers::{TestApp, spawn_app};
use serde_json::Value;

const DEMO_PASSWORD: &str = "sandbox-demo-2026";
const HANAKO_ACCOUNT: &str = "001J5000003HanAIAS";

pub(crate) async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let mut browser = Browser::new(&app.address);
    browser.login(email, DEMO_PASSWORD).await;
    browser
}

pub(crate) fn salesforce(app: &TestApp) -> String {
    app.provider_urls["salesforce"].clone()
}

/// The Salesforce simulator's stored records of `object`.
pub(crate) async fn records(app: &TestApp, object: &str) -> Vec<Value> {
    reqwest::get(format!("{}/_sandbox/records/{object}", salesforce(app)))
        .await
        .expect("reachable")
        .json()
        .await
        .expect("json")
}

/// Product id by SKU, from the public catalog.
async fn product_ids(app: &TestApp) -> std::collections::HashMap<String, String> {
    let catalog = Browser::new(&app.address).post("/api/catalog", &[]).await;
    assert_eq!(catalog.status, 200, "{}", catalog.body);
    catalog.json()["value"]["products"]
        .as_array()
        .expect("products")
        .iter()
        .map(|p| {
            (
                p["sku"].as_str().unwrap_or_default().to_owned(),
                p["id"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn field_problem(answer: &Answer, field: &str) -> Value {
    answer.json()["fields"]
        .as_array()
        .and_then(|fields| fields.iter().find(|f| f["field"] == field))
        .map(|f| f["problem"]["code"].clone())
        .unwrap_or_default()
}

/// `(sku, quantity)` of each cart line.
fn lines(cart: &Value) -> Vec<(String, u64)> {
    cart["lines"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|l| {
            (
                l["product"]["sku"].as_str().unwrap_or_default().to_owned(),
                l["quantity"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

async fn cart(browser: &mut Browser) -> Value {
    let answer = browser.post("/api/cart", &[]).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()["value"].clone()
}

fn pairs(list: &[(&str, u64)]) -> Vec<(String, u64)> {
    list.iter().map(|(s, q)| ((*s).to_owned(), *q)).collect()
}

#[tokio::test]
async fn the_catalog_is_public_priced_and_tax_is_shown() {
    let app = spawn_app().await;
    let mut visitor = Browser::new(&app.address);
    let answer = visitor.post("/api/catalog", &[]).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let catalog = answer.json();
    assert_eq!(catalog["value"]["tax_rate_bp"], 1000);
    let products = catalog["value"]["products"].as_array().expect("products");
    let skus: Vec<&str> = products.iter().filter_map(|p| p["sku"].as_str()).collect();
    for sku in [
        "FIB-1G",
        "FIB-ACT",
        "SIM-D-3G",
        "SIM-V-50G",
        "SIM-ACT",
        "OPT-ROUTER",
    ] {
        assert!(skus.contains(&sku), "{sku} on sale");
    }
    // Not on sale: inactive, or not flagged for the portal.
    assert!(!skus.contains(&"OPT-ADSL-LEGACY") && !skus.contains(&"SVC-ONSITE"));

    // Pages render without JavaScript, for visitors too (who are asked to sign in to order).
    let page = visitor.get("/catalog?category=sim").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("data-sku=\"SIM-V-10G\""),
        "SIM plans listed"
    );
    assert!(
        !page.body.contains("data-sku=\"FIB-1G\""),
        "fibre filtered out"
    );
    assert!(page.body.contains("data-testid=\"sign-in-to-order\""));
    let fibre = products
        .iter()
        .find(|p| p["sku"] == "FIB-1G")
        .expect("fibre");
    let detail = visitor
        .get(&format!("/catalog/{}", fibre["id"].as_str().expect("id")))
        .await;
    assert_eq!(detail.status, 200);
    // ¥4,800 before tax is ¥5,280 with it; the activation fee ¥22,000 is ¥24,200.
    assert!(detail.body.contains("5,280"), "price with tax");
    assert!(detail.body.contains("24,200"), "activation fee with tax");
    assert!(detail.body.contains("data-testid=\"activation-fee\""));
    let missing = visitor
        .post("/api/catalog/product", &[("id", "01tJ5000000ZZZZIAA")])
        .await;
    assert_eq!(missing.status, 404, "{}", missing.body);
}

#[tokio::test]
async fn the_cart_follows_the_rules_and_checkout_places_one_order() {
    let app = spawn_app().await;
    let ids = product_ids(&app).await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;

    // Visitors have no cart and cannot add to one.
    let mut visitor = Browser::new(&app.address);
    assert_eq!(cart(&mut visitor).await, Value::Null);
    let refused = visitor
        .post("/api/cart/add", &[("product_id", &ids["SIM-D-3G"])])
        .await;
    assert_eq!(refused.status, 401);

    // A plan brings its activation fee; the fee follows the plans' quantities.
    let added = hanako
        .post("/api/cart/add", &[("product_id", &ids["SIM-D-3G"])])
        .await;
    assert_eq!(added.status, 200, "{}", added.body);
    assert_eq!(
        lines(&cart(&mut hanako).await),
        pairs(&[("SIM-D-3G", 1), ("SIM-ACT", 1)])
    );
    let fee_alone = hanako
        .post("/api/cart/add", &[("product_id", &ids["SIM-ACT"])])
        .await;
    assert_eq!(fee_alone.status, 422, "{}", fee_alone.body);
    assert_eq!(field_problem(&fee_alone, "product_id"), "invalid");
    let unknown = hanako
        .post("/api/cart/add", &[("product_id", "01tJ5000000ZZZZIAA")])
        .await;
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    let too_many = hanako
        .post(
            "/api/cart/update",
            &[("product_id", &ids["SIM-D-3G"]), ("quantity", "11")],
        )
        .await;
    assert_eq!(too_many.status, 422, "{}", too_many.body);
    assert_eq!(field_problem(&too_many, "quantity"), "invalid");
    let two = hanako
        .post(
            "/api/cart/update",
            &[("product_id", &ids["SIM-D-3G"]), ("quantity", "2")],
        )
        .await;
    assert_eq!(two.status, 200, "{}", two.body);
    // As a plain form post (no JavaScript): redirected to the cart, which names what was added.
    let referer = format!("{}/catalog", app.address);
    let plain = hanako
        .post_with(
            "/api/cart/add",
            &[("product_id", &ids["FIB-1G"]), ("quantity", "1")],
            &[("accept", "text/html"), ("referer", &referer)],
        )
        .await;
    assert_eq!(plain.status, 302, "{}", plain.body);
    assert_eq!(
        plain.location.as_deref(),
        Some(format!("/cart?added={}", ids["FIB-1G"]).as_str())
    );
    hanako
        .post("/api/cart/add", &[("product_id", &ids["OPT-ROUTER"])])
        .await;

    // The cart survives signing in again (it lives in the store, not the session).
    let mut again = signed_in(&app, "hanako@example.jp").await;
    let current = cart(&mut again).await;
    assert_eq!(
        lines(&current),
        pairs(&[
            ("SIM-D-3G", 2),
            ("FIB-1G", 1),
            ("OPT-ROUTER", 1),
            ("SIM-ACT", 2),
            ("FIB-ACT", 1)
        ])
    );
    // Monthly 2×900 + 4,800 + 550 = 7,150 (+715 tax); one-time 2×3,300 + 22,000 = 28,600.
    assert_eq!(current["monthly"]["subtotal"]["minor"], 7_150);
    assert_eq!(current["monthly"]["tax"]["minor"], 715);
    assert_eq!(current["one_time"]["total"]["minor"], 31_460);
    let page = again.get("/cart").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("data-testid=\"cart-line\""));
    let revision = current["revision"].as_str().expect("revision").to_owned();
    let confirm = again.get("/checkout").await;
    assert!(
        confirm.body.contains(&revision),
        "the confirmation carries the revision"
    );

    // An out-of-date confirmation is refused, and nothing is ordered.
    let stale = again
        .post("/api/checkout", &[("revision", "0123456789abcdef")])
        .await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert!(
        records(&app, "Order")
            .await
            .iter()
            .all(|o| o["AccountId"] != HANAKO_ACCOUNT)
    );

    // Placing it twice at once — a double click — still makes one order.
    let mut twin = signed_in(&app, "hanako@example.jp").await;
    let form = [("revision", revision.as_str())];
    let plain_headers = [("accept", "text/html"), ("referer", referer.as_str())];
    let (first, second) = tokio::join!(
        again.post_with("/api/checkout", &form, &plain_headers),
        twin.post("/api/checkout", &form),
    );
    assert_eq!(first.status, 302, "{}", first.body);
    assert_eq!(second.status, 200, "{}", second.body);
    let order_id = second.json().as_str().expect("order id").to_owned();
    assert_eq!(
        first.location.as_deref(),
        Some(format!("/orders/{order_id}?placed=1").as_str())
    );
    // And once more later (a reload of the answer): the same order.
    let later = again.post("/api/checkout", &form).await;
    assert_eq!(
        later.json().as_str(),
        Some(order_id.as_str()),
        "{}",
        later.body
    );

    let orders: Vec<Value> = records(&app, "Order")
        .await
        .into_iter()
        .filter(|o| o["AccountId"] == HANAKO_ACCOUNT)
        .collect();
    assert_eq!(orders.len(), 1, "exactly one order");
    let order = &orders[0];
    assert_eq!(order["Id"], order_id.as_str());
    assert_eq!(order["Status"], "Draft");
    let books = records(&app, "Pricebook2").await;
    let portal_book = books
        .iter()
        .find(|b| b["Name"] == "Portal")
        .expect("portal price book");
    assert_eq!(order["Pricebook2Id"], portal_book["Id"]);
    assert_eq!(order["TotalAmount"].as_f64(), Some(7_150.0 + 28_600.0));
    let items: Vec<(String, f64, f64)> = records(&app, "OrderItem")
        .await
        .into_iter()
        .filter(|i| i["OrderId"] == order_id.as_str())
        .map(|i| {
            (
                i["Product2Id"].as_str().unwrap_or_default().to_owned(),
                i["Quantity"].as_f64().unwrap_or_default(),
                i["UnitPrice"].as_f64().unwrap_or_default(),
            )
        })
        .collect();
    let expect = |sku: &str, q: f64, p: f64| (ids[sku].clone(), q, p);
    assert_eq!(
        items,
        vec![
            expect("SIM-D-3G", 2.0, 900.0),
            expect("FIB-1G", 1.0, 4_800.0),
            expect("OPT-ROUTER", 1.0, 550.0),
            expect("SIM-ACT", 2.0, 3_300.0),
            expect("FIB-ACT", 1.0, 22_000.0),
        ]
    );

    // The cart is empty; the order is listed and readable by her, and by nobody else.
    assert!(lines(&cart(&mut again).await).is_empty());
    let list = again.post("/api/orders", &[]).await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(list.json()["value"][0]["id"], order_id.as_str());
    assert_eq!(
        list.json()["value"][0]["items"].as_array().map(Vec::len),
        Some(5)
    );
    let one = again.post("/api/orders/get", &[("id", &order_id)]).await;
    assert_eq!(one.status, 200, "{}", one.body);
    assert_eq!(one.json()["value"]["status"], "Draft");
    let page = again.get(&format!("/orders/{order_id}?placed=1")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("data-testid=\"order-placed\""));
    assert!(page.body.contains("data-testid=\"order-timeline\""));

    let mut alex = signed_in(&app, "alex@example.com").await;
    let theirs = alex.post("/api/orders/get", &[("id", &order_id)]).await;
    assert_eq!(theirs.status, 404, "{}", theirs.body);
    let bogus = alex.post("/api/orders/get", &[("id", "not-an-id")]).await;
    assert_eq!(bogus.status, 404, "{}", bogus.body);
    let alex_list = alex.post("/api/orders", &[]).await.json();
    assert!(
        alex_list["value"]
            .as_array()
            .expect("list")
            .iter()
            .all(|o| o["id"] != order_id.as_str())
    );
    // Her confirmation, replayed by someone else, does not reveal or place anything.
    let replay = alex.post("/api/checkout", &form).await;
    assert_eq!(replay.status, 404, "{}", replay.body);

    // The operator approves it: the order moves along its timeline.
    let approved = reqwest::Client::new()
        .post(format!(
            "{}/_sandbox/orders/{order_id}/approve",
            salesforce(&app)
        ))
        .send()
        .await
        .expect("approve");
    assert_eq!(approved.status().as_u16(), 200);
    app.state
        .cache
        .invalidate(&portal::server::orders::namespace(
            &app.state
                .store
                .user_by_email("hanako@example.jp")
                .await
                .expect("store")
                .expect("user")
                .id,
        ))
        .await
        .expect("invalidate");
    let one = again
        .post("/api/orders/get", &[("id", &order_id)])
        .await
        .json();
    assert_eq!(one["value"]["status"], "Activated");
    assert_eq!(one["value"]["provisioning"], "Queued");
    assert!(!one["value"]["activated"].is_null());
}

#[tokio::test]
async fn a_signed_catalog_event_shows_a_price_change_at_once() {
    use portal::server::integrations::salesforce::SalesforceId;
    use portal::server::webhooks::signature::sign;
    let app = spawn_app().await;
    let price_of = |catalog: &Value, sku: &str| {
        catalog["value"]["products"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["sku"] == sku).cloned())
            .map(|p| {
                (
                    p["price_entry_id"].clone(),
                    p["monthly_price"]["minor"].clone(),
                )
            })
            .expect("product")
    };
    let mut visitor = Browser::new(&app.address);
    let before = visitor.post("/api/catalog", &[]).await.json();
    let (entry, price) = price_of(&before, "FIB-1G");
    assert_eq!(price, 4_800);

    // The price changes in Salesforce; the portal keeps serving its cached catalog…
    let entry = SalesforceId::parse(entry.as_str().expect("entry id")).expect("id");
    app.state
        .providers
        .salesforce
        .client()
        .update(
            "PricebookEntry",
            &entry,
            &serde_json::json!({"UnitPrice": 4_500}),
        )
        .await
        .expect("price updated");
    let cached = visitor.post("/api/catalog", &[]).await.json();
    assert_eq!(price_of(&cached, "FIB-1G").1, 4_800);

    // …until the org says the catalog changed. An unsigned or wrongly signed event does nothing.
    let body = serde_json::json!({"id": "evt-cat-1", "type": "catalog.changed"}).to_string();
    let ts = time::OffsetDateTime::now_utc().unix_timestamp();
    let post = |signature: String| {
        app.client
            .post(format!("{}/webhooks/salesforce", app.address))
            .header("x-portal-event-id", "evt-cat-1")
            .header("x-portal-timestamp", ts.to_string())
            .header("x-portal-signature", signature)
            .body(body.clone())
            .send()
    };
    let forged = post(format!(
        "v1={}",
        sign(b"not-the-secret", ts, "evt-cat-1", body.as_bytes()).expect("sign")
    ))
    .await
    .expect("sent");
    assert_eq!(forged.status().as_u16(), 401);
    assert_eq!(
        price_of(&visitor.post("/api/catalog", &[]).await.json(), "FIB-1G").1,
        4_800
    );
    let signed = post(format!(
        "v1={}",
        sign(b"sandbox-webhook-secret", ts, "evt-cat-1", body.as_bytes()).expect("sign")
    ))
    .await
    .expect("sent");
    assert_eq!(signed.status().as_u16(), 200);
    assert_eq!(
        price_of(&visitor.post("/api/catalog", &[]).await.json(), "FIB-1G").1,
        4_500
    );
}
