//! What a list shows when it has nothing in it: a title, a sentence, and optionally the action
//! that fills it.

use leptos::prelude::*;

/// An empty state.
#[component]
pub fn EmptyState(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] body: Signal<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="empty-state" role="status">
            <svg aria-hidden="true" viewBox="0 0 24 24" class="h-10 w-10 text-muted" fill="none" stroke="currentColor" stroke-width="1.5">
                <path d="M3 7l9-4 9 4-9 4-9-4zm0 5l9 4 9-4M3 17l9 4 9-4" />
            </svg>
            <p class="font-semibold text-fg">{move || title.get()}</p>
            <p class="text-muted text-sm max-w-prose">{move || body.get()}</p>
            {children.map(|c| c())}
        </div>
    }
}
