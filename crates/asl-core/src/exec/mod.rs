//! Executing a state machine: the one steppable [`Execution`] every front end drives.
//!
//! Owns the public API: [`Execution::start`] with [`ExecOptions`] (injected start time and seed,
//! mocks, limits, what to record), [`Execution::step`] (exactly one history event),
//! [`Execution::run`] (to the end or to a pause), [`Execution::status`], [`Execution::history`],
//! [`Execution::position`] (the active states, also inside Parallel branches and Map
//! iterations), [`Execution::back`]/[`Execution::seek`] (return to any earlier event: restore the
//! nearest snapshot, then replay deterministically) and [`Execution::complete_task`] (answer a
//! task that had no mock, for which the execution paused with a [`PendingTask`]).
//!
//! Semantics are AWS Step Functions' in JSONPath mode; JSONata states fail with a clear
//! `States.Runtime` cause until a JSONata engine exists. Submodules, one concept each:
//! `engine` (threads, virtual time, scheduling, events), `states` (per state type),
//! `fanout` (Parallel, Map), [`io`] (input/output processing, variables, `$$`), [`retry`]
//! (Retry/Catch), [`integration`] (service integrations' event and response shapes),
//! [`timestamp`] (RFC 3339 instants, history timestamps).

mod engine;
mod fanout;
pub mod integration;
pub mod io;
pub mod retry;
mod states;
pub mod timestamp;

use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::env::Env;
use crate::error::ExecError;
use crate::history::HistoryEvent;
use crate::mock::Mocks;
use crate::model::StateMachine;
use crate::value::Value;

use engine::{Advance, Compiled, Core, Engine, Outcome, Phase, ThreadId};
pub use io::ExecNames;

/// Limits an execution stops at, with AWS-style errors.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Limits {
    /// State entries before the execution fails (`States.Runtime`); stops loops without end.
    pub max_transitions: u64,
    /// History events (AWS: 25,000) before the execution fails.
    pub max_history_events: u32,
    /// AWS's 256 KiB payload limit (`States.DataLimitExceeded`); `None` lifts it.
    pub payload_bytes: Option<usize>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_transitions: 100_000,
            max_history_events: 25_000,
            payload_bytes: Some(256 * 1024),
        }
    }
}

impl Limits {
    /// No limits (benchmarks, trusted inputs).
    pub fn unlimited() -> Limits {
        Limits {
            max_transitions: u64::MAX,
            max_history_events: u32::MAX,
            payload_bytes: None,
        }
    }
}

/// Everything an execution is started with besides the definition and input.
#[derive(Clone, Debug)]
pub struct ExecOptions {
    pub env: Env,
    pub mocks: Arc<Mocks>,
    pub limits: Limits,
    /// Record the history (and allow [`Execution::back`]/[`Execution::seek`]).
    pub record_history: bool,
    /// Record every state's intermediate values (needs `record_history`).
    pub record_stages: bool,
    /// Events between snapshots for stepping back.
    pub snapshot_every: u32,
    pub names: ExecNames,
}

impl Default for ExecOptions {
    fn default() -> Self {
        ExecOptions {
            env: Env::default(),
            mocks: Arc::new(Mocks::default()),
            limits: Limits::default(),
            record_history: true,
            record_stages: true,
            snapshot_every: 128,
            names: ExecNames::default(),
        }
    }
}

/// A caller's answer to a paused task: the raw result, or an error.
pub type TaskResult = Result<Value, ExecError>;

/// A Task state waiting for a result from the caller (it had no mock).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingTask {
    /// Pass this to [`Execution::complete_task`].
    pub token: Arc<str>,
    pub state: Arc<str>,
    /// The state's path in the graph (`Par/0/Task`).
    pub path: Arc<str>,
    pub resource: Arc<str>,
    /// The effective request (after InputPath and Parameters): what the task would send.
    pub parameters: Value,
    /// Map iteration indexes, outermost first.
    pub iterations: Vec<u32>,
    #[serde(skip)]
    pub(crate) thread: ThreadId,
}

/// Where an execution stands.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Running,
    /// Nothing can run until the caller answers these tasks.
    Paused {
        tasks: Vec<PendingTask>,
    },
    Succeeded {
        output: Value,
    },
    Failed {
        error: Option<Arc<str>>,
        cause: Option<Arc<str>>,
    },
    TimedOut {
        error: Option<Arc<str>>,
        cause: Option<Arc<str>>,
    },
}

impl Status {
    pub fn is_finished(&self) -> bool {
        matches!(
            self,
            Status::Succeeded { .. } | Status::Failed { .. } | Status::TimedOut { .. }
        )
    }

    /// AWS's status word: RUNNING, SUCCEEDED, FAILED, TIMED_OUT (paused executions are RUNNING).
    pub fn aws_name(&self) -> &'static str {
        match self {
            Status::Running | Status::Paused { .. } => "RUNNING",
            Status::Succeeded { .. } => "SUCCEEDED",
            Status::Failed { .. } => "FAILED",
            Status::TimedOut { .. } => "TIMED_OUT",
        }
    }
}

/// What one [`Execution::step`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Step {
    /// One event was added; its id.
    Event(u32),
    /// Waiting for [`Execution::complete_task`].
    Paused,
    /// The execution has ended.
    Finished,
}

/// One active state.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActiveState {
    /// The state's graph path (`Par/1/Inner`, `Map/0/Step`).
    pub path: Arc<str>,
    pub state: Arc<str>,
    /// Map iteration indexes, outermost first.
    pub iterations: Vec<u32>,
    /// What it is doing: `entering`, `running`, `waiting`, `awaitingTask`, `children`, `exiting`.
    pub activity: &'static str,
}

/// Why [`Execution::complete_task`] refused an answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum CompleteError {
    /// No paused task has this token.
    UnknownToken(String),
}

impl std::fmt::Display for CompleteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CompleteError::UnknownToken(t) => write!(f, "no paused task has the token '{t}'"),
        }
    }
}

impl std::error::Error for CompleteError {}

/// A definition prepared for execution (state paths, resource kinds and which states read `$$`,
/// computed once): start many executions of one definition without redoing that work.
#[derive(Clone, Debug)]
pub struct Prepared {
    machine: Arc<StateMachine>,
    compiled: Arc<Compiled>,
}

impl Prepared {
    pub fn new(machine: Arc<StateMachine>) -> Prepared {
        let compiled = Arc::new(Compiled::new(&machine));
        Prepared { machine, compiled }
    }

    pub fn machine(&self) -> &Arc<StateMachine> {
        &self.machine
    }

    /// Starts an execution of this definition.
    pub fn start(&self, input: Value, options: ExecOptions) -> Execution {
        let core = Core::new(&options, input);
        Execution {
            machine: self.machine.clone(),
            compiled: self.compiled.clone(),
            options: Arc::new(options),
            core,
            history: Vec::new(),
            snapshots: Vec::new(),
            answers: FxHashMap::default(),
        }
    }
}

/// One execution of a state machine (see the module doc).
#[derive(Clone, Debug)]
pub struct Execution {
    machine: Arc<StateMachine>,
    compiled: Arc<Compiled>,
    options: Arc<ExecOptions>,
    core: Core,
    history: Vec<HistoryEvent>,
    /// `(events emitted, core)` at regular intervals, ascending.
    snapshots: Vec<(u32, Core)>,
    /// Every answer given to a paused task, by token: replayed after stepping back.
    answers: FxHashMap<Arc<str>, TaskResult>,
}

impl Execution {
    /// Starts an execution (no event yet: the first [`Execution::step`] emits `ExecutionStarted`).
    pub fn start(machine: Arc<StateMachine>, input: Value, options: ExecOptions) -> Execution {
        Prepared::new(machine).start(input, options)
    }

    fn engine(&mut self) -> Engine<'_> {
        Engine {
            machine: &self.machine,
            compiled: &self.compiled,
            options: &self.options,
            core: &mut self.core,
            history: if self.options.record_history {
                Some(&mut self.history)
            } else {
                None
            },
            answers: &self.answers,
            emitted: false,
        }
    }

    fn maybe_snapshot(&mut self) {
        if !self.options.record_history {
            return;
        }
        let every = self.options.snapshot_every.max(1);
        let n = self.core.events;
        if n.is_multiple_of(every)
            && let Err(at) = self.snapshots.binary_search_by_key(&n, |(c, _)| *c)
        {
            self.snapshots.insert(at, (n, self.core.clone()));
        }
    }

    /// Advances by exactly one history event.
    pub fn step(&mut self) -> Step {
        if self.core.outcome.is_some() {
            return Step::Finished;
        }
        self.maybe_snapshot();
        let mut engine = self.engine();
        match engine.step() {
            Advance::Event => Step::Event(self.core.events),
            Advance::Stuck if self.core.outcome.is_some() => Step::Finished,
            Advance::Stuck => Step::Paused,
        }
    }

    /// Runs to the end or until a task needs an answer; returns the status.
    pub fn run(&mut self) -> Status {
        if self.options.record_history {
            while let Step::Event(_) = self.step() {}
        } else {
            let mut engine = self.engine();
            while engine.step() == Advance::Event {}
        }
        self.status()
    }

    pub fn status(&self) -> Status {
        match &self.core.outcome {
            Some(Outcome::Succeeded(v)) => Status::Succeeded { output: v.clone() },
            Some(Outcome::Failed(f)) => Status::Failed {
                error: f.error.clone(),
                cause: f.cause.clone(),
            },
            Some(Outcome::TimedOut(f)) => Status::TimedOut {
                error: f.error.clone(),
                cause: f.cause.clone(),
            },
            None if !self.core.pending.is_empty() && !self.has_runnable() => Status::Paused {
                tasks: self.core.pending.clone(),
            },
            None => Status::Running,
        }
    }

    fn has_runnable(&self) -> bool {
        self.core.threads.iter().flatten().any(|t| match &t.phase {
            Phase::TaskAwait => false,
            Phase::Blocked => t
                .visit
                .as_ref()
                .and_then(|v| v.fanout.as_ref())
                .is_some_and(|f| {
                    f.is_map
                        && f.next < f.total
                        && (f.max_concurrency == 0 || f.active < f.max_concurrency)
                }),
            _ => true,
        })
    }

    /// The history up to the current event (empty when recording is off).
    pub fn history(&self) -> &[HistoryEvent] {
        let n = (self.core.events as usize).min(self.history.len());
        &self.history[..n]
    }

    /// Events emitted so far (counted even when the history is not recorded).
    pub fn event_count(&self) -> u32 {
        self.core.events
    }

    /// States entered so far (AWS's state transitions).
    pub fn transitions(&self) -> u64 {
        self.core.transitions
    }

    /// Tasks waiting for [`Execution::complete_task`].
    pub fn pending(&self) -> &[PendingTask] {
        &self.core.pending
    }

    pub fn machine(&self) -> &Arc<StateMachine> {
        &self.machine
    }

    pub fn options(&self) -> &ExecOptions {
        &self.options
    }

    /// Answers a paused task; the execution can then continue.
    pub fn complete_task(&mut self, token: &str, result: TaskResult) -> Result<(), CompleteError> {
        let Some(i) = self.core.pending.iter().position(|p| &*p.token == token) else {
            return Err(CompleteError::UnknownToken(token.to_string()));
        };
        let p = self.core.pending.remove(i);
        if self.options.record_history {
            // Kept to replay after stepping back (only possible with a history).
            self.answers.insert(p.token.clone(), result.clone());
        }
        let mut engine = self.engine();
        engine.answer_task(p.thread, result);
        Ok(())
    }

    /// The active states: the top level, Parallel branches, Map iterations.
    pub fn position(&self) -> Vec<ActiveState> {
        let mut out = Vec::new();
        for t in self.core.threads.iter().flatten() {
            let info = &self.compiled.branches[t.branch as usize];
            let branch = engine::route_branch(&self.machine, &info.route);
            let (sid, activity) = match (&t.phase, &t.visit) {
                (Phase::Enter { state, .. }, _) => (*state, "entering"),
                (Phase::IterationStart(_), _) | (Phase::Finish(_), _) => continue,
                (phase, Some(v)) => (
                    v.state,
                    match phase {
                        Phase::TaskAwait => "awaitingTask",
                        Phase::WaitDone => "waiting",
                        Phase::Blocked => "children",
                        Phase::ProcessResult(_) => "exiting",
                        _ => "running",
                    },
                ),
                _ => continue,
            };
            if self.core.outcome.is_some() {
                continue;
            }
            let Some(st) = branch.state(sid) else {
                continue;
            };
            out.push(ActiveState {
                path: info
                    .paths
                    .get(sid as usize)
                    .cloned()
                    .unwrap_or_else(|| st.name.clone()),
                state: st.name.clone(),
                iterations: t.iterations.to_vec(),
                activity,
            });
        }
        out
    }

    /// Goes back one event. Returns false at the start.
    pub fn back(&mut self) -> bool {
        match self.core.events {
            0 => false,
            n => self.seek(n - 1),
        }
    }

    /// Moves to the moment right after event `event_id` (0 = before `ExecutionStarted`), going
    /// back through the nearest snapshot and replaying, or forward by stepping. Returns false
    /// when history is off (going back) or the event is never reached.
    pub fn seek(&mut self, event_id: u32) -> bool {
        let current = self.core.events;
        if self.options.record_history && event_id != current {
            // Snapshots and recorded events stay valid after going back: the run is deterministic
            // and answers to paused tasks are kept by token, so the same future is replayed.
            let recorded = self.history.len() as u32;
            let pos = self.snapshots.partition_point(|(n, _)| *n <= event_id);
            match pos.checked_sub(1).and_then(|p| self.snapshots.get(p)) {
                Some((n, core)) if event_id < current || (*n > current && *n <= recorded) => {
                    self.core = core.clone();
                }
                None if event_id < current => return false,
                _ => {}
            }
        } else if event_id < current {
            return false;
        }
        while self.core.events < event_id {
            if !matches!(self.step(), Step::Event(_)) {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests;
