//! Mocked task results: where a Task state's result comes from when nothing real is called.
//!
//! Owns [`Mocks`] (per state name, else per resource ARN, a [`MockSequence`] of responses chosen
//! by invocation number), [`MockConfig`] (AWS Step Functions Local's MockConfigFile, read and
//! written exactly in its format) and reading both from text with line:column diagnostics
//! ([`MockError`]; malformed JSON or a wrong structure never panics).
//!
//! # Native mock JSON (the UI, the JS API, `asl run --mocks`)
//!
//! ```text
//! { "States":    { "<state name>":   <mock> },      // wins over a resource mock
//!   "Resources": { "<resource ARN>": <mock> } }     // every Task with that Resource
//! ```
//!
//! The shorthand `{"<state name>": <mock>, …}` (no `States`/`Resources` keys) means `States` only.
//! A `<mock>` is either one `<response>` (used for every invocation) or SFN Local's numbered form
//! `{"0": <response>, "1-2": <response>, …}`: 0-based invocation indexes, single or inclusive
//! ranges, consecutive from 0. One counter per state per execution, advanced by every invocation
//! (retries and Map iterations included), as SFN Local counts; an invocation past the last index
//! fails the task with `States.Runtime`, as in SFN Local.
//!
//! A `<response>` is `{"Return": <json>}` (the raw service response, before ResultSelector),
//! `{"ReturnPayload": <json>}` (what the Lambda function returned: an
//! `arn:aws:states:::lambda:invoke` task wraps it in the Invoke response AWS returns; elsewhere,
//! `.waitForTaskToken` included, it is the same as `Return`) or
//! `{"Throw": {"Error": "<name>", "Cause": "<text>"}}` (`Cause` optional), plus an optional
//! `"DurationSeconds": <number>`: how long the task runs in virtual time, so `TimeoutSeconds` and
//! `HeartbeatSeconds` can fire (a mocked task sends no heartbeats).
//!
//! # MockConfigFile
//!
//! `{"StateMachines": {"<machine>": {"TestCases": {"<case>": {"<state>": "<response name>"}}}},
//! "MockedResponses": {"<response name>": {"0": <response>, "1-2": <response>}}}`. Import
//! ([`MockConfig::parse`], [`MockConfig::mocks`]) accepts the native extensions in responses
//! (`ReturnPayload`, `DurationSeconds`); export ([`MockConfig::export`]) writes only what SFN Local
//! reads, expanding resource mocks to the states that use the resource.
//!
//! Submodules: `read` (text → mocks, with line:column diagnostics; by hand because only
//! [`crate::syntax`] keeps the byte spans they need) and `config` (the MockConfigFile model, its
//! test cases, import and export).
//!
//! Not owned here: applying a response (retry, catch, result processing: [`crate::exec`]).

mod config;
mod read;

pub use config::{MachineCases, MockConfig, TestCase};

use std::fmt;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::model::{Branch, StateKind, StateMachine};
use crate::source::Span;
use crate::syntax;
use crate::value::{Key, Object, Value};

use read::{locate, parse_node, sequence};

/// What a mocked invocation does.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum MockOutcome {
    /// The task succeeds with this raw result (before ResultSelector/ResultPath).
    Return(Value),
    /// The task fails with this error and cause.
    Throw {
        error: Arc<str>,
        cause: Option<Arc<str>>,
    },
}

/// One response, with how long it takes in virtual time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MockResponse {
    pub outcome: MockOutcome,
    /// Virtual duration in milliseconds (0 when absent).
    pub duration_ms: u64,
    /// Written as `"ReturnPayload"`: the value is what the function returned, and a
    /// `lambda:invoke` task wraps it in the Invoke response as AWS does.
    pub wrap_payload: bool,
}

impl MockResponse {
    /// The response in the native JSON form.
    pub fn to_value(&self) -> Value {
        let mut o = Object::with_capacity(2);
        match &self.outcome {
            MockOutcome::Return(v) => {
                let key = if self.wrap_payload {
                    "ReturnPayload"
                } else {
                    "Return"
                };
                o.insert(key.into(), v.clone());
            }
            MockOutcome::Throw { error, cause } => {
                o.insert("Throw".into(), throw_value(error, cause.as_deref()));
            }
        }
        if self.duration_ms > 0 {
            o.insert(
                "DurationSeconds".into(),
                Value::from_f64(self.duration_ms as f64 / 1000.0),
            );
        }
        Value::object(o)
    }
}

fn throw_value(error: &str, cause: Option<&str>) -> Value {
    let mut t = Object::with_capacity(2);
    t.insert("Error".into(), Value::from(error));
    if let Some(c) = cause {
        t.insert("Cause".into(), Value::from(c));
    }
    Value::object(t)
}

/// The last invocation index a plain (unnumbered) response covers.
pub const EVERY_INVOCATION: u64 = u64::MAX;

/// Responses by invocation index.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MockSequence {
    /// Inclusive index ranges, sorted and consecutive from 0; `(0, EVERY_INVOCATION)` for a
    /// plain (unnumbered) response.
    pub entries: Vec<(u64, u64, MockResponse)>,
}

impl MockSequence {
    /// The same response for every invocation.
    pub fn always(response: MockResponse) -> MockSequence {
        MockSequence {
            entries: vec![(0, EVERY_INVOCATION, response)],
        }
    }

    /// The response for the `index`-th invocation (0-based), if any.
    pub fn response(&self, index: u64) -> Option<&MockResponse> {
        self.entries
            .iter()
            .find(|(lo, hi, _)| (*lo..=*hi).contains(&index))
            .map(|(_, _, r)| r)
    }

    /// Reads `{"Return": …}` / `{"Throw": …}` or the numbered form.
    pub fn from_value(v: &Value) -> Result<MockSequence, String> {
        let text = v.to_json_string();
        let node = syntax::parse(&text).map_err(|e| e.message)?;
        sequence(&node).map_err(|(_, m)| m)
    }

    /// The native JSON form: one response, or the numbered form.
    pub fn to_value(&self) -> Value {
        if let [(0, EVERY_INVOCATION, r)] = self.entries.as_slice() {
            return r.to_value();
        }
        let mut o = Object::with_capacity(self.entries.len());
        for (lo, hi, r) in &self.entries {
            o.insert(range_key(*lo, *hi).into(), r.to_value());
        }
        Value::object(o)
    }
}

fn range_key(lo: u64, hi: u64) -> String {
    if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}-{hi}")
    }
}

/// A malformed mock file: what is wrong and where (1-based line, character column).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MockError {
    pub message: String,
    pub span: Span,
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for MockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for MockError {}

/// All mocks of one execution.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Mocks {
    pub by_state: FxHashMap<Arc<str>, MockSequence>,
    pub by_resource: FxHashMap<Arc<str>, MockSequence>,
}

/// A mock file as read: the native form or a MockConfigFile.
#[derive(Clone, Debug, PartialEq)]
pub enum MockFile {
    Native(Mocks),
    Config(MockConfig),
}

impl MockFile {
    /// Reads either form (a MockConfigFile is recognised by `StateMachines`/`MockedResponses`).
    pub fn parse(text: &str) -> Result<MockFile, MockError> {
        let node = parse_node(text)?;
        let is_config = node.as_object().is_some_and(|ms| {
            ms.iter().any(|m| {
                matches!(
                    m.key.as_str(),
                    "StateMachines" | "MockedResponses" | "MockedResponse"
                )
            })
        });
        if is_config {
            MockConfig::from_node(&node)
                .map(MockFile::Config)
                .map_err(|e| locate(text, e))
        } else {
            Mocks::from_node(&node)
                .map(MockFile::Native)
                .map_err(|e| locate(text, e))
        }
    }
}

impl Mocks {
    /// Reads the native mock JSON (see the module doc).
    pub fn parse(text: &str) -> Result<Mocks, MockError> {
        let node = parse_node(text)?;
        Mocks::from_node(&node).map_err(|e| locate(text, e))
    }

    /// Reads the native mock JSON from a value (errors carry no position).
    pub fn from_value(v: &Value) -> Result<Mocks, String> {
        let text = v.to_json_string();
        let node = syntax::parse(&text).map_err(|e| e.message)?;
        Mocks::from_node(&node).map_err(|(_, m)| m)
    }

    /// The native JSON form: `{"States": {…}, "Resources": {…}}` (names sorted, so the text is
    /// stable).
    pub fn to_value(&self) -> Value {
        let group = |map: &FxHashMap<Arc<str>, MockSequence>| {
            let mut names: Vec<&Arc<str>> = map.keys().collect();
            crate::sort::sort(&mut names);
            let mut o = Object::with_capacity(names.len());
            for n in names {
                if let Some(seq) = map.get(n) {
                    o.insert(Key::from(&**n), seq.to_value());
                }
            }
            Value::object(o)
        };
        let mut o = Object::with_capacity(2);
        o.insert("States".into(), group(&self.by_state));
        if !self.by_resource.is_empty() {
            o.insert("Resources".into(), group(&self.by_resource));
        }
        Value::object(o)
    }

    /// Whether `v` looks like an AWS Step Functions Local MockConfigFile.
    pub fn is_mock_config(v: &Value) -> bool {
        v.get("StateMachines").is_some() || v.get("MockedResponses").is_some()
    }

    /// The test cases of a MockConfigFile: `(state machine, test case)` pairs, in file order.
    pub fn mock_config_cases(v: &Value) -> Vec<(Arc<str>, Arc<str>)> {
        MockConfig::from_value(v)
            .map(|c| c.cases())
            .unwrap_or_default()
    }

    /// Reads one test case of a MockConfigFile. `state_machine` may be omitted when the file
    /// has exactly one.
    pub fn from_mock_config(
        v: &Value,
        state_machine: Option<&str>,
        test_case: &str,
    ) -> Result<Mocks, String> {
        MockConfig::from_value(v)?.mocks(state_machine, test_case)
    }

    pub fn is_empty(&self) -> bool {
        self.by_state.is_empty() && self.by_resource.is_empty()
    }

    /// Mocks that no Task state of `machine` can use (a misspelt state name, a state that is
    /// not a Task, a resource no Task calls), one sentence each, sorted: worth a warning, since
    /// the task they were meant for then runs unmocked.
    pub fn unused(&self, machine: &StateMachine) -> Vec<String> {
        let mut tasks = Vec::new();
        collect_tasks(&machine.root, &mut tasks);
        let mut out: Vec<String> = self
            .by_state
            .keys()
            .filter(|s| !tasks.iter().any(|(t, _)| t == *s))
            .map(|s| {
                format!("state \"{s}\" is mocked but the definition has no Task state of that name")
            })
            .chain(
                self.by_resource
                    .keys()
                    .filter(|r| !tasks.iter().any(|(_, t)| t == *r))
                    .map(|r| format!("resource \"{r}\" is mocked but no Task state uses it")),
            )
            .collect();
        crate::sort::sort(&mut out);
        out
    }

    /// The sequence for a Task state (by name first, then by resource).
    pub fn sequence(&self, state: &str, resource: &str) -> Option<&MockSequence> {
        self.by_state
            .get(state)
            .or_else(|| self.by_resource.get(resource))
    }
}

fn collect_tasks(b: &Branch, out: &mut Vec<(Arc<str>, Arc<str>)>) {
    for (name, st) in &b.states {
        match &st.kind {
            StateKind::Task(t) => out.push((name.clone(), t.resource.value.clone())),
            StateKind::Parallel(p) => p.branches.iter().for_each(|cb| collect_tasks(cb, out)),
            StateKind::Map(m) => collect_tasks(&m.processor, out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        Value::parse(s).expect("json")
    }

    #[test]
    fn reads_plain_and_numbered_forms() {
        let m = Mocks::from_value(&v(
            r#"{"A": {"Return": {"x": 1}}, "B": {"0": {"Throw": {"Error": "E", "Cause": "c"}}, "1-2": {"Return": 2, "DurationSeconds": 1.5}}}"#,
        ))
        .expect("valid");
        let a = m.sequence("A", "arn").expect("A");
        assert_eq!(
            a.response(7).map(|r| &r.outcome),
            Some(&MockOutcome::Return(v(r#"{"x":1}"#)))
        );
        let b = m.sequence("B", "arn").expect("B");
        assert!(matches!(
            b.response(0).map(|r| &r.outcome),
            Some(MockOutcome::Throw { .. })
        ));
        assert_eq!(b.response(2).map(|r| r.duration_ms), Some(1500));
        assert!(b.response(3).is_none());
    }

    #[test]
    fn reads_the_grouped_form_and_state_wins_over_resource() {
        let m = Mocks::parse(
            r#"{"States": {"A": {"Return": 1}}, "Resources": {"arn:r": {"0": {"Return": 2}}}}"#,
        )
        .expect("valid");
        let ret =
            |s: Option<&MockSequence>| s.and_then(|s| s.response(0)).map(|r| r.outcome.clone());
        assert_eq!(
            ret(m.sequence("A", "arn:r")),
            Some(MockOutcome::Return(Value::from_i64(1)))
        );
        assert_eq!(
            ret(m.sequence("B", "arn:r")),
            Some(MockOutcome::Return(Value::from_i64(2)))
        );
        // A state literally named "States" still works in the shorthand.
        let s = Mocks::parse(r#"{"States": {"Return": 3}}"#).expect("valid");
        assert!(s.by_state.contains_key("States"));
        // Native JSON round-trips.
        assert_eq!(Mocks::from_value(&m.to_value()).expect("round trip"), m);
    }

    #[test]
    fn rejects_malformed_mocks_with_positions() {
        for (bad, line, column) in [
            ("{\"A\": 1}", 1, 7),
            ("{\"A\": {\"1\": {\"Return\": 1}}}", 1, 8),
            (
                "{\"A\": {\"0\": {\"Return\": 1},\n \"2\": {\"Return\": 1}}}",
                2,
                2,
            ),
            ("{\"A\": {\"x\": {\"Return\": 1}}}", 1, 8),
            ("{\"A\": {\"Throw\": {\"Cause\": \"c\"}}}", 1, 17),
            (
                "{\"A\": {\"Return\": 1, \"Throw\": {\"Error\": \"e\"}}}",
                1,
                21,
            ),
            ("{\"A\": {\"Retrun\": 1}}", 1, 8),
            ("{\"A\": {\"Return\": 1}", 1, 20),
            ("", 1, 1),
        ] {
            let e = Mocks::parse(bad).expect_err(bad);
            assert_eq!((e.line, e.column), (line, column), "{bad}: {e}");
        }
    }

    #[test]
    fn reports_mocks_no_task_can_use() {
        let def = r#"{"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:r", "Next": "B"},
            "B": {"Type": "Pass", "End": true}}}"#;
        let machine = crate::load(def).machine.expect("machine");
        let m = Mocks::parse(
            r#"{"States": {"A": {"Return": 1}, "B": {"Return": 1}, "Typo": {"Return": 1}},
                "Resources": {"arn:r": {"Return": 1}, "arn:other": {"Return": 1}}}"#,
        )
        .expect("mocks");
        let unused = m.unused(&machine);
        assert_eq!(unused.len(), 3, "{unused:?}");
        assert!(unused[0].contains("\"arn:other\""));
        assert!(unused[1].contains("\"B\""));
        assert!(unused[2].contains("\"Typo\""));
    }
}
