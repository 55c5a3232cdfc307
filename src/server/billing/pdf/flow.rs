//! The page-flow primitives the invoice layout is written with: a cursor running down the
//! page, text fitted to a width (left, right-aligned or centred), rules and shaded bands, table
//! headers, and turning the page (with a continuation heading) when the next block would
//! reach the footer.

use super::canvas::{ACCENT, INK, MUTED, Op, PAGE_HEIGHT, PAGE_WIDTH, SHADE};
use super::fonts::Shaper;
use super::labels::{Labels, fill};
use crate::domain::common::{Money, format_date};
use time::Date;

pub(super) const LEFT: f32 = 42.0;
pub(super) const RIGHT: f32 = PAGE_WIDTH - 42.0;
pub(super) const TOP: f32 = 48.0;
/// Content ends above the footer.
pub(super) const CONTENT_BOTTOM: f32 = PAGE_HEIGHT - 56.0;
/// Width of the amount column.
pub(super) const AMOUNT_COL: f32 = 110.0;
/// Inner padding of table cells.
pub(super) const PAD: f32 = 6.0;
/// Lines of one item's description before it is cut.
pub(super) const MAX_DESCRIPTION_LINES: usize = 8;

/// Size, weight and colour of a text.
#[derive(Clone, Copy)]
pub(super) struct Style {
    pub size: f32,
    pub bold: bool,
    pub color: (u8, u8, u8),
}

pub(super) const BODY: Style = Style {
    size: 9.0,
    bold: false,
    color: INK,
};
pub(super) const STRONG: Style = Style { bold: true, ..BODY };
pub(super) const SMALL: Style = Style {
    size: 7.5,
    bold: false,
    color: MUTED,
};
pub(super) const LABEL: Style = Style {
    size: 8.5,
    bold: false,
    color: MUTED,
};

/// Lays out pages as the invoice is written, top to bottom.
pub(super) struct Flow<'a> {
    pub shaper: &'a Shaper<'a>,
    pub labels: &'static Labels,
    pub number: String,
    pub pages: Vec<Vec<Op>>,
    pub y: f32,
}

impl Flow<'_> {
    fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    /// Text from `x`, cut to `max` points; returns its width.
    pub fn text(&mut self, x: f32, y: f32, style: Style, text: &str, max: f32) -> f32 {
        let text = self.shaper.fit(text, style.bold, style.size, max.max(0.0));
        let width = self.shaper.width(&text, style.bold, style.size);
        if !text.is_empty() {
            self.push(Op::Text {
                x,
                y,
                width,
                size: style.size,
                bold: style.bold,
                color: style.color,
                text,
            });
        }
        width
    }

    /// Text ending at `right`, cut to `max` points.
    pub fn text_right(&mut self, right: f32, y: f32, style: Style, text: &str, max: f32) {
        let text = self.shaper.fit(text, style.bold, style.size, max);
        let width = self.shaper.width(&text, style.bold, style.size);
        self.text(right - width, y, style, &text, width + 1.0);
    }

    /// Text centred on the page.
    pub fn text_centered(&mut self, y: f32, style: Style, text: &str) {
        let text = self.shaper.fit(text, style.bold, style.size, RIGHT - LEFT);
        let width = self.shaper.width(&text, style.bold, style.size);
        self.text((PAGE_WIDTH - width) / 2.0, y, style, &text, width + 1.0);
    }

    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, width: f32, color: (u8, u8, u8)) {
        self.push(Op::Line {
            x1,
            y1: y,
            x2,
            y2: y,
            width,
            color,
        });
    }

    pub fn shade(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.push(Op::Fill {
            x,
            y,
            w,
            h,
            color: SHADE,
        });
    }

    /// Starts a new page with the short continuation heading.
    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        let heading = fill(self.labels.continued, &[("number", self.number.as_str())]);
        let style = Style {
            size: 11.0,
            ..STRONG
        };
        self.text(LEFT, TOP + 12.0, style, &heading, RIGHT - LEFT);
        self.rule(LEFT, RIGHT, TOP + 20.0, 0.8, ACCENT);
        self.y = TOP + 36.0;
    }

    /// Makes room for `height` points, on a new page if needed; true when it turned a page.
    pub fn room(&mut self, height: f32) -> bool {
        if self.y + height > CONTENT_BOTTOM {
            self.new_page();
            true
        } else {
            false
        }
    }

    /// An amount in the invoice's language.
    pub fn money(&self, m: Money) -> String {
        m.format(self.labels.lang)
    }

    /// A date in the invoice's language; a dash when there is none.
    pub fn date(&self, d: Option<Date>) -> String {
        d.map(|d| format_date(d, self.labels.lang))
            .unwrap_or_else(|| "—".to_owned())
    }

    /// A table header: shaded band with column titles; `columns` are (x, right-aligned, text).
    pub fn table_header(&mut self, columns: &[(f32, bool, &str)]) {
        self.shade(LEFT, self.y, RIGHT - LEFT, 18.0);
        let y = self.y + 12.5;
        let style = Style {
            size: 8.5,
            ..STRONG
        };
        for &(x, right, text) in columns {
            if right {
                self.text_right(x, y, style, text, AMOUNT_COL - PAD);
            } else {
                self.text(x, y, style, text, 200.0);
            }
        }
        self.rule(LEFT, RIGHT, self.y + 18.0, 0.8, INK);
        self.y += 18.0;
    }
}
