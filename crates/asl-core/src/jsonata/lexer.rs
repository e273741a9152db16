//! The JSONata tokenizer: expression text → tokens with byte positions.
//!
//! Owns the token rules of JSONata 2.0.6: operators (one and two characters), string literals with
//! JSON escapes, numbers, back-quoted names, `$variables`, `/* comments */` and regex literals
//! (recognised only where an operand is expected, so `a / b` stays a division). 2.1's `??` and `?:`
//! are not tokens here, as in 2.0.6. Not owned here: grammar ([`super::parser`]).

use super::error::{JResult, err};

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    Op(&'static str),
    Name(String),
    Var(String),
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Regex { pattern: String, flags: String },
    End,
}

#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub tok: Tok,
    /// Byte offset of the token's first character.
    pub start: usize,
}

const OPS1: &[&str] = &[
    ".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?", "+", "-", "*", "/", "%", "|",
    "=", "<", ">", "^", "&", "!", "~",
];
const OPS2: &[&str] = &["..", ":=", "!=", ">=", "<=", "**", "~>"];

fn is_op_char(c: char) -> bool {
    matches!(
        c,
        '.' | '['
            | ']'
            | '{'
            | '}'
            | '('
            | ')'
            | ','
            | '@'
            | '#'
            | ';'
            | ':'
            | '?'
            | '+'
            | '-'
            | '*'
            | '/'
            | '%'
            | '|'
            | '='
            | '<'
            | '>'
            | '^'
            | '&'
            | '!'
            | '~'
    )
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}')
}

pub(crate) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str) -> Self {
        Lexer { src, pos: 0 }
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    /// The next token. `infix` tells that an operator is expected (so `/` is a division, not the
    /// start of a regex).
    pub fn next(&mut self, infix: bool) -> JResult<Token> {
        let bytes = self.src.as_bytes();
        // Whitespace and comments.
        loop {
            while let Some(c) = self.peek() {
                if is_space(c) {
                    self.pos += c.len_utf8();
                } else {
                    break;
                }
            }
            if self.src[self.pos..].starts_with("/*") {
                let start = self.pos;
                match self.src[self.pos + 2..].find("*/") {
                    Some(i) => self.pos += 2 + i + 2,
                    None => {
                        return Err(err("S0106", "Comment has no closing tag").at(start));
                    }
                }
                continue;
            }
            break;
        }
        let start = self.pos;
        let Some(c) = self.peek() else {
            return Ok(Token {
                tok: Tok::End,
                start,
            });
        };
        if !infix && c == '/' {
            self.pos += 1;
            return self.regex(start);
        }
        if self.pos + 1 < bytes.len() {
            let two = &self.src.as_bytes()[self.pos..self.pos + 2];
            for op in OPS2 {
                if op.as_bytes() == two {
                    self.pos += 2;
                    return Ok(Token {
                        tok: Tok::Op(op),
                        start,
                    });
                }
            }
        }
        if is_op_char(c) {
            self.pos += 1;
            let op = OPS1
                .iter()
                .find(|o| o.starts_with(c))
                .copied()
                .unwrap_or(".");
            return Ok(Token {
                tok: Tok::Op(op),
                start,
            });
        }
        if c == '"' || c == '\'' {
            self.pos += 1;
            return self.string(c, start);
        }
        if c.is_ascii_digit() {
            return self.number(start);
        }
        if c == '`' {
            self.pos += 1;
            return match self.src[self.pos..].find('`') {
                Some(i) => {
                    let name = self.src[self.pos..self.pos + i].to_string();
                    self.pos += i + 1;
                    Ok(Token {
                        tok: Tok::Name(name),
                        start,
                    })
                }
                None => Err(err(
                    "S0105",
                    "Quoted property name must be terminated with a backquote (`)",
                )
                .at(start)),
            };
        }
        // A name or a variable: up to whitespace or an operator character.
        let mut end = self.pos;
        for (i, ch) in self.src[self.pos..].char_indices() {
            if is_space(ch) || is_op_char(ch) {
                end = self.pos + i;
                break;
            }
            end = self.pos + i + ch.len_utf8();
        }
        let text = &self.src[self.pos..end];
        self.pos = end;
        if let Some(var) = text.strip_prefix('$') {
            return Ok(Token {
                tok: Tok::Var(var.to_string()),
                start,
            });
        }
        let tok = match text {
            "or" => Tok::Op("or"),
            "and" => Tok::Op("and"),
            "in" => Tok::Op("in"),
            "true" => Tok::Bool(true),
            "false" => Tok::Bool(false),
            "null" => Tok::Null,
            _ => Tok::Name(text.to_string()),
        };
        Ok(Token { tok, start })
    }

    fn string(&mut self, quote: char, start: usize) -> JResult<Token> {
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(err(
                    "S0101",
                    "String literal must be terminated by a matching quote",
                )
                .at(start));
            };
            self.pos += c.len_utf8();
            if c == quote {
                return Ok(Token {
                    tok: Tok::Str(out),
                    start,
                });
            }
            if c != '\\' {
                out.push(c);
                continue;
            }
            let Some(e) = self.peek() else {
                return Err(err(
                    "S0101",
                    "String literal must be terminated by a matching quote",
                )
                .at(start));
            };
            self.pos += e.len_utf8();
            match e {
                '"' => out.push('"'),
                '\\' => out.push('\\'),
                '/' => out.push('/'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'u' => {
                    let unit = self.hex4().ok_or_else(|| {
                        err(
                            "S0104",
                            "The escape sequence \\u must be followed by 4 hex digits",
                        )
                        .at(self.pos)
                    })?;
                    // A surrogate pair spelled as two escapes makes one character.
                    if (0xD800..0xDC00).contains(&unit) && self.src[self.pos..].starts_with("\\u") {
                        let save = self.pos;
                        self.pos += 2;
                        match self.hex4() {
                            Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                                let cp = 0x10000 + ((unit - 0xD800) << 10) + (lo - 0xDC00);
                                out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                                continue;
                            }
                            _ => self.pos = save,
                        }
                    }
                    out.push(char::from_u32(unit).unwrap_or('\u{FFFD}'));
                }
                other => {
                    return Err(
                        err("S0103", format!("Unsupported escape sequence: \\{other}"))
                            .at(self.pos)
                            .token(other.to_string()),
                    );
                }
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let h = self.src.get(self.pos..self.pos + 4)?;
        if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += 4;
        u32::from_str_radix(h, 16).ok()
    }

    fn number(&mut self, start: usize) -> JResult<Token> {
        let b = self.src.as_bytes();
        let mut i = self.pos;
        if b.get(i) == Some(&b'0') {
            i += 1;
        } else {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
        if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            let mut j = i + 1;
            if matches!(b.get(j), Some(b'+' | b'-')) {
                j += 1;
            }
            if b.get(j).is_some_and(u8::is_ascii_digit) {
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                i = j;
            }
        }
        let text = &self.src[self.pos..i];
        self.pos = i;
        let n = crate::text::parse_f64(text).unwrap_or(f64::NAN);
        if !n.is_finite() {
            return Err(err("S0102", format!("Number out of range: {text}"))
                .at(start)
                .token(text));
        }
        Ok(Token {
            tok: Tok::Num(n),
            start,
        })
    }

    fn regex(&mut self, start: usize) -> JResult<Token> {
        let b = self.src.as_bytes();
        let body = self.pos;
        let mut depth: i32 = 0;
        let mut i = self.pos;
        while i < b.len() {
            let c = b[i];
            if c == b'/' && depth == 0 {
                let mut backslashes = 0;
                while i > backslashes && b[i - backslashes - 1] == b'\\' {
                    backslashes += 1;
                }
                if backslashes % 2 == 0 {
                    let pattern = &self.src[body..i];
                    if pattern.is_empty() {
                        return Err(err("S0301", "Empty regular expressions are not allowed").at(i));
                    }
                    let mut j = i + 1;
                    while j < b.len() && (b[j] == b'i' || b[j] == b'm') {
                        j += 1;
                    }
                    let flags = self.src[i + 1..j].to_string();
                    self.pos = j;
                    return Ok(Token {
                        tok: Tok::Regex {
                            pattern: pattern.to_string(),
                            flags,
                        },
                        start,
                    });
                }
            }
            let escaped = i > 0 && b[i - 1] == b'\\';
            if matches!(c, b'(' | b'[' | b'{') && !escaped {
                depth += 1;
            }
            if matches!(c, b')' | b']' | b'}') && !escaped {
                depth -= 1;
            }
            i += 1;
        }
        Err(err("S0302", "No terminating / in regular expression").at(start))
    }

    pub fn src(&self) -> &'a str {
        self.src
    }

    /// Continues lexing from byte `pos` (after a lambda signature, read as raw text).
    pub fn seek(&mut self, pos: usize) {
        self.pos = pos.min(self.src.len());
    }
}
