//! The portal's mails, written in the recipient's language from the locale files.

use super::Mail;
use crate::domain::common::lang::Lang;
use crate::i18n::Locale;
use leptos_i18n::td_string;

/// What a mail is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// Confirm the sign-up address.
    Verify,
    /// Reset a password.
    Reset,
    /// Confirm a new address.
    ChangeEmail,
}

/// Renders one mail.
pub fn render(template: Template, lang: Lang, to: &str, name: &str, link: &str) -> Mail {
    let locale = match lang {
        Lang::Ja => Locale::ja,
        Lang::En => Locale::en,
    };
    let (subject, body) = match template {
        Template::Verify => (
            td_string!(locale, mail.verify_subject).to_string(),
            td_string!(locale, mail.verify_body, name, link).to_string(),
        ),
        Template::Reset => (
            td_string!(locale, mail.reset_subject).to_string(),
            td_string!(locale, mail.reset_body, name, link).to_string(),
        ),
        Template::ChangeEmail => (
            td_string!(locale, mail.change_subject).to_string(),
            td_string!(locale, mail.change_body, name, link).to_string(),
        ),
    };
    Mail {
        to: to.to_owned(),
        subject,
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mails_are_in_the_recipients_language_with_the_link() {
        let ja = render(
            Template::Verify,
            Lang::Ja,
            "a@x.jp",
            "山田 花子",
            "http://h/verify?t=1",
        );
        assert!(ja.subject.contains("確認"));
        assert!(ja.body.contains("山田 花子 様"));
        assert!(ja.body.contains("http://h/verify?t=1"));
        let en = render(
            Template::Reset,
            Lang::En,
            "a@x.jp",
            "Alex Morgan",
            "http://h/r",
        );
        assert!(en.body.starts_with("Hello Alex Morgan,"));
    }
}
