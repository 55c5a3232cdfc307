//! Authentication and the defences around it: password hashing, access tokens (JWT) and
//! rotating refresh tokens in cookies, the middleware that turns cookies into an [`Identity`]
//! (refreshing transparently), the [`customer::require_customer`] helper every server function
//! uses to scope data to the signed-in customer, rate limits, CSRF checks, TOTP, and the audit
//! trail.

pub mod audit;
pub mod client_info;
pub mod cookies;
pub mod csrf;
pub mod customer;
pub mod jwt;
pub mod middleware;
pub mod password;
pub mod rate_limit;
pub mod secrets;
pub mod totp;

use crate::server::config::{AuthSettings, JwtKey};
use secrecy::ExposeSecret;
use std::time::Duration;

/// Who a request is from, once the middleware has checked its cookies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Portal user id.
    pub user_id: String,
    /// Session (refresh family) id.
    pub session_id: String,
}

/// The auth settings in the form the code uses, built once at start.
#[derive(Clone)]
pub struct AuthConfig {
    /// Signing keys: the first signs.
    pub keys: Vec<(String, Vec<u8>)>,
    /// Access token lifetime.
    pub access_ttl: Duration,
    /// Refresh token (and session) lifetime.
    pub refresh_ttl: Duration,
    /// `Secure` cookies.
    pub secure_cookies: bool,
    /// Parallel requests may present a just-rotated refresh token for this long without it
    /// counting as a replay.
    pub refresh_grace: Duration,
    /// Failed logins per account before delays start.
    pub login_free_failures: u32,
    /// Login attempts per IP per window.
    pub login_per_ip: u32,
    /// Sign-ups and reset requests per IP per window.
    pub signup_per_ip: u32,
    /// Rate-limit window.
    pub rate_window: Duration,
    /// Emailed link lifetime.
    pub email_link_ttl: Duration,
    /// Public origin, if configured.
    pub public_url: Option<String>,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
}

impl AuthConfig {
    /// From the `[auth]` settings.
    pub fn from_settings(s: &AuthSettings) -> Self {
        AuthConfig {
            keys: s
                .jwt_keys
                .iter()
                .map(|JwtKey { kid, secret }| {
                    (kid.clone(), secret.expose_secret().as_bytes().to_vec())
                })
                .collect(),
            access_ttl: Duration::from_secs(s.access_ttl_secs),
            refresh_ttl: Duration::from_secs(s.refresh_ttl_secs),
            secure_cookies: s.secure_cookies,
            refresh_grace: Duration::from_secs(s.refresh_grace_secs),
            login_free_failures: s.login_free_failures,
            login_per_ip: s.login_per_ip,
            signup_per_ip: s.signup_per_ip,
            rate_window: Duration::from_secs(s.rate_window_secs),
            email_link_ttl: Duration::from_secs(s.email_link_ttl_secs),
            public_url: Some(s.public_url.trim_end_matches('/').to_owned())
                .filter(|u| !u.is_empty()),
            trust_forwarded_for: s.trust_forwarded_for,
        }
    }
}
