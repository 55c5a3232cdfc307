//! A coloured status label. Colour is never the only signal: the text always says the state,
//! and a shape (dot) distinguishes tones for colour-blind readers in both themes.

use leptos::prelude::*;

/// The meaning of a status, which picks its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Good: active, paid, operational.
    Success,
    /// Needs attention soon: unpaid, degraded, pending.
    Warning,
    /// Bad: overdue, failed, down.
    Danger,
    /// Informational: in progress.
    Info,
    /// Neither: cancelled, closed.
    Neutral,
}

impl Tone {
    fn class(self) -> &'static str {
        match self {
            Tone::Success => "badge badge-success",
            Tone::Warning => "badge badge-warning",
            Tone::Danger => "badge badge-danger",
            Tone::Info => "badge badge-info",
            Tone::Neutral => "badge badge-neutral",
        }
    }
}

/// A status badge.
#[component]
pub fn StatusBadge(
    #[prop(into)] tone: Signal<Tone>,
    #[prop(into)] label: Signal<String>,
) -> impl IntoView {
    view! {
        <span class=move || tone.get().class()>
            <span class="badge-dot" aria-hidden="true"></span>
            {move || label.get()}
        </span>
    }
}
