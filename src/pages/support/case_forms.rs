//! The forms of the support pages: the file input with its limits (shared by the new-case and
//! attach forms, which post `multipart/form-data` to `server::support::upload`), the reply
//! form, and the close and reopen buttons (server-function `ActionForm`s).

use crate::api::support::{CloseCase, ReopenCase, ReplyToCase};
use crate::components::{Button, ButtonKind, FormError, action_error, field_message};
use crate::domain::support::{BODY_MAX_CHARS, FileKind, FileRules};
use crate::i18n::*;
use leptos::prelude::*;

/// "PNG, JPEG, PDF or text; up to 5 MB" for the rules.
fn limits_text(i18n: leptos_i18n::I18nContext<Locale>, rules: &FileRules) -> String {
    let kinds: Vec<&str> = rules
        .kinds
        .iter()
        .map(|k| match k {
            FileKind::Png => "PNG",
            FileKind::Jpeg => "JPEG",
            FileKind::Pdf => "PDF",
            FileKind::Text => "TXT",
        })
        .collect();
    let mb = rules.max_bytes as f64 / (1024.0 * 1024.0);
    let size = if mb.fract() == 0.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    };
    t_string!(
        i18n,
        support.file_hint,
        kinds = kinds.join(", "),
        size = size
    )
    .to_string()
}

/// The file input, with its limits as a hint (the server checks them again).
#[component]
pub fn FileInput(rules: FileRules) -> impl IntoView {
    let i18n = use_i18n();
    let accept = rules.accept();
    let hint = move || limits_text(i18n, &rules);
    view! {
        <div class="field">
            <label for="field-file" class="field-label">{t!(i18n, support.file)}</label>
            <p id="field-file-hint" class="field-hint">{hint}</p>
            <input id="field-file" name="file" type="file" accept=accept class="field-input" aria-describedby="field-file-hint" />
        </div>
    }
}

/// The reply form of an open case.
#[component]
pub fn ReplyForm(id: String, action: ServerAction<ReplyToCase>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action.value());
    let body_error = field_message(error, "body");
    view! {
        <FormError error=error />
        <ActionForm action=action attr:class="stack" attr:data-testid="reply-form">
            <input type="hidden" name="id" value=id />
            <div class="field">
                <label for="field-body" class="field-label">{t!(i18n, support.reply)}</label>
                <textarea
                    id="field-body"
                    name="body"
                    class="field-input"
                    rows="4"
                    maxlength=BODY_MAX_CHARS.to_string()
                    required=true
                    aria-invalid=move || body_error.with(Option::is_some).then_some("true")
                ></textarea>
                {move || body_error.get().map(|msg| view! { <p class="field-error">{msg}</p> })}
            </div>
            <Button button_type="submit" disabled=action.pending()>{t!(i18n, support.send_reply)}</Button>
        </ActionForm>
    }
}

/// "Close this case".
#[component]
pub fn CloseForm(id: String, action: ServerAction<CloseCase>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <FormError error=action_error(action.value()) />
        <ActionForm action=action attr:data-testid="close-form">
            <input type="hidden" name="id" value=id />
            <Button button_type="submit" kind=ButtonKind::Secondary disabled=action.pending()>{t!(i18n, support.close)}</Button>
        </ActionForm>
    }
}

/// "Reopen this case".
#[component]
pub fn ReopenForm(id: String, action: ServerAction<ReopenCase>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <FormError error=action_error(action.value()) />
        <ActionForm action=action attr:data-testid="reopen-form">
            <input type="hidden" name="id" value=id />
            <Button button_type="submit" kind=ButtonKind::Secondary disabled=action.pending()>{t!(i18n, support.reopen)}</Button>
        </ActionForm>
    }
}
