//! Provisioning, pure: what an approved CRM order must look like to be provisioned
//! ([`check_ready`]), how its items become billing-system order lines ([`billing_lines`],
//! [`resolve_config_options`]), the reasons it can fail ([`Failure`], each with a stable code
//! the order page translates), and the idempotency ledger's steps ([`Stage`]) with the one
//! rule that says what to do next ([`Stage::next`]).
//!
//! The fulfilment orchestrator (`server::provisioning`) does the I/O around these rules.

use super::catalog::{BillingCycle, ItemClass};
use super::orders::{OrderStatus, ProvisioningStatus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One item of the CRM order, with what provisioning needs from its product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionItem {
    /// Product name (for messages).
    pub name: String,
    /// The billing system's product id.
    pub billing_product_id: Option<u32>,
    /// Service, activation fee or option.
    pub item_class: Option<ItemClass>,
    /// The product's billing cycle.
    pub billing_cycle: Option<BillingCycle>,
    /// Units.
    pub quantity: u32,
    /// Configuration options by name or id (`{"Line speed":"1G"}`, `{"4":"12"}`).
    pub config_options: BTreeMap<String, String>,
}

/// An approved CRM order as provisioning reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionOrder {
    /// CRM order id.
    pub id: String,
    /// CRM account id.
    pub account_id: String,
    /// Order number.
    pub number: String,
    /// Approval status.
    pub status: OrderStatus,
    /// Provisioning status as the CRM holds it.
    pub provisioning: ProvisioningStatus,
    /// The billing order id already recorded on the CRM order.
    pub billing_order_id: Option<String>,
    /// The account's billing client id.
    pub billing_client_id: Option<u32>,
    /// Items.
    pub items: Vec<ProvisionItem>,
}

/// Why an order is not (or could not be) provisioned. Every variant has a stable
/// [`code`](Failure::code) written to the CRM order and translated on the order page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Failure {
    /// The order is not approved (still Draft, or cancelled).
    #[error("the order is not approved")]
    NotApproved,
    /// The order has no items.
    #[error("the order has no items")]
    NoItems,
    /// The customer's account has no billing client.
    #[error("the customer's account has no billing account")]
    NoBillingAccount,
    /// The customer has no payment method on file.
    #[error("the customer has no payment method on file")]
    NoPaymentMethod,
    /// A product is not set up for the billing system.
    #[error("product {0} has no billing product, item class or billing cycle")]
    UnmappedProduct(String),
    /// A configuration option could not be matched to the billing product's options.
    #[error("product {product}: configuration option {option} is unknown to billing")]
    UnknownConfigOption {
        /// Product name.
        product: String,
        /// Option name and value.
        option: String,
    },
    /// The billing system refused the order.
    #[error("billing refused the order: {0}")]
    Refused(String),
    /// Retries ran out on a fault that kept recurring.
    #[error("provisioning kept failing: {0}")]
    GaveUp(String),
}

impl Failure {
    /// The stable code written before the message in the CRM's error field.
    pub fn code(&self) -> &'static str {
        match self {
            Failure::NotApproved => "NOT_APPROVED",
            Failure::NoItems => "NO_ITEMS",
            Failure::NoBillingAccount => "NO_BILLING_ACCOUNT",
            Failure::NoPaymentMethod => "NO_PAYMENT_METHOD",
            Failure::UnmappedProduct(_) => "UNMAPPED_PRODUCT",
            Failure::UnknownConfigOption { .. } => "UNKNOWN_CONFIG_OPTION",
            Failure::Refused(_) => "BILLING_REFUSED",
            Failure::GaveUp(_) => "GAVE_UP",
        }
    }

    /// `CODE: message`, what the CRM's error field holds (the order page reads the code).
    pub fn crm_text(&self) -> String {
        format!("{}: {self}", self.code())
    }

    /// Whether the customer can fix it themselves (and the order page says how).
    pub fn customer_can_act(&self) -> bool {
        matches!(self, Failure::NoPaymentMethod)
    }
}

/// The code at the start of a CRM error text (`NO_PAYMENT_METHOD: …` → `NO_PAYMENT_METHOD`);
/// `None` for text without one.
pub fn failure_code(crm_text: &str) -> Option<&str> {
    let (code, _) = crm_text.split_once(':')?;
    let code = code.trim();
    (!code.is_empty() && code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')).then_some(code)
}

/// What the orchestrator does with a CRM order before touching billing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    /// Go on.
    Ready,
    /// Already provisioned (a duplicate event): nothing to do.
    AlreadyProvisioned,
}

/// Step 1: the order must be approved, not provisioned yet, have items and a billing client.
pub fn check_ready(order: &ProvisionOrder) -> Result<Readiness, Failure> {
    if order.provisioning == ProvisioningStatus::Provisioned {
        return Ok(Readiness::AlreadyProvisioned);
    }
    if order.status != OrderStatus::Activated {
        return Err(Failure::NotApproved);
    }
    if order.items.is_empty() {
        return Err(Failure::NoItems);
    }
    if order.billing_client_id.is_none() {
        return Err(Failure::NoBillingAccount);
    }
    Ok(Readiness::Ready)
}

/// The billing system's cycle name (`billingcycle[]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BillingCycleName {
    /// `monthly`
    Monthly,
    /// `annually`
    Annually,
    /// `onetime`
    OneTime,
}

impl BillingCycleName {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            BillingCycleName::Monthly => "monthly",
            BillingCycleName::Annually => "annually",
            BillingCycleName::OneTime => "onetime",
        }
    }
}

/// One line of the billing order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingLine {
    /// Billing product id (`pid[]`).
    pub product_id: u32,
    /// Cycle (`billingcycle[]`).
    pub cycle: BillingCycleName,
    /// Units (`qty[]`).
    pub quantity: u32,
    /// Product name, for messages.
    pub name: String,
    /// Configuration options still by name (resolved against the billing product later).
    pub config_options: BTreeMap<String, String>,
}

/// Step 3: the CRM items as billing lines. A service or option is billed on its product's
/// cycle; an activation fee once, whatever its product says.
pub fn billing_lines(items: &[ProvisionItem]) -> Result<Vec<BillingLine>, Failure> {
    items
        .iter()
        .map(|item| {
            let unmapped = || Failure::UnmappedProduct(item.name.clone());
            let product_id = item.billing_product_id.ok_or_else(unmapped)?;
            let cycle = match (item.item_class.ok_or_else(unmapped)?, item.billing_cycle) {
                (ItemClass::Activation, _) | (_, Some(BillingCycle::OneTime)) => {
                    BillingCycleName::OneTime
                }
                (_, Some(BillingCycle::Monthly)) => BillingCycleName::Monthly,
                (_, Some(BillingCycle::Annually)) => BillingCycleName::Annually,
                (_, None) => return Err(unmapped()),
            };
            if item.quantity == 0 {
                return Err(unmapped());
            }
            Ok(BillingLine {
                product_id,
                cycle,
                quantity: item.quantity,
                name: item.name.clone(),
                config_options: item.config_options.clone(),
            })
        })
        .collect()
}

/// A billing product's configuration option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigOptionDef {
    /// Option id.
    pub id: u32,
    /// Option name (`Line speed`).
    pub name: String,
    /// Choices (`id`, `name`); empty for a quantity option.
    pub choices: Vec<(u32, String)>,
}

/// A resolved option value: a choice id, or a quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConfigValue {
    /// The chosen choice's id.
    Choice(u32),
    /// A quantity.
    Quantity(u32),
}

fn same_name(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// Resolves a line's options against its billing product's: a key is the option's name or id,
/// a value the choice's name or id (or a number for a quantity option). Anything that does
/// not match is a [`Failure::UnknownConfigOption`] — never silently dropped.
pub fn resolve_config_options(
    line: &BillingLine,
    defs: &[ConfigOptionDef],
) -> Result<Vec<(u32, ConfigValue)>, Failure> {
    let unknown = |key: &str, value: &str| Failure::UnknownConfigOption {
        product: line.name.clone(),
        option: format!("{key}={value}"),
    };
    let mut out = Vec::with_capacity(line.config_options.len());
    for (key, value) in &line.config_options {
        let def = defs
            .iter()
            .find(|d| d.id.to_string() == key.trim() || same_name(&d.name, key))
            .ok_or_else(|| unknown(key, value))?;
        let resolved = if def.choices.is_empty() {
            ConfigValue::Quantity(value.trim().parse().map_err(|_| unknown(key, value))?)
        } else {
            let choice = def
                .choices
                .iter()
                .find(|(id, name)| id.to_string() == value.trim() || same_name(name, value))
                .ok_or_else(|| unknown(key, value))?;
            ConfigValue::Choice(choice.0)
        };
        out.push((def.id, resolved));
    }
    out.sort_by_key(|(id, _)| *id);
    Ok(out)
}

/// The note that marks a billing order as made for a CRM order, so a retry can find it.
pub fn order_note(crm_order_id: &str) -> String {
    format!("sfOrderId={crm_order_id}")
}

/// Whether a billing order's notes carry the mark of `crm_order_id`.
pub fn note_marks(notes: &str, crm_order_id: &str) -> bool {
    let mark = order_note(crm_order_id);
    notes
        .split(|c: char| c.is_whitespace() || c == ';' || c == ',')
        .any(|word| word == mark)
}

/// How far an order's provisioning got, as the ledger records it. Each step's outcome is
/// recorded before the next step starts, so a retry resumes after the last recorded one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum Stage {
    /// Nothing recorded yet.
    Received,
    /// The billing order exists.
    Added {
        /// Its id.
        billing_order_id: u32,
    },
    /// The billing order is accepted (services set up).
    Accepted {
        /// Its id.
        billing_order_id: u32,
    },
    /// The CRM order says provisioned: done.
    Completed {
        /// The billing order id.
        billing_order_id: u32,
    },
    /// Failed for good; the CRM order says why.
    Failed {
        /// The reason.
        failure: Failure,
        /// Whether the CRM order was updated with it.
        reported: bool,
    },
}

/// What the orchestrator does next for a ledger stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Steps 1–4: validate, check payment, map, and add the billing order (after looking for
    /// one already carrying the order's note).
    AddOrder,
    /// Step 5.
    AcceptOrder(u32),
    /// Step 6, success.
    ReportProvisioned(u32),
    /// Step 6, failure.
    ReportFailure(Failure),
    /// Nothing left.
    Done,
}

impl Stage {
    /// The next action.
    pub fn next(&self) -> Next {
        match self {
            Stage::Received => Next::AddOrder,
            Stage::Added { billing_order_id } => Next::AcceptOrder(*billing_order_id),
            Stage::Accepted { billing_order_id } => Next::ReportProvisioned(*billing_order_id),
            Stage::Failed {
                failure,
                reported: false,
            } => Next::ReportFailure(failure.clone()),
            Stage::Completed { .. } | Stage::Failed { reported: true, .. } => Next::Done,
        }
    }

    /// Whether `to` may follow `self`: steps only move forward, and a failure can be retried
    /// from the start (the customer fixed the cause, or an operator asked for it).
    pub fn may_become(&self, to: &Stage) -> bool {
        use Stage::*;
        matches!(
            (self, to),
            (Received, Added { .. } | Completed { .. } | Failed { .. })
                | (Added { .. }, Accepted { .. } | Failed { .. })
                | (Accepted { .. }, Completed { .. })
                | (
                    Failed {
                        reported: false,
                        ..
                    },
                    Failed { reported: true, .. }
                )
                | (Failed { .. }, Received)
        ) && match (self.billing_order_id(), to.billing_order_id()) {
            (Some(from), Some(to)) => from == to,
            _ => true,
        }
    }

    /// The billing order id, once known.
    pub fn billing_order_id(&self) -> Option<u32> {
        match self {
            Stage::Added { billing_order_id }
            | Stage::Accepted { billing_order_id }
            | Stage::Completed { billing_order_id } => Some(*billing_order_id),
            Stage::Received | Stage::Failed { .. } => None,
        }
    }

    /// A short name for logs, metrics and the store.
    pub fn name(&self) -> &'static str {
        match self {
            Stage::Received => "received",
            Stage::Added { .. } => "added",
            Stage::Accepted { .. } => "accepted",
            Stage::Completed { .. } => "completed",
            Stage::Failed { .. } => "failed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(class: ItemClass, cycle: Option<BillingCycle>, pid: Option<u32>) -> ProvisionItem {
        ProvisionItem {
            name: "Data SIM 3 GB".into(),
            billing_product_id: pid,
            item_class: Some(class),
            billing_cycle: cycle,
            quantity: 2,
            config_options: BTreeMap::from([
                ("Voice".into(), "No".into()),
                ("Data GB".into(), "3".into()),
            ]),
        }
    }

    fn order() -> ProvisionOrder {
        ProvisionOrder {
            id: "801000000000001AAA".into(),
            account_id: "001000000000001AAA".into(),
            number: "00000001".into(),
            status: OrderStatus::Activated,
            provisioning: ProvisioningStatus::Queued,
            billing_order_id: None,
            billing_client_id: Some(1001),
            items: vec![item(
                ItemClass::Service,
                Some(BillingCycle::Monthly),
                Some(201),
            )],
        }
    }

    #[test]
    fn only_approved_unprovisioned_orders_with_items_and_a_client_are_ready() {
        assert_eq!(check_ready(&order()), Ok(Readiness::Ready));
        let mut draft = order();
        draft.status = OrderStatus::Draft;
        assert_eq!(check_ready(&draft), Err(Failure::NotApproved));
        let mut empty = order();
        empty.items.clear();
        assert_eq!(check_ready(&empty), Err(Failure::NoItems));
        let mut orphan = order();
        orphan.billing_client_id = None;
        assert_eq!(check_ready(&orphan), Err(Failure::NoBillingAccount));
        let mut done = order();
        done.provisioning = ProvisioningStatus::Provisioned;
        assert_eq!(check_ready(&done), Ok(Readiness::AlreadyProvisioned));
    }

    #[test]
    fn services_keep_their_cycle_and_activation_fees_are_one_time() {
        let lines = billing_lines(&[
            item(ItemClass::Service, Some(BillingCycle::Monthly), Some(201)),
            item(ItemClass::Service, Some(BillingCycle::Annually), Some(202)),
            item(
                ItemClass::Activation,
                Some(BillingCycle::Monthly),
                Some(219),
            ),
            item(ItemClass::Option, Some(BillingCycle::OneTime), Some(301)),
        ])
        .map(|lines| lines.iter().map(|l| l.cycle).collect::<Vec<_>>());
        assert_eq!(
            lines,
            Ok(vec![
                BillingCycleName::Monthly,
                BillingCycleName::Annually,
                BillingCycleName::OneTime,
                BillingCycleName::OneTime,
            ])
        );
    }

    #[test]
    fn a_product_without_billing_ids_is_refused_by_name() {
        for bad in [
            item(ItemClass::Service, Some(BillingCycle::Monthly), None),
            item(ItemClass::Service, None, Some(201)),
            ProvisionItem {
                item_class: None,
                ..item(ItemClass::Service, Some(BillingCycle::Monthly), Some(201))
            },
        ] {
            assert_eq!(
                billing_lines(&[bad]),
                Err(Failure::UnmappedProduct("Data SIM 3 GB".into()))
            );
        }
    }

    fn sim_defs() -> Vec<ConfigOptionDef> {
        vec![
            ConfigOptionDef {
                id: 2,
                name: "Voice".into(),
                choices: vec![(21, "No".into()), (22, "Yes".into())],
            },
            ConfigOptionDef {
                id: 3,
                name: "Data GB".into(),
                choices: vec![(31, "3".into()), (32, "10".into())],
            },
            ConfigOptionDef {
                id: 7,
                name: "Extra SIMs".into(),
                choices: vec![],
            },
        ]
    }

    #[test]
    fn options_resolve_by_name_or_id_and_quantities_pass_through() {
        let mut line = billing_lines(&[item(
            ItemClass::Service,
            Some(BillingCycle::Monthly),
            Some(201),
        )])
        .unwrap_or_default()
        .remove(0);
        assert_eq!(
            resolve_config_options(&line, &sim_defs()),
            Ok(vec![
                (2, ConfigValue::Choice(21)),
                (3, ConfigValue::Choice(31))
            ])
        );
        line.config_options =
            BTreeMap::from([("2".into(), "22".into()), ("extra sims".into(), "3".into())]);
        assert_eq!(
            resolve_config_options(&line, &sim_defs()),
            Ok(vec![
                (2, ConfigValue::Choice(22)),
                (7, ConfigValue::Quantity(3))
            ])
        );
    }

    #[test]
    fn an_unknown_option_or_choice_is_a_failure_never_dropped() {
        let base = billing_lines(&[item(
            ItemClass::Service,
            Some(BillingCycle::Monthly),
            Some(201),
        )])
        .unwrap_or_default()
        .remove(0);
        for (k, v) in [("Colour", "Red"), ("Voice", "Maybe"), ("Extra SIMs", "two")] {
            let line = BillingLine {
                config_options: BTreeMap::from([(k.to_owned(), v.to_owned())]),
                ..base.clone()
            };
            assert!(matches!(
                resolve_config_options(&line, &sim_defs()),
                Err(Failure::UnknownConfigOption { .. })
            ));
        }
    }

    #[test]
    fn notes_are_matched_as_whole_words() {
        let id = "801000000000001AAA";
        assert!(note_marks(&order_note(id), id));
        assert!(note_marks(&format!("portal order; {}", order_note(id)), id));
        assert!(!note_marks(&format!("{}X", order_note(id)), id));
        assert!(!note_marks("sfOrderId=801000000000002AAA", id));
    }

    #[test]
    fn failure_codes_round_trip_through_the_crm_text() {
        let f = Failure::NoPaymentMethod;
        assert_eq!(failure_code(&f.crm_text()), Some("NO_PAYMENT_METHOD"));
        assert_eq!(failure_code("something broke: x"), None);
        assert_eq!(failure_code("no colon"), None);
    }

    #[test]
    fn the_ledger_moves_forward_only() {
        let added = Stage::Added {
            billing_order_id: 7,
        };
        let accepted = Stage::Accepted {
            billing_order_id: 7,
        };
        let completed = Stage::Completed {
            billing_order_id: 7,
        };
        assert_eq!(Stage::Received.next(), Next::AddOrder);
        assert_eq!(added.next(), Next::AcceptOrder(7));
        assert_eq!(accepted.next(), Next::ReportProvisioned(7));
        assert_eq!(completed.next(), Next::Done);
        assert!(Stage::Received.may_become(&added));
        assert!(added.may_become(&accepted));
        assert!(accepted.may_become(&completed));
        assert!(!accepted.may_become(&added));
        assert!(!completed.may_become(&Stage::Received));
        assert!(!added.may_become(&Stage::Accepted {
            billing_order_id: 8
        }));
        let failed = Stage::Failed {
            failure: Failure::NoPaymentMethod,
            reported: false,
        };
        assert_eq!(failed.next(), Next::ReportFailure(Failure::NoPaymentMethod));
        let reported = Stage::Failed {
            failure: Failure::NoPaymentMethod,
            reported: true,
        };
        assert!(failed.may_become(&reported));
        assert_eq!(reported.next(), Next::Done);
        assert!(reported.may_become(&Stage::Received));
        assert!(!completed.may_become(&failed));
    }
}
