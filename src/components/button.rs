//! Buttons: one component, three looks. Always a real `<button>` so keyboards and forms work
//! without JavaScript.

use leptos::prelude::*;

/// How prominent a button is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ButtonKind {
    /// The one main action of a view.
    #[default]
    Primary,
    /// Other actions.
    Secondary,
    /// Low-emphasis actions inside dense UI.
    Ghost,
}

impl ButtonKind {
    fn classes(self) -> &'static str {
        match self {
            ButtonKind::Primary => "btn btn-primary",
            ButtonKind::Secondary => "btn btn-secondary",
            ButtonKind::Ghost => "btn btn-ghost",
        }
    }
}

/// A button. `kind` sets the look; `button_type` is `submit` inside forms, `button` elsewhere.
#[component]
pub fn Button(
    #[prop(optional)] kind: ButtonKind,
    #[prop(default = "button")] button_type: &'static str,
    #[prop(optional, into)] name: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(optional, into)] id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <button
            type=button_type
            class=kind.classes()
            name=name
            value=value
            id=id
            disabled=move || disabled.get()
            aria-disabled=move || disabled.get().then_some("true")
        >
            {children()}
        </button>
    }
}
