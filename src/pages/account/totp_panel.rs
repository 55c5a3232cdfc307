//! Two-step verification on the security page: set up (QR code and key, then a code to
//! confirm), recovery codes shown once, and turning it off with the password. Setting up needs
//! JavaScript (the QR code is the answer of a server action); turning off works without.

use crate::api::account::{BeginTotp, DisableTotp, EnableTotp};
use crate::components::{Button, ButtonKind, FormError, TextField, action_error, field_message};
use crate::i18n::*;
use leptos::prelude::*;

/// The panel.
#[component]
pub fn TotpPanel(enabled: bool, recovery_codes_left: i64) -> impl IntoView {
    let i18n = use_i18n();
    let begin = ServerAction::<BeginTotp>::new();
    let enable = ServerAction::<EnableTotp>::new();
    let disable = ServerAction::<DisableTotp>::new();
    let enable_error = action_error(enable.value());
    let disable_error = action_error(disable.value());
    let codes = move || enable.value().get().and_then(Result::ok);
    let enrolment = move || begin.value().get().and_then(Result::ok);
    view! {
        <section class="card" aria-labelledby="totp-heading" data-testid="totp-panel">
            <h2 id="totp-heading" class="card-title">{t!(i18n, security.totp_title)}</h2>
            {move || match (enabled, codes()) {
                (_, Some(codes)) => view! {
                    <div class="alert alert-success" role="status">{t!(i18n, security.totp_enabled)}</div>
                    <ul class="recovery-codes" data-testid="recovery-codes">
                        {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                    </ul>
                }.into_any(),
                (true, None) => view! {
                    <p data-testid="totp-on">{t!(i18n, security.totp_on)}</p>
                    <p class="text-muted">{t!(i18n, security.recovery_left, count = recovery_codes_left)}</p>
                    <FormError error=disable_error />
                    <ActionForm action=disable attr:class="stack mt-4" attr:data-testid="totp-disable-form">
                        <TextField name="current_password" input_type="password" label=Signal::derive(move || t_string!(i18n, security.current_password).to_string()) error=field_message(disable_error, "current_password") autocomplete="current-password" required=true />
                        <Button button_type="submit" kind=ButtonKind::Secondary>{t!(i18n, security.totp_disable)}</Button>
                    </ActionForm>
                }.into_any(),
                (false, None) => match enrolment() {
                    None => view! {
                        <p data-testid="totp-off">{t!(i18n, security.totp_off)}</p>
                        <FormError error=action_error(begin.value()) />
                        <ActionForm action=begin attr:class="mt-4" attr:data-testid="totp-begin-form">
                            <Button button_type="submit">{t!(i18n, security.totp_start)}</Button>
                        </ActionForm>
                    }.into_any(),
                    Some(e) => view! {
                        <p>{t!(i18n, security.totp_scan)}</p>
                        <div class="qr" inner_html=e.qr_svg.clone() role="img" aria-label=move || t_string!(i18n, security.totp_title)></div>
                        <p>{t!(i18n, security.totp_key)}": "<code data-testid="totp-secret">{e.secret.clone()}</code></p>
                        <FormError error=enable_error />
                        <ActionForm action=enable attr:class="stack mt-4" attr:data-testid="totp-enable-form">
                            <TextField name="code" label=Signal::derive(move || t_string!(i18n, security.totp_confirm).to_string()) autocomplete="one-time-code" required=true />
                            <Button button_type="submit">{t!(i18n, security.totp_enable)}</Button>
                        </ActionForm>
                    }.into_any(),
                },
            }}
        </section>
    }
}
