//! The product catalog the portal sells from: plans (services), their one-time activation fees
//! and options, each with its price in the portal's price book.
//!
//! A plan that needs activation names its activation product ([`Product::activation_product_id`]);
//! [`crate::domain::orders::NewOrder::validate`] insists both are ordered together.

use super::common::{Lang, Money};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What an item is, for billing and provisioning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ItemClass {
    /// A recurring plan (fibre line, SIM plan).
    Service,
    /// A one-time fee that comes with a plan.
    Activation,
    /// An add-on (router rental, fixed IP).
    Option,
}

impl ItemClass {
    /// From the CRM's value (`Service`, `Activation`, `Option`; case-insensitive).
    pub fn parse(text: &str) -> Option<ItemClass> {
        match text.trim().to_ascii_lowercase().as_str() {
            "service" => Some(ItemClass::Service),
            "activation" => Some(ItemClass::Activation),
            "option" | "add-on" | "addon" => Some(ItemClass::Option),
            _ => None,
        }
    }
}

/// How often an item is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BillingCycle {
    /// Every month.
    Monthly,
    /// Every year.
    Annually,
    /// Once.
    OneTime,
}

impl BillingCycle {
    /// From the CRM's value (`Monthly`, `Annually`, `Onetime`/`One-time`; case-insensitive).
    pub fn parse(text: &str) -> Option<BillingCycle> {
        let key: String = text
            .trim()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match key.as_str() {
            "monthly" => Some(BillingCycle::Monthly),
            "annually" | "yearly" | "annual" => Some(BillingCycle::Annually),
            "onetime" | "once" | "free" => Some(BillingCycle::OneTime),
            _ => None,
        }
    }

    /// Whether the charge repeats.
    pub fn is_recurring(self) -> bool {
        !matches!(self, BillingCycle::OneTime)
    }
}

/// A catalog category (the CRM's product family).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    /// Fibre internet.
    Fibre,
    /// Mobile (SIM) plans.
    Sim,
    /// Options and add-ons.
    Options,
    /// Another family, as the CRM names it.
    Other(String),
}

impl Category {
    /// From the CRM's family value.
    pub fn parse(text: &str) -> Category {
        match text.trim().to_ascii_lowercase().as_str() {
            "fibre" | "fiber" | "internet" => Category::Fibre,
            "sim" | "mobile" => Category::Sim,
            "option" | "options" => Category::Options,
            _ => Category::Other(text.trim().to_owned()),
        }
    }
}

/// A product on sale in the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    /// CRM product id.
    pub id: String,
    /// The price-book entry the product is ordered through.
    pub price_entry_id: String,
    /// Stock keeping unit / product code.
    pub sku: String,
    /// Japanese name.
    pub name_ja: String,
    /// English name (the Japanese one when the CRM has none).
    pub name_en: String,
    /// Category.
    pub category: Category,
    /// Description (may be empty).
    pub description: String,
    /// Service, activation or option.
    pub item_class: ItemClass,
    /// Billing cycle.
    pub billing_cycle: BillingCycle,
    /// Recurring price (for monthly items; annual items show their yearly price here too).
    pub monthly_price: Option<Money>,
    /// One-time price.
    pub one_time_price: Option<Money>,
    /// The billing system's product id.
    pub whmcs_product_id: Option<u32>,
    /// The MVNO plan code (SIM plans).
    pub freebit_plan_code: Option<String>,
    /// Fixed billing configuration options (`option → value`).
    pub config_options: BTreeMap<String, String>,
    /// The activation product that must be ordered with this plan.
    pub activation_product_id: Option<String>,
}

impl Product {
    /// The name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.name_ja,
            Lang::En => &self.name_en,
        }
    }

    /// The price charged per unit, whatever the cycle.
    pub fn unit_price(&self) -> Option<Money> {
        self.monthly_price.or(self.one_time_price)
    }
}

/// Why a configuration-options text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigOptionsError {
    /// Not JSON.
    #[error("configuration options are not JSON")]
    NotJson,
    /// JSON but not an object of text/number/boolean values.
    #[error("configuration options must be an object of simple values")]
    NotAnObject,
}

/// Parses a product's configuration options: a JSON object whose values are text, numbers or
/// booleans (`{"SIM type":"eSIM","Plan":3}`); empty text means none.
pub fn parse_config_options(text: &str) -> Result<BTreeMap<String, String>, ConfigOptionsError> {
    if text.trim().is_empty() {
        return Ok(BTreeMap::new());
    }
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|_| ConfigOptionsError::NotJson)?;
    let serde_json::Value::Object(map) = value else {
        return Err(ConfigOptionsError::NotAnObject);
    };
    let mut out = BTreeMap::new();
    for (key, value) in map {
        let text = match value {
            serde_json::Value::String(s) => s,
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            _ => return Err(ConfigOptionsError::NotAnObject),
        };
        out.insert(key, text);
    }
    Ok(out)
}

/// Products for the domain's tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// A SIM product `id` of `class` at `price` yen (one-time for an activation fee, monthly
    /// otherwise) that requires `activation`.
    pub fn product(id: &str, class: ItemClass, price: i64, activation: Option<&str>) -> Product {
        let recurring = class != ItemClass::Activation;
        Product {
            id: id.into(),
            price_entry_id: format!("pbe-{id}"),
            sku: id.to_uppercase(),
            name_ja: id.into(),
            name_en: id.into(),
            category: Category::Sim,
            description: String::new(),
            item_class: class,
            billing_cycle: if recurring {
                BillingCycle::Monthly
            } else {
                BillingCycle::OneTime
            },
            monthly_price: recurring.then(|| Money::yen(price)),
            one_time_price: (!recurring).then(|| Money::yen(price)),
            whmcs_product_id: None,
            freebit_plan_code: None,
            config_options: BTreeMap::new(),
            activation_product_id: activation.map(str::to_owned),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn crm_values_parse() {
        assert_eq!(ItemClass::parse(" service"), Some(ItemClass::Service));
        assert_eq!(ItemClass::parse("Activation"), Some(ItemClass::Activation));
        assert_eq!(ItemClass::parse("Option"), Some(ItemClass::Option));
        assert_eq!(ItemClass::parse("plan"), None);
        assert_eq!(BillingCycle::parse("Onetime"), Some(BillingCycle::OneTime));
        assert_eq!(BillingCycle::parse("One-time"), Some(BillingCycle::OneTime));
        assert_eq!(BillingCycle::parse("Monthly"), Some(BillingCycle::Monthly));
        assert_eq!(BillingCycle::parse(""), None);
        assert_eq!(Category::parse("Fibre"), Category::Fibre);
        assert_eq!(Category::parse("TV"), Category::Other("TV".into()));
    }

    #[test]
    fn config_options() {
        let parsed =
            parse_config_options(r#"{"SIM type":"eSIM","Plan":3,"Voice":true}"#).expect("parses");
        assert_eq!(parsed["SIM type"], "eSIM");
        assert_eq!(parsed["Plan"], "3");
        assert_eq!(parsed["Voice"], "true");
        assert!(parse_config_options("  ").expect("empty").is_empty());
        assert_eq!(
            parse_config_options("[1]"),
            Err(ConfigOptionsError::NotAnObject)
        );
        assert_eq!(
            parse_config_options(r#"{"a":{"b":1}}"#),
            Err(ConfigOptionsError::NotAnObject)
        );
        assert_eq!(parse_config_options("{"), Err(ConfigOptionsError::NotJson));
    }

    proptest! {
        #[test]
        fn parsing_never_panics(text in "\\PC{0,64}") {
            let _ = parse_config_options(&text);
            let _ = ItemClass::parse(&text);
            let _ = BillingCycle::parse(&text);
            let _ = Category::parse(&text);
        }
    }
}
