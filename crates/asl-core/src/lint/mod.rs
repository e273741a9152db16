//! Lints: the classic Step Functions pitfalls, as warnings with positions.
//!
//! Owns the lint passes and their options. Each lint has a [`Code`] (a warning), an entry in
//! [`registry`] (title, one-paragraph explanation, AWS docs link) and its own module:
//! `payload` (a payload growing in a loop; a state's output near 256 KiB after a run), `retry`
//! (nested Retry policies multiplying), `lambda` (broad Lambda retries; no retry on transient
//! Lambda errors, with a quick fix), `secrets` (secret-looking keys in the definition or the
//! input), `hot_spot` (a Standard run with many billed transitions). [`definition_lints`] needs
//! only the text; [`run_lints`] reads a finished run. Codes in [`LintOptions::allow`] are
//! silenced.
//!
//! Not owned here: errors (parse/validate), prices ([`crate::cost`]).

mod hot_spot;
mod lambda;
mod payload;
pub mod registry;
mod retry;
mod secrets;
pub(crate) mod walk;

use crate::cost::Prices;
use crate::diag::{Code, Diagnostic};
use crate::history::HistoryEvent;
use crate::model::StateMachine;
use crate::source::LineIndex;
use crate::syntax::Node;
use crate::value::Value;
use crate::workflow::WorkflowType;

/// How lints run.
#[derive(Clone, Debug, PartialEq)]
pub struct LintOptions {
    /// Silenced lint codes.
    pub allow: Vec<Code>,
    pub workflow_type: WorkflowType,
    /// `COST_HOT_SPOT` fires when a Standard run bills more transitions than this.
    pub hot_spot_transitions: u64,
    pub prices: Prices,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            allow: Vec::new(),
            workflow_type: WorkflowType::Standard,
            hot_spot_transitions: 1000,
            prices: Prices::default(),
        }
    }
}

impl LintOptions {
    /// Reads `allow` codes by name; the names that are not lint codes are returned as errors.
    pub fn allow_names<'a>(
        &mut self,
        names: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), String> {
        for name in names {
            match Code::from_name(name).filter(|c| c.is_lint()) {
                Some(c) => self.allow.push(c),
                None => {
                    let all: Vec<&str> = registry::LINTS.iter().map(|l| l.code.as_str()).collect();
                    return Err(format!(
                        "\"{name}\" is not a lint code (lint codes: {})",
                        all.join(", ")
                    ));
                }
            }
        }
        Ok(())
    }

    fn keep(&self, d: &Diagnostic) -> bool {
        !self.allow.contains(&d.code)
    }
}

/// The lints that need only the definition (`root` is `text` parsed). Positions are not yet
/// filled in ([`crate::load_with`] locates them with the rest).
pub fn definition_lints(text: &str, root: &Node, opts: &LintOptions) -> Vec<Diagnostic> {
    let states = walk::states(root);
    let mut out = Vec::new();
    payload::grows_in_loop(&states, &mut out);
    retry::multiplies(&states, &mut out);
    lambda::broad_retry(&states, &mut out);
    lambda::transient_retry_missing(text, &states, &mut out);
    secrets::in_definition(&states, &mut out);
    out.retain(|d| opts.keep(d));
    out
}

/// The lints that read a finished run: its history (recorded), its total state transitions
/// ([`crate::exec::Execution::transitions`]) and input. Positions are filled
/// in, pointing into `text` (the definition the run was made from, read as `load` reads it:
/// JSON or YAML, a template's state machine, its placeholders substituted).
pub fn run_lints(
    text: &str,
    machine: &StateMachine,
    history: &[HistoryEvent],
    total_transitions: u64,
    input: &Value,
    load: &crate::LoadOptions,
) -> Vec<Diagnostic> {
    let opts = &load.lint;
    let Some(root) = crate::read_definition(text, load)
        .ok()
        .and_then(|read| read.node)
    else {
        return Vec::new();
    };
    let states = walk::states(&root);
    let mut out = Vec::new();
    payload::near_limit(&states, history, &mut out);
    secrets::in_input(input, &mut out);
    hot_spot::check(
        machine,
        &states,
        history,
        total_transitions,
        text.len() as u64,
        opts,
        &mut out,
    );
    out.retain(|d| opts.keep(d));
    let index = LineIndex::new(text);
    for d in &mut out {
        d.locate(text, &index);
    }
    crate::sort::sort_by_key(&mut out, |d| (d.span.start, d.span.end));
    out
}

/// Every lint of a finished execution, as one list sorted by position: the definition's lints
/// (`text` loaded with `load`, its lints on) and the run's ([`run_lints`]). What the CLI's
/// `--lint`, the JS `execution.lints()` and the playground show after a run.
pub fn all_lints(
    text: &str,
    exec: &crate::exec::Execution,
    input: &Value,
    load: &crate::LoadOptions,
) -> Vec<Diagnostic> {
    let load = crate::LoadOptions {
        lints: true,
        ..load.clone()
    };
    let mut out: Vec<Diagnostic> = crate::load_with(text, &load)
        .diagnostics
        .into_iter()
        .filter(Diagnostic::is_lint)
        .collect();
    out.extend(run_lints(
        text,
        exec.machine(),
        exec.history(),
        exec.transitions(),
        input,
        &load,
    ));
    crate::sort::sort_by_key(&mut out, |d| (d.span.start, d.span.end));
    out
}

/// The state whose name is `name` (names are unique machine-wide).
fn find<'s, 'a>(states: &'s [walk::StateRef<'a>], name: &str) -> Option<&'s walk::StateRef<'a>> {
    states.iter().find(|s| s.name == name)
}

use crate::cost::thousands;
