//! `/sandbox/mail`: the sandbox mail catcher, so emailed links can be followed in a browser
//! (and by Playwright). Not found outside sandbox mode.

use crate::api::sandbox::sandbox_mailbox;
use crate::components::{EmptyState, ErrorAlert, PageTitle, Skeleton};
use crate::i18n::*;
use leptos::prelude::*;

/// Turns the URLs in a mail body into links.
fn linkified(body: &str) -> impl IntoView + use<> {
    body.split_inclusive(char::is_whitespace)
        .map(|word| {
            let trimmed = word.trim_end();
            if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
                let tail = word[trimmed.len()..].to_owned();
                view! { <a class="link" href=trimmed.to_owned()>{trimmed.to_owned()}</a>{tail} }
                    .into_any()
            } else {
                word.to_owned().into_any()
            }
        })
        .collect_view()
}

/// The mailbox.
#[component]
pub fn SandboxMailboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let mails = Resource::new(|| (), |_| sandbox_mailbox());
    view! {
        <PageTitle text=move || t_string!(i18n, mailbox.title).to_string() />
        <div class="page-head">
            <h1 class="page-title">{t!(i18n, mailbox.title)}</h1>
            <p class="text-muted">{t!(i18n, mailbox.lead)}</p>
        </div>
        <Suspense fallback=|| view! { <Skeleton lines=4 /> }>
            {move || mails.get().map(|result| match result {
                Ok(list) if list.is_empty() => view! {
                    <EmptyState title=Signal::derive(move || t_string!(i18n, mailbox.empty).to_string()) body=Signal::derive(move || t_string!(i18n, mailbox.lead).to_string()) />
                }.into_any(),
                Ok(list) => list
                    .into_iter()
                    .map(|m| view! {
                        <article class="card mail" data-testid="mail" data-to=m.to.clone()>
                            <h2 class="card-title">{m.subject.clone()}</h2>
                            <p class="text-muted">{t!(i18n, mailbox.to)}": "{m.to.clone()}</p>
                            <pre class="mail-body">{linkified(&m.body)}</pre>
                        </article>
                    })
                    .collect_view()
                    .into_any(),
                Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
            })}
        </Suspense>
    }
}
