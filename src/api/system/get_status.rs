//! `get_status`: the health of the portal's parts for the status page.

use crate::domain::system::SystemStatus;
use crate::error::AppError;
use leptos::prelude::*;

/// Checks every component now.
#[server(prefix = "/api", endpoint = "system/status")]
pub async fn get_status() -> Result<SystemStatus, AppError> {
    let state = crate::server::context::state()?;
    Ok(crate::server::status::check_all(&state).await)
}
