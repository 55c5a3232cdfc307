//! The Content-Security-Policy of the pages whose forms lead to WHMCS (an invoice, the payment
//! methods): the page policy plus the billing system's origin in `form-action`. Without
//! JavaScript, "Pay now" or "Add a payment method" is a form post answered by a redirect to
//! WHMCS's single sign-on URL, and browsers check `form-action` on that redirect too.

use crate::server::http::security_headers::page_policy;
use axum::http::{HeaderName, HeaderValue};

/// Replaces the current page's policy with one that lets its forms lead to WHMCS. Called while
/// rendering such a page (before the headers are sent); does nothing outside a request.
pub fn allow_payment_redirect() {
    use leptos::prelude::use_context;
    let Ok(state) = crate::server::context::state() else {
        return;
    };
    let Some(origin) = url::Url::parse(state.providers.whmcs.api_url())
        .ok()
        .map(|url| url.origin().ascii_serialization())
        .filter(|o| o.starts_with("http"))
    else {
        return;
    };
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        let policy = page_policy(&nonce.to_string()).replacen(
            "form-action 'self'",
            &format!("form-action 'self' {origin}"),
            1,
        );
        if let Ok(value) = HeaderValue::from_str(&policy) {
            response.insert_header(HeaderName::from_static("content-security-policy"), value);
        }
    }
}
