//! eSIM reissue: confirm (the profile on the current device stops working); while the platform
//! prepares the new profile the page says so; once it is released, the owner sees the
//! activation code as a QR code (SVG drawn on the server) and as text for manual entry, for as
//! long as the platform holds it downloadable (see `server::sims::actions::view`).

use super::ActionFields;
use crate::api::sims::actions::{EsimView, LineActions, SimAction};
use crate::components::{Button, ButtonKind, DateTimeText};
use crate::domain::sim::EsimProfileState;
use crate::i18n::*;
use leptos::prelude::*;

/// The eSIM part of the area.
#[component]
pub fn EsimSection(actions: LineActions, action: ServerAction<SimAction>) -> impl IntoView {
    let i18n = use_i18n();
    let profile = actions
        .esim
        .clone()
        .map(|esim| view! { <Profile esim=esim /> });
    let preparing = actions
        .esim
        .as_ref()
        .is_some_and(|e| e.state == EsimProfileState::Preparing);
    let form = (!preparing).then(|| {
        view! {
            <p class="text-muted text-sm mb-2">{t!(i18n, sim_actions.esim_lead)}</p>
            <ActionForm action=action attr:class="stack" attr:data-testid="esim-reissue-form">
                <ActionFields number=actions.number.clone() token=actions.token.clone() action="esim_reissue" />
                <div class="field">
                    <label for="field-eid" class="field-label">{t!(i18n, sim_actions.esim_eid)}</label>
                    <p id="field-eid-hint" class="field-hint">{t!(i18n, sim_actions.esim_eid_hint)}</p>
                    <input id="field-eid" name="eid" class="field-input" inputmode="numeric" maxlength="32" aria-describedby="field-eid-hint" />
                </div>
                <Button button_type="submit" kind=ButtonKind::Secondary disabled=action.pending()>{t!(i18n, sim_actions.esim_confirm)}</Button>
            </ActionForm>
        }
    });
    view! {
        <div class="mt-6" data-testid="esim-section">
            <h3 class="font-semibold mb-2">{t!(i18n, sim_actions.esim_title)}</h3>
            {profile}
            {form}
        </div>
    }
}

#[component]
fn Profile(esim: EsimView) -> impl IntoView {
    let i18n = use_i18n();
    match (esim.state, esim.activation_code) {
        (EsimProfileState::Preparing, _) => view! {
            <p class="alert alert-warning" data-testid="esim-preparing">{t!(i18n, sim_actions.esim_preparing)}</p>
        }
        .into_any(),
        (EsimProfileState::Released, Some(code)) => {
            let qr = esim.qr_svg.map(|svg| {
                view! {
                    <div class="inline-block bg-white p-2 rounded" role="img" aria-label=move || t_string!(i18n, sim_actions.esim_qr_label).to_string() data-testid="esim-qr" inner_html=svg></div>
                }
            });
            let until = esim.expires_at.map(|at| view! {
                <p class="text-sm">{t!(i18n, sim_actions.esim_valid_until)}" "<DateTimeText at=at /></p>
            });
            view! {
                <div class="card" data-testid="esim-ready">
                    <p class="font-semibold">{t!(i18n, sim_actions.esim_ready)}</p>
                    {qr}
                    <p class="text-sm mt-2">{t!(i18n, sim_actions.esim_manual)}</p>
                    <code class="break-all" data-testid="esim-activation-code">{code}</code>
                    {until}
                    <p class="text-muted text-sm mt-2">{t!(i18n, sim_actions.esim_keep_private)}</p>
                </div>
            }
            .into_any()
        }
        _ => ().into_any(),
    }
}
