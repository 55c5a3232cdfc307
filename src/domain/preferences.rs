//! Display preferences a visitor can change without an account: language and colour theme.

use serde::{Deserialize, Serialize};

/// The cookie holding the language (the name leptos_i18n reads and writes).
pub const LANG_COOKIE: &str = "i18n_pref_locale";
/// The cookie holding the theme.
pub const THEME_COOKIE: &str = "theme";

/// The colour theme. `System` follows the operating system's light/dark setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Follow `prefers-color-scheme`.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// The choices, in the order the theme switch shows them.
    pub const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::System];

    /// The value stored in the cookie and in `<html data-theme>`.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Parses a stored value; anything unknown means "follow the system".
    pub fn parse(value: &str) -> Theme {
        match value.trim() {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }
}

/// Where a preference form sends the visitor back to: only a local path, never another site
/// (an open redirect would let a phishing link borrow our domain).
pub fn safe_return_path(candidate: &str) -> &str {
    let ok = candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.contains('\\')
        && !candidate.chars().any(char::is_control);
    if ok { candidate } else { "/" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_parse_is_total() {
        for t in Theme::ALL {
            assert_eq!(Theme::parse(t.as_str()), t);
        }
        assert_eq!(Theme::parse("purple"), Theme::System);
    }

    #[test]
    fn return_paths_stay_on_site() {
        assert_eq!(
            safe_return_path("/billing/invoices?page=2"),
            "/billing/invoices?page=2"
        );
        assert_eq!(safe_return_path("//evil.example/"), "/");
        assert_eq!(safe_return_path("https://evil.example/"), "/");
        assert_eq!(safe_return_path("/\\evil.example"), "/");
        assert_eq!(safe_return_path("/a\nb"), "/");
        assert_eq!(safe_return_path(""), "/");
    }
}
