//! SIM lines for the signed-in customer, read-only: their lines (the WHMCS services whose
//! `Phone Number` custom field holds a number) and one line with its usage.
//!
//! Ownership comes from the customer's own services: a number that is not on one of them —
//! another customer's line included — is `NotFound`, and the SIM platform is never asked about
//! it. Figures are read through [`CachedLines`] (one cache namespace per line, fresh for at
//! least five minutes, a stale copy while Freebit fails); only the customer's own lines are
//! read, never all lines. ICCID and EID leave the server masked (last four digits).

use crate::api::sims::{SimDetail, SimSummary};
use crate::domain::common::date::JST;
use crate::domain::services::{PHONE_FIELD, Service};
use crate::domain::sim::chart::data_left_mb;
use crate::domain::sim::{Msisdn, SimLine};
use crate::error::AppError;
use crate::server::auth::customer::Customer;
use crate::server::cache::Cached;
use crate::server::errors::{internal, with_status};
use crate::server::integrations::freebit::{CachedLines, FreebitError};
use crate::server::state::AppState;
use std::time::Duration;
use time::OffsetDateTime;

pub mod actions;
pub mod alert_mail;
pub mod alerts;
pub mod platform_probe;
pub mod topup;
pub mod topup_apply;

/// How long a line's figures stay fresh (the platform's minimum).
const FRESH: Duration = Duration::from_secs(300);
/// How long an older copy may stand in while Freebit fails.
const STALE_GRACE: Duration = Duration::from_secs(3600);

pub(crate) fn cached_lines(state: &AppState) -> CachedLines {
    CachedLines::new(
        state.providers.freebit.clone(),
        state.cache.clone(),
        FRESH,
        STALE_GRACE,
    )
}

/// A Freebit failure for the customer: an unknown line is not found, an unreachable or busy
/// platform is unavailable, anything else is logged and internal.
pub(crate) fn freebit_error(err: FreebitError) -> AppError {
    match err {
        FreebitError::NotFound => with_status(AppError::NotFound),
        err if err.is_transient() => {
            tracing::warn!(error = %err, "Freebit unavailable");
            with_status(AppError::Unavailable)
        }
        err => internal(anyhow::Error::new(err).context("Freebit call failed")),
    }
}

/// The customer's services that carry a valid phone number, with that number.
pub(crate) fn sim_services(services: Vec<Service>) -> Vec<(Service, Msisdn)> {
    services
        .into_iter()
        .filter_map(|s| {
            let number = Msisdn::parse(s.custom_fields.get(PHONE_FIELD)?).ok()?;
            Some((s, number))
        })
        .collect()
}

/// Megabytes left on the day the figures were taken (JST).
fn data_left(line: &SimLine, as_of: OffsetDateTime) -> u32 {
    data_left_mb(&line.buckets, as_of.to_offset(JST).date())
}

/// The customer's lines, each with its plan, data left and state when the platform answered
/// (a line it could not describe is listed without them). The time is the oldest figure's.
pub async fn lines(
    state: &AppState,
    customer: &Customer,
) -> Result<Cached<Vec<SimSummary>>, AppError> {
    let services = crate::server::services::services(state, customer).await?;
    let (mut as_of, mut stale) = (services.as_of, services.stale);
    let cached = cached_lines(state);
    let mut out = Vec::new();
    for (service, number) in sim_services(services.value) {
        let mut summary = SimSummary {
            service_id: service.id,
            product: service.product,
            number: number.digits().to_owned(),
            formatted: number.formatted(),
            plan: None,
            data_left_mb: None,
            state: None,
        };
        match cached.detail(&number).await {
            Ok(detail) => {
                as_of = as_of.min(detail.as_of);
                stale |= detail.stale;
                summary.data_left_mb = Some(data_left(&detail.value, detail.as_of));
                summary.plan = Some(detail.value.plan.to_string());
                summary.state = Some(detail.value.state);
            }
            Err(err) => {
                tracing::warn!(error = %err, service = service.id, "SIM line not described");
            }
        }
        out.push(summary);
    }
    Ok(Cached {
        value: out,
        as_of,
        stale,
    })
}

/// One of the customer's lines by number (digits, with or without hyphens), with the service
/// it belongs to. A number that is not on one of the customer's services — another customer's
/// included — is `NotFound`, and Freebit is never asked. Every SIM read and write starts here.
pub(crate) async fn owned_line(
    state: &AppState,
    customer: &Customer,
    number: &str,
) -> Result<(Service, Msisdn), AppError> {
    let wanted = Msisdn::parse(number).map_err(|_| with_status(AppError::NotFound))?;
    let services = crate::server::services::services(state, customer).await?;
    sim_services(services.value)
        .into_iter()
        .find(|(_, n)| *n == wanted)
        .ok_or_else(|| with_status(AppError::NotFound))
}

/// One of the customer's lines by number (digits, with or without hyphens), with its usage.
/// A number that is not one of the customer's is `NotFound`.
pub async fn line(
    state: &AppState,
    customer: &Customer,
    number: &str,
) -> Result<Cached<SimDetail>, AppError> {
    let (service, number) = owned_line(state, customer, number).await?;
    let cached = cached_lines(state);
    let detail = cached.detail(&number).await.map_err(freebit_error)?;
    let (mut as_of, mut stale) = (detail.as_of, detail.stale);
    let usage = match cached.usage(&number).await {
        Ok(usage) => {
            as_of = as_of.min(usage.as_of);
            stale |= usage.stale;
            Some(usage.value)
        }
        Err(err) => {
            tracing::warn!(error = %err, service = service.id, "SIM usage not available");
            None
        }
    };
    let data_left_mb = data_left(&detail.value, detail.as_of);
    // The page shows the SIM's identifiers masked; the full ones never leave the server.
    let mut line = detail.value;
    line.iccid = line.iccid_masked();
    line.eid = line.eid_masked();
    Ok(Cached {
        value: SimDetail {
            service_id: service.id,
            product: service.product,
            line,
            data_left_mb,
            usage,
        },
        as_of,
        stale,
    })
}
