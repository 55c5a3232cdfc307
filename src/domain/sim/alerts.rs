//! Usage alerts, pure: the threshold a customer types (gigabytes, to one decimal — plans and
//! top-ups are sold in GB, so that is the unit customers think in; stored as MB, the platform's
//! unit), the month an alert belongs to (the calendar month in JST, as the platform counts
//! "this month"), whether a month's usage has reached the threshold, and the in-app notice an
//! alert leaves.

use super::ids::Msisdn;
use crate::domain::common::Lang;
use crate::domain::common::date::JST;
use crate::error::{FieldError, FieldProblem};
use serde::{Deserialize, Serialize};
use time::{Month, OffsetDateTime};

const MB: u64 = 1024 * 1024;

/// A threshold of data used in a month, in megabytes (1 GB = 1024 MB).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Threshold(u32);

impl Threshold {
    /// The smallest threshold, in tenths of a GB (0.1 GB).
    pub const MIN_TENTHS: u32 = 1;
    /// The largest threshold, in tenths of a GB (1000 GB).
    pub const MAX_TENTHS: u32 = 10_000;
    /// The form field's name.
    pub const FIELD: &'static str = "threshold_gb";

    /// Checks the form's `threshold_gb` field: a number of GB with at most one decimal
    /// (`5`, `0.5`, `12.5`; full-width digits accepted), 0.1–1000.
    pub fn parse_gb(text: &str) -> Result<Self, FieldError> {
        let refuse = |problem| FieldError {
            field: Self::FIELD.into(),
            problem,
        };
        let text: String = text
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '．' => '.',
                c => c,
            })
            .collect();
        if text.is_empty() {
            return Err(refuse(FieldProblem::Required));
        }
        let (whole, tenth) = match text.split_once('.') {
            Some((w, t)) if t.len() == 1 => (w, t),
            Some((w, "")) => (w, "0"),
            Some(_) => return Err(refuse(FieldProblem::Invalid)),
            None => (text.as_str(), "0"),
        };
        let digits =
            |s: &str| !s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit());
        let whole = if whole.is_empty() { "0" } else { whole };
        if !digits(whole) || !digits(tenth) {
            return Err(refuse(FieldProblem::Invalid));
        }
        let tenths = whole.parse::<u32>().unwrap_or(u32::MAX).saturating_mul(10)
            + tenth.parse::<u32>().unwrap_or(0);
        if !(Self::MIN_TENTHS..=Self::MAX_TENTHS).contains(&tenths) {
            return Err(refuse(FieldProblem::Invalid));
        }
        // Tenths of 1024 MB, rounded to the nearest MB.
        Ok(Threshold((tenths * 1024 + 5) / 10))
    }

    /// A threshold as stored.
    pub fn from_mb(mb: u32) -> Self {
        Threshold(mb.max(1))
    }

    /// Megabytes.
    pub fn mb(self) -> u32 {
        self.0
    }

    /// Bytes.
    pub fn bytes(self) -> u64 {
        u64::from(self.0) * MB
    }

    /// The threshold as the customer typed it: GB with one decimal when it has one (`5`,
    /// `0.5`), for the form's value and the texts.
    pub fn gb_text(self) -> String {
        let tenths = (u64::from(self.0) * 10 + 512) / 1024;
        if tenths.is_multiple_of(10) {
            format!("{}", tenths / 10)
        } else {
            format!("{}.{}", tenths / 10, tenths % 10)
        }
    }

    /// Whether `used_bytes` (the month's usage so far) has reached the threshold.
    pub fn reached_by(self, used_bytes: u64) -> bool {
        used_bytes >= self.bytes()
    }
}

/// The month (JST) an instant falls in, `YYYY-MM`: the key of the once-a-month rule.
pub fn month_key(at: OffsetDateTime) -> String {
    let jst = at.to_offset(JST);
    format!("{:04}-{:02}", jst.year(), u8::from(jst.month()))
}

/// A month key (`2026-11`) as words: `2026年11月`, `November 2026`.
pub fn month_label(month: &str, lang: Lang) -> String {
    let parsed = month
        .split_once('-')
        .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u8>().ok()?)))
        .and_then(|(y, m)| Some((y, Month::try_from(m).ok()?)));
    match (parsed, lang) {
        (Some((y, m)), Lang::Ja) => format!("{y}年{}月", u8::from(m)),
        (Some((y, m)), Lang::En) => format!("{m} {y}"),
        (None, _) => month.to_owned(),
    }
}

/// What an in-app notice says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoticeBody {
    /// A line's usage this month reached the customer's threshold.
    UsageAlert {
        /// The line.
        msisdn: Msisdn,
        /// The month (`YYYY-MM`, JST).
        month: String,
        /// The threshold reached.
        threshold: Threshold,
        /// The month's usage when it was seen, bytes.
        used_bytes: u64,
    },
}

impl NoticeBody {
    /// The stored kind (the table's `kind` column).
    pub fn kind(&self) -> &'static str {
        match self {
            NoticeBody::UsageAlert { .. } => "usage_alert",
        }
    }

    /// What the notice is about (a line's digits), for showing a page's own notices.
    pub fn subject(&self) -> String {
        match self {
            NoticeBody::UsageAlert { msisdn, .. } => msisdn.digits().to_owned(),
        }
    }
}

/// A notice the customer has not dismissed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// Its id (for dismissing it).
    pub id: String,
    /// When it was raised (Unix ms).
    pub created_at_ms: i64,
    /// What it says.
    pub body: NoticeBody,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn gb(text: &str) -> Result<u32, FieldProblem> {
        Threshold::parse_gb(text)
            .map(Threshold::mb)
            .map_err(|e| e.problem)
    }

    #[test]
    fn thresholds_are_gigabytes_to_one_decimal() {
        assert_eq!(gb("5"), Ok(5120));
        assert_eq!(gb(" 0.5 "), Ok(512));
        assert_eq!(gb("0.1"), Ok(102));
        assert_eq!(gb(".5"), Ok(512));
        assert_eq!(gb("12."), Ok(12_288));
        assert_eq!(gb("１０"), Ok(10_240));
        assert_eq!(gb("1000"), Ok(1_024_000));
        assert_eq!(gb(""), Err(FieldProblem::Required));
        for bad in [
            "0", "0.0", "1000.1", "0.05", "-1", "1e3", "five", "1,5", "99999999",
        ] {
            assert_eq!(gb(bad), Err(FieldProblem::Invalid), "{bad}");
        }
    }

    #[test]
    fn the_typed_value_comes_back_as_typed() {
        for text in ["0.1", "0.5", "5", "12.5", "1000"] {
            let t = Threshold::parse_gb(text).expect("valid");
            assert_eq!(t.gb_text(), text);
            assert_eq!(Threshold::from_mb(t.mb()), t);
        }
    }

    #[test]
    fn reaching_the_threshold_counts_equality() {
        let t = Threshold::parse_gb("1").expect("valid");
        assert!(!t.reached_by(1024 * MB - 1));
        assert!(t.reached_by(1024 * MB));
        assert!(t.reached_by(5 * 1024 * MB));
    }

    #[test]
    fn months_are_counted_in_japan_time() {
        // 30 Nov 15:00 UTC is already 1 Dec in Japan.
        assert_eq!(month_key(datetime!(2026-11-30 14:59:59 UTC)), "2026-11");
        assert_eq!(month_key(datetime!(2026-11-30 15:00 UTC)), "2026-12");
        assert_eq!(month_key(datetime!(2026-12-31 15:00 UTC)), "2027-01");
        assert_eq!(month_key(datetime!(2027-01-01 08:59 +9)), "2027-01");
        assert_eq!(month_label("2027-01", Lang::Ja), "2027年1月");
        assert_eq!(month_label("2027-01", Lang::En), "January 2027");
        assert_eq!(month_label("junk", Lang::En), "junk");
    }

    #[test]
    fn a_notice_names_its_line() {
        let body = NoticeBody::UsageAlert {
            msisdn: Msisdn::parse("090-1234-5678").expect("valid"),
            month: "2026-11".into(),
            threshold: Threshold::from_mb(5120),
            used_bytes: 6 * 1024 * MB,
        };
        assert_eq!(body.kind(), "usage_alert");
        assert_eq!(body.subject(), "09012345678");
        let json = serde_json::to_string(&body).expect("json");
        assert!(json.contains("\"kind\":\"usage_alert\""), "{json}");
        assert_eq!(
            serde_json::from_str::<NoticeBody>(&json).expect("back"),
            body
        );
    }
}
