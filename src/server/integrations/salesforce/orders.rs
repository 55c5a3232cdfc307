//! Orders: create one with its OrderItems in a single all-or-none sObject Tree call
//! (`composite/tree/Order`, reference §3.1), read an account's orders with their items (child
//! subquery `OrderItems`), read one order with its `AccountId` so the caller can check it is the
//! customer's own (and answer "not found" otherwise).
//!
//! A double submit is harmless: the Order carries the portal's idempotency key in a unique
//! field (`salesforce.order_idempotency_field`); when the create is refused with
//! `DUPLICATE_VALUE` the existing order is looked up by that key and returned. The provisioning
//! fields the pipeline writes (status, WHMCS order id, error) are named in `[salesforce]` too
//! ([`OrderFields`]); mapping is pure ([`record_to_order`]).

use super::catalog::{SalesforceCatalog, field_name};
use super::client::SalesforceClient;
use super::error::SalesforceError;
use super::id::SalesforceId;
use super::soql::{Condition, Direction, Soql};
use crate::domain::catalog::ItemClass;
use crate::domain::common::Money;
use crate::domain::orders::{Order, OrderLine, OrderStatus, PricedOrder, ProvisioningStatus};
use crate::server::config::SalesforceSettings;
use serde_json::{Map, Value, json};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

/// Order key prefix.
pub const ORDER_PREFIX: &str = "801";
/// Most orders listed per account.
pub const MAX_LISTED: u32 = 200;
/// Longest idempotency key accepted.
pub const MAX_KEY_LEN: usize = 80;

/// Order custom field names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFields {
    /// Idempotency key (Text, External ID, Unique).
    pub idempotency: String,
    /// Provisioning status.
    pub provisioning_status: String,
    /// WHMCS order id.
    pub whmcs_order_id: String,
    /// Provisioning error.
    pub error: String,
    /// When provisioning finished.
    pub provisioned_at: String,
    /// Product2 item class (read through `Product2.` on the items).
    pub item_class: String,
}

impl Default for OrderFields {
    fn default() -> Self {
        OrderFields {
            idempotency: "Portal_Idempotency_Key__c".into(),
            provisioning_status: "Provisioning_Status__c".into(),
            whmcs_order_id: "WHMCS_Order_Id__c".into(),
            error: "Provisioning_Error__c".into(),
            provisioned_at: "Provisioned_At__c".into(),
            item_class: "Item_Class__c".into(),
        }
    }
}

impl OrderFields {
    /// From `[salesforce]`.
    pub fn from_settings(s: &SalesforceSettings) -> anyhow::Result<Self> {
        let d = OrderFields::default();
        Ok(OrderFields {
            idempotency: field_name(
                &s.order_idempotency_field,
                &d.idempotency,
                "order_idempotency_field",
            )?,
            provisioning_status: field_name(
                &s.order_provisioning_status_field,
                &d.provisioning_status,
                "order_provisioning_status_field",
            )?,
            whmcs_order_id: field_name(
                &s.order_whmcs_order_id_field,
                &d.whmcs_order_id,
                "order_whmcs_order_id_field",
            )?,
            error: field_name(&s.order_error_field, &d.error, "order_error_field")?,
            provisioned_at: field_name(
                &s.order_provisioned_at_field,
                &d.provisioned_at,
                "order_provisioned_at_field",
            )?,
            item_class: field_name(
                &s.product_item_class_field,
                &d.item_class,
                "product_item_class_field",
            )?,
        })
    }

    fn order_fields(&self) -> Vec<&str> {
        vec![
            "Id",
            "AccountId",
            "OrderNumber",
            "Status",
            "EffectiveDate",
            "CreatedDate",
            "ActivatedDate",
            "TotalAmount",
            &self.provisioning_status,
            &self.whmcs_order_id,
            &self.error,
            &self.provisioned_at,
        ]
    }

    fn items_subquery(&self) -> super::soql::SelectBuilder {
        let class = format!("Product2.{}", self.item_class);
        Soql::select(&[
            "Id",
            "Product2Id",
            "Product2.Name",
            "Product2.ProductCode",
            &class,
            "Quantity",
            "UnitPrice",
            "TotalPrice",
            "OrderItemNumber",
        ])
        .from("OrderItems")
        .order_by("OrderItemNumber", Direction::Asc)
    }
}

/// Why an Order record cannot be mapped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderMapError {
    /// A required value is missing or malformed.
    #[error("{0} is missing or invalid")]
    Field(&'static str),
}

fn text_at(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(super::dto::loose_text)
        .filter(|s| !s.is_empty())
}

fn amount(value: Option<&Value>) -> Option<Money> {
    let n = value?.as_f64()?;
    (n.is_finite() && n.abs() < 1e13).then(|| Money::yen(n.round() as i64))
}

/// `2026-11-21T10:49:00.000+0000` (or RFC 3339).
pub fn parse_datetime(text: &str) -> Option<OffsetDateTime> {
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t);
    }
    let (head, tail) = text.split_at_checked(text.len().checked_sub(5)?)?;
    let b = tail.as_bytes();
    if matches!(b.first(), Some(b'+' | b'-')) && b[1..].iter().all(u8::is_ascii_digit) {
        let fixed = format!("{head}{}:{}", tail.get(..3)?, tail.get(3..)?);
        return OffsetDateTime::parse(&fixed, &Rfc3339).ok();
    }
    None
}

/// `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Date> {
    Date::parse(
        text,
        &time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

fn item_to_line(item: &Value, item_class_field: &str) -> Result<OrderLine, OrderMapError> {
    let product = item.get("Product2").filter(|p| p.is_object());
    let quantity = item
        .get("Quantity")
        .and_then(Value::as_f64)
        .filter(|q| q.is_finite() && *q >= 0.0 && *q <= f64::from(u32::MAX) && q.fract() == 0.0)
        .ok_or(OrderMapError::Field("OrderItem.Quantity"))?;
    let unit_price =
        amount(item.get("UnitPrice")).ok_or(OrderMapError::Field("OrderItem.UnitPrice"))?;
    Ok(OrderLine {
        id: text_at(item, "Id").ok_or(OrderMapError::Field("OrderItem.Id"))?,
        product_id: text_at(item, "Product2Id").unwrap_or_default(),
        name: product.and_then(|p| text_at(p, "Name")).unwrap_or_default(),
        sku: product
            .and_then(|p| text_at(p, "ProductCode"))
            .unwrap_or_default(),
        item_class: product
            .and_then(|p| text_at(p, item_class_field))
            .and_then(|c| ItemClass::parse(&c)),
        quantity: quantity as u32,
        unit_price,
        total: amount(item.get("TotalPrice")).unwrap_or(unit_price),
    })
}

/// A queried Order (with its `OrderItems` subquery, which may be null) as the portal's order,
/// with the `AccountId` it belongs to.
pub fn record_to_order(record: &Value, f: &OrderFields) -> Result<(Order, String), OrderMapError> {
    let items = match record.get("OrderItems") {
        Some(Value::Object(sub)) => sub
            .get("records")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|i| item_to_line(i, &f.item_class))
            .collect::<Result<Vec<_>, _>>()?,
        _ => Vec::new(),
    };
    let provisioning = text_at(record, &f.provisioning_status).unwrap_or_default();
    let order = Order {
        id: text_at(record, "Id").ok_or(OrderMapError::Field("Id"))?,
        number: text_at(record, "OrderNumber").unwrap_or_default(),
        status: OrderStatus::parse(&text_at(record, "Status").unwrap_or_default()),
        provisioning: ProvisioningStatus::parse(&provisioning)
            .ok_or(OrderMapError::Field("provisioning status"))?,
        effective_date: text_at(record, "EffectiveDate")
            .and_then(|d| parse_date(&d))
            .ok_or(OrderMapError::Field("EffectiveDate"))?,
        created: text_at(record, "CreatedDate")
            .and_then(|d| parse_datetime(&d))
            .ok_or(OrderMapError::Field("CreatedDate"))?,
        activated: text_at(record, "ActivatedDate").and_then(|d| parse_datetime(&d)),
        provisioned: text_at(record, &f.provisioned_at).and_then(|d| parse_datetime(&d)),
        total: amount(record.get("TotalAmount")).unwrap_or(Money::yen(0)),
        items,
        whmcs_order_id: text_at(record, &f.whmcs_order_id),
        error: text_at(record, &f.error),
    };
    let account = text_at(record, "AccountId").ok_or(OrderMapError::Field("AccountId"))?;
    Ok((order, account))
}

/// The sObject Tree body for an order and its items.
pub fn order_tree(
    account_id: &SalesforceId,
    pricebook_id: &SalesforceId,
    order: &PricedOrder<'_>,
    effective_date: Date,
    key: &str,
    f: &OrderFields,
) -> Value {
    let items: Vec<Value> = order
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            json!({
                "attributes": {"type": "OrderItem", "referenceId": format!("item{}", i + 1)},
                "PricebookEntryId": line.product.price_entry_id,
                "Quantity": line.quantity,
                "UnitPrice": line.product.unit_price().map(Money::minor).unwrap_or_default(),
            })
        })
        .collect();
    let mut record = Map::new();
    record.insert(
        "attributes".into(),
        json!({"type": "Order", "referenceId": "order"}),
    );
    record.insert("AccountId".into(), json!(account_id.as_str()));
    record.insert("Pricebook2Id".into(), json!(pricebook_id.as_str()));
    record.insert("EffectiveDate".into(), json!(effective_date.to_string()));
    record.insert("Status".into(), json!("Draft"));
    record.insert(f.idempotency.clone(), json!(key));
    record.insert("OrderItems".into(), json!({"records": items}));
    json!({"records": [Value::Object(record)]})
}

/// A placed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedOrder {
    /// The Order id.
    pub id: SalesforceId,
    /// False when an order with this idempotency key already existed (a double submit).
    pub created: bool,
}

/// The Order/OrderItem service.
#[derive(Clone)]
pub struct SalesforceOrders {
    client: SalesforceClient,
    catalog: SalesforceCatalog,
    fields: OrderFields,
}

fn id_of(text: &str, what: &str) -> Result<SalesforceId, SalesforceError> {
    SalesforceId::parse(text)
        .map_err(|_| SalesforceError::Decode(format!("{what} is not a record id")))
}

impl SalesforceOrders {
    /// The service; the portal price book is resolved through `catalog`.
    pub fn new(
        client: SalesforceClient,
        catalog: SalesforceCatalog,
        settings: &SalesforceSettings,
    ) -> anyhow::Result<Self> {
        Ok(SalesforceOrders {
            client,
            catalog,
            fields: OrderFields::from_settings(settings)?,
        })
    }

    /// Creates a Draft order for the account at the portal price book, with one OrderItem per
    /// line, in one all-or-none call. `key` identifies the submission (1–80 printable
    /// characters): submitting the same key again returns the existing order
    /// (`created: false`) — unless it belongs to another account, which is refused as
    /// `DUPLICATE_VALUE`.
    pub async fn create_order(
        &self,
        account_id: &SalesforceId,
        order: &PricedOrder<'_>,
        effective_date: Date,
        key: &str,
    ) -> Result<PlacedOrder, SalesforceError> {
        let key = key.trim();
        if key.is_empty() || key.chars().count() > MAX_KEY_LEN || key.chars().any(char::is_control)
        {
            return Err(SalesforceError::Validation {
                code: "INVALID_IDEMPOTENCY_KEY".into(),
                message: "the idempotency key must be 1 to 80 printable characters".into(),
                fields: vec![self.fields.idempotency.clone()],
            });
        }
        if let Some((id, owner)) = self.find_by_key(key).await? {
            return self.existing(id, &owner, account_id);
        }
        let pricebook = self.catalog.pricebook_id().await?;
        let body = order_tree(
            account_id,
            &pricebook,
            order,
            effective_date,
            key,
            &self.fields,
        );
        match self.client.create_tree("Order", &body).await {
            Ok(results) => results
                .into_iter()
                .find(|(reference, _)| reference == "order")
                .map(|(_, id)| PlacedOrder { id, created: true })
                .ok_or_else(|| SalesforceError::Decode("tree: no result for the order".into())),
            Err(SalesforceError::Validation {
                code,
                message,
                fields,
            }) if code == "DUPLICATE_VALUE" && fields.contains(&self.fields.idempotency) => {
                match self.find_by_key(key).await? {
                    Some((id, owner)) => self.existing(id, &owner, account_id),
                    None => Err(SalesforceError::Validation {
                        code,
                        message,
                        fields,
                    }),
                }
            }
            Err(other) => Err(other),
        }
    }

    fn existing(
        &self,
        id: SalesforceId,
        owner: &SalesforceId,
        account_id: &SalesforceId,
    ) -> Result<PlacedOrder, SalesforceError> {
        if owner == account_id {
            Ok(PlacedOrder { id, created: false })
        } else {
            tracing::warn!("an order idempotency key was reused by another account");
            Err(SalesforceError::Validation {
                code: "DUPLICATE_VALUE".into(),
                message: "the idempotency key belongs to another account's order".into(),
                fields: vec![self.fields.idempotency.clone()],
            })
        }
    }

    /// The order with this idempotency key and its account, if any.
    pub async fn find_by_key(
        &self,
        key: &str,
    ) -> Result<Option<(SalesforceId, SalesforceId)>, SalesforceError> {
        let soql = Soql::select(&["Id", "AccountId"])
            .from("Order")
            .filter(Condition::eq(&self.fields.idempotency, key))
            .limit(1)
            .build()?;
        let rows: Vec<Value> = self.client.query(&soql).await?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let id = id_of(&text_at(row, "Id").unwrap_or_default(), "Order.Id")?;
        let account = id_of(
            &text_at(row, "AccountId").unwrap_or_default(),
            "Order.AccountId",
        )?;
        Ok(Some((id, account)))
    }

    /// The account's orders with their items, newest first (by start date, then creation), at
    /// most [`MAX_LISTED`]. Orders that do not map are left out with a warning.
    pub async fn orders_for_account(
        &self,
        account_id: &SalesforceId,
    ) -> Result<Vec<Order>, SalesforceError> {
        let soql = Soql::select(&self.fields.order_fields())
            .child(self.fields.items_subquery())
            .from("Order")
            .filter(Condition::eq("AccountId", account_id))
            .order_by("EffectiveDate", Direction::Desc)
            .order_by("CreatedDate", Direction::Desc)
            .limit(MAX_LISTED)
            .build()?;
        let rows: Vec<Value> = self.client.query(&soql).await?;
        let mut orders = Vec::with_capacity(rows.len());
        for row in &rows {
            match record_to_order(row, &self.fields) {
                Ok((order, _)) => orders.push(order),
                Err(e) => tracing::warn!(error = %e, "a Salesforce Order does not map; left out"),
            }
        }
        Ok(orders)
    }

    /// One order with its items and the `AccountId` it belongs to; `None` when there is no
    /// such order. Callers compare the account with the customer's and answer "not found" for
    /// anyone else's.
    pub async fn order(
        &self,
        id: &SalesforceId,
    ) -> Result<Option<(Order, SalesforceId)>, SalesforceError> {
        if id.key_prefix() != ORDER_PREFIX {
            return Ok(None);
        }
        let soql = Soql::select(&self.fields.order_fields())
            .child(self.fields.items_subquery())
            .from("Order")
            .filter(Condition::eq("Id", id))
            .limit(1)
            .build()?;
        let rows: Vec<Value> = self.client.query(&soql).await?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let (order, account) = record_to_order(row, &self.fields)
            .map_err(|e| SalesforceError::Decode(format!("Order: {e}")))?;
        Ok(Some((order, id_of(&account, "Order.AccountId")?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fixture() -> Value {
        json!({
            "attributes": {"type": "Order"},
            "Id": "801J50000000001AAA",
            "AccountId": "001J5000003HanAIAS",
            "OrderNumber": "00000101",
            "Status": "Draft",
            "EffectiveDate": "2026-11-21",
            "CreatedDate": "2026-11-21T10:49:00.000+0000",
            "ActivatedDate": null,
            "TotalAmount": 26800.0,
            "Provisioning_Status__c": null,
            "WHMCS_Order_Id__c": null,
            "Provisioning_Error__c": null,
            "OrderItems": {"totalSize": 2, "done": true, "records": [
                {"attributes": {"type": "OrderItem"}, "Id": "802J50000000001AAA", "Product2Id": "01tJ50000000001AAA",
                 "Product2": {"attributes": {"type": "Product2"}, "Name": "光ファイバー 1ギガ", "ProductCode": "FIB-1G", "Item_Class__c": "Service"},
                 "Quantity": 1.0, "UnitPrice": 4800.0, "TotalPrice": 4800.0, "OrderItemNumber": "00000001"},
                {"attributes": {"type": "OrderItem"}, "Id": "802J50000000002AAA", "Product2Id": "01tJ50000000003AAA",
                 "Product2": null, "Quantity": 1.0, "UnitPrice": 22000.0, "TotalPrice": 22000.0}
            ]}
        })
    }

    #[test]
    fn an_order_maps_with_its_items() {
        let (order, account) = record_to_order(&fixture(), &OrderFields::default()).expect("maps");
        assert_eq!(account, "001J5000003HanAIAS");
        assert_eq!(order.status, OrderStatus::Draft);
        assert_eq!(order.provisioning, ProvisioningStatus::NotStarted);
        assert_eq!(order.total, Money::yen(26_800));
        assert_eq!(order.items.len(), 2);
        assert_eq!(order.items[0].sku, "FIB-1G");
        assert_eq!(order.items[0].item_class, Some(ItemClass::Service));
        assert_eq!(order.items[1].name, "");
        assert_eq!(order.created.year(), 2026);
        let mut empty = fixture();
        empty["OrderItems"] = Value::Null;
        empty["Provisioning_Status__c"] = json!("Failed");
        empty["Provisioning_Error__c"] = json!("WHMCS refused");
        let (order, _) = record_to_order(&empty, &OrderFields::default()).expect("maps");
        assert!(order.items.is_empty());
        assert_eq!(order.provisioning, ProvisioningStatus::Failed);
        assert_eq!(order.error.as_deref(), Some("WHMCS refused"));
    }

    #[test]
    fn datetimes_parse() {
        assert!(parse_datetime("2026-11-21T10:49:00.000+0000").is_some());
        assert!(parse_datetime("2026-11-21T10:49:00Z").is_some());
        assert!(parse_datetime("2026").is_none());
        assert!(parse_datetime("é+0000").is_none());
    }

    proptest! {
        #[test]
        fn mapping_never_panics(
            status in "\\PC{0,12}",
            date in "\\PC{0,12}",
            created in "\\PC{0,30}",
            qty in proptest::num::f64::ANY,
            total in proptest::num::f64::ANY,
        ) {
            let mut v = fixture();
            v["Provisioning_Status__c"] = json!(status);
            v["EffectiveDate"] = json!(date);
            v["CreatedDate"] = json!(created);
            v["OrderItems"]["records"][0]["Quantity"] = serde_json::Number::from_f64(qty).map_or(Value::Null, Value::Number);
            v["TotalAmount"] = serde_json::Number::from_f64(total).map_or(Value::Null, Value::Number);
            let _ = record_to_order(&v, &OrderFields::default());
        }
    }
}
