//! Invoice PDFs, rendered by the portal from the invoice data: an A4 Japanese-style invoice
//! (請求書 / Invoice) in the customer's language, set in a Japanese-capable font that is
//! subsetted into the file (krilla), so a typical invoice is a few tens of kilobytes.
//!
//! [`render`] is pure — invoice, addressee, issuer and loaded fonts in, bytes out. The
//! [`InvoicePdf`] service in `AppState` reads the fonts once, on first use (a CJK collection
//! is ~20 MB; a missing font is an error naming the file, and is retried on the next request),
//! and renders off the async runtime. Parts: `layout` (what goes where), `flow` (the cursor
//! down the page, fitted text, page turns), `canvas` (drawing operations and their output),
//! `fonts` (loading, shaping, wrapping), `labels` (the printed words).

mod canvas;
mod flow;
mod fonts;
mod labels;
mod layout;

pub use fonts::{FontSpec, Fonts};

use crate::domain::billing::Invoice;
use crate::domain::common::Lang;
use crate::domain::customer::Profile;
use crate::server::config::BillingSettings;
use krilla::metadata::Metadata;
use labels::Labels;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::OnceCell;

/// Why an invoice PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The font file could not be read (`billing.pdf_font` / `billing.pdf_bold_font`).
    #[error("invoice PDF font {path} could not be read (billing.pdf_font): {source}")]
    FontUnreadable {
        /// The configured path.
        path: PathBuf,
        /// The IO error.
        source: std::io::Error,
    },
    /// The file is not a font, or the collection has no face at that index.
    #[error("invoice PDF font {path} has no usable face at index {index} (billing.pdf_font)")]
    FontInvalid {
        /// The configured path.
        path: PathBuf,
        /// The configured face index.
        index: u32,
    },
    /// krilla could not write the document (or the rendering task failed).
    #[error("the invoice PDF could not be written: {0}")]
    Write(String),
}

/// Who issues the invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer {
    /// Company name.
    pub name: String,
    /// Address lines.
    pub address: Vec<String>,
    /// Qualified invoice issuer registration number (`T` + 13 digits).
    pub registration_number: String,
}

/// Who the invoice is addressed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// Name, in the reader's order.
    pub name: String,
    /// Address lines.
    pub address: Vec<String>,
}

impl Recipient {
    /// The addressee from the billing profile, address in Japanese order (〒, prefecture…).
    pub fn from_profile(profile: &Profile, lang: Lang) -> Recipient {
        let a = &profile.address;
        let postal = a.postal_code.trim();
        let lines = [
            if postal.is_empty() {
                String::new()
            } else {
                format!("〒{postal}")
            },
            format!("{}{}{}", a.prefecture, a.city, a.street),
            a.building.clone(),
        ];
        Recipient {
            name: profile.name.display(lang).trim().to_owned(),
            address: lines
                .into_iter()
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect(),
        }
    }
}

/// Renders an invoice as PDF bytes in `lang`.
pub fn render(
    fonts: &Fonts,
    issuer: &Issuer,
    invoice: &Invoice,
    recipient: &Recipient,
    lang: Lang,
) -> Result<Vec<u8>, PdfError> {
    let shaper = fonts::Shaper::new(fonts)?;
    let labels = Labels::of(lang);
    let pages = layout::lay_out(&shaper, labels, issuer, invoice, recipient);
    let metadata = Metadata::new()
        .title(format!("{} {}", labels.title, invoice.summary.number))
        .language(lang.tag().to_owned())
        .creator(issuer.name.clone());
    canvas::emit(&pages, fonts, &shaper, metadata)
}

/// The invoice PDF service: the issuer from `[billing]` and the fonts, loaded once.
pub struct InvoicePdf {
    issuer: Issuer,
    regular: FontSpec,
    bold: FontSpec,
    fonts: OnceCell<Arc<Fonts>>,
}

impl std::fmt::Debug for InvoicePdf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InvoicePdf")
            .field("regular", &self.regular)
            .field("bold", &self.bold)
            .finish_non_exhaustive()
    }
}

impl InvoicePdf {
    /// From `[billing]`; warns at once when a font file is missing (the first download would
    /// fail), without failing start-up: the rest of the portal does not need it.
    pub fn from_settings(settings: &BillingSettings) -> InvoicePdf {
        let regular = FontSpec {
            path: settings.pdf_font.clone(),
            index: settings.pdf_font_index,
        };
        let bold = if settings.pdf_bold_font.as_os_str().is_empty() {
            regular.clone()
        } else {
            FontSpec {
                path: settings.pdf_bold_font.clone(),
                index: settings.pdf_bold_font_index,
            }
        };
        for spec in [&regular, &bold] {
            if !spec.path.is_file() {
                tracing::warn!(path = %spec.path.display(), "invoice PDF font not found: PDF downloads will fail (billing.pdf_font)");
            }
        }
        InvoicePdf {
            issuer: Issuer {
                name: settings.issuer_name.trim().to_owned(),
                address: settings
                    .issuer_address
                    .lines()
                    .map(|l| l.trim().to_owned())
                    .filter(|l| !l.is_empty())
                    .collect(),
                registration_number: settings.registration_number.clone(),
            },
            regular,
            bold,
            fonts: OnceCell::new(),
        }
    }

    /// The fonts, read from disk on first use (a failure is not cached).
    async fn fonts(&self) -> Result<Arc<Fonts>, PdfError> {
        self.fonts
            .get_or_try_init(|| async {
                let (regular, bold) = (self.regular.clone(), self.bold.clone());
                tokio::task::spawn_blocking(move || Fonts::load(&regular, &bold))
                    .await
                    .map_err(|e| PdfError::Write(format!("font loading task: {e}")))?
                    .map(Arc::new)
            })
            .await
            .cloned()
    }

    /// Renders an invoice (on the blocking pool: subsetting a CJK font takes a moment).
    #[tracing::instrument(name = "Render an invoice PDF", skip_all, fields(invoice_id = invoice.summary.id))]
    pub async fn render(
        &self,
        invoice: Invoice,
        recipient: Recipient,
        lang: Lang,
    ) -> Result<Vec<u8>, PdfError> {
        let fonts = self.fonts().await?;
        let issuer = self.issuer.clone();
        tokio::task::spawn_blocking(move || render(&fonts, &issuer, &invoice, &recipient, lang))
            .await
            .map_err(|e| PdfError::Write(format!("rendering task: {e}")))?
    }
}

#[cfg(test)]
mod tests;
