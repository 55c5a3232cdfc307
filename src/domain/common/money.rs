//! Money as integer minor units with a currency: never a float.
//!
//! Formatting follows how each language writes amounts: Japanese puts the yen after the number
//! (`12,345円`), English before it (`¥12,345`). The yen has no minor unit, so it never shows
//! decimals. ICU would do this too, but its data adds hundreds of kilobytes to the browser
//! bundle for two currencies; these rules are small and tested.

use super::Lang;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// An ISO 4217 currency the portal can display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Currency {
    /// Japanese yen: no minor unit.
    #[serde(rename = "JPY")]
    Jpy,
    /// US dollar: cents.
    #[serde(rename = "USD")]
    Usd,
}

impl Currency {
    /// Number of decimal places of the minor unit.
    pub fn exponent(self) -> u32 {
        match self {
            Currency::Jpy => 0,
            Currency::Usd => 2,
        }
    }

    /// The ISO code.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Jpy => "JPY",
            Currency::Usd => "USD",
        }
    }

    /// Parses an ISO code, case-insensitively.
    pub fn parse(code: &str) -> Option<Currency> {
        match code.trim().to_ascii_uppercase().as_str() {
            "JPY" => Some(Currency::Jpy),
            "USD" => Some(Currency::Usd),
            _ => None,
        }
    }
}

/// An amount of money in minor units (yen for JPY, cents for USD).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    /// Builds an amount from minor units.
    pub fn from_minor(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    /// Yen, which are their own minor unit.
    pub fn yen(amount: i64) -> Self {
        Money::from_minor(amount, Currency::Jpy)
    }

    /// The amount in minor units.
    pub fn minor(self) -> i64 {
        self.minor
    }

    /// The currency.
    pub fn currency(self) -> Currency {
        self.currency
    }

    /// Adds two amounts of the same currency; `None` on a currency mismatch or overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| self.minor.checked_add(other.minor))
            .flatten()
            .map(|minor| Money::from_minor(minor, self.currency))
    }

    /// Formats the amount the way a reader of `lang` expects.
    pub fn format(self, lang: Lang) -> String {
        let number = group_thousands(self.minor.unsigned_abs(), self.currency.exponent());
        let sign = if self.minor < 0 { "-" } else { "" };
        match (self.currency, lang) {
            (Currency::Jpy, Lang::Ja) => format!("{sign}{number}円"),
            (Currency::Jpy, Lang::En) => format!("{sign}¥{number}"),
            (Currency::Usd, Lang::En) => format!("{sign}${number}"),
            (Currency::Usd, Lang::Ja) => format!("{sign}US${number}"),
        }
    }
}

/// `1234567` with exponent 2 → `12,345.67`.
fn group_thousands(abs_minor: u64, exponent: u32) -> String {
    let scale = 10u64.pow(exponent);
    let (whole, frac) = (abs_minor / scale, abs_minor % scale);
    let digits = whole.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 4);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if exponent > 0 {
        let _ = write!(out, ".{frac:0width$}", width = exponent as usize);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn yen_has_no_decimals_and_follows_language() {
        assert_eq!(Money::yen(12_345).format(Lang::Ja), "12,345円");
        assert_eq!(Money::yen(12_345).format(Lang::En), "¥12,345");
        assert_eq!(Money::yen(0).format(Lang::En), "¥0");
        assert_eq!(Money::yen(-980).format(Lang::Ja), "-980円");
        assert_eq!(Money::yen(1_000_000).format(Lang::En), "¥1,000,000");
    }

    #[test]
    fn dollars_show_cents() {
        let m = Money::from_minor(1_234_567, Currency::Usd);
        assert_eq!(m.format(Lang::En), "$12,345.67");
        assert_eq!(
            Money::from_minor(5, Currency::Usd).format(Lang::Ja),
            "US$0.05"
        );
    }

    #[test]
    fn adding_refuses_mixed_currencies_and_overflow() {
        let yen = Money::yen(100);
        assert_eq!(yen.checked_add(Money::yen(1)), Some(Money::yen(101)));
        assert_eq!(yen.checked_add(Money::from_minor(1, Currency::Usd)), None);
        assert_eq!(Money::yen(i64::MAX).checked_add(yen), None);
    }

    #[test]
    fn currency_codes_parse() {
        assert_eq!(Currency::parse("jpy"), Some(Currency::Jpy));
        assert_eq!(Currency::parse("EUR"), None);
    }

    proptest! {
        #[test]
        fn formatting_never_panics_and_keeps_digits(minor in any::<i64>()) {
            for lang in Lang::ALL {
                for cur in [Currency::Jpy, Currency::Usd] {
                    let s = Money::from_minor(minor, cur).format(lang);
                    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
                    let expected = minor.unsigned_abs().to_string();
                    prop_assert_eq!(digits.trim_start_matches('0'), expected.trim_start_matches('0'));
                }
            }
        }
    }
}
