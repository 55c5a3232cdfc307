//! Every Freebit code the adapter reads or writes, in one place (reference `freebit.md` §1.5,
//! §2.2, §2.3): the result/status code table, the `"10"`/`"20"` flags, and the value sets of
//! states, SIM forms and kinds, networks, speed modes, buckets, orders and eSIM profiles.
//! A correction from real Freebit documentation is a one-line change here.

use crate::domain::sim::{
    EsimProfileState, LineState, NetworkType, OperationKind, QuotaSource, SimForm, SimKind,
    SpeedMode, SuspendReason,
};
use time::Date;

/// `resultCode` of success (a string on the wire, compared as one).
pub const SUCCESS: &str = "100";
/// The flag value "yes / enabled".
pub const FLAG_ON: &str = "10";
/// The flag value "no / disabled".
pub const FLAG_OFF: &str = "20";
/// `kind` of a line.
pub const KIND_MVNO: &str = "MVNO";
/// `addKind` of an eSIM reissue.
pub const ADD_KIND_REISSUE: &str = "R";

/// What an error code means for the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// 400-301/302/303/304: our request was malformed or out of range.
    BadRequest,
    /// 400-356: an unsupported combination.
    Unsupported,
    /// 401-201/202: the `authKey` is unknown or expired (fetch a new one, once).
    AuthKey,
    /// 401-203: the OEM credentials were refused.
    OemRefused,
    /// 404-210: no such line (or not ours).
    NotFound,
    /// 409-330: suspended or cancelled.
    NotActive,
    /// 409-331: an order is running on the line.
    Locked,
    /// 409-332: a plan change is already booked this month.
    PlanChangeReserved,
    /// 409-333: a cancellation is already scheduled.
    CancellationScheduled,
    /// 409-334: the line already has that plan or network.
    NoChange,
    /// 409-335: this `quotaCode` was applied before (the original answer comes with it).
    DuplicateQuotaCode,
    /// 409-336: no plan set, so no traffic.
    NoPlan,
    /// 409-337: a SIM inside a share group.
    ShareGroupMember,
    /// 429-900: slow down.
    RateLimited,
    /// 500-999: the platform failed.
    Internal,
    /// 503-998: maintenance.
    Maintenance,
}

/// `(resultCode, status.statusCode)` → class.
const ERROR_CODES: &[(&str, &str, ErrorClass)] = &[
    ("400", "301", ErrorClass::BadRequest),
    ("400", "302", ErrorClass::BadRequest),
    ("400", "303", ErrorClass::BadRequest),
    ("400", "304", ErrorClass::BadRequest),
    ("400", "356", ErrorClass::Unsupported),
    ("401", "201", ErrorClass::AuthKey),
    ("401", "202", ErrorClass::AuthKey),
    ("401", "203", ErrorClass::OemRefused),
    ("404", "210", ErrorClass::NotFound),
    ("409", "330", ErrorClass::NotActive),
    ("409", "331", ErrorClass::Locked),
    ("409", "332", ErrorClass::PlanChangeReserved),
    ("409", "333", ErrorClass::CancellationScheduled),
    ("409", "334", ErrorClass::NoChange),
    ("409", "335", ErrorClass::DuplicateQuotaCode),
    ("409", "336", ErrorClass::NoPlan),
    ("409", "337", ErrorClass::ShareGroupMember),
    ("429", "900", ErrorClass::RateLimited),
    ("500", "999", ErrorClass::Internal),
    ("503", "998", ErrorClass::Maintenance),
];

/// `resultCode` alone → class, for status codes the table does not know.
const RESULT_CODES: &[(&str, ErrorClass)] = &[
    ("401", ErrorClass::AuthKey),
    ("404", ErrorClass::NotFound),
    ("429", ErrorClass::RateLimited),
    ("503", ErrorClass::Maintenance),
];

/// Classifies an error answer. `resultCode` may also carry both parts (`"400-356"`). `None`
/// for a code the tables do not know (kept as it is by the caller).
pub fn classify(result_code: &str, status_code: &str) -> Option<ErrorClass> {
    let (result, status) = match result_code.split_once('-') {
        Some((r, s)) if status_code.is_empty() || status_code == s => (r, s),
        _ => (result_code, status_code),
    };
    ERROR_CODES
        .iter()
        .find(|(r, s, _)| *r == result && *s == status)
        .map(|(_, _, class)| *class)
        .or_else(|| {
            RESULT_CODES
                .iter()
                .find(|(r, _)| *r == result)
                .map(|(_, class)| *class)
        })
}

/// `"10"` / `"20"` for a boolean.
pub fn flag(on: bool) -> &'static str {
    if on { FLAG_ON } else { FLAG_OFF }
}

/// A `"10"` / `"20"` flag.
pub fn parse_flag(raw: &str) -> Option<bool> {
    match raw.trim() {
        FLAG_ON => Some(true),
        FLAG_OFF => Some(false),
        _ => None,
    }
}

/// A line's `state`, with the detail's `stateReason` and `reservedCancel.runDate`.
pub fn line_state(raw: &str, reason: Option<&str>, cancel_on: Option<Date>) -> Option<LineState> {
    Some(match raw.trim() {
        "10" => LineState::Active,
        "20" => LineState::Suspended {
            reason: reason.and_then(suspend_reason),
        },
        "30" => LineState::CancelScheduled { on: cancel_on? },
        "40" => LineState::Cancelled,
        "50" => LineState::Provisioning,
        _ => return None,
    })
}

/// `changeState`'s `state` for suspending (`true`) or resuming.
pub fn state_change(suspend: bool) -> &'static str {
    if suspend { "20" } else { "10" }
}

const SUSPEND_REASONS: &[(&str, SuspendReason)] = &[
    ("LOST", SuspendReason::Lost),
    ("CUSTOMER", SuspendReason::Customer),
    ("NONPAYMENT", SuspendReason::NonPayment),
];

/// A suspension `reason`.
pub fn suspend_reason(raw: &str) -> Option<SuspendReason> {
    lookup(SUSPEND_REASONS, raw)
}

/// The wire value of a suspension reason.
pub fn suspend_reason_code(reason: SuspendReason) -> &'static str {
    code_of(SUSPEND_REASONS, reason)
}

/// `simForm`: `"10"` card, `"20"` eSIM.
pub fn sim_form(raw: &str) -> Option<SimForm> {
    lookup(&[("10", SimForm::Physical), ("20", SimForm::Esim)], raw)
}

/// `simKind`: `E0` voice, `E2` data only, `E3` data with SMS.
pub fn sim_kind(raw: &str) -> Option<SimKind> {
    lookup(
        &[
            ("E0", SimKind::VoiceData),
            ("E2", SimKind::DataOnly),
            ("E3", SimKind::DataSms),
        ],
        raw,
    )
}

const NETWORKS: &[(&str, NetworkType)] = &[("4G", NetworkType::Lte), ("5G", NetworkType::FiveG)];

/// `contractLine`.
pub fn network(raw: &str) -> Option<NetworkType> {
    lookup(NETWORKS, raw)
}

/// The wire value of a network.
pub fn network_code(network: NetworkType) -> &'static str {
    code_of(NETWORKS, network)
}

/// `speedMode`: `"10"` high, `"20"` low.
pub fn speed_mode(raw: &str) -> Option<SpeedMode> {
    parse_flag(raw).map(|high| {
        if high {
            SpeedMode::High
        } else {
            SpeedMode::Low
        }
    })
}

/// The wire value of a speed mode.
pub fn speed_mode_code(mode: SpeedMode) -> &'static str {
    flag(mode == SpeedMode::High)
}

/// A bucket's or history entry's `type`.
pub fn quota_source(raw: &str) -> Option<QuotaSource> {
    lookup(
        &[
            ("PLAN", QuotaSource::Plan),
            ("CARRYOVER", QuotaSource::Carryover),
            ("TOPUP", QuotaSource::TopUp),
            ("GIFT", QuotaSource::Gift),
        ],
        raw,
    )
}

/// A pending order's `type` (unknown types are kept as [`OperationKind::Other`]).
pub fn operation_kind(raw: &str) -> OperationKind {
    lookup(
        &[
            ("CONTRACT_LINE", OperationKind::NetworkChange),
            ("TALK_OPTION", OperationKind::VoiceOptions),
            ("ESIM_REISSUE", OperationKind::EsimReissue),
            ("CANCEL", OperationKind::Cancellation),
            ("PLAN_CHANGE", OperationKind::PlanChange),
        ],
        raw,
    )
    .unwrap_or(OperationKind::Other)
}

/// An eSIM `profileState`.
pub fn profile_state(raw: &str) -> Option<EsimProfileState> {
    lookup(
        &[
            ("PREPARING", EsimProfileState::Preparing),
            ("RELEASED", EsimProfileState::Released),
            ("DOWNLOADED", EsimProfileState::Downloaded),
            ("INSTALLED", EsimProfileState::Installed),
        ],
        raw,
    )
}

fn lookup<T: Copy>(table: &[(&str, T)], raw: &str) -> Option<T> {
    let raw = raw.trim();
    table
        .iter()
        .find(|(code, _)| code.eq_ignore_ascii_case(raw))
        .map(|(_, value)| *value)
}

fn code_of<T: Copy + PartialEq>(table: &[(&'static str, T)], value: T) -> &'static str {
    table
        .iter()
        .find(|(_, v)| *v == value)
        .map_or("", |(code, _)| code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn error_codes_of_the_reference_are_classified() {
        // The one evidenced code (PA05-41), in both spellings.
        assert_eq!(classify("400", "356"), Some(ErrorClass::Unsupported));
        assert_eq!(classify("400-356", ""), Some(ErrorClass::Unsupported));
        for (result, status, class) in ERROR_CODES {
            assert_eq!(classify(result, status), Some(*class), "{result}-{status}");
        }
        assert_eq!(classify("401", "299"), Some(ErrorClass::AuthKey));
        assert_eq!(classify("409", "399"), None, "unknown codes stay unknown");
        assert_eq!(classify("418", ""), None);
    }

    #[test]
    fn value_sets_round_trip() {
        assert_eq!(parse_flag(flag(true)), Some(true));
        assert_eq!(parse_flag(flag(false)), Some(false));
        assert_eq!(parse_flag("1"), None);
        for n in [NetworkType::Lte, NetworkType::FiveG] {
            assert_eq!(network(network_code(n)), Some(n));
        }
        for m in [SpeedMode::High, SpeedMode::Low] {
            assert_eq!(speed_mode(speed_mode_code(m)), Some(m));
        }
        for r in [
            SuspendReason::Lost,
            SuspendReason::Customer,
            SuspendReason::NonPayment,
        ] {
            assert_eq!(suspend_reason(suspend_reason_code(r)), Some(r));
        }
        assert_eq!(sim_kind("e2"), Some(SimKind::DataOnly));
        assert_eq!(sim_form("20"), Some(SimForm::Esim));
        assert_eq!(operation_kind("SOMETHING_NEW"), OperationKind::Other);
        assert_eq!(
            line_state("30", None, Some(date!(2025 - 05 - 31))),
            Some(LineState::CancelScheduled {
                on: date!(2025 - 05 - 31)
            })
        );
        assert_eq!(line_state("30", None, None), None);
        assert_eq!(
            line_state("20", Some("LOST"), None),
            Some(LineState::Suspended {
                reason: Some(SuspendReason::Lost)
            })
        );
    }
}
