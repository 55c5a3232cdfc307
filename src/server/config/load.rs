//! Reads the layers and turns every failure into an error that names the key.

use super::Settings;
use config::{Config, Environment as EnvSource, File, FileFormat};
use std::path::{Path, PathBuf};

/// The compiled-in defaults (`config/default.toml`).
const DEFAULTS: &str = include_str!("../../../config/default.toml");

/// A configuration problem, always naming the offending key or file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A value was present but unacceptable.
    #[error("configuration key `{key}` is invalid: {reason}")]
    Invalid {
        /// Dotted key, e.g. `database.url`.
        key: String,
        /// Why.
        reason: String,
    },
    /// A layer could not be read or parsed (the message names the key or file).
    #[error("configuration could not be read: {0}")]
    Source(#[from] config::ConfigError),
}

impl ConfigError {
    /// Builds an `Invalid` error.
    pub fn invalid(key: &str, reason: &str) -> Self {
        ConfigError::Invalid {
            key: key.to_owned(),
            reason: reason.to_owned(),
        }
    }
}

/// Loads settings from the process environment and the default file locations.
pub fn load() -> Result<Settings, ConfigError> {
    let file = std::env::var_os("PORTAL_CONFIG").map(PathBuf::from);
    let vars: Vec<(String, String)> = std::env::vars().collect();
    load_from(file.as_deref(), &vars)
}

/// Loads settings from an explicit optional file and an explicit set of variables (tests use
/// this so they never depend on, or change, the real environment).
pub fn load_from(file: Option<&Path>, vars: &[(String, String)]) -> Result<Settings, ConfigError> {
    let env_map: std::collections::HashMap<String, String> = vars.iter().cloned().collect();
    let mut builder = Config::builder().add_source(File::from_str(DEFAULTS, FileFormat::Toml));
    builder = match file {
        // An explicitly named file must exist.
        Some(path) => builder.add_source(File::from(path).format(FileFormat::Toml).required(true)),
        None => builder.add_source(File::new("config/portal", FileFormat::Toml).required(false)),
    };
    builder = builder.add_source(
        EnvSource::with_prefix("PORTAL")
            .prefix_separator("__")
            .separator("__")
            .try_parsing(true)
            .source(Some(env_map.clone())),
    );
    for (var, key) in [("DATABASE_URL", "database.url"), ("REDIS_URL", "redis.url")] {
        if let Some(value) = env_map.get(var).filter(|v| !v.is_empty()) {
            builder = builder.set_override(key, value.as_str())?;
        }
    }
    let settings: Settings = builder.build()?.try_deserialize()?;
    settings.validate()?;
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::config::{DatabaseKind, Environment};
    use secrecy::ExposeSecret;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn nothing_configured_means_embedded_mode() {
        let s = load_from(None, &[]).expect("defaults load");
        assert_eq!(s.environment, Environment::Development);
        assert_eq!(s.database.kind().ok(), Some(DatabaseKind::Sqlite));
        assert!(s.redis.url().is_none());
        assert!(s.sandbox.enabled);
        assert!(!s.json_logs());
    }

    /// The keys production requires, as a file layer.
    const PRODUCTION_FILE: &str = r#"
[whmcs]
api_url = "https://billing.example.jp/includes/api.php"
webhook_secrets = "a-production-webhook-secret"
[salesforce]
login_url = "https://login.salesforce.com"
private_key_file = "/run/secrets/sf.pem"
webhook_secrets = "a-production-salesforce-secret"
[freebit]
base_url = "https://i1.mvno.net/emptool/api"
oem_key = "a-production-oem-key"
[mail]
smtp_url = "smtps://user:pw@smtp.example.jp"
[auth]
jwt_keys = [{ kid = "k1", secret = "a-production-secret-of-at-least-32-bytes" }]
[billing]
registration_number = "T1234567890123"
"#;

    #[test]
    fn environment_overrides_defaults() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("portal.toml");
        std::fs::write(&path, PRODUCTION_FILE).expect("write");
        let s = load_from(
            Some(&path),
            &vars(&[
                ("DATABASE_URL", "postgres://u:pw@db/portal"),
                ("REDIS_URL", "redis://cache:6379"),
                ("PORTAL__CACHE__MEMORY_CAPACITY", "42"),
                ("PORTAL__SANDBOX__ENABLED", "false"),
                ("PORTAL__ENVIRONMENT", "production"),
            ]),
        )
        .expect("loads");
        assert_eq!(s.database.kind().ok(), Some(DatabaseKind::Postgres));
        assert_eq!(s.redis.url(), Some("redis://cache:6379"));
        assert_eq!(s.cache.memory_capacity, 42);
        assert!(s.json_logs());
    }

    #[test]
    fn a_file_layer_sits_between_defaults_and_environment() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("portal.toml");
        std::fs::write(
            &path,
            "[cache]\nmemory_capacity = 7\n[server]\nrequest_timeout_secs = 9\n",
        )
        .expect("write");
        let s = load_from(
            Some(&path),
            &vars(&[("PORTAL__SERVER__REQUEST_TIMEOUT_SECS", "11")]),
        )
        .expect("loads");
        assert_eq!(s.cache.memory_capacity, 7);
        assert_eq!(s.server.request_timeout_secs, 11);
    }

    #[test]
    fn errors_name_the_key() {
        let err = load_from(None, &vars(&[("PORTAL__CACHE__MEMORY_CAPACITY", "lots")]))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("cache.memory_capacity"), "{err}");

        let err = load_from(None, &vars(&[("DATABASE_URL", "mysql://u:secretpw@h/db")]))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("database.url"), "{err}");
        assert!(!err.contains("secretpw"), "the password leaked: {err}");

        let err = load_from(None, &vars(&[("PORTAL__ENVIRONMENT", "production")]))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("sandbox.enabled"), "{err}");

        let err = load_from(None, &vars(&[("REDIS_URL", "http://x")]))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("redis.url"), "{err}");
    }

    #[test]
    fn production_refuses_every_sandbox_fallback() {
        let dir = tempfile::tempdir().expect("tempdir");
        for (key, line) in [
            (
                "whmcs.api_url",
                "api_url = \"https://billing.example.jp/includes/api.php\"",
            ),
            (
                "whmcs.webhook_secrets",
                "webhook_secrets = \"a-production-webhook-secret\"",
            ),
            (
                "salesforce.login_url",
                "login_url = \"https://login.salesforce.com\"",
            ),
            (
                "salesforce.webhook_secrets",
                "webhook_secrets = \"a-production-salesforce-secret\"",
            ),
            (
                "freebit.base_url",
                "base_url = \"https://i1.mvno.net/emptool/api\"",
            ),
            ("freebit.oem_key", "oem_key = \"a-production-oem-key\""),
            (
                "mail.smtp_url",
                "smtp_url = \"smtps://user:pw@smtp.example.jp\"",
            ),
            (
                "auth.jwt_keys",
                "jwt_keys = [{ kid = \"k1\", secret = \"a-production-secret-of-at-least-32-bytes\" }]",
            ),
            (
                "billing.registration_number",
                "registration_number = \"T1234567890123\"",
            ),
        ] {
            let path = dir.path().join("portal.toml");
            std::fs::write(&path, PRODUCTION_FILE.replace(line, "")).expect("write");
            let err = load_from(
                Some(&path),
                &vars(&[
                    ("PORTAL__ENVIRONMENT", "production"),
                    ("PORTAL__SANDBOX__ENABLED", "false"),
                ]),
            )
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
            assert!(err.contains(key), "{key}: {err}");
        }
    }

    #[test]
    fn a_named_file_must_exist() {
        let err = load_from(Some(Path::new("/nonexistent/portal.toml")), &[]);
        assert!(err.is_err());
    }

    #[test]
    fn secrets_never_print() {
        let s = load_from(
            None,
            &vars(&[("DATABASE_URL", "postgres://u:hunter2@db/p")]),
        )
        .expect("loads");
        let printed = format!("{s:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert_eq!(s.database.url.expose_secret(), "postgres://u:hunter2@db/p");
    }
}
