//! `set_language`: remembers the language in its cookie. With JavaScript the switch never calls
//! this (it switches in place); a plain form post lands here and is redirected back.

use crate::error::AppError;
use leptos::prelude::*;

/// Sets the language cookie to `lang` (`ja` or `en`).
#[server(prefix = "/api", endpoint = "preferences/language")]
pub async fn set_language(lang: String) -> Result<(), AppError> {
    use crate::domain::common::Lang;
    use crate::error::FieldProblem;
    use crate::server::errors::with_status;
    let lang = Lang::parse(&lang)
        .ok_or_else(|| with_status(AppError::field("lang", FieldProblem::Invalid)))?;
    crate::server::preferences::set_lang(lang);
    crate::server::preferences::redirect_back().await;
    Ok(())
}
