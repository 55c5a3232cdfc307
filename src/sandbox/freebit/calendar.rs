//! Calendar helpers in Japan time, the wire's date formats, the plan table, and the seeded
//! usage generator: a line's traffic on a day is a pure function of its number and the date,
//! so the demo and the tests see the same figures on every run (no wall-clock randomness).

use crate::domain::common::date::JST;
use crate::domain::sim::last_of_month;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time, Weekday};

/// The JST date of an instant.
pub fn jst_date(at: OffsetDateTime) -> Date {
    at.to_offset(JST).date()
}

/// 00:00 JST of `date`.
pub fn midnight(date: Date) -> OffsetDateTime {
    PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_offset(JST)
}

/// `YYYYMMDD`.
pub fn ymd(date: Date) -> String {
    format!(
        "{:04}{:02}{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// `YYYYMMDDhhmmss` in JST.
pub fn ymdhms(at: OffsetDateTime) -> String {
    let local = at.to_offset(JST);
    format!(
        "{}{:02}{:02}{:02}",
        ymd(local.date()),
        local.hour(),
        local.minute(),
        local.second()
    )
}

/// Reads `YYYYMMDD` (also `YYYY/MM/DD`, `YYYY-MM-DD`, which Freebit accepts).
pub fn parse_ymd(raw: &str) -> Option<Date> {
    let digits: String = raw.chars().filter(|c| !matches!(c, '/' | '-')).collect();
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let month = time::Month::try_from(digits[4..6].parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(digits[..4].parse().ok()?, month, digits[6..8].parse().ok()?).ok()
}

/// Whether `date` is the last day of its month.
pub fn is_month_end(date: Date) -> bool {
    last_of_month(date) == date
}

/// A plan of the simulated catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Voice plans go on voice SIMs (`E0`), data plans on data SIMs.
    pub voice: bool,
    /// Monthly allowance, MB.
    pub quota_mb: u32,
}

/// The plans the sandbox knows: the catalog's `Freebit_Plan_Code__c` values.
const PLANS: &[(&str, Plan)] = &[
    (
        "PLAN-D03",
        Plan {
            voice: false,
            quota_mb: 3 * 1024,
        },
    ),
    (
        "PLAN-D10",
        Plan {
            voice: false,
            quota_mb: 10 * 1024,
        },
    ),
    (
        "PLAN-D20",
        Plan {
            voice: false,
            quota_mb: 20 * 1024,
        },
    ),
    (
        "PLAN-D50",
        Plan {
            voice: false,
            quota_mb: 50 * 1024,
        },
    ),
    (
        "PLAN-V03",
        Plan {
            voice: true,
            quota_mb: 3 * 1024,
        },
    ),
    (
        "PLAN-V10",
        Plan {
            voice: true,
            quota_mb: 10 * 1024,
        },
    ),
    (
        "PLAN-V20",
        Plan {
            voice: true,
            quota_mb: 20 * 1024,
        },
    ),
    (
        "PLAN-V50",
        Plan {
            voice: true,
            quota_mb: 50 * 1024,
        },
    ),
];

/// A plan by code.
pub fn plan(code: &str) -> Option<Plan> {
    PLANS.iter().find(|(c, _)| *c == code).map(|(_, p)| *p)
}

/// SplitMix64: a small, well-mixed step for the seeded generator.
fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A full day's traffic in KB for line `msisdn` on `date` around an average of `mean_mb`:
/// 20–180 % of it, a fifth more at weekends. Seeded by the number (FNV-1a) and the day.
pub fn daily_kb(msisdn: &str, date: Date, mean_mb: u32) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in msisdn.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    let day = u64::try_from(date.to_julian_day()).unwrap_or(0);
    let permille = 200 + splitmix64(hash ^ day) % 1601;
    let weekend = matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday);
    let permille = if weekend { permille * 6 / 5 } else { permille };
    u64::from(mean_mb) * 1024 * permille / 1000
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn usage_is_deterministic_and_varies() {
        let a = daily_kb("09012345678", date!(2025 - 05 - 14), 400);
        assert_eq!(a, daily_kb("09012345678", date!(2025 - 05 - 14), 400));
        assert_ne!(a, daily_kb("09012345678", date!(2025 - 05 - 15), 400));
        assert_ne!(a, daily_kb("08098765432", date!(2025 - 05 - 14), 400));
        assert!((80 * 1024..=870 * 1024).contains(&a), "{a}");
        assert_eq!(daily_kb("09012345678", date!(2025 - 05 - 14), 0), 0);
    }

    #[test]
    fn dates() {
        assert_eq!(
            jst_date(datetime!(2025-05-31 15:30 UTC)),
            date!(2025 - 06 - 01)
        );
        assert_eq!(ymdhms(datetime!(2025-05-31 15:30:05 UTC)), "20250601003005");
        assert_eq!(parse_ymd("2025/06/01"), Some(date!(2025 - 06 - 01)));
        assert_eq!(parse_ymd("20250631"), None);
        assert!(is_month_end(date!(2024 - 02 - 29)));
        assert_eq!(
            plan("PLAN-V03").map(|p| (p.voice, p.quota_mb)),
            Some((true, 3072))
        );
        assert_eq!(plan("PLAN-X"), None);
    }
}
