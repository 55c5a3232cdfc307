//! The changes a customer confirms on one of their SIM lines: plan change and its withdrawal,
//! voice options, 4G/5G, speed mode, eSIM reissue, cancellation and its withdrawal, suspend and
//! resume.
//!
//! Every action: ownership first, exactly like `server::sims::line` (a number that is not on
//! one of the customer's services is `NotFound` and Freebit is never asked); input checked
//! against the line (a plan of the line's kind, a voice line for voice options…); then
//! double-submit protection in two layers:
//! 1. the form's one-use token: the first post of (customer, line, token, action, values) is
//!    recorded atomically (`Store::record_delivery`); a repeat — a double click, a re-sent
//!    no-JS form, two tabs posting at once — is answered `already_done` without a Freebit call.
//!    A failed call forgets the record, so the same form can be sent again;
//! 2. the line's current state: an action whose effect is already there (the same plan change
//!    booked, a cancellation already scheduled, a line already suspended, nothing to withdraw)
//!    is `already_done` without a call. Freebit itself refuses most repeats (409-331 while an
//!    order runs, 409-332, 409-333), but not all: a second eSIM reissue after the first
//!    completed would replace the profile just released, and voice options start an order each.
//!
//! After every call the line's cached figures are dropped so the page shows the new state; a
//! change is recorded in the customer's audit log. Refusals carry `FreebitError::kind` and
//! `customer_message`, never the vendor's codes or text.

mod qr;
mod view;

pub use view::line_actions;

use crate::api::sims::actions::{CANCEL_REASONS, SimActionOutcome};
use crate::domain::account::AuditKind;
use crate::domain::common::date::JST;
use crate::domain::sim::plan_options::plan_choices;
use crate::domain::sim::{
    Eid, LineState, Msisdn, NetworkType, PlanCode, SimForm, SimLine, SpeedMode, SuspendReason,
    VoiceOptions, VoiceOptionsChange, cancellation_date, next_plan_change_date,
};
use crate::error::{AppError, FieldError, FieldProblem};
use crate::server::auth::audit;
use crate::server::auth::client_info::ClientInfo;
use crate::server::auth::customer::Customer;
use crate::server::errors::{internal, with_status};
use crate::server::integrations::freebit::{CachedLines, FreebitError};
use crate::server::sims::{cached_lines, freebit_error};
use crate::server::state::AppState;
use time::OffsetDateTime;

/// The `record_delivery` source of confirmed SIM actions.
const DEDUP_SOURCE: &str = "sim_action";

/// A confirmed form, as posted.
#[derive(Debug, Clone)]
pub struct ActionInput {
    /// The action's key.
    pub action: String,
    /// The page's one-use token.
    pub token: String,
    /// `plan_change`: the plan code.
    pub plan: String,
    /// `network`: `4g` or `5g`.
    pub network: String,
    /// `speed`: `high` or `low`.
    pub speed: String,
    /// `esim_reissue`: the new device's EID (empty = the current one).
    pub eid: String,
    /// `cancel`: one of [`CANCEL_REASONS`].
    pub reason: String,
    /// `voice`: the options wanted.
    pub voice: VoiceOptions,
}

/// An action, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Action {
    PlanChange(PlanCode),
    PlanWithdraw,
    Voice(VoiceOptions),
    Network(NetworkType),
    Speed(SpeedMode),
    EsimReissue(Option<Eid>),
    Cancel(String),
    CancelWithdraw,
    Suspend,
    Resume,
}

impl Action {
    fn key(&self) -> &'static str {
        match self {
            Action::PlanChange(_) => "plan_change",
            Action::PlanWithdraw => "plan_withdraw",
            Action::Voice(_) => "voice",
            Action::Network(_) => "network",
            Action::Speed(_) => "speed",
            Action::EsimReissue(_) => "esim_reissue",
            Action::Cancel(_) => "cancel",
            Action::CancelWithdraw => "cancel_withdraw",
            Action::Suspend => "suspend",
            Action::Resume => "resume",
        }
    }
}

fn invalid(field: &str, problem: FieldProblem) -> AppError {
    with_status(AppError::Validation {
        fields: vec![FieldError {
            field: field.into(),
            problem,
        }],
    })
}

/// Reads the posted form into an [`Action`].
fn parse(input: &ActionInput) -> Result<Action, AppError> {
    let required = |field: &str, value: &str| {
        if value.trim().is_empty() {
            Err(invalid(field, FieldProblem::Required))
        } else {
            Ok(())
        }
    };
    Ok(match input.action.as_str() {
        "plan_change" => {
            required("plan", &input.plan)?;
            Action::PlanChange(
                PlanCode::parse(&input.plan).map_err(|_| invalid("plan", FieldProblem::Invalid))?,
            )
        }
        "plan_withdraw" => Action::PlanWithdraw,
        "voice" => Action::Voice(input.voice),
        "network" => Action::Network(
            NetworkType::from_key(&input.network)
                .ok_or_else(|| invalid("network", FieldProblem::Invalid))?,
        ),
        "speed" => Action::Speed(match input.speed.as_str() {
            "high" => SpeedMode::High,
            "low" => SpeedMode::Low,
            _ => return Err(invalid("speed", FieldProblem::Invalid)),
        }),
        "esim_reissue" => Action::EsimReissue(match input.eid.trim() {
            "" => None,
            eid => Some(Eid::parse(eid).map_err(|_| invalid("eid", FieldProblem::Invalid))?),
        }),
        "cancel" => {
            required("reason", &input.reason)?;
            if !CANCEL_REASONS.contains(&input.reason.as_str()) {
                return Err(invalid("reason", FieldProblem::Invalid));
            }
            Action::Cancel(input.reason.clone())
        }
        "cancel_withdraw" => Action::CancelWithdraw,
        "suspend" => Action::Suspend,
        "resume" => Action::Resume,
        _ => return Err(with_status(AppError::BadRequest)),
    })
}

/// Checks `action` against the line: `Ok(true)` = its effect is already there (nothing to
/// send), `Ok(false)` = send it; a request the line cannot take is refused as a field error.
async fn check(state: &AppState, line: &SimLine, action: &Action) -> Result<bool, AppError> {
    Ok(match action {
        Action::PlanChange(to) => {
            if line
                .pending_plan_change
                .as_ref()
                .is_some_and(|booked| booked.to == *to)
            {
                return Ok(true);
            }
            let catalog = view::catalog_plans(state).await;
            if !plan_choices(&catalog, line.kind, line.plan.as_str())
                .iter()
                .any(|p| p.code == to.as_str())
            {
                return Err(invalid("plan", FieldProblem::Invalid));
            }
            false
        }
        Action::PlanWithdraw => line.pending_plan_change.is_none(),
        Action::Voice(wanted) => match line.voice {
            None => return Err(invalid("voice", FieldProblem::Invalid)),
            Some(now) => VoiceOptionsChange::between(now, *wanted).is_empty(),
        },
        Action::Network(network) => line.network == *network,
        Action::Speed(mode) => line.speed == *mode,
        Action::EsimReissue(eid) => {
            if line.form != SimForm::Esim {
                return Err(invalid("eid", FieldProblem::Invalid));
            }
            if eid.is_none() && line.eid.is_none() {
                return Err(invalid("eid", FieldProblem::Required));
            }
            false
        }
        Action::Cancel(_) => matches!(line.state, LineState::CancelScheduled { .. }),
        Action::CancelWithdraw => !matches!(line.state, LineState::CancelScheduled { .. }),
        Action::Suspend => matches!(line.state, LineState::Suspended { .. }),
        Action::Resume => !matches!(line.state, LineState::Suspended { .. }),
    })
}

/// Sends `action` to Freebit.
async fn send(
    lines: &CachedLines,
    msisdn: &Msisdn,
    line: &SimLine,
    action: &Action,
) -> Result<(), FreebitError> {
    let client = lines.client();
    let today = OffsetDateTime::now_utc().to_offset(JST).date();
    match action {
        Action::PlanChange(to) => client
            .change_plan(msisdn, to, next_plan_change_date(today))
            .await
            .map(drop),
        Action::PlanWithdraw => client.withdraw_plan_change(msisdn).await,
        Action::Voice(wanted) => {
            let now = line.voice.unwrap_or_default();
            let change = VoiceOptionsChange::between(now, *wanted);
            client.change_voice_options(msisdn, &change).await.map(drop)
        }
        Action::Network(network) => client.change_network(msisdn, *network).await.map(drop),
        Action::Speed(mode) => client.set_speed_mode(msisdn, *mode).await.map(drop),
        Action::EsimReissue(eid) => {
            let eid = match (eid, line.eid.as_deref()) {
                (Some(eid), _) => eid.clone(),
                (None, Some(current)) => {
                    Eid::parse(current).map_err(|_| FreebitError::refused("EID unreadable"))?
                }
                (None, None) => return Err(FreebitError::refused("no EID")),
            };
            client.reissue_esim(msisdn, &eid).await.map(drop)
        }
        Action::Cancel(_) => client
            .cancel_line(msisdn, cancellation_date(today))
            .await
            .map(drop),
        Action::CancelWithdraw => client.withdraw_cancellation(msisdn).await,
        Action::Suspend => client.suspend(msisdn, SuspendReason::Lost).await,
        Action::Resume => client.resume(msisdn).await,
    }
}

/// A refusal the platform gives to a repeat of what is already in place: the effect is there.
fn is_repeat(action: &Action, err: &FreebitError) -> bool {
    matches!(
        (action, err),
        (Action::Cancel(_), FreebitError::CancellationScheduled)
            | (
                Action::PlanWithdraw | Action::CancelWithdraw | Action::Network(_),
                FreebitError::NoChange
            )
    )
}

fn outcome(action: &Action, status: &str, message: &str) -> SimActionOutcome {
    SimActionOutcome {
        action: action.key().to_owned(),
        status: status.to_owned(),
        message: message.to_owned(),
    }
}

/// Carries out a confirmed action on the customer's line `number`. Returns the line's digits
/// (for the page to go back to) and the outcome.
pub async fn perform(
    state: &AppState,
    customer: &Customer,
    number: &str,
    input: &ActionInput,
) -> Result<(String, SimActionOutcome), AppError> {
    let (service, msisdn) = super::owned_line(state, customer, number).await?;
    let digits = msisdn.digits().to_owned();
    let action = parse(input)?;
    let token = input.token.trim();
    if token.is_empty() || token.len() > 64 {
        return Err(invalid("token", FieldProblem::Invalid));
    }
    let lines = cached_lines(state);
    let line = lines.detail(&msisdn).await.map_err(freebit_error)?.value;
    if check(state, &line, &action).await? {
        return Ok((digits, outcome(&action, "already_done", "")));
    }
    let key = format!("{}:{digits}:{token}:{action:?}", customer.user_id());
    let now = OffsetDateTime::now_utc();
    let first = state
        .store
        .record_delivery(DEDUP_SOURCE, &key, now)
        .await
        .map_err(|e| internal(anyhow::Error::new(e).context("recording a SIM action")))?;
    if !first {
        tracing::info!(
            service = service.id,
            action = action.key(),
            "SIM action repeated; not sent again"
        );
        return Ok((digits, outcome(&action, "already_done", "")));
    }
    let sent = send(&lines, &msisdn, &line, &action).await;
    lines.invalidate(&msisdn).await;
    match sent {
        Ok(()) => {
            tracing::info!(
                service = service.id,
                action = action.key(),
                reason = match &action {
                    Action::Cancel(reason) => reason.as_str(),
                    _ => "",
                },
                "SIM action done"
            );
            audit::record(
                state.store.as_ref(),
                customer.user_id(),
                AuditKind::SimLineChanged,
                &ClientInfo::current(),
            )
            .await;
            Ok((digits, outcome(&action, "done", "")))
        }
        Err(err) => {
            // Nothing changed: the same form may be sent again.
            if let Err(e) = state.store.forget_delivery(DEDUP_SOURCE, &key).await {
                tracing::warn!(error = %e, "could not forget a failed SIM action");
            }
            if is_repeat(&action, &err) {
                return Ok((digits, outcome(&action, "already_done", "")));
            }
            tracing::warn!(service = service.id, action = action.key(), error = %err, "SIM action refused");
            Ok((digits, outcome(&action, err.kind(), err.customer_message())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(action: &str) -> ActionInput {
        ActionInput {
            action: action.into(),
            token: "t".into(),
            plan: String::new(),
            network: String::new(),
            speed: String::new(),
            eid: String::new(),
            reason: String::new(),
            voice: VoiceOptions::default(),
        }
    }

    #[test]
    fn forms_are_read_into_actions() {
        let mut plan = input("plan_change");
        assert!(parse(&plan).is_err(), "a plan is required");
        plan.plan = "PLAN-D10".into();
        assert_eq!(parse(&plan).ok().map(|a| a.key()), Some("plan_change"));
        let mut network = input("network");
        network.network = "5G".into();
        assert_eq!(
            parse(&network).ok(),
            Some(Action::Network(NetworkType::FiveG))
        );
        let mut cancel = input("cancel");
        cancel.reason = "because".into();
        assert!(parse(&cancel).is_err(), "only listed reasons");
        cancel.reason = "cost".into();
        assert_eq!(parse(&cancel).ok(), Some(Action::Cancel("cost".into())));
        let mut eid = input("esim_reissue");
        assert_eq!(parse(&eid).ok(), Some(Action::EsimReissue(None)));
        eid.eid = "123".into();
        assert!(parse(&eid).is_err(), "an EID has 32 digits");
        assert!(parse(&input("reboot")).is_err());
    }

    #[test]
    fn repeats_of_what_is_in_place_are_not_refusals() {
        assert!(is_repeat(
            &Action::Cancel("cost".into()),
            &FreebitError::CancellationScheduled
        ));
        assert!(is_repeat(&Action::PlanWithdraw, &FreebitError::NoChange));
        assert!(!is_repeat(
            &Action::PlanChange(PlanCode::parse("PLAN-D10").expect("code")),
            &FreebitError::PlanChangeReserved
        ));
        assert!(!is_repeat(&Action::Suspend, &FreebitError::NotActive));
    }
}
