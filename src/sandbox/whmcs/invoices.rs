//! The simulator's invoice-making and card-charging actions (reference `whmcs.md` §2.3):
//!
//! - `CreateInvoice`: `userid` (required), `status` (default `Unpaid`; `draft=1` is refused
//!   here because nothing in the sandbox publishes drafts), `sendinvoice` (ignored: the
//!   sandbox mails nobody), `paymentmethod`, `date`, `duedate` and numbered lines
//!   `itemdescriptionN` / `itemamountN` / `itemtaxedN` from N = 1. Answers
//!   `{"result":"success","invoiceid":N,"status":"Unpaid"}`; an unknown client is
//!   `Client ID Not Found`.
//! - `CapturePayment`: `invoiceid`; charges the client's **default** pay method (the first
//!   listed). Refusals as WHMCS words them: `Invoice Not Found or Not Unpaid` for an unknown,
//!   paid or cancelled invoice, and `Payment Attempt Failed` when the client has no card as
//!   default (none at all, or a bank account first), when the card is the gateway's "always
//!   declines" test card (last four `0002`, as Stripe's `4000 0000 0000 0002`), or when the
//!   control API injected the provider fault `payment_failed`. A failed capture leaves the
//!   invoice Unpaid; a successful one records the transaction, marks the invoice Paid and
//!   raises `InvoicePaid`.

use super::billing_state::today;
use super::reply::Reply;
use super::request::ApiRequest;
use super::state::WhmcsState;
use serde_json::{Map, Value, json};
use time::{Date, Duration};

/// The provider fault code that makes the next capture fail.
pub const DECLINE_FAULT: &str = "payment_failed";
/// WHMCS's refusal for a capture that did not go through.
pub const PAYMENT_FAILED: &str = "Payment Attempt Failed";
/// WHMCS's refusal for capturing an unknown or settled invoice.
pub const NOT_UNPAID: &str = "Invoice Not Found or Not Unpaid";
/// The last four digits of the card the simulated gateway always declines.
pub const DECLINED_CARD_LAST_FOUR: &str = "0002";
/// Lines read from one `CreateInvoice` call (WHMCS has no documented maximum; the sandbox
/// stops at a generous bound rather than scanning forever).
const MAX_LINES: u32 = 100;

/// A `YYYY-MM-DD` parameter, when given and valid.
fn date_param(req: &ApiRequest, key: &str) -> Option<Date> {
    let text = req.get(key)?;
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).ok()
}

/// Whole yen of a decimal string (`"500.00"`, `"500"`); the sandbox bills in yen only.
fn yen(text: &str) -> Option<i64> {
    let whole = text.trim().split('.').next()?;
    whole.parse().ok()
}

/// `CreateInvoice`.
pub fn create_invoice(state: &mut WhmcsState, req: &ApiRequest) -> Reply {
    let client_id = req.int("userid", 0);
    if !state.clients.contains_key(&client_id) {
        return Reply::error("Client ID Not Found");
    }
    if req.flag("draft") || req.get("status").is_some_and(|s| s != "Unpaid") {
        return Reply::error("Invalid status: the sandbox creates Unpaid invoices only");
    }
    let mut items = Vec::new();
    for n in 1..=MAX_LINES {
        let Some(description) = req.get(&format!("itemdescription{n}")) else {
            break;
        };
        let Some(amount) = req.get(&format!("itemamount{n}")).and_then(yen) else {
            return Reply::error(format!("Invalid amount for item {n}"));
        };
        items.push((
            description.to_owned(),
            amount,
            req.flag(&format!("itemtaxed{n}")),
        ));
    }
    let date = date_param(req, "date").unwrap_or_else(today);
    let due = date_param(req, "duedate").unwrap_or(date + Duration::days(7));
    let gateway = req.get("paymentmethod").unwrap_or("stripe").to_owned();
    let id = state
        .billing
        .add_manual_invoice(client_id, date, due, &items, &gateway);
    let mut out = Map::new();
    out.insert("invoiceid".into(), json!(id));
    out.insert("status".into(), Value::from("Unpaid"));
    Reply::success(out)
}

/// `CapturePayment`; `declined` is the injected `payment_failed` fault.
pub fn capture_payment(state: &mut WhmcsState, req: &ApiRequest, declined: bool) -> Reply {
    let invoice_id = req.int("invoiceid", 0);
    let Some(invoice) = state.billing.invoices.get(&invoice_id) else {
        return Reply::error(NOT_UNPAID);
    };
    if invoice.status != "Unpaid" {
        return Reply::error(NOT_UNPAID);
    }
    let client_id = invoice.client_id;
    let gateway = invoice.paymentmethod.clone();
    let chargeable = state
        .billing
        .pay_methods_of(client_id)
        .next()
        .is_some_and(|m| m.kind == "CreditCard" && m.last_four != DECLINED_CARD_LAST_FOUR);
    if declined || !chargeable {
        return Reply::error(PAYMENT_FAILED);
    }
    let now = state.billing.now();
    if state.billing.pay_invoice(invoice_id, &gateway, now) {
        Reply::success(Map::new())
    } else {
        Reply::error(NOT_UNPAID)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::SeedData;

    fn seeded() -> WhmcsState {
        WhmcsState::seeded(&SeedData::built_in().expect("seed"))
    }

    fn req(body: &str) -> ApiRequest {
        ApiRequest::parse(None, body.as_bytes())
    }

    fn field(reply: &Reply, key: &str) -> Option<Value> {
        match reply {
            Reply::Success(fields) => fields.get(key).cloned(),
            Reply::Error { .. } => None,
        }
    }

    fn refusal(reply: &Reply) -> Option<&str> {
        match reply {
            Reply::Error { message, .. } => Some(message),
            Reply::Success(_) => None,
        }
    }

    #[test]
    fn an_invoice_is_created_unpaid_then_captured_once() {
        let mut state = seeded();
        let created = create_invoice(
            &mut state,
            &req(
                "userid=1001&sendinvoice=0&paymentmethod=stripe&itemdescription1=Data+top-up+1+GB&itemamount1=500.00&itemtaxed1=1",
            ),
        );
        let id = field(&created, "invoiceid")
            .and_then(|v| v.as_u64())
            .and_then(|v| u32::try_from(v).ok())
            .expect("an id");
        let invoice = state.billing.invoices.get(&id).expect("stored");
        assert_eq!(invoice.status, "Unpaid");
        assert_eq!(invoice.total(), 550);
        assert_eq!(invoice.lines[0].relid, 0);

        let body = format!("invoiceid={id}");
        assert_eq!(
            refusal(&capture_payment(&mut state, &req(&body), false)),
            None
        );
        let invoice = state.billing.invoices.get(&id).expect("stored");
        assert_eq!(invoice.status, "Paid");
        assert_eq!(invoice.balance(), 0);
        assert_eq!(invoice.transactions.len(), 1);
        assert_eq!(
            refusal(&capture_payment(&mut state, &req(&body), false)),
            Some(NOT_UNPAID),
            "never charged twice"
        );
    }

    #[test]
    fn refusals_leave_the_invoice_unpaid() {
        let mut state = seeded();
        assert_eq!(
            refusal(&create_invoice(
                &mut state,
                &req("userid=9999&itemdescription1=x&itemamount1=1")
            )),
            Some("Client ID Not Found")
        );
        assert_eq!(
            refusal(&capture_payment(
                &mut state,
                &req("invoiceid=999999"),
                false
            )),
            Some(NOT_UNPAID)
        );
        let created = create_invoice(
            &mut state,
            &req("userid=1001&itemdescription1=x&itemamount1=500&itemtaxed1=1"),
        );
        let id = field(&created, "invoiceid").expect("id");
        let body = format!("invoiceid={id}");
        assert_eq!(
            refusal(&capture_payment(&mut state, &req(&body), true)),
            Some(PAYMENT_FAILED)
        );
        // Hanako's card removed: her bank account becomes the default, which cannot be
        // captured.
        let card = state
            .billing
            .pay_methods_of(1001)
            .next()
            .map(|m| m.id)
            .expect("card");
        let now = state.billing.now();
        assert!(state.billing.remove_pay_method(1001, card, now));
        assert_eq!(
            refusal(&capture_payment(&mut state, &req(&body), false)),
            Some(PAYMENT_FAILED)
        );
        let declined = state
            .billing
            .add_card(1001, "Visa", DECLINED_CARD_LAST_FOUR, "12/30", "");
        state.billing.make_default(declined);
        assert_eq!(
            refusal(&capture_payment(&mut state, &req(&body), false)),
            Some(PAYMENT_FAILED)
        );
        assert_eq!(field(&created, "status"), Some(Value::from("Unpaid")));
        let invoice = id
            .as_u64()
            .and_then(|id| u32::try_from(id).ok())
            .and_then(|id| state.billing.invoices.get(&id))
            .expect("stored");
        assert_eq!(invoice.status, "Unpaid");
        assert!(invoice.transactions.is_empty());
    }
}
