//! The eSIM activation code as a QR code, drawn on the server as SVG (the browser needs no
//! QR library and the code works without JavaScript). The code is secret-ish: it installs the
//! line's profile on any device, so it is never logged here or anywhere else.

use qrcode::QrCode;
use qrcode::render::svg;

/// The activation code as an inline `<svg>` element (no XML prolog), or `None` when it does
/// not fit in a QR code (the page then shows the text alone).
pub fn activation_qr_svg(code: &str) -> Option<String> {
    let qr = QrCode::new(code.as_bytes()).ok()?;
    let image = qr
        .render::<svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // The renderer starts with `<?xml …?>`, which has no place inside an HTML page.
    let start = image.find("<svg")?;
    Some(image[start..].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_activation_code_becomes_an_inline_svg() {
        let svg = activation_qr_svg("LPA:1$smdp.sandbox.example$ABC123-08098765432")
            .expect("fits a QR code");
        assert!(svg.starts_with("<svg"), "{}", &svg[..20]);
        assert!(
            svg.contains("<path") || svg.contains("<rect"),
            "draws modules"
        );
        assert!(!svg.contains("<?xml"));
        assert!(activation_qr_svg(&"9".repeat(8000)).is_none(), "too long");
    }
}
