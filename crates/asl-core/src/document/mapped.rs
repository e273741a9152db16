//! Text built from pieces of the user's text (a template's `DefinitionString`, a JSON text with
//! its bare placeholders filled), with, for each byte, where it came from: so a tree parsed from
//! it gets spans into what the user typed. The alignment of a decoded string with its raw token
//! is by hand: it is a few lines, and no parser gives per-character positions inside a scalar.
//!
//! Not owned here: what the text is ([`super`]).

use crate::source::Span;
use crate::syntax::{Kind, Node};

/// Text with, for each byte, where in the user's text it came from: the start and the end of
/// what was written for it (a character, an escape, a `!Ref`).
#[derive(Default)]
pub(super) struct Mapped {
    pub(super) text: String,
    pub(super) map: Vec<u32>,
    pub(super) ends: Vec<u32>,
}

impl Mapped {
    /// The user's text itself.
    pub(super) fn identity(text: &str) -> Mapped {
        let n = text.len() as u32;
        Mapped {
            text: text.to_string(),
            map: (0..n).collect(),
            ends: (1..=n).collect(),
        }
    }

    /// Appends text that all comes from one place (a `!Ref` written as `${X}`).
    pub(super) fn push_at(&mut self, s: &str, at: Span) {
        self.text.push_str(s);
        self.map.extend(std::iter::repeat_n(at.start, s.len()));
        self.ends.extend(std::iter::repeat_n(at.end, s.len()));
    }

    pub(super) fn extend(&mut self, other: &Mapped, range: std::ops::Range<usize>) {
        self.text.push_str(&other.text[range.clone()]);
        self.map.extend(&other.map[range.clone()]);
        self.ends.extend(&other.ends[range]);
    }

    /// Appends a string node's value, aligned with its source text.
    pub(super) fn push_node(&mut self, value: &str, span: Span, text: &str) {
        let raw = text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        self.text.push_str(value);
        for (start, end) in align(value, raw) {
            self.map.push(span.start + start);
            self.ends.push(span.start + end);
        }
    }

    pub(super) fn at(&self, i: u32) -> u32 {
        let i = i as usize;
        match self.map.get(i) {
            Some(&o) => o,
            None => self.ends.last().copied().unwrap_or(0),
        }
    }

    pub(super) fn span(&self, s: Span) -> Span {
        let start = self.at(s.start);
        let end = if s.end > s.start {
            self.ends.get(s.end as usize - 1).copied().unwrap_or(start)
        } else {
            start
        };
        Span::new(start, end.max(start))
    }

    pub(super) fn remap(&self, node: &mut Node) {
        node.span = self.span(node.span);
        match &mut node.kind {
            Kind::Array(items) => items.iter_mut().for_each(|n| self.remap(n)),
            Kind::Object(members) => {
                for m in members {
                    m.key_span = self.span(m.key_span);
                    self.remap(&mut m.value);
                }
            }
            _ => {}
        }
    }
}

/// For each byte of `value` (a string's decoded text), the range of the raw token `raw` it was
/// read from (offsets into `raw`). Greedy: each character is found at or after the
/// previous one, skipping what decoding dropped (quotes, a tag, indentation); a backslash escape
/// in a double-quoted token stands for the one character it decodes to.
fn align(value: &str, raw: &str) -> Vec<(u32, u32)> {
    let escapes = raw.starts_with('"');
    // Block scalars (`|`, `>`, maybe after a tag) start on the next line.
    let mut r = match raw.find(['\n']) {
        Some(nl) if !escapes && !raw.starts_with('\'') => nl + 1,
        _ => usize::from(escapes || raw.starts_with('\'')),
    };
    let mut out = Vec::with_capacity(value.len());
    for ch in value.chars() {
        let mut at = None;
        while let Some(rc) = raw.get(r..).and_then(|s| s.chars().next()) {
            let start = r;
            if escapes && rc == '\\' {
                r += escape_len(&raw[r..]);
                at = Some((start, r));
                break;
            }
            r += rc.len_utf8();
            if rc == ch {
                at = Some((start, r));
                break;
            }
        }
        let (start, end) = at.unwrap_or((raw.len().saturating_sub(1), raw.len()));
        out.extend(std::iter::repeat_n(
            (start as u32, end as u32),
            ch.len_utf8(),
        ));
    }
    out
}

/// The length of the escape sequence at the start of `s` (`\n`, `\"`, `\u00e9`, YAML's `\x41`).
fn escape_len(s: &str) -> usize {
    let hex = |n: usize| {
        1 + 1
            + s.get(2..).map_or(0, |t| {
                t.bytes().take(n).take_while(u8::is_ascii_hexdigit).count()
            })
    };
    match s.as_bytes().get(1) {
        Some(b'u') => hex(4),
        Some(b'x') => hex(2),
        Some(b'U') => hex(8),
        Some(_) => 2,
        None => 1,
    }
}
