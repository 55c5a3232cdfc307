//! Cancelling the line at the SIM platform: the day it takes effect is shown before the
//! customer confirms (the end of this month, or of next month on a month's last day), with a
//! reason; a scheduled cancellation is shown with a withdraw button. This is the line itself;
//! the billing service's cancellation request stays on the service page.

use super::ActionFields;
use crate::api::sims::actions::{CANCEL_REASONS, LineActions, SimAction};
use crate::components::{Button, ButtonKind, DateText};
use crate::domain::sim::LineState;
use crate::i18n::*;
use leptos::prelude::*;

fn reason_label(i18n: leptos_i18n::I18nContext<Locale>, key: &str) -> String {
    match key {
        "switching_carrier" => t_string!(i18n, sim_actions.reason_switching_carrier),
        "cost" => t_string!(i18n, sim_actions.reason_cost),
        "not_needed" => t_string!(i18n, sim_actions.reason_not_needed),
        "moving" => t_string!(i18n, sim_actions.reason_moving),
        _ => t_string!(i18n, sim_actions.reason_other),
    }
    .to_string()
}

/// The cancellation part of the area.
#[component]
pub fn CancelSection(actions: LineActions, action: ServerAction<SimAction>) -> impl IntoView {
    let i18n = use_i18n();
    let body = if let LineState::CancelScheduled { on } = actions.state {
        view! {
            <p data-testid="cancel-scheduled">{t!(i18n, sim_actions.cancel_booked)}" "<DateText date=on /></p>
            <ActionForm action=action attr:data-testid="cancel-withdraw-form">
                <ActionFields number=actions.number token=actions.token action="cancel_withdraw" />
                <Button button_type="submit" kind=ButtonKind::Secondary disabled=action.pending()>{t!(i18n, sim_actions.cancel_withdraw)}</Button>
            </ActionForm>
        }
        .into_any()
    } else {
        let options = CANCEL_REASONS
            .into_iter()
            .map(|key| view! { <option value=key>{move || reason_label(i18n, key)}</option> })
            .collect_view();
        view! {
            <p data-testid="cancel-date">
                {t!(i18n, sim_actions.cancel_effective)}" "<strong><DateText date=actions.cancellation_on /></strong>
            </p>
            <p class="text-muted text-sm mb-2">{t!(i18n, sim_actions.cancel_lead)}</p>
            <ActionForm action=action attr:class="stack" attr:data-testid="cancel-line-form">
                <ActionFields number=actions.number token=actions.token action="cancel" />
                <div class="field">
                    <label for="field-cancel-reason" class="field-label">{t!(i18n, sim_actions.cancel_reason)}</label>
                    <select id="field-cancel-reason" name="reason" class="field-input" required=true data-testid="cancel-reason">
                        <option value="">{t!(i18n, sim_actions.cancel_reason_pick)}</option>
                        {options}
                    </select>
                </div>
                <Button button_type="submit" kind=ButtonKind::Secondary disabled=action.pending()>{t!(i18n, sim_actions.cancel_confirm)}</Button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <div class="mt-6" data-testid="cancel-section">
            <h3 class="font-semibold mb-2">{t!(i18n, sim_actions.cancel_title)}</h3>
            {body}
        </div>
    }
}
