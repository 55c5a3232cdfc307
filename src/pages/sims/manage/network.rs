//! Network (4G ↔ 5G) and speed mode. The network change is an order of about 30 minutes
//! that locks the line meanwhile and cannot be withdrawn; the speed mode changes at once
//! (saving mode: throttled, but the data does not count against the quota).

use super::ActionFields;
use crate::api::sims::actions::{LineActions, SimAction};
use crate::components::{Button, ButtonKind};
use crate::domain::sim::{NetworkType, SpeedMode};
use crate::i18n::*;
use leptos::prelude::*;

/// The network and speed part of the area.
#[component]
pub fn NetworkSection(actions: LineActions, action: ServerAction<SimAction>) -> impl IntoView {
    let i18n = use_i18n();
    let (target, to_label) = match actions.network {
        NetworkType::Lte => (NetworkType::FiveG, "5G"),
        NetworkType::FiveG => (NetworkType::Lte, "4G"),
    };
    let (speed_target, speed_key) = match actions.speed {
        SpeedMode::High => ("low", true),
        SpeedMode::Low => ("high", false),
    };
    let speed_now = move || {
        if speed_key {
            t_string!(i18n, sim_actions.speed_now_high).to_string()
        } else {
            t_string!(i18n, sim_actions.speed_now_low).to_string()
        }
    };
    let speed_button = move || {
        if speed_key {
            t_string!(i18n, sim_actions.speed_to_low).to_string()
        } else {
            t_string!(i18n, sim_actions.speed_to_high).to_string()
        }
    };
    let (number, token) = (actions.number.clone(), actions.token.clone());
    view! {
        <div class="mt-6" data-testid="network-section">
            <h3 class="font-semibold mb-2">{t!(i18n, sim_actions.network_title)}</h3>
            <p class="text-muted text-sm mb-2">{t!(i18n, sim_actions.network_lead)}</p>
            <ActionForm action=action attr:data-testid="network-form">
                <ActionFields number=actions.number.clone() token=actions.token.clone() action="network" />
                <input type="hidden" name="network" value=target.key() />
                <Button button_type="submit" kind=ButtonKind::Secondary disabled=action.pending()>
                    {move || t_string!(i18n, sim_actions.network_to, network = to_label).to_string()}
                </Button>
            </ActionForm>
            <h3 class="font-semibold mt-4 mb-2">{t!(i18n, sim_actions.speed_title)}</h3>
            <p class="text-sm mb-2" data-testid="speed-now">{speed_now}</p>
            <p class="text-muted text-sm mb-2">{t!(i18n, sim_actions.speed_lead)}</p>
            <ActionForm action=action attr:data-testid="speed-form">
                <ActionFields number=number token=token action="speed" />
                <input type="hidden" name="speed" value=speed_target />
                <Button button_type="submit" kind=ButtonKind::Secondary disabled=action.pending()>{speed_button}</Button>
            </ActionForm>
        </div>
    }
}
