//! `set_theme`: remembers the colour theme in its cookie (the no-JavaScript path of the theme
//! switch).

use crate::error::AppError;
use leptos::prelude::*;

/// Sets the theme cookie to `light`, `dark` or `system`.
#[server(prefix = "/api", endpoint = "preferences/theme")]
pub async fn set_theme(theme: String) -> Result<(), AppError> {
    use crate::domain::preferences::Theme;
    use crate::error::FieldProblem;
    use crate::server::errors::with_status;
    if !Theme::ALL.iter().any(|t| t.as_str() == theme) {
        return Err(with_status(AppError::field("theme", FieldProblem::Invalid)));
    }
    crate::server::preferences::set_theme(Theme::parse(&theme));
    crate::server::preferences::redirect_back().await;
    Ok(())
}
