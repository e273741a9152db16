//! A small JSON tree ([`J`]) that generators build and write out as JSON or block YAML, and
//! random JSON values with the awkward corners users paste: huge and negative-zero numbers,
//! 2^64 + 1, odd Unicode (RTL overrides, zero-width joiners, U+FFFD where JS had a lone
//! surrogate), deep nesting.
//!
//! Why not `serde_json::Value`: numbers must be written exactly as chosen (`1e400`, `-0`,
//! `18446744073709551617` don't survive a round trip through `f64`), keys may repeat, and the
//! same tree must also come out as YAML.

use std::fmt::Write;

use crate::choices::Gen;

#[derive(Clone, Debug)]
pub enum J {
    Null,
    Bool(bool),
    /// A number written as this literal text.
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    pub fn s(text: impl Into<String>) -> J {
        J::Str(text.into())
    }

    pub fn n(value: impl ToString) -> J {
        J::Num(value.to_string())
    }

    pub fn obj(members: Vec<(&str, J)>) -> J {
        J::Obj(
            members
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    pub fn write_json(&self, out: &mut String) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(n),
            J::Str(s) => quote(s, out),
            J::Arr(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_json(out);
                }
                out.push(']');
            }
            J::Obj(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    quote(k, out);
                    out.push(':');
                    v.write_json(out);
                }
                out.push('}');
            }
        }
    }

    /// Block-style YAML (strings double-quoted with JSON's escapes, which YAML 1.2 reads the same).
    pub fn to_yaml(&self) -> String {
        let mut out = String::new();
        self.write_yaml(&mut out, 0);
        out
    }

    fn write_yaml(&self, out: &mut String, indent: usize) {
        match self {
            J::Arr(items) if !items.is_empty() => {
                for v in items {
                    pad(out, indent);
                    out.push('-');
                    v.yaml_value(out, indent + 2);
                }
            }
            J::Obj(members) if !members.is_empty() => {
                for (k, v) in members {
                    pad(out, indent);
                    // Plain keys where YAML allows them: a document starting with `"` is read
                    // as JSON (see asl_core::document), as users' broken JSON mostly is.
                    if is_plain(k) {
                        out.push_str(k);
                    } else {
                        quote(k, out);
                    }
                    out.push(':');
                    v.yaml_value(out, indent + 2);
                }
            }
            scalar => {
                pad(out, indent);
                scalar.write_json(out);
                out.push('\n');
            }
        }
    }

    /// After `key:` or `-`: a scalar on the same line, a collection on the lines below.
    fn yaml_value(&self, out: &mut String, indent: usize) {
        match self {
            J::Arr(v) if !v.is_empty() => {
                out.push('\n');
                self.write_yaml(out, indent);
            }
            J::Obj(v) if !v.is_empty() => {
                out.push('\n');
                self.write_yaml(out, indent);
            }
            scalar => {
                out.push(' ');
                scalar.write_json(out);
                out.push('\n');
            }
        }
    }
}

/// Words YAML reads as the same string unquoted (not `true`, `null`, numbers, …).
fn is_plain(k: &str) -> bool {
    k.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(
            k.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        )
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{feff}' || c == '\u{2028}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Number literals JSON can hold: ordinary, and at the edges of `f64`/`i64`/`u64`.
pub const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "3",
    "2.5",
    "-0",
    "-0.0",
    "0.1",
    "1e308",
    "5e-324",
    "1e-400",
    "9007199254740993",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "18446744073709551617",
    "123456789012345678901234567890",
    "1.0",
    "1E2",
];

/// Number literals beyond `f64` (the parser must reject them, not panic or read infinity).
pub const HUGE: &[&str] = &["1e400", "-1e400", "1e99999999999"];

/// A number: nearly always one JSON can hold.
pub fn number(g: &mut Gen) -> J {
    if g.chance(3) {
        J::Num(g.pick(HUGE).to_string())
    } else {
        J::Num(g.pick(NUMBERS).to_string())
    }
}

/// An object with distinct keys (duplicates are the mutators' business).
pub fn object(members: Vec<(String, J)>) -> J {
    let mut out: Vec<(String, J)> = Vec::with_capacity(members.len());
    for (k, v) in members {
        if !out.iter().any(|(seen, _)| *seen == k) {
            out.push((k, v));
        }
    }
    J::Obj(out)
}

/// Strings and names with the Unicode that breaks naive code.
pub const STRINGS: &[&str] = &[
    "",
    "a",
    "x",
    "Hello",
    "a b",
    "é",
    "𝄞",
    "\u{202e}evil\u{202c}",
    "\u{200d}",
    "👨\u{200d}👩\u{200d}👧",
    "\u{fffd}",
    "\u{200b}zero",
    "<script>alert(1)</script>",
    "\"quoted\"",
    "back\\slash",
    "line\nbreak",
    "{}",
    "$",
    "$.a",
    "States.Format('{}', 1)",
    "2016-03-14T01:59:00Z",
    "{% 1 + 1 %}",
    "${Placeholder}",
    "a.b",
    "'",
];

pub const KEYS: &[&str] = &[
    "a", "b", "x", "items", "n", "name", "s", "é", "a b", "", "$", "0",
];

/// A random JSON value at most `depth` levels deep.
pub fn value(g: &mut Gen, depth: u32) -> J {
    let choice = if depth == 0 { g.below(4) } else { g.below(7) };
    match choice {
        0 => number(g),
        1 => J::Str(g.pick(STRINGS).to_string()),
        2 => match g.below(3) {
            0 => J::Null,
            n => J::Bool(n == 1),
        },
        3 => J::Num(g.range(0, 20).to_string()),
        4 | 5 => {
            let n = g.below(4);
            object(
                (0..n)
                    .map(|_| (g.pick(KEYS).to_string(), value(g, depth - 1)))
                    .collect(),
            )
        }
        _ => {
            let n = g.below(4);
            J::Arr((0..n).map(|_| value(g, depth - 1)).collect())
        }
    }
}

/// `depth` nested arrays or objects around a scalar, as text.
pub fn deep(depth: usize, object: bool) -> String {
    let (open, close) = if object { ("{\"a\":", "}") } else { ("[", "]") };
    format!("{}1{}", open.repeat(depth), close.repeat(depth))
}
