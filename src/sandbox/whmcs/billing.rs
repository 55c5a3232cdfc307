//! Billing and service actions: `GetInvoices`, `GetInvoice`, `GetPayMethods`,
//! `GetCurrencies`, `GetClientsProducts`, `CreateSsoToken`, `AddCancelRequest` (reference
//! §2.2, §2.3, §2.5, §5). Typing follows the documented eras: invoices and currencies with
//! int ids and string money (8.x examples), client products all strings with an int
//! `startnumber` (the 2017 example), pay methods as a plain array.
//!
//! `AddCancelRequest` is not in the fact sheet; it follows WHMCS's action as documented
//! upstream, marked [INFER]: `serviceid`, `type` (`Immediate` | `End of Billing Period`),
//! `reason` → `{"serviceid","userid"}`; `Service ID Not Found`; `Existing Cancellation Request
//! Exists`. Like WHMCS, the request is **stored and the service keeps its status** (staff or
//! the daily cron act on it later).

use super::billing_state::{CancelRequest, Invoice, SsoToken, ZERO_DATETIME, datetime, today, ymd};
use super::clients::paging;
use super::reply::Reply;
use super::request::ApiRequest;
use super::state::{CURRENCY_CODE, WhmcsState};
use rand::RngCore;
use serde_json::{Map, Value, json};
use std::cmp::Ordering;
use time::Duration;

/// How long an SSO token stays valid (reference §5).
pub const SSO_TOKEN_TTL: Duration = Duration::seconds(60);

/// `CreateSsoToken`'s documented destinations.
const DESTINATIONS: &[&str] = &[
    "clientarea:profile",
    "clientarea:billing_info",
    "clientarea:emails",
    "clientarea:announcements",
    "clientarea:downloads",
    "clientarea:knowledgebase",
    "clientarea:network_status",
    "clientarea:services",
    "clientarea:product_details",
    "clientarea:domains",
    "clientarea:domain_details",
    "clientarea:invoices",
    "clientarea:tickets",
    "clientarea:submit_ticket",
    "clientarea:shopping_cart",
    "clientarea:shopping_cart_addons",
    "clientarea:shopping_cart_domain_register",
    "clientarea:shopping_cart_domain_transfer",
    "sso:custom_redirect",
];

/// Yen as WHMCS writes money: `"5280.00"`.
pub fn amount(yen: i64) -> String {
    format!("{yen}.00")
}

fn invoice_row(state: &WhmcsState, inv: &Invoice) -> Value {
    let client = state.clients.get(&inv.client_id);
    let name = |f: fn(&super::state::Client) -> &String| client.map(f).cloned().unwrap_or_default();
    json!({
        "id": inv.id,
        "userid": inv.client_id,
        "firstname": name(|c| &c.firstname),
        "lastname": name(|c| &c.lastname),
        "companyname": name(|c| &c.companyname),
        "invoicenum": inv.invoicenum,
        "date": ymd(inv.date),
        "duedate": ymd(inv.duedate),
        "datepaid": inv.datepaid,
        "last_capture_attempt": ZERO_DATETIME,
        "date_refunded": if inv.status == "Refunded" {
            inv.transactions.last().map_or(ZERO_DATETIME.to_owned(), |t| t.date.clone())
        } else {
            ZERO_DATETIME.to_owned()
        },
        "date_cancelled": ZERO_DATETIME,
        "subtotal": amount(inv.subtotal()),
        "credit": "0.00",
        "tax": amount(inv.tax()),
        "tax2": "0.00",
        "total": amount(inv.total()),
        "taxrate": "10.000",
        "taxrate2": "0.000",
        "status": inv.status,
        "paymentmethod": inv.paymentmethod,
        "paymethodid": null,
        "notes": "",
        "created_at": format!("{} 00:05:12", ymd(inv.date)),
        "updated_at": format!("{} 00:05:12", ymd(inv.date)),
        "currencycode": CURRENCY_CODE,
        "currencyprefix": "¥",
        "currencysuffix": "",
    })
}

/// `GetInvoices`: `userid`, `status` (stored statuses plus `Overdue` = Unpaid and due before
/// today), `orderby` (id, invoicenumber, date, duedate, total, status; default id), `order`
/// (asc default), paging. No `balance` on items, as documented. No match → `"invoices": ""`.
pub fn get_invoices(state: &WhmcsState, req: &ApiRequest) -> Reply {
    let today = today();
    let client = req.get("userid").map(|_| req.int("userid", 0));
    let status = req.get("status").map(str::to_ascii_lowercase);
    let mut matches: Vec<&Invoice> = state
        .billing
        .invoices
        .values()
        .filter(|i| client.is_none_or(|c| i.client_id == c))
        .filter(|i| match status.as_deref() {
            None => true,
            Some("overdue") => i.is_overdue(today),
            Some(s) => i.status.eq_ignore_ascii_case(s),
        })
        .collect();
    let key = req.get("orderby").unwrap_or("id").to_ascii_lowercase();
    matches.sort_by(|a, b| {
        let primary = match key.as_str() {
            "invoicenumber" | "invoicenum" => a.invoicenum.cmp(&b.invoicenum),
            "date" => a.date.cmp(&b.date),
            "duedate" => a.duedate.cmp(&b.duedate),
            "total" => a.total().cmp(&b.total()),
            "status" => a.status.cmp(&b.status),
            _ => Ordering::Equal,
        };
        primary.then(a.id.cmp(&b.id))
    });
    if req
        .get("order")
        .is_some_and(|o| o.eq_ignore_ascii_case("desc"))
    {
        matches.reverse();
    }
    let (start, num) = paging(req);
    let page: Vec<Value> = matches
        .iter()
        .skip(start)
        .take(num)
        .map(|i| invoice_row(state, i))
        .collect();
    let mut out = Map::new();
    out.insert("totalresults".into(), json!(matches.len()));
    out.insert("startnumber".into(), json!(start));
    out.insert("numreturned".into(), json!(page.len()));
    out.insert(
        "invoices".into(),
        if page.is_empty() {
            json!("")
        } else {
            json!({ "invoice": page })
        },
    );
    Reply::success(out)
}

/// `GetInvoice`: top-level fields, `items.item[]`, `transactions` (`""` when none).
pub fn get_invoice(state: &WhmcsState, req: &ApiRequest) -> Reply {
    let Some(inv) = state.billing.invoices.get(&req.int("invoiceid", 0)) else {
        return Reply::error("Invoice ID Not Found");
    };
    let items: Vec<Value> = inv
        .lines
        .iter()
        .map(|l| {
            json!({
                "id": l.id, "type": l.kind, "relid": l.relid, "description": l.description,
                "amount": amount(l.amount), "taxed": i32::from(l.taxed),
            })
        })
        .collect();
    let transactions: Vec<Value> = inv
        .transactions
        .iter()
        .map(|t| {
            json!({
                "id": t.id.to_string(), "userid": inv.client_id.to_string(), "currency": "0",
                "gateway": t.gateway, "date": t.date, "description": "Invoice Payment",
                "amountin": amount(t.amount_in), "fees": "0.00", "amountout": amount(t.amount_out),
                "rate": "1.00000", "transid": t.transid, "invoiceid": inv.id.to_string(),
                "refundid": "0",
            })
        })
        .collect();
    let mut out = Map::new();
    let fields = [
        ("invoiceid", json!(inv.id)),
        ("invoicenum", json!(inv.invoicenum)),
        ("userid", json!(inv.client_id)),
        ("date", json!(ymd(inv.date))),
        ("duedate", json!(ymd(inv.duedate))),
        ("datepaid", json!(inv.datepaid)),
        ("lastcaptureattempt", json!(ZERO_DATETIME)),
        ("subtotal", json!(amount(inv.subtotal()))),
        ("credit", json!("0.00")),
        ("tax", json!(amount(inv.tax()))),
        ("tax2", json!("0.00")),
        ("total", json!(amount(inv.total()))),
        ("balance", json!(amount(inv.balance()))),
        ("taxrate", json!("10.000")),
        ("taxrate2", json!("0.000")),
        ("status", json!(inv.status)),
        ("paymentmethod", json!(inv.paymentmethod)),
        ("notes", json!("")),
        ("ccgateway", json!(inv.paymentmethod == "stripe")),
        ("items", json!({ "item": items })),
        (
            "transactions",
            if transactions.is_empty() {
                json!("")
            } else {
                json!({ "transaction": transactions })
            },
        ),
    ];
    for (k, v) in fields {
        out.insert(k.into(), v);
    }
    Reply::success(out)
}

/// `GetPayMethods`: plain array, no counters, preference order; `remote_token` present (the
/// portal must never show it).
pub fn get_pay_methods(state: &WhmcsState, req: &ApiRequest) -> Reply {
    let Some(client_id) = req.get("clientid").map(|_| req.int("clientid", 0)) else {
        return Reply::error("Client ID Is Required");
    };
    if !state.clients.contains_key(&client_id) {
        return Reply::error("Client Not Found");
    }
    let kind = req.get("type");
    if kind.is_some_and(|k| k != "BankAccount" && k != "CreditCard") {
        return Reply::error("Invalid Pay Method Type. Should be 'BankAccount' or 'CreditCard'");
    }
    let methods: Vec<Value> = state
        .billing
        .pay_methods_of(client_id)
        .filter(|m| kind.is_none_or(|k| m.kind == k))
        .map(|m| {
            let mut v = json!({
                "id": m.id, "type": m.kind, "description": m.description,
                "gateway_name": if m.kind == "CreditCard" { "stripe" } else { "" },
                "contact_type": "Client", "contact_id": client_id,
                "remote_token": format!("{{\"customer\":\"cus_sim_{client_id}\"}}"),
                "last_updated": "17/05/2025 10:01",
            });
            if m.kind == "CreditCard" {
                v["card_last_four"] = json!(m.last_four);
                v["expiry_date"] = json!(m.expiry);
                v["start_date"] = json!("");
                v["issue_number"] = json!("");
                v["card_type"] = json!(m.card_type);
            } else {
                v["bank_name"] = json!(m.bank_name);
            }
            v
        })
        .collect();
    let mut out = Map::new();
    out.insert("clientid".into(), json!(client_id.to_string()));
    out.insert("paymethods".into(), Value::Array(methods));
    Reply::success(out)
}

/// `GetCurrencies`: JPY (id 1, the default: rate 1) and USD.
pub fn get_currencies() -> Reply {
    let mut out = Map::new();
    out.insert("totalresults".into(), json!(2));
    out.insert(
        "currencies".into(),
        json!({ "currency": [
            { "id": 1, "code": "JPY", "prefix": "¥", "suffix": "", "format": 4, "rate": "1.00000" },
            { "id": 2, "code": "USD", "prefix": "$", "suffix": " USD", "format": 1, "rate": "0.00670" },
        ]}),
    );
    Reply::success(out)
}

/// `GetClientsProducts`: `clientid` / `serviceid` filters, paging, every scalar a string
/// except `startnumber`, `customfields` / `configoptions` wrappers, `0000-00-00` dates.
pub fn get_clients_products(state: &WhmcsState, req: &ApiRequest) -> Reply {
    let client = req.get("clientid").map(|_| req.int("clientid", 0));
    let service = req.get("serviceid").map(|_| req.int("serviceid", 0));
    let matches: Vec<_> = state
        .billing
        .services
        .values()
        .filter(|s| client.is_none_or(|c| s.client_id == c))
        .filter(|s| service.is_none_or(|id| s.id == id))
        .collect();
    let (start, num) = paging(req);
    let page: Vec<Value> = matches
        .iter()
        .skip(start)
        .take(num)
        .map(|s| {
            let fields: Vec<Value> = s
                .customfields
                .iter()
                .map(|(id, name, value)| {
                    json!({ "id": id.to_string(), "name": name, "translated_name": name, "value": value })
                })
                .collect();
            let options: Vec<Value> = s
                .configoptions
                .iter()
                .map(|(id, option, value)| {
                    json!({ "id": id.to_string(), "option": option, "type": "dropdown", "value": value })
                })
                .collect();
            json!({
                "id": s.id.to_string(), "qty": "1", "clientid": s.client_id.to_string(),
                "orderid": s.order_id.unwrap_or(s.id + 9000).to_string(), "pid": s.pid.to_string(),
                "regdate": ymd(s.regdate), "name": s.name, "translated_name": s.name,
                "groupname": s.groupname, "translated_groupname": s.groupname, "domain": "",
                "dedicatedip": "", "serverid": "0", "servername": "", "serverip": null,
                "serverhostname": null, "suspensionreason": "",
                "firstpaymentamount": amount(s.first_payment),
                "recurringamount": amount(s.recurring),
                "paymentmethod": "stripe", "paymentmethodname": "Credit Card",
                "billingcycle": s.billingcycle,
                "nextduedate": s.nextduedate.map_or("0000-00-00".to_owned(), ymd),
                "status": s.status, "username": "", "password": "sim-service-password",
                "subscriptionid": "", "promoid": "0", "overideautosuspend": "0",
                "overidesuspenduntil": "0000-00-00", "ns1": "", "ns2": "", "assignedips": "",
                "notes": "", "diskusage": "0", "disklimit": "0", "bwusage": "0", "bwlimit": "0",
                "lastupdate": "0000-00-00 00:00:00",
                "customfields": { "customfield": fields },
                "configoptions": { "configoption": options },
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert(
        "clientid".into(),
        client.map_or(Value::Null, |c| json!(c.to_string())),
    );
    out.insert(
        "serviceid".into(),
        service.map_or(Value::Null, |s| json!(s.to_string())),
    );
    out.insert("pid".into(), Value::Null);
    out.insert("domain".into(), Value::Null);
    out.insert("totalresults".into(), json!(matches.len().to_string()));
    out.insert("startnumber".into(), json!(start));
    out.insert("numreturned".into(), json!(page.len().to_string()));
    out.insert("products".into(), json!({ "product": page }));
    Reply::success(out)
}

/// `CreateSsoToken` for `client_id`: a 40-hex one-time token valid 60 s, redeemed at
/// `{base_url}/oauth/singlesignon.php`. `sso:custom_redirect` lands on `sso_redirect_path`;
/// `clientarea:billing_info` on the pay method list; other destinations on the client-area
/// home. [DESIGN] `return_url` (http/https only) is remembered for the landing pages.
pub fn create_sso_token(state: &mut WhmcsState, req: &ApiRequest, base_url: &str) -> Reply {
    let Some(client_id) = req.get("client_id").map(|_| req.int("client_id", 0)) else {
        return Reply::error("A valid client_id or user_id is required");
    };
    let Some(client) = state.clients.get(&client_id) else {
        return Reply::error("Invalid client_id");
    };
    if client.status == "Closed" || !client.allow_sso {
        return Reply::error(format!("SSO authentication blocked for client {client_id}"));
    }
    let destination = req.get("destination");
    if destination.is_some_and(|d| !DESTINATIONS.contains(&d)) {
        return Reply::error("Invalid destination");
    }
    let path = match destination {
        Some("sso:custom_redirect") => {
            let p = req.get("sso_redirect_path").unwrap_or("clientarea.php");
            format!("/{}", p.trim_start_matches('/'))
        }
        Some("clientarea:billing_info") => "/index.php?rp=/account/paymentmethods".to_owned(),
        Some("clientarea:invoices") => "/clientarea.php?action=invoices".to_owned(),
        _ => "/clientarea.php".to_owned(),
    };
    let return_url = req
        .get("return_url")
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .map(str::to_owned);
    let token = random_hex(20);
    let now = state.billing.now();
    state.billing.sso_tokens.retain(|_, t| t.expires > now);
    state.billing.sso_tokens.insert(
        token.clone(),
        SsoToken {
            client_id,
            path,
            return_url,
            expires: now + SSO_TOKEN_TTL,
        },
    );
    let mut out = Map::new();
    out.insert(
        "redirect_url".into(),
        json!(format!(
            "{}/oauth/singlesignon.php?access_token={token}",
            base_url.trim_end_matches('/')
        )),
    );
    out.insert("access_token".into(), json!(token));
    Reply::success(out)
}

/// `bytes` random bytes as lower-case hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// `AddCancelRequest` ([INFER], see the module doc).
pub fn add_cancel_request(state: &mut WhmcsState, req: &ApiRequest) -> Reply {
    let service_id = req.int("serviceid", 0);
    let Some(service) = state.billing.services.get(&service_id) else {
        return Reply::error("Service ID Not Found");
    };
    let client_id = service.client_id;
    if state
        .billing
        .cancel_requests
        .iter()
        .any(|r| r.service_id == service_id)
    {
        return Reply::error("Existing Cancellation Request Exists");
    }
    let kind = match req.get("type") {
        Some(t) if t.eq_ignore_ascii_case("immediate") => "Immediate",
        _ => "End of Billing Period",
    };
    state.billing.cancel_requests.push(CancelRequest {
        service_id,
        kind: kind.into(),
        reason: req.get("reason").unwrap_or_default().to_owned(),
        date: datetime(state.billing.now()),
    });
    // WHMCS runs its `CancellationRequest` hook here; our hook module announces it.
    let now = state.billing.now();
    state.billing.hook(
        "service.cancellation_requested".into(),
        client_id,
        None,
        Some(service_id),
        now,
    );
    let mut out = Map::new();
    out.insert("serviceid".into(), json!(service_id));
    out.insert("userid".into(), json!(client_id));
    Reply::success(out)
}
