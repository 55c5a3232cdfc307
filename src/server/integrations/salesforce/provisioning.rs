//! What the provisioning pipeline reads from and writes to the CRM:
//!
//! - [`SalesforceProvisioning::order`]: one Order with its account's WHMCS client id
//!   (`Account.<whmcs_client_id_field>`) and its items with the product fields billing needs
//!   (`Product2.<whmcs id / billing cycle / item class / config options>`), mapped purely by
//!   [`record_to_provision_order`];
//! - [`SalesforceProvisioning::record`]: PATCHes the provisioning fields (status, WHMCS order
//!   id, provisioned time, error) — the same values twice is harmless;
//! - [`SalesforceProvisioning::unprovisioned`]: the reconciliation sweep's query, approved
//!   orders whose provisioning is neither done nor failed.

use super::catalog::{CatalogFields, field_name};
use super::client::SalesforceClient;
use super::error::SalesforceError;
use super::id::SalesforceId;
use super::orders::{ORDER_PREFIX, OrderFields, OrderMapError};
use super::soql::{Condition, Direction, Soql};
use crate::domain::catalog::{BillingCycle, ItemClass, parse_config_options};
use crate::domain::orders::{OrderStatus, ProvisioningStatus};
use crate::domain::provisioning::{ProvisionItem, ProvisionOrder};
use crate::server::config::SalesforceSettings;
use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Most orders one sweep returns.
pub const SWEEP_LIMIT: u32 = 200;

/// A provisioning outcome to write on the CRM order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProvisioningUpdate {
    /// The pipeline took it.
    InProgress,
    /// Done: the billing order and when.
    Provisioned {
        /// WHMCS order id.
        billing_order_id: u32,
        /// When.
        at: OffsetDateTime,
    },
    /// Failed, with `CODE: message`.
    Failed(String),
}

/// The provisioning reads and writes.
#[derive(Clone)]
pub struct SalesforceProvisioning {
    client: SalesforceClient,
    orders: OrderFields,
    products: CatalogFields,
    account_client_field: String,
}

fn text_at(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(super::dto::loose_text)
        .filter(|s| !s.is_empty())
}

fn item(value: &Value, f: &CatalogFields) -> Result<ProvisionItem, OrderMapError> {
    let product = value.get("Product2").filter(|p| p.is_object());
    let field = |name: &str| product.and_then(|p| text_at(p, name));
    let quantity = value
        .get("Quantity")
        .and_then(Value::as_f64)
        .filter(|q| q.is_finite() && *q >= 1.0 && *q <= f64::from(u32::MAX) && q.fract() == 0.0)
        .ok_or(OrderMapError::Field("OrderItem.Quantity"))?;
    Ok(ProvisionItem {
        name: field("Name").unwrap_or_default(),
        billing_product_id: field(&f.whmcs_id).and_then(|id| id.parse().ok()),
        item_class: field(&f.item_class).and_then(|c| ItemClass::parse(&c)),
        billing_cycle: field(&f.billing_cycle).and_then(|c| BillingCycle::parse(&c)),
        quantity: quantity as u32,
        config_options: parse_config_options(&field(&f.config_options).unwrap_or_default())
            .map_err(|_| OrderMapError::Field("Product2 configuration options"))?,
    })
}

/// A queried Order (see [`SalesforceProvisioning::order`]) as provisioning reads it.
pub fn record_to_provision_order(
    record: &Value,
    orders: &OrderFields,
    products: &CatalogFields,
    account_client_field: &str,
) -> Result<ProvisionOrder, OrderMapError> {
    let items = match record.get("OrderItems") {
        Some(Value::Object(sub)) => sub
            .get("records")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|i| item(i, products))
            .collect::<Result<Vec<_>, _>>()?,
        _ => Vec::new(),
    };
    let provisioning = text_at(record, &orders.provisioning_status).unwrap_or_default();
    Ok(ProvisionOrder {
        id: text_at(record, "Id").ok_or(OrderMapError::Field("Id"))?,
        account_id: text_at(record, "AccountId").ok_or(OrderMapError::Field("AccountId"))?,
        number: text_at(record, "OrderNumber").unwrap_or_default(),
        status: OrderStatus::parse(&text_at(record, "Status").unwrap_or_default()),
        provisioning: ProvisioningStatus::parse(&provisioning)
            .ok_or(OrderMapError::Field("provisioning status"))?,
        billing_order_id: text_at(record, &orders.whmcs_order_id),
        billing_client_id: record
            .get("Account")
            .and_then(|a| text_at(a, account_client_field))
            .and_then(|id| id.parse().ok()),
        items,
    })
}

impl SalesforceProvisioning {
    /// The service, with field names from `[salesforce]`.
    pub fn new(client: SalesforceClient, settings: &SalesforceSettings) -> anyhow::Result<Self> {
        Ok(SalesforceProvisioning {
            client,
            orders: OrderFields::from_settings(settings)?,
            products: CatalogFields::from_settings(settings)?,
            account_client_field: field_name(
                &settings.whmcs_client_id_field,
                "WHMCS_Client_Id__c",
                "whmcs_client_id_field",
            )?,
        })
    }

    /// The order as provisioning reads it; `None` when there is no such order.
    pub async fn order(
        &self,
        id: &SalesforceId,
    ) -> Result<Option<ProvisionOrder>, SalesforceError> {
        if id.key_prefix() != ORDER_PREFIX {
            return Ok(None);
        }
        let p = &self.products;
        let product = |f: &str| format!("Product2.{f}");
        let item_fields = [
            "Id".to_owned(),
            "Quantity".to_owned(),
            product("Name"),
            product(&p.whmcs_id),
            product(&p.item_class),
            product(&p.billing_cycle),
            product(&p.config_options),
        ];
        let item_refs: Vec<&str> = item_fields.iter().map(String::as_str).collect();
        let client_field = format!("Account.{}", self.account_client_field);
        let o = &self.orders;
        let soql = Soql::select(&[
            "Id",
            "AccountId",
            "OrderNumber",
            "Status",
            &o.provisioning_status,
            &o.whmcs_order_id,
            &client_field,
        ])
        .child(
            Soql::select(&item_refs)
                .from("OrderItems")
                .order_by("OrderItemNumber", Direction::Asc),
        )
        .from("Order")
        .filter(Condition::eq("Id", id))
        .limit(1)
        .build()?;
        let rows: Vec<Value> = self.client.query(&soql).await?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        record_to_provision_order(row, o, p, &self.account_client_field)
            .map(Some)
            .map_err(|e| SalesforceError::Decode(format!("Order: {e}")))
    }

    /// Writes an outcome on the order.
    pub async fn record(
        &self,
        id: &SalesforceId,
        update: &ProvisioningUpdate,
    ) -> Result<(), SalesforceError> {
        let o = &self.orders;
        let mut fields = Map::new();
        match update {
            ProvisioningUpdate::InProgress => {
                fields.insert(
                    o.provisioning_status.clone(),
                    json!(ProvisioningStatus::InProgress.as_crm()),
                );
            }
            ProvisioningUpdate::Provisioned {
                billing_order_id,
                at,
            } => {
                let at = at
                    .format(&Rfc3339)
                    .map_err(|e| SalesforceError::Decode(format!("provisioned time: {e}")))?;
                fields.insert(
                    o.provisioning_status.clone(),
                    json!(ProvisioningStatus::Provisioned.as_crm()),
                );
                fields.insert(
                    o.whmcs_order_id.clone(),
                    json!(billing_order_id.to_string()),
                );
                fields.insert(o.provisioned_at.clone(), json!(at));
                fields.insert(o.error.clone(), Value::Null);
            }
            ProvisioningUpdate::Failed(text) => {
                fields.insert(
                    o.provisioning_status.clone(),
                    json!(ProvisioningStatus::Failed.as_crm()),
                );
                // The CRM field holds 2,000 characters.
                let text: String = text.chars().take(2000).collect();
                fields.insert(o.error.clone(), json!(text));
            }
        }
        self.client
            .update("Order", id, &Value::Object(fields))
            .await
    }

    /// Approved orders whose provisioning is neither done nor failed, oldest approval first,
    /// at most [`SWEEP_LIMIT`].
    pub async fn unprovisioned(&self) -> Result<Vec<SalesforceId>, SalesforceError> {
        let o = &self.orders;
        let soql = Soql::select(&["Id"])
            .from("Order")
            .filter(Condition::eq("Status", "Activated").and(Condition::not_in(
                &o.provisioning_status,
                [
                    ProvisioningStatus::Provisioned.as_crm(),
                    ProvisioningStatus::Failed.as_crm(),
                ],
            )))
            .order_by("ActivatedDate", Direction::Asc)
            .limit(SWEEP_LIMIT)
            .build()?;
        let rows: Vec<Value> = self.client.query(&soql).await?;
        Ok(rows
            .iter()
            .filter_map(|r| text_at(r, "Id"))
            .filter_map(|id| SalesforceId::parse(&id).ok())
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fixture() -> Value {
        json!({
            "attributes": {"type": "Order"},
            "Id": "801J5000000Abc1IAC",
            "AccountId": "001J5000003HanAIAS",
            "OrderNumber": "00000101",
            "Status": "Activated",
            "Provisioning_Status__c": "Queued",
            "WHMCS_Order_Id__c": null,
            "Account": {"attributes": {"type": "Account"}, "WHMCS_Client_Id__c": "1001"},
            "OrderItems": {"totalSize": 2, "done": true, "records": [
                {"Id": "802J5000000Abc1IAC", "Quantity": 2.0, "Product2": {
                    "Name": "データSIM 3GB", "WHMCS_Product_Id__c": 201.0,
                    "Item_Class__c": "Service", "Billing_Cycle__c": "Monthly",
                    "Portal_ConfigOptions_JSON__c": "{\"Voice\":\"No\",\"Data GB\":\"3\"}"}},
                {"Id": "802J5000000Abc2IAC", "Quantity": 2.0, "Product2": {
                    "Name": "SIMカード発行", "WHMCS_Product_Id__c": "219",
                    "Item_Class__c": "Activation", "Billing_Cycle__c": "Onetime",
                    "Portal_ConfigOptions_JSON__c": null}}
            ]}
        })
    }

    fn map(v: &Value) -> Result<ProvisionOrder, OrderMapError> {
        record_to_provision_order(
            v,
            &OrderFields::default(),
            &CatalogFields::default(),
            "WHMCS_Client_Id__c",
        )
    }

    #[test]
    fn an_order_maps_with_its_client_and_items() {
        let order = map(&fixture());
        let order = order.as_ref();
        assert_eq!(order.map(|o| o.billing_client_id), Ok(Some(1001)));
        assert_eq!(order.map(|o| o.status.clone()), Ok(OrderStatus::Activated));
        let items = order.map(|o| o.items.clone()).unwrap_or_default();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].billing_product_id, Some(201));
        assert_eq!(items[0].quantity, 2);
        assert_eq!(
            items[0].config_options.get("Voice").map(String::as_str),
            Some("No")
        );
        assert_eq!(items[1].billing_product_id, Some(219));
        assert_eq!(items[1].item_class, Some(ItemClass::Activation));
        assert_eq!(items[1].billing_cycle, Some(BillingCycle::OneTime));
    }

    #[test]
    fn a_fractional_quantity_is_refused() {
        let mut v = fixture();
        v["OrderItems"]["records"][0]["Quantity"] = json!(1.5);
        assert!(map(&v).is_err());
    }

    proptest! {
        #[test]
        fn mapping_never_panics(s in ".{0,40}", n in any::<f64>()) {
            let mut v = fixture();
            v["Status"] = json!(s.clone());
            v["OrderItems"]["records"][0]["Quantity"] = json!(n);
            v["OrderItems"]["records"][1]["Product2"]["Portal_ConfigOptions_JSON__c"] = json!(s);
            let _ = map(&v);
        }
    }
}
