//! The SIM line actions' server functions: what the "Manage this line" area offers
//! (`sim_actions`) and one endpoint that carries out a confirmed action (`sim_action`).
//!
//! `sim_action` always answers by sending the browser back to the SIM page with the outcome in
//! the query (`?sim_action=…&sim_status=done|already_done|<refusal kind>`), so every form works
//! without JavaScript too. A refusal of the SIM platform is an outcome, not an error: it carries
//! the platform error's `kind` (the page translates it) and `customer_message` (never vendor
//! codes). Ownership, de-duplication and the Freebit calls are `server::sims::actions`'.

// `sim_action` takes the union of the forms' fields; the browser-side function the server macro
// generates cannot carry an item-level allow.
#![allow(clippy::too_many_arguments)]

use crate::domain::sim::plan_options::PlanOption;
use crate::domain::sim::{
    EsimProfileState, LineState, NetworkType, PlanChange, SimForm, SimKind, SpeedMode, VoiceOptions,
};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// The reasons a customer may give for cancelling a line (the form's `reason` values).
pub const CANCEL_REASONS: [&str; 5] =
    ["switching_carrier", "cost", "not_needed", "moving", "other"];

/// What the customer may do with one of their lines right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineActions {
    /// The phone number, digits only.
    pub number: String,
    /// A one-use token the forms of this page carry, so a re-posted form acts once.
    pub token: String,
    /// The line's state at the platform.
    pub state: LineState,
    /// Voice or data.
    pub kind: SimKind,
    /// Card or eSIM.
    pub form: SimForm,
    /// 4G or 5G.
    pub network: NetworkType,
    /// High speed or saving mode.
    pub speed: SpeedMode,
    /// Whether an order is still running (most changes are refused meanwhile).
    pub locked: bool,
    /// The current plan code.
    pub current_plan: String,
    /// Every plan the catalog sells (to name the current one).
    pub catalog: Vec<PlanOption>,
    /// The plans the line may move to.
    pub choices: Vec<PlanOption>,
    /// A booked plan change.
    pub pending_plan_change: Option<PlanChange>,
    /// Today in Japan (what a plan change's date is counted from).
    pub today: Date,
    /// The day a cancellation asked for today would take effect.
    pub cancellation_on: Date,
    /// Voice options (voice lines only).
    pub voice: Option<VoiceOptions>,
    /// The eSIM profile (eSIM lines only, when the platform answered).
    pub esim: Option<EsimView>,
}

/// An eSIM profile as the owner sees it. The activation code is only present while the
/// platform holds it released for download; it is never stored or logged by the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EsimView {
    /// Where the profile is.
    pub state: EsimProfileState,
    /// `LPA:1$…`, for manual entry, while released.
    pub activation_code: Option<String>,
    /// The activation code as an SVG QR code (rendered on the server), while released.
    pub qr_svg: Option<String>,
    /// When the activation code stops working.
    pub expires_at: Option<OffsetDateTime>,
    /// Whether the device will ask for a confirmation code.
    pub confirmation_code_required: bool,
}

/// What became of a confirmed action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimActionOutcome {
    /// The action's key (`plan_change`, `suspend`…).
    pub action: String,
    /// `done`, `already_done` (a repeat: nothing was sent again), or the platform's refusal
    /// kind (`FreebitError::kind`, e.g. `plan_change_reserved`, `not_active`).
    pub status: String,
    /// The refusal for the customer, in English (the page shows its translation); empty when
    /// the action was done.
    pub message: String,
}

impl SimActionOutcome {
    /// Whether the platform refused.
    pub fn refused(&self) -> bool {
        !matches!(self.status.as_str(), "done" | "already_done")
    }
}

/// The actions on the customer's line `number` (`NotFound` for anyone else's).
#[server(prefix = "/api", endpoint = "sims/actions")]
pub async fn sim_actions(number: String) -> Result<LineActions, AppError> {
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    let actions = crate::server::sims::actions::line_actions(&state, &customer, &number).await?;
    // An answer carrying an eSIM activation code must not be kept by any cache.
    if actions
        .esim
        .as_ref()
        .is_some_and(|e| e.activation_code.is_some())
        && let Some(response) = use_context::<leptos_axum::ResponseOptions>()
    {
        response.insert_header(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
    Ok(actions)
}

/// Carries out one confirmed action on the customer's line `number` and sends the browser back
/// to `/sims/{number}` with its outcome. `action`: `plan_change` (`plan`), `plan_withdraw`,
/// `voice` (the five option checkboxes; an absent one is off), `network` (`4g`/`5g`), `speed`
/// (`high`/`low`), `esim_reissue` (`eid`: empty = the same device), `cancel` (`reason`),
/// `cancel_withdraw`, `suspend`, `resume`. `token`: the page's [`LineActions::token`].
// One endpoint for every action keeps the forms simple (one `ActionForm` type); the
// parameters are the union of the forms' fields (hence the module-wide allow above).
#[server(prefix = "/api", endpoint = "sims/action")]
pub async fn sim_action(
    number: String,
    action: String,
    #[server(default)] token: String,
    #[server(default)] plan: String,
    #[server(default)] network: String,
    #[server(default)] speed: String,
    #[server(default)] eid: String,
    #[server(default)] reason: String,
    #[server(default)] voicemail: String,
    #[server(default)] call_waiting: String,
    #[server(default)] call_forwarding: String,
    #[server(default)] intl_calling: String,
    #[server(default)] intl_roaming: String,
) -> Result<SimActionOutcome, AppError> {
    use crate::server::sims::actions::{ActionInput, perform};
    let state = crate::server::context::state()?;
    let customer = crate::server::auth::customer::require_customer().await?;
    let on = |v: &str| !v.is_empty();
    let input = ActionInput {
        action,
        token,
        plan,
        network,
        speed,
        eid,
        reason,
        voice: VoiceOptions {
            voicemail: on(&voicemail),
            call_waiting: on(&call_waiting),
            call_forwarding: on(&call_forwarding),
            intl_calling: on(&intl_calling),
            intl_roaming: on(&intl_roaming),
        },
    };
    let (digits, outcome) = perform(&state, &customer, &number, &input).await?;
    let short: String = input.token.chars().take(8).collect();
    leptos_axum::redirect(&format!(
        "/sims/{digits}?sim_action={}&sim_status={}&t={short}#manage",
        outcome.action, outcome.status
    ));
    Ok(outcome)
}
