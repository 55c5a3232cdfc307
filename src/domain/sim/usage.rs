//! Data usage: a daily series split into high-speed and throttled traffic (today provisional
//! until the platform finalises it the next morning), monthly totals, and the history of
//! quota additions.

use super::ids::{Msisdn, PlanCode};
use super::line::QuotaSource;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// One day's traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyUsage {
    /// The day (JST).
    pub date: Date,
    /// Bytes at full speed (these used quota).
    pub high_speed_bytes: u64,
    /// Bytes while throttled (these used none).
    pub throttled_bytes: u64,
    /// True until the platform has finalised the day (today, and yesterday early in the
    /// morning): the figure may still grow.
    pub provisional: bool,
}

impl DailyUsage {
    /// Both kinds together.
    pub fn total_bytes(&self) -> u64 {
        self.high_speed_bytes.saturating_add(self.throttled_bytes)
    }
}

/// A line's traffic as of a moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimUsage {
    /// The line.
    pub msisdn: Msisdn,
    /// Its plan at the time.
    pub plan: Option<PlanCode>,
    /// Days, oldest first.
    pub days: Vec<DailyUsage>,
    /// Today so far (provisional).
    pub today_bytes: u64,
    /// This calendar month so far.
    pub this_month_bytes: u64,
    /// Last calendar month.
    pub last_month_bytes: u64,
    /// Whether the line is throttled now.
    pub throttled: bool,
    /// When the platform took the figures.
    pub as_of: OffsetDateTime,
}

impl SimUsage {
    /// The days of `month` (any date in it), oldest first.
    pub fn days_in_month(&self, month: Date) -> impl Iterator<Item = &DailyUsage> {
        self.days
            .iter()
            .filter(move |d| d.date.year() == month.year() && d.date.month() == month.month())
    }
}

/// One quota addition (plan allowance, carry-over, top-up, gift).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaHistoryEntry {
    /// The code it was added with (a top-up's payment id).
    pub quota_code: Option<String>,
    /// What kind of addition.
    pub source: QuotaSource,
    /// Megabytes added.
    pub granted_mb: u32,
    /// When.
    pub added_at: Option<OffsetDateTime>,
    /// Last day it can be used.
    pub expires_on: Date,
    /// Megabytes of it still left.
    pub remaining_mb: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn month_filter_and_totals() {
        let day = |date, high, low| DailyUsage {
            date,
            high_speed_bytes: high,
            throttled_bytes: low,
            provisional: false,
        };
        let usage = SimUsage {
            msisdn: Msisdn::parse("09012345678").expect("valid"),
            plan: None,
            days: vec![
                day(date!(2025 - 04 - 30), 5, 0),
                day(date!(2025 - 05 - 01), 7, 1),
                day(date!(2025 - 05 - 02), 2, 2),
            ],
            today_bytes: 4,
            this_month_bytes: 12,
            last_month_bytes: 5,
            throttled: false,
            as_of: datetime!(2025-05-02 12:00 +9),
        };
        let may: u64 = usage
            .days_in_month(date!(2025 - 05 - 15))
            .map(DailyUsage::total_bytes)
            .sum();
        assert_eq!(may, 12);
    }
}
