//! The sandbox's seed data: demo customers (and, as the provider issues land, their services,
//! invoices, lines, catalog…). Read from `sandbox/seed.json` (compiled in) or a file named by
//! `sandbox.seed_file`, and checked before any simulator sees it.

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;

/// The built-in demo data.
const BUILT_IN: &str = include_str!("../../sandbox/seed.json");

/// A person's name as Japanese records keep it: family name first, with its reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedName {
    /// Family name (姓).
    pub family: String,
    /// Given name (名).
    pub given: String,
    /// Family name reading in katakana, when the name is Japanese.
    #[serde(default)]
    pub family_kana: Option<String>,
    /// Given name reading in katakana.
    #[serde(default)]
    pub given_kana: Option<String>,
}

/// A demo customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedCustomer {
    /// Stable handle used by other seed sections (`hanako`).
    pub key: String,
    /// Login email (sandbox only).
    pub email: String,
    /// Name.
    pub name: SeedName,
    /// Preferred language tag.
    pub locale: String,
    /// Phone number, national format.
    pub phone: String,
    /// Postal code, `123-4567`.
    pub postal_code: String,
    /// Prefecture.
    pub prefecture: String,
    /// City or ward (市区町村).
    pub city: String,
    /// Street and number.
    pub street: String,
    /// Building and room.
    #[serde(default)]
    pub building: String,
    /// The customer's WHMCS client id.
    pub whmcs_client_id: u32,
    /// Their Salesforce Account, if the CRM already knows them.
    #[serde(default)]
    pub salesforce_account_id: Option<String>,
    /// Their Salesforce Contact.
    #[serde(default)]
    pub salesforce_contact_id: Option<String>,
    /// Whether the sandbox creates a portal user for them at start (false = a billing customer
    /// who has not joined the portal yet: the "link an existing account" journey).
    #[serde(default = "yes")]
    pub portal_user: bool,
}

fn yes() -> bool {
    true
}

/// A demo SIM line on the MVNO platform (Freebit). Dates are relative to the moment the
/// sandbox is seeded, so the demo looks the same whatever day it starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedSimLine {
    /// The owner's customer key.
    pub customer: String,
    /// The WHMCS service whose `Phone Number` custom field is this line's number.
    pub service_id: u32,
    /// Phone number, `090-1234-5678`.
    pub msisdn: String,
    /// SIM serial (19 digits).
    pub iccid: String,
    /// `physical` or `esim`.
    pub form: String,
    /// The eSIM's EID (32 digits), for `esim` lines.
    #[serde(default)]
    pub eid: Option<String>,
    /// The product number printed on a physical SIM.
    #[serde(default)]
    pub product_number: Option<String>,
    /// Freebit `simKind`: `E0` voice, `E2` data only, `E3` data with SMS.
    pub sim_kind: String,
    /// `4G` or `5G`.
    pub network: String,
    /// Plan code (the catalog's `Freebit_Plan_Code__c`).
    pub plan: String,
    /// In service since this many days.
    pub started_days_ago: u32,
    /// Average daily usage in MB (the seeded generator varies it per day).
    pub daily_mb: u32,
    /// Suspended this many days ago with this reason (`LOST`, `CUSTOMER`, `NONPAYMENT`).
    #[serde(default)]
    pub suspended: Option<SeedSuspension>,
    /// A plan change booked for the 1st of next month.
    #[serde(default)]
    pub pending_plan_change: Option<String>,
    /// Voice options on (`voiceMail`, `callWaiting`, `callTransfer`, `intlCall`,
    /// `intlRoaming`), for voice lines.
    #[serde(default)]
    pub voice_options: Vec<String>,
    /// Top-ups bought earlier this month.
    #[serde(default)]
    pub top_ups: Vec<SeedTopUp>,
}

/// A seeded suspension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedSuspension {
    /// Days ago.
    pub days_ago: u32,
    /// `LOST`, `CUSTOMER` or `NONPAYMENT`.
    pub reason: String,
}

/// A seeded top-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedTopUp {
    /// Its `quotaCode` (an invoice id).
    pub code: String,
    /// Megabytes.
    pub mb: u32,
    /// Bought this many days ago.
    pub days_ago: u32,
}

/// Everything the simulators are seeded with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedData {
    /// The password of every demo customer, in WHMCS and in the portal (sandbox only).
    pub demo_password: String,
    /// The demo customers.
    pub customers: Vec<SeedCustomer>,
    /// Their SIM lines on the MVNO platform.
    #[serde(default)]
    pub sim_lines: Vec<SeedSimLine>,
}

impl SeedData {
    /// The built-in demo data.
    pub fn built_in() -> anyhow::Result<Self> {
        Self::parse(BUILT_IN).context("the built-in sandbox seed is invalid")
    }

    /// Reads a seed file.
    pub fn from_file(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("could not read sandbox.seed_file {}", path.display()))?;
        Self::parse(&text)
            .with_context(|| format!("sandbox.seed_file {} is invalid", path.display()))
    }

    /// Parses and checks seed JSON.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let seed: SeedData = serde_json::from_str(text)?;
        seed.check()?;
        Ok(seed)
    }

    fn check(&self) -> anyhow::Result<()> {
        let mut keys = HashSet::new();
        let mut emails = HashSet::new();
        let mut ids = HashSet::new();
        for c in &self.customers {
            if !keys.insert(c.key.as_str()) {
                bail!("customer key {:?} appears twice", c.key);
            }
            if !ids.insert(c.whmcs_client_id) {
                bail!("WHMCS client id of {:?} is used twice", c.key);
            }
            if !emails.insert(c.email.to_ascii_lowercase()) {
                bail!("customer email of {:?} is used twice", c.key);
            }
            if !c.email.contains('@') {
                bail!("customer {:?} has no valid email", c.key);
            }
            let postal = c.postal_code.as_bytes();
            let postal_ok = postal.len() == 8
                && postal[3] == b'-'
                && postal
                    .iter()
                    .enumerate()
                    .all(|(i, b)| i == 3 || b.is_ascii_digit());
            if !postal_ok {
                bail!(
                    "customer {:?} has postal code {:?}; expected 123-4567",
                    c.key,
                    c.postal_code
                );
            }
        }
        let mut numbers = HashSet::new();
        for line in &self.sim_lines {
            if !keys.contains(line.customer.as_str()) {
                bail!(
                    "SIM line {:?} belongs to unknown customer {:?}",
                    line.msisdn,
                    line.customer
                );
            }
            let number = crate::domain::sim::Msisdn::parse(&line.msisdn)
                .map_err(|_| anyhow::anyhow!("SIM line {:?} is not a phone number", line.msisdn))?;
            if !numbers.insert(number) {
                bail!("SIM line {:?} appears twice", line.msisdn);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_seed_has_the_two_demo_customers() {
        let seed = SeedData::built_in().expect("valid");
        let emails: Vec<_> = seed.customers.iter().map(|c| c.email.as_str()).collect();
        assert!(emails.contains(&"hanako@example.jp"));
        assert!(emails.contains(&"alex@example.com"));
    }

    #[test]
    fn duplicates_and_bad_postal_codes_are_refused() {
        let one = r#"{"key":"a","email":"a@x.jp","name":{"family":"A","given":"B"},"locale":"ja","phone":"090","postal_code":"123-4567","prefecture":"東京都","city":"x","street":"y","whmcs_client_id":1}"#;
        let twice = format!(r#"{{"demo_password":"p","customers":[{one},{one}]}}"#);
        assert!(SeedData::parse(&twice).is_err());
        let bad = one.replace("123-4567", "1234567");
        assert!(
            SeedData::parse(&format!(r#"{{"demo_password":"p","customers":[{bad}]}}"#)).is_err()
        );
        assert!(
            SeedData::parse(&format!(r#"{{"demo_password":"p","customers":[{one}]}}"#)).is_ok()
        );
    }
}
