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
    /// Shared secret(s) of the signed events our WHMCS hook module sends to
    /// `/webhooks/whmcs`, comma-separated while rotating (any one verifies).
    pub webhook_secrets: SecretString,
    /// How far an event's timestamp may be from now, either side.
    pub webhook_tolerance_secs: u64,
}

/// The development webhook secret shipped in `config/default.toml`; production refuses it.
pub const SANDBOX_WEBHOOK_SECRET: &str = "sandbox-webhook-secret";

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
    /// The price book whose entries the portal sells at: its Name, or its `01s…` id.
    #[serde(default)]
    pub portal_pricebook: String,
    /// Product2 checkbox: shown in the portal.
    #[serde(default)]
    pub product_catalog_field: String,
    /// Product2 English name field.
    #[serde(default)]
    pub product_name_en_field: String,
    /// Product2 WHMCS product id field.
    #[serde(default)]
    pub product_whmcs_id_field: String,
    /// Product2 billing cycle field (`Monthly`, `Annually`, `Onetime`).
    #[serde(default)]
    pub product_billing_cycle_field: String,
    /// Product2 item class field (`Service`, `Activation`, `Option`).
    #[serde(default)]
    pub product_item_class_field: String,
    /// Product2 WHMCS configuration options (JSON object) field.
    #[serde(default)]
    pub product_config_options_field: String,
    /// Product2 Freebit plan code field (SIM plans).
    #[serde(default)]
    pub product_freebit_plan_field: String,
    /// Product2 lookup to the activation product a plan needs.
    #[serde(default)]
    pub product_activation_field: String,
    /// Order field (Text, External ID, Unique) holding the portal's idempotency key.
    #[serde(default)]
    pub order_idempotency_field: String,
    /// Order provisioning status field (picklist).
    #[serde(default)]
    pub order_provisioning_status_field: String,
    /// Order field holding the WHMCS order id.
    #[serde(default)]
    pub order_whmcs_order_id_field: String,
    /// Order field holding the provisioning error text.
    #[serde(default)]
    pub order_error_field: String,
    /// Order field (DateTime) holding when provisioning finished.
    #[serde(default)]
    pub order_provisioned_at_field: String,
    /// Case field (Text) holding the billing system's service id a case is about.
    #[serde(default)]
    pub case_service_id_field: String,
    /// Case field (Text) holding that service's name.
    #[serde(default)]
    pub case_service_name_field: String,
    /// Case field (Text) holding the line's masked phone number.
    #[serde(default)]
    pub case_phone_masked_field: String,
    /// Case lookup to the Order a case is about.
    #[serde(default)]
    pub case_order_field: String,
    /// Case picklist holding the category (`Billing`, `Technical`, `Service`, `Order`, `Other`).
    #[serde(default)]
    pub case_category_field: String,
    /// Shared secret(s) of the signed events the org sends to `/webhooks/salesforce` (e.g.
    /// `catalog.changed` from a Flow on Product2/PricebookEntry), comma-separated while
    /// rotating; the tolerance is `whmcs.webhook_tolerance_secs`'s.
    #[serde(default = "sandbox_webhook_secret")]
    pub webhook_secrets: SecretString,
    /// Pub/Sub API (gRPC) endpoint, e.g. `https://api.pubsub.salesforce.com:7443`; `http://`
    /// means plaintext h2c (local servers only). Empty = the sandbox simulator's own port in
    /// embedded mode, else Salesforce's public endpoint.
    #[serde(default)]
    pub pubsub_url: String,
}

fn sandbox_webhook_secret() -> SecretString {
    SecretString::from(SANDBOX_WEBHOOK_SECRET)
}
