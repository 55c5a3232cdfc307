//! The simulated install's products and orders (reference `whmcs.md` §2.4, §2.5):
//! `GetProducts` (with configuration options), `GetPaymentMethods` (gateways), `AddOrder`
//! (index-aligned `pid[]`/`billingcycle[]`/`qty[]`/`configoptions[]`, the options
//! base64-PHP-serialized and refused when malformed; creates a Pending order, one Pending
//! service per unit and an Unpaid invoice), `AcceptOrder` (Pending only; services become
//! Active) and `GetOrders` (filters `id`, `userid`, `status`; paging; `notes` kept verbatim).
//!
//! Services per unit and `qty[]` handling are [INFER]: the reference notes that some installs
//! ignore `qty`; this one stores exactly what it parsed.

use super::billing::amount;
use super::billing_state::{Service, datetime, today};
use super::reply::Reply;
use super::request::ApiRequest;
use super::state::WhmcsState;
use crate::server::integrations::whmcs::php::{PhpKey, PhpValue, unserialize_base64};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The gateways the install has (`paymentmethod` values AddOrder accepts).
pub const GATEWAYS: &[(&str, &str)] =
    &[("stripe", "Credit Card"), ("banktransfer", "Bank Transfer")];

/// A product of the install.
pub struct Product {
    /// Product id.
    pub pid: u32,
    /// Group name.
    pub group: &'static str,
    /// Name.
    pub name: &'static str,
    /// Yen per month, or the one-time price for a one-time product.
    pub price: i64,
    /// Whether it is charged once.
    pub one_time: bool,
    /// Configuration option ids it offers.
    pub options: &'static [u32],
}

/// A configuration option: id, name, choices (id, name).
pub struct ConfigOption {
    /// Id.
    pub id: u32,
    /// Name.
    pub name: &'static str,
    /// Choices.
    pub choices: &'static [(u32, &'static str)],
}

/// The install's configuration options.
pub const CONFIG_OPTIONS: &[ConfigOption] = &[
    ConfigOption {
        id: 1,
        name: "Line speed",
        choices: &[(11, "1G"), (12, "10G")],
    },
    ConfigOption {
        id: 2,
        name: "Voice",
        choices: &[(21, "No"), (22, "Yes")],
    },
    ConfigOption {
        id: 3,
        name: "Data GB",
        choices: &[(31, "3"), (32, "10"), (33, "20"), (34, "50")],
    },
];

const fn product(pid: u32, group: &'static str, name: &'static str, price: i64) -> Product {
    Product {
        pid,
        group,
        name,
        price,
        one_time: false,
        options: &[],
    }
}

const fn with_options(p: Product, options: &'static [u32]) -> Product {
    Product { options, ..p }
}

const fn once(p: Product) -> Product {
    Product {
        one_time: true,
        ..p
    }
}

/// The install's products (the ids the CRM's products name in `WHMCS_Product_Id__c`).
pub const PRODUCTS: &[Product] = &[
    with_options(product(101, "Fibre", "Fibre 1 Gbps", 4_800), &[1]),
    with_options(product(102, "Fibre", "Fibre 10 Gbps", 6_300), &[1]),
    once(product(
        109,
        "Fibre",
        "Fibre installation and activation",
        22_000,
    )),
    with_options(product(201, "SIM", "Data SIM 3 GB", 900), &[2, 3]),
    with_options(product(202, "SIM", "Data SIM 10 GB", 1_600), &[2, 3]),
    with_options(product(203, "SIM", "Data SIM 20 GB", 2_300), &[2, 3]),
    with_options(product(204, "SIM", "Data SIM 50 GB", 3_900), &[2, 3]),
    with_options(product(211, "SIM", "Voice SIM 3 GB", 1_400), &[2, 3]),
    with_options(product(212, "SIM", "Voice SIM 10 GB", 2_100), &[2, 3]),
    with_options(product(213, "SIM", "Voice SIM 20 GB", 2_800), &[2, 3]),
    with_options(product(214, "SIM", "Voice SIM 50 GB", 4_400), &[2, 3]),
    once(product(219, "SIM", "SIM issue and activation", 3_300)),
    product(301, "Options", "Wi-Fi router rental", 550),
    product(302, "Options", "Fixed IP address", 880),
];

fn find_product(pid: u32) -> Option<&'static Product> {
    PRODUCTS.iter().find(|p| p.pid == pid)
}

/// An order (`tblorders`).
#[derive(Debug, Clone)]
pub struct Order {
    /// Id.
    pub id: u32,
    /// 10-digit order number.
    pub ordernum: u64,
    /// Client.
    pub client_id: u32,
    /// `YYYY-MM-DD HH:MM:SS`.
    pub date: String,
    /// `Pending`, `Active`, `Cancelled`.
    pub status: String,
    /// Gateway.
    pub paymentmethod: String,
    /// Invoice.
    pub invoice_id: u32,
    /// Admin notes.
    pub notes: String,
    /// Services created by it.
    pub service_ids: Vec<u32>,
    /// Total in yen.
    pub amount: i64,
}

/// The orders of the install.
#[derive(Debug, Default)]
pub struct OrderBook {
    /// By id.
    pub orders: BTreeMap<u32, Order>,
}

/// `GetProducts`: `pid` (one id or a comma list), `gid` ignored.
pub fn get_products(req: &ApiRequest) -> Reply {
    let wanted: Option<Vec<u32>> = req.get("pid").map(|list| {
        list.split(',')
            .filter_map(|p| p.trim().parse().ok())
            .collect()
    });
    let products: Vec<Value> = PRODUCTS
        .iter()
        .filter(|p| wanted.as_ref().is_none_or(|w| w.contains(&p.pid)))
        .map(product_json)
        .collect();
    let mut out = Map::new();
    out.insert("totalresults".into(), json!(products.len()));
    out.insert("products".into(), json!({ "product": products }));
    Reply::success(out)
}

fn product_json(p: &Product) -> Value {
    // A one-time product's price sits in `monthly` too, with `paytype` saying "onetime".
    let monthly = amount(p.price);
    let options: Vec<Value> = p
        .options
        .iter()
        .filter_map(|id| CONFIG_OPTIONS.iter().find(|o| o.id == *id))
        .map(|o| {
            let choices: Vec<Value> = o
                .choices
                .iter()
                .map(|(id, name)| json!({ "id": id, "name": name, "rawName": name, "recurring": 0, "required": 0 }))
                .collect();
            json!({ "id": o.id, "name": o.name, "type": "1", "minqty": 0, "maxqty": 0, "options": { "option": choices } })
        })
        .collect();
    json!({
        "pid": p.pid, "gid": 1, "type": "other", "name": p.name, "slug": "",
        "description": "", "module": "", "paytype": if p.one_time { "onetime" } else { "recurring" },
        "allowqty": 1,
        "pricing": { "JPY": {
            "prefix": "¥", "suffix": "円", "msetupfee": "0.00",
            "monthly": monthly, "quarterly": "-1.00", "semiannually": "-1.00",
            "annually": if p.one_time { "-1.00".to_owned() } else { amount(p.price * 12) },
            "biennially": "-1.00", "triennially": "-1.00",
        }},
        "customfields": { "customfield": [] },
        "configoptions": { "configoption": options },
    })
}

/// `GetPaymentMethods`: the gateways.
pub fn get_payment_methods() -> Reply {
    let methods: Vec<Value> = GATEWAYS
        .iter()
        .map(|(module, name)| json!({ "module": module, "displayname": name }))
        .collect();
    let mut out = Map::new();
    out.insert("totalresults".into(), json!(methods.len()));
    out.insert("paymentmethods".into(), json!({ "paymentmethod": methods }));
    Reply::success(out)
}

/// One parsed `AddOrder` item.
struct Item {
    product: &'static Product,
    cycle: &'static str,
    qty: u32,
    options: Vec<(u32, String, String)>,
}

fn cycle_name(cycle: &str, product: &Product) -> Option<&'static str> {
    match (cycle.to_ascii_lowercase().as_str(), product.one_time) {
        (_, true) => Some("One Time"),
        ("monthly", false) => Some("Monthly"),
        ("annually", false) => Some("Annually"),
        _ => None,
    }
}

/// Reads `configoptions[i]`: `{option id => choice id}`; anything else is refused.
fn parse_options(text: &str, product: &Product) -> Result<Vec<(u32, String, String)>, String> {
    let PhpValue::Array(items) =
        unserialize_base64(text).map_err(|e| format!("configoptions: {e}"))?
    else {
        return Err("configoptions must be an array".into());
    };
    let mut out = Vec::new();
    for (key, value) in items {
        let (PhpKey::Int(option_id), PhpValue::Int(choice_id)) = (key, value) else {
            return Err("configoptions must map option ids to option value ids".into());
        };
        let option = CONFIG_OPTIONS
            .iter()
            .find(|o| i64::from(o.id) == option_id && product.options.contains(&o.id))
            .ok_or_else(|| format!("Invalid Configurable Option ID {option_id}"))?;
        let choice = option
            .choices
            .iter()
            .find(|(id, _)| i64::from(*id) == choice_id)
            .ok_or_else(|| format!("Invalid Configurable Option Value ID {choice_id}"))?;
        out.push((option.id, option.name.to_owned(), choice.1.to_owned()));
    }
    Ok(out)
}

fn parse_items(req: &ApiRequest) -> Result<Vec<Item>, String> {
    let mut items = Vec::new();
    for i in 0.. {
        let Some(pid) = req.get(&format!("pid[{i}]")) else {
            break;
        };
        let product = pid
            .parse()
            .ok()
            .and_then(find_product)
            .ok_or_else(|| format!("Invalid Product ID {pid}"))?;
        let cycle_text = req.get(&format!("billingcycle[{i}]")).unwrap_or("monthly");
        let cycle = cycle_name(cycle_text, product)
            .ok_or_else(|| format!("Invalid Billing Cycle {cycle_text}"))?;
        let qty = req.int(&format!("qty[{i}]"), 1).max(1);
        let options = match req.get(&format!("configoptions[{i}]")) {
            Some(text) => parse_options(text, product)?,
            None => Vec::new(),
        };
        items.push(Item {
            product,
            cycle,
            qty,
            options,
        });
    }
    if req.has("pid") && !req.has("pid[0]") {
        return Err("Expecting parameter 'pid' to be an array".into());
    }
    Ok(items)
}

/// `AddOrder`.
pub fn add_order(state: &mut WhmcsState, req: &ApiRequest) -> Reply {
    let client_id = req.int("clientid", 0);
    let Some(client) = state.clients.get(&client_id) else {
        return Reply::error("Client ID Not Found");
    };
    if client.status.eq_ignore_ascii_case("Closed") {
        return Reply::error("Unable to add order when client status is Closed");
    }
    let gateway = req.get("paymentmethod").unwrap_or_default();
    if !GATEWAYS.iter().any(|(module, _)| *module == gateway) {
        let valid: Vec<&str> = GATEWAYS.iter().map(|(m, _)| *m).collect();
        return Reply::error(format!(
            "Invalid Payment Method. Valid options include {}",
            valid.join(",")
        ));
    }
    let items = match parse_items(req) {
        Ok(items) if items.is_empty() => {
            return Reply::error("No items added to cart so order cannot proceed");
        }
        Ok(items) => items,
        Err(message) => return Reply::error(message),
    };
    let now = state.billing.now();
    let date = today();
    let order_id = state.orders.orders.keys().max().map_or(1, |id| id + 1);
    let mut next_service = state.billing.services.keys().max().map_or(1, |id| id + 1);
    let mut service_ids = Vec::new();
    let mut charges = Vec::new();
    for item in &items {
        for _ in 0..item.qty {
            let id = next_service;
            next_service += 1;
            let one_time = item.product.one_time;
            let recurring = match item.cycle {
                "Annually" => item.product.price * 12,
                _ => item.product.price,
            };
            state.billing.services.insert(
                id,
                Service {
                    id,
                    client_id,
                    pid: item.product.pid,
                    name: item.product.name.into(),
                    groupname: item.product.group.into(),
                    regdate: date,
                    first_payment: recurring,
                    recurring: if one_time { 0 } else { recurring },
                    billingcycle: item.cycle.into(),
                    nextduedate: (!one_time).then_some(date),
                    status: "Pending".into(),
                    customfields: Vec::new(),
                    configoptions: item.options.clone(),
                    order_id: Some(order_id),
                },
            );
            charges.push((id, item.product.name.to_owned(), recurring));
            service_ids.push(id);
        }
    }
    let total = charges.iter().map(|c| c.2).sum();
    let invoice_id = state
        .billing
        .add_order_invoice(client_id, date, &charges, gateway);
    state.orders.orders.insert(
        order_id,
        Order {
            id: order_id,
            ordernum: 3_000_000_000 + u64::from(order_id) * 7_919 % 1_000_000_000,
            client_id,
            date: datetime(now),
            status: "Pending".into(),
            paymentmethod: gateway.to_owned(),
            invoice_id,
            notes: req.raw("notes").unwrap_or_default().to_owned(),
            service_ids: service_ids.clone(),
            amount: total,
        },
    );
    let ids: Vec<String> = service_ids.iter().map(u32::to_string).collect();
    let mut out = Map::new();
    out.insert("orderid".into(), json!(order_id.to_string()));
    out.insert("serviceids".into(), json!(ids.join(",")));
    out.insert("productids".into(), json!(ids.join(",")));
    out.insert("addonids".into(), json!(""));
    out.insert("domainids".into(), json!(""));
    out.insert("invoiceid".into(), json!(invoice_id.to_string()));
    Reply::success(out)
}

/// `AcceptOrder`: Pending orders only; their services become Active.
pub fn accept_order(state: &mut WhmcsState, req: &ApiRequest) -> Reply {
    let id = req.int("orderid", 0);
    let Some(order) = state
        .orders
        .orders
        .get_mut(&id)
        .filter(|o| o.status == "Pending")
    else {
        return Reply::error("Order ID not found or Status not Pending");
    };
    order.status = "Active".into();
    for service_id in &order.service_ids {
        if let Some(service) = state.billing.services.get_mut(service_id) {
            service.status = "Active".into();
        }
    }
    Reply::success(Map::new())
}

/// `GetOrders`: filters `id`, `userid`, `status`; newest first; `limitstart`/`limitnum`.
pub fn get_orders(state: &WhmcsState, req: &ApiRequest) -> Reply {
    let id = req.get("id").map(|_| req.int("id", 0));
    let client = req.get("userid").map(|_| req.int("userid", 0));
    let status = req.get("status");
    let matches: Vec<&Order> = state
        .orders
        .orders
        .values()
        .rev()
        .filter(|o| id.is_none_or(|id| o.id == id))
        .filter(|o| client.is_none_or(|c| o.client_id == c))
        .filter(|o| status.is_none_or(|s| o.status.eq_ignore_ascii_case(s)))
        .collect();
    let start = usize::try_from(req.int("limitstart", 0)).unwrap_or(0);
    let num = usize::try_from(req.int("limitnum", 25)).unwrap_or(25);
    let page: Vec<Value> = matches
        .iter()
        .skip(start)
        .take(num)
        .map(|o| order_json(state, o))
        .collect();
    let mut out = Map::new();
    out.insert("totalresults".into(), json!(matches.len()));
    out.insert("startnumber".into(), json!(start));
    out.insert("numreturned".into(), json!(page.len()));
    out.insert("orders".into(), json!({ "order": page }));
    Reply::success(out)
}

fn order_json(state: &WhmcsState, o: &Order) -> Value {
    let lines: Vec<Value> = o
        .service_ids
        .iter()
        .filter_map(|id| state.billing.services.get(id))
        .map(|s| {
            json!({ "type": "product", "relid": s.id, "producttype": "Other",
                    "product": s.name, "domain": "", "billingcycle": s.billingcycle,
                    "amount": amount(s.first_payment), "status": s.status })
        })
        .collect();
    let paid = state
        .billing
        .invoices
        .get(&o.invoice_id)
        .is_some_and(|i| i.status == "Paid");
    json!({
        "id": o.id, "ordernum": o.ordernum, "userid": o.client_id, "contactid": 0,
        "requestor_id": 0, "admin_requestor_id": 0, "date": o.date, "nameservers": "",
        "transfersecret": "", "renewals": "", "promocode": "", "promotype": "",
        "promovalue": "", "orderdata": "[]", "amount": amount(o.amount),
        "paymentmethod": o.paymentmethod, "invoiceid": o.invoice_id, "status": o.status,
        "ipaddress": "", "fraudmodule": "", "fraudoutput": "", "notes": o.notes,
        "paymentmethodname": GATEWAYS.iter().find(|g| g.0 == o.paymentmethod).map_or("", |g| g.1),
        "paymentstatus": if paid { "Paid" } else { "Unpaid" },
        "name": "", "currencyprefix": "¥", "currencysuffix": "円",
        "lineitems": { "lineitem": lines },
    })
}
