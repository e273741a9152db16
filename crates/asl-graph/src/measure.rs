//! Text measurement, wrapping and eliding for labels, without a font engine.
//!
//! layout-rs sizes text as `chars × font size`, which makes `iiii` as wide as `WWWW` and boxes about
//! twice too wide. We measure with the advance widths of a Helvetica/Arial-metric sans serif (the
//! SVG asks for `Helvetica, Arial, sans-serif`), plus [`SAFETY`] for fallback fonts such as DejaVu
//! Sans, which is about 10 % wider. A table is enough here: labels are short, output must be
//! identical natively and in wasm, and shipping a font file plus a shaping crate to the browser for
//! this would cost far more than it gives.

/// Extra width factor so a wider fallback font still fits.
pub const SAFETY: f64 = 1.1;

/// Advance widths of ASCII 0x20..=0x7E in 1/1000 em (Helvetica metrics).
const ASCII: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // ' '..'/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584,
    556, // '0'..'?'
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722,
    778, // '@'..'O'
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
    556, // 'P'..'_'
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556,
    556, // '`'..'o'
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // 'p'..'~'
];

/// Width of one character in 1/1000 em.
fn char_width(c: char, bold: bool) -> f64 {
    let base = match c {
        ' '..='~' => f64::from(ASCII[(c as usize) - 0x20]),
        // East Asian wide characters and emoji take a full em.
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{1F000}'..='\u{1FAFF}'
        | '\u{20000}'..='\u{3FFFD}' => 1000.0,
        // Combining marks and zero-width characters take no space.
        '\u{0300}'..='\u{036F}' | '\u{200B}'..='\u{200F}' | '\u{FE00}'..='\u{FE0F}' => 0.0,
        c if c.is_control() => 0.0,
        _ => 600.0,
    };
    if bold { base * 1.06 } else { base }
}

/// Width of `text` in pixels at `font_px`.
pub fn text_width(text: &str, font_px: f64, bold: bool) -> f64 {
    let units: f64 = text.chars().map(|c| char_width(c, bold)).sum();
    units / 1000.0 * font_px * SAFETY
}

/// Cut `text` to fit `max_px`, ending with `…`; returns the text unchanged if it fits.
pub fn elide(text: &str, font_px: f64, bold: bool, max_px: f64) -> String {
    if text_width(text, font_px, bold) <= max_px {
        return text.to_string();
    }
    let budget = max_px - text_width("…", font_px, bold);
    let mut out = String::new();
    let mut used = 0.0;
    for c in text.chars() {
        let w = char_width(c, bold) / 1000.0 * font_px * SAFETY;
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Break `text` into at most `max_lines` lines of at most `max_px`, preferring breaks after spaces,
/// `-`, `_`, `.`, `/` and before an upper-case letter that follows a lower-case one, and breaking
/// inside a word only where it has none; the last line is elided if the text still does not fit.
/// Returns the lines and whether anything was elided.
pub fn wrap(
    text: &str,
    font_px: f64,
    bold: bool,
    max_px: f64,
    max_lines: usize,
) -> (Vec<String>, bool) {
    let mut lines = Vec::new();
    let mut rest: &str = text;
    while lines.len() + 1 < max_lines && text_width(rest, font_px, bold) > max_px {
        match best_break(rest, font_px, bold, max_px)
            .or_else(|| hard_break(rest, font_px, bold, max_px))
        {
            Some(at) => {
                lines.push(rest[..at].trim_end().to_string());
                rest = rest[at..].trim_start();
            }
            None => break,
        }
    }
    let last = elide(rest, font_px, bold, max_px);
    let elided = last != rest;
    lines.push(last);
    (lines, elided)
}

/// Like [`wrap`], but when the text does not fit in `max_lines` lines of `widths[0]`, try each
/// wider width in turn before eliding: a box grows before a name is cut.
pub fn wrap_widening(
    text: &str,
    font_px: f64,
    bold: bool,
    widths: &[f64],
    max_lines: usize,
) -> (Vec<String>, bool) {
    let mut out = (vec![text.to_string()], false);
    for &w in widths {
        out = wrap(text, font_px, bold, w, max_lines);
        if !out.1 {
            break;
        }
    }
    out
}

/// The byte offset of the last character boundary such that the text before it fits (at least
/// one character).
fn hard_break(text: &str, font_px: f64, bold: bool, max_px: f64) -> Option<usize> {
    let mut used = 0.0;
    let mut last = None;
    for (i, c) in text.char_indices() {
        used += char_width(c, bold) / 1000.0 * font_px * SAFETY;
        if used > max_px {
            break;
        }
        last = Some(i + c.len_utf8());
    }
    last.filter(|&b| b < text.len())
}

/// The byte offset of the last good break point such that the text before it fits.
fn best_break(text: &str, font_px: f64, bold: bool, max_px: f64) -> Option<usize> {
    let mut best = None;
    let mut used = 0.0;
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        if i > 0 {
            let after_sep = matches!(prev, Some(' ' | '-' | '_' | '.' | '/' | ':'));
            let camel = c.is_uppercase() && prev.is_some_and(char::is_lowercase);
            if after_sep || camel {
                best = Some(i);
            }
        }
        used += char_width(c, bold) / 1000.0 * font_px * SAFETY;
        if used > max_px {
            break;
        }
        prev = Some(c);
    }
    best.filter(|&b| b > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_letters_measure_narrower_than_wide_ones() {
        assert!(text_width("iiii", 14.0, false) < text_width("WWWW", 14.0, false) / 3.0);
        assert_eq!(text_width("", 14.0, false), 0.0);
    }

    #[test]
    fn elide_fits_and_marks_the_cut() {
        let s = elide("AVeryLongStateNameThatGoesOnAndOn", 14.0, false, 100.0);
        assert!(s.ends_with('…'));
        assert!(text_width(&s, 14.0, false) <= 100.0);
        assert_eq!(elide("Short", 14.0, false, 100.0), "Short");
    }

    #[test]
    fn wrap_breaks_at_words_then_elides() {
        let (lines, elided) = wrap("Save the metadata record", 14.0, true, 150.0, 2);
        assert!(!elided, "{lines:?}");
        assert_eq!(lines, ["Save the metadata", "record"]);
        let (lines, elided) = wrap(
            "SaveMetadataToDynamoDbTableAndNotifyEveryone",
            14.0,
            false,
            110.0,
            2,
        );
        assert_eq!(lines.len(), 2);
        assert!(elided);
        for l in &lines {
            assert!(text_width(l, 14.0, false) <= 110.0, "{l}");
        }
    }

    #[test]
    fn words_without_break_points_are_broken_where_they_must() {
        let (lines, elided) = wrap("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 14.0, true, 120.0, 3);
        assert!(!elided, "{lines:?}");
        assert_eq!(lines.concat(), "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
        assert!(lines.len() > 1);
    }

    #[test]
    fn widening_comes_before_eliding() {
        let name = "ProcessTheIncomingOrderBatchAndNotifyTheDownstreamFulfilmentSystemsNow";
        let (narrow, cut) = wrap(name, 14.0, true, 150.0, 3);
        assert!(cut, "{narrow:?}");
        let (lines, cut) = wrap_widening(name, 14.0, true, &[150.0, 220.0, 300.0], 3);
        assert!(!cut, "{lines:?}");
        assert_eq!(lines.concat(), name);
    }
}
