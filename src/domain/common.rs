//! Value types shared by every area: money, calendar dates, languages.

pub mod date;
pub mod lang;
pub mod money;

pub use date::{format_date, format_date_time};
pub use lang::Lang;
pub use money::{Currency, Money};
