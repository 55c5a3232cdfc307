//! `login`: email and password; on to `/login/2fa` when 2FA is on.

use crate::error::AppError;
use leptos::prelude::*;

/// Signs in.
#[server(prefix = "/api", endpoint = "auth/login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    use crate::server::accounts::login::{LoginStep, login};
    let state = crate::server::context::state()?;
    match login(&state, &email, &password).await? {
        LoginStep::Done => leptos_axum::redirect("/"),
        LoginStep::SecondFactor => leptos_axum::redirect("/login/2fa"),
    }
    Ok(())
}
