//! The parser of an intrinsic-call string (`States.Format('{}', $.a)`) into a [`Call`] tree:
//! single-quoted strings with `\'`, `\\`, `\{`, `\}` escapes, numbers, `true`/`false`/`null`,
//! paths (`$`, `$$`, `$name`), nested calls (at most 10 deep, as AWS allows), with byte offsets
//! for diagnostics. The number of arguments is not checked here (AWS checks it at run time).
//!
//! Not owned here: the path language ([`crate::path`]), what the functions do
//! ([`super::functions`]).

use super::functions::split_format;
use super::{Arg, Call, Func, IntrinsicError, IntrinsicErrorKind};
use crate::path::Path;
use crate::value::Value;

/// Parses `States.Name(arg, ...)`, nested calls included.
pub(super) fn parse(text: &str) -> Result<Call, IntrinsicError> {
    let mut p = CallParser {
        text,
        pos: 0,
        depth: 0,
    };
    p.skip_ws();
    let call = p.call()?;
    p.skip_ws();
    if p.pos < text.len() {
        return p.err(
            IntrinsicErrorKind::Syntax,
            "unexpected text after the closing ')'",
        );
    }
    Ok(call)
}

/// AWS allows up to 10 intrinsic functions nested within a field.
const MAX_NESTING: usize = 10;

struct CallParser<'t> {
    text: &'t str,
    pos: usize,
    /// Calls open around the current position (bounds recursion on hostile input, too).
    depth: usize,
}

impl<'t> CallParser<'t> {
    fn err<T>(
        &self,
        kind: IntrinsicErrorKind,
        message: impl Into<String>,
    ) -> Result<T, IntrinsicError> {
        Err(IntrinsicError {
            kind,
            message: message.into(),
            offset: self.pos,
        })
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn call(&mut self) -> Result<Call, IntrinsicError> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_')
        {
            self.pos += 1;
        }
        let name = &self.text[start..self.pos];
        let Some(func) = Func::from_name(name) else {
            self.pos = start;
            return self.err(
                IntrinsicErrorKind::UnknownFunction,
                format!("unknown intrinsic function '{name}'"),
            );
        };
        self.skip_ws();
        if self.peek() != Some(b'(') {
            return self.err(
                IntrinsicErrorKind::Syntax,
                format!("expected '(' after {name}"),
            );
        }
        self.pos += 1;
        let mut args = Vec::new();
        let mut raw_first: Option<String> = None;
        self.skip_ws();
        if self.peek() == Some(b')') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                if args.is_empty() && self.peek() == Some(b'\'') {
                    let (value, raw) = self.string()?;
                    raw_first = Some(raw);
                    args.push(Arg::Literal(value));
                } else {
                    args.push(self.arg()?);
                }
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b')') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return self.err(IntrinsicErrorKind::Syntax, "expected ',' or ')'"),
                }
            }
        }
        // The number of arguments is not checked here: AWS accepts a definition whose call has
        // too many or too few and fails when the call runs ([`Call::arity_problems`] warns).
        let format = match (func, raw_first) {
            (Func::Format, Some(raw)) => Some(split_format(&raw, true)),
            _ => None,
        };
        Ok(Call {
            func,
            args,
            format,
            text: self.text[start..self.pos].into(),
        })
    }

    fn arg(&mut self) -> Result<Arg, IntrinsicError> {
        match self.peek() {
            Some(b'\'') => Ok(Arg::Literal(self.string()?.0)),
            Some(b'$') => {
                let start = self.pos;
                // A path runs to the next ',' or ')' outside brackets and quotes.
                let mut depth = 0i32;
                let mut quote: Option<u8> = None;
                while let Some(b) = self.peek() {
                    match (quote, b) {
                        (Some(q), b) if b == q => quote = None,
                        (Some(_), b'\\') => self.pos += 1,
                        (Some(_), _) => {}
                        (None, b'\'' | b'"') => quote = Some(b),
                        (None, b'[' | b'(') => depth += 1,
                        (None, b']') => depth -= 1,
                        (None, b')') if depth > 0 => depth -= 1,
                        (None, b',' | b')') if depth <= 0 => break,
                        _ => {}
                    }
                    self.pos += 1;
                }
                let end = self.pos.min(self.text.len());
                let text = self.text[start..end].trim_end();
                Path::parse(text)
                    .map(Arg::Path)
                    .map_err(|e| IntrinsicError {
                        kind: IntrinsicErrorKind::InvalidPath,
                        message: format!("invalid path '{text}': {}", e.message),
                        offset: start + e.offset,
                    })
            }
            Some(b'S') => {
                if self.depth >= MAX_NESTING {
                    return self.err(
                        IntrinsicErrorKind::Syntax,
                        format!("intrinsic functions can be nested at most {MAX_NESTING} deep"),
                    );
                }
                self.depth += 1;
                let call = self.call();
                self.depth -= 1;
                Ok(Arg::Call(Box::new(call?)))
            }
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                while self.peek().is_some_and(|b| {
                    b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')
                }) {
                    self.pos += 1;
                }
                match Value::parse(&self.text[start..self.pos]) {
                    Ok(v @ Value::Number(_)) => Ok(Arg::Literal(v)),
                    _ => {
                        self.pos = start;
                        self.err(IntrinsicErrorKind::Syntax, "invalid number")
                    }
                }
            }
            _ => {
                for (word, v) in [
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                    ("null", Value::Null),
                ] {
                    let rest = &self.text[self.pos..];
                    if rest.starts_with(word)
                        && !rest
                            .as_bytes()
                            .get(word.len())
                            .is_some_and(|b| b.is_ascii_alphanumeric())
                    {
                        self.pos += word.len();
                        return Ok(Arg::Literal(v));
                    }
                }
                self.err(
                    IntrinsicErrorKind::Syntax,
                    "expected an argument: a 'string', a number, true, false, null, a path or a States.* call",
                )
            }
        }
    }

    /// A single-quoted string: `\'`, `\\`, `\{`, `\}` are escapes. Returns the value (every escape
    /// resolved) and the raw text with only `\'` and `\\` resolved, for `States.Format`'s holes.
    fn string(&mut self) -> Result<(Value, String), IntrinsicError> {
        let start = self.pos;
        self.pos += 1;
        let mut value = String::new();
        let mut raw = String::new();
        loop {
            let Some(c) = self.text[self.pos..].chars().next() else {
                self.pos = start;
                return self.err(IntrinsicErrorKind::Syntax, "unterminated string literal");
            };
            self.pos += c.len_utf8();
            match c {
                '\'' => return Ok((Value::from(value), raw)),
                '\\' => match self.text[self.pos..].chars().next() {
                    Some(e @ ('\'' | '\\')) => {
                        self.pos += 1;
                        value.push(e);
                        // Keep a resolved backslash escaped so the format splitter sees a literal one.
                        if e == '\\' {
                            raw.push_str("\\\\");
                        } else {
                            raw.push(e);
                        }
                    }
                    Some(e @ ('{' | '}')) => {
                        self.pos += 1;
                        value.push(e);
                        raw.push('\\');
                        raw.push(e);
                    }
                    _ => {
                        value.push('\\');
                        raw.push_str("\\\\");
                    }
                },
                c => {
                    value.push(c);
                    raw.push(c);
                }
            }
        }
    }
}
