//! Suspend for a lost phone, and resume. A suspended line is said so plainly (the billing
//! service may still read "Active": the SIM platform's state is the one that counts for calls
//! and data) and resuming is the one thing offered.

use super::ActionFields;
use crate::api::sims::actions::{LineActions, SimAction};
use crate::components::{Button, ButtonKind};
use crate::domain::sim::LineState;
use crate::i18n::*;
use leptos::prelude::*;

/// The suspend/resume part of the area.
#[component]
pub fn SuspendSection(actions: LineActions, action: ServerAction<SimAction>) -> impl IntoView {
    let i18n = use_i18n();
    let suspended = matches!(actions.state, LineState::Suspended { .. });
    let body = if suspended {
        view! {
            <p class="alert alert-warning" data-testid="sim-suspended-note">{t!(i18n, sim_actions.suspended_note)}</p>
            <ActionForm action=action attr:data-testid="resume-form">
                <ActionFields number=actions.number token=actions.token action="resume" />
                <Button button_type="submit" disabled=action.pending()>{t!(i18n, sim_actions.resume)}</Button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! {
            <p class="text-muted text-sm mb-2">{t!(i18n, sim_actions.suspend_lead)}</p>
            <ActionForm action=action attr:data-testid="suspend-form">
                <ActionFields number=actions.number token=actions.token action="suspend" />
                <Button button_type="submit" kind=ButtonKind::Secondary disabled=action.pending()>{t!(i18n, sim_actions.suspend)}</Button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <div class="mt-6" data-testid="suspend-section">
            <h3 class="font-semibold mb-2">{t!(i18n, sim_actions.suspend_title)}</h3>
            {body}
        </div>
    }
}
