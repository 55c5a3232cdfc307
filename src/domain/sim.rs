//! SIM lines (the MVNO platform, Freebit): what the SIM pages show and the changes a customer
//! can ask for, as pure types shared by the browser and the server.
//!
//! - [`ids`]: validated identifiers — [`Msisdn`] (the phone number, which is how the platform
//!   keys a line), [`PlanCode`], [`Eid`];
//! - [`line`]: a line's details — form, kind, network, state, quota buckets, voice options,
//!   pending changes ([`SimLine`]);
//! - [`usage`]: daily usage (high speed vs throttled, provisional today) and quota history;
//! - [`alerts`]: usage-alert thresholds, the JST month they count in, in-app notices;
//! - [`chart`]: the usage chart's geometry (scale, ticks, stacked bars) and data left;
//! - [`actions`]: what a customer can ask for and what the platform answers (top-up amounts,
//!   plan-change and cancellation dates, accepted orders, eSIM profiles, MNP-out numbers);
//! - [`plan_options`]: the plans a line may move to and a plan change's preview;
//! - [`topup`]: a paid top-up's states, failure reasons, price and idempotency key.
//!
//! Nothing here knows the platform's field names or codes: the adapter
//! (`server::integrations::freebit::map`) maps its wire shapes into these types.

pub mod actions;
pub mod alerts;
pub mod chart;
pub mod ids;
pub mod line;
pub mod plan_options;
pub mod topup;
pub mod usage;

pub use actions::{
    CancellationScheduled, EsimProfile, EsimProfileState, MnpOutReservation, OrderAccepted,
    QuotaAddition, TopUpAmount, TopUpResult, cancellation_date, first_of_next_month, last_of_month,
    next_plan_change_date,
};
pub use ids::{Eid, IdError, Msisdn, PlanCode, mask_tail};
pub use line::{
    LineState, NetworkType, OperationKind, PendingOperation, PlanChange, QuotaBucket, QuotaSource,
    SimForm, SimKind, SimLine, SpeedMode, SuspendReason, VoiceOptions, VoiceOptionsChange,
};
pub use usage::{DailyUsage, QuotaHistoryEntry, SimUsage};
