//! A page as a list of drawing operations (text runs, filled boxes, rules) in points from the
//! top-left corner, and their output through krilla. Laying out first and drawing afterwards
//! lets the footer say "page 1 of 3" and lets tests check that nothing leaves the page.

use super::PdfError;
use super::fonts::{Fonts, Shaper};
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;

/// A4 in points.
pub(super) const PAGE_WIDTH: f32 = 595.28;
/// A4 in points.
pub(super) const PAGE_HEIGHT: f32 = 841.89;

/// Ink colours, as RGB.
pub(super) const INK: (u8, u8, u8) = (0x1f, 0x29, 0x37);
pub(super) const MUTED: (u8, u8, u8) = (0x6b, 0x72, 0x80);
pub(super) const RULE: (u8, u8, u8) = (0xd1, 0xd5, 0xdb);
pub(super) const SHADE: (u8, u8, u8) = (0xf3, 0xf4, 0xf6);
pub(super) const ACCENT: (u8, u8, u8) = (0x1e, 0x3a, 0x8a);

/// One drawing operation.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Op {
    /// A line of text; `y` is the baseline, `width` its measured advance.
    Text {
        x: f32,
        y: f32,
        width: f32,
        size: f32,
        bold: bool,
        color: (u8, u8, u8),
        text: String,
    },
    /// A filled rectangle.
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: (u8, u8, u8),
    },
    /// A straight rule.
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: (u8, u8, u8),
    },
}

impl Op {
    /// The horizontal and vertical extent `(left, top, right, bottom)`, text taken from its
    /// baseline up one size and down a third.
    pub fn bounds(&self) -> (f32, f32, f32, f32) {
        match *self {
            Op::Text {
                x, y, width, size, ..
            } => (x, y - size, x + width, y + size / 3.0),
            Op::Fill { x, y, w, h, .. } => (x, y, x + w, y + h),
            Op::Line { x1, y1, x2, y2, .. } => (x1.min(x2), y1.min(y2), x1.max(x2), y1.max(y2)),
        }
    }
}

fn color((r, g, b): (u8, u8, u8)) -> rgb::Color {
    rgb::Color::new(r, g, b)
}

/// Writes the pages into a PDF.
pub(super) fn emit(
    pages: &[Vec<Op>],
    fonts: &Fonts,
    shaper: &Shaper<'_>,
    metadata: Metadata,
) -> Result<Vec<u8>, PdfError> {
    let mut document = Document::new();
    document.set_metadata(metadata);
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or_else(|| PdfError::Write("invalid page size".into()))?;
    for ops in pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            // The layout fits every text to its column; this only guards against a bug there.
            let (left, top, right, bottom) = op.bounds();
            if left < 0.0 || top < 0.0 || right > PAGE_WIDTH || bottom > PAGE_HEIGHT {
                tracing::warn!(?op, "invoice PDF: skipped a drawing outside the page");
                continue;
            }
            draw(&mut surface, op, fonts, shaper);
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| PdfError::Write(e.to_string()))
}

fn draw(surface: &mut Surface<'_>, op: &Op, fonts: &Fonts, shaper: &Shaper<'_>) {
    match op {
        Op::Text {
            x,
            y,
            size,
            bold,
            color: ink,
            text,
            ..
        } => {
            if text.is_empty() {
                return;
            }
            let shaped = shaper.shape(text, *bold);
            surface.set_stroke(None);
            surface.set_fill(Some(Fill {
                paint: color(*ink).into(),
                ..Fill::default()
            }));
            surface.draw_glyphs(
                Point::from_xy(*x, *y),
                &shaped.glyphs,
                fonts.font(*bold).clone(),
                text,
                *size,
                false,
            );
        }
        Op::Fill {
            x,
            y,
            w,
            h,
            color: c,
        } => {
            let mut path = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                path.push_rect(rect);
            }
            if let Some(path) = path.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill {
                    paint: color(*c).into(),
                    ..Fill::default()
                }));
                surface.draw_path(&path);
            }
        }
        Op::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            color: c,
        } => {
            let mut path = PathBuilder::new();
            path.move_to(*x1, *y1);
            path.line_to(*x2, *y2);
            if let Some(path) = path.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: color(*c).into(),
                    width: *width,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
            }
        }
    }
}
