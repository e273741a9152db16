//! Diagnostics as JavaScript sees them: asl-core's [`Diagnostic`]s with UTF-16 columns.
//!
//! Owns [`JsDiagnostic`] (the `{code, severity, message, pointer, line, column, endLine, endColumn,
//! fix?}`
//! objects `validate`, `render` and `Execution.start` return) and the conversion from the core's
//! byte spans. Columns count UTF-16 code units, as JS strings (and editors such as CodeMirror and
//! Monaco) index them; lines and columns are 1-based. Finding problems is asl-core's job.

use asl_core::Diagnostic;
use asl_core::source::{Encoding, LineIndex};
use serde::Serialize;

/// One problem in a definition, positioned for a JavaScript editor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsDiagnostic {
    /// Stable code, e.g. `MISSING_TRANSITION_TARGET`.
    pub code: &'static str,
    /// `"error"` or `"warning"`.
    pub severity: &'static str,
    pub message: String,
    /// JSON pointer of the offending value (`/States/Check/Next`), `""` for the whole document.
    pub pointer: String,
    pub line: u32,
    /// 1-based, in UTF-16 code units.
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// A lint's quick fix: replace the range with `replacement` (an empty range inserts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<JsFix>,
}

/// A text edit, positioned like the diagnostic (1-based lines, UTF-16 columns).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsFix {
    pub title: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub replacement: String,
}

/// The core's diagnostics for `text`, with UTF-16 positions.
pub fn for_js(text: &str, diagnostics: &[Diagnostic]) -> Vec<JsDiagnostic> {
    let index = LineIndex::new(text);
    diagnostics
        .iter()
        .map(|d| {
            let (start, end) = d.utf16_range(text, &index);
            JsDiagnostic {
                code: d.code.as_str(),
                severity: d.severity.as_str(),
                message: d.message.clone(),
                pointer: d.pointer.clone(),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                fix: d.fix.as_ref().map(|f| {
                    let a = index.position(text, f.span.start, Encoding::Utf16);
                    let b = index.position(text, f.span.end, Encoding::Utf16);
                    JsFix {
                        title: f.title.clone(),
                        line: a.line,
                        column: a.column,
                        end_line: b.line,
                        end_column: b.column,
                        replacement: f.replacement.clone(),
                    }
                }),
            }
        })
        .collect()
}

/// The byte offset of a JS string index (UTF-16 code units); past the end gives the length.
pub fn byte_offset(text: &str, utf16_index: u32) -> u32 {
    let mut units = 0u32;
    for (byte, c) in text.char_indices() {
        if units >= utf16_index {
            return u32::try_from(byte).unwrap_or(u32::MAX);
        }
        units += c.len_utf16() as u32;
    }
    u32::try_from(text.len()).unwrap_or(u32::MAX)
}

/// The message of the exception thrown for an invalid definition: the first error, positioned,
/// and how many more there are (the full list travels on the exception's `diagnostics`).
pub fn summary(diagnostics: &[JsDiagnostic]) -> String {
    let mut errors = diagnostics.iter().filter(|d| d.severity == "error");
    match errors.next() {
        None => "Invalid state machine definition".to_string(),
        Some(first) => {
            let more = errors.count();
            let tail = match more {
                0 => String::new(),
                1 => " (and 1 more error)".to_string(),
                n => format!(" (and {n} more errors)"),
            };
            format!(
                "Invalid state machine definition: {}:{}: {}[{}]: {}{tail}",
                first.line, first.column, first.severity, first.code, first.message
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        // The emoji is two UTF-16 units (one char, four UTF-8 bytes): the missing target `Nope`
        // starts at character column 39 but UTF-16 column 40.
        let text = "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Comment\": \"😀\", \"Type\": \"Pass\", \"Next\": \"Nope\"}}}";
        let loaded = asl_core::load(text);
        let js = for_js(text, &loaded.diagnostics);
        let d = js
            .iter()
            .find(|d| d.code == "MISSING_TRANSITION_TARGET")
            .expect("a missing target");
        let nope = text.find("\"Nope\"").expect("in text");
        let utf16_col = text[..nope].encode_utf16().count() as u32 + 1;
        assert_eq!((d.line, d.column), (1, utf16_col));
        assert_eq!(d.end_column, utf16_col + 6);
        assert_eq!(d.pointer, "/States/A/Next");
        assert_eq!(d.severity, "error");
        let core = loaded
            .diagnostics
            .iter()
            .find(|d| d.code.as_str() == "MISSING_TRANSITION_TARGET")
            .expect("core");
        assert_eq!(
            core.start.column + 1,
            d.column,
            "chars vs UTF-16 differ by one"
        );
        let s = summary(&js);
        assert!(
            s.starts_with(&format!(
                "Invalid state machine definition: 1:{utf16_col}: error[MISSING_TRANSITION_TARGET]"
            )),
            "{s}"
        );
    }

    #[test]
    fn js_indexes_become_byte_offsets() {
        let text = "a😀é b";
        assert_eq!(byte_offset(text, 0), 0);
        assert_eq!(byte_offset(text, 1), 1);
        assert_eq!(byte_offset(text, 3), 5); // after the emoji (2 units, 4 bytes)
        assert_eq!(byte_offset(text, 4), 7); // after é (1 unit, 2 bytes)
        assert_eq!(byte_offset(text, 99), text.len() as u32);
    }

    #[test]
    fn summary_counts_further_errors() {
        let text =
            "{\"StartAt\": \"X\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Y\"}}}";
        let js = for_js(text, &asl_core::load(text).diagnostics);
        let errors = js.iter().filter(|d| d.severity == "error").count();
        assert!(errors >= 2, "{js:?}");
        let tail = match errors - 1 {
            1 => "(and 1 more error)".to_string(),
            n => format!("(and {n} more errors)"),
        };
        assert!(summary(&js).ends_with(&tail), "{}", summary(&js));
        assert_eq!(summary(&[]), "Invalid state machine definition");
    }
}
