//! JSONata 2.0.6, the query language of `"QueryLanguage": "JSONata"` states, over asl-core's
//! shared [`Value`]s.
//!
//! Owns compiling an expression once ([`Expr::compile`]) and evaluating it many times
//! ([`Expr::evaluate`]) with every built-in function but `$eval`, plus AWS's additions
//! (`$partition`, `$range`, `$hash`, `$random([seed])`, `$uuid`, `$parse`). Pure like the rest of the
//! core: `$now()`/`$millis()` read [`EvalEnv::now_ms`] (frozen for one evaluation) and randomness
//! comes from [`EvalEnv::seed`]. Runaway expressions stop with `U1001` at
//! [`EvalEnv::max_depth`] nested evaluations, at a measured stack budget ([`stack`]) or at
//! [`EvalEnv::max_steps`] evaluation steps, before any native or browser stack overflows; the
//! parser refuses nesting past the same kind of bounds (`S0201`).
//!
//! Not owned here: where expressions appear in a definition and what their results mean (the
//! executor and validator). How they are meant to bind:
//! - A field value `"{% expr %}"` (the whole string, at any depth of the field's JSON) is compiled
//!   once per definition with [`Expr::compile`] on the text between `{%` and `%}`; a
//!   [`JsonataError`] from compiling carries the byte offset *inside that text* (add the offset of
//!   the text in the definition to report `INVALID_JSONATA_EXPRESSION` at line:column).
//! - Evaluation passes `$states` and the workflow variables through [`Variables`]: the executor
//!   implements it over its own scope chain (or fills a [`Bindings`]); values are shared, never
//!   converted. The input argument is what `$` means; AWS forbids `$` at the top level of an
//!   expression, so the executor can pass `$states.input` or nothing.
//! - `Ok(None)` is JSONata's undefined (AWS: `States.QueryEvaluationError`, "returned nothing").
//!   A function result is an error with code [`UNSUPPORTED_RESULT`] (AWS: "returned an
//!   unsupported result type."). Other errors print as AWS quotes them (`T0410: Argument 1 of
//!   function "random" does not match function signature`), for the `Cause` after "threw an error
//!   during evaluation.".
//!
//! Why a hand-written evaluator: no crate met the goals (see issue #11: wasm without a clock,
//! seeded `$random`, JS regexes, sharing `Value`s without conversion). Borrowed parts: `regress`
//! (JavaScript regex semantics; a build may give another [`RegexEngine`], the playground gives
//! JavaScript's own), `ryu-js` (JavaScript number printing), RustCrypto hashes.
//!
//! Layout: [`lexer`] → [`parser`] ([`ast`]) → [`eval`] over [`jv`] values, with [`fast`] as the
//! shortcut for the plain expressions most states hold and [`stack`] bounding stack use; built-ins in
//! [`functions`], pictures in [`format`] and [`datetime`], signatures in [`signature`], regexes in
//! [`regex`], transforms in [`transform`], errors in [`error`].

mod ast;
mod datetime;
mod error;
mod eval;
mod fast;
mod format;
mod functions;
mod integer;
mod jv;
mod lexer;
mod parser;
mod regex;
mod signature;
mod stack;
mod transform;

use std::sync::Arc;

pub use error::JsonataError;
pub use regex::{CompiledRegex, Found, RegexEngine, set_regex_engine};

use crate::value::Value;

/// Where an expression's variables come from (`$states`, workflow variables, test bindings).
pub trait Variables {
    /// The value bound to `$name` (without the `$`), if any.
    fn get(&self, name: &str) -> Option<Value>;

    /// `$name` borrowed, for a source that holds its values (no reference count touched on
    /// the shortcut's paths): `Some` when this source answers by reference (`Some(None)`:
    /// unbound), `None` to read [`Variables::get`] instead.
    fn get_ref(&self, _name: &str) -> Option<Option<&Value>> {
        None
    }

    /// `$name.key` borrowed, without building `$name` first (the executor's `$states.input`):
    /// `Some` when this source answers it directly (`Some(None)`: `$name` has no such member),
    /// `None` to read [`Variables::get_ref`] / [`Variables::get`] instead.
    fn get_member(&self, _name: &str, _key: &str) -> Option<Option<&Value>> {
        None
    }
}

/// A small list of bindings, for callers that have no scope chain of their own.
#[derive(Clone, Debug, Default)]
pub struct Bindings {
    vars: Vec<(Arc<str>, Value)>,
}

impl Bindings {
    pub fn new() -> Self {
        Bindings::default()
    }

    /// Binds (or rebinds) `$name`.
    pub fn set(&mut self, name: &str, value: Value) {
        match self.vars.iter_mut().find(|(k, _)| &**k == name) {
            Some(slot) => slot.1 = value,
            None => self.vars.push((name.into(), value)),
        }
    }

    pub fn with(mut self, name: &str, value: Value) -> Self {
        self.set(name, value);
        self
    }
}

impl Variables for Bindings {
    fn get(&self, name: &str) -> Option<Value> {
        self.vars
            .iter()
            .find(|(k, _)| &**k == name)
            .map(|(_, v)| v.clone())
    }

    fn get_ref(&self, name: &str) -> Option<Option<&Value>> {
        Some(self.vars.iter().find(|(k, _)| &**k == name).map(|(_, v)| v))
    }
}

/// No variables at all.
pub struct NoVariables;

impl Variables for NoVariables {
    fn get(&self, _: &str) -> Option<Value> {
        None
    }
}

/// What one evaluation may know of the outside world, and its limits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalEnv {
    /// `$now()` / `$millis()`: virtual time in milliseconds since the Unix epoch.
    pub now_ms: i64,
    /// Seed of `$random()` without a seed, `$shuffle` and `$uuid()` in this evaluation.
    pub seed: u64,
    /// Nested evaluations allowed (`U1001` beyond): bounds native and browser stack use.
    pub max_depth: usize,
    /// Evaluation steps allowed (`U1001` beyond): stops runaway loops without a clock.
    pub max_steps: u64,
}

impl Default for EvalEnv {
    fn default() -> Self {
        EvalEnv {
            now_ms: 1_704_067_200_000,
            seed: 0,
            max_depth: DEFAULT_MAX_DEPTH,
            max_steps: 50_000_000,
        }
    }
}

/// Nested evaluations allowed by default. Each costs about 1.3 KB of native stack in a release
/// build (measured on x86-64; debug builds use several times more), so the deepest evaluation
/// stays near 650 KB, inside the 1 MiB stack wasm gets in a browser. A non-tail recursive
/// function nests three evaluations per call; tail calls do not nest.
pub const DEFAULT_MAX_DEPTH: usize = 500;

/// The error code [`Expr::evaluate`] gives when the result is a function, which JSON cannot hold
/// (not a JSONata code; AWS: "returned an unsupported result type.").
pub const UNSUPPORTED_RESULT: &str = "UNSUPPORTED_RESULT";

/// A compiled expression: parse once, evaluate many times.
pub struct Expr {
    root: ast::Node,
    /// The same expression in the shortcut's form, when it has one.
    fast: Option<fast::Fast>,
    labels: Vec<Arc<str>>,
    source: Arc<str>,
}

impl std::fmt::Debug for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Expr({:?})", self.source)
    }
}

impl Expr {
    /// Compiles an expression; a syntax error carries its byte offset in `text`.
    pub fn compile(text: &str) -> Result<Expr, JsonataError> {
        let parsed = parser::parse(text).map_err(|e| *e)?;
        Ok(Expr {
            fast: fast::lower(&parsed.root),
            root: parsed.root,
            labels: parsed.labels,
            source: text.into(),
        })
    }

    /// The expression's text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluates against `input` (JSONata's `$`); `Ok(None)` is undefined.
    pub fn evaluate(
        &self,
        input: &Value,
        vars: &dyn Variables,
        env: &EvalEnv,
    ) -> Result<Option<Value>, JsonataError> {
        self.evaluate_opt(Some(input), vars, env)
    }

    /// Whether the expression has the shortcut's form ([`fast`]).
    #[cfg(test)]
    fn has_fast_form(&self) -> bool {
        self.fast.is_some()
    }

    /// Evaluates with the full evaluator only (the reference the shortcut is tested against).
    #[cfg(test)]
    fn evaluate_general(
        &self,
        vars: &dyn Variables,
        env: &EvalEnv,
    ) -> Result<Option<Value>, JsonataError> {
        Expr {
            fast: None,
            root: parser::parse(&self.source).map_err(|e| *e)?.root,
            labels: self.labels.clone(),
            source: self.source.clone(),
        }
        .evaluate_opt(None, vars, env)
    }

    /// Evaluates with an optional input (`None`: `$` is undefined).
    pub fn evaluate_opt(
        &self,
        input: Option<&Value>,
        vars: &dyn Variables,
        env: &EvalEnv,
    ) -> Result<Option<Value>, JsonataError> {
        if let Some(f) = &self.fast
            && let Ok(v) = f.evaluate(vars)
        {
            return Ok(v);
        }
        let mut ev = eval::Evaluator::new(&self.labels, vars, env);
        let mut input = input.map(jv::JV::from_value);
        // An input array counts as one item (JSONata's outer wrapper).
        if let Some(v @ jv::JV::DArr(_)) = &input {
            input = Some(
                jv::Seq {
                    items: vec![v.clone()],
                    sequence: true,
                    outer_wrapper: true,
                    ..jv::Seq::default()
                }
                .into_jv(),
            );
        }
        let root_env = jv::Frame::root();
        ev.root = input.clone();
        let result = ev.eval(&self.root, &input, &root_env).map_err(|e| *e)?;
        match result {
            None => Ok(None),
            Some(v) => {
                if let jv::JV::Num(n) = v
                    && !n.is_finite()
                {
                    return Err(*error::err("D1001", "Number out of range"));
                }
                match v.to_value() {
                    Some(value) => Ok(Some(value)),
                    None => Err(*error::err(
                        UNSUPPORTED_RESULT,
                        "The expression evaluated to a function, which JSON cannot hold",
                    )),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
