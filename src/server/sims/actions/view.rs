//! What the "Manage this line" area offers: the line's state (through the cache, which every
//! write drops), the plans it may move to (the catalog's SIM products with a Freebit plan
//! code), the dates a plan change and a cancellation would take effect, and for eSIM lines the
//! profile read fresh from the platform.
//!
//! eSIM activation code, "shown once released": the portal never stores, caches or logs it.
//! It reads the profile on each view of the owner's SIM page and passes the code (text and QR)
//! only while the platform reports the profile `Released`, i.e. downloadable; once the device
//! has downloaded it (or the code expired) the platform no longer reports it and the page shows
//! none. Another customer never gets here (ownership first, Freebit not asked).

use super::qr;
use crate::api::sims::actions::{EsimView, LineActions};
use crate::domain::common::date::JST;
use crate::domain::sim::plan_options::{PlanOption, plan_choices};
use crate::domain::sim::{EsimProfileState, SimForm, cancellation_date};
use crate::error::AppError;
use crate::server::auth::customer::Customer;
use crate::server::sims::cached_lines;
use crate::server::state::AppState;
use time::OffsetDateTime;

/// The catalog's plans (an unavailable catalog offers no plan change rather than failing the
/// whole page).
pub(super) async fn catalog_plans(state: &AppState) -> Vec<PlanOption> {
    match crate::server::catalog::products(state).await {
        Ok(products) => products
            .value
            .iter()
            .filter_map(PlanOption::from_product)
            .collect(),
        Err(err) => {
            tracing::warn!(error = %err, "catalog unavailable: no plan choices");
            Vec::new()
        }
    }
}

/// The profile of an eSIM line, with the activation code only while it is released.
async fn esim(state: &AppState, number: &crate::domain::sim::Msisdn) -> Option<EsimView> {
    let profile = match state.providers.freebit.esim_profile(number).await {
        Ok(profile) => profile,
        Err(err) => {
            tracing::warn!(error = %err, "eSIM profile not available");
            return None;
        }
    };
    let now = OffsetDateTime::now_utc();
    let downloadable = profile.state == EsimProfileState::Released
        && profile.expires_at.is_none_or(|until| until > now);
    let code = profile.activation_code.filter(|_| downloadable);
    Some(EsimView {
        state: profile.state,
        qr_svg: code.as_deref().and_then(qr::activation_qr_svg),
        activation_code: code,
        expires_at: profile.expires_at.filter(|_| downloadable),
        confirmation_code_required: profile.confirmation_code_required,
    })
}

/// The actions on the customer's line `number` (`NotFound` for anyone else's).
pub async fn line_actions(
    state: &AppState,
    customer: &Customer,
    number: &str,
) -> Result<LineActions, AppError> {
    let (_, msisdn) = crate::server::sims::owned_line(state, customer, number).await?;
    let line = cached_lines(state)
        .detail(&msisdn)
        .await
        .map_err(crate::server::sims::freebit_error)?
        .value;
    let catalog = catalog_plans(state).await;
    let today = OffsetDateTime::now_utc().to_offset(JST).date();
    let esim = match line.form {
        SimForm::Esim => esim(state, &msisdn).await,
        SimForm::Physical => None,
    };
    Ok(LineActions {
        number: msisdn.digits().to_owned(),
        token: uuid::Uuid::new_v4().to_string(),
        state: line.state,
        kind: line.kind,
        form: line.form,
        network: line.network,
        speed: line.speed,
        locked: line.is_locked(),
        current_plan: line.plan.to_string(),
        choices: plan_choices(&catalog, line.kind, line.plan.as_str()),
        catalog,
        pending_plan_change: line.pending_plan_change,
        today,
        cancellation_on: cancellation_date(today),
        voice: line.voice,
        esim,
    })
}
