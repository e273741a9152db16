//! Intrinsic functions (`States.Format(...)`, `States.Array(...)`, ...) in JSONPath payload templates.
//!
//! Owns [`Call`]: a parsed intrinsic-call string (string, number, boolean and null literals, paths
//! on `$`, `$$` and `$variables`, nested calls), its static checks (known function, syntax) with
//! byte offsets for diagnostics, and its evaluation with AWS's argument rules and error texts. The
//! parser is the `parser` module; what each `States.*` function does, the `functions` module.
//!
//! Rules AWS follows where the specification says otherwise (recordings in
//! `shared/conformance/tiny-asl-machine.jsonl`, AWS 2026; see `docs/aws-vs-spec.md`):
//! - Every failure is `States.Runtime`, never the specification's `States.IntrinsicFailure`
//!   (no recording of any source shows that name), so `States.ALL` does not catch it. A rejected
//!   argument reads `There was an error while evaluating the intrinsic function: <call as
//!   written>. Invalid arguments in States.X` (`tam/States.MathAdd/017-reject-string-first-operand`);
//!   a path argument that matches nothing reads `The function '<call>' had the following error:
//!   The JsonPath argument for the field '<path>' could not be found in the input '<input>'`
//!   (`tam/States.Hash/029-reject-missing-data-path`). Whether an argument is a literal or a path
//!   does not matter (`tam/States.ArrayLength/009` vs `/010`).
//! - The number of arguments is checked when the call runs, not at creation
//!   (`tam/States.MathAdd/022-reject-extra-third-argument`); [`Call::arity_problems`] is for
//!   warnings.
//! - `States.MathAdd` works on Java `int`s: operands and sum outside 32 bits fail
//!   (`tam/States.MathAdd/011-fail-sum-overflow-int32`).
//! - `States.ArrayRange` and `States.ArrayPartition` round non-integer arguments half up, as
//!   `States.MathAdd` does (`tam/States.ArrayRange/004-round-all-arguments`); a step or chunk size
//!   that rounds to 0 fails (`tam/States.ArrayRange/016-rounded-zero-step`).
//!
//! Behaviour follows what AWS recorded (see `/work/shared/conformance`, category
//! `intrinsic_functions`): `States.Format` prints objects and arrays as Java's `toString` does
//! (`{a=1, b=[]}`), `States.MathAdd` rounds each argument half up (Java's `Math.round`),
//! `States.StringSplit` splits on any of the delimiter's characters and drops empty tokens (Java's
//! `StringTokenizer`), `States.StringToJson` of a blank string is `null`. Why hand-written: these
//! are AWS's own functions; no crate implements them. Hashing and Base64 use RustCrypto's `md-5`,
//! `sha1`, `sha2` and the `base64` crate.
//!
//! Not owned here: where calls may appear ([`crate::template`]), path evaluation ([`crate::path`]),
//! randomness (injected [`Rng`]).

mod functions;
mod parser;
#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod tests_support;

use std::fmt;
use std::sync::Arc;

use crate::env::Rng;
use crate::error::ExecError;
use crate::path::{Path, Root, Scope};
use crate::value::Value;

/// The intrinsic functions AWS defines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Format,
    StringToJson,
    JsonToString,
    Array,
    ArrayPartition,
    ArrayContains,
    ArrayRange,
    ArrayGetItem,
    ArrayLength,
    ArrayUnique,
    Base64Encode,
    Base64Decode,
    Hash,
    JsonMerge,
    MathRandom,
    MathAdd,
    StringSplit,
    Uuid,
}

const FUNCS: [(&str, Func); 18] = [
    ("States.Format", Func::Format),
    ("States.StringToJson", Func::StringToJson),
    ("States.JsonToString", Func::JsonToString),
    ("States.Array", Func::Array),
    ("States.ArrayPartition", Func::ArrayPartition),
    ("States.ArrayContains", Func::ArrayContains),
    ("States.ArrayRange", Func::ArrayRange),
    ("States.ArrayGetItem", Func::ArrayGetItem),
    ("States.ArrayLength", Func::ArrayLength),
    ("States.ArrayUnique", Func::ArrayUnique),
    ("States.Base64Encode", Func::Base64Encode),
    ("States.Base64Decode", Func::Base64Decode),
    ("States.Hash", Func::Hash),
    ("States.JsonMerge", Func::JsonMerge),
    ("States.MathRandom", Func::MathRandom),
    ("States.MathAdd", Func::MathAdd),
    ("States.StringSplit", Func::StringSplit),
    ("States.UUID", Func::Uuid),
];

impl Func {
    pub fn name(self) -> &'static str {
        FUNCS
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("States.?", |(n, _)| n)
    }

    pub fn from_name(name: &str) -> Option<Func> {
        FUNCS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    /// Allowed argument counts: (min, max); `None` max means any number.
    fn arity(self) -> (usize, Option<usize>) {
        match self {
            Func::Format => (1, None),
            Func::Array => (0, None),
            Func::Uuid => (0, Some(0)),
            Func::StringToJson
            | Func::JsonToString
            | Func::ArrayLength
            | Func::ArrayUnique
            | Func::Base64Encode
            | Func::Base64Decode => (1, Some(1)),
            Func::ArrayPartition
            | Func::ArrayContains
            | Func::ArrayGetItem
            | Func::Hash
            | Func::MathAdd
            | Func::StringSplit => (2, Some(2)),
            Func::ArrayRange | Func::JsonMerge => (3, Some(3)),
            Func::MathRandom => (2, Some(3)),
        }
    }
}

/// One argument of a call.
#[derive(Clone, Debug)]
pub enum Arg {
    Literal(Value),
    Path(Path),
    Call(Box<Call>),
}

/// A compiled intrinsic call.
#[derive(Clone, Debug)]
pub struct Call {
    func: Func,
    args: Vec<Arg>,
    /// For `States.Format` with a literal template: the template pre-split at its `{}`s (or why
    /// it cannot be, reported when the call runs, as AWS does).
    format: Option<Result<Vec<FormatPiece>, String>>,
    /// The call as written (`States.MathAdd($.a, 1)`): AWS quotes it in its causes.
    text: Arc<str>,
}

/// Why a call failed, before [`Call::eval`] words it as AWS does around the call's text.
enum Failure {
    /// A function rejected its arguments: `Invalid arguments in States.X` (or the function's own
    /// words, e.g. `States.Format`'s template errors).
    Arguments(String),
    /// A `$` or `$$` path argument matched nothing.
    MissingPath(String),
    /// Anything else (an undefined `$variable`), already worded.
    Other(ExecError),
}

#[derive(Clone, Debug, PartialEq)]
enum FormatPiece {
    Text(String),
    Hole,
}

/// What went wrong while parsing a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntrinsicErrorKind {
    /// Malformed text (unbalanced parentheses, bad literal, ...).
    Syntax,
    UnknownFunction,
    /// An argument path that does not parse.
    InvalidPath,
}

/// A parse failure with the byte offset into the call text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntrinsicError {
    pub kind: IntrinsicErrorKind,
    pub message: String,
    pub offset: usize,
}

impl fmt::Display for IntrinsicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at offset {})", self.message, self.offset)
    }
}

impl std::error::Error for IntrinsicError {}

impl Call {
    /// Whether `text` is meant as an intrinsic call (starts with `States.` and a `(`), as opposed
    /// to a path.
    pub fn looks_like_call(text: &str) -> bool {
        text.trim_start().starts_with("States.")
    }

    /// Parses `States.Name(arg, ...)`, nested calls included.
    pub fn parse(text: &str) -> Result<Call, IntrinsicError> {
        parser::parse(text)
    }

    pub fn func(&self) -> Func {
        self.func
    }

    pub fn args(&self) -> &[Arg] {
        &self.args
    }

    /// The call as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Evaluates the call. Every failure is `States.Runtime`, worded as AWS words it around the
    /// text of this (outermost) call: `There was an error while evaluating the intrinsic function:
    /// <call>. Invalid arguments in States.X` for arguments a function rejects (their number
    /// included), and `The function '<call>' had the following error: The JsonPath argument for
    /// the field '<path>' could not be found in the input '<input>'` for a path argument that
    /// matches nothing.
    pub fn eval(&self, scope: &Scope, rng: &mut Rng) -> Result<Value, ExecError> {
        self.eval_inner(scope, rng).map_err(|f| match f {
            Failure::Arguments(msg) => ExecError::runtime(format!(
                "There was an error while evaluating the intrinsic function: {}. {msg}",
                self.text
            )),
            Failure::MissingPath(path) => ExecError::runtime(format!(
                "The function '{}' had the following error: The JsonPath argument for the field '{path}' could not be found in the input '{}'",
                self.text,
                scope.input.to_json_string()
            )),
            Failure::Other(e) => e,
        })
    }

    fn eval_inner(&self, scope: &Scope, rng: &mut Rng) -> Result<Value, Failure> {
        // The number of arguments is checked when the call runs, not when the definition is
        // created: AWS accepts `States.MathAdd(1, 2, 999)` and fails the execution.
        self.check_arity().map_err(Failure::Arguments)?;
        let arg = |a: &Arg, rng: &mut Rng| match a {
            Arg::Literal(v) => Ok(v.clone()),
            Arg::Path(p) => p.select(scope).map_err(|nf| match p.root() {
                Root::Variable(_) => Failure::Other(p.invalid_path_error(&nf)),
                Root::Input | Root::Context => Failure::MissingPath(p.as_str().to_string()),
            }),
            Arg::Call(c) => c.eval_inner(scope, rng),
        };
        // Most calls take at most three arguments: evaluated into a stack array, since a
        // `Vec` per call (e.g. `States.MathAdd` in a loop) showed in profiles.
        if self.args.len() <= 3 {
            let mut buf = [Value::Null, Value::Null, Value::Null];
            for (slot, a) in buf.iter_mut().zip(&self.args) {
                *slot = arg(a, rng)?;
            }
            self.apply(&buf[..self.args.len()], rng)
        } else {
            let args = self
                .args
                .iter()
                .map(|a| arg(a, rng))
                .collect::<Result<Vec<_>, _>>()?;
            self.apply(&args, rng)
        }
    }

    /// Whether the call has a number of arguments its function takes; AWS's message when not.
    fn check_arity(&self) -> Result<(), String> {
        let (min, max) = self.func.arity();
        let n = self.args.len();
        if n >= min && max.is_none_or(|m| n <= m) {
            return Ok(());
        }
        Err(match self.func {
            Func::JsonToString => {
                "Invalid arguments in States.JsonToString: only a single argument is allowed."
                    .into()
            }
            f => format!("Invalid arguments in {}", f.name()),
        })
    }

    /// Calls (this one and nested ones) whose number of arguments their function does not take.
    /// AWS accepts such a definition and fails when the call runs, so this is for warnings.
    pub fn arity_problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_arity_problems(&mut out);
        out
    }

    fn collect_arity_problems(&self, out: &mut Vec<String>) {
        let (min, max) = self.func.arity();
        let n = self.args.len();
        if n < min || max.is_some_and(|m| n > m) {
            let expected = match max {
                Some(m) if m == min => format!("{min}"),
                Some(m) => format!("{min} to {m}"),
                None => format!("at least {min}"),
            };
            out.push(format!(
                "{} takes {expected} argument(s), {n} given",
                self.func.name()
            ));
        }
        for a in &self.args {
            if let Arg::Call(c) = a {
                c.collect_arity_problems(out);
            }
        }
    }
}
