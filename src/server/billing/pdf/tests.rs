//! Renders invoices with the configured fonts (fonts-noto-cjk, installed by
//! `scripts/setup.sh`: these tests fail loudly without it): both languages, many pages, and
//! arbitrary text that must never panic nor leave the page.

use super::canvas::{Op, PAGE_HEIGHT, PAGE_WIDTH};
use super::fonts::Shaper;
use super::labels::Labels;
use super::*;
use crate::domain::billing::{InvoiceItem, InvoiceStatus, InvoiceSummary, Payment};
use crate::domain::common::Money;
use proptest::prelude::*;
use std::sync::OnceLock;
use time::macros::date;

fn service() -> &'static InvoicePdf {
    static SERVICE: OnceLock<InvoicePdf> = OnceLock::new();
    SERVICE.get_or_init(|| {
        let settings = crate::server::config::load_from(None, &[]).expect("default settings");
        InvoicePdf::from_settings(&settings.billing)
    })
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let s = service();
        Fonts::load(&s.regular, &s.bold).unwrap_or_else(|e| {
            panic!("{e}: install fonts-noto-cjk (scripts/setup.sh) or set billing.pdf_font")
        })
    })
}

fn recipient() -> Recipient {
    Recipient {
        name: "山田 花子".into(),
        address: vec!["〒150-0002".into(), "東京都渋谷区渋谷2-21-1".into()],
    }
}

fn item(description: &str, amount: i64, taxed: bool) -> InvoiceItem {
    InvoiceItem {
        description: description.into(),
        amount: Money::yen(amount),
        taxed,
        service_id: None,
    }
}

fn sample(items: Vec<InvoiceItem>) -> Invoice {
    Invoice {
        summary: InvoiceSummary {
            id: 2013,
            number: "INV-2013".into(),
            date: Some(date!(2026 - 03 - 01)),
            due_date: Some(date!(2026 - 03 - 31)),
            date_paid: None,
            total: Money::yen(5_478),
            balance: Some(Money::yen(2_478)),
            status: InvoiceStatus::Unpaid,
        },
        subtotal: Money::yen(4_980),
        tax: Money::yen(498),
        tax_rate_bp: 1000,
        credit: Money::yen(0),
        items,
        payments: vec![Payment {
            date: Some(date!(2026 - 03 - 05)),
            gateway: "クレジットカード".into(),
            amount: Money::yen(3_000),
            transaction_id: "ch_3PqR5tUvWxYz".into(),
        }],
    }
}

fn lay_out(invoice: &Invoice, recipient: &Recipient, lang: Lang) -> Vec<Vec<Op>> {
    let shaper = Shaper::new(fonts()).expect("shaper");
    layout::lay_out(
        &shaper,
        Labels::of(lang),
        &service().issuer,
        invoice,
        recipient,
    )
}

fn texts(pages: &[Vec<Op>]) -> Vec<String> {
    pages
        .iter()
        .flatten()
        .filter_map(|op| match op {
            Op::Text { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// Every operation lies inside the page, text inside the margins.
fn assert_on_page(pages: &[Vec<Op>]) {
    for op in pages.iter().flatten() {
        let (l, t, r, b) = op.bounds();
        assert!(
            l >= 0.0 && t >= 0.0 && r <= PAGE_WIDTH && b <= PAGE_HEIGHT,
            "{op:?} leaves the page"
        );
        if let Op::Text { .. } = op {
            assert!(
                l >= 40.0 && r <= PAGE_WIDTH - 40.0,
                "{op:?} leaves the margin"
            );
        }
    }
}

#[test]
fn renders_a_sample_invoice_in_both_languages() {
    let invoice = sample(vec![
        item(
            "光回線 ファミリー 1Gbps（2026/03/01 - 2026/03/31）",
            4_980,
            true,
        ),
        item("Paper invoice fee", 0, false),
    ]);
    for lang in [Lang::Ja, Lang::En] {
        let pdf = render(fonts(), &service().issuer, &invoice, &recipient(), lang).expect("pdf");
        assert!(pdf.starts_with(b"%PDF-"), "{lang:?}");
        assert!(
            pdf.len() < 150_000,
            "{lang:?}: {} bytes, fonts not subsetted?",
            pdf.len()
        );
        let pages = lay_out(&invoice, &recipient(), lang);
        assert_eq!(pages.len(), 1);
        assert_on_page(&pages);
        let words = texts(&pages).join("\n");
        assert!(words.contains("INV-2013"), "{words}");
        assert!(words.contains("T0000000000000"), "{words}");
        match lang {
            Lang::Ja => {
                for w in [
                    "請求書",
                    "山田 花子 様",
                    "5,478円",
                    "消費税（10%）",
                    "10%対象",
                    "※",
                ] {
                    assert!(words.contains(w), "{w} missing in {words}");
                }
            }
            Lang::En => {
                for w in ["Invoice", "¥5,478", "Consumption tax (10%)", "Balance due"] {
                    assert!(words.contains(w), "{w} missing in {words}");
                }
            }
        }
    }
}

#[test]
fn two_hundred_items_flow_onto_several_pages() {
    let items = (1..=200)
        .map(|i| {
            item(
                &format!("モバイル SIM {i} 回線目 データ 20GB プラン"),
                1_650,
                true,
            )
        })
        .collect();
    let invoice = sample(items);
    let pages = lay_out(&invoice, &recipient(), Lang::Ja);
    assert!(pages.len() >= 4, "{} pages", pages.len());
    assert_on_page(&pages);
    let words = texts(&pages);
    assert!(words.iter().any(|w| w == "請求書 INV-2013（続き）"));
    let last = pages.len();
    assert!(
        words
            .iter()
            .any(|w| *w == format!("{last} / {last} ページ"))
    );
    // Every item made it, in order.
    let printed: Vec<&String> = words
        .iter()
        .filter(|w| w.starts_with("モバイル SIM"))
        .collect();
    assert_eq!(printed.len(), 200);
    let pdf = render(fonts(), &service().issuer, &invoice, &recipient(), Lang::Ja).expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn long_descriptions_wrap_then_are_cut() {
    let shaper = Shaper::new(fonts()).expect("shaper");
    let latin = "Fibre 1 Gbps home plan with router rental ".repeat(8);
    let lines = shaper.wrap(&latin, false, 9.0, 200.0, 3);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[2].ends_with('…'), "{lines:?}");
    assert!(
        lines.iter().all(|l| shaper.width(l, false, 9.0) <= 200.5),
        "{lines:?}"
    );
    // Latin breaks between words.
    assert!(lines[0].ends_with(char::is_alphanumeric) && !lines[0].contains("  "));
    // Japanese breaks between characters, but never before 。
    let ja = "光回線の月額料金です。".repeat(6);
    let lines = shaper.wrap(&ja, false, 9.0, 120.0, 20);
    assert!(lines.len() > 2, "{lines:?}");
    assert!(lines.iter().all(|l| !l.starts_with('。')), "{lines:?}");
    assert_eq!(lines.concat(), ja);
    // A newline always breaks.
    assert_eq!(shaper.wrap("a\nb", false, 9.0, 200.0, 5), vec!["a", "b"]);
}

#[test]
fn the_address_reads_in_japanese_order() {
    let mut profile = Profile::default();
    profile.name.family = "山田".into();
    profile.name.given = "花子".into();
    profile.address.postal_code = "150-0002".into();
    profile.address.prefecture = "東京都".into();
    profile.address.city = "渋谷区".into();
    profile.address.street = "渋谷2-21-1".into();
    let r = Recipient::from_profile(&profile, Lang::Ja);
    assert_eq!(r.name, "山田 花子");
    assert_eq!(r.address, vec!["〒150-0002", "東京都渋谷区渋谷2-21-1"]);
    assert_eq!(
        Recipient::from_profile(&profile, Lang::En).name,
        "花子 山田"
    );
}

#[tokio::test]
async fn a_missing_font_is_an_error_naming_the_file() {
    let mut settings = crate::server::config::load_from(None, &[])
        .expect("defaults")
        .billing;
    settings.pdf_font = "/nonexistent/font.ttc".into();
    settings.pdf_bold_font = PathBuf::new();
    let service = InvoicePdf::from_settings(&settings);
    let err = service
        .render(sample(vec![]), recipient(), Lang::Ja)
        .await
        .expect_err("no font");
    assert!(matches!(err, PdfError::FontUnreadable { .. }), "{err}");
    assert!(err.to_string().contains("/nonexistent/font.ttc"), "{err}");
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\p{Han}\\p{Hiragana}\\p{Katakana}ー。、 ]{0,400}",
        "[\\x00-\\x1f\\x7f\\u{200b}\\u{202e}\\u{fffd} a-z]{0,60}",
        "[😀-🙏🇯🇵👨‍👩‍👧 ]{0,40}",
        "[A-Za-z]{200,3000}",
        "\\PC{0,120}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn arbitrary_text_never_panics_nor_leaves_the_page(
        descriptions in proptest::collection::vec(any_text(), 0..6),
        name in any_text(),
        gateway in any_text(),
        number in "\\PC{0,40}",
        ja in any::<bool>(),
    ) {
        let lang = if ja { Lang::Ja } else { Lang::En };
        let mut invoice = sample(descriptions.iter().map(|d| item(d, 1_000, !ja)).collect());
        invoice.summary.number = number;
        invoice.payments[0].gateway = gateway;
        let addressee = Recipient { name, address: descriptions.clone() };
        let pages = lay_out(&invoice, &addressee, lang);
        assert_on_page(&pages);
        let pdf = render(fonts(), &service().issuer, &invoice, &addressee, lang).expect("pdf");
        prop_assert!(pdf.starts_with(b"%PDF-"));
    }
}
