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
//! `{"ReturnPayload": <json>}` (what the Lambda function returned: a `lambda:invoke` task wraps
//! it in the Invoke response AWS returns; elsewhere it is the same as `Return`) or
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
//! Not owned here: applying a response (retry, catch, result processing: [`crate::exec`]).

use std::fmt;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::model::{Branch, StateKind, StateMachine};
use crate::source::{Encoding, LineIndex, Span};
use crate::syntax::{self, Member, Node};
use crate::value::{Object, Value};

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

/// A structural problem found while reading a node: where and what.
type Found<T> = Result<T, (Span, String)>;

fn locate(text: &str, (span, message): (Span, String)) -> MockError {
    let pos = LineIndex::new(text).position(text, span.start, Encoding::Chars);
    MockError {
        message,
        span,
        line: pos.line,
        column: pos.column,
    }
}

fn parse_node(text: &str) -> Result<Node, MockError> {
    syntax::parse(text).map_err(|e| {
        let message = if text.trim().is_empty() {
            "the mock file is empty; expected a JSON object".to_string()
        } else {
            format!("malformed JSON: {}", e.message)
        };
        locate(text, (e.span, message))
    })
}

fn members<'n>(n: &'n Node, what: &str) -> Found<&'n [Member]> {
    let m = n.as_object().ok_or_else(|| {
        (
            n.span,
            format!("{what} must be a JSON object, not {}", n.type_name()),
        )
    })?;
    for (i, a) in m.iter().enumerate() {
        if m[..i].iter().any(|b| b.key == a.key) {
            return Err((
                a.key_span,
                format!("duplicate key \"{}\" in {what}", a.key),
            ));
        }
    }
    Ok(m)
}

const RESPONSE_KEYS: [&str; 4] = ["Return", "ReturnPayload", "Throw", "DurationSeconds"];

fn parse_range(key: &str) -> Result<(u64, u64), String> {
    let num = |s: &str| {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "\"{key}\" is not an invocation index or range (\"0\", \"1-2\")"
            ));
        }
        s.parse::<u64>()
            .map_err(|_| format!("invocation index \"{key}\" is too large"))
    };
    match key.split_once('-') {
        Some((a, b)) => {
            let (lo, hi) = (num(a)?, num(b)?);
            if hi < lo {
                return Err(format!("range \"{key}\" ends before it starts"));
            }
            Ok((lo, hi))
        }
        None => {
            let n = num(key)?;
            Ok((n, n))
        }
    }
}

fn string_of<'n>(n: &'n Node, what: &str) -> Found<&'n str> {
    n.as_str()
        .ok_or_else(|| (n.span, format!("{what} must be a string, not {}", n.type_name())))
}

fn response(n: &Node) -> Found<MockResponse> {
    let ms = members(n, "a response")?;
    let (mut ret, mut payload, mut throw, mut duration_ms) = (None, None, None, 0);
    for m in ms {
        match m.key.as_str() {
            "Return" => ret = Some(m),
            "ReturnPayload" => payload = Some(m),
            "Throw" => throw = Some(m),
            "DurationSeconds" => {
                duration_ms = match &m.value.kind {
                    syntax::Kind::Number(x) => match x.as_f64() {
                        Some(s) if s >= 0.0 && s.is_finite() && s < 1e15 => {
                            (s * 1000.0).round() as u64
                        }
                        _ => {
                            return Err((
                                m.value.span,
                                "\"DurationSeconds\" must be a non-negative number of seconds"
                                    .into(),
                            ));
                        }
                    },
                    _ => {
                        return Err((
                            m.value.span,
                            format!(
                                "\"DurationSeconds\" must be a number, not {}",
                                m.value.type_name()
                            ),
                        ));
                    }
                }
            }
            other => {
                return Err((
                    m.key_span,
                    format!(
                        "unknown field \"{other}\" in a response (expected \"Return\", \"ReturnPayload\", \"Throw\" or \"DurationSeconds\")"
                    ),
                ));
            }
        }
    }
    let outcome = match (ret.or(payload), throw) {
        (Some(_), Some(t)) => {
            return Err((
                t.key_span,
                "a response has either \"Return\" or \"Throw\", not both".into(),
            ));
        }
        (Some(_), None) if ret.is_some() && payload.is_some() => {
            return Err((
                payload.map_or(n.span, |p| p.key_span),
                "a response has either \"Return\" or \"ReturnPayload\", not both".into(),
            ));
        }
        (Some(r), None) => MockOutcome::Return(r.value.to_value()),
        (None, Some(t)) => {
            let tm = members(&t.value, "\"Throw\"")?;
            let (mut error, mut cause) = (None, None);
            for m in tm {
                match m.key.as_str() {
                    "Error" => error = Some(string_of(&m.value, "\"Error\"")?),
                    "Cause" => {
                        cause = match &m.value.kind {
                            syntax::Kind::Null => None,
                            _ => Some(Arc::from(string_of(&m.value, "\"Cause\"")?)),
                        }
                    }
                    other => {
                        return Err((
                            m.key_span,
                            format!(
                                "unknown field \"{other}\" in \"Throw\" (expected \"Error\" and \"Cause\")"
                            ),
                        ));
                    }
                }
            }
            let error =
                error.ok_or_else(|| (t.value.span, "\"Throw\" needs an \"Error\" string".into()))?;
            MockOutcome::Throw {
                error: error.into(),
                cause,
            }
        }
        (None, None) => {
            return Err((
                n.span,
                "a response needs \"Return\", \"ReturnPayload\" or \"Throw\"".into(),
            ));
        }
    };
    Ok(MockResponse {
        outcome,
        duration_ms,
        wrap_payload: payload.is_some(),
    })
}

fn looks_like_response(ms: &[Member]) -> bool {
    ms.iter().any(|m| RESPONSE_KEYS.contains(&m.key.as_str()))
}

fn sequence(n: &Node) -> Found<MockSequence> {
    let ms = members(n, "a mock")?;
    if looks_like_response(ms) {
        return Ok(MockSequence::always(response(n)?));
    }
    if ms.is_empty() {
        return Err((
            n.span,
            "a mock needs a response ({\"Return\": …} or {\"Throw\": …}) or numbered entries ({\"0\": …})"
                .into(),
        ));
    }
    let mut entries = Vec::with_capacity(ms.len());
    for m in ms {
        let (lo, hi) = parse_range(&m.key).map_err(|e| {
            if m.key.starts_with(|c: char| c.is_ascii_digit()) {
                (m.key_span, e)
            } else {
                (
                    m.key_span,
                    format!(
                        "unknown field \"{}\" (a mock is a response with \"Return\", \"ReturnPayload\" or \"Throw\", or numbered entries such as \"0\", \"1-2\")",
                        m.key
                    ),
                )
            }
        })?;
        entries.push((lo, hi, response(&m.value)?, m.key_span));
    }
    entries.sort_by_key(|(lo, _, _, _)| *lo);
    let mut expected = 0u64;
    for (lo, hi, _, span) in &entries {
        if *lo > expected {
            return Err((
                *span,
                format!("invocation indexes must be consecutive from 0: index {expected} is missing"),
            ));
        }
        if *lo < expected {
            return Err((
                *span,
                format!("invocation index {lo} is covered twice"),
            ));
        }
        expected = hi.saturating_add(1);
    }
    Ok(MockSequence {
        entries: entries
            .into_iter()
            .map(|(lo, hi, r, _)| (lo, hi, r))
            .collect(),
    })
}

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

    fn from_node(n: &Node) -> Found<Mocks> {
        let ms = members(n, "the mocks")?;
        let is_group = |m: &Member| {
            m.value.as_object().is_some_and(|inner| {
                !looks_like_response(inner) && inner.iter().all(|i| parse_range(&i.key).is_err())
            })
        };
        let grouped = !ms.is_empty()
            && ms
                .iter()
                .all(|m| (m.key == "States" || m.key == "Resources") && is_group(m));
        let mut mocks = Mocks::default();
        if !grouped {
            mocks.by_state = named_sequences(ms, "state")?;
            return Ok(mocks);
        }
        for m in ms {
            let inner = members(&m.value, &format!("\"{}\"", m.key))?;
            if m.key == "States" {
                mocks.by_state = named_sequences(inner, "state")?;
            } else {
                mocks.by_resource = named_sequences(inner, "resource")?;
            }
        }
        Ok(mocks)
    }

    /// The native JSON form: `{"States": {…}, "Resources": {…}}` (names sorted, so the text is
    /// stable).
    pub fn to_value(&self) -> Value {
        let group = |map: &FxHashMap<Arc<str>, MockSequence>| {
            let mut names: Vec<&Arc<str>> = map.keys().collect();
            names.sort();
            let mut o = Object::with_capacity(names.len());
            for n in names {
                if let Some(seq) = map.get(n) {
                    o.insert(n.clone(), seq.to_value());
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

    /// The sequence for a Task state (by name first, then by resource).
    pub fn sequence(&self, state: &str, resource: &str) -> Option<&MockSequence> {
        self.by_state
            .get(state)
            .or_else(|| self.by_resource.get(resource))
    }
}

fn named_sequences(ms: &[Member], what: &str) -> Found<FxHashMap<Arc<str>, MockSequence>> {
    let mut out = FxHashMap::default();
    for m in ms {
        let seq = sequence(&m.value).map_err(|(span, e)| (span, format!("{what} \"{}\": {e}", m.key)))?;
        out.insert(Arc::from(m.key.as_str()), seq);
    }
    Ok(out)
}

/// One test case: state name → mocked response name, in file order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TestCase {
    pub name: Arc<str>,
    pub states: Vec<(Arc<str>, Arc<str>)>,
}

/// One entry of `StateMachines`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MachineCases {
    pub name: Arc<str>,
    pub test_cases: Vec<TestCase>,
}

/// An AWS Step Functions Local MockConfigFile (see the module doc), in file order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MockConfig {
    pub state_machines: Vec<MachineCases>,
    pub responses: Vec<(Arc<str>, MockSequence)>,
}

impl MockConfig {
    /// Reads a MockConfigFile, reporting the first problem with its line and column.
    pub fn parse(text: &str) -> Result<MockConfig, MockError> {
        let node = parse_node(text)?;
        MockConfig::from_node(&node).map_err(|e| locate(text, e))
    }

    /// Reads a MockConfigFile from a value (errors carry no position).
    pub fn from_value(v: &Value) -> Result<MockConfig, String> {
        let text = v.to_json_string();
        let node = syntax::parse(&text).map_err(|e| e.message)?;
        MockConfig::from_node(&node).map_err(|(_, m)| m)
    }

    fn from_node(n: &Node) -> Found<MockConfig> {
        let top = members(n, "a MockConfigFile")?;
        let mut machines = None;
        let mut responses_node = None;
        for m in top {
            match m.key.as_str() {
                "StateMachines" => machines = Some(m),
                "MockedResponses" => responses_node = Some(m),
                "MockedResponse" => {
                    return Err((
                        m.key_span,
                        "the key is \"MockedResponses\" (plural), as in every Step Functions Local example".into(),
                    ));
                }
                other => {
                    return Err((
                        m.key_span,
                        format!(
                            "unknown top-level key \"{other}\" (a MockConfigFile has \"StateMachines\" and \"MockedResponses\")"
                        ),
                    ));
                }
            }
        }
        let mut responses = Vec::new();
        if let Some(r) = responses_node {
            for m in members(&r.value, "\"MockedResponses\"")? {
                let seq = sequence(&m.value).map_err(|(span, e)| {
                    (span, format!("MockedResponses \"{}\": {e}", m.key))
                })?;
                responses.push((Arc::from(m.key.as_str()), seq));
            }
        }
        let machines =
            machines.ok_or_else(|| (n.span, "a MockConfigFile needs \"StateMachines\"".into()))?;
        let mut state_machines = Vec::new();
        for sm in members(&machines.value, "\"StateMachines\"")? {
            let what = format!("state machine \"{}\"", sm.key);
            let mut cases_node = None;
            for f in members(&sm.value, &what)? {
                if f.key == "TestCases" {
                    cases_node = Some(f);
                } else {
                    return Err((
                        f.key_span,
                        format!("unknown key \"{}\" in {what} (expected \"TestCases\")", f.key),
                    ));
                }
            }
            let cases_node = cases_node
                .ok_or_else(|| (sm.value.span, format!("{what} needs \"TestCases\"")))?;
            let mut test_cases = Vec::new();
            for case in members(&cases_node.value, &format!("\"TestCases\" of {what}"))? {
                let mut states = Vec::new();
                for st in members(&case.value, &format!("test case \"{}\"", case.key))? {
                    let name = st.value.as_str().ok_or_else(|| {
                        (
                            st.value.span,
                            format!(
                                "test case \"{}\": the value for state \"{}\" must be a MockedResponses name (a string), not {}",
                                case.key,
                                st.key,
                                st.value.type_name()
                            ),
                        )
                    })?;
                    if !responses.iter().any(|(r, _)| &**r == name) {
                        return Err((
                            st.value.span,
                            format!(
                                "MockedResponses has no \"{name}\" (used by state \"{}\" in test case \"{}\")",
                                st.key, case.key
                            ),
                        ));
                    }
                    states.push((Arc::from(st.key.as_str()), Arc::from(name)));
                }
                test_cases.push(TestCase {
                    name: case.key.as_str().into(),
                    states,
                });
            }
            state_machines.push(MachineCases {
                name: sm.key.as_str().into(),
                test_cases,
            });
        }
        Ok(MockConfig {
            state_machines,
            responses,
        })
    }

    /// Every `(state machine, test case)`, in file order.
    pub fn cases(&self) -> Vec<(Arc<str>, Arc<str>)> {
        self.state_machines
            .iter()
            .flat_map(|sm| {
                sm.test_cases
                    .iter()
                    .map(move |c| (sm.name.clone(), c.name.clone()))
            })
            .collect()
    }

    /// The state machine to use: the named one, or the only one.
    pub fn machine(&self, name: Option<&str>) -> Result<&MachineCases, String> {
        match name {
            Some(n) => self
                .state_machines
                .iter()
                .find(|sm| &*sm.name == n)
                .ok_or_else(|| {
                    format!(
                        "no state machine \"{n}\" in StateMachines (it has: {})",
                        self.machine_names()
                    )
                }),
            None => match self.state_machines.as_slice() {
                [one] => Ok(one),
                [] => Err("StateMachines is empty".into()),
                _ => Err(format!(
                    "the file has {} state machines ({}): choose one with --state-machine",
                    self.state_machines.len(),
                    self.machine_names()
                )),
            },
        }
    }

    fn machine_names(&self) -> String {
        self.state_machines
            .iter()
            .map(|sm| format!("\"{}\"", sm.name))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The mocks of one test case.
    pub fn mocks(&self, state_machine: Option<&str>, test_case: &str) -> Result<Mocks, String> {
        let sm = self.machine(state_machine)?;
        let case = sm
            .test_cases
            .iter()
            .find(|c| &*c.name == test_case)
            .ok_or_else(|| {
                format!(
                    "state machine \"{}\" has no test case \"{test_case}\"",
                    sm.name
                )
            })?;
        let mut by_state = FxHashMap::default();
        for (state, response) in &case.states {
            let seq = self
                .responses
                .iter()
                .find(|(r, _)| r == response)
                .map(|(_, s)| s.clone())
                .ok_or_else(|| format!("MockedResponses has no \"{response}\""))?;
            by_state.insert(state.clone(), seq);
        }
        Ok(Mocks {
            by_state,
            by_resource: FxHashMap::default(),
        })
    }

    /// A MockConfigFile with one test case holding `mocks` for `machine`: a state mock becomes
    /// the response named after the state; a resource mock is written for every Task state
    /// using that resource (that has no state mock). A plain (every-invocation) response is
    /// written as the range `"0-99999"`, which covers every invocation an execution can make
    /// within the default transition limit; `ReturnPayload` is written as the `Return` it stands
    /// for and `DurationSeconds` is dropped (SFN Local has neither).
    pub fn export(
        machine: &StateMachine,
        machine_name: &str,
        test_case: &str,
        mocks: &Mocks,
    ) -> MockConfig {
        let mut tasks = Vec::new();
        collect_tasks(&machine.root, &mut tasks);
        let mut states = Vec::new();
        let mut responses = Vec::new();
        for (state, resource) in tasks {
            let Some(seq) = mocks.sequence(&state, &resource) else {
                continue;
            };
            let mut rng = crate::env::Rng::new(0);
            let entries = seq
                .entries
                .iter()
                .map(|(lo, hi, r)| {
                    let hi = if *hi == EVERY_INVOCATION {
                        (*lo).max(EXPORT_LAST_INDEX)
                    } else {
                        *hi
                    };
                    let outcome = match &r.outcome {
                        MockOutcome::Return(v)
                            if r.wrap_payload
                                && crate::exec::integration::is_lambda_invoke(&resource) =>
                        {
                            // A file has no clock: its `Date` header is the default start.
                            MockOutcome::Return(crate::exec::integration::lambda_invoke_response(
                                v.clone(),
                                &mut rng,
                                crate::env::Env::default().start_time_ms,
                            ))
                        }
                        // SFN Local requires both strings.
                        MockOutcome::Throw { error, cause } => MockOutcome::Throw {
                            error: error.clone(),
                            cause: Some(cause.clone().unwrap_or_else(|| "".into())),
                        },
                        other => other.clone(),
                    };
                    let response = MockResponse {
                        outcome,
                        duration_ms: 0,
                        wrap_payload: false,
                    };
                    (*lo, hi, response)
                })
                .collect();
            states.push((state.clone(), state.clone()));
            responses.push((state, MockSequence { entries }));
        }
        MockConfig {
            state_machines: vec![MachineCases {
                name: machine_name.into(),
                test_cases: vec![TestCase {
                    name: test_case.into(),
                    states,
                }],
            }],
            responses,
        }
    }

    /// The file's JSON: Step Functions Local's format, plus the native extensions
    /// (`ReturnPayload`, `DurationSeconds`) when the responses use them (a file made by
    /// [`MockConfig::export`] uses none).
    pub fn to_value(&self) -> Value {
        let mut machines = Object::with_capacity(self.state_machines.len());
        for sm in &self.state_machines {
            let mut cases = Object::with_capacity(sm.test_cases.len());
            for c in &sm.test_cases {
                let mut states = Object::with_capacity(c.states.len());
                for (s, r) in &c.states {
                    states.insert(s.clone(), Value::String(r.clone()));
                }
                cases.insert(c.name.clone(), Value::object(states));
            }
            let mut entry = Object::with_capacity(1);
            entry.insert("TestCases".into(), Value::object(cases));
            machines.insert(sm.name.clone(), Value::object(entry));
        }
        let mut responses = Object::with_capacity(self.responses.len());
        for (name, seq) in &self.responses {
            let mut numbered = Object::with_capacity(seq.entries.len());
            for (lo, hi, r) in &seq.entries {
                numbered.insert(range_key(*lo, *hi).into(), r.to_value());
            }
            responses.insert(name.clone(), Value::object(numbered));
        }
        let mut out = Object::with_capacity(2);
        out.insert("StateMachines".into(), Value::object(machines));
        out.insert("MockedResponses".into(), Value::object(responses));
        Value::object(out)
    }
}

/// See [`MockConfig::export`]: one less than the default transition limit.
const EXPORT_LAST_INDEX: u64 = 99_999;

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
        let ret = |s: Option<&MockSequence>| s.and_then(|s| s.response(0)).map(|r| r.outcome.clone());
        assert_eq!(ret(m.sequence("A", "arn:r")), Some(MockOutcome::Return(Value::from_i64(1))));
        assert_eq!(ret(m.sequence("B", "arn:r")), Some(MockOutcome::Return(Value::from_i64(2))));
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
            ("{\"A\": {\"0\": {\"Return\": 1},\n \"2\": {\"Return\": 1}}}", 2, 2),
            ("{\"A\": {\"x\": {\"Return\": 1}}}", 1, 8),
            ("{\"A\": {\"Throw\": {\"Cause\": \"c\"}}}", 1, 17),
            ("{\"A\": {\"Return\": 1, \"Throw\": {\"Error\": \"e\"}}}", 1, 21),
            ("{\"A\": {\"Retrun\": 1}}", 1, 8),
            ("{\"A\": {\"Return\": 1}", 1, 20),
            ("", 1, 1),
        ] {
            let e = Mocks::parse(bad).expect_err(bad);
            assert_eq!((e.line, e.column), (line, column), "{bad}: {e}");
        }
    }

    const CONFIG: &str = r#"{
  "StateMachines": {
    "LambdaSQSIntegration": {
      "TestCases": {
        "HappyPath": {"LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSSuccess"},
        "RetryPath": {"LambdaState": "MockedLambdaRetry", "SQSState": "MockedSQSSuccess"}
      }
    }
  },
  "MockedResponses": {
    "MockedLambdaSuccess": {"0": {"Return": {"StatusCode": 200, "Payload": {"body": "hi"}}}},
    "MockedSQSSuccess": {"0": {"Return": {"MessageId": "m"}}},
    "MockedLambdaRetry": {
      "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "not ready"}},
      "1-2": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "timed out"}},
      "3": {"Return": {"StatusCode": 200, "Payload": {"body": "hi"}}}
    }
  }
}"#;

    #[test]
    fn reads_a_mock_config_file() {
        let c = MockConfig::parse(CONFIG).expect("valid");
        assert_eq!(c.cases().len(), 2);
        let m = c.mocks(None, "RetryPath").expect("case");
        let seq = m.sequence("LambdaState", "x").expect("mocked");
        assert!(matches!(seq.response(2).map(|r| &r.outcome), Some(MockOutcome::Throw { error, .. }) if &**error == "Lambda.TimeoutException"));
        assert!(matches!(seq.response(3).map(|r| &r.outcome), Some(MockOutcome::Return(_))));
        assert!(seq.response(4).is_none());
        assert!(c.mocks(Some("Other"), "RetryPath").is_err());
        assert!(c.mocks(None, "Nope").is_err());
        // The value round-trips through the writer.
        let again = MockConfig::from_value(&c.to_value()).expect("round trip");
        assert_eq!(again, c);
    }

    #[test]
    fn mock_config_errors_point_at_the_problem() {
        let bad = CONFIG.replace("\"SQSState\": \"MockedSQSSuccess\"}", "\"SQSState\": \"Missing\"}");
        let e = MockConfig::parse(&bad).expect_err("unknown response");
        assert_eq!(e.line, 5, "{e}");
        assert!(e.message.contains("\"Missing\""), "{e}");
        let e = MockConfig::parse(r#"{"StateMachines": {}, "MockedResponse": {}}"#).expect_err("singular");
        assert_eq!((e.line, e.column), (1, 23));
        let e = MockFile::parse("{\"StateMachines\": {\"S\": {\"TestCases\": {\"C\": {\"A\": 1}}}}}")
            .expect_err("non-string");
        assert!(e.message.contains("must be a MockedResponses name"), "{e}");
    }

    #[test]
    fn exports_for_a_machine() {
        let def = r#"{"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "P"},
            "P": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {
                "B": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}}], "End": true}}}"#;
        let machine = crate::load(def).machine.expect("machine");
        let mocks = Mocks::parse(
            r#"{"States": {"A": {"ReturnPayload": {"ok": true}}}, "Resources": {"arn:aws:states:::sqs:sendMessage": {"Throw": {"Error": "E"}}}}"#,
        )
        .expect("mocks");
        let c = MockConfig::export(&machine, "M", "Case", &mocks);
        let v = c.to_value();
        assert_eq!(
            v.get("StateMachines").and_then(|s| s.get("M")).and_then(|m| m.get("TestCases")).and_then(|t| t.get("Case")).map(Value::to_json_string),
            Some(r#"{"A":"A","B":"B"}"#.to_string())
        );
        let a = v.get("MockedResponses").and_then(|r| r.get("A")).and_then(|a| a.get("0-99999")).and_then(|e| e.get("Return")).expect("A");
        assert_eq!(a.get("StatusCode"), Some(&Value::from_i64(200)));
        assert_eq!(a.get("Payload").map(Value::to_json_string).as_deref(), Some(r#"{"ok":true}"#));
        let b = v.get("MockedResponses").and_then(|r| r.get("B")).and_then(|b| b.get("0-99999")).map(Value::to_json_string);
        assert_eq!(b.as_deref(), Some(r#"{"Throw":{"Error":"E","Cause":""}}"#));
        // And it imports back as the same outcomes.
        let back = MockConfig::from_value(&v).and_then(|c| c.mocks(None, "Case")).expect("import");
        assert!(back.sequence("B", "").and_then(|s| s.response(99_999)).is_some());
    }
}
