//! `[support]`: what customers may attach to a support case, and how long a closed case can be
//! reopened. Checked at start-up, so a typo in a file type stops the portal rather than
//! silently refusing every upload.

use super::ConfigError;
use crate::domain::support::{FileKind, FileRules};
use serde::Deserialize;

/// `[support]`.
#[derive(Debug, Clone, Deserialize)]
pub struct SupportSettings {
    /// Largest attachment, in bytes.
    pub max_attachment_bytes: u64,
    /// Accepted attachment types, comma-separated: `png`, `jpeg`, `pdf`, `txt`.
    pub attachment_types: String,
    /// Days after closing during which the customer can reopen a case.
    pub reopen_days: u32,
    /// Seconds between reads of a customer's cases while they have a support page or the
    /// dashboard open (how soon an agent's answer appears live).
    #[serde(default = "default_live_poll_secs")]
    pub live_poll_secs: u64,
}

fn default_live_poll_secs() -> u64 {
    10
}

/// Salesforce takes at most about 37.5 MB of file data in one JSON insert.
const MAX_ATTACHMENT_LIMIT: u64 = 37_000_000;

impl SupportSettings {
    /// The attachment rules.
    pub fn file_rules(&self) -> Result<FileRules, ConfigError> {
        let mut kinds = Vec::new();
        for key in self
            .attachment_types
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            let kind = FileKind::from_key(key).ok_or_else(|| {
                ConfigError::invalid(
                    "support.attachment_types",
                    "lists only png, jpeg, pdf and txt, comma-separated",
                )
            })?;
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        if kinds.is_empty() {
            return Err(ConfigError::invalid(
                "support.attachment_types",
                "needs at least one type",
            ));
        }
        Ok(FileRules {
            max_bytes: self.max_attachment_bytes,
            kinds,
        })
    }

    /// Checks the values.
    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if self.max_attachment_bytes == 0 || self.max_attachment_bytes > MAX_ATTACHMENT_LIMIT {
            return Err(ConfigError::invalid(
                "support.max_attachment_bytes",
                "must be between 1 and 37000000 (Salesforce's limit for one file)",
            ));
        }
        if !(1..=300).contains(&self.live_poll_secs) {
            return Err(ConfigError::invalid(
                "support.live_poll_secs",
                "must be between 1 and 300",
            ));
        }
        if self.reopen_days > 365 {
            return Err(ConfigError::invalid(
                "support.reopen_days",
                "must be at most 365",
            ));
        }
        self.file_rules().map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(types: &str, max: u64) -> SupportSettings {
        SupportSettings {
            max_attachment_bytes: max,
            attachment_types: types.into(),
            reopen_days: 14,
            live_poll_secs: 10,
        }
    }

    #[test]
    fn types_and_sizes_are_checked() {
        let rules = settings("png, jpg,pdf,txt,png", 5)
            .file_rules()
            .expect("valid");
        assert_eq!(rules.kinds, FileKind::ALL.to_vec());
        assert!(settings("png,exe", 5).validate().is_err());
        assert!(settings(" , ", 5).validate().is_err());
        assert!(settings("png", 0).validate().is_err());
        assert!(settings("png", 40_000_000).validate().is_err());
        assert!(settings("pdf", 5 * 1024 * 1024).validate().is_ok());
        let mut polling = settings("pdf", 5);
        polling.live_poll_secs = 0;
        assert!(polling.validate().is_err());
        polling.live_poll_secs = 301;
        assert!(polling.validate().is_err());
    }
}
