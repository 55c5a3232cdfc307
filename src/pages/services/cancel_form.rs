//! The cancellation request form: when (end of the billing period — the default — or
//! immediately) and why. An `ActionForm`, so it posts without JavaScript too; refused fields
//! are shown inline.

use crate::api::services::RequestCancellation;
use crate::components::{Button, FormError, action_error, field_message};
use crate::domain::services::{CancellationType, REASON_MAX_CHARS};
use crate::i18n::*;
use leptos::prelude::*;

/// The form for service `id`, submitting through `action` (the page reads its answer).
#[component]
pub fn CancelForm(id: u32, action: ServerAction<RequestCancellation>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action.value());
    let reason_error = field_message(error, "reason");
    let kind_error = field_message(error, "kind");
    view! {
        <section class="card mt-4" aria-labelledby="cancel-heading">
            <h2 id="cancel-heading" class="card-title">{t!(i18n, services.cancel_title)}</h2>
            <p class="text-muted mb-4">{t!(i18n, services.cancel_lead)}</p>
            <FormError error=error />
            <ActionForm action=action attr:class="stack" attr:data-testid="cancel-form">
                <input type="hidden" name="id" value=id.to_string() />
                <fieldset class="form-section" aria-describedby=move || kind_error.with(Option::is_some).then_some("field-kind-error")>
                    <legend>{t!(i18n, services.cancel_when)}</legend>
                    <KindOption
                        kind=CancellationType::EndOfBillingPeriod
                        checked=true
                        label=Signal::derive(move || t_string!(i18n, services.cancel_end_of_period).to_string())
                        hint=Signal::derive(move || t_string!(i18n, services.cancel_end_of_period_hint).to_string())
                    />
                    <KindOption
                        kind=CancellationType::Immediate
                        checked=false
                        label=Signal::derive(move || t_string!(i18n, services.cancel_immediate).to_string())
                        hint=Signal::derive(move || t_string!(i18n, services.cancel_immediate_hint).to_string())
                    />
                    {move || kind_error.get().map(|msg| view! { <p id="field-kind-error" class="field-error">{msg}</p> })}
                </fieldset>
                <div class="field">
                    <label for="field-reason" class="field-label">
                        {t!(i18n, services.cancel_reason)}
                        <span class="text-danger" aria-hidden="true">" *"</span>
                    </label>
                    <p id="field-reason-hint" class="field-hint">{t!(i18n, services.cancel_reason_hint)}</p>
                    <textarea
                        id="field-reason"
                        name="reason"
                        class="field-input"
                        rows="4"
                        maxlength=REASON_MAX_CHARS.to_string()
                        required=true
                        aria-invalid=move || reason_error.with(Option::is_some).then_some("true")
                        aria-describedby=move || {
                            if reason_error.with(Option::is_some) {
                                "field-reason-hint field-reason-error"
                            } else {
                                "field-reason-hint"
                            }
                        }
                    ></textarea>
                    {move || reason_error.get().map(|msg| view! { <p id="field-reason-error" class="field-error">{msg}</p> })}
                </div>
                <Button button_type="submit" disabled=action.pending()>{t!(i18n, services.cancel_submit)}</Button>
            </ActionForm>
        </section>
    }
}

/// One radio button with its label and a sentence on what it means.
#[component]
fn KindOption(
    kind: CancellationType,
    checked: bool,
    label: Signal<String>,
    hint: Signal<String>,
) -> impl IntoView {
    let id = format!("field-kind-{}", kind.key());
    let input_id = id.clone();
    view! {
        <label for=id class="flex items-start gap-3 mb-3 cursor-pointer">
            <input id=input_id type="radio" name="kind" value=kind.key() checked=checked class="mt-1.5 accent-accent" />
            <span>
                <span class="block font-semibold">{move || label.get()}</span>
                <span class="block text-muted text-sm">{move || hint.get()}</span>
            </span>
        </label>
    }
}
