//! Raw shapes of the billing and services actions (reference §2.2, §2.3, §2.5, §5):
//! `GetInvoices`, `GetInvoice`, `GetPayMethods`, `GetCurrencies`, `GetClientsProducts`,
//! `CreateSsoToken`, `AddCancelRequest`. Every field defaults; the mappers decide what is
//! required.

use super::de;
use serde::Deserialize;

/// `GetInvoices`: counters and `invoices.invoice[]`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GetInvoicesResponse {
    /// Matching invoices in all.
    #[serde(default, deserialize_with = "de::u32_or_zero")]
    pub totalresults: u32,
    /// Offset of this page.
    #[serde(default, deserialize_with = "de::u32_or_zero")]
    pub startnumber: u32,
    /// Invoices on this page.
    #[serde(default, deserialize_with = "de::u32_or_zero")]
    pub numreturned: u32,
    /// The invoices (wrapped, `""` or missing when none).
    #[serde(default, deserialize_with = "de::list_or_empty")]
    pub invoices: Vec<RawInvoice>,
}

/// An invoice: a `GetInvoices` item, or `GetInvoice`'s top level (which names the id
/// `invoiceid` and adds `balance`, `items` and `transactions`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawInvoice {
    /// Invoice id (`GetInvoices`).
    #[serde(default, deserialize_with = "de::opt_id")]
    pub id: Option<u32>,
    /// Invoice id (`GetInvoice`).
    #[serde(default, deserialize_with = "de::opt_id")]
    pub invoiceid: Option<u32>,
    /// The sequential number when enabled, else `""`.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub invoicenum: String,
    /// The owning client's id.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub userid: Option<u32>,
    /// Issue date.
    #[serde(default, deserialize_with = "de::zero_date")]
    pub date: Option<time::Date>,
    /// Due date.
    #[serde(default, deserialize_with = "de::zero_date")]
    pub duedate: Option<time::Date>,
    /// Paid date(time), `0000-00-00 00:00:00` when unpaid.
    #[serde(default, deserialize_with = "de::zero_date")]
    pub datepaid: Option<time::Date>,
    /// Decimal string.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub subtotal: String,
    /// Decimal string.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub credit: String,
    /// Decimal string.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub tax: String,
    /// Decimal string (second tax level).
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub tax2: String,
    /// Decimal string.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub total: String,
    /// Decimal string; documented on `GetInvoice` only.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub balance: Option<String>,
    /// Percent as a decimal string (`"10.000"`).
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub taxrate: String,
    /// Stored status (`Unpaid`, `Payment Pending`…).
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub status: String,
    /// ISO code (`GetInvoices` only).
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub currencycode: String,
    /// Lines (`GetInvoice`).
    #[serde(default, deserialize_with = "de::list_or_empty")]
    pub items: Vec<RawInvoiceItem>,
    /// Payments (`GetInvoice`; `""` when none).
    #[serde(default, deserialize_with = "de::list_or_empty")]
    pub transactions: Vec<RawTransaction>,
}

impl RawInvoice {
    /// The id under either name.
    pub fn any_id(&self) -> Option<u32> {
        self.invoiceid.or(self.id)
    }
}

/// `items.item[]`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawInvoiceItem {
    /// Line id.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub id: Option<u32>,
    /// `Hosting` (relid = service id), `DomainRegister`, `""`…
    #[serde(default, rename = "type", deserialize_with = "de::string_or_number")]
    pub kind: String,
    /// Related record id (`0` for none).
    #[serde(default, deserialize_with = "de::opt_id")]
    pub relid: Option<u32>,
    /// Text (may embed a locale-formatted period).
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub description: String,
    /// Decimal string.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub amount: String,
    /// `0`/`1`, bool or string.
    #[serde(default, deserialize_with = "de::boolish")]
    pub taxed: bool,
}

/// `transactions.transaction[]` (all strings in the documented examples).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawTransaction {
    /// Transaction id.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub id: Option<u32>,
    /// Gateway module name.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub gateway: String,
    /// Datetime.
    #[serde(default, deserialize_with = "de::zero_date")]
    pub date: Option<time::Date>,
    /// Money received, decimal string.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub amountin: String,
    /// Money paid back (refunds), decimal string.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub amountout: String,
    /// Gateway reference.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub transid: String,
}

/// `GetPayMethods`: a plain array, no counters.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GetPayMethodsResponse {
    /// The client's pay methods.
    #[serde(default, deserialize_with = "de::list_or_empty")]
    pub paymethods: Vec<RawPayMethod>,
}

/// A pay method.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawPayMethod {
    /// Id.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub id: Option<u32>,
    /// `CreditCard`, `RemoteCreditCard`, `BankAccount`, `RemoteBankAccount`.
    #[serde(default, rename = "type", deserialize_with = "de::string_or_number")]
    pub kind: String,
    /// The label.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub description: String,
    /// Cards: last four digits.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub card_last_four: Option<String>,
    /// Cards: `MM/YY`.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub expiry_date: Option<String>,
    /// Cards: brand (`Visa`).
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub card_type: String,
    /// Banks: bank name.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub bank_name: String,
    /// Not documented; read when an install sends it ([INFER]).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub is_default: Option<String>,
}

/// `GetCurrencies`: `currencies.currency[]`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GetCurrenciesResponse {
    /// The install's currencies.
    #[serde(default, deserialize_with = "de::list_or_empty")]
    pub currencies: Vec<RawCurrency>,
}

/// A currency.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawCurrency {
    /// Currency id (clients reference it).
    #[serde(default, deserialize_with = "de::opt_id")]
    pub id: Option<u32>,
    /// ISO code.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub code: String,
    /// Display prefix (`¥`).
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub prefix: String,
    /// Display suffix (` JPY`).
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub suffix: String,
    /// Exchange rate to the default currency (`"1.00000"` for the default).
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub rate: String,
    /// Not documented; read when an install sends it ([INFER]).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub default: Option<String>,
}

/// `GetClientsProducts`: counters and `products.product[]`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GetClientsProductsResponse {
    /// Matching services in all.
    #[serde(default, deserialize_with = "de::u32_or_zero")]
    pub totalresults: u32,
    /// Services on this page.
    #[serde(default, deserialize_with = "de::u32_or_zero")]
    pub numreturned: u32,
    /// The services.
    #[serde(default, deserialize_with = "de::list_or_empty")]
    pub products: Vec<RawProduct>,
}

/// A client's service (all strings in the documented example).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawProduct {
    /// Service id.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub id: Option<u32>,
    /// Owning client.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub clientid: Option<u32>,
    /// Registration date.
    #[serde(default, deserialize_with = "de::zero_date")]
    pub regdate: Option<time::Date>,
    /// Product name.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub name: String,
    /// Product name in the client's language.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub translated_name: String,
    /// Product group.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub groupname: String,
    /// Product group in the client's language.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub translated_groupname: String,
    /// Decimal string.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub firstpaymentamount: String,
    /// Decimal string.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub recurringamount: String,
    /// Display name (`Monthly`, `Semi-Annually`, `Free Account`…).
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub billingcycle: String,
    /// Next due date (`0000-00-00` for free / one-time).
    #[serde(default, deserialize_with = "de::zero_date")]
    pub nextduedate: Option<time::Date>,
    /// Status.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub status: String,
    /// `customfields.customfield[]`.
    #[serde(default, deserialize_with = "de::list_or_empty")]
    pub customfields: Vec<RawCustomField>,
    /// `configoptions.configoption[]`.
    #[serde(default, deserialize_with = "de::list_or_empty")]
    pub configoptions: Vec<RawConfigOption>,
}

/// A service custom field.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawCustomField {
    /// Field name.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub name: String,
    /// Field name in the client's language.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub translated_name: String,
    /// Value.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub value: String,
}

/// A service configurable option.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawConfigOption {
    /// Option name.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub option: String,
    /// `dropdown`, `quantity`…
    #[serde(default, rename = "type", deserialize_with = "de::string_or_number")]
    pub kind: String,
    /// Chosen value.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub value: String,
}

/// `CreateSsoToken`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SsoTokenResponse {
    /// Where to send the browser.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub redirect_url: String,
}

/// `AddCancelRequest`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CancelRequestResponse {
    /// The service.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub serviceid: Option<u32>,
}
