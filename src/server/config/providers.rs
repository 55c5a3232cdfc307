//! `[whmcs]` and `[salesforce]`: where the providers are and how to authenticate. Empty URLs
//! and keys mean "use the built-in sandbox", which start-up fills in; production refuses them.

use secrecy::SecretString;
use serde::Deserialize;
use std::path::PathBuf;

/// `[whmcs]`.
#[derive(Debug, Clone, Deserialize)]
pub struct WhmcsSettings {
    /// Full URL of `includes/api.php`; empty = the sandbox simulator.
    pub api_url: String,
    /// API credential identifier.
    pub identifier: SecretString,
    /// API credential secret.
    pub secret: SecretString,
    /// Optional `accesskey` (lets WHMCS accept calls from IPs not on its allow list).
    pub access_key: SecretString,
    /// Per-call time limit.
    pub timeout_ms: u64,
    /// Retries of transport faults (connection refused, timeout, 5xx from a proxy).
    pub max_retries: u32,
}

/// `[salesforce]`.
#[derive(Debug, Clone, Deserialize)]
pub struct SalesforceSettings {
    /// OAuth server (`https://login.salesforce.com`, `https://test.salesforce.com` or a My
    /// Domain); empty = the sandbox simulator.
    pub login_url: String,
    /// Connected app consumer key (the JWT `iss`).
    pub client_id: String,
    /// Integration user (the JWT `sub`).
    pub username: String,
    /// PEM private key whose certificate is registered on the connected app; empty = the
    /// sandbox key (refused in production).
    pub private_key_file: PathBuf,
    /// REST API version, e.g. `v62.0`.
    pub api_version: String,
    /// Per-call time limit.
    pub timeout_ms: u64,
    /// Retries of transport faults.
    pub max_retries: u32,
    /// How long a minted access token is reused before a new one is minted (Salesforce does
    /// not say; a 401 also forces a new one).
    pub token_reuse_secs: u64,
    /// API name of the Account field holding the WHMCS client id (a Text external-id field).
    pub whmcs_client_id_field: String,
    /// API name of the Contact field holding the family-name reading (セイ); empty = not kept.
    pub contact_family_kana_field: String,
    /// API name of the Contact field holding the given-name reading (メイ); empty = not kept.
    pub contact_given_kana_field: String,
}
