//! Billing as the portal shows it: invoices (with their lines and payments), pages of them,
//! and the customer's stored payment methods. Provider-neutral; the WHMCS adapter maps into
//! these types.

use super::common::money::Money;
use serde::{Deserialize, Serialize};
use time::Date;

/// An invoice's status. `Overdue` is not stored by the billing system: it is an unpaid
/// invoice whose due date has passed, computed when the invoice is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InvoiceStatus {
    /// Being prepared; not yet sent to the customer.
    Draft,
    /// Sent and awaiting payment, not yet past its due date.
    Unpaid,
    /// Unpaid and past its due date (computed).
    Overdue,
    /// Paid in full.
    Paid,
    /// Cancelled; nothing is owed.
    Cancelled,
    /// Paid, then refunded.
    Refunded,
    /// Handed to collections.
    Collections,
    /// A payment was made and awaits the gateway's confirmation.
    PaymentPending,
}

impl InvoiceStatus {
    /// Every status, in the order a filter menu lists them.
    pub const ALL: [InvoiceStatus; 8] = [
        InvoiceStatus::Unpaid,
        InvoiceStatus::Overdue,
        InvoiceStatus::Paid,
        InvoiceStatus::PaymentPending,
        InvoiceStatus::Draft,
        InvoiceStatus::Cancelled,
        InvoiceStatus::Refunded,
        InvoiceStatus::Collections,
    ];

    /// A stable lower-case key (URLs, CSS classes, translation keys).
    pub fn key(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::Unpaid => "unpaid",
            InvoiceStatus::Overdue => "overdue",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Cancelled => "cancelled",
            InvoiceStatus::Refunded => "refunded",
            InvoiceStatus::Collections => "collections",
            InvoiceStatus::PaymentPending => "payment_pending",
        }
    }

    /// Reads a [`key`](Self::key).
    pub fn from_key(key: &str) -> Option<InvoiceStatus> {
        Self::ALL.into_iter().find(|s| s.key() == key.trim())
    }

    /// True when the customer still owes money on it (unpaid, overdue or in collections).
    pub fn is_outstanding(self) -> bool {
        matches!(
            self,
            InvoiceStatus::Unpaid | InvoiceStatus::Overdue | InvoiceStatus::Collections
        )
    }

    /// The status as of `today`: an unpaid invoice due before `today` is overdue.
    pub fn as_of(self, due_date: Option<Date>, today: Date) -> InvoiceStatus {
        match (self, due_date) {
            (InvoiceStatus::Unpaid, Some(due)) if due < today => InvoiceStatus::Overdue,
            (status, _) => status,
        }
    }
}

/// An invoice as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceSummary {
    /// The billing system's invoice id (what the portal's URLs use).
    pub id: u32,
    /// The number shown to the customer (the sequential invoice number, or the id).
    pub number: String,
    /// Issue date.
    pub date: Option<Date>,
    /// Due date.
    pub due_date: Option<Date>,
    /// When it was paid in full.
    pub date_paid: Option<Date>,
    /// Total including tax.
    pub total: Money,
    /// What remains to pay, when the billing system says.
    pub balance: Option<Money>,
    /// Status (with `Overdue` computed).
    pub status: InvoiceStatus,
}

/// One invoice line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceItem {
    /// What is billed.
    pub description: String,
    /// Amount before tax.
    pub amount: Money,
    /// Whether tax applies to it.
    pub taxed: bool,
    /// The service it bills, when it bills one.
    pub service_id: Option<u32>,
}

/// A payment (or refund, with a negative amount) recorded against an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// When.
    pub date: Option<Date>,
    /// The payment gateway's name.
    pub gateway: String,
    /// Amount received (negative for money paid back).
    pub amount: Money,
    /// The gateway's transaction reference.
    pub transaction_id: String,
}

/// An invoice with its lines and payments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    /// Id, number, dates, total, status.
    pub summary: InvoiceSummary,
    /// Sum of the lines before tax.
    pub subtotal: Money,
    /// Tax.
    pub tax: Money,
    /// Tax rate in hundredths of a percent (`10.000` % → 1000).
    pub tax_rate_bp: u32,
    /// Account credit applied.
    pub credit: Money,
    /// Lines.
    pub items: Vec<InvoiceItem>,
    /// Payments received.
    pub payments: Vec<Payment>,
}

/// A tax rate in hundredths of a percent as Japanese invoices print it (`1000` → `10%`).
pub fn format_tax_rate(bp: u32) -> String {
    if bp.is_multiple_of(100) {
        format!("{}%", bp / 100)
    } else {
        let decimals = format!("{:02}", bp % 100);
        format!("{}.{}%", bp / 100, decimals.trim_end_matches('0'))
    }
}

/// One page of invoices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoicePage {
    /// The invoices on this page.
    pub items: Vec<InvoiceSummary>,
    /// How many invoices match in all.
    pub total: u32,
    /// This page's number, from 1.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

impl InvoicePage {
    /// Number of pages (at least 1).
    pub fn pages(&self) -> u32 {
        if self.per_page == 0 {
            return 1;
        }
        self.total.div_ceil(self.per_page).max(1)
    }
}

/// What kind of payment method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PayMethodKind {
    /// A payment card.
    Card,
    /// A bank account (direct debit).
    BankAccount,
}

/// A stored payment method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayMethod {
    /// Id in the billing system.
    pub id: u32,
    /// Card or bank account.
    pub kind: PayMethodKind,
    /// The customer's own label, or the billing system's.
    pub description: String,
    /// Card brand (`Visa`…) or bank name, when known.
    pub brand: String,
    /// Last four digits of the card, when a card.
    pub last4: Option<String>,
    /// Card expiry `MM/YY`, when a card.
    pub expiry: Option<String>,
    /// Whether invoices are charged to it by default.
    pub is_default: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn unpaid_past_due_is_overdue() {
        let today = date!(2026 - 03 - 10);
        let unpaid = InvoiceStatus::Unpaid;
        assert_eq!(
            unpaid.as_of(Some(date!(2026 - 03 - 09)), today),
            InvoiceStatus::Overdue
        );
        assert_eq!(
            unpaid.as_of(Some(date!(2026 - 03 - 10)), today),
            InvoiceStatus::Unpaid
        );
        assert_eq!(unpaid.as_of(None, today), InvoiceStatus::Unpaid);
        assert_eq!(
            InvoiceStatus::Paid.as_of(Some(date!(2020 - 01 - 01)), today),
            InvoiceStatus::Paid
        );
    }

    #[test]
    fn tax_rates_print_like_japanese_invoices() {
        assert_eq!(format_tax_rate(1000), "10%");
        assert_eq!(format_tax_rate(800), "8%");
        assert_eq!(format_tax_rate(825), "8.25%");
        assert_eq!(format_tax_rate(850), "8.5%");
    }

    #[test]
    fn keys_round_trip_and_pages_count() {
        for s in InvoiceStatus::ALL {
            assert_eq!(InvoiceStatus::from_key(s.key()), Some(s));
        }
        let page = InvoicePage {
            items: Vec::new(),
            total: 5,
            page: 1,
            per_page: 2,
        };
        assert_eq!(page.pages(), 3);
    }
}
