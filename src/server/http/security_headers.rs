//! Security headers on every response. The framing, sniffing and referrer rules apply to all
//! pages; HSTS only in production (a developer's http://127.0.0.1 must keep working).
//!
//! The Content-Security-Policy locks down framing, plugins, base URLs, form targets and
//! connections. Scripts are limited to our own origin plus WASM compilation — no
//! `'unsafe-inline'`: every HTML page gets a fresh nonce (Leptos' `nonce` feature puts it on the
//! hydration bootstrap script) and its own policy naming it ([`set_page_policy`]); other
//! responses get the static policy, which allows no inline script at all.

use axum::http::{HeaderName, HeaderValue};
use tower_http::set_header::SetResponseHeaderLayer;

const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; \
object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The policy of one HTML page, allowing exactly the scripts carrying `nonce`.
pub fn page_policy(nonce: &str) -> String {
    CSP.replacen(
        "script-src 'self'",
        &format!("script-src 'self' 'nonce-{nonce}'"),
        1,
    )
}

/// Sets the current page's policy from the nonce Leptos provided for this request (called by
/// the shell while rendering; the static layer leaves an existing policy alone).
pub fn set_page_policy() {
    use leptos::prelude::use_context;
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(value) = HeaderValue::from_str(&page_policy(&nonce.to_string()))
    {
        response.insert_header(HeaderName::from_static("content-security-policy"), value);
    }
}

/// The layers to add, in any order.
pub fn layers(production: bool) -> Vec<SetResponseHeaderLayer<HeaderValue>> {
    let mut headers = vec![
        ("content-security-policy", CSP),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
        (
            "permissions-policy",
            "camera=(), microphone=(), geolocation=()",
        ),
        ("cross-origin-opener-policy", "same-origin"),
    ];
    if production {
        headers.push((
            "strict-transport-security",
            "max-age=63072000; includeSubDomains",
        ));
    }
    headers
        .into_iter()
        .map(|(name, value)| {
            let (name, value) = (
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
            // A page's own nonce policy wins over the static one.
            if name == "content-security-policy" {
                SetResponseHeaderLayer::if_not_present(name, value)
            } else {
                SetResponseHeaderLayer::overriding(name, value)
            }
        })
        .collect()
}
