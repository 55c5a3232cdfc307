//! Usage alerts and in-app notices: the SIM page's alert panel (threshold + this line's
//! notices), setting and clearing a threshold, the dashboard's notices and dismissing one.
//! Thin: ownership, the usage check and the once-a-month rule are `server::sims::alerts`'.
//! The writes redirect a plain form post back to the page (with a flag it confirms), so they
//! work without JavaScript.

use crate::domain::sim::alerts::Notice;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One line's alert panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertPanel {
    /// The threshold in GB as the customer typed it (`5`, `0.5`), when one is set.
    pub threshold_gb: Option<String>,
    /// The line's open notices, newest first.
    pub notices: Vec<Notice>,
}

/// What a write did, for the page's confirmation (`?alert=saved|cleared|dismissed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AlertOutcome {
    /// A threshold was set.
    Saved,
    /// The threshold was removed.
    Cleared,
    /// A notice was dismissed.
    Dismissed,
}

impl AlertOutcome {
    /// The query value.
    pub fn key(self) -> &'static str {
        match self {
            AlertOutcome::Saved => "saved",
            AlertOutcome::Cleared => "cleared",
            AlertOutcome::Dismissed => "dismissed",
        }
    }

    /// The outcome named by [`AlertOutcome::key`].
    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "saved" => Some(AlertOutcome::Saved),
            "cleared" => Some(AlertOutcome::Cleared),
            "dismissed" => Some(AlertOutcome::Dismissed),
            _ => None,
        }
    }
}

/// One of the customer's lines' threshold and notices (`NotFound` for anyone else's line);
/// checks the line's usage (through the five-minute cache) first.
#[server(prefix = "/api", endpoint = "sims/alerts/get")]
pub async fn get_usage_alert(number: String) -> Result<AlertPanel, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    let (threshold, notices) =
        crate::server::sims::alerts::line_panel(&state, &customer, &number).await?;
    Ok(AlertPanel {
        threshold_gb: threshold.map(|t| t.gb_text()),
        notices,
    })
}

/// Sets the alert threshold of one of the customer's lines: `threshold_gb`, 0.1–1000 GB with
/// at most one decimal. Back to `/sims/{number}?alert=saved`.
#[server(prefix = "/api", endpoint = "sims/alerts/set")]
pub async fn set_usage_alert(
    number: String,
    #[server(default)] threshold_gb: String,
) -> Result<AlertOutcome, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    let (line, _) =
        crate::server::sims::alerts::set(&state, &customer, &number, &threshold_gb).await?;
    let outcome = AlertOutcome::Saved;
    leptos_axum::redirect(&format!("/sims/{}?alert={}", line.digits(), outcome.key()));
    Ok(outcome)
}

/// Removes the alert of one of the customer's lines. Back to `/sims/{number}?alert=cleared`.
#[server(prefix = "/api", endpoint = "sims/alerts/clear")]
pub async fn clear_usage_alert(number: String) -> Result<AlertOutcome, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    let line = crate::server::sims::alerts::clear(&state, &customer, &number).await?;
    let outcome = AlertOutcome::Cleared;
    leptos_axum::redirect(&format!("/sims/{}?alert={}", line.digits(), outcome.key()));
    Ok(outcome)
}

/// The customer's open notices, newest first, after checking their lines that have an alert.
#[server(prefix = "/api", endpoint = "notices")]
pub async fn list_notices() -> Result<Vec<Notice>, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    crate::server::sims::alerts::dashboard_notices(&state, &customer).await
}

/// Dismisses one of the customer's notices (`NotFound` for anyone else's). A plain form post
/// goes back to `back` — a path on this site (the dashboard, `/`, otherwise) — with
/// `?alert=dismissed`.
#[server(prefix = "/api", endpoint = "notices/dismiss")]
pub async fn dismiss_notice(
    id: String,
    #[server(default)] back: String,
) -> Result<AlertOutcome, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    crate::server::sims::alerts::dismiss(&state, &customer, &id).await?;
    let outcome = AlertOutcome::Dismissed;
    leptos_axum::redirect(&format!("{}?alert={}", local_path(&back), outcome.key()));
    Ok(outcome)
}

/// `back` when it is a plain path on this site (no scheme, host, `//` or query), else the
/// dashboard (`/`): a redirect target from a form must not send the customer elsewhere.
#[cfg(feature = "ssr")]
fn local_path(back: &str) -> &str {
    let plain = back.starts_with('/')
        && !back.starts_with("//")
        && back
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_'));
    if plain { back } else { "/" }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_back() {
        assert_eq!(local_path("/sims/09012345678"), "/sims/09012345678");
        assert_eq!(local_path("/"), "/");
        for bad in [
            "",
            "//evil.example",
            "https://evil.example/",
            "/x?y=1",
            "/a\\b",
            "sims",
        ] {
            assert_eq!(local_path(bad), "/", "{bad}");
        }
    }

    #[test]
    fn outcome_keys_round_trip() {
        for o in [
            AlertOutcome::Saved,
            AlertOutcome::Cleared,
            AlertOutcome::Dismissed,
        ] {
            assert_eq!(AlertOutcome::from_key(o.key()), Some(o));
        }
        assert_eq!(AlertOutcome::from_key("x"), None);
    }
}
