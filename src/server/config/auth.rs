//! `[auth]` and `[mail]`: session lifetimes, signing keys, rate limits, outgoing mail.

use secrecy::SecretString;
use serde::Deserialize;

/// `[auth]`.
#[derive(Debug, Clone, Deserialize)]
pub struct AuthSettings {
    /// The portal's public origin (`https://portal.example.jp`), used in mailed links and by
    /// the CSRF origin check. Empty = the request's own `Host`.
    pub public_url: String,
    /// Access-token signing keys (HS256). The first signs; all verify (rotation by key id).
    pub jwt_keys: Vec<JwtKey>,
    /// Access token lifetime.
    pub access_ttl_secs: u64,
    /// Refresh token lifetime.
    pub refresh_ttl_secs: u64,
    /// A just-rotated refresh token presented again within this many seconds (parallel
    /// requests of one browser) is not treated as a replay.
    pub refresh_grace_secs: u64,
    /// Mark cookies `Secure` (browsers accept them on http://localhost too).
    pub secure_cookies: bool,
    /// Failed logins per account before delays start.
    pub login_free_failures: u32,
    /// Login attempts per IP address per window.
    pub login_per_ip: u32,
    /// Sign-ups and reset requests per IP address per window.
    pub signup_per_ip: u32,
    /// The rate-limit window.
    pub rate_window_secs: u64,
    /// How long emailed links stay valid.
    pub email_link_ttl_secs: u64,
    /// Read the client address from `X-Forwarded-For` (set only behind a trusted proxy).
    pub trust_forwarded_for: bool,
}

/// One signing key.
#[derive(Debug, Clone, Deserialize)]
pub struct JwtKey {
    /// Key id written in the token header.
    pub kid: String,
    /// At least 32 bytes.
    pub secret: SecretString,
}

/// `[mail]`.
#[derive(Debug, Clone, Deserialize)]
pub struct MailSettings {
    /// Sender address.
    pub from: String,
    /// `smtp://` or `smtps://` URL (lettre syntax); empty = the sandbox mail catcher.
    pub smtp_url: SecretString,
}

/// The development signing key shipped in `config/default.toml`; production refuses it.
pub const DEVELOPMENT_JWT_SECRET: &str = "development-only-signing-key-change-me-in-production";
