//! Calendar dates and timestamps, formatted per language.
//!
//! Japanese readers expect `2026年11月21日`, English readers `21 Nov 2026`. Times are shown in
//! Japan Standard Time (UTC+9, no daylight saving) because every customer, service and billing
//! date of this reseller is Japanese; the zone is stated next to times so nobody has to guess.

use super::Lang;
use time::{Date, OffsetDateTime, UtcOffset};

/// Japan Standard Time.
pub const JST: UtcOffset = match UtcOffset::from_hms(9, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Formats a calendar date for `lang`.
pub fn format_date(date: Date, lang: Lang) -> String {
    let (y, m, d) = (date.year(), u8::from(date.month()), date.day());
    match lang {
        Lang::Ja => format!("{y}年{m}月{d}日"),
        Lang::En => format!("{d} {} {y}", MONTHS_EN[usize::from(m - 1)]),
    }
}

/// Formats an instant as a JST date and time for `lang`.
pub fn format_date_time(at: OffsetDateTime, lang: Lang) -> String {
    let local = at.to_offset(JST);
    let date = format_date(local.date(), lang);
    let (h, min) = (local.hour(), local.minute());
    match lang {
        Lang::Ja => format!("{date} {h}:{min:02} (JST)"),
        Lang::En => format!("{date}, {h:02}:{min:02} JST"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn dates_follow_language() {
        assert_eq!(
            format_date(date!(2026 - 11 - 21), Lang::Ja),
            "2026年11月21日"
        );
        assert_eq!(format_date(date!(2026 - 01 - 05), Lang::En), "5 Jan 2026");
    }

    #[test]
    fn times_are_shown_in_jst() {
        // 20:30 UTC is 05:30 the next day in Tokyo.
        let at = datetime!(2026-11-21 20:30 UTC);
        assert_eq!(format_date_time(at, Lang::En), "22 Nov 2026, 05:30 JST");
        assert_eq!(format_date_time(at, Lang::Ja), "2026年11月22日 5:30 (JST)");
    }
}
