//! Comparing a recording with a simulation of it: run the definition on the recorded input with
//! mocks (usually [`super::mocks_from`]'s) and the recording's names and start time, then walk
//! both histories event by event and report the first [`Divergence`].
//!
//! # What is compared
//!
//! Events are compared per thread, in order: the top level, each Parallel branch, each Map
//! iteration (a thread is the scope of the event's state plus its iteration indexes), because
//! concurrent threads interleave differently on AWS and in the simulator without either being
//! wrong. The first divergence is the one earliest in the recording. For each pair: the event
//! type (a different state entered is [`DivergenceKind::State`]), the state name, a state's input
//! and output, the variables it assigned, a task's request and result, the execution's output,
//! and the error and cause of a failure (only where the recording has them: AWS gives a failed
//! Parallel or Map none). A recording that has not ended (`RUNNING`) is a prefix: the
//! simulation going on past it is no divergence.
//!
//! # What legitimately differs (normalised)
//!
//! - Event ids, `previousEventId` and timestamps are not compared; inside values, two strings
//!   that are both RFC 3339 timestamps match (tasks take real time on AWS, none in mocks).
//! - Two ARNs match when they name the same service and resource type (`arn:*:lambda:*:*:function…`):
//!   partition, region, account and names depend on where it ran.
//! - Two UUIDs match (`States.UUID`, request ids, execution names).
//! - A string holding a token the recording masked ([`super::Recording::wildcards`]) matches any
//!   text in its place.
//! - Objects compare without regard to key order; numbers by value.
//!
//! [`compare_recorded`] answers each task exactly as recorded for its Map iteration and attempt
//! instead of through the per-state mock counter, for Maps whose iterations AWS interleaved.
//!
//! Not owned here: executing ([`crate::exec`]), deriving the mocks.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use serde::Serialize;

use super::Recording;
use super::normalise::{strings_match, values_match};
use crate::error::{ErrorName, ExecError};
use crate::exec::{ExecOptions, Execution, Status, TaskHandler, TaskResult};
use crate::history::{EventDetails, EventType, HistoryEvent};
use crate::inspect::StateIndex;
use crate::mock::{MockOutcome, MockResponse, MockSequence, Mocks};
use crate::model::StateMachine;
use crate::value::Value;

/// What differs at a divergence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DivergenceKind {
    /// A different state was entered (or left).
    State,
    /// A different event type.
    Type,
    /// A state's input or a task's request.
    Input,
    /// A state's output, a task's result or the execution's output.
    Output,
    /// The variables a state assigned (`assignedVariables`).
    Variables,
    Error,
    Cause,
    /// The recording goes on where the simulation stopped (paused for a task without a mock,
    /// or ended).
    Missing,
    /// The simulation goes on where the recording stopped.
    Extra,
}

/// The first place the simulation left the recording.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Divergence {
    pub kind: DivergenceKind,
    /// The recorded event's id (1-based, as in the replay), when there is one.
    pub recorded_event: Option<u32>,
    pub simulated_event: Option<u32>,
    /// The state's path (to mark on the graph) and name.
    pub path: Option<Arc<str>>,
    pub state: Option<Arc<str>>,
    /// Map iteration indexes, outermost first.
    pub iterations: Vec<u32>,
    /// What the recording and the simulation have there (an event type, a state name, a
    /// value, an error or a cause).
    pub recorded: Option<Value>,
    pub simulated: Option<Value>,
    /// One sentence for the user.
    pub message: String,
}

/// The result of [`compare`].
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    pub divergence: Option<Divergence>,
    pub recorded_events: usize,
    pub simulated_events: usize,
    /// Recorded events before the first divergence, in the recording's order (all of them
    /// without one). Threads (branches, Map iterations) are compared each in its own order, so
    /// some of these may be ahead of the divergence in a thread of their own.
    pub matched_events: usize,
    pub recorded_status: &'static str,
    /// `PAUSED` when a task had no mock.
    pub simulated_status: &'static str,
    /// The simulation's history, to show beside the recording.
    #[serde(skip)]
    pub simulated: Vec<HistoryEvent>,
}

/// Simulates `recording` with `mocks` and compares (see the module doc).
pub fn compare(machine: Arc<StateMachine>, recording: &Recording, mocks: Mocks) -> Comparison {
    compare_with(
        machine,
        recording,
        ExecOptions {
            mocks: Arc::new(mocks),
            ..ExecOptions::default()
        },
    )
}

/// Recorded answers by (state, Map iterations), in invocation order; `None`: left to the mocks.
type Answers = FxHashMap<(Arc<str>, Vec<u32>), VecDeque<Option<TaskResult>>>;

/// [`compare`] with each task answered exactly as recorded for its Map iteration and attempt,
/// rather than by a per-state counter: inside a Map running iterations concurrently, the
/// simulator may invoke in another order than AWS did, and a counter would then give one
/// iteration another's result. Answers a handler cannot give (a timeout, which takes virtual
/// time; an error without a cause) come from mocks holding just those, in order. `options`
/// gives the seed and limits; its mocks and task handler are replaced.
pub fn compare_recorded(
    machine: Arc<StateMachine>,
    recording: &Recording,
    mut options: ExecOptions,
) -> Comparison {
    let derived = super::mocks_from(&machine, &recording.events);
    let mut queues: Answers = FxHashMap::default();
    let mut fallback: FxHashMap<Arc<str>, Vec<MockResponse>> = FxHashMap::default();
    for (state, iterations, r) in &derived.by_iteration {
        let exact = match &r.outcome {
            _ if r.duration_ms > 0 => None,
            MockOutcome::Return(v) => Some(Ok(v.clone())),
            MockOutcome::Throw {
                error,
                cause: Some(cause),
            } => Some(Err(ExecError::new(
                ErrorName::parse(error),
                cause.to_string(),
            ))),
            MockOutcome::Throw { cause: None, .. } => None,
        };
        if exact.is_none() {
            fallback.entry(state.clone()).or_default().push(r.clone());
        }
        queues
            .entry((state.clone(), iterations.to_vec()))
            .or_default()
            .push_back(exact);
    }
    let queues = Mutex::new(queues);
    options.task_handler = Some(TaskHandler::new(move |req| {
        // A poisoned lock (a panic elsewhere) declines: the task falls back to the mocks.
        let mut q = queues.lock().ok()?;
        q.get_mut(&(Arc::from(req.state), req.iterations.to_vec()))?
            .pop_front()
            .flatten()
    }));
    let mut mocks = Mocks::default();
    for (state, responses) in fallback {
        let entries = responses
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i as u64, i as u64, r))
            .collect();
        mocks.by_state.insert(state, MockSequence { entries });
    }
    options.mocks = Arc::new(mocks);
    compare_with(machine, recording, options)
}

/// [`compare`] with the caller's options (seed, limits); the recording's names and start time
/// replace the options'.
pub fn compare_with(
    machine: Arc<StateMachine>,
    recording: &Recording,
    mut options: ExecOptions,
) -> Comparison {
    options.names = recording.names.clone();
    if let Some(t) = recording.start_time_ms {
        options.env.start_time_ms = t;
    }
    options.record_history = true;
    options.record_stages = false;
    let mut exec = Execution::start(machine.clone(), recording.input.clone(), options);
    let status = exec.run();
    let simulated_status = match &status {
        Status::Paused { .. } => "PAUSED",
        s => s.aws_name(),
    };
    let simulated = exec.history().to_vec();
    let index = StateIndex::new(&machine);
    let (divergence, matched_events) = diverge(
        &index,
        &recording.events,
        &simulated,
        &recording.wildcards,
        &status,
        recording.status() == "RUNNING",
    );
    Comparison {
        divergence,
        recorded_events: recording.events.len(),
        simulated_events: simulated.len(),
        matched_events,
        recorded_status: recording.status(),
        simulated_status,
        simulated,
    }
}

type Thread = (Arc<str>, Arc<[u32]>);

/// The thread an event runs in (see the module doc).
fn thread(index: &StateIndex<'_>, ev: &HistoryEvent) -> Thread {
    if ev.path.is_empty() {
        return (Arc::from(""), ev.iterations.clone());
    }
    if matches!(
        ev.kind,
        EventType::MapIterationStarted
            | EventType::MapIterationSucceeded
            | EventType::MapIterationFailed
            | EventType::MapIterationAborted
    ) {
        return (format!("{}/0/", ev.path).into(), ev.iterations.clone());
    }
    let scope = match index.get(&ev.path) {
        Some(st) if ev.path.ends_with(&*st.name) => &ev.path[..ev.path.len() - st.name.len()],
        _ => "",
    };
    (Arc::from(scope), ev.iterations.clone())
}

fn split<'h>(
    index: &StateIndex<'_>,
    events: &'h [HistoryEvent],
) -> Vec<(Thread, Vec<&'h HistoryEvent>)> {
    let mut out: Vec<(Thread, Vec<&HistoryEvent>)> = Vec::new();
    let mut at: rustc_hash::FxHashMap<Thread, usize> = rustc_hash::FxHashMap::default();
    for ev in events {
        let t = thread(index, ev);
        match at.get(&t) {
            Some(&i) => out[i].1.push(ev),
            None => {
                at.insert(t.clone(), out.len());
                out.push((t, vec![ev]));
            }
        }
    }
    out
}

fn diverge(
    index: &StateIndex<'_>,
    recorded: &[HistoryEvent],
    simulated: &[HistoryEvent],
    wildcards: &[Arc<str>],
    status: &Status,
    unfinished: bool,
) -> (Option<Divergence>, usize) {
    let rec = split(index, recorded);
    let sim = split(index, simulated);
    // Threads looked up by key: a 10,000-iteration Map has 10,000 of them.
    let sim_at: rustc_hash::FxHashMap<&Thread, &[&HistoryEvent]> =
        sim.iter().map(|(t, e)| (t, e.as_slice())).collect();
    let mut first: Option<Divergence> = None;
    let mut keep = |d: Divergence| {
        let key = |d: &Divergence| {
            (
                d.recorded_event.unwrap_or(u32::MAX),
                d.simulated_event.unwrap_or(u32::MAX),
            )
        };
        if first.as_ref().is_none_or(|f| key(&d) < key(f)) {
            first = Some(d);
        }
    };
    let paused = match status {
        Status::Paused { tasks } => Some(
            tasks
                .iter()
                .map(|t| format!("\"{}\"", t.state))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ => None,
    };
    for (t, revs) in &rec {
        let sevs: &[&HistoryEvent] = sim_at.get(t).copied().unwrap_or(&[]);
        for (i, r) in revs.iter().enumerate() {
            match sevs.get(i) {
                Some(s) => {
                    if let Some(d) = pair(r, s, wildcards) {
                        keep(d);
                        break;
                    }
                }
                None => {
                    let why = match &paused {
                        Some(names) => format!(
                            "the simulation paused for a task without a mock ({names}) before \
                             this event"
                        ),
                        None => "the simulation has no such event here (it ended or went \
                                 elsewhere)"
                            .to_string(),
                    };
                    keep(at(
                        DivergenceKind::Missing,
                        Some(r),
                        None,
                        Some(Value::from(r.kind.as_str())),
                        None,
                        format!("recorded {} {}: {why}", r.kind, describe(r)),
                    ));
                    break;
                }
            }
        }
        if sevs.len() > revs.len() && !unfinished {
            let s = sevs[revs.len()];
            keep(at(
                DivergenceKind::Extra,
                None,
                Some(s),
                None,
                Some(Value::from(s.kind.as_str())),
                format!(
                    "the simulation goes on with {} {} where the recording has nothing more",
                    s.kind,
                    describe(s)
                ),
            ));
        }
    }
    // Of `sim_at`'s type rather than a set: one hash table type fewer in the wasm.
    let in_rec: rustc_hash::FxHashMap<&Thread, &[&HistoryEvent]> =
        rec.iter().map(|(t, e)| (t, e.as_slice())).collect();
    for (t, sevs) in &sim {
        if !unfinished
            && !in_rec.contains_key(t)
            && let Some(s) = sevs.first()
        {
            keep(at(
                DivergenceKind::Extra,
                None,
                Some(s),
                None,
                Some(Value::from(s.kind.as_str())),
                format!(
                    "the simulation has {} {} that the recording does not",
                    s.kind,
                    describe(s)
                ),
            ));
        }
    }
    let matched = match &first {
        None => recorded.len().min(simulated.len()),
        Some(d) => d
            .recorded_event
            .map_or(recorded.len(), |e| e.saturating_sub(1) as usize),
    };
    (first, matched)
}

fn state_name(ev: &HistoryEvent) -> Option<&Arc<str>> {
    match &ev.details {
        EventDetails::StateEntered { name, .. } | EventDetails::StateExited { name, .. } => {
            Some(name)
        }
        _ => None,
    }
}

fn describe(ev: &HistoryEvent) -> String {
    match state_name(ev) {
        Some(n) => format!("of \"{n}\""),
        None if !ev.path.is_empty() => format!("at \"{}\"", ev.path),
        None => String::new(),
    }
}

/// Two events whose `what` (a JSON value) differ.
fn values_differ(
    kind: DivergenceKind,
    r: &HistoryEvent,
    s: &HistoryEvent,
    rv: &Value,
    sv: &Value,
    what: &str,
) -> Divergence {
    at(
        kind,
        Some(r),
        Some(s),
        Some(rv.clone()),
        Some(sv.clone()),
        format!(
            "{} {}: recorded {what} {}, simulated {}",
            r.kind,
            describe(r),
            rv.to_json_string(),
            sv.to_json_string()
        ),
    )
}

fn at(
    kind: DivergenceKind,
    r: Option<&HistoryEvent>,
    s: Option<&HistoryEvent>,
    recorded: Option<Value>,
    simulated: Option<Value>,
    message: String,
) -> Divergence {
    let ev = r.or(s);
    Divergence {
        kind,
        recorded_event: r.map(|e| e.id),
        simulated_event: s.map(|e| e.id),
        path: ev.filter(|e| !e.path.is_empty()).map(|e| e.path.clone()),
        state: ev.and_then(state_name).cloned().or_else(|| {
            ev.filter(|e| !e.path.is_empty())
                .map(|e| e.path.rsplit('/').next().unwrap_or(&e.path).into())
        }),
        iterations: ev.map(|e| e.iterations.to_vec()).unwrap_or_default(),
        recorded,
        simulated,
        message,
    }
}

/// The values an event carries for comparison: (input-like, output-like).
fn values(ev: &HistoryEvent) -> (Option<&Value>, Option<&Value>) {
    match &ev.details {
        EventDetails::StateEntered { input, .. } => (Some(input), None),
        EventDetails::StateExited { output, .. }
        | EventDetails::ExecutionSucceeded { output }
        | EventDetails::LambdaSucceeded { output }
        | EventDetails::TaskSucceeded { output, .. } => (None, Some(output)),
        EventDetails::TaskScheduled { parameters, .. } => (Some(parameters), None),
        EventDetails::LambdaScheduled { input, .. }
        | EventDetails::ActivityScheduled { input, .. } => (Some(input), None),
        _ => (None, None),
    }
}

fn pair(r: &HistoryEvent, s: &HistoryEvent, wildcards: &[Arc<str>]) -> Option<Divergence> {
    let (rn, sn) = (state_name(r), state_name(s));
    if r.kind != s.kind || rn != sn {
        let by_state = rn.is_some() && sn.is_some() && rn != sn;
        let show = |e: &HistoryEvent| match state_name(e) {
            Some(n) => format!("{} \"{n}\"", e.kind),
            None => e.kind.to_string(),
        };
        return Some(at(
            if by_state {
                DivergenceKind::State
            } else {
                DivergenceKind::Type
            },
            Some(r),
            Some(s),
            Some(Value::from(show(r))),
            Some(Value::from(show(s))),
            format!("recorded {}, simulated {}", show(r), show(s)),
        ));
    }
    let (ri, ro) = values(r);
    let (si, so) = values(s);
    for (kind, rv, sv, what) in [
        (DivergenceKind::Input, ri, si, "input"),
        (DivergenceKind::Output, ro, so, "output"),
    ] {
        if let (Some(rv), Some(sv)) = (rv, sv)
            && !values_match(rv, sv, wildcards)
        {
            return Some(values_differ(kind, r, s, rv, sv, what));
        }
    }
    if let (
        EventDetails::StateExited {
            assigned_variables: Some(rv),
            ..
        },
        EventDetails::StateExited {
            assigned_variables: sv,
            ..
        },
    ) = (&r.details, &s.details)
    {
        let empty = Value::empty_object();
        let sv = sv.as_ref().unwrap_or(&empty);
        if !values_match(rv, sv, wildcards) {
            return Some(values_differ(
                DivergenceKind::Variables,
                r,
                s,
                rv,
                sv,
                "assigned variables",
            ));
        }
    }
    if let (
        EventDetails::Failure {
            error: re,
            cause: rc,
            ..
        },
        EventDetails::Failure {
            error: se,
            cause: sc,
            ..
        },
    ) = (&r.details, &s.details)
    {
        for (kind, rv, sv, what) in [
            (DivergenceKind::Error, re, se, "error"),
            (DivergenceKind::Cause, rc, sc, "cause"),
        ] {
            if let Some(rv) = rv {
                let same = sv
                    .as_ref()
                    .is_some_and(|sv| strings_match(rv, sv, wildcards));
                if !same {
                    return Some(at(
                        kind,
                        Some(r),
                        Some(s),
                        Some(Value::from(&**rv)),
                        sv.as_ref().map(|v| Value::from(&**v)),
                        format!(
                            "{} {}: recorded {what} {rv:?}, simulated {:?}",
                            r.kind,
                            describe(r),
                            sv.as_deref().unwrap_or("none")
                        ),
                    ));
                }
            }
        }
    }
    None
}
