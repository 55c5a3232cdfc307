//! The usage-alert mail, in the customer's language (their saved `locale`), from the locale
//! files like every other mail (`server::mail::templates`): which line, the threshold, the
//! month's usage when it was seen, and a link to the line's page.

use crate::domain::common::lang::Lang;
use crate::domain::sim::Msisdn;
use crate::domain::sim::alerts::{Threshold, month_label};
use crate::domain::sim::chart::format_bytes;
use crate::i18n::Locale;
use crate::server::mail::Mail;
use leptos_i18n::td_string;

/// The mail for one alert. `month` is `YYYY-MM`; `link` the line's page.
pub fn render(
    lang: Lang,
    to: &str,
    msisdn: &Msisdn,
    month: &str,
    threshold: Threshold,
    used_bytes: u64,
    link: &str,
) -> Mail {
    let locale = match lang {
        Lang::Ja => Locale::ja,
        Lang::En => Locale::en,
    };
    let number = msisdn.formatted();
    let threshold = format!("{} GB", threshold.gb_text());
    let used = format_bytes(used_bytes);
    let month = month_label(month, lang);
    Mail {
        to: to.to_owned(),
        subject: td_string!(locale, alerts.mail_subject, number = number.as_str()).to_string(),
        body: td_string!(
            locale,
            alerts.mail_body,
            number = number.as_str(),
            threshold = threshold.as_str(),
            used = used.as_str(),
            month = month.as_str(),
            link
        )
        .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alert_mail_is_in_the_customers_language() {
        let n = Msisdn::parse("09012345678").expect("valid");
        let t = Threshold::from_mb(5120);
        let gb = 1024 * 1024 * 1024;
        let ja = render(
            Lang::Ja,
            "a@x.jp",
            &n,
            "2026-11",
            t,
            6 * gb,
            "http://h/sims/09012345678",
        );
        assert!(ja.subject.contains("090-1234-5678"), "{}", ja.subject);
        assert!(
            ja.body.contains("5 GB") && ja.body.contains("6 GB"),
            "{}",
            ja.body
        );
        assert!(ja.body.contains("2026年11月"), "{}", ja.body);
        assert!(ja.body.contains("http://h/sims/09012345678"));
        let en = render(Lang::En, "a@x.jp", &n, "2026-12", t, 6 * gb, "http://h/s");
        assert!(en.body.contains("December 2026"), "{}", en.body);
        assert_ne!(en.subject, ja.subject);
    }
}
