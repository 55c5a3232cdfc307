//! The "Sandbox" badge: in embedded mode every page says that providers are simulated, so
//! nobody mistakes a demo for their real account.

use crate::api::system::sandbox_mode;
use crate::i18n::*;
use leptos::prelude::*;

/// The badge, shown only in sandbox mode.
#[component]
pub fn SandboxBadge() -> impl IntoView {
    let i18n = use_i18n();
    let mode = OnceResource::new(sandbox_mode());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                mode.try_get().flatten().and_then(Result::ok).filter(|on| *on).map(|_| view! {
                    <span class="sandbox-badge" title=move || t_string!(i18n, sandbox.explain)>
                        {t!(i18n, sandbox.badge)}
                    </span>
                    <a href="/sandbox/mail" class="link text-sm mailbox-link" data-testid="mailbox-link">{t!(i18n, nav.mailbox)}</a>
                })
            }}
        </Suspense>
    }
}

/// The sandbox mailbox link for the phone menu (the header has no room for it there). Read with
/// `try_get`: the menu can be re-rendered (and this owner disposed) while the resource is still
/// pending during server rendering, which panicked once in a no-JS run.
#[component]
pub fn SandboxMailboxMenuLink() -> impl IntoView {
    let i18n = use_i18n();
    let mode = OnceResource::new(sandbox_mode());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                mode.try_get().flatten().and_then(Result::ok).filter(|on| *on).map(|_| view! {
                    <a href="/sandbox/mail" class="nav-link">{t!(i18n, nav.mailbox)}</a>
                })
            }}
        </Suspense>
    }
}
