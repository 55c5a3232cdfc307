//! A paid data top-up's life: `Requested` (recorded, nothing billed yet) → `Invoiced` (a
//! WHMCS invoice exists; its id is recorded before anything else happens) → `Paid` (the
//! invoice was captured) → `Applied` (the SIM platform added the quota, keyed by the invoice
//! id so a retry cannot add twice), or `Failed` with a reason when it stopped before any money
//! moved. Also the price arithmetic and the form's idempotency key. Pure; shared by the
//! server and the pages.

use serde::{Deserialize, Serialize};

/// Where a top-up is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TopUpState {
    /// Recorded; no invoice yet.
    Requested,
    /// The invoice exists and has not been captured (yet).
    Invoiced,
    /// Paid; the quota is being added (retried in the background until it lands).
    Paid,
    /// The quota was added.
    Applied,
    /// Stopped before any charge (see [`TopUpFailure`]).
    Failed,
}

impl TopUpState {
    /// Every state, in life order.
    pub const ALL: [TopUpState; 5] = [
        TopUpState::Requested,
        TopUpState::Invoiced,
        TopUpState::Paid,
        TopUpState::Applied,
        TopUpState::Failed,
    ];

    /// The stored and wire key.
    pub fn key(self) -> &'static str {
        match self {
            TopUpState::Requested => "requested",
            TopUpState::Invoiced => "invoiced",
            TopUpState::Paid => "paid",
            TopUpState::Applied => "applied",
            TopUpState::Failed => "failed",
        }
    }

    /// The state of a stored key.
    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// True while something is still to happen.
    pub fn in_progress(self) -> bool {
        matches!(
            self,
            TopUpState::Requested | TopUpState::Invoiced | TopUpState::Paid
        )
    }

    /// Whether the life cycle allows moving from `self` to `to`. `Failed → Paid` is allowed
    /// because money is the truth: a capture confirmed after the top-up was given up on must
    /// still add the quota.
    pub fn may_become(self, to: TopUpState) -> bool {
        use TopUpState::*;
        matches!(
            (self, to),
            (Requested, Invoiced)
                | (Requested, Failed)
                | (Invoiced, Paid)
                | (Invoiced, Failed)
                | (Failed, Paid)
                | (Paid, Applied)
        )
    }
}

/// Why a top-up stopped without a charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TopUpFailure {
    /// The card was declined (or the default pay method cannot be charged); the invoice
    /// stays unpaid.
    Declined,
    /// The billing system could not make the invoice.
    InvoiceFailed,
    /// The payment could not be confirmed and the invoice is still unpaid.
    PaymentUnconfirmed,
    /// The invoice was cancelled or otherwise not payable.
    NotPayable,
}

impl TopUpFailure {
    /// The stored and wire key.
    pub fn key(self) -> &'static str {
        match self {
            TopUpFailure::Declined => "declined",
            TopUpFailure::InvoiceFailed => "invoice_failed",
            TopUpFailure::PaymentUnconfirmed => "payment_unconfirmed",
            TopUpFailure::NotPayable => "not_payable",
        }
    }

    /// The failure of a stored key.
    pub fn parse(key: &str) -> Option<Self> {
        [
            TopUpFailure::Declined,
            TopUpFailure::InvoiceFailed,
            TopUpFailure::PaymentUnconfirmed,
            TopUpFailure::NotPayable,
        ]
        .into_iter()
        .find(|f| f.key() == key)
    }
}

/// What a top-up costs, in yen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopUpPrice {
    /// Before tax.
    pub subtotal_jpy: i64,
    /// Consumption tax (rounded down, as the billing system does).
    pub tax_jpy: i64,
    /// What the card is charged.
    pub total_jpy: i64,
}

impl TopUpPrice {
    /// `gb` gigabytes at `per_gb_jpy` before tax, taxed at `tax_bp` hundredths of a percent.
    pub fn of(gb: u32, per_gb_jpy: u32, tax_bp: u32) -> Self {
        let subtotal_jpy = i64::from(gb) * i64::from(per_gb_jpy);
        let tax_jpy = subtotal_jpy * i64::from(tax_bp) / 10_000;
        TopUpPrice {
            subtotal_jpy,
            tax_jpy,
            total_jpy: subtotal_jpy + tax_jpy,
        }
    }
}

/// Quick picks offered above the number input.
pub const QUICK_PICKS_GB: [u32; 4] = [1, 3, 5, 10];

/// Checks the form's idempotency key: 16–64 letters, digits or hyphens (the page renders a
/// UUID). `None` when it is not one.
pub fn valid_key(raw: &str) -> Option<&str> {
    let key = raw.trim();
    ((16..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_and_only_move_forward() {
        for state in TopUpState::ALL {
            assert_eq!(TopUpState::parse(state.key()), Some(state));
        }
        assert_eq!(TopUpState::parse("nope"), None);
        assert!(TopUpState::Requested.may_become(TopUpState::Invoiced));
        assert!(TopUpState::Paid.may_become(TopUpState::Applied));
        assert!(TopUpState::Failed.may_become(TopUpState::Paid));
        assert!(
            !TopUpState::Paid.may_become(TopUpState::Failed),
            "paid is never given up"
        );
        assert!(!TopUpState::Applied.may_become(TopUpState::Paid));
        assert!(!TopUpState::Requested.may_become(TopUpState::Paid));
        assert!(TopUpState::Paid.in_progress());
        assert!(!TopUpState::Applied.in_progress());
        for f in [
            TopUpFailure::Declined,
            TopUpFailure::InvoiceFailed,
            TopUpFailure::PaymentUnconfirmed,
            TopUpFailure::NotPayable,
        ] {
            assert_eq!(TopUpFailure::parse(f.key()), Some(f));
        }
    }

    #[test]
    fn price_adds_tax_rounded_down() {
        assert_eq!(
            TopUpPrice::of(3, 500, 1000),
            TopUpPrice {
                subtotal_jpy: 1500,
                tax_jpy: 150,
                total_jpy: 1650
            }
        );
        assert_eq!(TopUpPrice::of(1, 333, 1000).tax_jpy, 33);
    }

    #[test]
    fn keys_are_checked() {
        assert_eq!(
            valid_key(" 0b7c6f1e-1d2a-4c1b-9a53-3f1e2d4c5b6a "),
            Some("0b7c6f1e-1d2a-4c1b-9a53-3f1e2d4c5b6a")
        );
        assert_eq!(valid_key("short"), None);
        assert_eq!(valid_key("0b7c6f1e-1d2a-4c1b-9a53-3f1e2d4c5b6a'; --"), None);
    }
}
