//! The shopping cart, pure: what the customer chose (plans and options, [`CartChoice`]) is
//! turned, against the catalog, into the lines they will order ([`Cart`]) — each plan followed
//! by the activation fee it requires, which is never chosen or removed on its own — and the
//! totals as a Japanese qualified invoice prints them: per charge type (monthly, one-time) the
//! amount before tax, the consumption tax computed once on that amount and rounded down, and
//! the amount with tax.

use super::catalog::{BillingCycle, ItemClass, Product};
use super::common::Money;
use super::orders::{MAX_LINES, MAX_QUANTITY, NewOrder, NewOrderLine};
use serde::{Deserialize, Serialize};

/// One product the customer put in the cart, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartChoice {
    /// CRM product id.
    pub product_id: String,
    /// Units.
    pub quantity: u32,
}

/// One line of the cart as shown and ordered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    /// The product.
    pub product: Product,
    /// Units.
    pub quantity: u32,
    /// Price of the line before tax.
    pub amount: Money,
    /// For an activation fee: the ids of the plans it comes with (it follows their
    /// quantities and cannot be changed on its own).
    pub required_by: Vec<String>,
}

impl CartLine {
    /// Whether the customer can change or remove this line (activation fees follow their plans).
    pub fn editable(&self) -> bool {
        self.required_by.is_empty()
    }
}

/// An amount before tax, its consumption tax and the sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Taxed {
    /// Before tax.
    pub subtotal: Money,
    /// Consumption tax on the subtotal.
    pub tax: Money,
    /// With tax.
    pub total: Money,
}

impl Taxed {
    /// Tax on `subtotal` at `rate_bp` hundredths of a percent, rounded down once on the total
    /// (the qualified invoice rule: one rounding per rate per invoice, not per line).
    pub fn on(subtotal: Money, rate_bp: u32) -> Taxed {
        let minor = subtotal.minor();
        let tax = i64::try_from(i128::from(minor) * i128::from(rate_bp) / 10_000).unwrap_or(0);
        let currency = subtotal.currency();
        Taxed {
            subtotal,
            tax: Money::from_minor(tax, currency),
            total: Money::from_minor(minor.saturating_add(tax), currency),
        }
    }
}

/// Why a chosen product is no longer in the cart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CartNotice {
    /// The product is no longer on sale (or its activation fee is not); it was left out.
    Unavailable(String),
}

/// The cart the customer sees and orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cart {
    /// Lines: the chosen products in the order they were added, then the activation fees.
    pub lines: Vec<CartLine>,
    /// Monthly charges (from the first month on).
    pub monthly: Taxed,
    /// One-time charges (on the first invoice).
    pub one_time: Taxed,
    /// Tax rate in hundredths of a percent.
    pub tax_rate_bp: u32,
    /// Chosen products that were left out.
    pub notices: Vec<CartNotice>,
    /// Changes whenever the cart does: the confirmation page carries it, so an order is only
    /// placed for exactly the cart that was confirmed, and it keys the order (idempotency).
    pub revision: String,
}

impl Cart {
    /// Whether there is nothing to order.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Units in the cart, for the header badge.
    pub fn units(&self) -> u32 {
        self.lines
            .iter()
            .filter(|l| l.editable())
            .map(|l| l.quantity)
            .sum()
    }

    /// What to submit to the CRM.
    pub fn to_new_order(&self) -> NewOrder {
        NewOrder {
            lines: self
                .lines
                .iter()
                .map(|l| NewOrderLine {
                    product_id: l.product.id.clone(),
                    quantity: l.quantity,
                })
                .collect(),
        }
    }
}

/// Why a change to the cart is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CartError {
    /// Not on sale, or not something a customer chooses (an activation fee).
    #[error("product {0} cannot be added")]
    NotOrderable(String),
    /// Outside 1–[`MAX_QUANTITY`] (for a plan: also its activation fee's total).
    #[error("quantity must be between 1 and {MAX_QUANTITY}")]
    Quantity,
    /// More than [`MAX_LINES`] lines.
    #[error("the cart is full")]
    Full,
}

/// The product a customer may choose: on sale and not an activation fee.
fn orderable<'c>(catalog: &'c [Product], id: &str) -> Option<&'c Product> {
    catalog
        .iter()
        .find(|p| p.id == id && p.item_class != ItemClass::Activation)
}

/// The cart for `choices` against `catalog`, taxed at `rate_bp`.
pub fn build(choices: &[CartChoice], catalog: &[Product], rate_bp: u32, revision: &str) -> Cart {
    let mut lines: Vec<CartLine> = Vec::new();
    let mut fees: Vec<CartLine> = Vec::new();
    let mut notices = Vec::new();
    for choice in choices {
        let quantity = choice.quantity.clamp(1, MAX_QUANTITY);
        let Some(product) = orderable(catalog, &choice.product_id) else {
            notices.push(CartNotice::Unavailable(choice.product_id.clone()));
            continue;
        };
        let fee = match &product.activation_product_id {
            None => None,
            Some(fee_id) => match catalog.iter().find(|p| &p.id == fee_id) {
                Some(fee) => Some(fee),
                None => {
                    // A plan whose required fee is off sale cannot be ordered.
                    notices.push(CartNotice::Unavailable(choice.product_id.clone()));
                    continue;
                }
            },
        };
        if let Some(fee) = fee {
            match fees.iter_mut().find(|l| l.product.id == fee.id) {
                Some(line) => {
                    line.quantity += quantity;
                    line.required_by.push(product.id.clone());
                }
                None => fees.push(CartLine {
                    product: fee.clone(),
                    quantity,
                    amount: Money::yen(0),
                    required_by: vec![product.id.clone()],
                }),
            }
        }
        lines.push(CartLine {
            product: product.clone(),
            quantity,
            amount: Money::yen(0),
            required_by: Vec::new(),
        });
    }
    lines.extend(fees);
    let currency = catalog
        .first()
        .and_then(Product::unit_price)
        .map_or(Money::yen(0).currency(), Money::currency);
    let zero = Money::from_minor(0, currency);
    let (mut monthly, mut one_time) = (zero, zero);
    for line in &mut lines {
        let unit = line.product.unit_price().unwrap_or(zero);
        line.amount = Money::from_minor(
            unit.minor().saturating_mul(i64::from(line.quantity)),
            unit.currency(),
        );
        let bucket = if line.product.billing_cycle == BillingCycle::OneTime {
            &mut one_time
        } else {
            &mut monthly
        };
        *bucket = bucket.checked_add(line.amount).unwrap_or(*bucket);
    }
    Cart {
        lines,
        monthly: Taxed::on(monthly, rate_bp),
        one_time: Taxed::on(one_time, rate_bp),
        tax_rate_bp: rate_bp,
        notices,
        revision: revision.to_owned(),
    }
}

/// The choices after setting `product_id` to `quantity` (0 removes it; a new product goes
/// last), refused when the product is not orderable, the quantity is out of range — counting
/// the activation fee it shares with other plans — or the cart would be too long.
pub fn set_quantity(
    choices: &[CartChoice],
    catalog: &[Product],
    product_id: &str,
    quantity: u32,
) -> Result<Vec<CartChoice>, CartError> {
    let mut next: Vec<CartChoice> = choices.to_vec();
    if quantity == 0 {
        next.retain(|c| c.product_id != product_id);
        return Ok(next);
    }
    let product = orderable(catalog, product_id)
        .ok_or_else(|| CartError::NotOrderable(product_id.to_owned()))?;
    if quantity > MAX_QUANTITY {
        return Err(CartError::Quantity);
    }
    match next.iter_mut().find(|c| c.product_id == product_id) {
        Some(choice) => choice.quantity = quantity,
        None => next.push(CartChoice {
            product_id: product_id.to_owned(),
            quantity,
        }),
    }
    if let Some(fee) = &product.activation_product_id {
        let shared: u32 = next
            .iter()
            .filter(|c| {
                orderable(catalog, &c.product_id)
                    .is_some_and(|p| p.activation_product_id.as_ref() == Some(fee))
            })
            .map(|c| c.quantity)
            .sum();
        if shared > MAX_QUANTITY {
            return Err(CartError::Quantity);
        }
    }
    if build(&next, catalog, 0, "").lines.len() > MAX_LINES {
        return Err(CartError::Full);
    }
    Ok(next)
}

/// The choices after adding `quantity` more of `product_id`.
pub fn add(
    choices: &[CartChoice],
    catalog: &[Product],
    product_id: &str,
    quantity: u32,
) -> Result<Vec<CartChoice>, CartError> {
    if quantity == 0 {
        return Err(CartError::Quantity);
    }
    let have = choices
        .iter()
        .find(|c| c.product_id == product_id)
        .map_or(0, |c| c.quantity);
    set_quantity(
        choices,
        catalog,
        product_id,
        have.checked_add(quantity).ok_or(CartError::Quantity)?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::fixtures::product;
    use proptest::prelude::*;

    fn catalog() -> Vec<Product> {
        vec![
            product("sim3", ItemClass::Service, 900, Some("simfee")),
            product("sim10", ItemClass::Service, 1_600, Some("simfee")),
            product("simfee", ItemClass::Activation, 3_300, None),
            product("fibre", ItemClass::Service, 4_800, Some("fibrefee")),
            product("fibrefee", ItemClass::Activation, 22_000, None),
            product("router", ItemClass::Option, 550, None),
        ]
    }

    fn choice(id: &str, quantity: u32) -> CartChoice {
        CartChoice {
            product_id: id.into(),
            quantity,
        }
    }

    #[test]
    fn plans_bring_their_fee_and_totals_are_taxed_once_per_kind() {
        let cart = build(
            &[choice("sim3", 2), choice("fibre", 1), choice("sim10", 1)],
            &catalog(),
            1000,
            "r1",
        );
        let ids: Vec<_> = cart.lines.iter().map(|l| l.product.id.as_str()).collect();
        assert_eq!(ids, ["sim3", "fibre", "sim10", "simfee", "fibrefee"]);
        let simfee = &cart.lines[3];
        assert_eq!(simfee.quantity, 3);
        assert_eq!(simfee.required_by, ["sim3", "sim10"]);
        assert!(!simfee.editable());
        assert_eq!(cart.monthly.subtotal, Money::yen(2 * 900 + 4_800 + 1_600));
        assert_eq!(cart.monthly.tax, Money::yen(820));
        assert_eq!(cart.monthly.total, Money::yen(9_020));
        assert_eq!(cart.one_time.subtotal, Money::yen(3 * 3_300 + 22_000));
        assert_eq!(cart.one_time.tax, Money::yen(3_190));
        assert_eq!(cart.units(), 4);
        let order = cart.to_new_order();
        assert!(order.validate(&catalog()).is_ok());
    }

    #[test]
    fn tax_is_rounded_down_once() {
        assert_eq!(Taxed::on(Money::yen(1_999), 1000).tax, Money::yen(199));
        assert_eq!(Taxed::on(Money::yen(1_999), 800).tax, Money::yen(159));
        assert_eq!(Taxed::on(Money::yen(0), 1000).total, Money::yen(0));
    }

    #[test]
    fn off_sale_products_are_left_out_with_a_notice() {
        let mut catalog = catalog();
        catalog.retain(|p| p.id != "fibrefee" && p.id != "router");
        let cart = build(
            &[choice("fibre", 1), choice("router", 1)],
            &catalog,
            1000,
            "r",
        );
        assert!(cart.is_empty());
        assert_eq!(
            cart.notices,
            [
                CartNotice::Unavailable("fibre".into()),
                CartNotice::Unavailable("router".into())
            ]
        );
    }

    #[test]
    fn changes_follow_the_rules() {
        let c = catalog();
        let one = add(&[], &c, "sim3", 1).expect("add");
        let two = add(&one, &c, "sim3", 2).expect("add more");
        assert_eq!(two, [choice("sim3", 3)]);
        assert_eq!(
            add(&two, &c, "simfee", 1),
            Err(CartError::NotOrderable("simfee".into()))
        );
        assert_eq!(
            add(&two, &c, "nope", 1),
            Err(CartError::NotOrderable("nope".into()))
        );
        assert_eq!(add(&two, &c, "sim3", 0), Err(CartError::Quantity));
        assert_eq!(set_quantity(&two, &c, "sim3", 11), Err(CartError::Quantity));
        // Two plans share one activation fee, whose quantity may not pass the limit either.
        let shared = set_quantity(&two, &c, "sim10", 7).expect("10 fees");
        assert_eq!(
            set_quantity(&shared, &c, "sim10", 8),
            Err(CartError::Quantity)
        );
        assert_eq!(
            set_quantity(&shared, &c, "sim3", 0).expect("removed"),
            [choice("sim10", 7)]
        );
    }

    proptest! {
        #[test]
        fn any_accepted_cart_is_a_valid_order(ops in proptest::collection::vec((0usize..6, 0u32..12), 0..20)) {
            let c = catalog();
            let mut choices = Vec::new();
            for (i, q) in ops {
                if let Ok(next) = set_quantity(&choices, &c, &c[i].id, q) {
                    choices = next;
                }
            }
            let cart = build(&choices, &c, 1000, "r");
            if !cart.is_empty() {
                prop_assert!(cart.to_new_order().validate(&c).is_ok());
            }
            prop_assert!(cart.notices.is_empty());
        }
    }
}
