//! The SIM page's usage-alert panel: this line's open notices, the threshold (GB used this
//! month) with a form to set it and one to remove it. Both are `ActionForm`s, so they post
//! without JavaScript too; the server sends the browser back with `?alert=saved|cleared` and
//! the panel confirms it. Loading the panel is what checks the line's usage against the
//! threshold (through the five-minute cache), so a crossing shows here at once.

use super::notices::NoticeList;
use crate::api::sims::alerts::{
    AlertOutcome, AlertPanel, ClearUsageAlert, SetUsageAlert, get_usage_alert,
};
use crate::components::{
    Button, ButtonKind, ErrorAlert, FormError, FormNotice, Skeleton, TextField, action_error,
    field_message,
};
use crate::domain::sim::alerts::Threshold;
use crate::i18n::*;
use crate::pages::auth::query_param;
use leptos::prelude::*;

/// The panel for the line `number` (digits).
#[component]
pub fn UsageAlerts(number: String) -> impl IntoView {
    let i18n = use_i18n();
    let set = ServerAction::<SetUsageAlert>::new();
    let clear = ServerAction::<ClearUsageAlert>::new();
    let wanted = number.clone();
    let panel = Resource::new(
        move || (set.version().get(), clear.version().get()),
        move |_| get_usage_alert(wanted.clone()),
    );
    let flag = query_param("alert");
    // The answer of a hydrated submit, or the flag the page was sent back with.
    let done = Signal::derive(move || {
        let latest = [set.value().get(), clear.value().get()]
            .into_iter()
            .flatten()
            .find_map(Result::ok);
        latest.or_else(|| flag.get().and_then(|k| AlertOutcome::from_key(&k)))
    });
    let notice = Signal::derive(move || {
        done.get().map(|o| match o {
            AlertOutcome::Saved => t_string!(i18n, alerts.saved).to_string(),
            AlertOutcome::Cleared => t_string!(i18n, alerts.cleared).to_string(),
            AlertOutcome::Dismissed => t_string!(i18n, alerts.dismissed).to_string(),
        })
    });
    let back = format!("/sims/{number}");
    view! {
        <section class="card mt-4" aria-labelledby="alert-heading" data-testid="usage-alert">
            <h2 id="alert-heading" class="card-title">{t!(i18n, alerts.title)}</h2>
            <p class="text-muted mb-4">{t!(i18n, alerts.lead)}</p>
            <FormNotice text=notice />
            <Transition fallback=|| view! { <Skeleton lines=3 /> }>
                {move || panel.get().map(|result| match result {
                    Ok(p) => view! {
                        <AlertBody panel=p number=number.clone() back=back.clone() set=set clear=clear on_dismissed=move |()| panel.refetch() />
                    }
                    .into_any(),
                    Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn AlertBody(
    panel: AlertPanel,
    number: String,
    back: String,
    set: ServerAction<SetUsageAlert>,
    clear: ServerAction<ClearUsageAlert>,
    #[prop(into)] on_dismissed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(set.value());
    let clear_error = action_error(clear.value());
    let threshold_error = field_message(error, Threshold::FIELD);
    let current = panel.threshold_gb.clone();
    let status = match current.clone() {
        Some(gb) => view! {
            <p data-testid="usage-alert-current" data-gb=gb.clone()>{
                let gb = gb.clone();
                move || t_string!(i18n, alerts.current, gb = gb.clone()).to_string()
            }</p>
        }
        .into_any(),
        None => view! { <p class="text-muted" data-testid="usage-alert-none">{t!(i18n, alerts.none)}</p> }.into_any(),
    };
    let clear_form = current.is_some().then(|| {
        let number = number.clone();
        view! {
            <ActionForm action=clear attr:class="mt-2" attr:data-testid="usage-alert-clear-form">
                <input type="hidden" name="number" value=number />
                <Button kind=ButtonKind::Secondary button_type="submit" disabled=clear.pending()>{t!(i18n, alerts.clear)}</Button>
            </ActionForm>
        }
    });
    let value = current.unwrap_or_default();
    view! {
        <NoticeList notices=panel.notices back=back on_dismissed=on_dismissed />
        {status}
        <FormError error=error />
        <FormError error=clear_error />
        <ActionForm action=set attr:class="stack" attr:data-testid="usage-alert-form">
            <input type="hidden" name="number" value=number />
            <TextField
                name=Threshold::FIELD
                label=Signal::derive(move || t_string!(i18n, alerts.threshold_label).to_string())
                hint=Signal::derive(move || t_string!(i18n, alerts.threshold_hint).to_string())
                value=value
                error=threshold_error
                required=true
            />
            <Button button_type="submit" disabled=set.pending()>{t!(i18n, alerts.save)}</Button>
        </ActionForm>
        {clear_form}
    }
}
