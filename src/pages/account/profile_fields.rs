//! The name, contact and address fields, shared by sign-up and the profile page: Japanese
//! order (family name first, with readings), postal code before prefecture as Japanese forms
//! have it, and every field's error inline.

use crate::components::{TextField, field_message};
use crate::domain::customer::{PREFECTURES, Profile};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// The fields, prefilled from `initial`.
#[component]
pub fn ProfileFields(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] initial: Option<Profile>,
) -> impl IntoView {
    let i18n = use_i18n();
    let p = initial.unwrap_or_default();
    let v = |s: &str| Signal::stored(s.to_owned());
    let label = |f: fn(leptos_i18n::I18nContext<Locale>) -> String| Signal::derive(move || f(i18n));
    let prefecture = p.address.prefecture.clone();
    view! {
        <fieldset class="form-section">
            <legend>{t!(i18n, auth.section_name)}</legend>
            <div class="grid gap-4 sm:grid-cols-2">
                <TextField name="family_name" label=label(|i| t_string!(i, auth.family_name).to_string()) value=v(&p.name.family) error=field_message(error, "family_name") autocomplete="family-name" required=true />
                <TextField name="given_name" label=label(|i| t_string!(i, auth.given_name).to_string()) value=v(&p.name.given) error=field_message(error, "given_name") autocomplete="given-name" required=true />
                <TextField name="family_kana" label=label(|i| t_string!(i, auth.family_kana).to_string()) value=v(p.name.family_kana.as_deref().unwrap_or_default()) />
                <TextField name="given_kana" label=label(|i| t_string!(i, auth.given_kana).to_string()) value=v(p.name.given_kana.as_deref().unwrap_or_default()) />
            </div>
        </fieldset>
        <fieldset class="form-section">
            <legend>{t!(i18n, auth.section_contact)}</legend>
            <div class="grid gap-4 sm:grid-cols-2">
                <TextField name="email" input_type="email" label=label(|i| t_string!(i, auth.email).to_string()) value=v(&p.email) error=field_message(error, "email") autocomplete="email" required=true />
                <TextField name="phone" input_type="tel" label=label(|i| t_string!(i, auth.phone).to_string()) value=v(&p.phone) error=field_message(error, "phone") autocomplete="tel-national" required=true />
            </div>
        </fieldset>
        <fieldset class="form-section">
            <legend>{t!(i18n, auth.section_address)}</legend>
            <div class="grid gap-4 sm:grid-cols-2">
                <TextField name="postal_code" label=label(|i| t_string!(i, auth.postal_code).to_string()) value=v(&p.address.postal_code) error=field_message(error, "postal_code") autocomplete="postal-code" required=true />
                <PrefectureSelect selected=prefecture error=field_message(error, "prefecture") />
                <TextField name="city" label=label(|i| t_string!(i, auth.city).to_string()) value=v(&p.address.city) error=field_message(error, "city") autocomplete="address-level2" required=true />
                <TextField name="street" label=label(|i| t_string!(i, auth.street).to_string()) value=v(&p.address.street) error=field_message(error, "street") autocomplete="address-line1" required=true />
                <TextField name="building" label=label(|i| t_string!(i, auth.building).to_string()) value=v(&p.address.building) error=field_message(error, "building") autocomplete="address-line2" />
            </div>
        </fieldset>
    }
}

/// The prefecture list.
#[component]
fn PrefectureSelect(
    selected: String,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for="field-prefecture" class="field-label">
                {t!(i18n, auth.prefecture)}
                <span class="text-danger" aria-hidden="true">" *"</span>
            </label>
            <select
                id="field-prefecture"
                name="prefecture"
                class="field-input"
                required=true
                aria-invalid=move || error.with(Option::is_some).then_some("true")
            >
                <option value="">{t!(i18n, auth.choose_prefecture)}</option>
                {PREFECTURES
                    .iter()
                    .map(|p| view! { <option value=*p selected=selected == *p>{*p}</option> })
                    .collect_view()}
            </select>
            {move || error.get().map(|m| view! { <p class="field-error">{m}</p> })}
        </div>
    }
}
