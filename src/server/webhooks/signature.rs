//! The signature on an event delivered by the WHMCS hook module (reference `whmcs.md` §4.4):
//! `X-Portal-Signature: v1=<hex>[,v1=<hex>…]`, the lowercase hex HMAC-SHA256 of
//! `"{timestamp}.{event_id}.{raw body}"` with a shared secret. Several `v1` values may be sent
//! while the secret is rotated; any one that matches any configured secret is enough. Pure: the
//! caller supplies the clock.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Why a delivery was refused before its content was looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// A required header is missing or not text.
    #[error("the {0} header is missing")]
    MissingHeader(&'static str),
    /// The timestamp is not a whole number of seconds.
    #[error("the timestamp is not a number")]
    BadTimestamp,
    /// The timestamp is outside the accepted window (a replay or a badly wrong clock).
    #[error("the timestamp is {0} s away from now")]
    OutsideWindow(i64),
    /// No `v1` value matches any configured secret.
    #[error("no signature matches")]
    Mismatch,
}

/// The `v1` signature of one delivery attempt (`None` only if the MAC refused the key, which
/// HMAC never does).
pub fn sign(secret: &[u8], timestamp: i64, event_id: &str, body: &[u8]) -> Option<String> {
    Some(hex(&mac(secret, timestamp, event_id, body)?
        .finalize()
        .into_bytes()))
}

/// Checks a delivery: the timestamp within `tolerance_secs` of `now` (either side), then one
/// of the header's `v1` values against every secret, in constant time.
pub fn verify(
    secrets: &[&[u8]],
    header: &str,
    timestamp: &str,
    event_id: &str,
    body: &[u8],
    now: i64,
    tolerance_secs: i64,
) -> Result<(), SignatureError> {
    let ts: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| SignatureError::BadTimestamp)?;
    let skew = now.saturating_sub(ts);
    if skew.saturating_abs() > tolerance_secs {
        return Err(SignatureError::OutsideWindow(skew));
    }
    let candidates: Vec<Vec<u8>> = header
        .split(',')
        .filter_map(|part| part.trim().strip_prefix("v1="))
        .filter_map(unhex)
        .collect();
    let matches = secrets.iter().any(|secret| {
        candidates
            .iter()
            .any(|sig| mac(secret, ts, event_id, body).is_some_and(|m| m.verify_slice(sig).is_ok()))
    });
    if matches {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

fn mac(secret: &[u8], timestamp: i64, event_id: &str, body: &[u8]) -> Option<HmacSha256> {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(secret).ok()?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(event_id.as_bytes());
    mac.update(b".");
    mac.update(body);
    Some(mac)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SECRET: &[u8] = b"test_secret_do_not_use";
    const ID: &str = "6f1c2a0e-1d2b-4c3d-9e8f-001122334455";
    const BODY: &str = r#"{"id":"6f1c2a0e-1d2b-4c3d-9e8f-001122334455","type":"invoice.paid","occurred_at":"2023-11-14T22:13:20Z","data":{"invoice_id":42,"client_id":7}}"#;
    const VECTOR: &str = "f2001969e0aaba905dcf270c675e33f36fde3cd6ecab3432196a047f803b343d";

    fn check(header: &str, ts: &str, body: &str, now: i64) -> Result<(), SignatureError> {
        verify(&[SECRET], header, ts, ID, body.as_bytes(), now, 300)
    }

    #[test]
    fn the_reference_vector() {
        assert_eq!(BODY.len(), 143);
        assert_eq!(
            sign(SECRET, 1_700_000_000, ID, BODY.as_bytes()).as_deref(),
            Some(VECTOR)
        );
        assert_eq!(
            check(&format!("v1={VECTOR}"), "1700000000", BODY, 1_700_000_000),
            Ok(())
        );
    }

    #[test]
    fn the_window_is_300_seconds_either_side() {
        let header = format!("v1={VECTOR}");
        assert_eq!(check(&header, "1700000000", BODY, 1_700_000_300), Ok(()));
        assert_eq!(check(&header, "1700000000", BODY, 1_699_999_700), Ok(()));
        assert_eq!(
            check(&header, "1700000000", BODY, 1_700_000_301),
            Err(SignatureError::OutsideWindow(301))
        );
        assert_eq!(
            check(&header, "1700000000", BODY, 1_699_999_699),
            Err(SignatureError::OutsideWindow(-301))
        );
        assert_eq!(
            check(&header, "soon", BODY, 1_700_000_000),
            Err(SignatureError::BadTimestamp)
        );
    }

    #[test]
    fn a_wrong_secret_a_tampered_body_or_id_or_a_moved_timestamp_fail() {
        let header = format!("v1={VECTOR}");
        let now = 1_700_000_000;
        assert_eq!(
            verify(
                &[b"another"],
                &header,
                "1700000000",
                ID,
                BODY.as_bytes(),
                now,
                300
            ),
            Err(SignatureError::Mismatch)
        );
        let tampered = BODY.replace("42", "43");
        assert_eq!(
            check(&header, "1700000000", &tampered, now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(
                &[SECRET],
                &header,
                "1700000000",
                "other-id",
                BODY.as_bytes(),
                now,
                300
            ),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            check(&header, "1700000001", BODY, now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            check("", "1700000000", BODY, now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            check("sha256=abc", "1700000000", BODY, now),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn rotation_accepts_any_listed_signature_and_any_configured_secret() {
        let now = 1_700_000_000;
        let old = sign(b"old-secret", now, ID, BODY.as_bytes()).unwrap_or_default();
        let header = format!("v1={}, v1={VECTOR}", "0".repeat(64));
        assert_eq!(check(&header, "1700000000", BODY, now), Ok(()));
        let secrets: [&[u8]; 2] = [SECRET, b"old-secret"];
        assert_eq!(
            verify(
                &secrets,
                &format!("v1={old}"),
                "1700000000",
                ID,
                BODY.as_bytes(),
                now,
                300
            ),
            Ok(())
        );
    }

    proptest! {
        #[test]
        fn arbitrary_headers_never_panic_or_pass(header in ".{0,200}", ts in ".{0,20}") {
            let result = check(&header, &ts, BODY, 1_700_000_000);
            prop_assert!(result.is_err());
        }

        #[test]
        fn what_is_signed_verifies(secret in proptest::collection::vec(any::<u8>(), 1..64),
                                   body in proptest::collection::vec(any::<u8>(), 0..512),
                                   id in "[a-z0-9-]{1,40}") {
            let sig = sign(&secret, 1_700_000_000, &id, &body).unwrap_or_default();
            prop_assert_eq!(
                verify(&[&secret], &format!("v1={sig}"), "1700000000", &id, &body, 1_700_000_000, 300),
                Ok(())
            );
        }
    }
}
