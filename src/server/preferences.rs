//! Writing the display-preference cookies (language, theme) for requests that come without
//! JavaScript; with JavaScript the browser writes the same cookies itself.

use crate::domain::common::Lang;
use crate::domain::preferences::safe_return_path;
use crate::domain::preferences::{LANG_COOKIE, THEME_COOKIE, Theme};
use axum::http::{HeaderValue, header::SET_COOKIE};

const ONE_YEAR: u32 = 365 * 24 * 3600;

/// The `Set-Cookie` value for a preference. Not `HttpOnly`: the page's own script reads it to
/// switch without a reload. Holds no secret.
pub fn cookie(name: &str, value: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Max-Age={ONE_YEAR}; SameSite=Lax"
    ))
    .ok()
}

/// Adds a preference cookie to the current server function's response.
fn set(name: &str, value: &str) {
    if let (Some(opts), Some(header)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        cookie(name, value),
    ) {
        opts.append_header(SET_COOKIE, header);
    }
}

/// Remembers the language.
pub fn set_lang(lang: Lang) {
    set(LANG_COOKIE, lang.tag());
}

/// Remembers the theme.
pub fn set_theme(theme: Theme) {
    set(THEME_COOKIE, theme.as_str());
}

/// Sends a plain form post back to the page it came from: the `Referer`'s path and query,
/// kept on this site (never another host), `/` when there is none.
pub async fn redirect_back() {
    let target = crate::server::context::headers()
        .await
        .ok()
        .and_then(|h| {
            h.get(axum::http::header::REFERER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .and_then(|referer| url::Url::parse(&referer).ok())
        .map(|url| match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        })
        .unwrap_or_else(|| "/".to_owned());
    leptos_axum::redirect(safe_return_path(&target));
}

/// The language of the current request: the preference cookie, else `Accept-Language`, else
/// English.
pub fn request_lang() -> Lang {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| headers_lang(&parts.headers))
        .unwrap_or_default()
}

/// The language a request asks for: the preference cookie, else `Accept-Language`.
pub fn headers_lang(headers: &axum::http::HeaderMap) -> Option<Lang> {
    crate::server::auth::cookies::read(headers, LANG_COOKIE)
        .and_then(|tag| Lang::parse(&tag))
        .or_else(|| {
            headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| {
                    v.split(',')
                        .find_map(|tag| Lang::parse(tag.split(';').next()?.trim().get(..2)?))
                })
        })
}
