//! In-app notices (usage alerts so far): each says what happened in the reader's language,
//! links to its line and has a "Dismiss" form — an `ActionForm`, so it works without
//! JavaScript (the post comes back to the page it was sent from). Used by the dashboard, where
//! all the customer's notices show, and by the SIM page's alert panel, with that line's.

use crate::api::sims::alerts::{DismissNotice, list_notices};
use crate::components::{Button, ButtonKind, DateTimeText, FormError, action_error, current_lang};
use crate::domain::sim::alerts::{Notice, NoticeBody, month_label};
use crate::domain::sim::chart::format_bytes;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use time::OffsetDateTime;

/// The notices, or nothing at all when there are none. `back` is the page to return to after a
/// dismissal without JavaScript; `on_dismissed` refreshes the owner's data once hydrated.
#[component]
pub fn NoticeList(
    notices: Vec<Notice>,
    back: String,
    #[prop(optional)] show_links: bool,
    #[prop(into)] on_dismissed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<DismissNotice>::new();
    let error = action_error(action.value());
    Effect::new(move || {
        if matches!(action.value().get(), Some(Ok(_))) {
            on_dismissed.run(());
        }
    });
    if notices.is_empty() {
        return ().into_any();
    }
    let items = notices
        .into_iter()
        .map(|notice| {
            let back = back.clone();
            let at = OffsetDateTime::from_unix_timestamp_nanos(
                i128::from(notice.created_at_ms) * 1_000_000,
            )
            .ok();
            let NoticeBody::UsageAlert {
                msisdn,
                month,
                threshold,
                used_bytes,
            } = notice.body;
            let number = msisdn.formatted();
            let text = move || {
                t_string!(
                    i18n,
                    alerts.notice_usage,
                    number = number.clone(),
                    month = month_label(&month, current_lang()),
                    threshold = format!("{} GB", threshold.gb_text()),
                    used = format_bytes(used_bytes)
                )
                .to_string()
            };
            let link = show_links.then(|| {
                view! {
                    <A href=format!("/sims/{}", msisdn.digits()) attr:class="link text-sm">{t!(i18n, alerts.view_line)}</A>
                }
            });
            view! {
                <li class="alert alert-warning flex flex-wrap items-center justify-between gap-2" data-testid="notice" data-kind="usage_alert" data-line=msisdn.digits().to_owned()>
                    <span>
                        <span class="block">{text}</span>
                        <span class="block text-sm text-muted">{at.map(|at| view! { <DateTimeText at=at /> })}" "{link}</span>
                    </span>
                    <ActionForm action=action attr:data-testid="notice-dismiss-form">
                        <input type="hidden" name="id" value=notice.id />
                        <input type="hidden" name="back" value=back />
                        <Button kind=ButtonKind::Ghost button_type="submit" disabled=action.pending()>{t!(i18n, alerts.dismiss)}</Button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    view! {
        <FormError error=error />
        <ul class="stack list-none p-0 m-0" data-testid="notices">{items}</ul>
    }
    .into_any()
}

/// The dashboard's notices: every open one, after the portal checked the lines with an alert.
/// Nothing is drawn while there are none.
#[component]
pub fn DashboardNotices() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |()| list_notices());
    view! {
        <Transition fallback=|| ()>
            {move || list.get().map(|result| match result {
                Ok(notices) if !notices.is_empty() => view! {
                    <section class="card mb-6" aria-labelledby="notices-heading" data-testid="dashboard-notices">
                        <h2 id="notices-heading" class="card-title">{t!(i18n, alerts.notices_title)}</h2>
                        <NoticeList notices=notices back="/".to_owned() show_links=true on_dismissed=move |()| list.refetch() />
                    </section>
                }
                .into_any(),
                // No notices, or none readable: the dashboard's other cards carry on.
                _ => ().into_any(),
            })}
        </Transition>
    }
}
