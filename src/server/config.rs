//! Typed, layered configuration: built-in defaults → optional TOML file → environment.
//!
//! Secrets (database and Redis URLs, which may embed passwords) are `SecretString`s: their
//! `Debug` prints `[REDACTED]`, so a logged `Settings` leaks nothing. Every invalid value fails
//! start-up with a [`ConfigError`] naming the key.

mod auth;
mod billing;
mod freebit;
mod load;
mod providers;
mod provisioning;
mod settings;
mod sims;
mod support;

pub use auth::{AuthSettings, DEVELOPMENT_JWT_SECRET, JwtKey, MailSettings};
pub use billing::{BillingSettings, SANDBOX_REGISTRATION_NUMBER};
pub use freebit::{FreebitPaths, FreebitSettings, SANDBOX_OEM_KEY};
pub use load::{ConfigError, load, load_from};
pub use providers::{SANDBOX_WEBHOOK_SECRET, SalesforceSettings, WhmcsSettings};
pub use provisioning::ProvisioningSettings;
pub use settings::{
    CacheSettings, DatabaseKind, DatabaseSettings, Environment, LogFormat, LogSettings,
    RedisSettings, SandboxSettings, ServerSettings, Settings,
};
pub use sims::SimsSettings;
pub use support::SupportSettings;
