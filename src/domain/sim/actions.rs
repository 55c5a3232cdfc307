//! What a customer can ask of a line and what the platform answers: top-up amounts, the dates
//! plan changes and cancellations take effect, accepted asynchronous orders, eSIM profiles and
//! MNP-out reservation numbers.

use crate::error::{FieldError, FieldProblem};
use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime};

/// A top-up the portal sells: whole gigabytes, 1–50 (1 GB = 1024 MB).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TopUpAmount(u32);

impl TopUpAmount {
    /// The smallest top-up, in GB.
    pub const MIN_GB: u32 = 1;
    /// The largest top-up, in GB.
    pub const MAX_GB: u32 = 50;

    /// Checks the form's `gb` field.
    pub fn parse(gb: &str) -> Result<Self, FieldError> {
        let problem = match gb.trim().parse::<u32>() {
            Ok(n) if (Self::MIN_GB..=Self::MAX_GB).contains(&n) => return Ok(TopUpAmount(n)),
            Ok(_) => FieldProblem::Invalid,
            Err(_) if gb.trim().is_empty() => FieldProblem::Required,
            Err(_) => FieldProblem::Invalid,
        };
        Err(FieldError {
            field: "gb".into(),
            problem,
        })
    }

    /// Gigabytes.
    pub fn gb(self) -> u32 {
        self.0
    }

    /// Megabytes (the platform's unit).
    pub fn megabytes(self) -> u32 {
        self.0 * 1024
    }
}

/// Quota to add to a line. `quota_code` makes the addition idempotent: the platform applies a
/// code once per line, so a retry with the same code cannot add twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaAddition {
    /// Megabytes, 1–512 000.
    pub megabytes: u32,
    /// The portal's payment (invoice) id, 1–512 characters.
    pub quota_code: String,
    /// Last day of use; `None` = the platform's default (end of next month).
    pub expires_on: Option<Date>,
}

impl QuotaAddition {
    /// A paid top-up: `amount`, keyed by the payment that paid for it.
    pub fn top_up(amount: TopUpAmount, payment_id: impl Into<String>) -> Self {
        QuotaAddition {
            megabytes: amount.megabytes(),
            quota_code: payment_id.into(),
            expires_on: None,
        }
    }
}

/// What a quota addition came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopUpResult {
    /// The code it was added with.
    pub quota_code: String,
    /// Megabytes added.
    pub added_mb: u32,
    /// Last day of use.
    pub expires_on: Date,
    /// Megabytes left on the line after the addition.
    pub remaining_mb: u32,
    /// True when this code had been applied before (a retry): nothing was added this time.
    pub already_applied: bool,
}

/// An asynchronous order the platform accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderAccepted {
    /// The platform's order id.
    pub order_id: String,
    /// When it is expected to take effect.
    pub scheduled_at: Option<OffsetDateTime>,
}

/// Where an eSIM profile is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EsimProfileState {
    /// Being prepared; no activation code yet.
    Preparing,
    /// Ready to download with the activation code.
    Released,
    /// Downloaded to a device.
    Downloaded,
    /// Installed and in use.
    Installed,
}

/// An eSIM profile and, once released, its activation code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EsimProfile {
    /// State.
    pub state: EsimProfileState,
    /// `LPA:1$…` (for the QR code), once released.
    pub activation_code: Option<String>,
    /// Whether the device asks for a confirmation code.
    pub confirmation_code_required: bool,
    /// When the activation code stops working.
    pub expires_at: Option<OffsetDateTime>,
}

/// An MNP reservation number for moving the number to another carrier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MnpOutReservation {
    /// 10 digits.
    pub number: String,
    /// Last day it is valid.
    pub expires_on: Date,
}

/// A cancellation the platform booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancellationScheduled {
    /// The day the cancellation takes effect (the platform acts shortly after 00:00 JST).
    pub effective_on: Date,
}

/// The 1st of the month after `day`'s.
pub fn first_of_next_month(day: Date) -> Date {
    let (year, month) = match day.month() {
        Month::December => (day.year() + 1, Month::January),
        m => (day.year(), m.next()),
    };
    Date::from_calendar_date(year, month, 1).unwrap_or(day)
}

/// The last day of `day`'s month.
pub fn last_of_month(day: Date) -> Date {
    first_of_next_month(day).previous_day().unwrap_or(day)
}

/// When a plan change asked for on `today` (JST) takes effect: the 1st of next month.
pub fn next_plan_change_date(today: Date) -> Date {
    first_of_next_month(today)
}

/// When a cancellation asked for on `today` (JST) takes effect: the end of this month, or of
/// next month when today is already the last day.
pub fn cancellation_date(today: Date) -> Date {
    let end = last_of_month(today);
    if end == today {
        last_of_month(first_of_next_month(today))
    } else {
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn top_up_amounts_are_whole_gigabytes() {
        assert_eq!(
            TopUpAmount::parse("1").map(TopUpAmount::megabytes),
            Ok(1024)
        );
        assert_eq!(TopUpAmount::parse(" 50 ").map(TopUpAmount::gb), Ok(50));
        for (raw, problem) in [
            ("0", FieldProblem::Invalid),
            ("51", FieldProblem::Invalid),
            ("1.5", FieldProblem::Invalid),
            ("", FieldProblem::Required),
        ] {
            assert_eq!(
                TopUpAmount::parse(raw).map_err(|e| e.problem),
                Err(problem),
                "{raw}"
            );
        }
        let addition = QuotaAddition::top_up(TopUpAmount(2), "2051");
        assert_eq!(
            (addition.megabytes, addition.quota_code.as_str()),
            (2048, "2051")
        );
    }

    #[test]
    fn effective_dates() {
        assert_eq!(
            next_plan_change_date(date!(2025 - 05 - 15)),
            date!(2025 - 06 - 01)
        );
        assert_eq!(
            next_plan_change_date(date!(2025 - 12 - 31)),
            date!(2026 - 01 - 01)
        );
        assert_eq!(
            cancellation_date(date!(2025 - 05 - 15)),
            date!(2025 - 05 - 31)
        );
        assert_eq!(
            cancellation_date(date!(2025 - 05 - 31)),
            date!(2025 - 06 - 30)
        );
        assert_eq!(
            cancellation_date(date!(2024 - 02 - 01)),
            date!(2024 - 02 - 29)
        );
        assert_eq!(
            cancellation_date(date!(2025 - 12 - 31)),
            date!(2026 - 01 - 31)
        );
    }
}
