//! The invoice PDF's fonts: loaded from disk once ([`Fonts::load`]), then shaped with
//! rustybuzz — the shaper krilla itself uses — so that what the layout measures is exactly what
//! is drawn. Also the two text-fitting rules the layout needs: wrapping into lines of a width
//! (Latin at spaces, Japanese between characters, never starting a line with closing
//! punctuation) and truncating with an ellipsis.

use super::PdfError;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a face lives: a font file, and the face's index inside a collection (`.ttc`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontSpec {
    /// The file.
    pub path: PathBuf,
    /// Face index (0 for a single font).
    pub index: u32,
}

/// One loaded face: its bytes (shared with krilla, which subsets them into each PDF).
struct Face {
    data: Arc<Vec<u8>>,
    index: u32,
    font: Font,
}

impl Face {
    fn load(spec: &FontSpec, data: Arc<Vec<u8>>) -> Result<Face, PdfError> {
        let invalid = || PdfError::FontInvalid {
            path: spec.path.clone(),
            index: spec.index,
        };
        // rustybuzz must accept it too, or shaping would find no face later.
        rustybuzz::Face::from_slice(&data, spec.index).ok_or_else(invalid)?;
        let font = Font::new(data.clone().into(), spec.index).ok_or_else(invalid)?;
        Ok(Face {
            data,
            index: spec.index,
            font,
        })
    }
}

/// The regular and bold faces, ready to render any number of invoices.
pub struct Fonts {
    regular: Face,
    bold: Face,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts").finish_non_exhaustive()
    }
}

fn read(path: &Path) -> Result<Arc<Vec<u8>>, PdfError> {
    std::fs::read(path)
        .map(Arc::new)
        .map_err(|source| PdfError::FontUnreadable {
            path: path.to_owned(),
            source,
        })
}

impl Fonts {
    /// Reads and checks the faces (blocking IO: tens of megabytes for a CJK collection). A
    /// bold face in the same file as the regular one shares its bytes.
    pub fn load(regular: &FontSpec, bold: &FontSpec) -> Result<Fonts, PdfError> {
        let regular_data = read(&regular.path)?;
        let bold_data = if bold.path == regular.path {
            regular_data.clone()
        } else {
            read(&bold.path)?
        };
        Ok(Fonts {
            regular: Face::load(regular, regular_data)?,
            bold: Face::load(bold, bold_data)?,
        })
    }

    /// The krilla font for a weight.
    pub(super) fn font(&self, bold: bool) -> &Font {
        if bold {
            &self.bold.font
        } else {
            &self.regular.font
        }
    }
}

/// Shaped text: glyphs with advances in em units, and the total advance.
pub(super) struct Shaped {
    pub glyphs: Vec<KrillaGlyph>,
    pub width_em: f32,
}

/// Shapes and measures text for one rendering (rustybuzz faces borrow the loaded bytes).
pub(super) struct Shaper<'a> {
    regular: rustybuzz::Face<'a>,
    bold: rustybuzz::Face<'a>,
}

/// Characters that must not start a line (Japanese line-breaking rules, 行頭禁則).
const NO_LINE_START: &str = "、。，．,.・：；:;？！?!ー－)）]］｝」』】〕〉》”’ゝゞ々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ…‥";

/// Wide characters between which a line may break (CJK ideographs, kana, full-width forms).
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Whether a line may end after `prev` and start at `next`.
fn may_break_between(prev: char, next: char) -> bool {
    if next.is_whitespace() || NO_LINE_START.contains(next) {
        return false;
    }
    prev.is_whitespace() || is_wide(prev) || is_wide(next)
}

/// Control characters become spaces: they have no glyph and no place on paper.
pub(super) fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

impl<'a> Shaper<'a> {
    /// Faces for shaping; the fonts were checked when loaded.
    pub fn new(fonts: &'a Fonts) -> Result<Shaper<'a>, PdfError> {
        let face = |f: &'a Face| {
            rustybuzz::Face::from_slice(&f.data, f.index)
                .ok_or_else(|| PdfError::Write("a loaded font could not be shaped".into()))
        };
        Ok(Shaper {
            regular: face(&fonts.regular)?,
            bold: face(&fonts.bold)?,
        })
    }

    /// Shapes one line of text.
    pub fn shape(&self, text: &str, bold: bool) -> Shaped {
        let face = if bold { &self.bold } else { &self.regular };
        let upem = f32::from(u16::try_from(face.units_per_em()).unwrap_or(1000).max(1));
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let output = rustybuzz::shape(face, &[], buffer);
        // Each glyph covers its cluster up to the next cluster start in text order (a char
        // boundary: clusters are the byte offsets of the characters pushed).
        let mut starts: Vec<usize> = output
            .glyph_infos()
            .iter()
            .map(|i| i.cluster as usize)
            .filter(|&c| c <= text.len() && text.is_char_boundary(c))
            .collect();
        starts.sort_unstable();
        starts.dedup();
        let mut width_em = 0.0;
        let glyphs = output
            .glyph_infos()
            .iter()
            .zip(output.glyph_positions())
            .map(|(info, pos)| {
                let start = (info.cluster as usize).min(text.len());
                let start = if text.is_char_boundary(start) {
                    start
                } else {
                    0
                };
                let end = starts
                    .iter()
                    .copied()
                    .find(|&s| s > start)
                    .unwrap_or(text.len());
                let advance = pos.x_advance as f32 / upem;
                width_em += advance;
                KrillaGlyph::new(
                    GlyphId::new(info.glyph_id),
                    advance,
                    pos.x_offset as f32 / upem,
                    pos.y_offset as f32 / upem,
                    pos.y_advance as f32 / upem,
                    start..end,
                    None,
                )
            })
            .collect();
        Shaped { glyphs, width_em }
    }

    /// The width of a line of text at `size` points.
    pub fn width(&self, text: &str, bold: bool, size: f32) -> f32 {
        self.shape(text, bold).width_em * size
    }

    /// Each character with the width (points) it adds: its cluster's advance when it starts
    /// one, else 0.
    fn char_widths(&self, text: &str, bold: bool, size: f32) -> Vec<(char, f32)> {
        let shaped = self.shape(text, bold);
        let mut by_start = std::collections::HashMap::new();
        for g in &shaped.glyphs {
            *by_start.entry(g.text_range.start).or_insert(0.0) += g.x_advance * size;
        }
        text.char_indices()
            .map(|(i, c)| (c, by_start.get(&i).copied().unwrap_or(0.0)))
            .collect()
    }

    /// The longest start of `text` that fits `max` points, with `…` when cut.
    pub fn fit(&self, text: &str, bold: bool, size: f32, max: f32) -> String {
        let text = printable(text);
        if self.width(&text, bold, size) <= max {
            return text;
        }
        let budget = max - self.width("…", bold, size);
        let mut used = 0.0;
        let mut kept = String::new();
        for (c, w) in self.char_widths(&text, bold, size) {
            if used + w > budget {
                break;
            }
            used += w;
            kept.push(c);
        }
        format!("{}…", kept.trim_end())
    }

    /// `text` broken into lines of at most `max` points (a newline always breaks), at most
    /// `max_lines` of them; the last one ends in `…` when text was left over.
    pub fn wrap(
        &self,
        text: &str,
        bold: bool,
        size: f32,
        max: f32,
        max_lines: usize,
    ) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.trim().split('\n') {
            self.wrap_paragraph(&printable(paragraph), bold, size, max, &mut lines);
            if lines.len() > max_lines {
                break;
            }
        }
        if lines.len() > max_lines.max(1) {
            lines.truncate(max_lines.max(1));
            if let Some(last) = lines.last_mut() {
                *last = self.fit(&format!("{last}…"), bold, size, max);
            }
        }
        lines
    }

    fn wrap_paragraph(&self, text: &str, bold: bool, size: f32, max: f32, out: &mut Vec<String>) {
        let chars = self.char_widths(text, bold, size);
        let mut start = 0;
        let mut width = 0.0;
        let mut last_break: Option<usize> = None;
        let mut k = 0;
        while k < chars.len() {
            let (c, w) = chars[k];
            if k == start && c.is_whitespace() {
                start += 1;
                k += 1;
                continue;
            }
            if k > start && may_break_between(chars[k - 1].0, c) {
                last_break = Some(k);
            }
            if width + w > max && k > start {
                let cut = last_break.filter(|&b| b > start).unwrap_or(k);
                out.push(line(&chars[start..cut]));
                start = cut;
                k = cut;
                width = 0.0;
                last_break = None;
                continue;
            }
            width += w;
            k += 1;
        }
        let rest = line(&chars[start.min(chars.len())..]);
        if !rest.is_empty() || text.trim().is_empty() {
            out.push(rest);
        }
    }
}

fn line(chars: &[(char, f32)]) -> String {
    chars
        .iter()
        .map(|(c, _)| c)
        .collect::<String>()
        .trim_end()
        .to_owned()
}
