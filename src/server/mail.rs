//! Outgoing mail: the [`Mailer`] trait with an SMTP implementation (lettre, production) and a
//! mail catcher (sandbox mode), which keeps sent mail in memory so that a person or a
//! Playwright test can open `/sandbox/mail` and follow the links. Texts come from the locales
//! (`templates`), in the recipient's language.

mod catcher;
mod smtp;
pub mod templates;

pub use catcher::{CaughtMail, MailCatcher};
pub use smtp::SmtpMailer;

use async_trait::async_trait;

/// One plain-text mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// Sends mail.
#[async_trait]
pub trait Mailer: Send + Sync {
    /// Sends one mail; an error means it was not accepted for delivery.
    async fn send(&self, mail: Mail) -> anyhow::Result<()>;
    /// The catcher, when this mailer is one (sandbox mode).
    fn catcher(&self) -> Option<&MailCatcher> {
        None
    }
}
