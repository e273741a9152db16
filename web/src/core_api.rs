//! The app's one door to the core crates: everything the UI knows about a definition comes
//! through here — asl-core's `load` (diagnostics, model) and asl-graph's `render_svg` — turned
//! into plain view data.
//!
//! Runs go through asl-core's `Execution` in a [`stepper::Session`] the page steps through; each
//! move comes back as a [`stepper::StepView`] (the overlay for the graph, the scrubber's range,
//! the paused tasks and a [`RunView`] for the Output tab).

use std::sync::Arc;

use asl_core::history::HistoryEvent;
use asl_core::mock::{
    EVERY_INVOCATION, MockConfig, MockFile, MockOutcome, MockResponse, MockSequence, Mocks,
};
use asl_core::model::{Branch, StateKind, StateMachine};
use asl_core::placeholder::Substitutions;
use asl_core::value::Value;
use asl_core::workflow::WorkflowType;
use asl_core::{Code, LoadOptions};

mod driver;
pub mod export;
mod mocks;
pub mod recorded;
pub mod stepper;
pub use mocks::{
    EntryKind, MockEdit, MockEntry, MockRow, MockSource, MocksText, SavedAnswer, TaskSlot,
    convert_config, edit_mocks, mock_row, read_mocks_file, same_json, save_answer, task_states,
    unused_mocks,
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
    /// A lint (a warning that can be allowed for the session).
    pub lint: bool,
    /// A quick fix the editor can apply.
    pub fix: Option<QuickFix>,
}

/// A text edit that fixes a diagnostic: replace bytes `start..end` with `replacement`.
#[derive(Clone, Debug, PartialEq)]
pub struct QuickFix {
    pub title: String,
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

impl QuickFix {
    /// The text with the fix applied (unchanged if the range no longer fits the text).
    pub fn apply(&self, text: &str) -> String {
        match (text.get(..self.start), text.get(self.end..)) {
            (Some(before), Some(after)) if self.start <= self.end => {
                format!("{before}{}{after}", self.replacement)
            }
            _ => text.to_string(),
        }
    }
}

/// What the session says about how to check and run the definition: the workflow type and the
/// lints the user silenced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    pub workflow_type: WorkflowType,
    pub allow: Vec<Code>,
    /// Values for template placeholders (`${Name}`), as DefinitionSubstitutions gives them.
    pub substitutions: Substitutions,
    /// Which state machine of a template with several.
    pub logical_id: Option<String>,
}

impl Settings {
    pub fn load_options(&self) -> LoadOptions {
        let mut o = LoadOptions::for_type(self.workflow_type);
        o.lint.allow = self.allow.clone();
        o.substitutions = self.substitutions.clone();
        o.logical_id = self.logical_id.clone();
        o
    }
}

/// A diagnostic code from its name (the session keeps allowed lints by name).
pub fn code_named(name: &str) -> Option<Code> {
    Code::ALL.iter().copied().find(|c| c.as_str() == name)
}

/// The one-paragraph explanation and docs link of a lint.
pub fn lint_info(code: &str) -> Option<&'static asl_core::lint::registry::LintInfo> {
    code_named(code).and_then(asl_core::lint::registry::info)
}

/// Core diagnostics as the editor shows them.
pub fn view_diagnostics(diags: &[asl_core::Diagnostic]) -> Vec<Diagnostic> {
    diags
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
            lint: d.code.is_lint(),
            fix: d.fix.as_ref().map(|f| QuickFix {
                title: f.title.clone(),
                start: f.span.start as usize,
                end: f.span.end as usize,
                replacement: f.replacement.clone(),
            }),
        })
        .collect()
}

/// What the field at a byte offset means: one paragraph, its default, the AWS docs page.
pub fn field_doc(text: &str, offset: usize) -> Option<asl_core::field_docs::FieldDoc> {
    asl_core::field_docs::at_offset(text, u32::try_from(offset).ok()?)
}

/// What the views show for one version of the definition text.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    pub diagnostics: Vec<Diagnostic>,
    /// The model, when the definition has no errors (runs start from it).
    pub machine: Option<Arc<StateMachine>>,
    /// The model as far as it could be read, errors or not: the graph draws every state it can,
    /// with `problems` marked on them.
    pub drawable: Option<Arc<StateMachine>>,
    pub problems: Vec<asl_graph::Problem>,
    /// The template placeholders found, one row per name.
    pub placeholders: Vec<PlaceholderRow>,
    /// A template's state machines (logical ids), when it has several; and the one read.
    pub state_machines: Vec<String>,
    pub logical_id: Option<String>,
    /// YAML (or a YAML template) rather than JSON.
    pub yaml: bool,
}

/// One placeholder name: where it first appears, how often, and what a deploy would make of it.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceholderRow {
    pub name: String,
    pub line: usize,
    pub column: usize,
    pub count: usize,
    /// What CloudFormation builds it from at deploy time (`${ProcessFunction.Arn}`), if known.
    pub deploy_time: Option<String>,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Loads and validates the editor's text, with the session's workflow type and lints.
pub fn analyze(text: &str, settings: &Settings) -> Analysis {
    crate::recovery::trip(text);
    let loaded = asl_core::load_with(text, &settings.load_options());
    // A run needs no errors, and values for the placeholders whose checks were skipped.
    let runnable = loaded.run_blockers().next().is_none();
    let mut placeholders: Vec<PlaceholderRow> = Vec::new();
    if !loaded.placeholders.is_empty() {
        let index = asl_core::source::LineIndex::new(text);
        for p in &loaded.placeholders {
            match placeholders.iter_mut().find(|r| r.name == p.name) {
                Some(r) => r.count += 1,
                None => {
                    let pos = index.position(text, p.span.start, asl_core::source::Encoding::Chars);
                    placeholders.push(PlaceholderRow {
                        name: p.name.clone(),
                        line: pos.line as usize,
                        column: pos.column as usize,
                        count: 1,
                        deploy_time: loaded.source.deploy_time.get(&p.name).cloned(),
                    });
                }
            }
        }
    }
    // The ones given a value are substituted (no longer placeholders to the core) but stay
    // listed, so their values can be changed.
    for name in settings.substitutions.keys() {
        let token = format!("${{{name}}}");
        if let Some(at) = text.find(&token)
            && !placeholders.iter().any(|r| r.name == *name)
        {
            let pos = asl_core::source::LineIndex::new(text).position(
                text,
                at as u32,
                asl_core::source::Encoding::Chars,
            );
            placeholders.push(PlaceholderRow {
                name: name.clone(),
                line: pos.line as usize,
                column: pos.column as usize,
                count: text.matches(&token).count(),
                deploy_time: loaded.source.deploy_time.get(name).cloned(),
            });
        }
    }
    asl_core::sort::sort_by_key(&mut placeholders, |r| (r.line, r.column));
    let state_machines: Vec<String> = loaded
        .source
        .state_machines
        .iter()
        .map(|m| m.logical_id.clone())
        .collect();
    let drawable = loaded.machine.map(Arc::new);
    Analysis {
        diagnostics: view_diagnostics(&loaded.diagnostics),
        machine: if runnable { drawable.clone() } else { None },
        drawable,
        problems: asl_graph::problems(&loaded.diagnostics),
        placeholders,
        state_machines: if state_machines.len() > 1 {
            state_machines
        } else {
            Vec::new()
        },
        logical_id: loaded.source.logical_id.clone(),
        yaml: loaded.source.format == asl_core::document::Format::Yaml,
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

/// The laid-out graph as SVG, in the page's theme, with the definition's problems marked on
/// their states. A run's marks are classes the graph pane puts on the nodes afterwards (the SVG
/// is written once per layout, theme and set of problems).
pub fn graph_svg(g: &LaidOut, dark: bool, problems: &[asl_graph::Problem]) -> String {
    let opts = asl_graph::RenderOptions {
        theme: if dark {
            asl_graph::Theme::Dark
        } else {
            asl_graph::Theme::Light
        },
        id_prefix: Some("g".into()),
        problems: problems.to_vec(),
        ..asl_graph::RenderOptions::default()
    };
    asl_graph::svg::write(&g.graph, &g.layout, &opts)
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
}

/// The outcome of a run so far, as the Output tab shows it.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RunView {
    /// AWS's status word (SUCCEEDED, FAILED, TIMED_OUT, RUNNING), PAUSED while a task waits for
    /// an answer, or INVALID when the input or mocks could not be read.
    pub status: String,
    /// Pretty-printed output of a successful run.
    pub output: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// Events up to the current one.
    pub event_count: usize,
}

impl RunView {
    pub fn invalid(what: &str, message: String) -> RunView {
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

fn event_row(e: &HistoryEvent, start: i64) -> EventRow {
    EventRow {
        id: e.id,
        kind: e.kind.as_str(),
        path: e.path.to_string(),
        elapsed_ms: e.timestamp_ms - start,
    }
}

#[cfg(test)]
mod tests {
    use super::stepper::{Answer, Session};
    use super::*;

    #[test]
    fn syntax_error_is_positioned() {
        let a = analyze(
            "{\n  \"StartAt\": \"A\",\n  \"States\": {,}\n}",
            &Settings::default(),
        );
        assert!(a.has_errors());
        assert!(a.machine.is_none());
        assert_eq!(a.diagnostics[0].line, 3);
    }

    #[test]
    fn a_valid_machine_is_drawn() {
        let a = analyze(
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#,
            &Settings::default(),
        );
        assert!(!a.has_errors(), "{:?}", a.diagnostics);
        let svg = a
            .machine
            .map(|m| graph_svg(&lay_out(graph_model(&m)), false, &[]))
            .unwrap_or_default();
        assert!(svg.contains("data-state=\"A\""), "{svg}");
    }

    fn session(def: &str, input: &str, mocks: &str) -> Result<Session, RunView> {
        let a = analyze(def, &Settings::default());
        assert!(!a.has_errors(), "{:?}", a.diagnostics);
        Session::start(
            a.machine.unwrap_or_else(|| unreachable!()),
            input,
            mocks,
            WorkflowType::Standard,
        )
    }

    #[test]
    fn lints_come_with_their_fix_and_allowing_one_silences_it() {
        let def = "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"Parameters\":{\"FunctionName\":\"f\"},\"End\":true}}}";
        let a = analyze(def, &Settings::default());
        let lint = a
            .diagnostics
            .iter()
            .find(|d| d.code == "LAMBDA_TRANSIENT_RETRY_MISSING")
            .expect("the transient-retry lint");
        assert!(lint.lint);
        let fixed = lint.fix.as_ref().expect("a quick fix").apply(def);
        assert!(
            !analyze(&fixed, &Settings::default())
                .diagnostics
                .iter()
                .any(|d| d.code == "LAMBDA_TRANSIENT_RETRY_MISSING"),
            "{fixed}"
        );
        let allowed = Settings {
            allow: vec![code_named("LAMBDA_TRANSIENT_RETRY_MISSING").expect("a code")],
            ..Settings::default()
        };
        assert!(
            !analyze(def, &allowed)
                .diagnostics
                .iter()
                .any(|d| d.code == "LAMBDA_TRANSIENT_RETRY_MISSING")
        );
    }

    const TASK_PASS: &str = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"P"},"P":{"Type":"Pass","End":true}}}"#;

    #[test]
    fn a_run_succeeds_with_its_output_rows_and_marks() {
        let mut s =
            session(TASK_PASS, r#"{"x":1}"#, r#"{"T":{"Return":{"y":2}}}"#).expect("starts");
        assert!(matches!(
            s.run_slice(u32::MAX),
            asl_core::exec::RunStop::Finished
        ));
        let v = s.view(None);
        assert_eq!(v.run.status, "SUCCEEDED", "{v:?}");
        assert!(
            v.run
                .output
                .as_deref()
                .is_some_and(|o| o.contains("\"y\": 2"))
        );
        let rows = s.rows(0, 100);
        assert_eq!(rows.first().map(|e| e.kind), Some("ExecutionStarted"));
        assert_eq!(rows.last().map(|e| e.kind), Some("ExecutionSucceeded"));
        assert_eq!(rows.len() as u32, v.recorded);
        let marks: Vec<(&str, &str)> = v
            .overlay
            .states
            .iter()
            .map(|m| (&*m.path, m.mark.class()))
            .collect();
        assert_eq!(marks, [("T", "succeeded"), ("P", "succeeded")]);
        // Back to the start and forward again: the recorded range stays.
        assert!(s.seek(0));
        let v0 = s.view(None);
        assert_eq!((v0.event, v0.recorded), (0, v.recorded));
        assert!(v0.overlay.states.is_empty());
    }

    #[test]
    fn a_caught_failure_and_bad_mocks_are_reported() {
        let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"}],"End":true},"F":{"Type":"Fail","Error":"Boom"}}}"#;
        let mut s =
            session(def, "{}", r#"{"T":{"Throw":{"Error":"E","Cause":"c"}}}"#).expect("starts");
        s.run_slice(u32::MAX);
        let v = s.view(None);
        assert_eq!(v.run.status, "FAILED", "{v:?}");
        assert_eq!(v.run.error.as_deref(), Some("Boom"));
        assert_eq!(v.overlay.mark("T"), Some(asl_core::inspect::Mark::Caught));
        assert_eq!(
            session(def, "{", "{}").err().map(|r| r.status),
            Some("INVALID".into())
        );
        assert_eq!(
            session(def, "{}", "[1]").err().map(|r| r.status),
            Some("INVALID".into())
        );
    }

    #[test]
    fn a_paused_task_is_answered_and_continues() {
        let mut s = session(TASK_PASS, "{}", "{}").expect("starts");
        assert_eq!(s.run_slice(u32::MAX), asl_core::exec::RunStop::Paused);
        let v = s.view(None);
        assert_eq!(v.run.status, "PAUSED");
        let token = v.pending[0].token.clone();
        assert_eq!(
            s.answer(
                &token,
                Answer::Result(Ok(Value::parse(r#"{"ok":1}"#).expect("json")))
            ),
            Ok("accepted".into())
        );
        s.run_slice(u32::MAX);
        assert_eq!(
            s.view(None).run.output.as_deref(),
            Some("{\n  \"ok\": 1\n}")
        );
        assert!(s.answer("nope", Answer::Expire).is_err());
    }
}
