//! Salesforce record ids: 15-character case-sensitive or 18-character case-safe, always kept in
//! the 18-character form the API returns. The last three characters of an 18-character id are a
//! checksum of the case of the first fifteen (reference §0); a mismatch means the id was
//! mistyped or tampered with, so it is refused rather than "repaired".

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The checksum alphabet: the 5-bit case mask of each 5-character chunk indexes it.
const CHECKSUM_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/// Why a string is not a record id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Not 15 or 18 characters.
    #[error("a Salesforce id has 15 or 18 characters, not {0}")]
    Length(usize),
    /// A character outside `A-Z a-z 0-9`.
    #[error("a Salesforce id has only ASCII letters and digits")]
    Character,
    /// The 18-character suffix does not match the case of the first 15.
    #[error("the Salesforce id's checksum does not match")]
    Checksum,
    /// A valid id of another object (e.g. a Contact id where an Account id belongs).
    #[error("expected a Salesforce id with key prefix {expected}, got {actual}")]
    Prefix {
        /// The wanted key prefix (`001`).
        expected: String,
        /// The id's key prefix.
        actual: String,
    },
}

/// A validated record id in its 18-character form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SalesforceId(String);

/// The three checksum characters of a 15-character id (the caller guarantees 15 ASCII bytes).
fn checksum(fifteen: &[u8]) -> [u8; 3] {
    let mut out = [b'A'; 3];
    for (slot, chunk) in out.iter_mut().zip(fifteen.chunks(5)) {
        let mask = chunk
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_ascii_uppercase())
            .fold(0usize, |acc, (i, _)| acc | (1 << i));
        *slot = CHECKSUM_ALPHABET[mask & 31];
    }
    out
}

impl SalesforceId {
    /// Parses a 15- or 18-character id, verifying the checksum of an 18-character one.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let bytes = input.as_bytes();
        if !(bytes.len() == 15 || bytes.len() == 18) {
            return Err(IdError::Length(input.chars().count()));
        }
        if !bytes.iter().all(u8::is_ascii_alphanumeric) {
            return Err(IdError::Character);
        }
        let (base, suffix) = bytes.split_at(15);
        let sum = checksum(base);
        if !suffix.is_empty() && !suffix.eq_ignore_ascii_case(&sum) {
            return Err(IdError::Checksum);
        }
        let mut id = String::with_capacity(18);
        id.push_str(&input[..15]);
        id.extend(sum.iter().map(|&b| char::from(b)));
        Ok(SalesforceId(id))
    }

    /// Parses an id that must belong to the object with this key prefix (`001` Account, `003`
    /// Contact, `801` Order…).
    pub fn parse_with_prefix(input: &str, prefix: &str) -> Result<Self, IdError> {
        let id = Self::parse(input)?;
        if id.key_prefix() == prefix {
            Ok(id)
        } else {
            Err(IdError::Prefix {
                expected: prefix.to_owned(),
                actual: id.key_prefix().to_owned(),
            })
        }
    }

    /// The 18-character form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-sensitive 15-character form.
    pub fn as_15(&self) -> &str {
        &self.0[..15]
    }

    /// The object's key prefix (first three characters).
    pub fn key_prefix(&self) -> &str {
        &self.0[..3]
    }
}

impl fmt::Display for SalesforceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for SalesforceId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for SalesforceId {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<SalesforceId> for String {
    fn from(id: SalesforceId) -> String {
        id.0
    }
}

impl AsRef<str> for SalesforceId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Reference §0.
    const GOLDEN: [(&str, &str); 6] = [
        ("a0RE000000IJmcN", "a0RE000000IJmcNMAT"),
        ("a01M00000062mPg", "a01M00000062mPgIAI"),
        ("001M000000qfPyS", "001M000000qfPySIAU"),
        ("AbCdEfGhIjKlMnO", "AbCdEfGhIjKlMnOVKV"),
        ("aBcDEfgHIJKLMNO", "aBcDEfgHIJKLMNO025"),
        ("a0D30000001n7Pi", "a0D30000001n7PiEAI"),
    ];

    #[test]
    fn golden_vectors_normalise_to_18() {
        for (fifteen, eighteen) in GOLDEN {
            let id = SalesforceId::parse(fifteen).expect(fifteen);
            assert_eq!(id.as_str(), eighteen);
            assert_eq!(id.as_15(), fifteen);
            assert_eq!(SalesforceId::parse(eighteen).expect(eighteen), id);
        }
    }

    #[test]
    fn the_checksum_is_verified_and_its_case_ignored() {
        assert_eq!(
            SalesforceId::parse("a0RE000000IJmcNMAX"),
            Err(IdError::Checksum)
        );
        // Changing the case of the base changes the checksum.
        assert_eq!(
            SalesforceId::parse("a0rE000000IJmcNMAT"),
            Err(IdError::Checksum)
        );
        let id = SalesforceId::parse("a0RE000000IJmcNmat").expect("lower-case suffix");
        assert_eq!(id.as_str(), "a0RE000000IJmcNMAT");
    }

    #[test]
    fn bad_lengths_characters_and_prefixes_are_refused() {
        assert_eq!(SalesforceId::parse(""), Err(IdError::Length(0)));
        assert_eq!(
            SalesforceId::parse("001M000000qfPy"),
            Err(IdError::Length(14))
        );
        assert_eq!(
            SalesforceId::parse("001M000000qfP'S"),
            Err(IdError::Character)
        );
        assert!(SalesforceId::parse("001M000000qfPyあ").is_err());
        assert_eq!(
            SalesforceId::parse("001M000000qfPあAA"),
            Err(IdError::Character)
        );
        assert!(SalesforceId::parse_with_prefix("001M000000qfPyS", "001").is_ok());
        assert!(matches!(
            SalesforceId::parse_with_prefix("001M000000qfPyS", "003"),
            Err(IdError::Prefix { .. })
        ));
    }

    #[test]
    fn serde_round_trips_and_validates() {
        let id: SalesforceId = serde_json::from_str("\"001M000000qfPyS\"").expect("valid");
        assert_eq!(
            serde_json::to_string(&id).expect("json"),
            "\"001M000000qfPySIAU\""
        );
        assert!(serde_json::from_str::<SalesforceId>("\"nope\"").is_err());
    }

    proptest! {
        #[test]
        fn parsing_never_panics(s in ".{0,30}") {
            let _ = SalesforceId::parse(&s);
            let _ = SalesforceId::parse_with_prefix(&s, "001");
        }

        #[test]
        fn every_15_char_id_round_trips(s in "[A-Za-z0-9]{15}") {
            let id = SalesforceId::parse(&s).expect("15 alphanumerics");
            prop_assert_eq!(id.as_15(), s.as_str());
            prop_assert_eq!(SalesforceId::parse(id.as_str()).expect("18"), id.clone());
        }
    }
}
