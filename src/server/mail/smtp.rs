//! SMTP delivery with lettre (async, pooled, TLS by rustls/ring).

use super::{Mail, Mailer};
use anyhow::Context;
use async_trait::async_trait;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Sends through an SMTP relay.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// From `mail.smtp_url` (`smtp://` or `smtps://user:pass@host:port`) and `mail.from`.
    pub fn new(url: &str, from: &str) -> anyhow::Result<Self> {
        crate::server::integrations::http::install_crypto_provider();
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .context("mail.smtp_url is not a valid SMTP URL")?
            .build();
        let from = from.parse().context("mail.from is not a valid address")?;
        Ok(SmtpMailer { transport, from })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: Mail) -> anyhow::Result<()> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(mail.to.parse().context("invalid recipient address")?)
            .subject(mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body)
            .context("could not build the mail")?;
        self.transport
            .send(message)
            .await
            .context("the SMTP relay refused the mail")?;
        Ok(())
    }
}
