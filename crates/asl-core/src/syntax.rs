//! JSON text → a tree of JSON nodes that remember where they came from.
//!
//! Owns [`Node`] (every value, and every object key, with its byte [`Span`]) and the strict
//! RFC 8259 parser that builds it. Why by hand: the typed model, every diagnostic and every
//! runtime error must point at the exact token the user typed, and `serde_json` keeps no positions;
//! the parser is small, never panics, reports the first syntax error with its position, and keeps
//! duplicate keys visible so the validator can flag them.
//!
//! Not owned here: what the JSON means as ASL ([`crate::parse`]).

use crate::source::Span;
use crate::value::{Number, Value};

/// A JSON value with its source span.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub kind: Kind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Node>),
    /// Members in source order; duplicates are kept (the validator reports them).
    Object(Vec<Member>),
}

/// One `"key": value` member of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    /// The members of an object node (`None` for other kinds).
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.kind {
            Kind::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The last member named `key` (AWS, like most JSON readers, lets a later duplicate win).
    pub fn get(&self, key: &str) -> Option<&Member> {
        self.as_object()?.iter().rev().find(|m| m.key == key)
    }

    /// The JSON type name, as used in diagnostics.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "boolean",
            Kind::Number(_) => "number",
            Kind::String(_) => "string",
            Kind::Array(_) => "array",
            Kind::Object(_) => "object",
        }
    }

    /// The node as a plain [`Value`] (spans dropped; for duplicate keys the last one wins).
    pub fn to_value(&self) -> Value {
        match &self.kind {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(*b),
            Kind::Number(n) => Value::Number(n.clone()),
            Kind::String(s) => Value::string(s.as_str()),
            Kind::Array(items) => Value::array(items.iter().map(Node::to_value).collect()),
            Kind::Object(members) => Value::object(
                members
                    .iter()
                    .map(|m| (crate::value::Key::from(m.key.as_str()), m.value.to_value()))
                    .collect(),
            ),
        }
    }
}

/// Nesting deeper than this is rejected instead of risking the stack (a wasm page has ~1 MiB).
/// Real definitions nest a few dozen levels at most.
pub const MAX_DEPTH: usize = 200;

/// The first syntax error in a text: what was wrong and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
    /// Whether the error is the nesting limit ([`MAX_DEPTH`]) rather than malformed JSON.
    pub too_deep: bool,
}

/// For each of `n` object keys (`key(i)`), whether an earlier key is the same: the one duplicate
/// check of the parser's objects, mock files and payload templates. Pairwise for small objects
/// (no allocation but the result), hashed for big ones so a 10,000-key object stays linear; one
/// `&str → usize` table type and a `dyn` key, so the playground's wasm carries this once.
pub(crate) fn repeated_keys<'k>(n: usize, key: &dyn Fn(usize) -> &'k str) -> Vec<bool> {
    if n <= 16 {
        return (0..n).map(|i| (0..i).any(|j| key(j) == key(i))).collect();
    }
    let mut seen: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
    seen.reserve(n);
    (0..n).map(|i| seen.insert(key(i), i).is_some()).collect()
}

/// Parses one JSON value (RFC 8259, nothing more: no comments, no trailing commas, no NaN).
/// Never panics; texts over 4 GiB are rejected since spans are `u32`.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    if text.len() > u32::MAX as usize {
        return Err(SyntaxError {
            message: "text is larger than 4 GiB".into(),
            span: Span::at(0),
            too_deep: false,
        });
    }
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
        member_stack: Vec::new(),
        item_stack: Vec::new(),
    };
    p.skip_ws();
    if p.pos >= p.bytes.len() {
        return Err(p.error_here("the text is empty: expected a JSON value"));
    }
    let node = p.value()?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        return Err(p.error_token("unexpected text after the end of the JSON value"));
    }
    Ok(node)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    /// Members and items of the containers being parsed, collected here and moved into an
    /// exactly-sized `Vec` when their container closes (one allocation per container, not a
    /// doubling series).
    member_stack: Vec<Member>,
    item_stack: Vec<Node>,
}

impl Parser<'_> {
    fn span_from(&self, start: usize) -> Span {
        Span::new(start as u32, self.pos as u32)
    }

    fn error_here(&self, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            message: message.into(),
            span: Span::at(self.pos as u32),
            too_deep: false,
        }
    }

    /// An error covering the character at the current position (or the end of input).
    fn error_token(&self, message: impl Into<String>) -> SyntaxError {
        let len = self
            .text
            .get(self.pos..)
            .and_then(|s| s.chars().next())
            .map_or(0, char::len_utf8);
        SyntaxError {
            message: message.into(),
            span: Span::new(self.pos as u32, (self.pos + len) as u32),
            too_deep: false,
        }
    }

    fn unexpected(&self, expected: &str) -> SyntaxError {
        match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            None => self.error_here(format!("unexpected end of input: expected {expected}")),
            Some(c) => self.error_token(format!("unexpected {}: expected {expected}", describe(c))),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Result<Node, SyntaxError> {
        let start = self.pos;
        let kind = match self.peek() {
            Some(b'{') => return self.object(),
            Some(b'[') => return self.array(),
            Some(b'"') => Kind::String(self.string()?),
            Some(b't') => self.literal("true", Kind::Bool(true))?,
            Some(b'f') => self.literal("false", Kind::Bool(false))?,
            Some(b'n') => self.literal("null", Kind::Null)?,
            Some(b'-' | b'0'..=b'9') => Kind::Number(self.number()?),
            _ => {
                return Err(self.unexpected(
                    "a JSON value (object, array, string, number, true, false or null)",
                ));
            }
        };
        Ok(Node {
            span: self.span_from(start),
            kind,
        })
    }

    fn literal(&mut self, word: &str, kind: Kind) -> Result<Kind, SyntaxError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            let end = self.pos + word.len();
            // `truex` is one bad token, not `true` followed by garbage.
            if !matches!(self.bytes.get(end), Some(b) if b.is_ascii_alphanumeric()) {
                self.pos = end;
                return Ok(kind);
            }
        }
        let start = self.pos;
        let mut end = start;
        while matches!(self.bytes.get(end), Some(b) if b.is_ascii_alphanumeric() || *b == b'_') {
            end += 1;
        }
        let token = self.text.get(start..end).unwrap_or("");
        Err(SyntaxError {
            message: format!(
                "unrecognised token '{token}': expected a JSON value (did you mean '{word}'?)"
            ),
            span: Span::new(start as u32, end as u32),
            too_deep: false,
        })
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let mut e = self.error_token(format!("JSON nested more than {MAX_DEPTH} levels deep"));
            e.too_deep = true;
            return Err(e);
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Node, SyntaxError> {
        let start = self.pos;
        self.enter()?;
        self.pos += 1;
        let base = self.member_stack.len();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                if self.peek() != Some(b'"') {
                    return Err(if self.peek() == Some(b'}') {
                        self.error_token("trailing comma before '}' is not allowed in JSON")
                    } else {
                        self.unexpected("a member name in double quotes")
                    });
                }
                let key_start = self.pos;
                let key = self.string()?;
                let key_span = self.span_from(key_start);
                self.skip_ws();
                if self.peek() != Some(b':') {
                    return Err(self.unexpected("':' after the member name"));
                }
                self.pos += 1;
                self.skip_ws();
                let value = self.value()?;
                self.member_stack.push(Member {
                    key,
                    key_span,
                    value,
                });
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.unexpected("',' or '}' after an object member")),
                }
            }
        }
        self.depth -= 1;
        Ok(Node {
            span: self.span_from(start),
            kind: Kind::Object(self.member_stack.drain(base..).collect()),
        })
    }

    fn array(&mut self) -> Result<Node, SyntaxError> {
        let start = self.pos;
        self.enter()?;
        self.pos += 1;
        let base = self.item_stack.len();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                if self.peek() == Some(b']') {
                    return Err(
                        self.error_token("trailing comma before ']' is not allowed in JSON")
                    );
                }
                let item = self.value()?;
                self.item_stack.push(item);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.unexpected("',' or ']' after an array element")),
                }
            }
        }
        self.depth -= 1;
        Ok(Node {
            span: self.span_from(start),
            kind: Kind::Array(self.item_stack.drain(base..).collect()),
        })
    }

    /// A string starting at the opening quote; leaves `pos` after the closing quote.
    fn string(&mut self) -> Result<String, SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut run = self.pos; // start of the current unescaped run
        loop {
            let Some(b) = self.peek() else {
                return Err(SyntaxError {
                    message: "unterminated string: missing closing '\"'".into(),
                    span: Span::new(open as u32, self.pos as u32),
                    too_deep: false,
                });
            };
            match b {
                b'"' => {
                    out.push_str(self.text.get(run..self.pos).unwrap_or(""));
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(self.text.get(run..self.pos).unwrap_or(""));
                    self.escape(&mut out)?;
                    run = self.pos;
                }
                0x00..=0x1f => {
                    return Err(self.error_token(
                        "control character in a string: write it as an escape such as \\n or \\u0000",
                    ));
                }
                _ => self.pos += 1,
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let hi = self.hex4(start)?;
                let c = if (0xD800..0xDC00).contains(&hi) {
                    if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                        return Err(
                            self.bad_escape(start, "lone leading surrogate in a \\u escape")
                        );
                    }
                    self.pos += 2;
                    let lo = self.hex4(start)?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return Err(
                            self.bad_escape(start, "invalid surrogate pair in a \\u escape")
                        );
                    }
                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                } else {
                    char::from_u32(hi)
                };
                let Some(c) = c else {
                    return Err(self.bad_escape(start, "lone trailing surrogate in a \\u escape"));
                };
                out.push(c);
                return Ok(());
            }
            _ => {
                self.pos = start;
                return Err(self.error_token_len(
                    2,
                    "invalid escape: use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX",
                ));
            }
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn error_token_len(&self, len: usize, message: &str) -> SyntaxError {
        let end = (self.pos + len).min(self.bytes.len());
        let mut end = end;
        while end < self.bytes.len() && !self.text.is_char_boundary(end) {
            end += 1;
        }
        SyntaxError {
            message: message.into(),
            span: Span::new(self.pos as u32, end as u32),
            too_deep: false,
        }
    }

    fn bad_escape(&self, start: usize, message: &str) -> SyntaxError {
        SyntaxError {
            message: message.into(),
            span: Span::new(start as u32, self.pos as u32),
            too_deep: false,
        }
    }

    fn hex4(&mut self, escape_start: usize) -> Result<u32, SyntaxError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => {
                    return Err(
                        self.bad_escape(escape_start, "a \\u escape needs four hexadecimal digits")
                    );
                }
            };
            v = v * 16 + u32::from(d);
            self.pos += 1;
        }
        Ok(v)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Number, SyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        match self.digits() {
            0 => return Err(self.unexpected("a digit")),
            n if n > 1 && self.bytes[int_start] == b'0' => {
                return Err(SyntaxError {
                    message: "numbers cannot have leading zeros".into(),
                    span: self.span_from(start),
                    too_deep: false,
                });
            }
            _ => {}
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            integer = false;
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.unexpected("a digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            integer = false;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.unexpected("a digit in the exponent"));
            }
        }
        let text = self.text.get(start..self.pos).unwrap_or("0");
        if integer {
            if let Ok(n) = text.parse::<u64>() {
                return Ok(Number::from(n));
            }
            if let Ok(n) = text.parse::<i64>() {
                return Ok(Number::from(n));
            }
        }
        // Floats, and integers too large for 64 bits (as serde_json reads them).
        crate::text::parse_f64(text)
            .and_then(Number::from_f64)
            .ok_or_else(|| SyntaxError {
                message: format!("number {text} is out of range"),
                span: self.span_from(start),
                too_deep: false,
            })
    }
}

fn describe(c: char) -> String {
    match c {
        '\'' => "single quote (JSON strings use double quotes)".into(),
        c if c.is_control() => format!("control character U+{:04X}", c as u32),
        c => format!("'{c}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> SyntaxError {
        parse(text).expect_err(text)
    }

    #[test]
    fn parses_values_with_spans() {
        let text = r#"{"a": [1, -2.5, "x\u00e9\n"], "b": null, "a": true}"#;
        let node = parse(text).expect("valid");
        let members = node.as_object().expect("object");
        assert_eq!(members.len(), 3, "duplicates are kept");
        assert_eq!(
            &text[members[0].key_span.start as usize..members[0].key_span.end as usize],
            "\"a\""
        );
        let items = members[0].value.as_array().expect("array");
        assert_eq!(
            &text[items[1].span.start as usize..items[1].span.end as usize],
            "-2.5"
        );
        assert_eq!(items[2].as_str(), Some("xé\n"));
        assert_eq!(
            node.get("a").map(|m| &m.value.kind),
            Some(&Kind::Bool(true))
        );
        assert_eq!(node.span, Span::new(0, text.len() as u32));
    }

    #[test]
    fn numbers_keep_integers_exact() {
        let node = parse("[18446744073709551615, -9223372036854775808, 1.0, 1e2, 1e400]");
        assert!(node.is_err(), "1e400 is out of range");
        let node = parse("[18446744073709551615, -9223372036854775808, 1.0, 1e2]").expect("valid");
        let v = node.to_value().to_json_string();
        assert_eq!(v, "[18446744073709551615,-9223372036854775808,1.0,100.0]");
    }

    #[test]
    fn rejects_what_rfc_8259_rejects() {
        for bad in [
            "",
            " ",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            ".5",
            "+1",
            "-",
            "1e",
            "'a'",
            "{a:1}",
            "\"\\x\"",
            "\"\\ud800\"",
            "\"a\nb\"",
            "nul",
            "truex",
            "[1 2]",
            "{\"a\" 1}",
            "1 2",
            "NaN",
            "\"\\u12\"",
            "\"abc",
            "[",
            "{\"a\":}",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn errors_point_at_the_offending_token() {
        let e = err("{\n  \"a\": 1,\n}");
        assert_eq!(e.span.start, 12);
        assert!(e.message.contains("trailing comma"), "{}", e.message);
        let e = err("{\"a\": tru}");
        assert_eq!(e.span, Span::new(6, 9));
        let e = err("[1, 2");
        assert_eq!(e.span, Span::at(5));
        assert!(e.message.contains("end of input"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        let e = err(&text);
        assert!(e.too_deep);
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let obj = "{\"a\":".repeat(MAX_DEPTH + 1);
        assert!(err(&obj).too_deep);
    }

    #[test]
    fn repeated_keys_marks_each_later_copy_small_and_big() {
        // Below and above the pairwise limit (16): the hashed way gives the same answers.
        for n in [0, 1, 5, 16, 17, 40] {
            let keys: Vec<String> = (0..n).map(|i| format!("k{}", i % 7)).collect();
            let got = repeated_keys(n, &|i| keys[i].as_str());
            let want: Vec<bool> = (0..n).map(|i| i >= 7).collect();
            assert_eq!(got, want, "{n} keys");
        }
    }
}
