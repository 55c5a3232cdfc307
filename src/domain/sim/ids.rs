//! Validated identifiers of a SIM line. Parse, don't validate: each newtype can only hold a
//! well-formed value.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why an identifier was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Not a Japanese phone number (10–14 digits starting with 0; hyphens and spaces allowed).
    #[error("not a phone number")]
    Msisdn,
    /// Not a plan code (1–32 letters, digits, `_` or `-`).
    #[error("not a plan code")]
    PlanCode,
    /// Not an eSIM EID (32 digits).
    #[error("not an EID")]
    Eid,
}

/// A line's phone number (MSISDN), national format, kept as digits only: `09012345678`.
/// The platform identifies a line by it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Msisdn(String);

impl Msisdn {
    /// Accepts `090-1234-5678`, `09012345678` or `090 1234 5678`.
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let mut digits = String::with_capacity(14);
        for c in raw.trim().chars() {
            match c {
                '0'..='9' => digits.push(c),
                '-' | ' ' => {}
                _ => return Err(IdError::Msisdn),
            }
        }
        if (10..=14).contains(&digits.len()) && digits.starts_with('0') {
            Ok(Msisdn(digits))
        } else {
            Err(IdError::Msisdn)
        }
    }

    /// The digits, as the platform wants them (`09012345678`).
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// For reading: `090-1234-5678` for 11-digit mobile numbers, the digits otherwise.
    pub fn formatted(&self) -> String {
        let d = &self.0;
        if d.len() == 11 {
            format!("{}-{}-{}", &d[..3], &d[3..7], &d[7..])
        } else {
            d.clone()
        }
    }

    /// The formatted number with its middle hidden: `090-****-5678`.
    pub fn masked(&self) -> String {
        crate::domain::support::mask_phone(&self.formatted())
    }
}

impl fmt::Display for Msisdn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formatted())
    }
}

impl TryFrom<String> for Msisdn {
    type Error = IdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Msisdn::parse(&value)
    }
}

impl From<Msisdn> for String {
    fn from(value: Msisdn) -> Self {
        value.0
    }
}

/// A plan's code on the platform (opaque: `PLAN_10G`, `LTE3G_P01`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PlanCode(String);

impl PlanCode {
    /// 1–32 ASCII letters, digits, `_` or `-`.
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let raw = raw.trim();
        let ok = (1..=32).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if ok {
            Ok(PlanCode(raw.to_owned()))
        } else {
            Err(IdError::PlanCode)
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PlanCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PlanCode {
    type Error = IdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PlanCode::parse(&value)
    }
}

impl From<PlanCode> for String {
    fn from(value: PlanCode) -> Self {
        value.0
    }
}

/// An eSIM's EID: 32 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Eid(String);

impl Eid {
    /// Exactly 32 digits (spaces allowed between groups).
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let digits: String = raw.chars().filter(|c| *c != ' ').collect();
        if digits.len() == 32 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Eid(digits))
        } else {
            Err(IdError::Eid)
        }
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Eid {
    type Error = IdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Eid::parse(&value)
    }
}

impl From<Eid> for String {
    fn from(value: Eid) -> Self {
        value.0
    }
}

/// An identifier shown with only its last four characters: `••••••••••••••••1234`.
pub fn mask_tail(id: &str) -> String {
    let n = id.chars().count();
    id.chars()
        .enumerate()
        .map(|(i, c)| if i + 4 < n { '•' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phone_numbers_are_kept_as_digits() {
        let m = Msisdn::parse("090-1234-5678").expect("valid");
        assert_eq!(m.digits(), "09012345678");
        assert_eq!(m.to_string(), "090-1234-5678");
        assert_eq!(m.masked(), "090-****-5678");
        assert_eq!(
            Msisdn::parse(" 080 9876 5432 ").map(|m| m.formatted()),
            Ok("080-9876-5432".into())
        );
        assert_eq!(
            Msisdn::parse("0312345678").map(|m| m.formatted()),
            Ok("0312345678".into())
        );
        for bad in [
            "",
            "9012345678",
            "+819012345678",
            "090-1234-567a",
            "0901234",
            "090123456789012",
        ] {
            assert_eq!(Msisdn::parse(bad), Err(IdError::Msisdn), "{bad}");
        }
    }

    #[test]
    fn serde_round_trips_through_validation() {
        let m: Msisdn = serde_json::from_str("\"090-1234-5678\"").expect("valid");
        assert_eq!(
            serde_json::to_string(&m).ok().as_deref(),
            Some("\"09012345678\"")
        );
        assert!(serde_json::from_str::<Msisdn>("\"nope\"").is_err());
        assert!(serde_json::from_str::<PlanCode>("\"PLAN 10G\"").is_err());
    }

    #[test]
    fn plan_codes_and_eids() {
        assert_eq!(
            PlanCode::parse("LTE3G_P01").map(|p| p.to_string()),
            Ok("LTE3G_P01".into())
        );
        assert!(PlanCode::parse("").is_err());
        assert!(PlanCode::parse(&"A".repeat(33)).is_err());
        let eid = "89049032000000000000000000000001";
        assert_eq!(
            Eid::parse(eid).map(|e| e.as_str().to_owned()),
            Ok(eid.into())
        );
        assert!(Eid::parse(&eid[1..]).is_err());
        assert_eq!(mask_tail("8981100000000001234"), "•••••••••••••••1234");
        assert_eq!(mask_tail("12"), "12");
    }

    proptest! {
        #[test]
        fn parsing_never_panics(raw in ".{0,40}") {
            let _ = Msisdn::parse(&raw).map(|m| m.masked());
            let _ = PlanCode::parse(&raw);
            let _ = Eid::parse(&raw);
            let _ = mask_tail(&raw);
        }
    }
}
