//! `current_viewer`: who is signed in, for the header (None for visitors).

use crate::domain::account::Viewer;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in customer, if any.
#[server(prefix = "/api", endpoint = "auth/viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    if crate::server::auth::customer::identity().is_none() {
        return Ok(None);
    }
    match crate::server::auth::customer::require_customer().await {
        Ok(c) => Ok(Some(Viewer {
            email: c.user.email.clone(),
            display_name: c.user.email.clone(),
            totp_enabled: c.user.totp_enabled_at_ms.is_some(),
        })),
        Err(AppError::Unauthenticated) => Ok(None),
        Err(other) => Err(other),
    }
}
