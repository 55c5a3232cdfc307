//! `[sims]`: what the portal charges for SIM data top-ups and through which gateway.

use serde::Deserialize;

/// `[sims]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct SimsSettings {
    /// Price of one gigabyte of top-up data in yen, before consumption tax (the invoice line
    /// is taxed at the billing system's rate).
    pub topup_price_per_gb_jpy: u32,
    /// The WHMCS payment gateway (`paymentmethod`) top-up invoices are created with; it must
    /// be able to capture the client's stored card.
    pub topup_gateway: String,
    /// Days until a top-up invoice is due (it is normally paid at once; a declined capture
    /// leaves it payable until then).
    pub topup_due_days: u32,
}

impl Default for SimsSettings {
    fn default() -> Self {
        SimsSettings {
            topup_price_per_gb_jpy: 500,
            topup_gateway: "stripe".into(),
            topup_due_days: 7,
        }
    }
}
