//! Where a request comes from, for sessions, rate limits and the audit log: the peer address
//! (from axum's `ConnectInfo`; the first `X-Forwarded-For` hop only when `auth.trust_forwarded_for`
//! says a proxy sets it — otherwise anyone could pick their own address and dodge the per-IP
//! limits) and the User-Agent, truncated. The auth middleware computes it once per request and
//! leaves it in the request extensions.

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
    pub fn from_parts(parts: &Parts, trust_forwarded_for: bool) -> Self {
        if let Some(known) = parts.extensions.get::<ClientInfo>() {
            return known.clone();
        }
        let forwarded = trust_forwarded_for.then_some(parts).and_then(|parts| {
            parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .map(str::trim)
                .filter(|v| v.parse::<std::net::IpAddr>().is_ok())
                .map(str::to_owned)
        });
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

    /// For the current server-function or SSR request (as the middleware saw it).
    pub fn current() -> Self {
        leptos::prelude::use_context::<Parts>()
            .map(|p| Self::from_parts(&p, false))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(xff: &str) -> Parts {
        let mut req = Request::builder()
            .header("x-forwarded-for", xff)
            .header("user-agent", "UA")
            .body(())
            .expect("request");
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([192, 0, 2, 7], 4000))));
        req.into_parts().0
    }

    #[test]
    fn forwarded_for_is_only_believed_behind_a_trusted_proxy() {
        let p = parts("203.0.113.9, 10.0.0.1");
        assert_eq!(ClientInfo::from_parts(&p, false).ip, "192.0.2.7");
        assert_eq!(ClientInfo::from_parts(&p, true).ip, "203.0.113.9");
        assert_eq!(ClientInfo::from_parts(&parts("junk"), true).ip, "192.0.2.7");
        assert_eq!(ClientInfo::from_parts(&p, false).user_agent, "UA");
    }
}
