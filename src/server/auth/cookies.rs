//! The session cookies: `portal_access` (the JWT, 15 minutes) and `portal_refresh` (the opaque
//! refresh token, 7 days), both `HttpOnly; SameSite=Lax; Path=/` and `Secure` unless turned off
//! for plain-HTTP test setups; plus `portal_2fa`, the short-lived second-factor step token.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use std::time::Duration;

/// Access token cookie.
pub const ACCESS: &str = "portal_access";
/// Refresh token cookie.
pub const REFRESH: &str = "portal_refresh";
/// Second-factor step cookie.
pub const SECOND_FACTOR: &str = "portal_2fa";

/// The value of cookie `name` in the request headers.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"').to_owned())
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value that stores `value` for `max_age`.
pub fn set(name: &str, value: &str, max_age: Duration, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}",
        max_age.as_secs(),
        if secure { "; Secure" } else { "" }
    )
}

/// A `Set-Cookie` value that deletes the cookie.
pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", Duration::ZERO, secure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn reads_one_cookie_among_many() {
        let mut h = HeaderMap::new();
        h.append(
            COOKIE,
            HeaderValue::from_static("theme=dark; portal_access=abc.def"),
        );
        h.append(COOKIE, HeaderValue::from_static("portal_refresh=xyz"));
        assert_eq!(read(&h, ACCESS).as_deref(), Some("abc.def"));
        assert_eq!(read(&h, REFRESH).as_deref(), Some("xyz"));
        assert_eq!(read(&h, SECOND_FACTOR), None);
    }

    #[test]
    fn cookies_are_http_only_and_lax() {
        let c = set(ACCESS, "t", Duration::from_secs(900), true);
        assert_eq!(
            c,
            "portal_access=t; Path=/; Max-Age=900; HttpOnly; SameSite=Lax; Secure"
        );
        assert!(clear(REFRESH, false).contains("Max-Age=0"));
    }
}
