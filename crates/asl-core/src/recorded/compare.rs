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
//! and output, a task's request and result, the execution's output, and the error and cause of
//! a failure (only where the recording has them: AWS gives a failed Parallel or Map none).
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
//! Not owned here: executing ([`crate::exec`]), deriving the mocks.

use std::sync::Arc;

use serde::Serialize;

use super::Recording;
use crate::exec::{ExecOptions, Execution, Status};
use crate::history::{EventDetails, EventType, HistoryEvent};
use crate::inspect::StateIndex;
use crate::mock::Mocks;
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
    /// Event pairs found equal before the first divergence (all of them without one).
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
) -> (Option<Divergence>, usize) {
    let rec = split(index, recorded);
    let sim = split(index, simulated);
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
        let sevs: &[&HistoryEvent] = sim
            .iter()
            .find(|(s, _)| s == t)
            .map_or(&[], |(_, e)| e.as_slice());
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
        if sevs.len() > revs.len() {
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
    for (t, sevs) in &sim {
        if !rec.iter().any(|(r, _)| r == t)
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
            return Some(at(
                kind,
                Some(r),
                Some(s),
                Some(rv.clone()),
                Some(sv.clone()),
                format!(
                    "{} {}: recorded {what} {} , simulated {}",
                    r.kind,
                    describe(r),
                    rv.to_json_string(),
                    sv.to_json_string()
                ),
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

/// Value equality with the normalisations of the module doc.
pub(super) fn values_match(r: &Value, s: &Value, wildcards: &[Arc<str>]) -> bool {
    match (r, s) {
        (Value::String(a), Value::String(b)) => strings_match(a, b, wildcards),
        (Value::Number(_), Value::Number(_)) => r.as_f64() == s.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b.iter())
                    .all(|(x, y)| values_match(x, y, wildcards))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, v)| b.get(k).is_some_and(|w| values_match(v, w, wildcards)))
        }
        (Value::String(a), _) => wildcards.iter().any(|w| **w == **a),
        _ => r == s,
    }
}

fn strings_match(a: &str, b: &str, wildcards: &[Arc<str>]) -> bool {
    if a == b {
        return true;
    }
    if is_timestamp(a) && is_timestamp(b) {
        return true;
    }
    if is_uuid(a) && is_uuid(b) {
        return true;
    }
    if let (Some(x), Some(y)) = (arn_kind(a), arn_kind(b)) {
        return x == y;
    }
    wildcards.iter().any(|w| a.contains(&**w)) && glob(a, b, wildcards)
}

fn is_timestamp(s: &str) -> bool {
    s.len() >= 20 && crate::exec::timestamp::parse_nanos(s).is_some()
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// An ARN's service and resource type (`lambda`, `function`).
fn arn_kind(s: &str) -> Option<(&str, &str)> {
    let mut parts = s.splitn(7, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let _partition = parts.next()?;
    let service = parts.next()?;
    let _region = parts.next()?;
    let _account = parts.next()?;
    let resource = parts.next()?;
    let ty = resource.split('/').next().unwrap_or(resource);
    Some((service, ty))
}

/// Whether `actual` is `pattern` with each wildcard token standing for any text.
fn glob(pattern: &str, actual: &str, wildcards: &[Arc<str>]) -> bool {
    // Split the pattern into literal pieces around the tokens.
    let mut pieces: Vec<&str> = vec![pattern];
    for w in wildcards.iter().filter(|w| !w.is_empty()) {
        pieces = pieces.iter().flat_map(|p| p.split(&**w)).collect();
    }
    let Some((first, rest)) = pieces.split_first() else {
        return true;
    };
    let Some(mut tail) = actual.strip_prefix(first) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return tail.is_empty();
    };
    for p in middle {
        match tail.find(p) {
            Some(i) => tail = &tail[i + p.len()..],
            None => return false,
        }
    }
    tail.len() >= last.len() && tail.ends_with(last)
}
