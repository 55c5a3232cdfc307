//! Usage alerts: a customer's threshold per line (data used this month), checked whenever the
//! portal reads the line's usage for that customer, and the in-app notices they leave.
//!
//! **When usage is checked.** Freebit forbids polling and looping over all customers, so the
//! portal never sweeps lines on its own. A line is checked when its customer opens a page that
//! shows it (the SIM page's alert panel) and, for the lines that have an alert set, when they
//! open the dashboard. Both read through [`CachedLines`](crate::server::integrations::freebit::CachedLines),
//! so a line costs at most one traffic call per five minutes however often pages load, and a
//! line without an alert costs nothing extra. (docs/FREEBIT.md, "Usage alerts".)
//!
//! **Once per threshold per month.** The month is the platform's calendar month in JST, taken
//! from the time the platform gave the figures (so the simulator's virtual clock moves it too),
//! and `this_month_bytes` is the platform's own count for that month. Reaching the threshold
//! inserts one row keyed by (user, line, month, threshold) together with the notice, in one
//! transaction; any repeat — a second refresh, another instance — finds the row and does
//! nothing. The mail goes out from that row (an outbox): claimed by one sender, marked sent on
//! success, claimed again by a later check after a failure, so none is lost and none doubled.
//!
//! Ownership is `server::sims::line`'s: a number not on one of the customer's services is
//! `NotFound`, and the platform is not asked about it.

use crate::domain::common::lang::Lang;
use crate::domain::sim::alerts::{Notice, NoticeBody, Threshold, month_key};
use crate::domain::sim::{Msisdn, SimUsage};
use crate::error::AppError;
use crate::server::accounts::email_links::origin;
use crate::server::accounts::provider_errors::store as store_error;
use crate::server::auth::customer::Customer;
use crate::server::errors::with_status;
use crate::server::state::AppState;
use crate::server::store::{AlertEvent, NoticeRecord, unix_ms};
use std::time::Duration;
use time::OffsetDateTime;

/// How long a sender holds an alert's mail before another may try it again.
const MAIL_CLAIM: Duration = Duration::from_secs(300);
/// The most notices listed at once.
const MAX_NOTICES: u32 = 20;

/// The customer's line with this number, or `NotFound` (another customer's, or none).
async fn owned_line(
    state: &AppState,
    customer: &Customer,
    number: &str,
) -> Result<Msisdn, AppError> {
    Ok(super::owned_line(state, customer, number).await?.1)
}

/// Every line on the customer's services.
async fn owned_lines(state: &AppState, customer: &Customer) -> Result<Vec<Msisdn>, AppError> {
    let services = crate::server::services::services(state, customer).await?;
    Ok(super::sim_services(services.value)
        .into_iter()
        .map(|(_, n)| n)
        .collect())
}

/// The customer's threshold for one of their lines.
pub async fn threshold(
    state: &AppState,
    customer: &Customer,
    number: &str,
) -> Result<Option<Threshold>, AppError> {
    let line = owned_line(state, customer, number).await?;
    stored_threshold(state, customer, &line).await
}

async fn stored_threshold(
    state: &AppState,
    customer: &Customer,
    line: &Msisdn,
) -> Result<Option<Threshold>, AppError> {
    Ok(state
        .store
        .usage_alert(customer.user_id(), line.digits())
        .await
        .map_err(store_error)?
        .map(Threshold::from_mb))
}

/// Sets the threshold of one of the customer's lines from the form's GB text; the line's
/// digits on success.
pub async fn set(
    state: &AppState,
    customer: &Customer,
    number: &str,
    threshold_gb: &str,
) -> Result<(Msisdn, Threshold), AppError> {
    let line = owned_line(state, customer, number).await?;
    let threshold = Threshold::parse_gb(threshold_gb).map_err(|field| {
        with_status(AppError::Validation {
            fields: vec![field],
        })
    })?;
    state
        .store
        .set_usage_alert(
            customer.user_id(),
            line.digits(),
            Some(threshold.mb()),
            unix_ms(OffsetDateTime::now_utc()),
        )
        .await
        .map_err(store_error)?;
    Ok((line, threshold))
}

/// Removes the threshold of one of the customer's lines (nothing happens if none was set).
pub async fn clear(
    state: &AppState,
    customer: &Customer,
    number: &str,
) -> Result<Msisdn, AppError> {
    let line = owned_line(state, customer, number).await?;
    state
        .store
        .set_usage_alert(
            customer.user_id(),
            line.digits(),
            None,
            unix_ms(OffsetDateTime::now_utc()),
        )
        .await
        .map_err(store_error)?;
    Ok(line)
}

/// The alert panel of one line: its threshold and its open notices, after checking the line's
/// usage (through the cache) against the threshold.
pub async fn line_panel(
    state: &AppState,
    customer: &Customer,
    number: &str,
) -> Result<(Option<Threshold>, Vec<Notice>), AppError> {
    let line = owned_line(state, customer, number).await?;
    let threshold = stored_threshold(state, customer, &line).await?;
    if let Some(threshold) = threshold {
        refresh_and_check(state, customer, &line, threshold).await;
    }
    let mut notices = notices(state, customer).await?;
    notices.retain(|n| n.body.subject() == line.digits());
    Ok((threshold, notices))
}

/// The customer's open notices (for the dashboard), after checking their lines that have an
/// alert set — only those, each through the cache.
pub async fn dashboard_notices(
    state: &AppState,
    customer: &Customer,
) -> Result<Vec<Notice>, AppError> {
    let alerts = state
        .store
        .usage_alerts_of(customer.user_id())
        .await
        .map_err(store_error)?;
    if !alerts.is_empty() {
        match owned_lines(state, customer).await {
            Ok(lines) => {
                for line in lines {
                    if let Some((_, mb)) = alerts.iter().find(|(n, _)| n == line.digits()) {
                        refresh_and_check(state, customer, &line, Threshold::from_mb(*mb)).await;
                    }
                }
            }
            // The notices already raised are still worth showing.
            Err(err) => tracing::warn!(error = ?err, "usage alerts not checked: no services"),
        }
    }
    notices(state, customer).await
}

/// Reads the line's usage through the cache and checks it. Never fails the page: a platform
/// or store fault is logged and the next check tries again.
async fn refresh_and_check(
    state: &AppState,
    customer: &Customer,
    line: &Msisdn,
    threshold: Threshold,
) {
    match super::cached_lines(state).usage(line).await {
        Ok(usage) => check(state, customer, &usage.value, threshold).await,
        Err(err) => tracing::warn!(error = %err, line = %line.masked(), "usage alert not checked"),
    }
}

/// Raises the alert if `usage` reached `threshold` this month and it has not been raised yet,
/// then sends any of the line's alert mails not sent yet.
pub async fn check(state: &AppState, customer: &Customer, usage: &SimUsage, threshold: Threshold) {
    let now = OffsetDateTime::now_utc();
    if threshold.reached_by(usage.this_month_bytes) {
        let event = AlertEvent {
            user_id: customer.user_id().to_owned(),
            msisdn: usage.msisdn.digits().to_owned(),
            month: month_key(usage.as_of),
            threshold_mb: threshold.mb(),
            used_bytes: usage.this_month_bytes,
        };
        match notice_record(&event, now) {
            Ok(notice) => {
                match state
                    .store
                    .record_alert_event(&event, &notice, unix_ms(now))
                    .await
                {
                    Ok(true) => {
                        tracing::info!(line = %usage.msisdn.masked(), month = %event.month, "usage alert raised")
                    }
                    Ok(false) => {}
                    Err(err) => tracing::warn!(error = %err, "usage alert not recorded"),
                }
            }
            Err(err) => tracing::warn!(error = %err, "usage alert notice not built"),
        }
    }
    send_pending_mails(state, customer, &usage.msisdn, now).await;
}

fn notice_record(event: &AlertEvent, now: OffsetDateTime) -> serde_json::Result<NoticeRecord> {
    let body = NoticeBody::UsageAlert {
        msisdn: Msisdn::parse(&event.msisdn).map_err(serde::de::Error::custom)?,
        month: event.month.clone(),
        threshold: Threshold::from_mb(event.threshold_mb),
        used_bytes: event.used_bytes,
    };
    Ok(NoticeRecord {
        id: uuid::Uuid::new_v4().to_string(),
        kind: body.kind().to_owned(),
        subject: body.subject(),
        payload: serde_json::to_string(&body)?,
        created_at_ms: unix_ms(now),
    })
}

/// Sends the line's alert mails that no one has sent, each claimed first so that two
/// instances never both send it; a failed send gives the claim back for a later check.
async fn send_pending_mails(
    state: &AppState,
    customer: &Customer,
    line: &Msisdn,
    now: OffsetDateTime,
) {
    let now_ms = unix_ms(now);
    let until = now_ms.saturating_add(i64::try_from(MAIL_CLAIM.as_millis()).unwrap_or(i64::MAX));
    let claimed = match state
        .store
        .claim_alert_mails(customer.user_id(), line.digits(), now_ms, until)
        .await
    {
        Ok(claimed) => claimed,
        Err(err) => {
            tracing::warn!(error = %err, "usage alert mails not claimed");
            return;
        }
    };
    let lang = Lang::parse(&customer.user.locale).unwrap_or(Lang::Ja);
    let link = format!("{}/sims/{}", origin(state), line.digits());
    for event in claimed {
        let mail = super::alert_mail::render(
            lang,
            &customer.user.email,
            line,
            &event.month,
            Threshold::from_mb(event.threshold_mb),
            event.used_bytes,
            &link,
        );
        let sent = match state.mailer.send(mail).await {
            Ok(()) => Some(unix_ms(OffsetDateTime::now_utc())),
            Err(err) => {
                tracing::warn!(error = ?err, "usage alert mail not sent; a later check retries");
                None
            }
        };
        if let Err(err) = state.store.finish_alert_mail(&event, sent).await {
            // The claim expires on its own; the mail, if sent, may then be sent once more.
            tracing::warn!(error = %err, "usage alert mail not marked");
        }
    }
}

/// The customer's open notices, newest first. A notice the portal cannot read (written by a
/// newer version) is skipped and logged.
pub async fn notices(state: &AppState, customer: &Customer) -> Result<Vec<Notice>, AppError> {
    let records = state
        .store
        .open_notices(customer.user_id(), MAX_NOTICES)
        .await
        .map_err(store_error)?;
    Ok(records
        .into_iter()
        .filter_map(|r| match serde_json::from_str::<NoticeBody>(&r.payload) {
            Ok(body) => Some(Notice {
                id: r.id,
                created_at_ms: r.created_at_ms,
                body,
            }),
            Err(err) => {
                tracing::warn!(error = %err, kind = %r.kind, "notice skipped");
                None
            }
        })
        .collect())
}

/// Dismisses one of the customer's notices; anyone else's (or an unknown id) is `NotFound`.
pub async fn dismiss(state: &AppState, customer: &Customer, id: &str) -> Result<(), AppError> {
    let done = state
        .store
        .dismiss_notice(customer.user_id(), id, unix_ms(OffsetDateTime::now_utc()))
        .await
        .map_err(store_error)?;
    if done {
        Ok(())
    } else {
        Err(with_status(AppError::NotFound))
    }
}
