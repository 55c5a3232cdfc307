//! Pure mappers for invoices, pay methods, currencies and services (reference §2.2, §2.3,
//! §2.5, §3). Money is read in the currency a [`CurrencyContext`] gives; `Overdue` is computed
//! against the `today` the caller passes. No I/O; never panics.

use super::parse_money;
use crate::domain::billing::{
    Invoice, InvoiceItem, InvoiceStatus, InvoiceSummary, PayMethod, PayMethodKind, Payment,
};
use crate::domain::common::money::{Currency, Money};
use crate::domain::services::{BillingCycle, CancellationType, Service, ServiceStatus};
use crate::server::integrations::whmcs::Params;
use crate::server::integrations::whmcs::dto::billing::{
    RawCurrency, RawInvoice, RawPayMethod, RawProduct, RawTransaction,
};
use crate::server::integrations::whmcs::dto::de::value_bool;
use crate::server::integrations::whmcs::error::WhmcsError;
use crate::server::integrations::whmcs::model::{CurrencyContext, CurrencyInfo, SsoDestination};
use serde_json::Value;
use std::collections::BTreeMap;
use time::Date;

fn decode(message: impl Into<String>) -> WhmcsError {
    WhmcsError::Decode(message.into())
}

fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A stored invoice status (case, spaces and hyphens ignored). `Overdue` is accepted too, for
/// installs that report it.
pub fn invoice_status(text: &str) -> Option<InvoiceStatus> {
    Some(match squash(text).as_str() {
        "draft" => InvoiceStatus::Draft,
        "unpaid" => InvoiceStatus::Unpaid,
        "overdue" => InvoiceStatus::Overdue,
        "paid" => InvoiceStatus::Paid,
        "cancelled" | "canceled" => InvoiceStatus::Cancelled,
        "refunded" => InvoiceStatus::Refunded,
        "collections" => InvoiceStatus::Collections,
        "paymentpending" => InvoiceStatus::PaymentPending,
        _ => return None,
    })
}

/// The `status` filter value `GetInvoices` takes (`Payment Pending`, `Overdue`…).
pub fn invoice_status_param(status: InvoiceStatus) -> &'static str {
    match status {
        InvoiceStatus::Draft => "Draft",
        InvoiceStatus::Unpaid => "Unpaid",
        InvoiceStatus::Overdue => "Overdue",
        InvoiceStatus::Paid => "Paid",
        InvoiceStatus::Cancelled => "Cancelled",
        InvoiceStatus::Refunded => "Refunded",
        InvoiceStatus::Collections => "Collections",
        InvoiceStatus::PaymentPending => "Payment Pending",
    }
}

/// A service status (§3.3).
pub fn service_status(text: &str) -> Option<ServiceStatus> {
    Some(match squash(text).as_str() {
        "pending" => ServiceStatus::Pending,
        "active" => ServiceStatus::Active,
        "suspended" => ServiceStatus::Suspended,
        "terminated" => ServiceStatus::Terminated,
        "cancelled" | "canceled" => ServiceStatus::Cancelled,
        "fraud" => ServiceStatus::Fraud,
        "completed" => ServiceStatus::Completed,
        _ => return None,
    })
}

/// A billing cycle in display (`Semi-Annually`, `Free Account`, `One Time`, `One-Time`) or
/// system (`semiannually`, `onetime`) spelling (§3.6).
pub fn billing_cycle(text: &str) -> Option<BillingCycle> {
    Some(match squash(text).as_str() {
        "freeaccount" | "free" => BillingCycle::Free,
        "onetime" => BillingCycle::OneTime,
        "monthly" => BillingCycle::Monthly,
        "quarterly" => BillingCycle::Quarterly,
        "semiannually" => BillingCycle::SemiAnnually,
        "annually" => BillingCycle::Annually,
        "biennially" => BillingCycle::Biennially,
        "triennially" => BillingCycle::Triennially,
        _ => return None,
    })
}

/// `AddCancelRequest`'s `type` (§ AddCancelRequest, [INFER] from WHMCS's documented values).
pub fn cancellation_type_param(kind: CancellationType) -> &'static str {
    match kind {
        CancellationType::Immediate => "Immediate",
        CancellationType::EndOfBillingPeriod => "End of Billing Period",
    }
}

/// `CreateSsoToken` parameters for a destination (§5): invoices and adding a card go through
/// `sso:custom_redirect` (the pay-an-invoice flow used in the wild); the pay method list is
/// the documented `clientarea:billing_info`.
pub fn sso_params(client_id: u32, destination: SsoDestination) -> Params {
    let params = Params::new().with("client_id", client_id);
    match destination {
        SsoDestination::InvoicePay(id) => params
            .with("destination", "sso:custom_redirect")
            .with("sso_redirect_path", format!("viewinvoice.php?id={id}")),
        SsoDestination::AddPayMethod => params.with("destination", "sso:custom_redirect").with(
            "sso_redirect_path",
            "index.php?rp=/account/paymentmethods/add",
        ),
        SsoDestination::PayMethods => params.with("destination", "clientarea:billing_info"),
    }
}

/// An amount; blank counts as zero (WHMCS leaves unused money fields empty on some
/// versions). Unreadable → a decode error naming `field`.
fn money(text: &str, currency: Currency, field: &str) -> Result<Money, WhmcsError> {
    if text.trim().is_empty() {
        return Ok(Money::from_minor(0, currency));
    }
    parse_money(text, currency.code()).ok_or_else(|| decode(format!("{field} is not an amount")))
}

/// A percentage `"10.000"` in hundredths of a percent (1000); blank → 0.
pub fn tax_rate_bp(text: &str) -> Option<u32> {
    let text = text.trim();
    if text.is_empty() {
        return Some(0);
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty()
        || !(whole.bytes().all(|b| b.is_ascii_digit()))
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: u32 = whole.parse().ok()?;
    let mut hundredths = 0u32;
    for (i, b) in fraction.bytes().take(2).enumerate() {
        let digit = u32::from(b - b'0');
        hundredths += digit * if i == 0 { 10 } else { 1 };
    }
    whole.checked_mul(100)?.checked_add(hundredths)
}

fn invoice_currency(raw: &RawInvoice, ctx: &CurrencyContext) -> Result<Currency, WhmcsError> {
    ctx.resolve(&raw.currencycode).ok_or_else(|| {
        decode(format!(
            "unsupported invoice currency {:?}",
            raw.currencycode
        ))
    })
}

/// A `GetInvoices` item or `GetInvoice` answer → [`InvoiceSummary`], with `Overdue`
/// computed as of `today`. Requires an id and a known status.
pub fn invoice_summary(
    raw: &RawInvoice,
    ctx: &CurrencyContext,
    today: Date,
) -> Result<InvoiceSummary, WhmcsError> {
    let id = raw
        .any_id()
        .ok_or_else(|| decode("invoice without an id"))?;
    let status = invoice_status(&raw.status)
        .ok_or_else(|| decode(format!("invoice {id} has unknown status {:?}", raw.status)))?;
    let currency = invoice_currency(raw, ctx)?;
    let number = match raw.invoicenum.trim() {
        "" => id.to_string(),
        n => n.to_owned(),
    };
    let balance = match raw.balance.as_deref() {
        Some(text) => Some(money(text, currency, "balance")?),
        None => None,
    };
    Ok(InvoiceSummary {
        id,
        number,
        date: raw.date,
        due_date: raw.duedate,
        date_paid: raw.datepaid,
        total: money(&raw.total, currency, "total")?,
        balance,
        status: status.as_of(raw.duedate, today),
    })
}

/// `GetInvoice` → (owning client id, [`Invoice`]). The owner lets the caller refuse another
/// customer's invoice. Requires the owner.
pub fn invoice(
    raw: &RawInvoice,
    ctx: &CurrencyContext,
    today: Date,
) -> Result<(u32, Invoice), WhmcsError> {
    let summary = invoice_summary(raw, ctx, today)?;
    let owner = raw
        .userid
        .ok_or_else(|| decode(format!("invoice {} has no client", summary.id)))?;
    let currency = summary.total.currency();
    let items = raw
        .items
        .iter()
        .map(|item| {
            Ok(InvoiceItem {
                description: item.description.trim().to_owned(),
                amount: money(&item.amount, currency, "item amount")?,
                taxed: item.taxed,
                service_id: item
                    .relid
                    .filter(|_| item.kind.eq_ignore_ascii_case("hosting")),
            })
        })
        .collect::<Result<Vec<_>, WhmcsError>>()?;
    let payments = raw
        .transactions
        .iter()
        .map(|t| payment(t, currency))
        .collect::<Result<Vec<_>, WhmcsError>>()?;
    let tax = money(&raw.tax, currency, "tax")?;
    let tax2 = money(&raw.tax2, currency, "tax2")?;
    Ok((
        owner,
        Invoice {
            subtotal: money(&raw.subtotal, currency, "subtotal")?,
            tax: tax.checked_add(tax2).unwrap_or(tax),
            tax_rate_bp: tax_rate_bp(&raw.taxrate).unwrap_or(0),
            credit: money(&raw.credit, currency, "credit")?,
            items,
            payments,
            summary,
        },
    ))
}

fn payment(raw: &RawTransaction, currency: Currency) -> Result<Payment, WhmcsError> {
    let received = money(&raw.amountin, currency, "amountin")?;
    let paid_back = money(&raw.amountout, currency, "amountout")?;
    Ok(Payment {
        date: raw.date,
        gateway: raw.gateway.trim().to_owned(),
        amount: Money::from_minor(received.minor().saturating_sub(paid_back.minor()), currency),
        transaction_id: raw.transid.trim().to_owned(),
    })
}

/// `GetPayMethods` → [`PayMethod`]s, in WHMCS's order. The default is the one an install
/// flags, else the first listed ([INFER]: `GetPayMethods` documents no default flag; WHMCS
/// lists pay methods in preference order and charges the first). Entries without an id or
/// of an unknown type are skipped.
pub fn pay_methods(raw: &[RawPayMethod]) -> Vec<PayMethod> {
    let flagged = raw.iter().any(|m| {
        m.is_default
            .as_deref()
            .is_some_and(|d| value_bool(&Value::from(d)))
    });
    let mut out: Vec<PayMethod> = raw
        .iter()
        .filter_map(|m| {
            let id = m.id?;
            let kind = match squash(&m.kind).as_str() {
                "creditcard" | "remotecreditcard" => PayMethodKind::Card,
                "bankaccount" | "remotebankaccount" => PayMethodKind::BankAccount,
                _ => return None,
            };
            let (brand, last4, expiry) = match kind {
                PayMethodKind::Card => (
                    m.card_type.trim().to_owned(),
                    m.card_last_four.as_deref().map(|s| s.trim().to_owned()),
                    m.expiry_date.as_deref().map(|s| s.trim().to_owned()),
                ),
                PayMethodKind::BankAccount => (m.bank_name.trim().to_owned(), None, None),
            };
            Some(PayMethod {
                id,
                kind,
                description: m.description.trim().to_owned(),
                brand,
                last4,
                expiry,
                is_default: flagged
                    && m.is_default
                        .as_deref()
                        .is_some_and(|d| value_bool(&Value::from(d))),
            })
        })
        .collect();
    if !flagged && let Some(first) = out.first_mut() {
        first.is_default = true;
    }
    out
}

/// A `GetCurrencies` entry; `None` without an id.
pub fn currency(raw: &RawCurrency) -> Option<CurrencyInfo> {
    Some(CurrencyInfo {
        id: raw.id?,
        code: raw.code.trim().to_owned(),
        currency: Currency::parse(&raw.code),
        prefix: raw.prefix.clone(),
        suffix: raw.suffix.clone(),
        is_default: raw
            .default
            .as_deref()
            .is_some_and(|d| value_bool(&Value::from(d))),
    })
}

/// A `GetClientsProducts` item → (owning client id, [`Service`]), amounts in the context's
/// default currency (services carry no currency; this reseller's clients all use the
/// default). Requires an id, the owner and a known status. Translated names win when given.
pub fn service(raw: &RawProduct, ctx: &CurrencyContext) -> Result<(u32, Service), WhmcsError> {
    let id = raw.id.ok_or_else(|| decode("service without an id"))?;
    let owner = raw
        .clientid
        .ok_or_else(|| decode(format!("service {id} has no client")))?;
    let status = service_status(&raw.status)
        .ok_or_else(|| decode(format!("service {id} has unknown status {:?}", raw.status)))?;
    let prefer = |translated: &str, plain: &str| {
        let t = translated.trim();
        if t.is_empty() { plain.trim() } else { t }.to_owned()
    };
    let currency = ctx.default;
    let mut custom_fields = BTreeMap::new();
    for field in &raw.customfields {
        let name = prefer(&field.translated_name, &field.name);
        if !name.is_empty() {
            custom_fields.insert(name, field.value.trim().to_owned());
        }
    }
    let mut config_options = BTreeMap::new();
    for option in &raw.configoptions {
        if !option.option.trim().is_empty() {
            config_options.insert(
                option.option.trim().to_owned(),
                option.value.trim().to_owned(),
            );
        }
    }
    Ok((
        owner,
        Service {
            id,
            product: prefer(&raw.translated_name, &raw.name),
            group: prefer(&raw.translated_groupname, &raw.groupname),
            status,
            billing_cycle: billing_cycle(&raw.billingcycle),
            next_due: raw.nextduedate,
            recurring: money(&raw.recurringamount, currency, "recurringamount")?,
            first_payment: money(&raw.firstpaymentamount, currency, "firstpaymentamount")?,
            registered: raw.regdate,
            custom_fields,
            config_options,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::integrations::whmcs::dto::billing::{
        GetClientsProductsResponse, GetCurrenciesResponse, GetInvoicesResponse,
        GetPayMethodsResponse,
    };
    use proptest::prelude::*;
    use serde_json::json;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 03 - 10);

    fn yen() -> CurrencyContext {
        CurrencyContext::new(Currency::Jpy)
    }

    #[test]
    fn get_invoices_reference_example() {
        let raw: GetInvoicesResponse = serde_json::from_value(json!({
            "result":"success","totalresults":3,"startnumber":0,"numreturned":1,
            "invoices":{"invoice":[{
              "id":1042,"userid":7,"invoicenum":"","date":"2026-03-01","duedate":"2026-03-08",
              "datepaid":"0000-00-00 00:00:00","subtotal":"20.00","credit":"0.00","tax":"4.00",
              "tax2":"0.00","total":"24.00","taxrate":"20.000","status":"Unpaid",
              "paymethodid":null,"currencycode":"USD","currencyprefix":"$"}]}}))
        .expect("shape");
        assert_eq!(raw.totalresults, 3);
        let s = invoice_summary(&raw.invoices[0], &yen(), TODAY).expect("maps");
        assert_eq!(s.id, 1042);
        assert_eq!(s.number, "1042");
        assert_eq!(s.total, Money::from_minor(2400, Currency::Usd));
        assert_eq!(s.date_paid, None);
        assert_eq!(s.balance, None);
        assert_eq!(s.status, InvoiceStatus::Overdue, "unpaid, due 2026-03-08");
        let later = invoice_summary(&raw.invoices[0], &yen(), date!(2026 - 03 - 08));
        assert_eq!(later.map(|s| s.status).ok(), Some(InvoiceStatus::Unpaid));
    }

    #[test]
    fn get_invoice_with_items_and_empty_transactions() {
        let raw: RawInvoice = serde_json::from_value(json!({
            "result":"success","invoiceid":"77","invoicenum":"INV-2026-0077","userid":"1001",
            "date":"2026-02-01","duedate":"2026-02-15","datepaid":"2026-02-03 10:00:00",
            "subtotal":"5280.00","credit":"0.00","tax":"528.00","tax2":"0.00","total":"5808.00",
            "balance":"0.00","taxrate":"10.000","status":"Paid","ccgateway":false,
            "items":{"item":[{"id":1,"type":"Hosting","relid":"501","description":"光回線",
                     "amount":"5280.00","taxed":1},
                    {"id":2,"type":"","relid":0,"description":"Fee","amount":"0.00","taxed":"0"}]},
            "transactions":""}))
        .expect("shape");
        let (owner, inv) = invoice(&raw, &yen(), TODAY).expect("maps");
        assert_eq!(owner, 1001);
        assert_eq!(inv.summary.number, "INV-2026-0077");
        assert_eq!(inv.summary.status, InvoiceStatus::Paid);
        assert_eq!(inv.summary.date_paid, Some(date!(2026 - 02 - 03)));
        assert_eq!(inv.summary.balance, Some(Money::yen(0)));
        assert_eq!(inv.tax, Money::yen(528));
        assert_eq!(inv.tax_rate_bp, 1000);
        assert_eq!(inv.items.len(), 2);
        assert_eq!(inv.items[0].service_id, Some(501));
        assert!(inv.items[0].taxed && !inv.items[1].taxed);
        assert_eq!(inv.items[1].service_id, None);
        assert!(inv.payments.is_empty());
    }

    #[test]
    fn transactions_and_refunds() {
        let raw: RawInvoice = serde_json::from_value(json!({
            "invoiceid":5,"userid":1,"status":"Refunded","total":"1100.00",
            "transactions":{"transaction":[
              {"id":"1","gateway":"stripe","date":"2026-01-05 09:00:00","amountin":"1100.00",
               "amountout":"0.00","transid":"ch_1"},
              {"id":"2","gateway":"stripe","date":"2026-01-09 09:00:00","amountin":"0.00",
               "amountout":"1100.00","transid":"re_1"}]}}))
        .expect("shape");
        let (_, inv) = invoice(&raw, &yen(), TODAY).expect("maps");
        let amounts: Vec<i64> = inv.payments.iter().map(|p| p.amount.minor()).collect();
        assert_eq!(amounts, vec![1100, -1100]);
        assert_eq!(inv.payments[1].transaction_id, "re_1");
    }

    #[test]
    fn refused_invoices() {
        for bad in [
            json!({"userid":1,"status":"Paid","total":"1"}),
            json!({"id":1,"userid":1,"status":"Weird","total":"1"}),
            json!({"id":1,"userid":1,"status":"Paid","total":"1.5"}),
            json!({"id":1,"userid":1,"status":"Paid","total":"1","currencycode":"EUR"}),
        ] {
            let raw: RawInvoice = serde_json::from_value(bad.clone()).expect("shape");
            assert!(invoice_summary(&raw, &yen(), TODAY).is_err(), "{bad}");
        }
        let raw: RawInvoice =
            serde_json::from_value(json!({"id":1,"status":"Paid","total":"1"})).expect("shape");
        assert!(invoice(&raw, &yen(), TODAY).is_err(), "no owner");
    }

    #[test]
    fn statuses_and_cycles_in_every_spelling() {
        assert_eq!(
            invoice_status("Payment Pending"),
            Some(InvoiceStatus::PaymentPending)
        );
        assert_eq!(invoice_status("CANCELLED"), Some(InvoiceStatus::Cancelled));
        assert_eq!(
            invoice_status_param(InvoiceStatus::PaymentPending),
            "Payment Pending"
        );
        for status in InvoiceStatus::ALL {
            assert_eq!(invoice_status(invoice_status_param(status)), Some(status));
        }
        let cycles = [
            ("Free Account", BillingCycle::Free),
            ("One Time", BillingCycle::OneTime),
            ("One-Time", BillingCycle::OneTime),
            ("Monthly", BillingCycle::Monthly),
            ("Quarterly", BillingCycle::Quarterly),
            ("Semi-Annually", BillingCycle::SemiAnnually),
            ("semiannually", BillingCycle::SemiAnnually),
            ("Annually", BillingCycle::Annually),
            ("Biennially", BillingCycle::Biennially),
            ("Triennially", BillingCycle::Triennially),
        ];
        for (text, cycle) in cycles {
            assert_eq!(billing_cycle(text), Some(cycle), "{text}");
        }
        assert_eq!(billing_cycle("Weekly"), None);
        assert_eq!(
            service_status("Terminated"),
            Some(ServiceStatus::Terminated)
        );
        assert_eq!(service_status("Building"), None);
        assert_eq!(tax_rate_bp("10.000"), Some(1000));
        assert_eq!(tax_rate_bp("8"), Some(800));
        assert_eq!(tax_rate_bp("0.5"), Some(50));
        assert_eq!(tax_rate_bp("x"), None);
    }

    #[test]
    fn get_clients_products_reference_example() {
        let raw: GetClientsProductsResponse = serde_json::from_value(json!({
            "result":"success","clientid":"1","serviceid":null,"pid":null,"domain":null,
            "totalresults":"2","startnumber":0,"numreturned":"2","products":{"product":[
              {"id":"1","clientid":"1","orderid":"1","pid":"1","regdate":"2015-01-01",
               "name":"Starter","translated_name":"Starter","groupname":"Web Hosting",
               "translated_groupname":"Web Hosting","firstpaymentamount":"12.95",
               "recurringamount":"12.95","billingcycle":"Monthly","nextduedate":"2016-02-01",
               "status":"Active","password":"secret","overidesuspenduntil":"0000-00-00",
               "customfields":{"customfield":[{"id":"1","name":"Phone Number",
                 "translated_name":"電話番号","value":"090-1111-2222"}]},
               "configoptions":{"configoption":[{"id":"1","option":"Data","type":"dropdown",
                 "value":"20GB"}]}},
              {"id":"2","clientid":"1","regdate":"0000-00-00","name":"Free plan",
               "groupname":"Web Hosting","firstpaymentamount":"0.00","recurringamount":"0.00",
               "billingcycle":"Free Account","nextduedate":"0000-00-00","status":"Pending",
               "customfields":{"customfield":[]},"configoptions":""}]}}))
        .expect("shape");
        assert_eq!(raw.totalresults, 2);
        let usd = CurrencyContext::new(Currency::Usd);
        let (owner, first) = service(&raw.products[0], &usd).expect("maps");
        assert_eq!(owner, 1);
        assert_eq!(first.recurring, Money::from_minor(1295, Currency::Usd));
        assert_eq!(first.billing_cycle, Some(BillingCycle::Monthly));
        assert_eq!(first.next_due, Some(date!(2016 - 02 - 01)));
        assert_eq!(
            first.custom_fields.get("電話番号").map(String::as_str),
            Some("090-1111-2222")
        );
        assert_eq!(
            first.config_options.get("Data").map(String::as_str),
            Some("20GB")
        );
        let (_, second) = service(&raw.products[1], &usd).expect("maps");
        assert_eq!((second.next_due, second.registered), (None, None));
        assert_eq!(second.billing_cycle, Some(BillingCycle::Free));
        assert!(second.custom_fields.is_empty() && second.config_options.is_empty());
    }

    #[test]
    fn pay_methods_and_currencies() {
        let raw: GetPayMethodsResponse = serde_json::from_value(json!({
            "result":"success","clientid":"1","paymethods":[
              {"id":1,"type":"CreditCard","description":"","gateway_name":"","card_last_four":"4242",
               "expiry_date":"02/29","card_type":"Visa","remote_token":"{\"x\":1}"},
              {"id":"2","type":"BankAccount","description":"給与口座","bank_name":"みずほ銀行"},
              {"id":3,"type":"Crypto"}]}))
        .expect("shape");
        let methods = pay_methods(&raw.paymethods);
        assert_eq!(methods.len(), 2);
        assert!(methods[0].is_default && !methods[1].is_default);
        assert_eq!(methods[0].last4.as_deref(), Some("4242"));
        assert_eq!(methods[1].kind, PayMethodKind::BankAccount);
        assert_eq!(methods[1].brand, "みずほ銀行");
        let raw: GetCurrenciesResponse = serde_json::from_value(json!({
            "result":"success","totalresults":2,"currencies":{"currency":[
              {"id":"2","code":"USD","prefix":"$","suffix":" USD","format":"1","rate":"0.0067"},
              {"id":1,"code":"JPY","prefix":"¥","suffix":"","format":1,"rate":"1.00000"}]}}))
        .expect("shape");
        let list: Vec<_> = raw.currencies.iter().filter_map(currency).collect();
        assert_eq!(list.len(), 2);
        assert_eq!(
            CurrencyContext::from_currencies(&list),
            Some(CurrencyContext::new(Currency::Jpy))
        );
    }

    #[test]
    fn sso_parameters() {
        let p = sso_params(1001, SsoDestination::InvoicePay(77));
        assert_eq!(p.get("destination"), Some("sso:custom_redirect"));
        assert_eq!(p.get("sso_redirect_path"), Some("viewinvoice.php?id=77"));
        assert_eq!(p.get("client_id"), Some("1001"));
        let p = sso_params(1, SsoDestination::PayMethods);
        assert_eq!(p.get("destination"), Some("clientarea:billing_info"));
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            ".{0,12}".prop_map(Value::String),
            Just(json!("0000-00-00")),
            Just(json!("Unpaid")),
            Just(json!("12.50")),
            Just(json!("JPY")),
        ];
        leaf.prop_recursive(3, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("id".to_owned()),
                        Just("userid".to_owned()),
                        Just("clientid".to_owned()),
                        Just("status".to_owned()),
                        Just("total".to_owned()),
                        Just("balance".to_owned()),
                        Just("items".to_owned()),
                        Just("item".to_owned()),
                        Just("transactions".to_owned()),
                        Just("amountin".to_owned()),
                        Just("customfields".to_owned()),
                        Just("type".to_owned()),
                        Just("currencycode".to_owned()),
                        "[a-z]{1,6}"
                    ],
                    inner,
                    0..6
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn mappers_never_panic(v in arb_json(), rate in ".{0,12}") {
            if let Ok(raw) = serde_json::from_value::<RawInvoice>(v.clone()) {
                let _ = invoice(&raw, &yen(), TODAY);
            }
            if let Ok(raw) = serde_json::from_value::<RawProduct>(v.clone()) {
                let _ = service(&raw, &yen());
            }
            if let Ok(raw) = serde_json::from_value::<GetPayMethodsResponse>(v.clone()) {
                let _ = pay_methods(&raw.paymethods);
            }
            if let Ok(raw) = serde_json::from_value::<RawCurrency>(v) {
                let _ = currency(&raw);
            }
            let _ = tax_rate_bp(&rate);
            let _ = billing_cycle(&rate);
        }
    }
}
