//! Display preferences (language, theme) for visitors without JavaScript.

mod set_language;
mod set_theme;

pub use set_language::{SetLanguage, set_language};
pub use set_theme::{SetTheme, set_theme};
