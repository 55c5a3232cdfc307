//! Orders (reference `whmcs.md` §2.4, §1.8): `AddOrder` with index-aligned per-item arrays and
//! base64 PHP-serialized configuration options, `AcceptOrder` (treated as done when the order
//! is already Active — an earlier attempt may have succeeded with its answer lost), `GetOrders`
//! to find an order by the note the portal puts on it, and `GetProducts` for a product's
//! configuration options.
//!
//! `AddOrder` is never retried on a transport fault here (the client retries reads only): the
//! orchestrator looks for the order's note first and adds again only if none exists.

use super::client::{Params, WhmcsClient};
use super::dto::orders::{AddOrderResponse, GetOrdersResponse, GetProductsResponse, RawOrder};
use super::error::WhmcsError;
use super::php::{PhpKey, PhpValue, serialize_base64};
use crate::domain::provisioning::{BillingLine, ConfigOptionDef, ConfigValue, note_marks};

/// Orders read per `GetOrders` page.
const PAGE: u32 = 100;
/// At most this many pages are searched for a note (10 000 orders of one client).
const MAX_PAGES: u32 = 100;
/// `AcceptOrder`'s refusal for an unknown or not-pending order.
const NOT_PENDING: &str = "Order ID not found or Status not Pending";

/// An order to add: the client, the gateway and the lines with their resolved options.
#[derive(Debug, Clone)]
pub struct NewBillingOrder<'a> {
    /// Client id.
    pub client_id: u32,
    /// Gateway system name (`paymentmethod`).
    pub payment_method: &'a str,
    /// Lines, each with its options resolved against its product.
    pub lines: Vec<(&'a BillingLine, Vec<(u32, ConfigValue)>)>,
    /// Admin notes (the CRM order's mark).
    pub notes: String,
}

/// What `AddOrder` created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedOrder {
    /// Order id.
    pub order_id: u32,
    /// Service ids.
    pub service_ids: Vec<u32>,
    /// Invoice id, when one was made.
    pub invoice_id: Option<u32>,
}

/// An order as `GetOrders` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillingOrder {
    /// Order id.
    pub id: u32,
    /// `Pending`, `Active`, `Cancelled`, `Fraud`.
    pub status: String,
    /// Admin notes.
    pub notes: String,
}

fn order_of(raw: &RawOrder) -> Option<BillingOrder> {
    Some(BillingOrder {
        id: raw.id?,
        status: raw.status.trim().to_owned(),
        notes: raw.notes.clone(),
    })
}

/// The `AddOrder` form fields for `order` (pure, for tests).
pub fn add_order_params(order: &NewBillingOrder<'_>) -> Params {
    let mut params = Params::new()
        .with("clientid", order.client_id)
        .with("paymentmethod", order.payment_method)
        .with("notes", &order.notes)
        .flag("noemail", true);
    for (i, (line, options)) in order.lines.iter().enumerate() {
        params.push(format!("pid[{i}]"), line.product_id);
        params.push(format!("billingcycle[{i}]"), line.cycle.as_str());
        params.push(format!("qty[{i}]"), line.quantity);
        let map = options
            .iter()
            .map(|(id, value)| {
                let v = match value {
                    ConfigValue::Choice(choice) => i64::from(*choice),
                    ConfigValue::Quantity(qty) => i64::from(*qty),
                };
                (PhpKey::Int(i64::from(*id)), PhpValue::Int(v))
            })
            .collect();
        params.push(
            format!("configoptions[{i}]"),
            serialize_base64(&PhpValue::Array(map)),
        );
    }
    params
}

fn ids(text: &str) -> Vec<u32> {
    text.split(',')
        .filter_map(|id| id.trim().parse().ok())
        .collect()
}

impl WhmcsClient {
    /// `AddOrder`: creates the order, its services and its invoice, all Pending/Unpaid.
    pub async fn add_order(&self, order: &NewBillingOrder<'_>) -> Result<AddedOrder, WhmcsError> {
        let response: AddOrderResponse = self.call_as("AddOrder", &add_order_params(order)).await?;
        let order_id = response
            .orderid
            .ok_or_else(|| WhmcsError::Decode("AddOrder: no orderid".into()))?;
        let services = if response.serviceids.trim().is_empty() {
            &response.productids
        } else {
            &response.serviceids
        };
        Ok(AddedOrder {
            order_id,
            service_ids: ids(services),
            invoice_id: response.invoiceid,
        })
    }

    /// `AcceptOrder` with module set-up. An order that is already Active counts as accepted
    /// (re-read after WHMCS's "not pending" refusal); any other refusal is returned.
    pub async fn accept_order(&self, order_id: u32) -> Result<(), WhmcsError> {
        let params = Params::new()
            .with("orderid", order_id)
            .flag("autosetup", true)
            .flag("sendemail", false);
        match self.call("AcceptOrder", &params).await {
            Ok(_) => Ok(()),
            Err(WhmcsError::Api { message } | WhmcsError::NotFound { message })
                if message.eq_ignore_ascii_case(NOT_PENDING) =>
            {
                match self.order(order_id).await? {
                    Some(order) if order.status.eq_ignore_ascii_case("Active") => Ok(()),
                    _ => Err(WhmcsError::Api { message }),
                }
            }
            Err(other) => Err(other),
        }
    }

    /// One order by id (`GetOrders id=`).
    pub async fn order(&self, order_id: u32) -> Result<Option<BillingOrder>, WhmcsError> {
        let params = Params::new().with("id", order_id);
        let response: GetOrdersResponse = self.call_as("GetOrders", &params).await?;
        Ok(response
            .orders
            .iter()
            .filter_map(order_of)
            .find(|o| o.id == order_id))
    }

    /// The client's order whose notes carry the mark of `crm_order_id`, if any (newest
    /// first; `GetOrders` has no notes filter, so the client's orders are read page by page).
    pub async fn order_marked_for(
        &self,
        client_id: u32,
        crm_order_id: &str,
    ) -> Result<Option<BillingOrder>, WhmcsError> {
        let mut start = 0u32;
        for _ in 0..MAX_PAGES {
            let params = Params::new()
                .with("userid", client_id)
                .with("limitstart", start)
                .with("limitnum", PAGE);
            let page: GetOrdersResponse = self.call_as("GetOrders", &params).await?;
            let returned = u32::try_from(page.orders.len()).unwrap_or(u32::MAX);
            if let Some(found) = page
                .orders
                .iter()
                .filter_map(order_of)
                .find(|o| note_marks(&o.notes, crm_order_id))
            {
                return Ok(Some(found));
            }
            start = start.saturating_add(returned);
            if returned == 0 || start >= page.totalresults {
                break;
            }
        }
        Ok(None)
    }

    /// A product's configuration options (`GetProducts pid=`); empty for an unknown product.
    pub async fn config_options(
        &self,
        product_id: u32,
    ) -> Result<Vec<ConfigOptionDef>, WhmcsError> {
        let params = Params::new().with("pid", product_id);
        let response: GetProductsResponse = self.call_as("GetProducts", &params).await?;
        let Some(product) = response.products.iter().find(|p| p.pid == Some(product_id)) else {
            return Ok(Vec::new());
        };
        Ok(product
            .configoptions
            .iter()
            .filter_map(|option| {
                let quantity = option.r#type.trim() == "4";
                Some(ConfigOptionDef {
                    id: option.id?,
                    name: option.name.clone(),
                    choices: if quantity {
                        Vec::new()
                    } else {
                        option
                            .options
                            .iter()
                            .filter_map(|c| {
                                let name = if c.raw_name.trim().is_empty() {
                                    &c.name
                                } else {
                                    &c.raw_name
                                };
                                Some((c.id?, name.clone()))
                            })
                            .collect()
                    },
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::provisioning::BillingCycleName;
    use std::collections::BTreeMap;

    #[test]
    fn add_order_sends_index_aligned_arrays_and_serialized_options() {
        let sim = BillingLine {
            product_id: 201,
            cycle: BillingCycleName::Monthly,
            quantity: 2,
            name: "Data SIM".into(),
            config_options: BTreeMap::new(),
        };
        let fee = BillingLine {
            product_id: 219,
            cycle: BillingCycleName::OneTime,
            quantity: 2,
            name: "Fee".into(),
            config_options: BTreeMap::new(),
        };
        let order = NewBillingOrder {
            client_id: 1001,
            payment_method: "stripe",
            lines: vec![
                (&sim, vec![(1, ConfigValue::Quantity(999))]),
                (&fee, vec![]),
            ],
            notes: "sfOrderId=801".into(),
        };
        let params = add_order_params(&order);
        let got: BTreeMap<&str, &str> = params.iter().collect();
        assert_eq!(got["clientid"], "1001");
        assert_eq!(got["paymentmethod"], "stripe");
        assert_eq!(got["notes"], "sfOrderId=801");
        assert_eq!(got["pid[0]"], "201");
        assert_eq!(got["billingcycle[0]"], "monthly");
        assert_eq!(got["qty[0]"], "2");
        // The reference's worked example: a:1:{i:1;i:999;}
        assert_eq!(got["configoptions[0]"], "YToxOntpOjE7aTo5OTk7fQ==");
        assert_eq!(got["pid[1]"], "219");
        assert_eq!(got["billingcycle[1]"], "onetime");
        assert_eq!(got["configoptions[1]"], "YTowOnt9");
    }

    #[test]
    fn service_id_lists_tolerate_blanks() {
        assert_eq!(ids("57,58"), vec![57, 58]);
        assert_eq!(ids(""), Vec::<u32>::new());
        assert_eq!(ids(" 9 , x"), vec![9]);
    }
}
