//! `[freebit]`: where the SIM platform's partner API is, the OEM credentials, time limits, and
//! every operation's path (`[freebit.paths]`). Most paths are unverified (reference
//! `freebit.md` §1.1, §2.2), so each is a configuration key: a correction is a one-line change.

use super::ConfigError;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// The sandbox's OEM key (shipped in `config/default.toml`); production refuses it.
pub const SANDBOX_OEM_KEY: &str = "sandbox-oem-key";

/// `[freebit]`.
#[derive(Debug, Clone, Deserialize)]
pub struct FreebitSettings {
    /// API base, up to and including `/emptool/api` (e.g. `https://i1.mvno.net/emptool/api`);
    /// empty = the sandbox simulator.
    pub base_url: String,
    /// OEM id (`authOem/`'s `oemId`).
    pub oem_id: String,
    /// OEM key (`authOem/`'s `oemKey`).
    pub oem_key: SecretString,
    /// Per-call time limit.
    pub timeout_ms: u64,
    /// Retries of transport faults (reads, and top-ups, which their `quotaCode` makes safe).
    pub max_retries: u32,
    /// How long an `authKey` is reused before a new one is fetched (Freebit does not say how
    /// long it lives; an auth error fetches a new one anyway).
    pub auth_key_ttl_secs: u64,
    /// The `version` sent with account detail requests.
    pub detail_version: String,
    /// Operation paths, relative to `base_url`.
    pub paths: FreebitPaths,
}

/// `[freebit.paths]`: one key per operation, relative to `base_url`, with their trailing `/`.
#[derive(Debug, Clone, Deserialize)]
pub struct FreebitPaths {
    /// OEM authentication.
    pub auth: String,
    /// Account detail (PA03-02).
    pub account_detail: String,
    /// Traffic information (PA05-01).
    pub traffic: String,
    /// Quota history (PA05-02).
    pub quota_history: String,
    /// Quota addition (PA04-04).
    pub add_quota: String,
    /// Plan change (PA05-21).
    pub change_plan: String,
    /// Withdrawing a booked plan change.
    pub cancel_plan_change: String,
    /// Cancellation (PA02-04).
    pub cancel_account: String,
    /// Withdrawing a scheduled cancellation.
    pub withdraw_cancellation: String,
    /// Voice option change (PA05-06).
    pub voice_options: String,
    /// 4G/5G contract line change (PA05-38).
    pub contract_line: String,
    /// Speed mode.
    pub speed_mode: String,
    /// Suspend / resume.
    pub line_state: String,
    /// eSIM reissue (PA05-41).
    pub esim_reissue: String,
    /// eSIM profile (activation code).
    pub esim_profile: String,
    /// MNP-out reservation number.
    pub mnp_reserve: String,
}

impl FreebitPaths {
    /// Every path with its key, for checks.
    pub fn all(&self) -> [(&'static str, &str); 16] {
        [
            ("auth", &self.auth),
            ("account_detail", &self.account_detail),
            ("traffic", &self.traffic),
            ("quota_history", &self.quota_history),
            ("add_quota", &self.add_quota),
            ("change_plan", &self.change_plan),
            ("cancel_plan_change", &self.cancel_plan_change),
            ("cancel_account", &self.cancel_account),
            ("withdraw_cancellation", &self.withdraw_cancellation),
            ("voice_options", &self.voice_options),
            ("contract_line", &self.contract_line),
            ("speed_mode", &self.speed_mode),
            ("line_state", &self.line_state),
            ("esim_reissue", &self.esim_reissue),
            ("esim_profile", &self.esim_profile),
            ("mnp_reserve", &self.mnp_reserve),
        ]
    }
}

impl FreebitSettings {
    /// Paths must be relative and plain; production needs a real base URL and key.
    pub(super) fn validate(&self, production: bool) -> Result<(), ConfigError> {
        for (key, path) in self.paths.all() {
            let plain = !path.is_empty()
                && !path.starts_with('/')
                && !path.contains("..")
                && path
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b'.'));
            if !plain {
                return Err(ConfigError::invalid(
                    &format!("freebit.paths.{key}"),
                    "must be a relative path such as mvno/getTrafficInfo/",
                ));
            }
        }
        if self.oem_id.trim().is_empty() {
            return Err(ConfigError::invalid("freebit.oem_id", "must be set"));
        }
        if production {
            if self.base_url.trim().is_empty() {
                return Err(ConfigError::invalid(
                    "freebit.base_url",
                    "must be set to a real value in production (the sandbox default is refused)",
                ));
            }
            let key = self.oem_key.expose_secret();
            if key.is_empty() || key == SANDBOX_OEM_KEY {
                return Err(ConfigError::invalid(
                    "freebit.oem_key",
                    "must be set to a real value in production (the sandbox default is refused)",
                ));
            }
        }
        Ok(())
    }
}
