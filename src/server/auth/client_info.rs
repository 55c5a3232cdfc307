//! Where a request comes from, for sessions, rate limits and the audit log: the peer address
//! (from axum's `ConnectInfo`, or the first `X-Forwarded-For` hop when the portal runs behind
//! a proxy that sets it) and the User-Agent, both truncated.

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use std::net::SocketAddr;

/// Client address and browser of one request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientInfo {
    /// IP address, or `unknown`.
    pub ip: String,
    /// User-Agent, at most 256 characters.
    pub user_agent: String,
}

impl ClientInfo {
    /// Reads it from request parts.
    pub fn from_parts(parts: &Parts) -> Self {
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| v.parse::<std::net::IpAddr>().is_ok())
            .map(str::to_owned);
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string());
        let user_agent = parts
            .headers
            .get(axum::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .chars()
            .take(256)
            .collect();
        ClientInfo {
            ip: forwarded.or(peer).unwrap_or_else(|| "unknown".into()),
            user_agent,
        }
    }

    /// For the current server-function or SSR request.
    pub fn current() -> Self {
        leptos::prelude::use_context::<Parts>()
            .map(|p| Self::from_parts(&p))
            .unwrap_or_default()
    }
}
