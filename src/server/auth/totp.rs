//! TOTP (RFC 6238: SHA-1, 6 digits, 30 s) with totp-rs: secrets, the `otpauth://` URL as an
//! SVG QR code (qrcode crate, rendered inline, no image request), and code checks that accept
//! one step of clock drift and return the step so a code can never be replayed.

use qrcode::QrCode;
use qrcode::render::svg;
use totp_rs::{Algorithm, Secret, TOTP};

const ISSUER: &str = "Customer Portal";

fn totp(secret_b32: &str, account: &str) -> anyhow::Result<TOTP> {
    let bytes = Secret::Encoded(secret_b32.to_owned())
        .to_bytes()
        .map_err(|e| anyhow::anyhow!("bad TOTP secret: {e:?}"))?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        bytes,
        Some(ISSUER.to_owned()),
        account.to_owned(),
    )
    .map_err(|e| anyhow::anyhow!("TOTP setup: {e}"))
}

/// A new random secret, base32.
pub fn new_secret() -> String {
    Secret::generate_secret().to_encoded().to_string()
}

/// The QR code (SVG) of the `otpauth://` URL for an authenticator app.
pub fn qr_svg(secret_b32: &str, account: &str) -> anyhow::Result<String> {
    let url = totp(secret_b32, account)?.get_url();
    let code = QrCode::new(url.as_bytes())?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

/// The secret grouped in fours for typing.
pub fn grouped(secret_b32: &str) -> String {
    secret_b32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The time step a code matches (current ± 1), if any.
pub fn matching_step(secret_b32: &str, code: &str, unix_secs: u64) -> Option<i64> {
    let code: String = code.chars().filter(char::is_ascii_digit).collect();
    if code.len() != 6 {
        return None;
    }
    let t = totp(secret_b32, "x").ok()?;
    let step = unix_secs / 30;
    [step.saturating_sub(1), step, step + 1]
        .into_iter()
        .find(|s| t.generate(s * 30) == code)
        .and_then(|s| i64::try_from(s).ok())
}

/// The current code (for tests and the sandbox helper).
pub fn code_at(secret_b32: &str, unix_secs: u64) -> anyhow::Result<String> {
    Ok(totp(secret_b32, "x")?.generate(unix_secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_their_step_with_one_step_of_drift() {
        let secret = new_secret();
        let now = 1_800_000_000;
        let code = code_at(&secret, now).expect("code");
        assert_eq!(matching_step(&secret, &code, now), Some(60_000_000));
        assert_eq!(matching_step(&secret, &code, now + 30), Some(60_000_000));
        assert_eq!(matching_step(&secret, &code, now + 90), None);
        assert_eq!(matching_step(&secret, "12345", now), None);
        assert_eq!(matching_step(&secret, "abcdef", now), None);
    }

    #[test]
    fn rfc6238_vector() {
        // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits) → last 6 = 287082.
        let secret = base32_of(b"12345678901234567890");
        assert_eq!(code_at(&secret, 59).expect("code"), "287082");
    }

    fn base32_of(bytes: &[u8]) -> String {
        Secret::Raw(bytes.to_vec()).to_encoded().to_string()
    }

    #[test]
    fn qr_is_svg() {
        let svg = qr_svg(&new_secret(), "hanako@example.jp").expect("svg");
        assert!(svg.contains("<svg"));
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }
}
