//! Services (subscriptions) as the portal shows them: what the customer has, its status,
//! billing cycle, next due date and price, and the cancellation request they can make (its
//! type and reason, checked here so the browser and the server agree on the rules).

use super::common::money::Money;
use crate::error::{FieldError, FieldProblem};
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

impl CancellationType {
    /// A stable key (the form's radio values).
    pub fn key(self) -> &'static str {
        match self {
            CancellationType::Immediate => "immediate",
            CancellationType::EndOfBillingPeriod => "end_of_period",
        }
    }

    /// Parses [`CancellationType::key`].
    pub fn from_key(key: &str) -> Option<CancellationType> {
        [
            CancellationType::Immediate,
            CancellationType::EndOfBillingPeriod,
        ]
        .into_iter()
        .find(|t| t.key() == key.trim())
    }
}

/// The longest cancellation reason, in characters (what a support agent will read in full).
pub const REASON_MAX_CHARS: u32 = 1000;

/// The billing system's custom field holding a line's phone number.
pub const PHONE_FIELD: &str = "Phone Number";

/// A cancellation request as the customer made it: when it should take effect and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancellationRequest {
    kind: CancellationType,
    reason: String,
}

impl CancellationRequest {
    /// Checks the form's `kind` (a [`CancellationType::key`]) and `reason` (required, trimmed,
    /// at most [`REASON_MAX_CHARS`] characters); every refused field is reported at once.
    pub fn parse(kind: &str, reason: &str) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = CancellationType::from_key(kind);
        if kind.is_none() {
            errors.push(FieldError {
                field: "kind".into(),
                problem: FieldProblem::Invalid,
            });
        }
        let reason = reason.trim();
        let problem = if reason.is_empty() {
            Some(FieldProblem::Required)
        } else if reason.chars().count() > REASON_MAX_CHARS as usize {
            Some(FieldProblem::TooLong {
                max: REASON_MAX_CHARS,
            })
        } else {
            None
        };
        if let Some(problem) = problem {
            errors.push(FieldError {
                field: "reason".into(),
                problem,
            });
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok(CancellationRequest {
                kind,
                reason: reason.to_owned(),
            }),
            _ => Err(errors),
        }
    }

    /// When it should take effect.
    pub fn kind(&self) -> CancellationType {
        self.kind
    }

    /// Why, trimmed.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// What a cancellation request came to. "Already requested" is not an error: the customer's
/// wish is on record either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CancellationOutcome {
    /// Recorded now.
    Requested,
    /// One was already open for the service; nothing changed.
    AlreadyRequested,
}

impl CancellationOutcome {
    /// A stable key (the `?cancellation=` flag the page is sent back with).
    pub fn key(self) -> &'static str {
        match self {
            CancellationOutcome::Requested => "requested",
            CancellationOutcome::AlreadyRequested => "already_requested",
        }
    }

    /// Parses [`CancellationOutcome::key`].
    pub fn from_key(key: &str) -> Option<CancellationOutcome> {
        [
            CancellationOutcome::Requested,
            CancellationOutcome::AlreadyRequested,
        ]
        .into_iter()
        .find(|o| o.key() == key.trim())
    }
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

    #[test]
    fn cancellation_requests_are_checked_field_by_field() {
        let ok = CancellationRequest::parse("end_of_period", "  引っ越しのため \n").expect("valid");
        assert_eq!(ok.kind(), CancellationType::EndOfBillingPeriod);
        assert_eq!(ok.reason(), "引っ越しのため");
        let problems = |kind: &str, reason: &str| {
            CancellationRequest::parse(kind, reason)
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|f| (f.field, f.problem))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            problems("immediate", " \t "),
            vec![("reason".to_owned(), FieldProblem::Required)]
        );
        assert_eq!(
            problems("later", "x"),
            vec![("kind".to_owned(), FieldProblem::Invalid)]
        );
        assert_eq!(problems("later", "").len(), 2);
        // The limit counts characters, not bytes: 1000 kanji are fine, 1001 are not.
        assert!(CancellationRequest::parse("immediate", &"解".repeat(1000)).is_ok());
        assert_eq!(
            problems("immediate", &"解".repeat(1001)),
            vec![("reason".to_owned(), FieldProblem::TooLong { max: 1000 })]
        );
    }

    #[test]
    fn keys_round_trip() {
        for t in [
            CancellationType::Immediate,
            CancellationType::EndOfBillingPeriod,
        ] {
            assert_eq!(CancellationType::from_key(t.key()), Some(t));
        }
        for o in [
            CancellationOutcome::Requested,
            CancellationOutcome::AlreadyRequested,
        ] {
            assert_eq!(CancellationOutcome::from_key(o.key()), Some(o));
        }
        assert_eq!(CancellationOutcome::from_key("nonsense"), None);
    }
}
