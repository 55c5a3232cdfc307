//! The settings tree, section by section, with the checks `load` runs after parsing.

use super::ConfigError;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::net::IpAddr;
use std::path::PathBuf;

/// Everything the portal can be configured with.
#[derive(Debug, Deserialize)]
pub struct Settings {
    /// Development or production.
    pub environment: Environment,
    /// HTTP listener.
    pub server: ServerSettings,
    /// Logging.
    pub log: LogSettings,
    /// The portal's own database.
    pub database: DatabaseSettings,
    /// Redis (optional).
    pub redis: RedisSettings,
    /// The in-process cache.
    pub cache: CacheSettings,
    /// The provider simulators.
    pub sandbox: SandboxSettings,
    /// WHMCS (billing).
    pub whmcs: super::WhmcsSettings,
    /// Salesforce (CRM, catalog, orders, cases).
    pub salesforce: super::SalesforceSettings,
    /// Freebit (the SIM platform).
    pub freebit: super::FreebitSettings,
    /// Sessions, passwords, rate limits.
    pub auth: super::AuthSettings,
    /// Outgoing mail.
    pub mail: super::MailSettings,
    /// The invoice issuer and the invoice PDF's fonts.
    pub billing: super::BillingSettings,
    /// The order provisioning pipeline.
    #[serde(default)]
    pub provisioning: super::ProvisioningSettings,
    /// Support cases: attachments and reopening.
    pub support: super::SupportSettings,
    /// SIM data top-ups: price per GB and gateway.
    #[serde(default)]
    pub sims: super::SimsSettings,
}

/// Where the portal runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// A developer's machine or a demo: readable logs.
    Development,
    /// Real customers: JSON logs, HSTS, sandbox refused.
    Production,
}

/// `[server]`.
#[derive(Debug, Deserialize)]
pub struct ServerSettings {
    /// Listen address; empty means Leptos' `site-addr`.
    pub addr: String,
    /// Per-request time limit.
    pub request_timeout_secs: u64,
}

/// `[log]`.
#[derive(Debug, Deserialize)]
pub struct LogSettings {
    /// Output format.
    pub format: LogFormat,
    /// EnvFilter directives.
    pub filter: String,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Pretty in development, JSON in production.
    Auto,
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line.
    Json,
}

/// `[database]`.
#[derive(Debug, Deserialize)]
pub struct DatabaseSettings {
    /// `sqlite://…` or `postgres://…`; may hold a password, hence secret.
    pub url: SecretString,
    /// Pool size.
    pub max_connections: u32,
}

/// Which SQL backend a database URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    /// Embedded file database.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

impl DatabaseSettings {
    /// The backend named by the URL's scheme.
    pub fn kind(&self) -> Result<DatabaseKind, ConfigError> {
        let url = self.url.expose_secret();
        if url.starts_with("sqlite:") {
            Ok(DatabaseKind::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DatabaseKind::Postgres)
        } else {
            Err(ConfigError::invalid(
                "database.url",
                "must start with sqlite: or postgres:// (the value is not shown: it may hold a password)",
            ))
        }
    }
}

/// `[redis]`.
#[derive(Debug, Deserialize)]
pub struct RedisSettings {
    /// Empty when Redis is not used.
    pub url: SecretString,
    /// Key prefix.
    pub key_prefix: String,
}

impl RedisSettings {
    /// The URL, if Redis is configured.
    pub fn url(&self) -> Option<&str> {
        Some(self.url.expose_secret().trim()).filter(|u| !u.is_empty())
    }
}

/// `[cache]`.
#[derive(Debug, Deserialize)]
pub struct CacheSettings {
    /// Capacity of the in-process cache, in entries.
    pub memory_capacity: u64,
    /// Seconds invoices stay fresh.
    pub invoices_fresh_secs: u64,
    /// Seconds services stay fresh.
    pub services_fresh_secs: u64,
    /// Seconds payment methods stay fresh.
    pub pay_methods_fresh_secs: u64,
    /// Seconds currencies stay fresh.
    pub currencies_fresh_secs: u64,
    /// Seconds the catalog stays fresh.
    pub catalog_fresh_secs: u64,
    /// Seconds a customer's orders stay fresh (a checkout drops them at once).
    pub orders_fresh_secs: u64,
    /// Seconds a customer's support cases stay fresh (their own writes drop them at once).
    pub cases_fresh_secs: u64,
    /// Seconds past freshness a copy may stand in while the provider fails.
    pub stale_grace_secs: u64,
}

impl CacheSettings {
    /// The freshness settings the cache applies.
    pub fn freshness(&self) -> crate::server::cache::Freshness {
        crate::server::cache::Freshness {
            invoices_fresh_secs: self.invoices_fresh_secs,
            services_fresh_secs: self.services_fresh_secs,
            pay_methods_fresh_secs: self.pay_methods_fresh_secs,
            currencies_fresh_secs: self.currencies_fresh_secs,
            catalog_fresh_secs: self.catalog_fresh_secs,
            orders_fresh_secs: self.orders_fresh_secs,
            cases_fresh_secs: self.cases_fresh_secs,
            stale_grace_secs: self.stale_grace_secs,
        }
    }
}

/// `[sandbox]`.
#[derive(Debug, Deserialize)]
pub struct SandboxSettings {
    /// Start the simulators in this process.
    pub enabled: bool,
    /// Address the simulators bind.
    pub host: IpAddr,
    /// Control API port (0 = any).
    pub control_port: u16,
    /// Seed file; empty = built-in demo data.
    pub seed_file: PathBuf,
}

impl Settings {
    /// Cross-field checks that serde cannot express.
    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        self.database.kind()?;
        if self.database.max_connections == 0 {
            return Err(ConfigError::invalid(
                "database.max_connections",
                "must be at least 1",
            ));
        }
        if let Some(url) = self.redis.url() {
            let ok = [
                "redis://",
                "rediss://",
                "redis-sentinel://",
                "redis-cluster://",
            ]
            .iter()
            .any(|scheme| url.starts_with(scheme));
            if !ok {
                return Err(ConfigError::invalid(
                    "redis.url",
                    "must start with redis://, rediss://, redis-sentinel:// or redis-cluster://",
                ));
            }
        }
        if self.redis.key_prefix.is_empty() || self.redis.key_prefix.contains(char::is_whitespace) {
            return Err(ConfigError::invalid(
                "redis.key_prefix",
                "must be non-empty without spaces",
            ));
        }
        if !self.server.addr.is_empty() && self.server.addr.parse::<std::net::SocketAddr>().is_err()
        {
            return Err(ConfigError::invalid(
                "server.addr",
                "must look like 127.0.0.1:3000",
            ));
        }
        if self.server.request_timeout_secs == 0 {
            return Err(ConfigError::invalid(
                "server.request_timeout_secs",
                "must be at least 1",
            ));
        }
        if self.auth.jwt_keys.is_empty() {
            return Err(ConfigError::invalid(
                "auth.jwt_keys",
                "needs at least one key",
            ));
        }
        for key in &self.auth.jwt_keys {
            if key.secret.expose_secret().len() < 32 || key.kid.is_empty() {
                return Err(ConfigError::invalid(
                    "auth.jwt_keys",
                    "every key needs a kid and a secret of at least 32 bytes",
                ));
            }
        }
        if self.environment == Environment::Production && self.sandbox.enabled {
            return Err(ConfigError::invalid(
                "sandbox.enabled",
                "must be false in production: the simulators would stand in for real providers",
            ));
        }
        if self.environment == Environment::Production {
            self.validate_production()?;
        }
        let chaos = self.provisioning.chaos_kill_at.as_str();
        if !chaos.is_empty()
            && (self.environment == Environment::Production
                || !crate::server::provisioning::chaos::is_point(chaos))
        {
            return Err(ConfigError::invalid(
                "provisioning.chaos_kill_at",
                "is for the chaos test only: empty in production, else one of the crash points",
            ));
        }
        self.billing
            .validate(self.environment == Environment::Production)?;
        self.support.validate()?;
        self.freebit
            .validate(self.environment == Environment::Production)?;
        Ok(())
    }

    /// Production must name real providers, keys and mail: the sandbox fallbacks are refused.
    fn validate_production(&self) -> Result<(), ConfigError> {
        let missing = [
            ("whmcs.api_url", self.whmcs.api_url.is_empty()),
            (
                "whmcs.webhook_secrets",
                self.whmcs
                    .webhook_secrets
                    .expose_secret()
                    .split(',')
                    .any(|s| s.trim().is_empty() || s.trim() == super::SANDBOX_WEBHOOK_SECRET),
            ),
            (
                "salesforce.webhook_secrets",
                self.salesforce
                    .webhook_secrets
                    .expose_secret()
                    .split(',')
                    .any(|s| s.trim().is_empty() || s.trim() == super::SANDBOX_WEBHOOK_SECRET),
            ),
            ("salesforce.login_url", self.salesforce.login_url.is_empty()),
            (
                "salesforce.private_key_file",
                self.salesforce.private_key_file.as_os_str().is_empty(),
            ),
            (
                "mail.smtp_url",
                self.mail.smtp_url.expose_secret().is_empty(),
            ),
            (
                "auth.jwt_keys",
                self.auth
                    .jwt_keys
                    .iter()
                    .any(|k| k.secret.expose_secret() == super::DEVELOPMENT_JWT_SECRET),
            ),
        ];
        match missing.iter().find(|(_, bad)| *bad) {
            Some((key, _)) => Err(ConfigError::invalid(
                key,
                "must be set to a real value in production (the sandbox default is refused)",
            )),
            None => Ok(()),
        }
    }

    /// Whether logs are JSON.
    pub fn json_logs(&self) -> bool {
        match self.log.format {
            LogFormat::Json => true,
            LogFormat::Pretty => false,
            LogFormat::Auto => self.environment == Environment::Production,
        }
    }
}
