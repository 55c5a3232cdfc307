//! CSRF defence for every state-changing request, on top of `SameSite=Lax` cookies: a browser
//! always says where a request comes from (`Sec-Fetch-Site`, or at least `Origin` on POST), and
//! anything cross-site is refused with 403 before it reaches a handler. Requests without either
//! header are not from a browser (no victim's cookies ride along) and pass.
//!
//! Webhooks (`/webhooks/…`) are exempt: they are cross-site by nature and authenticate with
//! their own signature.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The origin the portal is served from, if configured (else the request's `Host`).
#[derive(Clone)]
pub struct CsrfConfig {
    /// `https://portal.example.jp`.
    pub public_origin: Option<Arc<str>>,
}

/// Whether a request with these headers may change state.
pub fn allowed(
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    public_origin: Option<&str>,
) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
        || path.starts_with("/webhooks/")
    {
        return true;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // `none` = typed in the address bar or a bookmark; not a forged cross-site request.
        return matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let expected = match public_origin {
                Some(o) => Some(o.to_owned()),
                None => headers
                    .get(header::HOST)
                    .and_then(|v| v.to_str().ok())
                    .map(|host| host.to_owned()),
            };
            match expected {
                Some(expected) if expected.contains("://") => origin == expected,
                // Compare without the scheme when all we know is the Host header.
                Some(host) => origin
                    .split_once("://")
                    .is_some_and(|(_, rest)| rest == host),
                None => false,
            }
        }
    }
}

/// The middleware.
pub async fn check(State(config): State<CsrfConfig>, req: Request, next: Next) -> Response {
    if allowed(
        req.method(),
        req.uri().path(),
        req.headers(),
        config.public_origin.as_deref(),
    ) {
        next.run(req).await
    } else {
        tracing::warn!(path = %req.uri().path(), "cross-site state-changing request refused");
        (StatusCode::FORBIDDEN, "cross-site request refused").into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cross_site_posts_are_refused() {
        let post = Method::POST;
        let path = "/api/auth/login";
        assert!(!allowed(
            &post,
            path,
            &headers(&[("sec-fetch-site", "cross-site")]),
            None
        ));
        assert!(!allowed(
            &post,
            path,
            &headers(&[("sec-fetch-site", "same-site")]),
            None
        ));
        assert!(allowed(
            &post,
            path,
            &headers(&[("sec-fetch-site", "same-origin")]),
            None
        ));
        assert!(!allowed(
            &post,
            path,
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "portal.example.jp")
            ]),
            None
        ));
        assert!(allowed(
            &post,
            path,
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
            None
        ));
        assert!(!allowed(
            &post,
            path,
            &headers(&[("origin", "http://portal.example.jp")]),
            Some("https://portal.example.jp")
        ));
        assert!(!allowed(
            &post,
            path,
            &headers(&[("origin", "null"), ("host", "a")]),
            None
        ));
    }

    #[test]
    fn reads_webhooks_and_non_browsers_pass() {
        let evil = headers(&[("sec-fetch-site", "cross-site")]);
        assert!(allowed(&Method::GET, "/", &evil, None));
        assert!(allowed(&Method::POST, "/webhooks/whmcs", &evil, None));
        assert!(allowed(&Method::POST, "/api/x", &HeaderMap::new(), None));
    }
}
