//! Security headers on every response. The framing, sniffing and referrer rules apply to all
//! pages; HSTS only in production (a developer's http://127.0.0.1 must keep working).
//!
//! The Content-Security-Policy locks down framing, plugins, base URLs, form targets and
//! connections. Scripts are limited to our own origin plus WASM compilation; Leptos' hydration
//! bootstrap is an inline module script, so `'unsafe-inline'` stays in `script-src` until the
//! accounts issue wires per-response nonces (Leptos `nonce` feature) into it.

use axum::http::{HeaderName, HeaderValue};
use tower_http::set_header::SetResponseHeaderLayer;

const CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; \
object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

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
            SetResponseHeaderLayer::overriding(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            )
        })
        .collect()
}
