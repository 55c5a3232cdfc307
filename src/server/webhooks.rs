//! Inbound provider events. `POST /webhooks/whmcs` receives the signed events our WHMCS hook
//! module sends (contract in `docs/WHMCS_EVENTS.md`): verified, de-duplicated by event id in
//! the store, and acted on by dropping the affected customer's cached data.

pub mod events;
pub mod signature;
mod whmcs;

pub use whmcs::{MAX_BODY, whmcs};

use crate::server::config::WhmcsSettings;
use secrecy::{ExposeSecret, SecretString};

/// The secrets and clock window inbound events are checked with.
pub struct WebhookKeys {
    whmcs_secrets: Vec<SecretString>,
    tolerance_secs: i64,
}

impl WebhookKeys {
    /// From `[whmcs] webhook_secrets` (comma-separated) and `webhook_tolerance_secs`.
    pub fn from_settings(settings: &WhmcsSettings) -> Self {
        WebhookKeys {
            whmcs_secrets: settings
                .webhook_secrets
                .expose_secret()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(SecretString::from)
                .collect(),
            tolerance_secs: i64::try_from(settings.webhook_tolerance_secs).unwrap_or(i64::MAX),
        }
    }

    /// The secret new events are signed with (the first listed), for the sandbox's emitter.
    pub fn whmcs_signing_secret(&self) -> Option<&SecretString> {
        self.whmcs_secrets.first()
    }
}
