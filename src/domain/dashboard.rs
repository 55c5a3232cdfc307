//! The dashboard's figures, computed from what billing returns: what is owed, what is due next,
//! and how many services run. Pure.

use super::billing::{InvoiceStatus, InvoiceSummary};
use super::common::money::Money;
use super::services::{Service, ServiceStatus};
use serde::{Deserialize, Serialize};

/// What the customer owes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outstanding {
    /// Sum of what remains to pay on every outstanding invoice (`None` when nothing is owed,
    /// or the invoices are in different currencies and cannot be summed).
    pub total: Option<Money>,
    /// How many invoices are outstanding.
    pub count: usize,
    /// How many of them are past due.
    pub overdue: usize,
    /// The outstanding invoice due first (overdue ones first of all).
    pub next_due: Option<InvoiceSummary>,
}

/// Sums the outstanding ones among `invoices` (any order, any statuses).
pub fn outstanding(invoices: &[InvoiceSummary]) -> Outstanding {
    let owed: Vec<&InvoiceSummary> = invoices
        .iter()
        .filter(|i| i.status.is_outstanding())
        .collect();
    let total = owed
        .iter()
        .map(|i| i.balance.unwrap_or(i.total))
        .try_fold(None::<Money>, |sum, amount| match sum {
            None => Some(Some(amount)),
            Some(sum) => sum.checked_add(amount).map(Some),
        })
        .flatten();
    let next_due = owed
        .iter()
        // Undated invoices sort last; among equals the lower id (older) first.
        .min_by_key(|i| (i.due_date.is_none(), i.due_date, i.id))
        .map(|i| (*i).clone());
    Outstanding {
        total,
        count: owed.len(),
        overdue: owed
            .iter()
            .filter(|i| i.status == InvoiceStatus::Overdue)
            .count(),
        next_due,
    }
}

/// How many services are in service, and how many in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCounts {
    /// Active.
    pub active: usize,
    /// Suspended (usually for non-payment: worth a warning).
    pub suspended: usize,
    /// Every service, whatever its status.
    pub total: usize,
}

/// Counts `services` by status.
pub fn service_counts(services: &[Service]) -> ServiceCounts {
    let count = |status: ServiceStatus| services.iter().filter(|s| s.status == status).count();
    ServiceCounts {
        active: count(ServiceStatus::Active),
        suspended: count(ServiceStatus::Suspended),
        total: services.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn invoice(
        id: u32,
        status: InvoiceStatus,
        due: Option<time::Date>,
        yen: i64,
    ) -> InvoiceSummary {
        InvoiceSummary {
            id,
            number: id.to_string(),
            date: None,
            due_date: due,
            date_paid: None,
            total: Money::yen(yen),
            balance: Some(Money::yen(yen)),
            status,
        }
    }

    #[test]
    fn sums_only_what_is_owed_and_picks_the_earliest_due() {
        let list = [
            invoice(1, InvoiceStatus::Paid, Some(date!(2026 - 10 - 01)), 5_000),
            invoice(2, InvoiceStatus::Unpaid, Some(date!(2026 - 12 - 01)), 5_280),
            invoice(
                3,
                InvoiceStatus::Overdue,
                Some(date!(2026 - 11 - 01)),
                1_100,
            ),
            invoice(
                4,
                InvoiceStatus::Cancelled,
                Some(date!(2026 - 09 - 01)),
                9_999,
            ),
        ];
        let o = outstanding(&list);
        assert_eq!(o.total, Some(Money::yen(6_380)));
        assert_eq!((o.count, o.overdue), (2, 1));
        assert_eq!(o.next_due.map(|i| i.id), Some(3));
    }

    #[test]
    fn nothing_owed() {
        let o = outstanding(&[invoice(1, InvoiceStatus::Paid, None, 100)]);
        assert_eq!((o.total, o.count, o.next_due), (None, 0, None));
    }

    #[test]
    fn undated_invoices_come_last() {
        let list = [
            invoice(7, InvoiceStatus::Unpaid, None, 1),
            invoice(8, InvoiceStatus::Unpaid, Some(date!(2027 - 01 - 01)), 1),
        ];
        assert_eq!(outstanding(&list).next_due.map(|i| i.id), Some(8));
    }
}
