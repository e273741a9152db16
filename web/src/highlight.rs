//! JSON syntax colouring for the editor overlay: text in, HTML (escaped, with `<span class="t-…">`
//! per token) out.
//!
//! Written by hand because it is a lexer only (~100 lines) that must tolerate half-typed input;
//! highlighting crates (syntect, tree-sitter) would add hundreds of KB of wasm for one grammar.
//! It never parses: structure and errors are the core's job.

use std::fmt::Write;

/// A token class, named for its CSS class.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Class {
    Key,
    Str,
    /// A string holding a JSONata expression `{% … %}`, a path (`$.x`) or an intrinsic call.
    Expr,
    Num,
    Lit,
    Punct,
}

impl Class {
    fn css(self) -> &'static str {
        match self {
            Class::Key => "t-key",
            Class::Str => "t-str",
            Class::Expr => "t-expr",
            Class::Num => "t-num",
            Class::Lit => "t-lit",
            Class::Punct => "t-punct",
        }
    }
}

/// Splits `text` into (byte range, class) tokens; whitespace and unknown bytes are left out.
pub fn tokens(text: &str) -> Vec<(std::ops::Range<usize>, Class)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                // Consume the closing quote; an unterminated string ends at the line's end.
                i = i.min(b.len());
                if i < b.len() && b[i] == b'"' {
                    i += 1;
                }
                // A key is a string followed by a colon.
                let mut j = i;
                while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\r' | b'\n') {
                    j += 1;
                }
                let class = if j < b.len() && b[j] == b':' {
                    Class::Key
                } else if is_expression(&text[start..i]) {
                    Class::Expr
                } else {
                    Class::Str
                };
                out.push((start..i, class));
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                i += 1;
                while i < b.len() && matches!(b[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                {
                    i += 1;
                }
                out.push((start..i, Class::Num));
            }
            b'a'..=b'z' | b'A'..=b'Z' => {
                let start = i;
                while i < b.len() && b[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                if matches!(&text[start..i], "true" | "false" | "null") {
                    out.push((start..i, Class::Lit));
                }
            }
            b'{' | b'}' | b'[' | b']' | b':' | b',' => {
                out.push((i..i + 1, Class::Punct));
                i += 1;
            }
            _ => i += 1,
        }
        // Every branch stops on ASCII, except `_`, which may land inside a multi-byte char: step
        // to the next boundary.
        while i < b.len() && !text.is_char_boundary(i) {
            i += 1;
        }
    }
    out
}

fn is_expression(quoted: &str) -> bool {
    let s = quoted.trim_matches('"');
    (s.starts_with("{%") && s.ends_with("%}")) || s.starts_with("$") || s.starts_with("States.")
}

/// Escapes text for HTML element content.
pub fn escape_into(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(ch),
        }
    }
}

/// The overlay's HTML for `text`. A trailing newline gets a space after it so the overlay keeps
/// the same height as the textarea, whose last empty line still counts.
pub fn to_html(text: &str) -> String {
    let mut out = fragment_html(text);
    if text.ends_with('\n') || text.is_empty() {
        out.push(' ');
    }
    out
}

/// The HTML for a piece of the text, as is.
pub fn fragment_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut at = 0;
    for (range, class) in tokens(text) {
        escape_into(&mut out, &text[at..range.start]);
        let _ = write!(out, "<span class=\"{}\">", class.css());
        escape_into(&mut out, &text[range.clone()]);
        out.push_str("</span>");
        at = range.end;
    }
    escape_into(&mut out, &text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(text: &str) -> Vec<(&str, Class)> {
        tokens(text)
            .into_iter()
            .map(|(r, c)| (&text[r], c))
            .collect()
    }

    #[test]
    fn keys_strings_numbers_literals() {
        assert_eq!(
            classes(r#"{"a": "x", "b": -1.5e3, "c": [true, null]}"#),
            vec![
                ("{", Class::Punct),
                ("\"a\"", Class::Key),
                (":", Class::Punct),
                ("\"x\"", Class::Str),
                (",", Class::Punct),
                ("\"b\"", Class::Key),
                (":", Class::Punct),
                ("-1.5e3", Class::Num),
                (",", Class::Punct),
                ("\"c\"", Class::Key),
                (":", Class::Punct),
                ("[", Class::Punct),
                ("true", Class::Lit),
                (",", Class::Punct),
                ("null", Class::Lit),
                ("]", Class::Punct),
                ("}", Class::Punct),
            ]
        );
    }

    #[test]
    fn expressions_and_escapes() {
        assert_eq!(
            classes(r#""{% $x %}""#),
            vec![("\"{% $x %}\"", Class::Expr)]
        );
        assert_eq!(classes(r#""a\"b""#), vec![(r#""a\"b""#, Class::Str)]);
    }

    #[test]
    fn html_is_escaped_and_unterminated_input_is_tolerated() {
        assert_eq!(
            to_html("\"<&>"),
            "<span class=\"t-str\">\"&lt;&amp;&gt;</span>"
        );
        assert_eq!(to_html("é_\"ü\n"), "é_<span class=\"t-str\">\"ü</span>\n ");
    }
}
