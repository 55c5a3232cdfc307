//! The SIM page's "Manage this line" area: plan change, voice options, network and speed, eSIM
//! reissue, cancellation, suspend/resume — each a small form in its own file.
//!
//! Every form is an `ActionForm` on the one `sim_action` server function, so it posts without
//! JavaScript as well; the server sends the browser back to `/sims/{number}?sim_action=…&
//! sim_status=…&t=…#manage`, and this area shows the outcome from the query (done, already
//! done, or the platform's refusal, translated). The area's data is keyed on the whole query, so
//! after an action it is read again with the line's new state and a new one-use token.

mod cancel_line;
mod esim;
mod network;
mod plan;
mod suspend;
mod voice;

use crate::api::sims::actions::{LineActions, SimAction, sim_actions};
use crate::components::{FormError, FormNotice, Skeleton, action_error};
use crate::domain::sim::{LineState, SimForm};
use crate::i18n::*;
use crate::pages::account::load_error;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What every action form carries: the line, the action and the page's one-use token.
#[component]
fn ActionFields(number: String, token: String, action: &'static str) -> impl IntoView {
    view! {
        <input type="hidden" name="number" value=number />
        <input type="hidden" name="token" value=token />
        <input type="hidden" name="action" value=action />
    }
}

/// The outcome of the last action, from the query the server redirected to.
#[component]
fn Outcome() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let status = move || query.with(|q| q.get("sim_status"));
    let notice = Signal::derive(move || match status().as_deref() {
        Some("done") => Some(t_string!(i18n, sim_actions.done).to_string()),
        Some("already_done") => Some(t_string!(i18n, sim_actions.already_done).to_string()),
        _ => None,
    });
    let refusal = move || {
        status()
            .filter(|s| s != "done" && s != "already_done")
            .map(|kind| refusal_text(i18n, &kind))
    };
    view! {
        <FormNotice text=notice />
        {move || refusal().map(|text| view! {
            <div class="alert alert-danger" role="alert" data-testid="sim-action-refused">{text}</div>
        })}
    }
}

/// A refusal of the SIM platform in the reader's language, by `FreebitError::kind`.
fn refusal_text(i18n: leptos_i18n::I18nContext<Locale>, kind: &str) -> String {
    match kind {
        "not_found" => t_string!(i18n, sim_actions.refused_not_found),
        "not_active" => t_string!(i18n, sim_actions.refused_not_active),
        "locked" => t_string!(i18n, sim_actions.refused_locked),
        "plan_change_reserved" => t_string!(i18n, sim_actions.refused_plan_change_reserved),
        "cancellation_scheduled" => t_string!(i18n, sim_actions.refused_cancellation_scheduled),
        "no_change" => t_string!(i18n, sim_actions.refused_no_change),
        "unsupported" => t_string!(i18n, sim_actions.refused_unsupported),
        "rate_limited" => t_string!(i18n, sim_actions.refused_rate_limited),
        "transport" | "timeout" | "maintenance" => t_string!(i18n, sim_actions.refused_unavailable),
        _ => t_string!(i18n, sim_actions.refused_other),
    }
    .to_string()
}

/// The "Manage this line" area of line `number`.
#[component]
pub fn ManageLine(number: String) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let key = move || {
        let t = query.with(|q| q.get("t").unwrap_or_default());
        (number.clone(), t)
    };
    let actions = Resource::new(key, |(number, _)| sim_actions(number));
    let action = ServerAction::<SimAction>::new();
    let error = action_error(action.value());
    view! {
        <section id="manage" class="card mt-4" aria-labelledby="manage-heading" data-testid="sim-manage">
            <h2 id="manage-heading" class="card-title">{t!(i18n, sim_actions.title)}</h2>
            <Outcome />
            <FormError error=error />
            <Suspense fallback=|| view! { <Skeleton lines=6 /> }>
                {move || actions.get().map(|result| match result {
                    Ok(actions) => view! { <Sections actions=actions action=action /> }.into_any(),
                    Err(e) => load_error(e),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Sections(actions: LineActions, action: ServerAction<SimAction>) -> impl IntoView {
    let i18n = use_i18n();
    let suspended = matches!(actions.state, LineState::Suspended { .. });
    let ended = actions.state == LineState::Cancelled;
    let locked = actions
        .locked
        .then(|| view! { <p class="alert alert-warning" data-testid="sim-locked">{t!(i18n, sim_actions.locked_note)}</p> });
    if ended {
        return view! { <p class="text-muted">{t!(i18n, sim_actions.ended)}</p> }.into_any();
    }
    // A suspended line refuses every change but resuming: say so plainly and offer that.
    if suspended {
        return view! { <suspend::SuspendSection actions=actions action=action /> }.into_any();
    }
    let voice = actions
        .voice
        .map(|options| view! { <voice::VoiceSection actions=actions.clone() options=options action=action /> });
    let esim = (actions.form == SimForm::Esim)
        .then(|| view! { <esim::EsimSection actions=actions.clone() action=action /> });
    view! {
        {locked}
        <plan::PlanSection actions=actions.clone() action=action />
        {voice}
        <network::NetworkSection actions=actions.clone() action=action />
        {esim}
        <suspend::SuspendSection actions=actions.clone() action=action />
        <cancel_line::CancelSection actions=actions action=action />
    }
    .into_any()
}
