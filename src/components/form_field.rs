//! A labelled text input with its hint and inline error, wired for screen readers
//! (`aria-invalid`, `aria-describedby`).

use leptos::prelude::*;

/// A text-like input (`text`, `email`, `tel`, `password`…).
#[component]
pub fn TextField(
    /// The `name` the form submits (also the id prefix).
    name: &'static str,
    /// Visible label.
    #[prop(into)]
    label: Signal<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional, into)] value: Signal<String>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    /// The inline error, when the field was refused.
    #[prop(optional, into)]
    error: Signal<Option<String>>,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        let has_hint = hint.is_some();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id.clone() class="field-label">
                {move || label.get()}
                {required.then(|| view! { <span class="text-danger" aria-hidden="true">" *"</span> })}
            </label>
            {hint.map(|h| view! { <p id=hint_id.clone() class="field-hint">{move || h.get()}</p> })}
            <input
                id=id
                name=name
                type=input_type
                class="field-input"
                value=move || value.get()
                required=required
                autocomplete=autocomplete
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described_by
            />
            {move || error.get().map(|msg| view! { <p id=error_id.clone() class="field-error">{msg}</p> })}
        </div>
    }
}
