//! Services (subscriptions) as the portal shows them: what the customer has, its status,
//! billing cycle, next due date and price, and the cancellation request they can make.

use super::common::money::Money;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::Date;

/// A service's lifecycle status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ServiceStatus {
    /// Ordered, not yet provisioned.
    Pending,
    /// In service.
    Active,
    /// Temporarily stopped (usually for non-payment).
    Suspended,
    /// Ended and removed.
    Terminated,
    /// Ended at the customer's request.
    Cancelled,
    /// Refused as fraudulent.
    Fraud,
    /// A one-time service that has been delivered.
    Completed,
}

impl ServiceStatus {
    /// A stable lower-case key.
    pub fn key(self) -> &'static str {
        match self {
            ServiceStatus::Pending => "pending",
            ServiceStatus::Active => "active",
            ServiceStatus::Suspended => "suspended",
            ServiceStatus::Terminated => "terminated",
            ServiceStatus::Cancelled => "cancelled",
            ServiceStatus::Fraud => "fraud",
            ServiceStatus::Completed => "completed",
        }
    }

    /// True while the service runs or will run (pending, active, suspended): those can be
    /// cancelled.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            ServiceStatus::Pending | ServiceStatus::Active | ServiceStatus::Suspended
        )
    }
}

/// How often a service is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BillingCycle {
    /// Never billed.
    Free,
    /// Billed once.
    OneTime,
    /// Every month.
    Monthly,
    /// Every three months.
    Quarterly,
    /// Every six months.
    SemiAnnually,
    /// Every year.
    Annually,
    /// Every two years.
    Biennially,
    /// Every three years.
    Triennially,
}

impl BillingCycle {
    /// A stable lower-case key.
    pub fn key(self) -> &'static str {
        match self {
            BillingCycle::Free => "free",
            BillingCycle::OneTime => "one_time",
            BillingCycle::Monthly => "monthly",
            BillingCycle::Quarterly => "quarterly",
            BillingCycle::SemiAnnually => "semi_annually",
            BillingCycle::Annually => "annually",
            BillingCycle::Biennially => "biennially",
            BillingCycle::Triennially => "triennially",
        }
    }

    /// Months between bills; `None` for free and one-time services.
    pub fn months(self) -> Option<u32> {
        match self {
            BillingCycle::Free | BillingCycle::OneTime => None,
            BillingCycle::Monthly => Some(1),
            BillingCycle::Quarterly => Some(3),
            BillingCycle::SemiAnnually => Some(6),
            BillingCycle::Annually => Some(12),
            BillingCycle::Biennially => Some(24),
            BillingCycle::Triennially => Some(36),
        }
    }
}

/// A customer's service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// Service id in the billing system.
    pub id: u32,
    /// Product name.
    pub product: String,
    /// Product group (the kind of service).
    pub group: String,
    /// Status.
    pub status: ServiceStatus,
    /// Billing cycle (`None` when the billing system uses one the portal does not know).
    pub billing_cycle: Option<BillingCycle>,
    /// Next bill date.
    pub next_due: Option<Date>,
    /// Price per cycle.
    pub recurring: Money,
    /// The first bill's amount.
    pub first_payment: Money,
    /// When the service was ordered.
    pub registered: Option<Date>,
    /// Custom fields, name → value (e.g. `Phone Number`).
    pub custom_fields: BTreeMap<String, String>,
    /// Configurable options, option name → chosen value.
    pub config_options: BTreeMap<String, String>,
}

/// When a requested cancellation takes effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CancellationType {
    /// As soon as it is processed.
    Immediate,
    /// At the end of the period already paid for.
    EndOfBillingPeriod,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_and_statuses() {
        assert_eq!(BillingCycle::Quarterly.months(), Some(3));
        assert_eq!(BillingCycle::OneTime.months(), None);
        assert!(ServiceStatus::Suspended.is_live());
        assert!(!ServiceStatus::Cancelled.is_live());
        assert_eq!(ServiceStatus::Active.key(), "active");
    }
}
