//! The usage chart's geometry, pure and testable: a value scale rounded up to a "nice" maximum,
//! its axis ticks, and one stacked bar per day (high speed below, throttled on top), in the
//! coordinates of a fixed SVG `viewBox`. The page only draws what this computes. Also the sum
//! of data left over the quota buckets still valid on a given day.

use super::line::{QuotaBucket, QuotaSource};
use super::usage::DailyUsage;
use time::Date;

/// The `viewBox` width.
pub const WIDTH: f64 = 640.0;
/// The `viewBox` height.
pub const HEIGHT: f64 = 220.0;
/// Room on the left for the value labels.
pub const LEFT: f64 = 56.0;
/// Room at the top.
pub const TOP: f64 = 10.0;
/// Room at the bottom for the date labels.
pub const BOTTOM: f64 = 24.0;
/// Room on the right.
pub const RIGHT: f64 = 8.0;

const MB: u64 = 1024 * 1024;

/// One day's bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The day.
    pub date: Date,
    /// Left edge.
    pub x: f64,
    /// Width.
    pub width: f64,
    /// Top of the high-speed part.
    pub high_y: f64,
    /// Height of the high-speed part.
    pub high_height: f64,
    /// Top of the throttled part (drawn above the high-speed part).
    pub throttled_y: f64,
    /// Height of the throttled part.
    pub throttled_height: f64,
    /// Not final yet (today).
    pub provisional: bool,
    /// Whether the date gets a label under the axis.
    pub labelled: bool,
}

/// A horizontal grid line with its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tick {
    /// Its height in the `viewBox`.
    pub y: f64,
    /// The value it marks, in bytes.
    pub bytes: u64,
}

/// Everything the chart draws.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageChart {
    /// The bars, oldest first.
    pub bars: Vec<Bar>,
    /// The grid lines, from zero up.
    pub ticks: Vec<Tick>,
    /// The top of the scale, in bytes.
    pub max_bytes: u64,
    /// The baseline's height.
    pub baseline: f64,
}

/// The smallest "nice" value (1, 2 or 5 × 10ⁿ MB) at least `bytes`; 1 MB at least.
pub fn nice_max(bytes: u64) -> u64 {
    let mut step = MB;
    loop {
        for factor in [1, 2, 5] {
            let candidate = step.saturating_mul(factor);
            if candidate >= bytes || candidate == u64::MAX {
                return candidate;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// The chart of `days` (oldest first). Every fifth day from the newest carries a date label.
pub fn usage_chart(days: &[DailyUsage]) -> UsageChart {
    let peak = days.iter().map(DailyUsage::total_bytes).max().unwrap_or(0);
    let max_bytes = nice_max(peak);
    let plot_height = HEIGHT - TOP - BOTTOM;
    let baseline = TOP + plot_height;
    let scale = |bytes: u64| bytes as f64 / max_bytes as f64 * plot_height;
    let slot = if days.is_empty() {
        0.0
    } else {
        (WIDTH - LEFT - RIGHT) / days.len() as f64
    };
    let newest = days.len().saturating_sub(1);
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, day)| {
            let high_height = scale(day.high_speed_bytes);
            let throttled_height = scale(day.throttled_bytes);
            let high_y = baseline - high_height;
            Bar {
                date: day.date,
                x: LEFT + slot * i as f64 + slot * 0.15,
                width: slot * 0.7,
                high_y,
                high_height,
                throttled_y: high_y - throttled_height,
                throttled_height,
                provisional: day.provisional,
                labelled: (newest - i).is_multiple_of(5),
            }
        })
        .collect();
    let ticks = (0..=4u64)
        .map(|k| {
            let bytes = max_bytes / 4 * k;
            Tick {
                y: baseline - scale(bytes),
                bytes,
            }
        })
        .collect();
    UsageChart {
        bars,
        ticks,
        max_bytes,
        baseline,
    }
}

/// Bytes as a short figure: `512 KB`, `850 MB`, `1.5 GB` (binary units, as the platform counts).
pub fn format_bytes(bytes: u64) -> String {
    const GB: u64 = 1024 * MB;
    if bytes >= GB {
        let tenths = (bytes * 10 + GB / 2) / GB;
        if tenths.is_multiple_of(10) {
            format!("{} GB", tenths / 10)
        } else {
            format!("{}.{} GB", tenths / 10, tenths % 10)
        }
    } else if bytes >= MB {
        format!("{} MB", (bytes + MB / 2) / MB)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// Megabytes as a short figure (`850 MB`, `1.5 GB`).
pub fn format_mb(mb: u32) -> String {
    format_bytes(u64::from(mb) * MB)
}

/// Which days the chart shows: the platform's last 30 days, or the current calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UsageRange {
    /// The last 30 days (the default).
    #[default]
    Last30Days,
    /// The month so far (JST).
    ThisMonth,
}

impl UsageRange {
    /// The `?range=` value (`month`; none for the default).
    pub fn key(self) -> Option<&'static str> {
        match self {
            UsageRange::Last30Days => None,
            UsageRange::ThisMonth => Some("month"),
        }
    }

    /// The range named by a `?range=` value; anything unknown is the default.
    pub fn from_query(value: Option<&str>) -> Self {
        match value {
            Some("month") => UsageRange::ThisMonth,
            _ => UsageRange::Last30Days,
        }
    }

    /// The days of `days` (oldest first) in this range; `today` (JST) picks the month.
    pub fn select(self, days: &[DailyUsage], today: Date) -> Vec<DailyUsage> {
        match self {
            UsageRange::Last30Days => days.to_vec(),
            UsageRange::ThisMonth => days
                .iter()
                .filter(|d| {
                    d.date.year() == today.year()
                        && d.date.month() == today.month()
                        && d.date <= today
                })
                .copied()
                .collect(),
        }
    }
}

/// The month so far against the plan: data used (the platform's month total, high speed and
/// throttled) and this month's plan allowance, when the line has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthTotal {
    /// Used this month, bytes.
    pub used_bytes: u64,
    /// This month's plan allowance, MB.
    pub allowance_mb: Option<u32>,
    /// Used as a share of the allowance, in whole percent (can pass 100: throttled use and
    /// top-ups count too).
    pub percent: Option<u32>,
}

/// This month's plan allowance: the granted size of the plan bucket valid on `today` that
/// expires last (the one granted on the 1st; an older plan bucket still valid is last
/// month's rest, carried over).
pub fn plan_allowance_mb(buckets: &[QuotaBucket], today: Date) -> Option<u32> {
    buckets
        .iter()
        .filter(|b| b.source == QuotaSource::Plan && b.expires_on >= today)
        .max_by_key(|b| b.expires_on)
        .map(|b| b.granted_mb)
}

/// The month's total against the allowance.
pub fn month_total(used_bytes: u64, allowance_mb: Option<u32>) -> MonthTotal {
    let percent = allowance_mb.filter(|mb| *mb > 0).map(|mb| {
        let allowance = u64::from(mb) * MB;
        u32::try_from((used_bytes.saturating_mul(100) + allowance / 2) / allowance)
            .unwrap_or(u32::MAX)
    });
    MonthTotal {
        used_bytes,
        allowance_mb,
        percent,
    }
}

/// Megabytes left over the buckets still valid on `today` (an expired bucket is not data left).
pub fn data_left_mb(buckets: &[QuotaBucket], today: Date) -> u32 {
    buckets
        .iter()
        .filter(|b| b.expires_on >= today)
        .fold(0u32, |sum, b| sum.saturating_add(b.remaining_mb))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn day(date: Date, high_mb: u64, throttled_mb: u64, provisional: bool) -> DailyUsage {
        DailyUsage {
            date,
            high_speed_bytes: high_mb * MB,
            throttled_bytes: throttled_mb * MB,
            provisional,
        }
    }

    #[test]
    fn nice_maxima() {
        assert_eq!(nice_max(0), MB);
        assert_eq!(nice_max(MB), MB);
        assert_eq!(nice_max(MB + 1), 2 * MB);
        assert_eq!(nice_max(3 * MB), 5 * MB);
        assert_eq!(nice_max(700 * MB), 1000 * MB);
        assert_eq!(nice_max(1001 * MB), 2000 * MB);
    }

    #[test]
    fn bars_stack_and_fit_the_plot() {
        let days = vec![
            day(date!(2026 - 11 - 19), 300, 0, false),
            day(date!(2026 - 11 - 20), 150, 50, false),
            day(date!(2026 - 11 - 21), 0, 100, true),
        ];
        let chart = usage_chart(&days);
        assert_eq!(chart.max_bytes, 500 * MB);
        let plot = HEIGHT - TOP - BOTTOM;
        assert_eq!(chart.baseline, TOP + plot);
        let b = &chart.bars;
        assert_eq!(b.len(), 3);
        assert!((b[0].high_height - plot * 0.6).abs() < 1e-9);
        assert_eq!(b[0].throttled_height, 0.0);
        assert!((b[1].high_y - (chart.baseline - plot * 0.3)).abs() < 1e-9);
        assert!((b[1].throttled_y + b[1].throttled_height - b[1].high_y).abs() < 1e-9);
        assert!((b[1].throttled_height - plot * 0.1).abs() < 1e-9);
        assert!(b[2].provisional && !b[1].provisional);
        assert!(b[2].labelled && !b[1].labelled);
        assert!(
            b.iter()
                .all(|bar| bar.x >= LEFT && bar.x + bar.width <= WIDTH - RIGHT)
        );
        assert!(b[0].x < b[1].x && b[1].x < b[2].x);
        for bar in b {
            assert!(bar.throttled_y >= TOP - 1e-9);
        }
    }

    #[test]
    fn ticks_run_from_zero_to_the_top() {
        let chart = usage_chart(&[day(date!(2026 - 11 - 21), 1500, 0, true)]);
        assert_eq!(chart.max_bytes, 2000 * MB);
        let values: Vec<u64> = chart.ticks.iter().map(|t| t.bytes).collect();
        assert_eq!(values, vec![0, 500 * MB, 1000 * MB, 1500 * MB, 2000 * MB]);
        assert_eq!(chart.ticks[0].y, chart.baseline);
        assert!((chart.ticks[4].y - TOP).abs() < 1e-9);
    }

    #[test]
    fn an_empty_series_draws_no_bars() {
        let chart = usage_chart(&[]);
        assert!(chart.bars.is_empty());
        assert_eq!(chart.max_bytes, MB);
        assert_eq!(chart.ticks.len(), 5);
    }

    #[test]
    fn byte_figures() {
        assert_eq!(format_bytes(0), "0 KB");
        assert_eq!(format_bytes(1500), "2 KB");
        assert_eq!(format_bytes(850 * MB), "850 MB");
        assert_eq!(format_bytes(1024 * MB), "1 GB");
        assert_eq!(format_bytes(1536 * MB), "1.5 GB");
        assert_eq!(format_mb(2048), "2 GB");
    }

    #[test]
    fn data_left_counts_valid_buckets_only() {
        let bucket = |remaining_mb, expires_on| QuotaBucket {
            source: QuotaSource::Plan,
            code: None,
            granted_mb: 20_480,
            remaining_mb,
            expires_on,
        };
        let buckets = vec![
            bucket(500, date!(2026 - 11 - 20)),
            bucket(1024, date!(2026 - 11 - 21)),
            bucket(20_000, date!(2026 - 12 - 31)),
        ];
        assert_eq!(data_left_mb(&buckets, date!(2026 - 11 - 21)), 21_024);
        assert_eq!(data_left_mb(&buckets, date!(2026 - 11 - 19)), 21_524);
        assert_eq!(data_left_mb(&[], date!(2026 - 11 - 19)), 0);
    }

    #[test]
    fn the_month_range_keeps_this_months_days_up_to_today() {
        let days = vec![
            day(date!(2026 - 10 - 30), 10, 0, false),
            day(date!(2026 - 10 - 31), 20, 0, false),
            day(date!(2026 - 11 - 01), 30, 0, false),
            day(date!(2026 - 11 - 02), 40, 0, true),
        ];
        let today = date!(2026 - 11 - 02);
        assert_eq!(UsageRange::Last30Days.select(&days, today), days);
        let month = UsageRange::ThisMonth.select(&days, today);
        assert_eq!(
            month.iter().map(|d| d.date).collect::<Vec<_>>(),
            vec![date!(2026 - 11 - 01), date!(2026 - 11 - 02)]
        );
        // On the 1st only the 1st; a series that ended before the month gives nothing.
        assert_eq!(
            UsageRange::ThisMonth
                .select(&days, date!(2026 - 11 - 01))
                .len(),
            1
        );
        assert!(UsageRange::ThisMonth.select(&days[..2], today).is_empty());
        // The same day number in another year is not this month.
        let old = [day(date!(2025 - 11 - 01), 1, 0, false)];
        assert!(UsageRange::ThisMonth.select(&old, today).is_empty());
    }

    #[test]
    fn range_query_values() {
        assert_eq!(UsageRange::from_query(Some("month")), UsageRange::ThisMonth);
        assert_eq!(UsageRange::from_query(Some("30d")), UsageRange::Last30Days);
        assert_eq!(UsageRange::from_query(None), UsageRange::Last30Days);
        assert_eq!(UsageRange::ThisMonth.key(), Some("month"));
        assert_eq!(UsageRange::Last30Days.key(), None);
    }

    #[test]
    fn the_month_total_against_this_months_plan_allowance() {
        let bucket = |source, granted_mb, expires_on| QuotaBucket {
            source,
            code: None,
            granted_mb,
            remaining_mb: 0,
            expires_on,
        };
        let today = date!(2026 - 11 - 21);
        let buckets = vec![
            // Last month's plan bucket, still valid to the end of this month.
            bucket(QuotaSource::Plan, 10_240, date!(2026 - 11 - 30)),
            bucket(QuotaSource::Plan, 20_480, date!(2026 - 12 - 31)),
            bucket(QuotaSource::TopUp, 1024, date!(2027 - 01 - 31)),
            bucket(QuotaSource::Plan, 99_999, date!(2026 - 10 - 31)),
        ];
        assert_eq!(plan_allowance_mb(&buckets, today), Some(20_480));
        assert_eq!(plan_allowance_mb(&buckets[2..3], today), None);
        let total = month_total(5 * 1024 * MB, Some(20_480));
        assert_eq!(total.percent, Some(25));
        assert_eq!(month_total(30 * 1024 * MB, Some(20_480)).percent, Some(150));
        assert_eq!(month_total(1, None).percent, None);
        assert_eq!(month_total(1, Some(0)).percent, None);
    }
}
