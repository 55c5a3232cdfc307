//! `sandbox_mode`: whether providers are simulated (drives the sandbox badge).

use crate::error::AppError;
use leptos::prelude::*;

/// True in embedded sandbox mode.
#[server(prefix = "/api", endpoint = "system/sandbox_mode")]
pub async fn sandbox_mode() -> Result<bool, AppError> {
    Ok(crate::server::context::state()?.sandbox)
}
