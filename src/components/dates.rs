//! Dates and timestamps in the reader's language (rules in `domain::common::date`).

use crate::domain::common::{Lang, format_date, format_date_time};
use crate::i18n::{Locale, use_i18n};
use leptos::prelude::*;
use time::{Date, OffsetDateTime};

/// The domain language of the current UI locale (reactive when called inside a closure).
pub fn current_lang() -> Lang {
    match use_i18n().get_locale() {
        Locale::ja => Lang::Ja,
        Locale::en => Lang::En,
    }
}

/// A calendar date inside `<time>`.
#[component]
pub fn DateText(date: Date) -> impl IntoView {
    let iso = date.to_string();
    view! { <time datetime=iso>{move || format_date(date, current_lang())}</time> }
}

/// An instant, shown in JST, inside `<time>`.
#[component]
pub fn DateTimeText(at: OffsetDateTime) -> impl IntoView {
    let iso = at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    view! { <time datetime=iso>{move || format_date_time(at, current_lang())}</time> }
}
