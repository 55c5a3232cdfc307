//! The portal's catalog: active `Product2` records flagged for the portal, priced by the
//! active entries of the portal price book (`salesforce.portal_pricebook`, a Name or an id),
//! read in one query over `PricebookEntry` with `Product2.…` paths. The custom fields' names
//! come from `[salesforce]` ([`CatalogFields`]); mapping is pure ([`entry_to_product`]).

use super::client::SalesforceClient;
use super::error::SalesforceError;
use super::id::SalesforceId;
use super::soql::{Condition, Direction, Soql, is_api_name};
use crate::domain::catalog::{BillingCycle, Category, ItemClass, Product, parse_config_options};
use crate::domain::common::Money;
use crate::server::config::SalesforceSettings;
use serde_json::Value;
use std::sync::Arc;
use tokio::sync::OnceCell;

/// Pricebook2 key prefix.
pub const PRICEBOOK_PREFIX: &str = "01s";

/// Product2 custom field names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogFields {
    /// Checkbox: sold in the portal.
    pub catalog: String,
    /// English name.
    pub name_en: String,
    /// WHMCS product id.
    pub whmcs_id: String,
    /// Billing cycle.
    pub billing_cycle: String,
    /// Item class.
    pub item_class: String,
    /// Config options JSON.
    pub config_options: String,
    /// Freebit plan code.
    pub freebit_plan: String,
    /// Lookup to the activation product.
    pub activation: String,
}

impl Default for CatalogFields {
    fn default() -> Self {
        CatalogFields {
            catalog: "Portal_Catalog__c".into(),
            name_en: "Name_En__c".into(),
            whmcs_id: "WHMCS_Product_Id__c".into(),
            billing_cycle: "Billing_Cycle__c".into(),
            item_class: "Item_Class__c".into(),
            config_options: "Portal_ConfigOptions_JSON__c".into(),
            freebit_plan: "Freebit_Plan_Code__c".into(),
            activation: "Activation_Product__c".into(),
        }
    }
}

/// A configured field name, or the default when empty; refused unless an API name.
pub(crate) fn field_name(value: &str, default: &str, key: &str) -> anyhow::Result<String> {
    let value = value.trim();
    if value.is_empty() {
        Ok(default.to_owned())
    } else if is_api_name(value) {
        Ok(value.to_owned())
    } else {
        Err(anyhow::anyhow!(
            "salesforce.{key} {value:?} is not a field API name"
        ))
    }
}

impl CatalogFields {
    /// From `[salesforce]`.
    pub fn from_settings(s: &SalesforceSettings) -> anyhow::Result<Self> {
        let d = CatalogFields::default();
        Ok(CatalogFields {
            catalog: field_name(
                &s.product_catalog_field,
                &d.catalog,
                "product_catalog_field",
            )?,
            name_en: field_name(
                &s.product_name_en_field,
                &d.name_en,
                "product_name_en_field",
            )?,
            whmcs_id: field_name(
                &s.product_whmcs_id_field,
                &d.whmcs_id,
                "product_whmcs_id_field",
            )?,
            billing_cycle: field_name(
                &s.product_billing_cycle_field,
                &d.billing_cycle,
                "product_billing_cycle_field",
            )?,
            item_class: field_name(
                &s.product_item_class_field,
                &d.item_class,
                "product_item_class_field",
            )?,
            config_options: field_name(
                &s.product_config_options_field,
                &d.config_options,
                "product_config_options_field",
            )?,
            freebit_plan: field_name(
                &s.product_freebit_plan_field,
                &d.freebit_plan,
                "product_freebit_plan_field",
            )?,
            activation: field_name(
                &s.product_activation_field,
                &d.activation,
                "product_activation_field",
            )?,
        })
    }

    /// The PricebookEntry SELECT list.
    fn select_list(&self) -> Vec<String> {
        let mut fields: Vec<String> = ["Id", "UnitPrice", "Pricebook2Id", "Product2Id"]
            .iter()
            .map(|f| (*f).to_owned())
            .collect();
        for f in [
            "Name",
            "ProductCode",
            "StockKeepingUnit",
            "Family",
            "Description",
            &self.name_en,
            &self.whmcs_id,
            &self.billing_cycle,
            &self.item_class,
            &self.config_options,
            &self.freebit_plan,
            &self.activation,
        ] {
            fields.push(format!("Product2.{f}"));
        }
        fields
    }
}

/// Why a price-book entry is not a portal product.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogMapError {
    /// A required value is missing or malformed.
    #[error("{0} is missing or invalid")]
    Field(&'static str),
    /// The item class is not Service/Activation/Option.
    #[error("unknown item class")]
    ItemClass,
    /// The billing cycle is unknown.
    #[error("unknown billing cycle")]
    BillingCycle,
    /// The config options are not a JSON object of simple values.
    #[error("config options: {0}")]
    ConfigOptions(#[from] crate::domain::catalog::ConfigOptionsError),
}

fn text_at(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(super::dto::loose_text)
        .filter(|s| !s.is_empty())
}

/// Yen from a currency value (`4800`, `4800.0`); `None` when negative, fractional or absurd.
pub fn yen(value: &Value) -> Option<Money> {
    let n = value.as_f64()?;
    (n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n < 1e13).then(|| Money::yen(n as i64))
}

/// A queried PricebookEntry (with its `Product2` fields) as a portal product.
pub fn entry_to_product(entry: &Value, f: &CatalogFields) -> Result<Product, CatalogMapError> {
    let product = entry
        .get("Product2")
        .filter(|p| p.is_object())
        .ok_or(CatalogMapError::Field("Product2"))?;
    let id = text_at(entry, "Product2Id").ok_or(CatalogMapError::Field("Product2Id"))?;
    let price_entry_id = text_at(entry, "Id").ok_or(CatalogMapError::Field("Id"))?;
    let price = entry
        .get("UnitPrice")
        .and_then(yen)
        .ok_or(CatalogMapError::Field("UnitPrice"))?;
    let name_ja = text_at(product, "Name").ok_or(CatalogMapError::Field("Name"))?;
    let item_class = text_at(product, &f.item_class)
        .and_then(|t| ItemClass::parse(&t))
        .ok_or(CatalogMapError::ItemClass)?;
    let billing_cycle = match text_at(product, &f.billing_cycle) {
        Some(t) => BillingCycle::parse(&t).ok_or(CatalogMapError::BillingCycle)?,
        None if item_class == ItemClass::Activation => BillingCycle::OneTime,
        None => BillingCycle::Monthly,
    };
    let config_options =
        parse_config_options(&text_at(product, &f.config_options).unwrap_or_default())?;
    let sku = text_at(product, "StockKeepingUnit")
        .or_else(|| text_at(product, "ProductCode"))
        .unwrap_or_default();
    Ok(Product {
        price_entry_id,
        name_en: text_at(product, &f.name_en).unwrap_or_else(|| name_ja.clone()),
        name_ja,
        sku,
        category: Category::parse(&text_at(product, "Family").unwrap_or_default()),
        description: text_at(product, "Description").unwrap_or_default(),
        item_class,
        billing_cycle,
        monthly_price: billing_cycle.is_recurring().then_some(price),
        one_time_price: (!billing_cycle.is_recurring()).then_some(price),
        whmcs_product_id: text_at(product, &f.whmcs_id).and_then(|t| t.parse().ok()),
        freebit_plan_code: text_at(product, &f.freebit_plan),
        config_options,
        activation_product_id: text_at(product, &f.activation)
            .and_then(|t| SalesforceId::parse(&t).ok())
            .map(|id| id.as_str().to_owned()),
        id: SalesforceId::parse(&id)
            .map_err(|_| CatalogMapError::Field("Product2Id"))?
            .as_str()
            .to_owned(),
    })
}

/// The catalog service; cheap to clone (the resolved price book id is shared).
#[derive(Clone)]
pub struct SalesforceCatalog {
    client: SalesforceClient,
    fields: CatalogFields,
    pricebook: String,
    pricebook_id: Arc<OnceCell<SalesforceId>>,
}

impl SalesforceCatalog {
    /// The service over `client` with `[salesforce]`'s names (checked here).
    pub fn new(client: SalesforceClient, settings: &SalesforceSettings) -> anyhow::Result<Self> {
        let pricebook = match settings.portal_pricebook.trim() {
            "" => "Portal".to_owned(),
            name => name.to_owned(),
        };
        Ok(SalesforceCatalog {
            client,
            fields: CatalogFields::from_settings(settings)?,
            pricebook,
            pricebook_id: Arc::new(OnceCell::new()),
        })
    }

    /// The field names in use.
    pub fn fields(&self) -> &CatalogFields {
        &self.fields
    }

    /// The portal price book's id: the configured id, or the active book with the configured
    /// name (looked up once).
    pub async fn pricebook_id(&self) -> Result<SalesforceId, SalesforceError> {
        if let Ok(id) = SalesforceId::parse_with_prefix(&self.pricebook, PRICEBOOK_PREFIX) {
            return Ok(id);
        }
        self.pricebook_id
            .get_or_try_init(|| async {
                let soql = Soql::select(&["Id"])
                    .from("Pricebook2")
                    .filter(Condition::eq("Name", self.pricebook.as_str()))
                    .filter(Condition::eq("IsActive", true))
                    .order_by("CreatedDate", Direction::Asc)
                    .limit(1)
                    .build()?;
                let rows: Vec<super::dto::IdRecord> = self.client.query(&soql).await?;
                let row = rows.into_iter().next().ok_or(SalesforceError::NotFound)?;
                SalesforceId::parse(&row.id).map_err(|_| {
                    SalesforceError::Decode("Pricebook2: the Id is not a record id".into())
                })
            })
            .await
            .cloned()
    }

    /// The products on sale in the portal, by family then product code. Entries that do not
    /// map (bad class, price or options) are left out with a warning.
    pub async fn products(&self) -> Result<Vec<Product>, SalesforceError> {
        let soql = self.query(&self.pricebook_id().await?)?;
        let rows: Vec<Value> = self.client.query(&soql).await?;
        let mut products = Vec::with_capacity(rows.len());
        for row in &rows {
            let entry = row.get("Id").and_then(|v| v.as_str()).unwrap_or_default();
            match entry_to_product(row, &self.fields) {
                Ok(p) => products.push(p),
                Err(e) => tracing::warn!(
                    entry,
                    error = %e,
                    "a Salesforce price book entry is not a portal product; left out"
                ),
            }
        }
        Ok(products)
    }

    /// The catalog query for a price book.
    pub fn query(&self, pricebook: &SalesforceId) -> Result<Soql, SalesforceError> {
        let fields = self.fields.select_list();
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        Ok(Soql::select(&refs)
            .from("PricebookEntry")
            .filter(Condition::eq("Pricebook2Id", pricebook))
            .filter(Condition::eq("IsActive", true))
            .filter(Condition::eq("Product2.IsActive", true))
            .filter(Condition::eq(
                &format!("Product2.{}", self.fields.catalog),
                true,
            ))
            .order_by("Product2.Family", Direction::Asc)
            .order_by("Product2.ProductCode", Direction::Asc)
            .build()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn fixture() -> Value {
        json!({
            "attributes": {"type": "PricebookEntry", "url": "/services/data/v62.0/sobjects/PricebookEntry/01uJ50000000000g4IAA"},
            "Id": "01uJ5000000000G9IAI",
            "UnitPrice": 1400.0,
            "Pricebook2Id": "01sJ50000000002IAA",
            "Product2Id": "01tJ50000000G7IAI",
            "Product2": {
                "attributes": {"type": "Product2"},
                "Name": "音声通話SIM 3GB",
                "ProductCode": "SIM-V-3G",
                "StockKeepingUnit": "SIM-V-3G",
                "Family": "SIM",
                "Description": null,
                "Name_En__c": "Voice + data SIM 3 GB",
                "WHMCS_Product_Id__c": "211",
                "Billing_Cycle__c": "Monthly",
                "Item_Class__c": "Service",
                "Portal_ConfigOptions_JSON__c": "{\"Voice\":\"Yes\",\"Data GB\":\"3\"}",
                "Freebit_Plan_Code__c": "PLAN-V03",
                "Activation_Product__c": null
            }
        })
    }

    #[test]
    fn an_entry_maps_to_a_product() {
        let mut v = fixture();
        v["Product2Id"] = json!(
            crate::server::integrations::salesforce::SalesforceId::parse("01tJ5000000000G")
                .map(|i| i.as_str().to_owned())
                .unwrap_or_default()
        );
        v["Id"] = json!("01uJ5000000000G");
        let p = entry_to_product(&v, &CatalogFields::default()).expect("maps");
        assert_eq!(p.sku, "SIM-V-3G");
        assert_eq!(p.name_en, "Voice + data SIM 3 GB");
        assert_eq!(p.item_class, ItemClass::Service);
        assert_eq!(p.monthly_price, Some(Money::yen(1400)));
        assert_eq!(p.one_time_price, None);
        assert_eq!(p.whmcs_product_id, Some(211));
        assert_eq!(p.freebit_plan_code.as_deref(), Some("PLAN-V03"));
        assert_eq!(p.config_options["Voice"], "Yes");
        assert_eq!(p.category, Category::Sim);
        assert_eq!(p.id.len(), 18);
    }

    #[test]
    fn bad_entries_are_refused() {
        let mut v = fixture();
        v["Product2Id"] = json!("01tJ5000000000G");
        v["Product2"]["Item_Class__c"] = json!("Bundle");
        assert_eq!(
            entry_to_product(&v, &CatalogFields::default()),
            Err(CatalogMapError::ItemClass)
        );
        let mut v = fixture();
        v["Product2Id"] = json!("01tJ5000000000G");
        v["UnitPrice"] = json!(-1);
        assert_eq!(
            entry_to_product(&v, &CatalogFields::default()),
            Err(CatalogMapError::Field("UnitPrice"))
        );
        let mut v = fixture();
        v["Product2Id"] = json!("01tJ5000000000G");
        v["Product2"]["Portal_ConfigOptions_JSON__c"] = json!("[");
        assert!(matches!(
            entry_to_product(&v, &CatalogFields::default()),
            Err(CatalogMapError::ConfigOptions(_))
        ));
    }

    #[test]
    fn the_query_goes_through_the_builder() {
        let f = CatalogFields::default();
        assert!(
            f.select_list()
                .contains(&"Product2.Item_Class__c".to_owned())
        );
        assert!(field_name("Bad' OR x", "A__c", "k").is_err());
        assert_eq!(field_name("", "A__c", "k").ok().as_deref(), Some("A__c"));
    }

    proptest! {
        #[test]
        fn mapping_never_panics(
            class in "\\PC{0,12}",
            cycle in "\\PC{0,12}",
            price in proptest::num::f64::ANY,
            options in "\\PC{0,24}",
            id in "[0-9A-Za-z]{0,20}",
        ) {
            let mut v = fixture();
            v["Product2"]["Item_Class__c"] = json!(class);
            v["Product2"]["Billing_Cycle__c"] = json!(cycle);
            v["UnitPrice"] = serde_json::Number::from_f64(price).map_or(Value::Null, Value::Number);
            v["Product2"]["Portal_ConfigOptions_JSON__c"] = json!(options);
            v["Product2Id"] = json!(id);
            let _ = entry_to_product(&v, &CatalogFields::default());
        }
    }
}
