//! `/support/:id`: one case — number, subject, status, what it is about; the conversation
//! (what the customer wrote, then the public messages of both sides, oldest first); the files;
//! and, while it is open, reply, attach a file and close — or, closed within the window,
//! reopen. Flags in the URL (`?opened=1`, `?replied=1`, `?file=failed`, `?error=…`) confirm
//! what the last form did, with or without JavaScript. Refreshes itself so an agent's answer
//! appears without a reload.

use super::case_forms::{CloseForm, FileInput, ReopenForm, ReplyForm};
use super::{CaseStatusBadge, ContextLinks, category_label, error_message, live_refresh};
use crate::api::Snapshot;
use crate::api::support::{CloseCase, ReopenCase, ReplyToCase, file_rules, get_case};
use crate::components::{Button, DateTimeText, FormNotice, PageTitle, Skeleton};
use crate::domain::support::{Author, CaseDetail, CaseFile, CaseMessage, FileRules};
use crate::i18n::*;
use crate::pages::account::load_error;
use crate::pages::auth::query_param;
use crate::pages::billing::StaleNote;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The case page.
#[component]
pub fn CasePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let reply = ServerAction::<ReplyToCase>::new();
    let close = ServerAction::<CloseCase>::new();
    let reopen = ServerAction::<ReopenCase>::new();
    // Bumped when a background check finds the case changed (an agent answered).
    let changed = RwSignal::new(0u32);
    // Every successful change reads the case again (the server dropped its cached copy).
    let case = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                reply.version().get(),
                close.version().get(),
                reopen.version().get(),
                changed.get(),
            )
        },
        |(id, ..)| get_case(id),
    );
    let rules = Resource::new(|| (), |()| file_rules());
    // Follow the live stream; on a change (and on focus, or on a timer while the stream is
    // down) check and redraw only when something changed, so a reply being typed is not wiped
    // by a refresh that brought nothing new.
    let live = live_refresh(
        move || {
            let id = params.with(|p| p.get("id").unwrap_or_default());
            let id: String = id.chars().filter(char::is_ascii_alphanumeric).collect();
            format!("/support/{id}/live")
        },
        move || {
            let id = params.with_untracked(|p| p.get("id").unwrap_or_default());
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = get_case(id).await {
                    let differs = case
                        .get_untracked()
                        .and_then(Result::ok)
                        .is_none_or(|shown| shown.value != fresh.value);
                    if differs {
                        changed.update(|n| *n += 1);
                    }
                }
            });
        },
    );
    view! {
        <PageTitle text=move || t_string!(i18n, support.title).to_string() />
        <span hidden data-testid="case-live" data-live=move || if live.get() { "on" } else { "off" }></span>
        <p class="mb-2"><A href="/support">{t!(i18n, support.back)}</A></p>
        <Notices />
        <Transition fallback=|| view! { <Skeleton lines=10 /> }>
            {move || {
                let rules = rules.get().and_then(Result::ok);
                case.get().map(|result| match result {
                    Ok(snapshot) => view! {
                        <CaseView snapshot=snapshot rules=rules reply=reply close=close reopen=reopen />
                    }.into_any(),
                    Err(e) => load_error(e),
                })
            }}
        </Transition>
    }
}

/// What the last form did, from the URL.
#[component]
fn Notices() -> impl IntoView {
    let i18n = use_i18n();
    let flags = ["opened", "replied", "closed", "reopened", "attached"].map(query_param);
    let file_failed = query_param("file");
    let error = query_param("error");
    let notice = Signal::derive(move || {
        let [opened, replied, closed, reopened, attached] = flags.map(|f| f.get().is_some());
        let text = if opened {
            t_string!(i18n, support.opened)
        } else if replied {
            t_string!(i18n, support.replied)
        } else if closed {
            t_string!(i18n, support.closed_notice)
        } else if reopened {
            t_string!(i18n, support.reopened)
        } else if attached {
            t_string!(i18n, support.attached)
        } else {
            return None;
        };
        Some(text.to_string())
    });
    view! {
        <FormNotice text=notice />
        {move || (file_failed.get().as_deref() == Some("failed")).then(|| view! {
            <div class="alert alert-warning" role="alert" data-testid="file-failed">{t!(i18n, support.file_failed)}</div>
        })}
        {move || error.get().map(|key| view! {
            <div class="alert alert-danger" role="alert" data-testid="form-error">{error_message(i18n, &key)}</div>
        })}
    }
}

#[component]
fn CaseView(
    snapshot: Snapshot<CaseDetail>,
    rules: Option<FileRules>,
    reply: ServerAction<ReplyToCase>,
    close: ServerAction<CloseCase>,
    reopen: ServerAction<ReopenCase>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Snapshot {
        value: case,
        as_of,
        stale,
    } = snapshot;
    let summary = case.summary.clone();
    let id = summary.id.clone();
    let open = summary.status.is_open();
    let number = summary.number.clone();
    let number_attr = number.clone();
    let category = summary.category;
    let first = CaseMessage {
        id: format!("{id}-description"),
        author: Author::Customer,
        agent_name: None,
        body: case.description.clone(),
        at: summary.created,
    };
    let messages = std::iter::once(first)
        .chain(case.messages.clone())
        .map(|m| view! { <Message message=m /> })
        .collect_view();
    let actions = if open {
        view! {
            <section class="card mt-4" aria-labelledby="reply-heading">
                <h2 id="reply-heading" class="card-title">{t!(i18n, support.reply_title)}</h2>
                <ReplyForm id=id.clone() action=reply />
            </section>
            {rules.map(|rules| view! { <AttachForm id=id.clone() rules=rules /> })}
            <section class="card mt-4" aria-labelledby="close-heading">
                <h2 id="close-heading" class="card-title">{t!(i18n, support.close_title)}</h2>
                <p class="text-muted mb-4">{t!(i18n, support.close_lead)}</p>
                <CloseForm id=id.clone() action=close />
            </section>
        }
        .into_any()
    } else if case.reopenable {
        view! {
            <section class="card mt-4" aria-labelledby="reopen-heading">
                <h2 id="reopen-heading" class="card-title">{t!(i18n, support.reopen_title)}</h2>
                <p class="text-muted mb-4">{t!(i18n, support.reopen_lead)}</p>
                <ReopenForm id=id.clone() action=reopen />
            </section>
        }
        .into_any()
    } else {
        view! { <p class="text-muted mt-4" data-testid="case-final">{t!(i18n, support.closed_final)}</p> }.into_any()
    };
    view! {
        <StaleNote stale=stale as_of_ms=as_of />
        <section class="card" data-testid="case" data-id=id.clone() data-number=number_attr data-status=summary.status.key()>
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <h1 class="page-title" data-testid="case-subject">{summary.subject.clone()}</h1>
                <CaseStatusBadge status=summary.status />
            </div>
            <dl class="grid grid-cols-1 gap-3 sm:grid-cols-3 mt-2">
                <div><dt class="text-muted text-sm">{t!(i18n, support.number)}</dt><dd class="tabular-nums" data-testid="case-number">{number}</dd></div>
                <div><dt class="text-muted text-sm">{t!(i18n, support.category)}</dt><dd>{move || category.map(|c| category_label(i18n, c)).unwrap_or_default()}</dd></div>
                <div><dt class="text-muted text-sm">{t!(i18n, support.opened_at)}</dt><dd><DateTimeText at=summary.created /></dd></div>
                {(!summary.context.is_empty()).then(|| view! {
                    <div class="sm:col-span-3"><dt class="text-muted text-sm">{t!(i18n, support.about)}</dt><dd><ContextLinks context=summary.context.clone() /></dd></div>
                })}
            </dl>
        </section>
        <section class="card mt-4" aria-labelledby="conversation-heading">
            <h2 id="conversation-heading" class="card-title">{t!(i18n, support.conversation)}</h2>
            <ol class="conversation" data-testid="conversation">{messages}</ol>
        </section>
        <Files case_id=id.clone() files=case.files.clone() />
        {actions}
    }
}

#[component]
fn Message(message: CaseMessage) -> impl IntoView {
    let i18n = use_i18n();
    let agent = message.author == Author::Agent;
    let who = message.agent_name.clone();
    let author = move || {
        if agent {
            match &who {
                Some(name) => t_string!(i18n, support.agent_named, name = name.clone()).to_string(),
                None => t_string!(i18n, support.agent).to_string(),
            }
        } else {
            t_string!(i18n, support.you).to_string()
        }
    };
    let author_key = if agent { "agent" } else { "customer" };
    view! {
        <li class="message" data-testid="message" data-author=author_key>
            <p class="text-sm text-muted"><span class="font-semibold text-fg">{author}</span>" · "<DateTimeText at=message.at /></p>
            <p class="whitespace-pre-wrap break-words">{message.body}</p>
        </li>
    }
}

fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

#[component]
fn Files(case_id: String, files: Vec<CaseFile>) -> impl IntoView {
    let i18n = use_i18n();
    (!files.is_empty()).then(|| {
        let items = files
            .into_iter()
            .map(|f| {
                let title_attr = f.title.clone();
                let name = f.title.clone();
                // A plain download (rel=external: not a client-side route), for the owner only.
                let href = format!("/support/{case_id}/files/{}", f.id);
                view! {
                    <li data-testid="case-file" data-title=title_attr>
                        <a class="link font-semibold" href=href rel="external" download="" data-testid="case-file-download"
                            aria-label=move || t_string!(i18n, support.download_file, name = name.clone()).to_string()>{f.title}</a>
                        <span class="text-muted text-sm">" · "{f.extension.to_uppercase()}" · "{size_text(f.size)}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="card mt-4" aria-labelledby="files-heading">
                <h2 id="files-heading" class="card-title">{t!(i18n, support.files)}</h2>
                <ul class="stack">{items}</ul>
            </section>
        }
    })
}

/// Attach a file to the case (a multipart form, so it works without JavaScript).
#[component]
fn AttachForm(id: String, rules: FileRules) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card mt-4" aria-labelledby="attach-heading">
            <h2 id="attach-heading" class="card-title">{t!(i18n, support.attach_title)}</h2>
            <form method="post" action=format!("/api/support/attach/{id}") enctype="multipart/form-data" class="stack" data-testid="attach-form">
                <FileInput rules=rules />
                <Button button_type="submit">{t!(i18n, support.attach)}</Button>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::size_text;

    #[test]
    fn sizes_read_in_kb_and_mb() {
        assert_eq!(size_text(1), "1 KB");
        assert_eq!(size_text(2048), "2 KB");
        assert_eq!(size_text(5 * 1024 * 1024), "5.0 MB");
    }
}
