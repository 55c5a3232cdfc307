//! A SIM line as the detail page shows it: identity, form and kind, network, plan, state,
//! data left per quota bucket, voice options and the changes still pending.

use super::ids::{Msisdn, PlanCode, mask_tail};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// Physical SIM card or eSIM profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SimForm {
    /// A plastic card.
    Physical,
    /// A downloadable profile.
    Esim,
}

/// What the line carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SimKind {
    /// Voice calls, SMS and data.
    VoiceData,
    /// Data only, no SMS.
    DataOnly,
    /// Data with SMS, no voice.
    DataSms,
}

impl SimKind {
    /// Whether the line has a voice service (and so voice options).
    pub fn has_voice(self) -> bool {
        self == SimKind::VoiceData
    }
}

/// The radio network the contract allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NetworkType {
    /// 4G (LTE).
    Lte,
    /// 5G.
    FiveG,
}

impl NetworkType {
    /// A stable lower-case key (`4g`, `5g`).
    pub fn key(self) -> &'static str {
        match self {
            NetworkType::Lte => "4g",
            NetworkType::FiveG => "5g",
        }
    }

    /// The network named by [`NetworkType::key`].
    pub fn from_key(key: &str) -> Option<Self> {
        match key.trim().to_ascii_lowercase().as_str() {
            "4g" | "lte" => Some(NetworkType::Lte),
            "5g" => Some(NetworkType::FiveG),
            _ => None,
        }
    }
}

/// High speed (uses quota) or saving mode (throttled, uses none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SpeedMode {
    /// Full speed while quota lasts.
    High,
    /// Throttled on purpose; usage does not count against the quota.
    Low,
}

/// Why a line is suspended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SuspendReason {
    /// The phone or SIM was lost or stolen.
    Lost,
    /// The customer asked.
    Customer,
    /// Unpaid bills.
    NonPayment,
}

/// Where a line is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LineState {
    /// Being set up.
    Provisioning,
    /// In service.
    Active,
    /// Stopped for now; refuses every change except resuming.
    Suspended {
        /// Why, when the platform says.
        reason: Option<SuspendReason>,
    },
    /// In service until the cancellation takes effect.
    CancelScheduled {
        /// The day the cancellation takes effect.
        on: Date,
    },
    /// Ended.
    Cancelled,
}

impl LineState {
    /// A stable lower-case key.
    pub fn key(self) -> &'static str {
        match self {
            LineState::Provisioning => "provisioning",
            LineState::Active => "active",
            LineState::Suspended { .. } => "suspended",
            LineState::CancelScheduled { .. } => "cancel_scheduled",
            LineState::Cancelled => "cancelled",
        }
    }

    /// Whether the line is in service (active, or active until a scheduled cancellation).
    pub fn in_service(self) -> bool {
        matches!(self, LineState::Active | LineState::CancelScheduled { .. })
    }
}

/// Where a quota bucket came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QuotaSource {
    /// This month's plan allowance.
    Plan,
    /// Last month's unused allowance.
    Carryover,
    /// Bought by the customer.
    TopUp,
    /// Given (campaign, goodwill).
    Gift,
}

/// One amount of data with its own expiry. The platform uses the bucket that expires first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaBucket {
    /// Where it came from.
    pub source: QuotaSource,
    /// The code it was added with (a top-up's payment id), if any.
    pub code: Option<String>,
    /// Megabytes granted.
    pub granted_mb: u32,
    /// Megabytes left.
    pub remaining_mb: u32,
    /// Last day it can be used.
    pub expires_on: Date,
}

/// A voice line's options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VoiceOptions {
    /// Voicemail.
    pub voicemail: bool,
    /// Call waiting.
    pub call_waiting: bool,
    /// Call forwarding.
    pub call_forwarding: bool,
    /// Calls abroad.
    pub intl_calling: bool,
    /// Roaming abroad.
    pub intl_roaming: bool,
}

/// A change to voice options: `None` leaves an option as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VoiceOptionsChange {
    /// Voicemail.
    pub voicemail: Option<bool>,
    /// Call waiting.
    pub call_waiting: Option<bool>,
    /// Call forwarding.
    pub call_forwarding: Option<bool>,
    /// Calls abroad.
    pub intl_calling: Option<bool>,
    /// Roaming abroad.
    pub intl_roaming: Option<bool>,
}

impl VoiceOptionsChange {
    /// The options that differ between `from` and `to`, and only those.
    pub fn between(from: VoiceOptions, to: VoiceOptions) -> Self {
        let diff = |a: bool, b: bool| (a != b).then_some(b);
        VoiceOptionsChange {
            voicemail: diff(from.voicemail, to.voicemail),
            call_waiting: diff(from.call_waiting, to.call_waiting),
            call_forwarding: diff(from.call_forwarding, to.call_forwarding),
            intl_calling: diff(from.intl_calling, to.intl_calling),
            intl_roaming: diff(from.intl_roaming, to.intl_roaming),
        }
    }

    /// Whether nothing would change.
    pub fn is_empty(&self) -> bool {
        *self == VoiceOptionsChange::default()
    }

    /// `options` with this change applied.
    pub fn apply(&self, options: VoiceOptions) -> VoiceOptions {
        VoiceOptions {
            voicemail: self.voicemail.unwrap_or(options.voicemail),
            call_waiting: self.call_waiting.unwrap_or(options.call_waiting),
            call_forwarding: self.call_forwarding.unwrap_or(options.call_forwarding),
            intl_calling: self.intl_calling.unwrap_or(options.intl_calling),
            intl_roaming: self.intl_roaming.unwrap_or(options.intl_roaming),
        }
    }
}

/// A plan change booked for a later date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanChange {
    /// The new plan.
    pub to: PlanCode,
    /// The day it takes effect (the 1st of a month).
    pub effective_on: Date,
}

/// What an order still running on the platform will change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OperationKind {
    /// 4G ↔ 5G.
    NetworkChange,
    /// Voice options.
    VoiceOptions,
    /// A new eSIM profile.
    EsimReissue,
    /// The line's cancellation.
    Cancellation,
    /// A plan change.
    PlanChange,
    /// Something the portal does not know.
    Other,
}

/// An order the platform accepted and has not finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingOperation {
    /// The platform's order id.
    pub order_id: String,
    /// What it changes.
    pub kind: OperationKind,
    /// Its target, when it has one (`5G`, a plan code).
    pub target: Option<String>,
    /// When it is expected to take effect.
    pub effective_at: Option<OffsetDateTime>,
}

/// A line as the platform describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimLine {
    /// The phone number.
    pub msisdn: Msisdn,
    /// The SIM's ICCID (show masked: [`SimLine::iccid_masked`]).
    pub iccid: Option<String>,
    /// The eSIM's EID (show masked: [`SimLine::eid_masked`]).
    pub eid: Option<String>,
    /// The product number printed on a physical SIM.
    pub product_number: Option<String>,
    /// Card or eSIM.
    pub form: SimForm,
    /// Voice or data.
    pub kind: SimKind,
    /// 4G or 5G.
    pub network: NetworkType,
    /// The current plan.
    pub plan: PlanCode,
    /// Where the line is in its life.
    pub state: LineState,
    /// First day of service.
    pub started_on: Option<Date>,
    /// Speed mode the customer chose.
    pub speed: SpeedMode,
    /// Whether data is throttled now (saving mode, or no quota left).
    pub throttled: bool,
    /// Speed when throttled, kbit/s.
    pub throttle_kbps: u32,
    /// Megabytes left over all buckets.
    pub remaining_mb: u32,
    /// The quota buckets, earliest expiry first.
    pub buckets: Vec<QuotaBucket>,
    /// Voice options (`None` for data-only lines).
    pub voice: Option<VoiceOptions>,
    /// A plan change booked for later.
    pub pending_plan_change: Option<PlanChange>,
    /// Orders still running.
    pub pending: Vec<PendingOperation>,
}

impl SimLine {
    /// The ICCID with all but its last four digits hidden.
    pub fn iccid_masked(&self) -> Option<String> {
        self.iccid.as_deref().map(mask_tail)
    }

    /// The EID with all but its last four digits hidden.
    pub fn eid_masked(&self) -> Option<String> {
        self.eid.as_deref().map(mask_tail)
    }

    /// Whether an order is running (the platform refuses most changes meanwhile).
    pub fn is_locked(&self) -> bool {
        self.pending.iter().any(|p| {
            matches!(
                p.kind,
                OperationKind::NetworkChange
                    | OperationKind::VoiceOptions
                    | OperationKind::EsimReissue
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voice_changes_carry_only_differences() {
        let from = VoiceOptions {
            voicemail: true,
            ..VoiceOptions::default()
        };
        let to = VoiceOptions {
            voicemail: true,
            intl_roaming: true,
            ..VoiceOptions::default()
        };
        let change = VoiceOptionsChange::between(from, to);
        assert_eq!(
            change,
            VoiceOptionsChange {
                intl_roaming: Some(true),
                ..VoiceOptionsChange::default()
            }
        );
        assert_eq!(change.apply(from), to);
        assert!(VoiceOptionsChange::between(to, to).is_empty());
    }

    #[test]
    fn states_and_networks() {
        assert!(LineState::Active.in_service());
        assert!(!LineState::Suspended { reason: None }.in_service());
        assert_eq!(NetworkType::from_key("5G"), Some(NetworkType::FiveG));
        assert_eq!(
            NetworkType::from_key(NetworkType::Lte.key()),
            Some(NetworkType::Lte)
        );
        assert_eq!(NetworkType::from_key("3g"), None);
        assert!(SimKind::VoiceData.has_voice() && !SimKind::DataSms.has_voice());
    }
}
