//! JSON nodes → the typed [`model`](crate::model), checking every field on the way.
//!
//! Owns the field-level rules of ASL: which fields each state type and query language allows,
//! their JSON types and ranges, required fields, duplicate keys, path and template syntax,
//! Choice rule shape, Retry/Catch fields (with AWS's defaults), Wait timestamps. Problems become
//! [`Diagnostic`]s and parsing goes on, so one pass reports everything; a field that is wrong is
//! left out of the model (or replaced by a harmless stand-in, e.g. a state of unknown `Type` is
//! kept as a Pass so the graph still draws).
//!
//! This module holds the entry point [`parse`] and the context `Cx` (the diagnostics so far and
//! the machine's query language) that every reader extends with its own `impl Cx` block, one
//! concern per submodule: `fields` (objects, pointers, generic field readers), `paths` (path and
//! computed fields), `templates` (payload templates), `query_language` (JSONPath vs JSONata
//! fields, `QueryLanguage`, `{% … %}` strings), `machine` (the machine and its branches), `state`
//! (one state's shared fields and transition), `kinds` (Pass, Task, Wait, Fail, Parallel),
//! `choice`, `map` (Map and its configuration objects) and `retry` (Retry/Catch).
//!
//! Not owned here: rules that need the whole machine (targets, reachability, unique names across
//! branches, Retry/Catch ordering) — [`crate::validate`] checks those on the model.

mod choice;
mod fields;
mod kinds;
mod machine;
mod map;
mod paths;
mod query_language;
mod retry;
mod state;
mod templates;

pub use state::{STATE_TYPES, state_fields};

pub use kinds::is_rfc3339;
pub use query_language::{jsonata_text, unsupported_top_level};

use crate::diag::{Code, Diagnostic};
use crate::model::{QueryLanguage, StateMachine};
use crate::source::Span;
use crate::syntax::Node;

/// Largest value AWS accepts for most integer fields (TimeoutSeconds, MaxAttempts, Seconds…).
const MAX_INT: u64 = 99_999_999;
/// Largest `MaxDelaySeconds` (one year).
const MAX_DELAY: u64 = 31_622_400;

/// Reads a parsed definition. `machine` is `None` only when the root is not a JSON object.
pub fn parse(root: &Node) -> (Option<StateMachine>, Vec<Diagnostic>) {
    let mut cx = Cx {
        diags: Vec::new(),
        machine_ql: QueryLanguage::JsonPath,
        states_extra: None,
    };
    let machine = cx.machine(root);
    (machine, cx.diags)
}

/// What every reader shares while one definition is parsed.
struct Cx {
    diags: Vec<Diagnostic>,
    /// The machine's `QueryLanguage`: the default of every state.
    machine_ql: QueryLanguage,
    /// The `$states` field the expressions being read may use besides `input` and `context`:
    /// `result` in a Task/Parallel/Map's `Output`/`Assign`, `errorOutput` in a Catcher's.
    states_extra: Option<&'static str>,
}

impl Cx {
    fn push(&mut self, code: Code, message: impl Into<String>, ptr: &str, span: Span) {
        self.diags.push(Diagnostic::new(code, message, ptr, span));
    }
}

#[cfg(test)]
mod tests;
