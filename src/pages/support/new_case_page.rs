//! `/support/new`: open a case. Opened from a service (`?service=101`) or an order
//! (`?order=801…`), the page shows what the case is about — the service with its phone number
//! masked, or the order number — and the case carries that link, so the customer types none of
//! it. Category, subject, description and an optional file; the form posts
//! `multipart/form-data` to `/api/support/new-case` (with or without JavaScript) and comes
//! back here with `?error=` and what was typed when something is refused.

use super::case_forms::FileInput;
use super::{category_label, error_message};
use crate::api::services::get_service;
use crate::api::shop::get_order;
use crate::api::support::file_rules;
use crate::components::{Button, PageTitle, Skeleton};
use crate::domain::services::PHONE_FIELD;
use crate::domain::support::{BODY_MAX_CHARS, CaseCategory, SUBJECT_MAX_CHARS, mask_phone};
use crate::error::AppError;
use crate::i18n::*;
use crate::pages::account::load_error;
use crate::pages::auth::query_param;
use leptos::prelude::*;
use leptos_router::components::A;

/// What the case is about, as shown above the form.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
enum About {
    Nothing,
    Service { name: String, phone: Option<String> },
    Order { number: String },
}

/// The new-case page.
#[component]
pub fn NewCasePage() -> impl IntoView {
    let i18n = use_i18n();
    let service = query_param("service");
    let order = query_param("order");
    let error = query_param("error");
    let about = Resource::new(
        move || (service.get(), order.get()),
        |(service, order)| async move {
            if let Some(id) = service {
                let id: u32 = id.parse().map_err(|_| AppError::NotFound)?;
                let s = get_service(id).await?.value;
                let phone = s.custom_fields.get(PHONE_FIELD).map(|p| mask_phone(p));
                return Ok(About::Service {
                    name: s.product,
                    phone,
                });
            }
            if let Some(id) = order {
                let o = get_order(id).await?.value;
                return Ok(About::Order { number: o.number });
            }
            Ok::<_, AppError>(About::Nothing)
        },
    );
    let rules = Resource::new(|| (), |()| file_rules());
    view! {
        <PageTitle text=move || t_string!(i18n, support.new_title).to_string() />
        <p class="mb-2"><A href="/support">{t!(i18n, support.back)}</A></p>
        <h1 class="page-title">{t!(i18n, support.new_title)}</h1>
        <p class="text-muted mb-4">{t!(i18n, support.new_lead)}</p>
        {move || error.get().map(|key| view! {
            <div class="alert alert-danger" role="alert" data-testid="form-error">{error_message(i18n, &key)}</div>
        })}
        <Suspense fallback=|| view! { <Skeleton lines=8 /> }>
            {move || Suspend::new(async move {
                match (about.await, rules.await) {
                    (Ok(about), Ok(rules)) => view! { <NewCaseForm about=about rules=rules /> }.into_any(),
                    (Err(e), _) | (_, Err(e)) => load_error(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewCaseForm(about: About, rules: crate::domain::support::FileRules) -> impl IntoView {
    let i18n = use_i18n();
    let service = query_param("service").get_untracked().unwrap_or_default();
    let order = query_param("order").get_untracked().unwrap_or_default();
    let typed = |name| query_param(name).get_untracked().unwrap_or_default();
    let subject = typed("subject");
    let description = typed("description");
    let default_category = match &about {
        About::Service { .. } => CaseCategory::Technical,
        About::Order { .. } => CaseCategory::Order,
        About::Nothing => CaseCategory::Other,
    };
    let chosen = CaseCategory::from_key(&typed("category")).unwrap_or(default_category);
    let about_view = match about {
        About::Nothing => None,
        About::Service { name, phone } => Some(view! {
            <p data-testid="case-about" data-kind="service">
                <span class="text-muted">{t!(i18n, support.about)}": "</span>
                <span class="font-semibold">{name}</span>
                {phone.map(|p| view! { <span class="tabular-nums" data-testid="case-phone">" · "{p}</span> })}
            </p>
        }.into_any()),
        About::Order { number } => Some(view! {
            <p data-testid="case-about" data-kind="order">
                <span class="text-muted">{t!(i18n, support.about)}": "</span>
                <span class="font-semibold">{move || t_string!(i18n, support.order_link, number = number.clone()).to_string()}</span>
            </p>
        }.into_any()),
    };
    let options = CaseCategory::ALL
        .into_iter()
        .map(|c| {
            let selected = c == chosen;
            view! { <option value=c.key() selected=selected>{move || category_label(i18n, c)}</option> }
        })
        .collect_view();
    view! {
        <section class="card">
            {about_view}
            <form method="post" action="/api/support/new-case" enctype="multipart/form-data" class="stack" data-testid="new-case-form">
                <input type="hidden" name="service" value=service />
                <input type="hidden" name="order" value=order />
                <div class="field">
                    <label for="field-category" class="field-label">{t!(i18n, support.category)}</label>
                    <select id="field-category" name="category" class="field-input" required=true>{options}</select>
                </div>
                <div class="field">
                    <label for="field-subject" class="field-label">
                        {t!(i18n, support.subject)}<span class="text-danger" aria-hidden="true">" *"</span>
                    </label>
                    <input id="field-subject" name="subject" type="text" class="field-input" required=true maxlength=SUBJECT_MAX_CHARS.to_string() value=subject />
                </div>
                <div class="field">
                    <label for="field-description" class="field-label">
                        {t!(i18n, support.description)}<span class="text-danger" aria-hidden="true">" *"</span>
                    </label>
                    <p id="field-description-hint" class="field-hint">{t!(i18n, support.description_hint)}</p>
                    <textarea id="field-description" name="description" class="field-input" rows="6" required=true maxlength=BODY_MAX_CHARS.to_string() aria-describedby="field-description-hint">{description}</textarea>
                </div>
                <FileInput rules=rules />
                <Button button_type="submit">{t!(i18n, support.submit)}</Button>
            </form>
        </section>
    }
}
