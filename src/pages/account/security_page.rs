//! `/account/security`: password, two-step verification, sessions and the audit log.

use super::totp_panel::TotpPanel;
use super::{AccountTabs, load_error};
use crate::api::account::{ChangePassword, RevokeSession, get_security};
use crate::api::auth::Logout;
use crate::components::{
    Button, ButtonKind, DateTimeText, FormError, FormNotice, PageTitle, Skeleton, TextField,
    action_error, field_message,
};
use crate::domain::account::{AuditEntry, AuditKind, SecurityOverview, SessionInfo};
use crate::i18n::*;
use crate::pages::auth::query_param;
use leptos::prelude::*;

fn at(ms: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// The security page.
#[component]
pub fn SecurityPage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = Resource::new(|| (), |_| get_security());
    view! {
        <PageTitle text=move || t_string!(i18n, security.title).to_string() />
        <div class="page-head">
            <h1 class="page-title">{t!(i18n, account.title)}</h1>
        </div>
        <AccountTabs current="/account/security" />
        <Suspense fallback=|| view! { <Skeleton lines=8 /> }>
            {move || overview.get().map(|result| match result {
                Ok(o) => view! { <SecuritySections overview=o /> }.into_any(),
                Err(e) => load_error(e),
            })}
        </Suspense>
    }
}

#[component]
fn SecuritySections(overview: SecurityOverview) -> impl IntoView {
    let SecurityOverview {
        totp_enabled,
        recovery_codes_left,
        sessions,
        audit,
    } = overview;
    view! {
        <div class="grid gap-6 mt-4">
            <PasswordSection />
            <TotpPanel enabled=totp_enabled recovery_codes_left=recovery_codes_left />
            <SessionsSection sessions=sessions />
            <AuditSection audit=audit />
        </div>
    }
}

#[component]
fn PasswordSection() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ChangePassword>::new();
    let error = action_error(action.value());
    let done = query_param("password");
    let notice = Signal::derive(move || {
        (done.get().is_some() || matches!(action.value().get(), Some(Ok(()))))
            .then(|| t_string!(i18n, security.password_changed).to_string())
    });
    view! {
        <section class="card" aria-labelledby="password-heading">
            <h2 id="password-heading" class="card-title">{t!(i18n, security.password_title)}</h2>
            <FormNotice text=notice />
            <FormError error=error />
            <ActionForm action=action attr:class="stack" attr:data-testid="password-form">
                <TextField name="current_password" input_type="password" label=Signal::derive(move || t_string!(i18n, security.current_password).to_string()) error=field_message(error, "current_password") autocomplete="current-password" required=true />
                <TextField name="new_password" input_type="password" label=Signal::derive(move || t_string!(i18n, auth.new_password).to_string()) hint=Signal::derive(move || t_string!(i18n, auth.password_hint).to_string()) error=field_message(error, "new_password") autocomplete="new-password" required=true />
                <Button button_type="submit" kind=ButtonKind::Secondary disabled=action.pending()>{t!(i18n, security.change_password)}</Button>
            </ActionForm>
        </section>
    }
}

#[component]
fn SessionsSection(sessions: Vec<SessionInfo>) -> impl IntoView {
    let i18n = use_i18n();
    let revoke = ServerAction::<RevokeSession>::new();
    let everywhere = ServerAction::<Logout>::new();
    let revoked = query_param("revoked");
    let notice = Signal::derive(move || {
        (revoked.get().is_some() || matches!(revoke.value().get(), Some(Ok(()))))
            .then(|| t_string!(i18n, security.revoked).to_string())
    });
    let rows = sessions
        .into_iter()
        .map(|s| {
            let id = s.id.clone();
            view! {
                <tr data-testid="session-row" data-current=s.current.to_string()>
                    <td>
                        {s.device.clone()}
                        {s.current.then(|| view! { <span class="badge badge-info ml-2">{t!(i18n, security.this_device)}</span> })}
                    </td>
                    <td>{s.ip.clone()}</td>
                    <td><DateTimeText at=at(s.created_at_ms) /></td>
                    <td><DateTimeText at=at(s.last_seen_at_ms) /></td>
                    <td>
                        {(!s.current).then(|| view! {
                            <ActionForm action=revoke>
                                <input type="hidden" name="session_id" value=id.clone() />
                                <Button button_type="submit" kind=ButtonKind::Ghost>{t!(i18n, security.revoke)}</Button>
                            </ActionForm>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading" class="card-title">{t!(i18n, security.sessions_title)}</h2>
            <FormNotice text=notice />
            <FormError error=action_error(revoke.value()) />
            <div class="table-scroll">
                <table class="data-table" data-testid="sessions">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, security.device)}</th>
                            <th scope="col">{t!(i18n, security.ip)}</th>
                            <th scope="col">{t!(i18n, security.signed_in)}</th>
                            <th scope="col">{t!(i18n, security.last_seen)}</th>
                            <th scope="col"><span class="sr-only">{t!(i18n, security.revoke)}</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <ActionForm action=everywhere attr:class="mt-4">
                <input type="hidden" name="everywhere" value="true" />
                <Button button_type="submit" kind=ButtonKind::Secondary>{t!(i18n, security.logout_everywhere)}</Button>
            </ActionForm>
        </section>
    }
}

#[component]
fn AuditSection(audit: Vec<AuditEntry>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = audit
        .into_iter()
        .map(|e| {
            let kind = e.kind;
            view! {
                <tr data-testid="audit-row" data-kind=kind.as_str() class:text-danger=kind.is_alert()>
                    <td>{move || audit_label(i18n, kind)}</td>
                    <td>{e.device.clone()}</td>
                    <td>{e.ip.clone()}</td>
                    <td><DateTimeText at=at(e.at_ms) /></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="audit-heading">
            <h2 id="audit-heading" class="card-title">{t!(i18n, security.audit_title)}</h2>
            <div class="table-scroll">
                <table class="data-table" data-testid="audit">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, security.event)}</th>
                            <th scope="col">{t!(i18n, security.device)}</th>
                            <th scope="col">{t!(i18n, security.ip)}</th>
                            <th scope="col">{t!(i18n, security.when)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

fn audit_label(i18n: leptos_i18n::I18nContext<Locale>, kind: AuditKind) -> String {
    match kind {
        AuditKind::SignedUp => t_string!(i18n, audit.signed_up),
        AuditKind::Login => t_string!(i18n, audit.login),
        AuditKind::LoginFailed => t_string!(i18n, audit.login_failed),
        AuditKind::Logout => t_string!(i18n, audit.logout),
        AuditKind::LogoutEverywhere => t_string!(i18n, audit.logout_everywhere),
        AuditKind::PasswordChanged => t_string!(i18n, audit.password_changed),
        AuditKind::PasswordReset => t_string!(i18n, audit.password_reset),
        AuditKind::TotpEnabled => t_string!(i18n, audit.totp_enabled),
        AuditKind::TotpDisabled => t_string!(i18n, audit.totp_disabled),
        AuditKind::RecoveryCodeUsed => t_string!(i18n, audit.recovery_code_used),
        AuditKind::SessionRevoked => t_string!(i18n, audit.session_revoked),
        AuditKind::RefreshReplay => t_string!(i18n, audit.refresh_replay),
        AuditKind::EmailVerified => t_string!(i18n, audit.email_verified),
        AuditKind::EmailChanged => t_string!(i18n, audit.email_changed),
        AuditKind::ProfileUpdated => t_string!(i18n, audit.profile_updated),
        AuditKind::CancellationRequested => t_string!(i18n, audit.cancellation_requested),
        AuditKind::SimLineChanged => t_string!(i18n, audit.sim_line_changed),
    }
    .to_string()
}
