//! `/account`: the profile form, saved to billing and CRM records.

use super::{AccountTabs, ProfileFields, load_error};
use crate::api::account::{SaveProfile, get_profile};
use crate::components::{Button, FormError, FormNotice, PageTitle, Skeleton, action_error};
use crate::i18n::*;
use crate::pages::auth::query_param;
use leptos::prelude::*;

/// The profile page.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let profile = Resource::new(|| (), |_| get_profile());
    let action = ServerAction::<SaveProfile>::new();
    let error = action_error(action.value());
    let saved = query_param("saved");
    let notice = Signal::derive(move || match action.value().get() {
        Some(Ok(Some(email))) => {
            Some(t_string!(i18n, account.email_change_sent, email = email).to_string())
        }
        Some(Ok(None)) => Some(t_string!(i18n, account.saved).to_string()),
        _ => saved
            .get()
            .map(|_| t_string!(i18n, account.saved).to_string()),
    });
    view! {
        <PageTitle text=move || t_string!(i18n, account.profile_title).to_string() />
        <div class="page-head">
            <h1 class="page-title">{t!(i18n, account.title)}</h1>
        </div>
        <AccountTabs current="/account" />
        <section class="card mt-4">
            <h2 class="card-title">{t!(i18n, account.profile_title)}</h2>
            <p class="text-muted mb-4">{t!(i18n, account.profile_lead)}</p>
            <FormNotice text=notice />
            <FormError error=error />
            <Suspense fallback=|| view! { <Skeleton lines=6 /> }>
                {move || profile.get().map(|result| match result {
                    Ok(p) => view! {
                        <ActionForm action=action attr:class="stack" attr:data-testid="profile-form">
                            <ProfileFields error=error initial=p />
                            <Button button_type="submit" disabled=action.pending()>{t!(i18n, account.save)}</Button>
                        </ActionForm>
                    }.into_any(),
                    Err(e) => load_error(e),
                })}
            </Suspense>
        </section>
    }
}
