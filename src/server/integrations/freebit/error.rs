//! What can go wrong talking to Freebit, as one closed enum. Known codes become their own
//! variants (through [`codes::classify`](super::codes::classify)); unknown ones are kept
//! whole in [`FreebitError::Other`]. Nothing the vendor wrote (its messages are probably
//! Japanese, and may quote the request) reaches a customer: [`FreebitError::customer_message`]
//! is ours, per variant; `Display` is the log-friendly detail with the codes.

use super::codes::ErrorClass;
use std::fmt;

/// A vendor answer's codes and message, for logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorCode {
    /// `resultCode`.
    pub result_code: String,
    /// `status.statusCode`.
    pub status_code: String,
    /// `status.message` (vendor text: for logs only).
    pub message: String,
}

impl fmt::Display for VendorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{} ({:?})",
            self.result_code, self.status_code, self.message
        )
    }
}

/// A failed Freebit call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FreebitError {
    /// No usable answer: connection refused or reset, a proxy's page, an HTTP error without
    /// a Freebit envelope.
    #[error("Freebit could not be reached: {detail}")]
    Transport {
        /// HTTP status, when something answered with one.
        status: Option<u16>,
        /// What happened (no URLs or bodies).
        detail: String,
    },
    /// No answer within the time limit.
    #[error("Freebit did not answer in time")]
    Timeout,
    /// The OEM credentials were refused (401-203), or a new `authKey` was refused too.
    #[error("Freebit refused the OEM authentication: {0}")]
    Auth(VendorCode),
    /// 404-210: no such line, or not one of ours.
    #[error("Freebit: no such line (404-210)")]
    NotFound,
    /// 409-330: the line is suspended or cancelled.
    #[error("Freebit: the line is not active (409-330)")]
    NotActive,
    /// 409-331: an order is still running on the line.
    #[error("Freebit: the line is locked by a running order (409-331)")]
    Locked,
    /// 409-332: a plan change is already booked (one a month).
    #[error("Freebit: a plan change is already reserved (409-332)")]
    PlanChangeReserved,
    /// 409-333: a cancellation is already scheduled.
    #[error("Freebit: a cancellation is already scheduled (409-333)")]
    CancellationScheduled,
    /// 409-334: the line already has that plan or network.
    #[error("Freebit: nothing to change (409-334)")]
    NoChange,
    /// 409-335: this `quotaCode` was applied before (only seen by callers other than the
    /// top-up, which reads it as success).
    #[error("Freebit: duplicate quotaCode (409-335)")]
    DuplicateQuotaCode,
    /// 409-336: the line has no plan, so no traffic.
    #[error("Freebit: no plan set (409-336)")]
    NoPlan,
    /// 409-337: a SIM inside a share group.
    #[error("Freebit: share-group member SIM (409-337)")]
    ShareGroupMember,
    /// 400-356: an unsupported combination.
    #[error("Freebit: unsupported pattern (400-356)")]
    Unsupported,
    /// 400-30x: the request was malformed or out of range (our bug, or input the portal
    /// should have refused), or the adapter refused it before sending.
    #[error("Freebit refused the request: {0}")]
    BadRequest(VendorCode),
    /// 429-900: too many requests.
    #[error("Freebit is rate limiting calls (429-900)")]
    RateLimited,
    /// 503-998: maintenance.
    #[error("Freebit is under maintenance (503-998)")]
    Maintenance,
    /// Any other code, including 500-999, kept as it came.
    #[error("Freebit error {0}")]
    Other(VendorCode),
    /// A success answer we could not read.
    #[error("unexpected Freebit response: {0}")]
    Decode(String),
}

impl FreebitError {
    /// The variant for a classified error answer (`None` = unknown: [`FreebitError::Other`]).
    pub(crate) fn from_class(class: Option<ErrorClass>, code: VendorCode) -> Self {
        match class {
            Some(ErrorClass::BadRequest) => FreebitError::BadRequest(code),
            Some(ErrorClass::Unsupported) => FreebitError::Unsupported,
            Some(ErrorClass::AuthKey | ErrorClass::OemRefused) => FreebitError::Auth(code),
            Some(ErrorClass::NotFound) => FreebitError::NotFound,
            Some(ErrorClass::NotActive) => FreebitError::NotActive,
            Some(ErrorClass::Locked) => FreebitError::Locked,
            Some(ErrorClass::PlanChangeReserved) => FreebitError::PlanChangeReserved,
            Some(ErrorClass::CancellationScheduled) => FreebitError::CancellationScheduled,
            Some(ErrorClass::NoChange) => FreebitError::NoChange,
            Some(ErrorClass::DuplicateQuotaCode) => FreebitError::DuplicateQuotaCode,
            Some(ErrorClass::NoPlan) => FreebitError::NoPlan,
            Some(ErrorClass::ShareGroupMember) => FreebitError::ShareGroupMember,
            Some(ErrorClass::RateLimited) => FreebitError::RateLimited,
            Some(ErrorClass::Maintenance) => FreebitError::Maintenance,
            Some(ErrorClass::Internal) | None => FreebitError::Other(code),
        }
    }

    /// A request the adapter refuses before sending (a value out of the API's range).
    pub(crate) fn refused(reason: &str) -> Self {
        FreebitError::BadRequest(VendorCode {
            result_code: "adapter".into(),
            status_code: String::new(),
            message: reason.into(),
        })
    }

    /// True when trying again later may succeed (down, slow, throttling, maintenance).
    pub fn is_transient(&self) -> bool {
        match self {
            FreebitError::Transport { .. }
            | FreebitError::Timeout
            | FreebitError::RateLimited
            | FreebitError::Maintenance => true,
            FreebitError::Other(code) => code.result_code.starts_with('5'),
            _ => false,
        }
    }

    /// A short, stable name for logs, metric labels and the UI's message lookup.
    pub fn kind(&self) -> &'static str {
        match self {
            FreebitError::Transport { .. } => "transport",
            FreebitError::Timeout => "timeout",
            FreebitError::Auth(_) => "auth",
            FreebitError::NotFound => "not_found",
            FreebitError::NotActive => "not_active",
            FreebitError::Locked => "locked",
            FreebitError::PlanChangeReserved => "plan_change_reserved",
            FreebitError::CancellationScheduled => "cancellation_scheduled",
            FreebitError::NoChange => "no_change",
            FreebitError::DuplicateQuotaCode => "duplicate_quota_code",
            FreebitError::NoPlan => "no_plan",
            FreebitError::ShareGroupMember => "share_group_member",
            FreebitError::Unsupported => "unsupported",
            FreebitError::BadRequest(_) => "bad_request",
            FreebitError::RateLimited => "rate_limited",
            FreebitError::Maintenance => "maintenance",
            FreebitError::Other(_) => "other",
            FreebitError::Decode(_) => "decode",
        }
    }

    /// What a customer may be told, in English (the UI translates by [`FreebitError::kind`]).
    /// Never the vendor's text.
    pub fn customer_message(&self) -> &'static str {
        match self {
            FreebitError::NotFound => "This line could not be found.",
            FreebitError::NotActive => {
                "This line is suspended or cancelled, so it cannot be changed now."
            }
            FreebitError::Locked => {
                "A change to this line is still being processed. Please try again once it is done."
            }
            FreebitError::PlanChangeReserved => {
                "A plan change is already booked for this line, or it is the last day of the month (plan changes cannot be booked on that day)."
            }
            FreebitError::CancellationScheduled => "This line's cancellation is already scheduled.",
            FreebitError::NoChange => "The line already has this setting.",
            FreebitError::NoPlan | FreebitError::ShareGroupMember => {
                "Usage is not available for this line."
            }
            FreebitError::Unsupported => "This change is not possible for this line.",
            FreebitError::RateLimited => {
                "Too many requests for this line. Please wait a moment and try again."
            }
            FreebitError::Transport { .. } | FreebitError::Timeout | FreebitError::Maintenance => {
                "The SIM service is unavailable right now. Please try again later."
            }
            FreebitError::Auth(_)
            | FreebitError::DuplicateQuotaCode
            | FreebitError::BadRequest(_)
            | FreebitError::Other(_)
            | FreebitError::Decode(_) => {
                "Something went wrong with the SIM service. Please try again later or contact support."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::codes::classify;
    use super::*;

    fn answered(result: &str, status: &str, message: &str) -> FreebitError {
        FreebitError::from_class(
            classify(result, status),
            VendorCode {
                result_code: result.into(),
                status_code: status.into(),
                message: message.into(),
            },
        )
    }

    #[test]
    fn codes_become_variants_and_unknown_ones_are_kept() {
        assert_eq!(answered("409", "331", "ロック中").kind(), "locked");
        assert_eq!(
            answered("503", "998", "メンテナンス中").kind(),
            "maintenance"
        );
        assert!(answered("503", "998", "").is_transient());
        assert!(!answered("409", "330", "").is_transient());
        let unknown = answered("409", "399", "未知のエラー");
        assert_eq!(
            unknown,
            FreebitError::Other(VendorCode {
                result_code: "409".into(),
                status_code: "399".into(),
                message: "未知のエラー".into()
            })
        );
        assert!(unknown.to_string().contains("409-399"), "{unknown}");
        assert!(answered("500", "999", "").is_transient());
    }

    #[test]
    fn customers_never_see_vendor_text() {
        let errors = [
            answered("409", "399", "秘密の内部メッセージ"),
            answered("400", "302", "秘密の内部メッセージ"),
            answered("401", "203", "秘密の内部メッセージ"),
            FreebitError::Decode("秘密の内部メッセージ".into()),
        ];
        for err in errors {
            assert!(!err.customer_message().contains("秘密"), "{err:?}");
            assert!(err.to_string().contains("秘密"), "the log keeps it: {err}");
        }
    }
}
