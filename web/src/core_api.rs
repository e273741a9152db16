//! The app's one door to the core crates: everything the UI knows about a definition comes
//! through here — asl-core's `load` (diagnostics, model) and asl-graph's `render_svg` — turned
//! into plain view data.
//!
//! Runs go through asl-core's `Execution` with the user's input and mocks; the result comes back
//! as [`RunView`]: status, output or error, the AWS-shaped history, and a status per state for the
//! graph.

use std::sync::Arc;

use asl_core::exec::{ExecOptions, Execution, Status};
use asl_core::history::{EventType, HistoryEvent};
use asl_core::mock::{
    EVERY_INVOCATION, MockConfig, MockFile, MockOutcome, MockResponse, MockSequence, Mocks,
};
use asl_core::model::{Branch, StateKind, StateMachine};
use asl_core::value::Value;

mod mocks;
pub use mocks::{
    EntryKind, MockEdit, MockEntry, MockRow, MockSource, MocksText, TaskSlot, convert_config,
    edit_mocks, mock_row, read_mocks_file, same_json, task_states, unused_mocks,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem in the definition, positioned for the editor.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    /// JSON pointer of the offending value, e.g. `/States/Check/Next`.
    pub pointer: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// Byte range in the text (what the editor underlines).
    pub start: usize,
    pub end: usize,
}

/// What the views show for one version of the definition text.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    pub diagnostics: Vec<Diagnostic>,
    /// The model, when the definition has no errors (the graph is drawn from it).
    pub machine: Option<Arc<StateMachine>>,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Loads and validates the editor's text.
pub fn analyze(text: &str) -> Analysis {
    let loaded = asl_core::load(text);
    let has_errors = loaded.has_errors();
    Analysis {
        diagnostics: loaded
            .diagnostics
            .iter()
            .map(|d| Diagnostic {
                severity: match d.severity {
                    asl_core::Severity::Error => Severity::Error,
                    asl_core::Severity::Warning => Severity::Warning,
                },
                code: d.code.to_string(),
                message: d.message.clone(),
                pointer: d.pointer.clone(),
                line: (d.start.line as usize).max(1),
                column: (d.start.column as usize).max(1),
                start: d.span.start as usize,
                end: d.span.end as usize,
            })
            .collect(),
        machine: if has_errors {
            None
        } else {
            loaded.machine.map(Arc::new)
        },
    }
}

/// A laid-out graph: what the graph shows of a machine, and where. Equal when the graphs are
/// equal (the layout is a function of the graph), so a memo of it lays out again only when the
/// drawing changes — not for an edit it does not show (a Comment, a Parameters value), nor for
/// run colours or the theme, which only re-write the SVG.
#[derive(Clone, Debug)]
pub struct LaidOut {
    graph: asl_graph::graph::Graph,
    layout: Arc<asl_graph::layout::Layout>,
}

impl PartialEq for LaidOut {
    fn eq(&self, other: &Self) -> bool {
        self.graph == other.graph
    }
}

/// The graph model of a machine (cheap next to layout).
pub fn graph_model(machine: &StateMachine) -> asl_graph::graph::Graph {
    asl_graph::from_model::graph(machine)
}

/// Lays a graph out (the expensive step).
pub fn lay_out(graph: asl_graph::graph::Graph) -> LaidOut {
    let layout = Arc::new(asl_graph::layout::layout(&graph));
    LaidOut { graph, layout }
}

/// The laid-out graph as SVG, in the page's theme, coloured by a run's state statuses.
pub fn graph_svg(g: &LaidOut, dark: bool, status: &[(String, StateStatus)]) -> String {
    let opts = asl_graph::RenderOptions {
        theme: if dark {
            asl_graph::Theme::Dark
        } else {
            asl_graph::Theme::Light
        },
        id_prefix: Some("g".into()),
        status: status
            .iter()
            .map(|(p, s)| (p.clone(), s.to_graph()))
            .collect(),
        ..asl_graph::RenderOptions::default()
    };
    asl_graph::svg::write(&g.graph, &g.layout, &opts)
}

/// How a state fared in a run, for the graph's colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateStatus {
    Active,
    Succeeded,
    Failed,
    Caught,
    Retrying,
}

impl StateStatus {
    fn to_graph(self) -> asl_graph::Status {
        match self {
            StateStatus::Active => asl_graph::Status::Active,
            StateStatus::Succeeded => asl_graph::Status::Succeeded,
            StateStatus::Failed => asl_graph::Status::Failed,
            StateStatus::Caught => asl_graph::Status::Caught,
            StateStatus::Retrying => asl_graph::Status::Retrying,
        }
    }
}

/// One history event, ready for the table.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRow {
    pub id: u32,
    pub kind: &'static str,
    /// The state path (`Process/0/Transcode`), empty for execution events.
    pub path: String,
    /// Virtual time since the execution started, in milliseconds.
    pub elapsed_ms: i64,
    /// The whole event in AWS's JSON shape, pretty-printed.
    pub json: String,
}

/// The outcome of one run, as the views show it.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RunView {
    /// AWS's status word (SUCCEEDED, FAILED, TIMED_OUT, RUNNING), or INVALID when the input or
    /// mocks could not be read.
    pub status: String,
    /// Pretty-printed output of a successful run.
    pub output: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub events: Vec<EventRow>,
    pub states: Vec<(String, StateStatus)>,
}

impl RunView {
    fn invalid(what: &str, message: String) -> RunView {
        RunView {
            status: "INVALID".into(),
            error: Some(format!("Invalid {what}")),
            cause: Some(message),
            ..RunView::default()
        }
    }
}

/// Reads the mocks text: the playground's state → mock map, or a Step Functions Local
/// MockConfigFile (its first test case).
fn read_mocks(text: &str) -> Result<Mocks, String> {
    match read_mocks_file(text) {
        MocksText::Native(m) => Ok(m),
        MocksText::Config { mocks, .. } => mocks,
        MocksText::Invalid(d) => Err(format!("{}:{}: {}", d.line, d.column, d.message)),
    }
}

/// Runs the machine on the input with the mocks, to the end (limits stop runaway loops) or to a
/// task that has no mock.
pub fn run(machine: Arc<StateMachine>, input: &str, mocks: &str) -> RunView {
    let input = match Value::parse(if input.trim().is_empty() { "{}" } else { input }) {
        Ok(v) => v,
        Err(e) => return RunView::invalid("input", format!("The input is not JSON: {e}")),
    };
    let mocks = match read_mocks(mocks) {
        Ok(m) => m,
        Err(e) => return RunView::invalid("mocks", format!("The mocks are not valid: {e}")),
    };
    let options = ExecOptions {
        mocks: Arc::new(mocks),
        ..ExecOptions::default()
    };
    let mut exec = Execution::start(machine, input, options);
    let status = exec.run();
    let history = exec.history();
    let start = history.first().map_or(0, |e| e.timestamp_ms);
    let mut view = RunView {
        status: status.aws_name().to_string(),
        events: history.iter().map(|e| event_row(e, start)).collect(),
        states: state_statuses(history, status.is_finished()),
        ..RunView::default()
    };
    match status {
        Status::Succeeded { output } => view.output = Some(output.to_json_pretty()),
        Status::Failed { error, cause } | Status::TimedOut { error, cause } => {
            view.error = error.map(|e| e.to_string());
            view.cause = cause.map(|c| c.to_string());
        }
        Status::Paused { tasks } => {
            let names: Vec<&str> = tasks.iter().map(|t| &*t.state).collect();
            view.error = Some("Waiting for a task result".into());
            view.cause = Some(format!(
                "No mock for {}: add one in the Mocks tab.",
                names.join(", ")
            ));
        }
        Status::Running => {}
    }
    view
}

fn event_row(e: &HistoryEvent, start: i64) -> EventRow {
    EventRow {
        id: e.id,
        kind: e.kind.as_str(),
        path: e.path.to_string(),
        elapsed_ms: e.timestamp_ms - start,
        json: serde_json::to_string_pretty(e).unwrap_or_default(),
    }
}

/// Each visited state's status from the history: entered → active, exited → succeeded, a failure
/// then an exit → caught, a failure then a new attempt → retrying (succeeded if it later exits).
/// When the run has ended, states still active are failed.
fn state_statuses(history: &[HistoryEvent], finished: bool) -> Vec<(String, StateStatus)> {
    let mut out: Vec<(String, StateStatus)> = Vec::new();
    let mut failed_once: Vec<String> = Vec::new();
    for e in history {
        if e.path.is_empty() {
            continue;
        }
        let name = e.kind.as_str();
        let new = if e.kind == EventType::FailStateEntered {
            Some(StateStatus::Failed)
        } else if name.ends_with("StateEntered") {
            Some(StateStatus::Active)
        } else if name.ends_with("StateExited") {
            Some(if failed_once.iter().any(|p| **p == *e.path) {
                StateStatus::Caught
            } else {
                StateStatus::Succeeded
            })
        } else if name.ends_with("Failed") || name.ends_with("TimedOut") {
            failed_once.push(e.path.to_string());
            Some(StateStatus::Failed)
        } else if matches!(
            e.kind,
            EventType::TaskScheduled | EventType::LambdaFunctionScheduled
        ) && failed_once.iter().any(|p| **p == *e.path)
        {
            failed_once.retain(|p| **p != *e.path);
            Some(StateStatus::Retrying)
        } else {
            None
        };
        if let Some(st) = new {
            match out.iter_mut().find(|(p, _)| **p == *e.path) {
                Some(slot) => slot.1 = st,
                None => out.push((e.path.to_string(), st)),
            }
        }
    }
    if finished {
        for (_, st) in &mut out {
            if *st == StateStatus::Active {
                *st = StateStatus::Failed;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_is_positioned() {
        let a = analyze("{\n  \"StartAt\": \"A\",\n  \"States\": {,}\n}");
        assert!(a.has_errors());
        assert!(a.machine.is_none());
        assert_eq!(a.diagnostics[0].line, 3);
    }

    #[test]
    fn a_valid_machine_is_drawn() {
        let a = analyze(r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#);
        assert!(!a.has_errors(), "{:?}", a.diagnostics);
        let svg = a
            .machine
            .map(|m| graph_svg(&lay_out(graph_model(&m)), false, &[]))
            .unwrap_or_default();
        assert!(svg.contains("data-state=\"A\""), "{svg}");
    }

    fn run_text(def: &str, input: &str, mocks: &str) -> RunView {
        let a = analyze(def);
        assert!(!a.has_errors(), "{:?}", a.diagnostics);
        run(a.machine.unwrap_or_else(|| unreachable!()), input, mocks)
    }

    #[test]
    fn a_run_succeeds_with_its_output_history_and_state_colours() {
        let v = run_text(
            r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"P"},"P":{"Type":"Pass","End":true}}}"#,
            r#"{"x":1}"#,
            r#"{"T":{"Return":{"y":2}}}"#,
        );
        assert_eq!(v.status, "SUCCEEDED", "{v:?}");
        assert_eq!(
            v.output.as_deref().map(|o| o.contains("\"y\": 2")),
            Some(true),
            "{v:?}"
        );
        assert_eq!(v.events.first().map(|e| e.kind), Some("ExecutionStarted"));
        assert_eq!(v.events.last().map(|e| e.kind), Some("ExecutionSucceeded"));
        assert_eq!(
            v.states,
            vec![
                ("T".into(), StateStatus::Succeeded),
                ("P".into(), StateStatus::Succeeded)
            ]
        );
    }

    #[test]
    fn a_caught_failure_and_bad_mocks_are_reported() {
        let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"}],"End":true},"F":{"Type":"Fail","Error":"Boom"}}}"#;
        let v = run_text(def, "{}", r#"{"T":{"Throw":{"Error":"E","Cause":"c"}}}"#);
        assert_eq!(v.status, "FAILED", "{v:?}");
        assert_eq!(v.error.as_deref(), Some("Boom"));
        assert_eq!(
            v.states.first(),
            Some(&("T".into(), StateStatus::Caught)),
            "{v:?}"
        );
        assert_eq!(run_text(def, "{", "{}").status, "INVALID");
        assert_eq!(run_text(def, "{}", "[1]").status, "INVALID");
    }
}
