//! The SIM area (read-only): the customer's lines (`/sims`) with plan, data left and state at a
//! glance, and one line (`/sims/:number`) with its details, quota buckets, voice options,
//! pending changes and a 30-day usage chart (server-rendered SVG with a table alternative).

mod alerts_form;
mod manage;
mod notices;
mod sim_page;
mod sims_page;
mod topup_form;
mod usage_chart;
mod usage_range;

pub use notices::DashboardNotices;
pub use sim_page::SimPage;
pub use sims_page::SimsPage;

use crate::components::{StatusBadge, Tone, current_lang};
use crate::domain::common::format_date_time;
use crate::domain::sim::LineState;
use crate::i18n::*;
use leptos::prelude::*;

/// A line state in the reader's language.
fn state_label(i18n: leptos_i18n::I18nContext<Locale>, state: LineState) -> String {
    match state {
        LineState::Provisioning => t_string!(i18n, sims.state_provisioning),
        LineState::Active => t_string!(i18n, sims.state_active),
        LineState::Suspended { .. } => t_string!(i18n, sims.state_suspended),
        LineState::CancelScheduled { .. } => t_string!(i18n, sims.state_cancel_scheduled),
        LineState::Cancelled => t_string!(i18n, sims.state_cancelled),
    }
    .to_string()
}

fn state_tone(state: LineState) -> Tone {
    match state {
        LineState::Active => Tone::Success,
        LineState::Provisioning => Tone::Info,
        LineState::Suspended { .. } | LineState::CancelScheduled { .. } => Tone::Warning,
        LineState::Cancelled => Tone::Neutral,
    }
}

/// A line's state as a badge.
#[component]
fn LineStateBadge(state: LineState) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span data-testid="sim-state" data-state=state.key()>
            <StatusBadge tone=state_tone(state) label=Signal::derive(move || state_label(i18n, state)) />
        </span>
    }
}

/// "As of …" for figures from the SIM platform: always shown, and a warning when the platform
/// failed and an older copy is shown.
#[component]
fn AsOf(stale: bool, as_of_ms: i64) -> impl IntoView {
    let i18n = use_i18n();
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(as_of_ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let when = move || format_date_time(at, current_lang());
    if stale {
        view! {
            <div class="alert alert-warning" role="status" data-testid="stale-note">
                {move || t_string!(i18n, sims.stale_note, at = when()).to_string()}
            </div>
        }
        .into_any()
    } else {
        view! {
            <p class="text-muted text-sm" data-testid="as-of">
                {move || t_string!(i18n, sims.as_of, at = when()).to_string()}
            </p>
        }
        .into_any()
    }
}
