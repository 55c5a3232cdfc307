//! `current_viewer`: who is signed in, for the header (None for visitors).

use crate::domain::account::Viewer;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in customer, if any.
#[server(prefix = "/api", endpoint = "auth/viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    let customer = crate::server::auth::customer::signed_in_customer().await?;
    Ok(customer.map(|c| Viewer {
        email: c.user.email.clone(),
    }))
}
