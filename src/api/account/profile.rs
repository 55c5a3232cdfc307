//! `get_profile` / `save_profile`.

use crate::api::auth::SignupForm;
use crate::domain::customer::Profile;
use crate::error::AppError;
use leptos::prelude::*;

/// The customer's profile.
#[server(prefix = "/api", endpoint = "account/profile")]
pub async fn get_profile() -> Result<Profile, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    crate::server::accounts::profile::load(&state, &customer).await
}

/// Saves it; returns the new email awaiting confirmation, if it changed.
#[server(prefix = "/api", endpoint = "account/profile/save")]
pub async fn save_profile(#[server(flatten)] form: SignupForm) -> Result<Option<String>, AppError> {
    use crate::server::accounts::profile::{Saved, save};
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    let saved = save(&state, &customer, form.profile()).await?;
    let pending = match saved {
        Saved::Done => None,
        Saved::EmailPending(email) => Some(email),
    };
    if pending.is_none() {
        leptos_axum::redirect("/account?saved=1");
    }
    Ok(pending)
}
