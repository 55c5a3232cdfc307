//! Voice options (voice lines only): a form showing the current values as checkboxes; the
//! platform applies only the options that differ, as an order that takes a few minutes.

use super::ActionFields;
use crate::api::sims::actions::{LineActions, SimAction};
use crate::components::{Button, ButtonKind};
use crate::domain::sim::VoiceOptions;
use crate::i18n::*;
use leptos::prelude::*;

/// The voice-options part of the area.
#[component]
pub fn VoiceSection(
    actions: LineActions,
    options: VoiceOptions,
    action: ServerAction<SimAction>,
) -> impl IntoView {
    let i18n = use_i18n();
    let boxes = [
        ("voicemail", options.voicemail),
        ("call_waiting", options.call_waiting),
        ("call_forwarding", options.call_forwarding),
        ("intl_calling", options.intl_calling),
        ("intl_roaming", options.intl_roaming),
    ]
    .into_iter()
    .map(|(name, on)| {
        let id = format!("field-voice-{name}");
        let input_id = id.clone();
        let label = move || match name {
            "voicemail" => t_string!(i18n, sims.voicemail),
            "call_waiting" => t_string!(i18n, sims.call_waiting),
            "call_forwarding" => t_string!(i18n, sims.call_forwarding),
            "intl_calling" => t_string!(i18n, sims.intl_calling),
            _ => t_string!(i18n, sims.intl_roaming),
        }
        .to_string();
        view! {
            <label for=id class="flex items-center gap-2">
                <input id=input_id type="checkbox" name=name value="on" checked=on data-testid=format!("voice-{name}") />
                <span>{label}</span>
            </label>
        }
    })
    .collect_view();
    view! {
        <div class="mt-6" data-testid="voice-section">
            <h3 class="font-semibold mb-2">{t!(i18n, sim_actions.voice_title)}</h3>
            <p class="text-muted text-sm mb-2">{t!(i18n, sim_actions.voice_lead)}</p>
            <ActionForm action=action attr:class="stack" attr:data-testid="voice-form">
                <ActionFields number=actions.number token=actions.token action="voice" />
                <fieldset class="grid gap-2 sm:grid-cols-2">
                    <legend class="sr-only">{t!(i18n, sim_actions.voice_title)}</legend>
                    {boxes}
                </fieldset>
                <Button button_type="submit" kind=ButtonKind::Secondary disabled=action.pending()>
                    {t!(i18n, sim_actions.voice_confirm)}
                </Button>
            </ActionForm>
        </div>
    }
}
