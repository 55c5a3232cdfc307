//! Orders: what the customer submits ([`NewOrder`], checked by [`NewOrder::validate`]) and what
//! the CRM holds ([`Order`], with its approval status and the provisioning pipeline's status).

use super::catalog::{ItemClass, Product};
use super::common::Money;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// Most units of one product per order.
pub const MAX_QUANTITY: u32 = 10;
/// Most lines per order.
pub const MAX_LINES: usize = 20;

/// The CRM order status.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderStatus {
    /// Submitted, awaiting approval.
    Draft,
    /// Approved (activated) by the back office.
    Activated,
    /// Cancelled.
    Cancelled,
    /// Another status the CRM uses.
    Other(String),
}

impl OrderStatus {
    /// From the CRM's `Status` value.
    pub fn parse(text: &str) -> OrderStatus {
        match text.trim().to_ascii_lowercase().as_str() {
            "draft" => OrderStatus::Draft,
            "activated" => OrderStatus::Activated,
            "cancelled" | "canceled" => OrderStatus::Cancelled,
            _ => OrderStatus::Other(text.trim().to_owned()),
        }
    }
}

/// Where provisioning stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProvisioningStatus {
    /// Nothing done yet (also when the CRM field is empty).
    NotStarted,
    /// Approved and waiting for the pipeline.
    Queued,
    /// Being provisioned.
    InProgress,
    /// Done.
    Provisioned,
    /// Failed (see [`Order::error`]).
    Failed,
}

impl ProvisioningStatus {
    /// From the CRM's value (`Not Started`, `Queued`, `In Progress`, `Provisioned`, `Failed`;
    /// case, spaces and `_`/`-` do not matter); `None` for an unknown value.
    pub fn parse(text: &str) -> Option<ProvisioningStatus> {
        let key: String = text
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match key.as_str() {
            "" | "notstarted" | "none" | "pending" => Some(ProvisioningStatus::NotStarted),
            "queued" | "requested" => Some(ProvisioningStatus::Queued),
            "inprogress" | "provisioning" => Some(ProvisioningStatus::InProgress),
            "provisioned" | "completed" | "complete" | "done" => {
                Some(ProvisioningStatus::Provisioned)
            }
            "failed" | "error" => Some(ProvisioningStatus::Failed),
            _ => None,
        }
    }

    /// The CRM's value for this status.
    pub fn as_crm(self) -> &'static str {
        match self {
            ProvisioningStatus::NotStarted => "Not Started",
            ProvisioningStatus::Queued => "Queued",
            ProvisioningStatus::InProgress => "In Progress",
            ProvisioningStatus::Provisioned => "Provisioned",
            ProvisioningStatus::Failed => "Failed",
        }
    }
}

/// One line of an order as the CRM holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    /// CRM line id.
    pub id: String,
    /// CRM product id.
    pub product_id: String,
    /// Product name (Japanese, as the CRM names it).
    pub name: String,
    /// Product code.
    pub sku: String,
    /// Item class, when the product says.
    pub item_class: Option<ItemClass>,
    /// Units.
    pub quantity: u32,
    /// Price per unit.
    pub unit_price: Money,
    /// Line total.
    pub total: Money,
}

/// An order as the CRM holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    /// CRM order id.
    pub id: String,
    /// Order number shown to people.
    pub number: String,
    /// Approval status.
    pub status: OrderStatus,
    /// Provisioning status.
    pub provisioning: ProvisioningStatus,
    /// Order start date.
    pub effective_date: Date,
    /// When it was created.
    pub created: OffsetDateTime,
    /// When it was approved (activated), if it was.
    pub activated: Option<OffsetDateTime>,
    /// When provisioning finished, if it did.
    pub provisioned: Option<OffsetDateTime>,
    /// Order total (sum of the lines).
    pub total: Money,
    /// Lines.
    pub items: Vec<OrderLine>,
    /// The billing system's order id, once provisioned.
    pub whmcs_order_id: Option<String>,
    /// Provisioning error text, when it failed.
    pub error: Option<String>,
}

/// A line the customer asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOrderLine {
    /// Product id.
    pub product_id: String,
    /// Units (1–[`MAX_QUANTITY`]).
    pub quantity: u32,
}

/// What the customer submits.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NewOrder {
    /// Lines.
    pub lines: Vec<NewOrderLine>,
}

/// Why an order cannot be placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum OrderError {
    /// No lines.
    #[error("the order has no items")]
    Empty,
    /// Too many lines.
    #[error("the order has more than {MAX_LINES} items")]
    TooManyLines,
    /// The product is not in the catalog.
    #[error("product {0} is not on sale")]
    UnknownProduct(String),
    /// A quantity outside 1–[`MAX_QUANTITY`].
    #[error("quantity {quantity} of product {product_id} is not between 1 and {MAX_QUANTITY}")]
    Quantity {
        /// Product.
        product_id: String,
        /// The quantity asked.
        quantity: u32,
    },
    /// The same product on two lines.
    #[error("product {0} appears twice")]
    Duplicate(String),
    /// A plan without its activation fee.
    #[error("plan {plan} needs its activation product {activation}")]
    MissingActivation {
        /// The plan.
        plan: String,
        /// The activation product it needs.
        activation: String,
    },
    /// The total does not fit.
    #[error("the order total is out of range")]
    Total,
}

/// A checked order line: the product and its units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedLine<'c> {
    /// The catalog product.
    pub product: &'c Product,
    /// Units.
    pub quantity: u32,
    /// Quantity × unit price.
    pub total: Money,
}

/// A checked order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedOrder<'c> {
    /// Lines in the submitted order.
    pub lines: Vec<PricedLine<'c>>,
    /// Sum of the lines.
    pub total: Money,
}

impl NewOrder {
    /// Checks the order against the catalog: at least one and at most [`MAX_LINES`] lines,
    /// known products, each once, quantities 1–[`MAX_QUANTITY`], and every plan that needs an
    /// activation product ordered with it.
    pub fn validate<'c>(&self, catalog: &'c [Product]) -> Result<PricedOrder<'c>, OrderError> {
        if self.lines.is_empty() {
            return Err(OrderError::Empty);
        }
        if self.lines.len() > MAX_LINES {
            return Err(OrderError::TooManyLines);
        }
        let mut lines = Vec::with_capacity(self.lines.len());
        let mut total: Option<Money> = None;
        for (i, line) in self.lines.iter().enumerate() {
            if self.lines[..i]
                .iter()
                .any(|l| l.product_id == line.product_id)
            {
                return Err(OrderError::Duplicate(line.product_id.clone()));
            }
            let product = catalog
                .iter()
                .find(|p| p.id == line.product_id)
                .ok_or_else(|| OrderError::UnknownProduct(line.product_id.clone()))?;
            if !(1..=MAX_QUANTITY).contains(&line.quantity) {
                return Err(OrderError::Quantity {
                    product_id: line.product_id.clone(),
                    quantity: line.quantity,
                });
            }
            let unit = product.unit_price().ok_or(OrderError::Total)?;
            let line_total = unit
                .minor()
                .checked_mul(i64::from(line.quantity))
                .map(|m| Money::from_minor(m, unit.currency()))
                .ok_or(OrderError::Total)?;
            total = Some(match total {
                None => line_total,
                Some(t) => t.checked_add(line_total).ok_or(OrderError::Total)?,
            });
            lines.push(PricedLine {
                product,
                quantity: line.quantity,
                total: line_total,
            });
        }
        for line in &lines {
            if line.product.item_class != ItemClass::Service {
                continue;
            }
            if let Some(activation) = &line.product.activation_product_id
                && !lines.iter().any(|l| &l.product.id == activation)
            {
                return Err(OrderError::MissingActivation {
                    plan: line.product.id.clone(),
                    activation: activation.clone(),
                });
            }
        }
        Ok(PricedOrder {
            lines,
            total: total.ok_or(OrderError::Empty)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::fixtures::product;
    use proptest::prelude::*;

    fn catalog() -> Vec<Product> {
        vec![
            product("plan", ItemClass::Service, 1_480, Some("fee")),
            product("fee", ItemClass::Activation, 3_300, None),
            product("router", ItemClass::Option, 550, None),
        ]
    }

    fn order(lines: &[(&str, u32)]) -> NewOrder {
        NewOrder {
            lines: lines
                .iter()
                .map(|(p, q)| NewOrderLine {
                    product_id: (*p).into(),
                    quantity: *q,
                })
                .collect(),
        }
    }

    #[test]
    fn a_plan_with_its_fee_is_priced() {
        let catalog = catalog();
        let priced = order(&[("plan", 2), ("fee", 2), ("router", 1)])
            .validate(&catalog)
            .expect("valid");
        assert_eq!(priced.total, Money::yen(2 * 1_480 + 2 * 3_300 + 550));
        assert_eq!(priced.lines[0].total, Money::yen(2_960));
    }

    #[test]
    fn rules() {
        let catalog = catalog();
        assert_eq!(order(&[]).validate(&catalog), Err(OrderError::Empty));
        assert_eq!(
            order(&[("plan", 1)]).validate(&catalog),
            Err(OrderError::MissingActivation {
                plan: "plan".into(),
                activation: "fee".into()
            })
        );
        assert!(matches!(
            order(&[("router", 0)]).validate(&catalog),
            Err(OrderError::Quantity { quantity: 0, .. })
        ));
        assert!(matches!(
            order(&[("router", 11)]).validate(&catalog),
            Err(OrderError::Quantity { quantity: 11, .. })
        ));
        assert_eq!(
            order(&[("nope", 1)]).validate(&catalog),
            Err(OrderError::UnknownProduct("nope".into()))
        );
        assert_eq!(
            order(&[("router", 1), ("router", 2)]).validate(&catalog),
            Err(OrderError::Duplicate("router".into()))
        );
    }

    #[test]
    fn statuses_parse() {
        assert_eq!(OrderStatus::parse("Draft"), OrderStatus::Draft);
        assert_eq!(OrderStatus::parse("Activated"), OrderStatus::Activated);
        assert_eq!(
            OrderStatus::parse("On Hold"),
            OrderStatus::Other("On Hold".into())
        );
        for s in [
            ProvisioningStatus::NotStarted,
            ProvisioningStatus::Queued,
            ProvisioningStatus::InProgress,
            ProvisioningStatus::Provisioned,
            ProvisioningStatus::Failed,
        ] {
            assert_eq!(ProvisioningStatus::parse(s.as_crm()), Some(s));
        }
        assert_eq!(
            ProvisioningStatus::parse(""),
            Some(ProvisioningStatus::NotStarted)
        );
        assert_eq!(ProvisioningStatus::parse("weird"), None);
    }

    proptest! {
        #[test]
        fn validation_never_panics(lines in proptest::collection::vec(("(plan|fee|router|x)", 0u32..20), 0..25)) {
            let catalog = catalog();
            let new = NewOrder {
                lines: lines.into_iter().map(|(p, q)| NewOrderLine { product_id: p, quantity: q }).collect(),
            };
            let _ = new.validate(&catalog);
        }

        #[test]
        fn status_parsing_never_panics(text in "\\PC{0,32}") {
            let _ = OrderStatus::parse(&text);
            let _ = ProvisioningStatus::parse(&text);
        }
    }
}
