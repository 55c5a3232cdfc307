//! The design system: small, accessible view pieces every page uses, so pages look and behave
//! alike (one button style, one table style, one way to show money, dates, errors and status).

mod button;
mod dates;
mod empty_state;
mod error_text;
mod form_feedback;
mod form_field;
mod money;
mod page_title;
mod skeleton;
mod status_badge;
mod table;
mod toast;

pub use button::{Button, ButtonKind};
pub use dates::{DateText, DateTimeText, current_lang};
pub use empty_state::EmptyState;
pub use error_text::{ErrorAlert, error_text, field_error_text};
pub use form_feedback::{FormError, FormNotice, action_error, field_message};
pub use form_field::TextField;
pub use money::MoneyText;
pub use page_title::PageTitle;
pub use skeleton::Skeleton;
pub use status_badge::{StatusBadge, Tone};
pub use table::Table;
pub use toast::{ToastKind, ToastRegion, Toasts, provide_toasts, use_toasts};
