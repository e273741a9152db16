//! Source positions: byte spans into the user's text and their line:column form.
//!
//! Owns [`Span`] (a byte range, the only position the rest of the core stores) and [`LineIndex`]
//! (turns a byte offset into a 1-based line and column, in UTF-8 bytes or UTF-16 code units for JS
//! editors). It does not own diagnostics ([`crate::diag`]) or parsing ([`crate::syntax`]).

use serde::Serialize;

/// A half-open byte range `[start, end)` into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }

    /// An empty span at `offset`, for "expected something here" diagnostics.
    pub const fn at(offset: u32) -> Self {
        Span {
            start: offset,
            end: offset,
        }
    }

    pub const fn len(self) -> u32 {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// How columns are counted: the CLI counts characters (what a terminal user sees), a JS editor
/// counts UTF-16 code units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Unicode scalar values (characters).
    Chars,
    /// UTF-16 code units, as JavaScript strings index.
    Utf16,
    /// Raw UTF-8 bytes.
    Utf8,
}

/// Line start offsets of a text, for O(log n) offset → line:column.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            }
        }
        LineIndex { line_starts }
    }

    /// The position of byte `offset` in `text` (which must be the text this index was built from).
    /// Offsets past the end or inside a character clamp to a valid position; never panics.
    pub fn position(&self, text: &str, offset: u32, encoding: Encoding) -> Position {
        let offset = (offset as usize).min(text.len()) as u32;
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0) as usize;
        let mut end = offset as usize;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let prefix = text.get(start..end).unwrap_or("");
        let column = match encoding {
            Encoding::Utf8 => prefix.len(),
            Encoding::Chars => prefix.chars().count(),
            Encoding::Utf16 => prefix.chars().map(char::len_utf16).sum(),
        };
        Position {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_columns_from_one() {
        let text = "{\n  \"é\": 1,\n  \"😀\": 2\n}";
        let index = LineIndex::new(text);
        assert_eq!(
            index.position(text, 0, Encoding::Chars),
            Position { line: 1, column: 1 }
        );
        let two = text.find('2').expect("a 2") as u32;
        assert_eq!(
            index.position(text, two, Encoding::Chars),
            Position { line: 3, column: 8 }
        );
        assert_eq!(
            index.position(text, two, Encoding::Utf16),
            Position { line: 3, column: 9 }
        );
        assert_eq!(
            index.position(text, two, Encoding::Utf8),
            Position {
                line: 3,
                column: 11
            }
        );
        // Past the end and mid-character offsets clamp instead of panicking.
        assert_eq!(index.position(text, 10_000, Encoding::Chars).line, 4);
        let mid = text.find('é').expect("an é") as u32 + 1;
        assert_eq!(
            index.position(text, mid, Encoding::Chars),
            Position { line: 2, column: 4 }
        );
    }
}
