//! Salesforce's order rules (reference §4), applied by the [`Store`] on every write:
//!
//! - an Order is created `Draft` (`StatusCode` follows `Status`), gets an `OrderNumber` and a
//!   `TotalAmount` rolled up from its items; its account and price book are frozen once it is
//!   activated, its price book once it has items; activating needs at least one item;
//! - an OrderItem needs its order to be Draft and to have a price book, and its PricebookEntry
//!   must be active and belong to that price book; `Product2Id` and `ListPrice` are copied
//!   from the entry, `TotalPrice` = `Quantity × UnitPrice`;
//! - a PricebookEntry copies its product's `Name` and `ProductCode`.
//!
//! The exact texts of these errors are not documented (reference §6); the codes are
//! `FIELD_INTEGRITY_EXCEPTION`, as for the matching Opportunity rules.

use super::errors::ErrorItem;
use super::schema::{ObjectDef, Record};
use super::store::Store;
use serde_json::{Number, Value};

fn text<'r>(record: &'r Record, field: &str) -> Option<&'r str> {
    record.get(field).and_then(Value::as_str)
}

fn number(record: &Record, field: &str) -> Option<f64> {
    record.get(field).and_then(Value::as_f64)
}

fn money(n: f64) -> Value {
    Number::from_f64((n * 100.0).round() / 100.0).map_or(Value::Null, Value::Number)
}

fn integrity(message: &str, field: &str) -> ErrorItem {
    ErrorItem {
        message: message.to_owned(),
        error_code: "FIELD_INTEGRITY_EXCEPTION".into(),
        fields: if field.is_empty() {
            Vec::new()
        } else {
            vec![field.to_owned()]
        },
    }
}

fn status_code(status: Option<&str>) -> &'static str {
    if status == Some("Activated") {
        "Activated"
    } else {
        "Draft"
    }
}

pub(super) fn next_number(store: &Store, object: &str, field: &str, start: u64) -> Value {
    let last = store
        .records(object)
        .iter()
        .filter_map(|r| text(r, field).and_then(|n| n.parse::<u64>().ok()))
        .max()
        .unwrap_or(start);
    Value::String(format!("{:08}", last + 1))
}

fn items_of<'s>(store: &'s Store, order_id: &str) -> impl Iterator<Item = &'s Record> {
    store
        .records("OrderItem")
        .iter()
        .filter(move |r| text(r, "OrderId") == Some(order_id))
}

/// Checks a record about to be written (`old` is the stored one for an update) and fills its
/// derived fields; the errors refuse the write.
pub fn before_write(
    store: &Store,
    object: &ObjectDef,
    record: &mut Record,
    old: Option<&Record>,
) -> Vec<ErrorItem> {
    match object.name {
        "Order" => order(store, record, old),
        "OrderItem" => order_item(store, record, old),
        "PricebookEntry" => {
            if old.is_none()
                && let Some(product) = text(record, "Product2Id")
                    .and_then(|id| store.find("Product2", id))
                    .cloned()
            {
                for field in ["Name", "ProductCode"] {
                    record.insert(
                        field.into(),
                        product.get(field).cloned().unwrap_or(Value::Null),
                    );
                }
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn order(store: &Store, record: &mut Record, old: Option<&Record>) -> Vec<ErrorItem> {
    let mut errors = Vec::new();
    let code = status_code(text(record, "Status"));
    match old {
        None => {
            if code != "Draft" {
                errors.push(integrity(
                    "You can't create an order in an activated status; create it as Draft, add its products, then activate it.",
                    "Status",
                ));
            }
            record.insert(
                "OrderNumber".into(),
                next_number(store, "Order", "OrderNumber", 100),
            );
            record.insert("TotalAmount".into(), money(0.0));
        }
        Some(old) => {
            let id = text(old, "Id").unwrap_or_default();
            let was_active = text(old, "StatusCode") == Some("Activated");
            for field in ["AccountId", "Pricebook2Id"] {
                if was_active && record.get(field) != old.get(field) {
                    errors.push(integrity(
                        &format!("{field}: You can't edit this field on an activated order."),
                        field,
                    ));
                }
            }
            if record.get("Pricebook2Id") != old.get("Pricebook2Id")
                && items_of(store, id).next().is_some()
            {
                errors.push(integrity(
                    "Price Book ID: You can't change the price book of an order that has products.",
                    "Pricebook2Id",
                ));
            }
            if code == "Activated" && !was_active {
                if items_of(store, id).next().is_none() {
                    errors.push(integrity(
                        "You can't activate an order that has no products.",
                        "Status",
                    ));
                }
                record.insert(
                    "ActivatedDate".into(),
                    Value::String(super::store::format_datetime(
                        time::OffsetDateTime::now_utc(),
                    )),
                );
            }
        }
    }
    record.insert("StatusCode".into(), Value::String(code.to_owned()));
    errors
}

fn order_item(store: &Store, record: &mut Record, old: Option<&Record>) -> Vec<ErrorItem> {
    let Some(order) = text(record, "OrderId").and_then(|id| store.find("Order", id)) else {
        return Vec::new();
    };
    if text(order, "StatusCode") == Some("Activated") {
        return vec![integrity(
            "You can't add, edit or delete products on an activated order.",
            "OrderId",
        )];
    }
    let quantity = number(record, "Quantity").unwrap_or_default();
    if quantity <= 0.0 {
        return vec![integrity(
            "Quantity: The quantity must be greater than zero.",
            "Quantity",
        )];
    }
    if old.is_none() {
        let Some(book) = text(order, "Pricebook2Id") else {
            return vec![integrity(
                "Price Book Not Set on Order: choose the order's price book before adding products.",
                "OrderId",
            )];
        };
        let Some(entry) = text(record, "PricebookEntryId")
            .and_then(|id| store.find("PricebookEntry", id))
            .cloned()
        else {
            return Vec::new();
        };
        if text(&entry, "Pricebook2Id") != Some(book) {
            return vec![integrity(
                "field integrity exception: PricebookEntryId (pricebook entry is in a different pricebook than the one assigned to the order)",
                "PricebookEntryId",
            )];
        }
        if entry.get("IsActive") != Some(&Value::Bool(true)) {
            return vec![integrity(
                "field integrity exception: PricebookEntryId (pricebook entry is inactive)",
                "PricebookEntryId",
            )];
        }
        record.insert(
            "Product2Id".into(),
            entry.get("Product2Id").cloned().unwrap_or(Value::Null),
        );
        record.insert(
            "ListPrice".into(),
            entry.get("UnitPrice").cloned().unwrap_or(Value::Null),
        );
        record.insert(
            "OrderItemNumber".into(),
            next_number(store, "OrderItem", "OrderItemNumber", 0),
        );
    }
    let unit = number(record, "UnitPrice").unwrap_or_default();
    record.insert("TotalPrice".into(), money(quantity * unit));
    Vec::new()
}

/// Roll-ups after a write: an OrderItem's order gets its `TotalAmount` recomputed.
pub fn after_write(store: &mut Store, object: &ObjectDef, record: &Record) {
    if object.name != "OrderItem" {
        return;
    }
    let Some(order_id) = text(record, "OrderId").map(str::to_owned) else {
        return;
    };
    let total: f64 = items_of(store, &order_id)
        .filter_map(|r| number(r, "TotalPrice"))
        .sum();
    store.set_field("Order", &order_id, "TotalAmount", money(total));
}
