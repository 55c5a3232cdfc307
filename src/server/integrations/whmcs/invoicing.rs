//! Charging a customer for something the portal sells outside an order (a SIM data top-up):
//! `CreateInvoice` with manual lines, `CapturePayment` against the client's default pay
//! method, and a light `GetInvoice` read of an invoice's status and owner.
//!
//! Neither write is ever repeated by the client (only reads are; see `client::is_read`):
//! a `CreateInvoice` repeated after a lost reply would bill twice, and a repeated
//! `CapturePayment` is exactly the double charge the caller must avoid. After an uncertain
//! capture (a time-out, a proxy's 5xx) the caller reads the invoice's status with
//! [`WhmcsClient::invoice_status`] instead of capturing again.

use super::client::{Params, WhmcsClient};
use super::dto::billing::RawInvoice;
use super::dto::de;
use super::error::WhmcsError;
use serde::Deserialize;
use time::Date;

/// WHMCS's answer when a capture was attempted and refused (no card, card declined).
pub const PAYMENT_ATTEMPT_FAILED: &str = "Payment Attempt Failed";
/// WHMCS's answer when the invoice does not exist or is no longer Unpaid.
pub const NOT_FOUND_OR_NOT_UNPAID: &str = "Invoice Not Found or Not Unpaid";

/// One manual invoice line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceItem {
    /// What the customer reads on the invoice.
    pub description: String,
    /// Yen, before tax.
    pub amount_jpy: i64,
    /// Whether consumption tax applies.
    pub taxed: bool,
}

/// An invoice to create for a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvoice {
    /// The WHMCS client.
    pub client_id: u32,
    /// Gateway system name (`paymentmethod`).
    pub payment_method: String,
    /// Issue date.
    pub date: Date,
    /// Due date.
    pub due_date: Date,
    /// Lines, in order.
    pub items: Vec<InvoiceItem>,
}

/// What a capture came to, when WHMCS answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capture {
    /// Charged: the invoice is Paid.
    Paid,
    /// Refused (`Payment Attempt Failed`): nothing charged, the invoice stays Unpaid.
    Declined,
    /// The invoice is not Unpaid (already paid, cancelled) or unknown: nothing charged now.
    NotUnpaid,
}

/// An invoice's status and owner, as `GetInvoice` reports them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceStatusRead {
    /// The owning client.
    pub client_id: Option<u32>,
    /// `Unpaid`, `Paid`, `Cancelled`, `Payment Pending`…
    pub status: String,
}

impl InvoiceStatusRead {
    /// True once WHMCS holds the money.
    pub fn is_paid(&self) -> bool {
        self.status.eq_ignore_ascii_case("Paid")
    }
}

/// `CreateInvoice`: `{"invoiceid":"7","status":"Unpaid"}`.
#[derive(Debug, Clone, Default, Deserialize)]
struct CreateInvoiceResponse {
    #[serde(default, deserialize_with = "de::opt_id")]
    invoiceid: Option<u32>,
}

fn ymd(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The `CreateInvoice` form fields (pure, for tests). Lines are numbered from 1, as WHMCS
/// reads them; the invoice is Unpaid at once and no email goes out (the portal tells the
/// customer itself).
pub fn create_invoice_params(invoice: &NewInvoice) -> Params {
    let mut params = Params::new()
        .with("userid", invoice.client_id)
        .with("status", "Unpaid")
        .with("sendinvoice", "0")
        .with("paymentmethod", &invoice.payment_method)
        .with("date", ymd(invoice.date))
        .with("duedate", ymd(invoice.due_date));
    for (i, item) in invoice.items.iter().enumerate() {
        let n = i + 1;
        params.push(format!("itemdescription{n}"), &item.description);
        params.push(format!("itemamount{n}"), format!("{}.00", item.amount_jpy));
        params.push(format!("itemtaxed{n}"), u8::from(item.taxed));
    }
    params
}

impl WhmcsClient {
    /// `CreateInvoice`: an Unpaid invoice for the client; returns its id.
    pub async fn create_invoice(&self, invoice: &NewInvoice) -> Result<u32, WhmcsError> {
        let response: CreateInvoiceResponse = self
            .call_as("CreateInvoice", &create_invoice_params(invoice))
            .await?;
        response
            .invoiceid
            .ok_or_else(|| WhmcsError::Decode("CreateInvoice: no invoiceid".into()))
    }

    /// `CapturePayment`: charges the client's default pay method for the invoice's balance.
    /// WHMCS's refusals come back as [`Capture::Declined`] / [`Capture::NotUnpaid`]; a
    /// transport failure or time-out is an `Err` whose outcome is unknown — read the invoice
    /// ([`invoice_status`](Self::invoice_status)), never capture again blindly.
    pub async fn capture_payment(&self, invoice_id: u32) -> Result<Capture, WhmcsError> {
        let params = Params::new().with("invoiceid", invoice_id);
        match self.call("CapturePayment", &params).await {
            Ok(_) => Ok(Capture::Paid),
            Err(err) if err.message_is(PAYMENT_ATTEMPT_FAILED) => Ok(Capture::Declined),
            Err(err) if err.message_is(NOT_FOUND_OR_NOT_UNPAID) => Ok(Capture::NotUnpaid),
            Err(err) => Err(err),
        }
    }

    /// An invoice's status and owner (`GetInvoice`); unknown id → [`WhmcsError::NotFound`].
    pub async fn invoice_status(&self, invoice_id: u32) -> Result<InvoiceStatusRead, WhmcsError> {
        let params = Params::new().with("invoiceid", invoice_id);
        let raw: RawInvoice = self.call_as("GetInvoice", &params).await?;
        Ok(InvoiceStatusRead {
            client_id: raw.userid,
            status: raw.status.trim().to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use time::macros::date;

    #[test]
    fn create_invoice_numbers_lines_from_one_and_sends_no_mail() {
        let invoice = NewInvoice {
            client_id: 1001,
            payment_method: "stripe".into(),
            date: date!(2026 - 11 - 22),
            due_date: date!(2026 - 11 - 29),
            items: vec![InvoiceItem {
                description: "Data top-up 3 GB for 090-1234-5678".into(),
                amount_jpy: 1500,
                taxed: true,
            }],
        };
        let params = create_invoice_params(&invoice);
        let got: BTreeMap<&str, &str> = params.iter().collect();
        assert_eq!(got["userid"], "1001");
        assert_eq!(got["status"], "Unpaid");
        assert_eq!(got["sendinvoice"], "0");
        assert_eq!(got["paymentmethod"], "stripe");
        assert_eq!(got["date"], "2026-11-22");
        assert_eq!(got["duedate"], "2026-11-29");
        assert_eq!(
            got["itemdescription1"],
            "Data top-up 3 GB for 090-1234-5678"
        );
        assert_eq!(got["itemamount1"], "1500.00");
        assert_eq!(got["itemtaxed1"], "1");
        assert!(!got.contains_key("itemdescription0"));
    }
}
