//! Inbound provider events. `POST /webhooks/whmcs` receives the signed events our WHMCS hook
//! module sends (contract in `docs/WHMCS_EVENTS.md`): verified, de-duplicated by event id in
//! the store, and acted on by dropping the affected customer's cached data.

pub mod events;
mod salesforce;
pub mod signature;
mod whmcs;

pub use salesforce::salesforce;
pub use whmcs::{MAX_BODY, whmcs};

use crate::server::config::{SalesforceSettings, WhmcsSettings};
use axum::http::HeaderMap;
use secrecy::{ExposeSecret, SecretString};
use signature::SignatureError;
use time::OffsetDateTime;

/// The secrets and clock window inbound events are checked with.
pub struct WebhookKeys {
    whmcs_secrets: Vec<SecretString>,
    salesforce_secrets: Vec<SecretString>,
    tolerance_secs: i64,
}

fn secrets(list: &SecretString) -> Vec<SecretString> {
    list.expose_secret()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(SecretString::from)
        .collect()
}

impl WebhookKeys {
    /// From `[whmcs] webhook_secrets` (comma-separated), `webhook_tolerance_secs` and
    /// `[salesforce] webhook_secrets`.
    pub fn from_settings(whmcs: &WhmcsSettings, salesforce: &SalesforceSettings) -> Self {
        WebhookKeys {
            whmcs_secrets: secrets(&whmcs.webhook_secrets),
            salesforce_secrets: secrets(&salesforce.webhook_secrets),
            tolerance_secs: i64::try_from(whmcs.webhook_tolerance_secs).unwrap_or(i64::MAX),
        }
    }

    /// The event id of a delivery whose headers sign `body` with one of `secrets` within the
    /// clock window.
    fn verified_id(
        &self,
        secrets: &[SecretString],
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<String, SignatureError> {
        let header = |name: &'static str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .ok_or(SignatureError::MissingHeader(name))
        };
        let id = header("x-portal-event-id")?;
        let keys: Vec<&[u8]> = secrets
            .iter()
            .map(|s| s.expose_secret().as_bytes())
            .collect();
        signature::verify(
            &keys,
            header("x-portal-signature")?,
            header("x-portal-timestamp")?,
            id,
            body,
            OffsetDateTime::now_utc().unix_timestamp(),
            self.tolerance_secs,
        )?;
        Ok(id.to_owned())
    }

    /// The secret new events are signed with (the first listed), for the sandbox's emitter.
    pub fn whmcs_signing_secret(&self) -> Option<&SecretString> {
        self.whmcs_secrets.first()
    }
}
