//! `[billing]`: who issues the invoices (printed on the invoice PDF) and the fonts the PDF is
//! set in.

use super::ConfigError;
use serde::Deserialize;
use std::path::PathBuf;

/// The registration number shipped in `config/default.toml`; production refuses it.
pub const SANDBOX_REGISTRATION_NUMBER: &str = "T0000000000000";

/// `[billing]`.
#[derive(Debug, Clone, Deserialize)]
pub struct BillingSettings {
    /// The issuing company's name, as printed on invoices.
    pub issuer_name: String,
    /// Its postal address; one printed line per `\n`.
    pub issuer_address: String,
    /// Its qualified invoice issuer registration number (適格請求書発行事業者登録番号):
    /// `T` followed by 13 digits.
    pub registration_number: String,
    /// OpenType/TrueType font or collection (`.ttc`) for invoice PDFs; it must cover Japanese.
    pub pdf_font: PathBuf,
    /// Index of the face inside a collection (0 for a single font; 0 is JP in Noto Sans CJK).
    pub pdf_font_index: u32,
    /// The bold face (headings, totals); empty = the regular font.
    pub pdf_bold_font: PathBuf,
    /// Index of the bold face inside its collection.
    pub pdf_bold_font_index: u32,
    /// Consumption tax rate applied to catalog prices (which are before tax), in hundredths
    /// of a percent: 1000 = 10 %.
    pub consumption_tax_bp: u32,
}

impl BillingSettings {
    /// Checks the registration number's form, and that production names a real issuer.
    pub(super) fn validate(&self, production: bool) -> Result<(), ConfigError> {
        if !is_registration_number(&self.registration_number) {
            return Err(ConfigError::invalid(
                "billing.registration_number",
                "must be T followed by 13 digits",
            ));
        }
        if self.issuer_name.trim().is_empty() {
            return Err(ConfigError::invalid(
                "billing.issuer_name",
                "must not be empty",
            ));
        }
        if self.pdf_font.as_os_str().is_empty() {
            return Err(ConfigError::invalid(
                "billing.pdf_font",
                "must name a font file",
            ));
        }
        if self.consumption_tax_bp > 5000 {
            return Err(ConfigError::invalid(
                "billing.consumption_tax_bp",
                "must be at most 5000 (50 %); 1000 is 10 %",
            ));
        }
        if production && self.registration_number == SANDBOX_REGISTRATION_NUMBER {
            return Err(ConfigError::invalid(
                "billing.registration_number",
                "must be set to a real value in production (the sandbox default is refused)",
            ));
        }
        Ok(())
    }
}

/// `T` + 13 ASCII digits.
fn is_registration_number(value: &str) -> bool {
    value
        .strip_prefix('T')
        .is_some_and(|digits| digits.len() == 13 && digits.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::is_registration_number;

    #[test]
    fn registration_numbers_are_t_and_13_digits() {
        assert!(is_registration_number("T1234567890123"));
        assert!(!is_registration_number("1234567890123"));
        assert!(!is_registration_number("T123456789012"));
        assert!(!is_registration_number("T12345678901234"));
        assert!(!is_registration_number("T12345678901a3"));
        assert!(!is_registration_number("t1234567890123"));
        assert!(!is_registration_number("T１２３４５６７８９０１２３"));
    }
}
