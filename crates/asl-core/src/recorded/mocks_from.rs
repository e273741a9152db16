//! Mocks from a recorded history: for every Task state, each invocation's recorded outcome in
//! the order AWS made the invocations (retries and Map iterations included, one counter per
//! state, as Step Functions Local counts), so a simulation with them takes the recorded path.
//!
//! - A result (`TaskSucceeded`, `LambdaFunctionSucceeded`, `ActivitySucceeded`) is `Return` with
//!   the raw output, before ResultSelector and ResultPath, which is what a mock returns.
//! - An error (`…Failed`, `…StartFailed`, `…ScheduleFailed`, `TaskSubmitFailed`) is `Throw` with
//!   the recorded error and cause.
//! - A timeout (`…TimedOut`) is, in our mocks, a result that takes longer than the task's
//!   deadline (`DurationSeconds`: the recorded time, at least the deadline plus a second, the
//!   deadline read from the scheduled event or the state's literal `TimeoutSeconds` /
//!   `HeartbeatSeconds`; a deadline from a path or an expression is unknown, but it fired before
//!   the execution's own limit, so a year outlasts it), so the simulator times it out itself
//!   at its own deadline; in a MockConfigFile, which has no
//!   durations, it is `Throw` with the recorded `States.Timeout` error and cause.
//! - An invocation still running when the history ends has no outcome and gets no response (a
//!   simulation pauses there when the state has no response at all, and fails the task with
//!   `States.Runtime` past its last one, as Step Functions Local does).
//!
//! Consecutive equal responses are written as one range (`"0-2"`). Invocation order is the
//! order of the scheduled events; inside a Map running iterations concurrently, a simulation
//! must invoke in the same order for each iteration to get its own result (AWS's docs advise
//! `MaxConcurrency: 1` for mocked Maps for the same reason).
//!
//! Not owned here: the mock formats ([`crate::mock`]).

use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::history::{EventDetails, EventType, HistoryEvent};
use crate::inspect::StateIndex;
use crate::mock::{MockConfig, MockOutcome, MockResponse, MockSequence, Mocks};
use crate::model::{Dynamic, StateKind, StateMachine};
use crate::value::Value;

/// The mocks of a recording, in both forms.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DerivedMocks {
    /// Our mocks (timeouts as durations).
    pub mocks: Mocks,
    /// What a MockConfigFile can say (timeouts as `Throw`), for [`mock_config`].
    #[serde(skip)]
    config: Mocks,
    /// Invocations per state, in definition order: `(state, invocations)`.
    pub invocations: Vec<(Arc<str>, usize)>,
    /// What the user should know (an invocation with no recorded outcome).
    pub notes: Vec<String>,
    /// Every invocation with an outcome: (state, Map iterations, response), per state in
    /// invocation order, for [`super::compare_recorded`].
    #[serde(skip)]
    pub(super) by_iteration: Vec<(Arc<str>, Arc<[u32]>, MockResponse)>,
}

/// Invocations awaiting their outcome: (path, iterations) → (state, slot, scheduled event).
type Open = FxHashMap<(Arc<str>, Arc<[u32]>), (Arc<str>, usize, usize)>;

/// One invocation's outcome, both ways.
#[derive(Clone)]
struct Slot {
    native: Option<MockResponse>,
    config: Option<MockResponse>,
    /// The Map iterations it ran in.
    iterations: Arc<[u32]>,
}

fn response(outcome: MockOutcome, duration_ms: u64) -> MockResponse {
    MockResponse {
        outcome,
        duration_ms,
        wrap_payload: false,
    }
}

fn throw(details: &EventDetails) -> MockOutcome {
    match details {
        EventDetails::Failure { error, cause, .. } => MockOutcome::Throw {
            error: error.clone().unwrap_or_else(|| "States.TaskFailed".into()),
            cause: cause.clone(),
        },
        _ => MockOutcome::Throw {
            error: "States.TaskFailed".into(),
            cause: None,
        },
    }
}

fn literal(d: &Option<Dynamic<u64>>) -> Option<u64> {
    match d {
        Some(Dynamic::Literal(s)) => Some(s.value),
        _ => None,
    }
}

/// Derives the mocks of `events` for `machine` (see the module doc).
pub fn mocks_from(machine: &StateMachine, events: &[HistoryEvent]) -> DerivedMocks {
    let index = StateIndex::new(machine);
    // state name → invocations in order; (path, iterations) → (state, slot, scheduled event).
    let mut slots: FxHashMap<Arc<str>, Vec<Slot>> = FxHashMap::default();
    let mut open: Open = FxHashMap::default();
    let mut notes = Vec::new();
    for (i, ev) in events.iter().enumerate() {
        let Some(state) = index.get(&ev.path) else {
            continue;
        };
        let StateKind::Task(task) = &state.kind else {
            continue;
        };
        let key = (ev.path.clone(), ev.iterations.clone());
        use EventType::*;
        match ev.kind {
            TaskScheduled | LambdaFunctionScheduled | ActivityScheduled => {
                let list = slots.entry(state.name.clone()).or_default();
                list.push(Slot {
                    native: None,
                    config: None,
                    iterations: ev.iterations.clone(),
                });
                open.insert(key, (state.name.clone(), list.len() - 1, i));
            }
            TaskSucceeded | LambdaFunctionSucceeded | ActivitySucceeded => {
                let output = match &ev.details {
                    EventDetails::TaskSucceeded { output, .. }
                    | EventDetails::LambdaSucceeded { output } => output.clone(),
                    _ => Value::Null,
                };
                let r = response(MockOutcome::Return(output), 0);
                fill(&mut slots, &mut open, &key, &state.name, r.clone(), r);
            }
            TaskFailed
            | LambdaFunctionFailed
            | ActivityFailed
            | TaskStartFailed
            | TaskSubmitFailed
            | LambdaFunctionStartFailed
            | LambdaFunctionScheduleFailed
            | ActivityScheduleFailed => {
                let r = response(throw(&ev.details), 0);
                fill(&mut slots, &mut open, &key, &state.name, r.clone(), r);
            }
            TaskTimedOut | LambdaFunctionTimedOut | ActivityTimedOut => {
                let scheduled = open.get(&key).and_then(|(_, _, at)| events.get(*at));
                let elapsed = scheduled.map_or(0, |s| (ev.timestamp_ms - s.timestamp_ms).max(0));
                let recorded_deadline = scheduled.and_then(|s| match &s.details {
                    EventDetails::TaskScheduled {
                        timeout_seconds,
                        heartbeat_seconds,
                        ..
                    }
                    | EventDetails::ActivityScheduled {
                        timeout_seconds,
                        heartbeat_seconds,
                        ..
                    } => min_some(*timeout_seconds, *heartbeat_seconds),
                    EventDetails::LambdaScheduled {
                        timeout_seconds, ..
                    } => *timeout_seconds,
                    _ => None,
                });
                let deadline = recorded_deadline.or_else(|| {
                    min_some(
                        literal(&task.timeout_seconds),
                        literal(&task.heartbeat_seconds),
                    )
                });
                // A deadline from an expression is unknown here, but it fired before the
                // execution's own limit (a year at most): a mock that takes that long outlasts it.
                let deadline = deadline.unwrap_or(crate::workflow::ONE_YEAR_SECONDS);
                let duration_ms =
                    (elapsed as u64).max(deadline.saturating_add(1).saturating_mul(1000));
                let native = response(MockOutcome::Return(Value::Null), duration_ms);
                let config = response(throw(&ev.details), 0);
                fill(&mut slots, &mut open, &key, &state.name, native, config);
            }
            _ => {}
        }
    }
    let mut mocks = Mocks::default();
    let mut config = Mocks::default();
    let mut invocations = Vec::new();
    let mut by_iteration = Vec::new();
    for path in index.paths() {
        let Some(st) = index.get(path) else { continue };
        let Some(list) = slots.remove(&st.name) else {
            continue;
        };
        invocations.push((st.name.clone(), list.len()));
        let complete: Vec<&Slot> = list.iter().take_while(|s| s.native.is_some()).collect();
        if complete.len() < list.len() {
            notes.push(format!(
                "\"{}\": invocation {} has no recorded outcome (the history ends while it runs); \
                 the mocks stop before it",
                st.name,
                complete.len()
            ));
        }
        // Answered by iteration, every outcome counts, also those after an invocation that has
        // none (an iteration aborted while its task ran, before a sibling's task ended).
        for slot in &list {
            if let Some(r) = &slot.native {
                by_iteration.push((st.name.clone(), slot.iterations.clone(), r.clone()));
            }
        }
        if complete.is_empty() {
            continue;
        }
        // The counter hands responses out in invocation order; if AWS invoked the iterations
        // out of their order, a simulation that invokes in order gets them mixed up.
        if complete
            .windows(2)
            .any(|w| w[0].iterations > w[1].iterations)
        {
            notes.push(format!(
                "\"{}\": AWS invoked it in Map iterations out of their order; a simulation \
                 with these mocks gets each response only if it invokes in the same order \
                 (`asl compare` without --mocks answers each iteration as recorded)",
                st.name
            ));
        }
        let native: Vec<MockResponse> = complete.iter().filter_map(|s| s.native.clone()).collect();
        let conf: Vec<MockResponse> = complete.iter().filter_map(|s| s.config.clone()).collect();
        mocks.by_state.insert(st.name.clone(), ranges(native));
        config.by_state.insert(st.name.clone(), ranges(conf));
    }
    DerivedMocks {
        mocks,
        config,
        invocations,
        notes,
        by_iteration,
    }
}

fn min_some(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn fill(
    slots: &mut FxHashMap<Arc<str>, Vec<Slot>>,
    open: &mut Open,
    key: &(Arc<str>, Arc<[u32]>),
    state: &Arc<str>,
    native: MockResponse,
    config: MockResponse,
) {
    let list = slots.entry(state.clone()).or_default();
    // An outcome without a scheduled event (a trace that left it out) is a new invocation.
    let at = match open.remove(key) {
        Some((_, at, _)) => at,
        None => {
            list.push(Slot {
                native: None,
                config: None,
                iterations: key.1.clone(),
            });
            list.len() - 1
        }
    };
    if let Some(slot) = list.get_mut(at) {
        slot.native = Some(native);
        slot.config = Some(config);
    }
}

/// Responses by invocation, equal neighbours merged into ranges.
fn ranges(responses: Vec<MockResponse>) -> MockSequence {
    let mut entries: Vec<(u64, u64, MockResponse)> = Vec::new();
    for (i, r) in responses.into_iter().enumerate() {
        let i = i as u64;
        match entries.last_mut() {
            Some((_, hi, last)) if *last == r => *hi = i,
            _ => entries.push((i, i, r)),
        }
    }
    MockSequence { entries }
}

/// The derived mocks as a Step Functions Local MockConfigFile with one test case.
pub fn mock_config(
    machine: &StateMachine,
    derived: &DerivedMocks,
    machine_name: &str,
    test_case: &str,
) -> MockConfig {
    MockConfig::export(machine, machine_name, test_case, &derived.config)
}
