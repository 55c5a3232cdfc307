//! The sandbox mail catcher: sent mail kept in memory (newest first, at most 200).

use super::{Mail, Mailer};
use async_trait::async_trait;
use std::sync::Mutex;

/// A caught mail with its send time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaughtMail {
    /// Sequence number.
    pub id: u64,
    /// The mail.
    pub mail: Mail,
    /// When (Unix ms).
    pub sent_at_ms: i64,
}

/// Keeps mail instead of sending it.
#[derive(Default)]
pub struct MailCatcher {
    inbox: Mutex<(u64, Vec<CaughtMail>)>,
}

const KEEP: usize = 200;

impl MailCatcher {
    /// Every caught mail, newest first.
    pub fn all(&self) -> Vec<CaughtMail> {
        self.inbox
            .lock()
            .map(|inbox| inbox.1.iter().rev().cloned().collect())
            .unwrap_or_default()
    }
}

#[async_trait]
impl Mailer for MailCatcher {
    async fn send(&self, mail: Mail) -> anyhow::Result<()> {
        let mut inbox = self
            .inbox
            .lock()
            .map_err(|_| anyhow::anyhow!("mail catcher poisoned"))?;
        inbox.0 += 1;
        let id = inbox.0;
        inbox.1.push(CaughtMail {
            id,
            mail,
            sent_at_ms: crate::server::store::unix_ms(time::OffsetDateTime::now_utc()),
        });
        if inbox.1.len() > KEEP {
            inbox.1.remove(0);
        }
        Ok(())
    }

    fn catcher(&self) -> Option<&MailCatcher> {
        Some(self)
    }
}
