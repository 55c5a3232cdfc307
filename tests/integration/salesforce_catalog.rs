//! Catalog and orders against the Salesforce simulator over HTTP: the portal catalog with
//! prices and classes, an order with its items in one all-or-none call, idempotent double
//! submit, the order rules (items only on Draft orders, entries of the order's price book), an
//! account's orders with items, ownership of one order, and the operator's approval.

use portal::domain::catalog::{BillingCycle, ItemClass, Product};
use portal::domain::common::Money;
use portal::domain::orders::{NewOrder, NewOrderLine, OrderStatus, ProvisioningStatus};

use portal::server::integrations::salesforce::{
    SalesforceCatalog, SalesforceError, SalesforceId, SalesforceOrders,
};
use serde_json::{Value, json};
use time::macros::date;

const HANAKO: &str = "001J5000003HanAIAS";

use crate::sandbox::SalesforceEnv as Env;

impl Env {
    fn services(&self) -> (SalesforceCatalog, SalesforceOrders) {
        let client = self.client();
        let catalog = SalesforceCatalog::new(client.clone(), &self.settings()).expect("catalog");
        let orders =
            SalesforceOrders::new(client, catalog.clone(), &self.settings()).expect("orders");
        (catalog, orders)
    }

    pub(crate) async fn records(&self, object: &str) -> Vec<Value> {
        self.http
            .get(format!("{}/_sandbox/records/{object}", self.base()))
            .send()
            .await
            .expect("records")
            .json()
            .await
            .expect("json")
    }

    async fn approve(&self, id: &SalesforceId) -> reqwest::StatusCode {
        self.http
            .post(format!("{}/_sandbox/orders/{id}/approve", self.base()))
            .send()
            .await
            .expect("approve")
            .status()
    }
}

fn by_sku<'a>(products: &'a [Product], sku: &str) -> &'a Product {
    products
        .iter()
        .find(|p| p.sku == sku)
        .unwrap_or_else(|| panic!("{sku} in the catalog"))
}

fn new_order(products: &[Product], lines: &[(&str, u32)]) -> NewOrder {
    NewOrder {
        lines: lines
            .iter()
            .map(|(sku, q)| NewOrderLine {
                product_id: by_sku(products, sku).id.clone(),
                quantity: *q,
            })
            .collect(),
    }
}

fn hanako() -> SalesforceId {
    SalesforceId::parse(HANAKO).expect("id")
}

#[tokio::test]
async fn the_catalog_lists_portal_products_with_prices_and_classes() {
    let env = Env::start().await;
    let (catalog, _) = env.services();
    let products = catalog.products().await.expect("catalog");
    assert_eq!(
        products.len(),
        14,
        "{:?}",
        products.iter().map(|p| &p.sku).collect::<Vec<_>>()
    );
    assert!(
        products
            .iter()
            .all(|p| p.sku != "OPT-ADSL-LEGACY" && p.sku != "SVC-ONSITE")
    );
    let fibre = by_sku(&products, "FIB-10G");
    assert_eq!(fibre.name_ja, "光ファイバー 10ギガ");
    assert_eq!(fibre.name_en, "Fibre 10 Gbps");
    assert_eq!(fibre.item_class, ItemClass::Service);
    assert_eq!(fibre.monthly_price, Some(Money::yen(6_300)));
    assert_eq!(fibre.whmcs_product_id, Some(102));
    let fee = by_sku(&products, "FIB-ACT");
    assert_eq!(
        fibre.activation_product_id.as_deref(),
        Some(fee.id.as_str())
    );
    assert_eq!(fee.item_class, ItemClass::Activation);
    assert_eq!(fee.billing_cycle, BillingCycle::OneTime);
    assert_eq!(fee.one_time_price, Some(Money::yen(22_000)));
    let sim = by_sku(&products, "SIM-V-20G");
    assert_eq!(sim.freebit_plan_code.as_deref(), Some("PLAN-V20"));
    assert_eq!(sim.config_options["Voice"], "Yes");
    assert_eq!(by_sku(&products, "OPT-FIXIP").item_class, ItemClass::Option);
}

#[tokio::test]
async fn an_order_is_created_with_its_items_once_and_read_back() {
    let env = Env::start().await;
    let (catalog, orders) = env.services();
    let products = catalog.products().await.expect("catalog");
    let new = new_order(
        &products,
        &[("SIM-V-10G", 2), ("SIM-ACT", 2), ("OPT-ROUTER", 1)],
    );
    let priced = new.validate(&products).expect("valid");
    let placed = orders
        .create_order(&hanako(), &priced, date!(2026 - 12 - 01), "checkout-1")
        .await
        .expect("created");
    assert!(placed.created);
    let again = orders
        .create_order(&hanako(), &priced, date!(2026 - 12 - 01), "checkout-1")
        .await
        .expect("double submit");
    assert_eq!(again.id, placed.id);
    assert!(!again.created);
    assert_eq!(env.records("Order").await.len(), 1);
    assert_eq!(env.records("OrderItem").await.len(), 3);

    let (order, account) = orders
        .order(&placed.id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(account, hanako());
    assert_eq!(order.status, OrderStatus::Draft);
    assert_eq!(order.provisioning, ProvisioningStatus::NotStarted);
    assert_eq!(order.total, Money::yen(2 * 2_100 + 2 * 3_300 + 550));
    assert_eq!(order.items.len(), 3);
    assert_eq!(order.items[0].sku, "SIM-V-10G");
    assert_eq!(order.items[0].quantity, 2);
    assert_eq!(order.items[0].total, Money::yen(4_200));
    assert!(!order.number.is_empty());

    let listed = orders.orders_for_account(&hanako()).await.expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].items.len(), 3);
    assert!(
        orders
            .orders_for_account(
                &SalesforceId::parse("001J5000003AleAIAS").unwrap_or_else(|_| hanako())
            )
            .await
            .is_ok()
    );

    // Another account's submission with the same key is refused, not merged.
    let accounts = env.records("Account").await;
    let other = accounts
        .iter()
        .filter_map(|a| a["Id"].as_str())
        .find(|id| *id != HANAKO)
        .expect("a second account");
    let other = SalesforceId::parse(other).expect("id");
    let err = orders
        .create_order(&other, &priced, date!(2026 - 12 - 01), "checkout-1")
        .await
        .expect_err("someone else's key");
    assert_eq!(err.code(), Some("DUPLICATE_VALUE"));
    // …and reading hanako's order reports hanako's account, so the caller answers not found.
    let (_, owner) = orders
        .order(&placed.id)
        .await
        .expect("read")
        .expect("exists");
    assert_ne!(owner, other);

    // Approval (the operator action) activates it and queues provisioning.
    assert_eq!(env.approve(&placed.id).await, reqwest::StatusCode::OK);
    let (order, _) = orders
        .order(&placed.id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(order.status, OrderStatus::Activated);
    assert_eq!(order.provisioning, ProvisioningStatus::Queued);
    assert_eq!(env.approve(&placed.id).await, reqwest::StatusCode::CONFLICT);
    let unknown = SalesforceId::parse("801J5000000000Z").expect("id");
    assert_eq!(env.approve(&unknown).await, reqwest::StatusCode::NOT_FOUND);
    assert!(orders.order(&unknown).await.expect("read").is_none());

    // Items only on Draft orders.
    let client = env.client();
    let entry = &by_sku(&products, "OPT-FIXIP").price_entry_id;
    let err = client
        .create(
            "OrderItem",
            &json!({"OrderId": placed.id.as_str(), "PricebookEntryId": entry, "Quantity": 1, "UnitPrice": 880}),
        )
        .await
        .expect_err("activated order");
    assert_eq!(err.code(), Some("FIELD_INTEGRITY_EXCEPTION"));
}

#[tokio::test]
async fn one_bad_item_creates_nothing() {
    let env = Env::start().await;
    let (catalog, orders) = env.services();
    let mut products = catalog.products().await.expect("catalog");
    // An entry of the standard price book, not the portal's: refused by the org.
    let standard: Vec<Value> = env.records("PricebookEntry").await;
    let router = by_sku(&products, "OPT-ROUTER").id.clone();
    let foreign = standard
        .iter()
        .find(|e| {
            e["Product2Id"] == router.as_str()
                && e["Pricebook2Id"] != by_sku(&products, "FIB-1G").price_entry_id.as_str()
                && e["Id"] != by_sku(&products, "OPT-ROUTER").price_entry_id.as_str()
        })
        .and_then(|e| e["Id"].as_str())
        .expect("standard entry")
        .to_owned();
    if let Some(p) = products.iter_mut().find(|p| p.sku == "OPT-ROUTER") {
        p.price_entry_id = foreign;
    }
    let priced_new = new_order(
        &products,
        &[("FIB-1G", 1), ("FIB-ACT", 1), ("OPT-ROUTER", 1)],
    );
    let priced = priced_new.validate(&products).expect("valid");
    let err = orders
        .create_order(&hanako(), &priced, date!(2026 - 12 - 01), "checkout-2")
        .await
        .expect_err("refused");
    match &err {
        SalesforceError::Validation {
            code,
            message,
            fields,
        } => {
            assert_eq!(code, "FIELD_INTEGRITY_EXCEPTION");
            assert!(message.starts_with("item3:"), "{message}");
            assert_eq!(fields, &vec!["PricebookEntryId".to_owned()]);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(env.records("Order").await.is_empty());
    assert!(env.records("OrderItem").await.is_empty());

    // Domain validation: a plan without its activation fee never reaches Salesforce.
    assert!(
        new_order(&products, &[("FIB-1G", 1)])
            .validate(&products)
            .is_err()
    );
    // An empty key is refused before any call.
    let ok = new_order(&products, &[("OPT-FIXIP", 1)]);
    let ok = ok.validate(&products).expect("valid");
    assert!(
        orders
            .create_order(&hanako(), &ok, date!(2026 - 12 - 01), " ")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn the_tree_endpoint_speaks_salesforce_shapes() {
    let env = Env::start().await;
    let client = env.client();
    // A tree order without a price book: the item is refused, nothing kept, statusCode naming.
    let token_body = client.authenticate().await;
    assert!(token_body.is_ok());
    let err = client
        .create_tree(
            "Order",
            &json!({"records": [{
                "attributes": {"type": "Order", "referenceId": "o1"},
                "AccountId": HANAKO, "EffectiveDate": "2026-12-01", "Status": "Draft",
                "OrderItems": {"records": [{
                    "attributes": {"type": "OrderItem", "referenceId": "i1"},
                    "PricebookEntryId": env.records("PricebookEntry").await[0]["Id"], "Quantity": 1, "UnitPrice": 100
                }]}
            }]}),
        )
        .await
        .expect_err("no price book");
    assert_eq!(err.code(), Some("FIELD_INTEGRITY_EXCEPTION"));
    assert!(env.records("Order").await.is_empty());
    // A plain create of an activated order is refused too.
    let err = client
        .create(
            "Order",
            &json!({"AccountId": HANAKO, "EffectiveDate": "2026-12-01", "Status": "Activated"}),
        )
        .await
        .expect_err("activated on create");
    assert_eq!(err.code(), Some("FIELD_INTEGRITY_EXCEPTION"));
}

#[tokio::test]
async fn with_automatic_approval_a_draft_order_is_approved_after_the_delay() {
    let env = Env::start().await;
    let (catalog, orders) = env.services();
    let products = catalog.products().await.expect("catalog");
    let priced_order = new_order(&products, &[("SIM-D-3G", 1), ("SIM-ACT", 1)]);
    let priced = priced_order.validate(&products).expect("valid");
    let set = |delay: Value| {
        env.http
            .post(format!("{}/_sandbox/settings", env.base()))
            .json(&json!({ "auto_approve_after_secs": delay }))
            .send()
    };
    // A long delay: still Draft.
    assert_eq!(
        set(json!(3600)).await.expect("settings").status().as_u16(),
        200
    );
    let placed = orders
        .create_order(&hanako(), &priced, date!(2026 - 12 - 01), "auto-1")
        .await
        .expect("created");
    let (order, _) = orders
        .order(&placed.id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(order.status, OrderStatus::Draft);
    // No delay: approved on the next request, as the org's Flow would.
    assert_eq!(
        set(json!(0)).await.expect("settings").status().as_u16(),
        200
    );
    let (order, _) = orders
        .order(&placed.id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(order.status, OrderStatus::Activated);
    assert_eq!(order.provisioning, ProvisioningStatus::Queued);
    assert!(order.activated.is_some());
    // Off again (null): a new order waits for the operator.
    assert_eq!(
        set(Value::Null).await.expect("settings").status().as_u16(),
        200
    );
    let manual = orders
        .create_order(&hanako(), &priced, date!(2026 - 12 - 01), "auto-2")
        .await
        .expect("created");
    let (order, _) = orders
        .order(&manual.id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(order.status, OrderStatus::Draft);
}
