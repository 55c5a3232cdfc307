//! Plan change: a booked change is shown with a withdraw button; otherwise the customer picks a
//! plan of the line's kind (a GET form, so it works without JavaScript: `?preview_plan=CODE`),
//! sees the preview — current → new plan, data, price, voice, from the 1st of next month — and
//! confirms.

use super::ActionFields;
use crate::api::sims::actions::{LineActions, SimAction};
use crate::components::{Button, ButtonKind, DateText, MoneyText, current_lang};
use crate::domain::common::Money;
use crate::domain::sim::plan_options::{PlanOption, PlanPreview, preview};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The plan-change part of the area.
#[component]
pub fn PlanSection(actions: LineActions, action: ServerAction<SimAction>) -> impl IntoView {
    let i18n = use_i18n();
    let body = match actions.pending_plan_change.clone() {
        Some(booked) => {
            let name = plan_name(&actions.catalog, booked.to.as_str());
            view! {
                <p data-testid="plan-change-booked">
                    {move || t_string!(i18n, sim_actions.plan_booked, plan = name.clone()).to_string()}
                    " "<DateText date=booked.effective_on />
                </p>
                <ActionForm action=action attr:data-testid="plan-withdraw-form">
                    <ActionFields number=actions.number.clone() token=actions.token.clone() action="plan_withdraw" />
                    <Button button_type="submit" kind=ButtonKind::Secondary disabled=action.pending()>
                        {t!(i18n, sim_actions.plan_withdraw)}
                    </Button>
                </ActionForm>
            }
            .into_any()
        }
        None => view! { <Choose actions=actions action=action /> }.into_any(),
    };
    view! {
        <div class="mt-4" data-testid="plan-section">
            <h3 class="font-semibold mb-2">{t!(i18n, sim_actions.plan_title)}</h3>
            {body}
        </div>
    }
}

fn plan_name(catalog: &[PlanOption], code: &str) -> String {
    catalog
        .iter()
        .find(|p| p.code == code)
        .map(|p| p.name(current_lang()).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

#[component]
fn Choose(actions: LineActions, action: ServerAction<SimAction>) -> impl IntoView {
    let i18n = use_i18n();
    if actions.choices.is_empty() {
        return view! { <p class="text-muted">{t!(i18n, sim_actions.plan_none)}</p> }.into_any();
    }
    let query = use_query_map();
    let wanted = query.with_untracked(|q| q.get("preview_plan"));
    let preview = wanted.and_then(|code| {
        preview(
            &actions.catalog,
            actions.kind,
            &actions.current_plan,
            &code,
            actions.today,
        )
    });
    let options = actions
        .choices
        .iter()
        .map(|p| {
            let selected = preview.as_ref().is_some_and(|pv| pv.to.code == p.code);
            view! { <option value=p.code.clone() selected=selected>{p.name(current_lang()).to_owned()}</option> }
        })
        .collect_view();
    let confirm =
        preview.map(|p| view! { <Preview preview=p actions=actions.clone() action=action /> });
    view! {
        <form method="get" action=format!("/sims/{}#manage", actions.number) class="flex flex-wrap gap-2 items-end" data-testid="plan-choose-form">
            <div class="field">
                <label for="field-preview-plan" class="field-label">{t!(i18n, sim_actions.plan_pick)}</label>
                <select id="field-preview-plan" name="preview_plan" class="field-input" data-testid="plan-select">{options}</select>
            </div>
            <Button button_type="submit" kind=ButtonKind::Secondary>{t!(i18n, sim_actions.plan_preview)}</Button>
        </form>
        {confirm}
    }
    .into_any()
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

#[component]
fn Preview(
    preview: PlanPreview,
    actions: LineActions,
    action: ServerAction<SimAction>,
) -> impl IntoView {
    let i18n = use_i18n();
    let PlanPreview {
        from,
        to,
        effective_on,
        data_change_gb,
        price_change_yen,
    } = preview;
    let from_name = from
        .as_ref()
        .map(|p| p.name(current_lang()).to_owned())
        .unwrap_or_else(|| actions.current_plan.clone());
    let to_name = to.name(current_lang()).to_owned();
    let price = to
        .monthly_price
        .map(|amount| view! { <MoneyText amount=amount /> });
    let data = data_change_gb.map(|gb| format!("{} GB", signed(gb)));
    let price_change = price_change_yen.map(|yen| {
        let sign = if yen > 0 { "+" } else { "" };
        view! { {sign}<MoneyText amount=Money::yen(yen) /> }
    });
    let voice_note = move || {
        if to.voice {
            t_string!(i18n, sim_actions.plan_voice_kept).to_string()
        } else {
            t_string!(i18n, sim_actions.plan_data_only).to_string()
        }
    };
    view! {
        <div class="card mt-3" data-testid="plan-preview">
            <p class="font-semibold" data-testid="plan-preview-change">{from_name}" → "{to_name}</p>
            <dl class="grid grid-cols-2 gap-2 mt-2">
                <dt class="text-muted text-sm">{t!(i18n, sim_actions.plan_from)}</dt>
                <dd data-testid="plan-preview-date"><DateText date=effective_on /></dd>
                <dt class="text-muted text-sm">{t!(i18n, sim_actions.plan_price)}</dt>
                <dd>{price}" "{price_change.map(|c| view! { "(" {c} ")" })}</dd>
                <dt class="text-muted text-sm">{t!(i18n, sim_actions.plan_data)}</dt>
                <dd>{data.unwrap_or_else(|| "—".into())}</dd>
                <dt class="text-muted text-sm">{t!(i18n, sim_actions.plan_voice)}</dt>
                <dd>{voice_note}</dd>
            </dl>
            <p class="text-muted text-sm mt-2">{t!(i18n, sim_actions.plan_rules)}</p>
            <ActionForm action=action attr:data-testid="plan-confirm-form">
                <ActionFields number=actions.number token=actions.token action="plan_change" />
                <input type="hidden" name="plan" value=to.code.clone() />
                <Button button_type="submit" disabled=action.pending()>{t!(i18n, sim_actions.plan_confirm)}</Button>
            </ActionForm>
        </div>
    }
}
