//! A state's visits: every time it was entered (each Map iteration's included), with each
//! attempt of its work, the data at each processing stage and AWS TestState's `errorDetails`.
//!
//! Stage names are TestState's `inspectionData` names (`afterInputPath`, `afterParameters`,
//! `result`, `afterResultSelector`, `afterResultPath`; a Map's `afterItemsPath`,
//! `afterItemSelector`, `afterItemBatcher`), each with the field and path that produced it and
//! what changed from the stage before. A simulated run records the stages on `…StateExited`;
//! for a history without them (recorded on AWS, or a visit that never exited) the stages are
//! what the events show: the input, the request sent, the result and the output.
//!
//! Error details are derived from the events and the definition with the executor's own
//! matching rules ([`crate::exec::retry`]): a failed attempt followed by another attempt was
//! retried by the first Retry rule whose `ErrorEquals` matches, after the virtual time between
//! the two; a failed attempt followed by the state's exit was caught by the first matching
//! Catch.
//!
//! Not owned here: the overlay ([`super::Overlay`]), producing events ([`crate::exec`]).

use std::sync::Arc;

use serde::Serialize;

use super::diff::{Change, changes};
use super::locate::StateIndex;
use super::{is_attempt_failure, is_attempt_start, is_state_entered, is_state_exited};
use crate::exec::io::{self, ContextExtras, ExecNames};
use crate::exec::retry;
use crate::exec::timestamp;
use crate::history::{EventDetails, EventType, HistoryEvent, Stages};
use crate::model::{Catcher, NullablePath, QueryLanguage, Retrier, State, StateKind, StateMachine};
use crate::value::Value;

/// AWS's payload limit, for the output meter.
pub const PAYLOAD_LIMIT: usize = 256 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum VisitOutcome {
    Running,
    Succeeded,
    /// Failed and a Catch took the error.
    Caught,
    Failed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum AttemptOutcome {
    Running,
    Succeeded,
    Failed,
    TimedOut,
}

/// One attempt of a state's work (a Task call, a Parallel's or Map's run).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    /// 1-based.
    pub number: u32,
    pub started_event: u32,
    pub ended_event: Option<u32>,
    pub outcome: AttemptOutcome,
    /// What the task was sent (a Task's parameters, a Lambda's or activity's input).
    pub request: Option<Value>,
    /// The raw result.
    pub result: Option<Value>,
    pub error: Option<Arc<str>>,
    pub cause: Option<Arc<str>>,
    /// The Retry rule that sent it round again (0-based), when it was retried.
    pub retry_index: Option<usize>,
    /// The virtual back-off before the next attempt.
    pub retry_backoff_interval_seconds: Option<f64>,
}

/// TestState's `errorDetails` for a visit that met an error.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetails {
    pub error: Option<Arc<str>>,
    pub cause: Option<Arc<str>>,
    /// The last Retry rule that retried it.
    pub retry_index: Option<usize>,
    pub retry_backoff_interval_seconds: Option<f64>,
    /// The Catch rule that took it.
    pub catch_index: Option<usize>,
}

/// The data after one processing stage.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stage {
    /// TestState's `inspectionData` name (`afterInputPath`…).
    pub name: &'static str,
    /// The field that produced it (`InputPath`…; empty for the input).
    pub field: &'static str,
    /// The path, when the field is one (absent fields show their default, `$`).
    pub expression: Option<String>,
    pub value: Value,
    /// What changed from the stage before.
    pub changes: Vec<Change>,
}

/// One visit of a state.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Visit {
    pub path: Arc<str>,
    pub state: Arc<str>,
    pub state_type: &'static str,
    /// Map iteration indexes, outermost first.
    pub iterations: Arc<[u32]>,
    /// 1-based among the state's visits.
    pub number: u32,
    pub entered_event: u32,
    pub exited_event: Option<u32>,
    /// The visit's last event so far.
    pub last_event: u32,
    /// Virtual milliseconds from the execution's start to the visit's start.
    pub entered_ms: i64,
    pub outcome: VisitOutcome,
    pub input: Value,
    pub output: Option<Value>,
    /// The output's size in bytes, against [`PAYLOAD_LIMIT`].
    pub output_bytes: Option<usize>,
    pub payload_limit: usize,
    pub attempts: Vec<Attempt>,
    pub stages: Vec<Stage>,
    pub error_details: Option<ErrorDetails>,
    pub assigned_variables: Option<Value>,
    /// The workflow variables visible when the state was entered, and after its `Assign`
    /// (recorded runs only).
    pub variables_before: Option<Value>,
    pub variables_after: Option<Value>,
    /// Map settings as evaluated (`maxConcurrency`, `toleratedFailureCount`,
    /// `toleratedFailurePercentage`), when the state is a Map.
    pub map_settings: Option<Value>,
    /// `$$` as the state saw it.
    pub context: Value,
}

/// Inspects runs of one definition (see the module doc).
#[derive(Debug)]
pub struct Inspector<'m> {
    index: StateIndex<'m>,
    names: ExecNames,
}

impl<'m> Inspector<'m> {
    pub fn new(machine: &'m StateMachine) -> Inspector<'m> {
        Inspector {
            index: StateIndex::new(machine),
            names: ExecNames::default(),
        }
    }

    /// The names `$$` is built from (the execution's options).
    pub fn with_names(mut self, names: ExecNames) -> Inspector<'m> {
        self.names = names;
        self
    }

    pub fn index(&self) -> &StateIndex<'m> {
        &self.index
    }

    /// The visit an event belongs to: its state path and the visit's position in
    /// [`Inspector::visits`] for that path.
    pub fn visit_of_event(
        &self,
        history: &[HistoryEvent],
        event_id: u32,
    ) -> Option<(Arc<str>, usize)> {
        let ev = history.get((event_id as usize).checked_sub(1)?)?;
        if ev.path.is_empty() || self.index.get(&ev.path).is_none() {
            return None;
        }
        // Map iteration events carry the iteration's own index: they belong to the Map's visit.
        let own = match ev.kind {
            EventType::MapIterationStarted
            | EventType::MapIterationSucceeded
            | EventType::MapIterationFailed => ev.iterations.len().saturating_sub(1),
            _ => ev.iterations.len(),
        };
        let key = &ev.iterations[..own];
        let mut n = 0;
        let mut found = None;
        for e in &history[..event_id as usize] {
            if e.path == ev.path && is_state_entered(e.kind) {
                if *e.iterations == *key {
                    found = Some(n);
                }
                n += 1;
            }
        }
        found.map(|i| (ev.path.clone(), i))
    }

    /// Every visit of the state at `path` in `history`, in the order they started.
    pub fn visits(&self, history: &[HistoryEvent], path: &str) -> Vec<Visit> {
        let Some(state) = self.index.get(path) else {
            return Vec::new();
        };
        let start_ms = history.first().map_or(0, |e| e.timestamp_ms);
        let mut visits: Vec<Visit> = Vec::new();
        // Open visits by iteration key (a state runs at most once at a time per iteration).
        let mut open: Vec<(Arc<[u32]>, usize)> = Vec::new();
        let mut stages: Vec<Option<Box<Stages>>> = Vec::new();
        for ev in history {
            if *ev.path != *path {
                if ev.kind == EventType::ExecutionFailed || ev.kind == EventType::ExecutionTimedOut
                {
                    fail_open(&mut visits, &mut open, ev);
                }
                continue;
            }
            if is_state_entered(ev.kind) {
                open.retain(|(k, _)| *k != ev.iterations);
                open.push((ev.iterations.clone(), visits.len()));
                let input = match &ev.details {
                    EventDetails::StateEntered { input, .. } => input.clone(),
                    _ => Value::Null,
                };
                visits.push(Visit {
                    path: ev.path.clone(),
                    state: state.name.clone(),
                    state_type: state.kind.type_name(),
                    iterations: ev.iterations.clone(),
                    number: visits.len() as u32 + 1,
                    entered_event: ev.id,
                    exited_event: None,
                    last_event: ev.id,
                    entered_ms: ev.timestamp_ms - start_ms,
                    outcome: if ev.kind == EventType::FailStateEntered {
                        VisitOutcome::Failed
                    } else {
                        VisitOutcome::Running
                    },
                    input,
                    output: None,
                    output_bytes: None,
                    payload_limit: PAYLOAD_LIMIT,
                    attempts: Vec::new(),
                    stages: Vec::new(),
                    error_details: None,
                    assigned_variables: None,
                    variables_before: None,
                    variables_after: None,
                    map_settings: None,
                    context: Value::Null,
                });
                stages.push(None);
                continue;
            }
            let Some(&(_, vi)) = open.iter().find(|(k, _)| *k == ev.iterations) else {
                continue;
            };
            let v = &mut visits[vi];
            v.last_event = ev.id;
            if is_attempt_start(ev.kind) {
                // A retry: the visit runs again.
                if v.outcome == VisitOutcome::Failed {
                    v.outcome = VisitOutcome::Running;
                }
                let request = match &ev.details {
                    EventDetails::TaskScheduled { parameters, .. } => Some(parameters.clone()),
                    EventDetails::LambdaScheduled { input, .. }
                    | EventDetails::ActivityScheduled { input, .. } => Some(input.clone()),
                    _ => None,
                };
                v.attempts.push(Attempt {
                    number: v.attempts.len() as u32 + 1,
                    started_event: ev.id,
                    ended_event: None,
                    outcome: AttemptOutcome::Running,
                    request,
                    result: None,
                    error: None,
                    cause: None,
                    retry_index: None,
                    retry_backoff_interval_seconds: None,
                });
            } else if is_attempt_failure(ev.kind) {
                let (error, cause) = match &ev.details {
                    EventDetails::Failure { error, cause, .. } => (error.clone(), cause.clone()),
                    _ => (None, None),
                };
                let timed_out = matches!(
                    ev.kind,
                    EventType::TaskTimedOut
                        | EventType::LambdaFunctionTimedOut
                        | EventType::ActivityTimedOut
                );
                if let Some(a) = v.attempts.last_mut() {
                    a.ended_event = Some(ev.id);
                    a.outcome = if timed_out {
                        AttemptOutcome::TimedOut
                    } else {
                        AttemptOutcome::Failed
                    };
                    a.error = error.clone();
                    a.cause = cause.clone();
                }
                v.outcome = VisitOutcome::Failed;
                v.error_details = Some(ErrorDetails {
                    error,
                    cause,
                    retry_index: v.error_details.as_ref().and_then(|d| d.retry_index),
                    retry_backoff_interval_seconds: v
                        .error_details
                        .as_ref()
                        .and_then(|d| d.retry_backoff_interval_seconds),
                    catch_index: None,
                });
            } else if let Some(result) = attempt_result(ev) {
                if let Some(a) = v.attempts.last_mut() {
                    a.ended_event = Some(ev.id);
                    a.outcome = AttemptOutcome::Succeeded;
                    a.result = result;
                }
            } else if is_state_exited(ev.kind) {
                v.exited_event = Some(ev.id);
                v.outcome = if v.outcome == VisitOutcome::Failed {
                    VisitOutcome::Caught
                } else {
                    VisitOutcome::Succeeded
                };
                if let EventDetails::StateExited {
                    output,
                    assigned_variables,
                    stages: recorded,
                    ..
                } = &ev.details
                {
                    v.output_bytes = Some(output.json_len());
                    v.output = Some(output.clone());
                    v.assigned_variables = assigned_variables.clone();
                    stages[vi] = recorded.clone();
                }
                open.retain(|(_, i)| *i != vi);
            }
        }
        // The enclosing Map's visits, once, for `$$.Map.Item`.
        let maps = match self.index.enclosing_map(path) {
            Some(map_path) if !visits.is_empty() => self.visits(history, map_path),
            _ => Vec::new(),
        };
        for (v, recorded) in visits.iter_mut().zip(&stages) {
            self.explain_errors(v, state, history);
            v.stages = self.stages(v, state, recorded.as_deref(), history);
            v.map_settings = recorded.as_deref().and_then(map_settings);
            v.variables_before = recorded.as_deref().and_then(|s| s.variables.clone());
            v.variables_after =
                after_assign(v.variables_before.as_ref(), v.assigned_variables.as_ref());
            v.context = self.context(v, history, &maps);
        }
        visits
    }

    /// Retry and Catch indexes and back-offs, from the order of the events (module doc).
    fn explain_errors(&self, v: &mut Visit, state: &State, history: &[HistoryEvent]) {
        let (retriers, catchers) = rules(state);
        let mut last_retry: Option<(usize, f64)> = None;
        let n = v.attempts.len();
        for i in 0..n {
            let (Some(error), Some(failed_at)) =
                (v.attempts[i].error.clone(), v.attempts[i].ended_event)
            else {
                continue;
            };
            if i + 1 < n {
                let next = v.attempts[i + 1].started_event;
                let ms = event_time(history, next) - event_time(history, failed_at);
                let index = retriers
                    .iter()
                    .position(|r| retry::matches(&r.error_equals, &error));
                let backoff = ms as f64 / 1000.0;
                v.attempts[i].retry_index = index;
                v.attempts[i].retry_backoff_interval_seconds = Some(backoff);
                if let Some(index) = index {
                    last_retry = Some((index, backoff));
                }
            }
        }
        let caught = v.outcome == VisitOutcome::Caught;
        if let Some(d) = v.error_details.as_mut() {
            d.retry_index = last_retry.map(|r| r.0);
            d.retry_backoff_interval_seconds = last_retry.map(|r| r.1);
            if caught {
                let error = d.error.as_deref().unwrap_or("");
                d.catch_index = catchers
                    .iter()
                    .position(|c| retry::matches(&c.error_equals, error));
            }
        }
    }

    fn stages(
        &self,
        v: &Visit,
        state: &State,
        recorded: Option<&Stages>,
        history: &[HistoryEvent],
    ) -> Vec<Stage> {
        let jsonata = state.query_language == QueryLanguage::Jsonata;
        let mut raw: Vec<(&'static str, &'static str, Option<String>, Value)> = Vec::new();
        let mut add = |name, field, expr: Option<String>, value: Option<&Value>| {
            if let Some(value) = value {
                raw.push((name, field, expr, value.clone()));
            }
        };
        let io = &state.io;
        add("input", "", None, Some(&v.input));
        match recorded {
            Some(s) => {
                if !jsonata {
                    add(
                        "afterInputPath",
                        "InputPath",
                        Some(path_text(io.input_path.as_ref())),
                        s.after_input_path.as_ref(),
                    );
                }
                if let StateKind::Map(m) = &state.kind {
                    let items_field = if m.items.is_some() {
                        "Items"
                    } else {
                        "ItemsPath"
                    };
                    let expr = (!jsonata).then(|| path_text(m.items_path.as_ref()));
                    add(
                        "afterItemsPath",
                        items_field,
                        expr,
                        s.after_items_path.as_ref(),
                    );
                    if m.item_selector.is_some() {
                        let selected =
                            self.item_inputs(v, m.processor.start_at.name.as_ref(), history);
                        add(
                            "afterItemSelector",
                            if m.legacy_iterator {
                                "Parameters"
                            } else {
                                "ItemSelector"
                            },
                            None,
                            Some(&selected),
                        );
                    }
                    add(
                        "afterItemBatcher",
                        "ItemBatcher",
                        None,
                        s.after_item_batcher.as_ref(),
                    );
                } else {
                    let field = if jsonata { "Arguments" } else { "Parameters" };
                    let name = if jsonata {
                        "afterArguments"
                    } else {
                        "afterParameters"
                    };
                    add(name, field, None, s.after_parameters.as_ref());
                }
                add("result", result_field(state), None, s.result.as_ref());
                add(
                    "afterResultSelector",
                    "ResultSelector",
                    None,
                    s.after_result_selector.as_ref(),
                );
                add(
                    "afterResultPath",
                    "ResultPath",
                    (!jsonata).then(|| path_text(io.result_path.as_ref())),
                    s.after_result_path.as_ref(),
                );
                let out_field = if jsonata { "Output" } else { "OutputPath" };
                let expr = (!jsonata).then(|| path_text(io.output_path.as_ref()));
                add(
                    "output",
                    out_field,
                    expr,
                    s.output.as_ref().or(v.output.as_ref()),
                );
            }
            None => {
                // What the events show (an AWS-recorded history, or a visit that never exited).
                let first = v.attempts.first();
                add(
                    "afterParameters",
                    "Parameters",
                    None,
                    first.and_then(|a| a.request.as_ref()),
                );
                let last = v.attempts.last();
                add(
                    "result",
                    result_field(state),
                    None,
                    last.and_then(|a| a.result.as_ref()),
                );
                add("output", "OutputPath", None, v.output.as_ref());
            }
        }
        let mut out: Vec<Stage> = Vec::with_capacity(raw.len());
        for (name, field, expression, value) in raw {
            let changes = out
                .last()
                .map(|p: &Stage| changes(&p.value, &value))
                .unwrap_or_default();
            out.push(Stage {
                name,
                field,
                expression,
                value,
                changes,
            });
        }
        out
    }

    /// The inputs the iterations of a Map visit started with: ItemSelector's output per item.
    fn item_inputs(&self, v: &Visit, start: &str, history: &[HistoryEvent]) -> Value {
        let child = format!("{}/0/{start}", v.path);
        let depth = v.iterations.len();
        let end = v.exited_event.unwrap_or(v.last_event).max(v.last_event) as usize;
        let mut items: Vec<(u32, Value)> = Vec::new();
        for ev in history.iter().take(end).skip(v.entered_event as usize) {
            if *ev.path == *child
                && is_state_entered(ev.kind)
                && ev.iterations.len() == depth + 1
                && ev.iterations[..depth] == *v.iterations
                && let EventDetails::StateEntered { input, .. } = &ev.details
            {
                let i = ev.iterations[depth];
                if !items.iter().any(|(j, _)| *j == i) {
                    items.push((i, input.clone()));
                }
            }
        }
        crate::sort::sort_by_key(&mut items, |(i, _)| *i);
        Value::array(items.into_iter().map(|(_, v)| v).collect())
    }

    /// `$$` at the visit: the execution's, the state's (with the retry count of its last
    /// attempt) and, inside a Map, the item's.
    fn context(&self, v: &Visit, history: &[HistoryEvent], maps: &[Visit]) -> Value {
        let (input, start) = match history.first() {
            Some(HistoryEvent {
                details: EventDetails::ExecutionStarted { input, .. },
                timestamp_ms,
                ..
            }) => (input.clone(), *timestamp_ms),
            _ => (Value::Null, 0),
        };
        let (ex, sm) = io::execution_context(&self.names, &input, &timestamp::format_millis(start));
        let entered = timestamp::format_millis(start + v.entered_ms);
        let item = map_item(v, maps);
        io::state_context(
            &ex,
            &sm,
            &v.state,
            &entered,
            ContextExtras {
                retry_count: Some(v.attempts.len().saturating_sub(1) as u32),
                task_token: None,
                map_item: item.as_ref().map(|(i, value)| (*i, value)),
            },
        )
    }
}

/// `$$.Map.Item` for a visit inside a Map: its index, and the item from the enclosing Map
/// visit's items (`maps`: that Map's visits).
fn map_item(v: &Visit, maps: &[Visit]) -> Option<(usize, Value)> {
    let index = *v.iterations.last()?;
    let outer = &v.iterations[..v.iterations.len() - 1];
    let map_visit = maps
        .iter()
        .rev()
        .find(|m| *m.iterations == *outer && m.entered_event < v.entered_event)?;
    let item = map_visit
        .stages
        .iter()
        .find(|s| s.name == "afterItemsPath")
        .and_then(|s| s.value.as_array())
        .and_then(|a| a.get(index as usize).cloned())
        .unwrap_or_default();
    Some((index as usize, item))
}

/// Marks the visits still open when the execution ended badly as failed; the one whose thread
/// reported last takes the execution's error.
fn fail_open(visits: &mut [Visit], open: &mut Vec<(Arc<[u32]>, usize)>, ev: &HistoryEvent) {
    for (_, vi) in open.drain(..) {
        let v = &mut visits[vi];
        if v.outcome == VisitOutcome::Running {
            v.outcome = VisitOutcome::Failed;
        }
        if v.error_details.is_none()
            && v.last_event == ev.previous_event_id
            && let EventDetails::Failure { error, cause, .. } = &ev.details
        {
            v.error_details = Some(ErrorDetails {
                error: error.clone(),
                cause: cause.clone(),
                retry_index: None,
                retry_backoff_interval_seconds: None,
                catch_index: None,
            });
        }
    }
}

/// `Some(result)` when the event ends an attempt successfully.
fn attempt_result(ev: &HistoryEvent) -> Option<Option<Value>> {
    match ev.kind {
        EventType::TaskSucceeded
        | EventType::LambdaFunctionSucceeded
        | EventType::ActivitySucceeded => Some(match &ev.details {
            EventDetails::TaskSucceeded { output, .. }
            | EventDetails::LambdaSucceeded { output } => Some(output.clone()),
            _ => None,
        }),
        EventType::ParallelStateSucceeded | EventType::MapStateSucceeded => Some(None),
        _ => None,
    }
}

fn event_time(history: &[HistoryEvent], id: u32) -> i64 {
    (id as usize)
        .checked_sub(1)
        .and_then(|i| history.get(i))
        .map_or(0, |e| e.timestamp_ms)
}

fn rules(state: &State) -> (&[Retrier], &[Catcher]) {
    match &state.kind {
        StateKind::Task(t) => (&t.retry, &t.catch),
        StateKind::Parallel(p) => (&p.retry, &p.catch),
        StateKind::Map(m) => (&m.retry, &m.catch),
        _ => (&[], &[]),
    }
}

fn result_field(state: &State) -> &'static str {
    match &state.kind {
        StateKind::Task(_) => "Resource",
        StateKind::Pass(_) => "Result",
        StateKind::Parallel(_) => "Branches",
        StateKind::Map(_) => "ItemProcessor",
        _ => "",
    }
}

/// A path field as written, `$` when absent (its default), `null` when null.
fn path_text(p: Option<&NullablePath>) -> String {
    match p {
        None => "$".into(),
        Some(NullablePath::Null(_)) => "null".into(),
        Some(NullablePath::Path(p)) => p.value.to_string(),
    }
}

/// The variables after an `Assign`: those before, with the assigned ones set.
fn after_assign(before: Option<&Value>, assigned: Option<&Value>) -> Option<Value> {
    let assigned = assigned
        .and_then(Value::as_object)
        .filter(|a| !a.is_empty());
    match (before, assigned) {
        (b, None) => b.cloned(),
        (b, Some(a)) => {
            let mut all = b.and_then(Value::as_object).cloned().unwrap_or_default();
            for (k, v) in a.iter() {
                all.insert(k.clone(), v.clone());
            }
            Some(Value::object(all))
        }
    }
}

fn map_settings(s: &Stages) -> Option<Value> {
    let max = s.max_concurrency?;
    let mut obj = crate::value::Object::with_capacity(3);
    obj.insert("maxConcurrency".into(), Value::from_i64(max as i64));
    if let Some(c) = s.tolerated_failure_count {
        obj.insert("toleratedFailureCount".into(), Value::from_i64(c as i64));
    }
    if let Some(p) = s.tolerated_failure_percentage {
        obj.insert("toleratedFailurePercentage".into(), Value::from_f64(p));
    }
    Some(Value::object(obj))
}
