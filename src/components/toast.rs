//! Toasts: short confirmations ("Status updated") announced politely to screen readers and
//! dismissed automatically or by hand. Provided once in the app shell; any component pushes.

use leptos::prelude::*;
use std::time::Duration;

/// The kind of a toast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    /// Something worked.
    Success,
    /// Something failed.
    Error,
}

#[derive(Clone)]
struct Toast {
    id: u64,
    kind: ToastKind,
    message: String,
}

/// The toast queue.
#[derive(Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next: StoredValue<u64>,
}

const SHOWN_FOR: Duration = Duration::from_secs(5);

impl Toasts {
    /// Shows a toast for a few seconds.
    pub fn push(self, kind: ToastKind, message: impl Into<String>) {
        let id = self.next.get_value();
        self.next.set_value(id + 1);
        self.items.update(|v| {
            v.push(Toast {
                id,
                kind,
                message: message.into(),
            })
        });
        set_timeout(move || self.dismiss(id), SHOWN_FOR);
    }

    fn dismiss(self, id: u64) {
        self.items.update(|v| v.retain(|t| t.id != id));
    }
}

/// Creates the queue and puts it in context.
pub fn provide_toasts() -> Toasts {
    let toasts = Toasts {
        items: RwSignal::new(Vec::new()),
        next: StoredValue::new(0),
    };
    provide_context(toasts);
    toasts
}

/// The queue from context (a detached one if none was provided, so callers never panic).
pub fn use_toasts() -> Toasts {
    use_context::<Toasts>().unwrap_or_else(|| Toasts {
        items: RwSignal::new(Vec::new()),
        next: StoredValue::new(0),
    })
}

/// Where toasts appear.
#[component]
pub fn ToastRegion(#[prop(into)] dismiss_label: Signal<String>) -> impl IntoView {
    let toasts = use_toasts();
    view! {
        <div class="toast-region" aria-live="polite" role="status">
            <For each=move || toasts.items.get() key=|t| t.id let:toast>
                <div class=match toast.kind {
                    ToastKind::Success => "toast toast-success",
                    ToastKind::Error => "toast toast-error",
                }>
                    <span>{toast.message.clone()}</span>
                    <button
                        type="button"
                        class="toast-close"
                        aria-label=move || dismiss_label.get()
                        on:click=move |_| toasts.dismiss(toast.id)
                    >
                        "×"
                    </button>
                </div>
            </For>
        </div>
    }
}
