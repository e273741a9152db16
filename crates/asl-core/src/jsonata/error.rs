//! Errors of compiling and evaluating a JSONata expression, with JSONata's codes.
//!
//! Owns [`JsonataError`]: the code (`S0201`, `T2001`, `D3001`, `U1001`, …) that JSONata's own test
//! suite checks, the byte offset in the expression where it applies, the offending token or value
//! and a message in JSONata's wording. Not owned here: how the executor turns an error into
//! `States.QueryEvaluationError` or the validator into `INVALID_JSONATA_EXPRESSION`.

use std::fmt;

/// A compile-time (`S…`) or run-time (`T…`, `D…`, `U…`) JSONata error.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonataError {
    /// JSONata's error code, e.g. `"S0202"`.
    pub code: &'static str,
    /// Byte offset in the expression text (the start of the offending token), when known.
    pub position: Option<usize>,
    /// The offending token, when there is one.
    pub token: Option<String>,
    /// Human-readable message in JSONata's wording.
    pub message: String,
}

impl JsonataError {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        JsonataError {
            code,
            position: None,
            token: None,
            message: message.into(),
        }
    }

    pub(crate) fn at(mut self: Box<Self>, position: usize) -> Box<Self> {
        if self.position.is_none() {
            self.position = Some(position);
        }
        self
    }

    /// Notes the offending token (the function's name for a call) and puts it in the message
    /// where JSONata's template has `{{token}}` (printed as a JSON string, as JSONata does).
    pub(crate) fn token(mut self: Box<Self>, token: impl Into<String>) -> Box<Self> {
        if self.token.is_none() {
            let token = token.into();
            if self.message.contains("{{token}}") {
                let mut quoted = String::new();
                super::jv::write_json_str(&mut quoted, &token);
                self.message = self.message.replace("{{token}}", &quoted);
            }
            self.token = Some(token);
        }
        self
    }

    /// Line and column (both 1-based, column in characters) of [`JsonataError::position`] in
    /// `text`.
    pub fn line_column(&self, text: &str) -> Option<(usize, usize)> {
        let pos = self.position?.min(text.len());
        let before = text.get(..pos)?;
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Some((line, col))
    }
}

impl fmt::Display for JsonataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // AWS quotes JSONata errors as `code: message` (the position is not part of it).
        write!(
            f,
            "{}: {}",
            self.code,
            self.message.replace("{{token}}", "undefined")
        )
    }
}

impl std::error::Error for JsonataError {}

/// Errors travel boxed inside the evaluator: every evaluation step returns a `JResult`, and a
/// small `Err` keeps that result (and the copying of it) small.
pub(crate) type JResult<T> = Result<T, Box<JsonataError>>;

/// Shorthand: an error with a code and message.
pub(crate) fn err(code: &'static str, message: impl Into<String>) -> Box<JsonataError> {
    Box::new(JsonataError::new(code, message))
}
