//! Executing a state machine: the one steppable [`Execution`] every front end drives.
//!
//! Owns the public API: [`Execution::start`] with [`ExecOptions`] (injected start time and seed,
//! mocks, limits, what to record), [`Execution::step`] (exactly one history event),
//! [`Execution::run`] (to the end or to a pause), [`Execution::status`], [`Execution::history`]
//! (recorded from the start, or afterwards by [`Execution::record_from_start`], which replays a
//! run that kept its answers),
//! [`Execution::position`] (the active states, also inside Parallel branches and Map
//! iterations), [`Execution::back`]/[`Execution::seek`] (return to any earlier event: restore the
//! nearest snapshot, then replay deterministically) and [`Execution::complete_task`] (answer a
//! task that had no mock, for which the execution paused with a [`PendingTask`]; also after some
//! virtual time with [`Execution::complete_task_after`], [`Execution::send_heartbeat`], and
//! [`Execution::expire_task`] when no answer ever comes, so `TimeoutSeconds` and
//! `HeartbeatSeconds` fire in virtual time as AWS would); a [`TaskHandler`] in the options
//! answers tasks in the caller's code without a pause. A paused task's clock moves only by
//! what the caller says (the delay of an answer or heartbeat, or expiry): other branches running
//! on do not time it out, which keeps replays after stepping back deterministic. A replay gives
//! each kept answer at the point of the run it was given at (as many events in), so branches that
//! ran on while the task waited keep their place even when the answer's time is earlier.
//!
//! Semantics are AWS Step Functions' in both query languages. Submodules, one concept each:
//! `engine` (threads, virtual time, scheduling, events), `states` (per state type),
//! `fanout` (Parallel, Map), `jsonata` (JSONata-mode fields and `$states`), `stepping`
//! (run until a breakpoint, by state, [`RunStop`]), [`io`]
//! (input/output processing, variables, `$$`), [`retry`]
//! (Retry/Catch), [`integration`] (service integrations' event and response shapes),
//! [`timestamp`] (RFC 3339 instants, history timestamps).

mod engine;
mod fanout;
pub mod integration;
pub mod io;
mod jsonata;
pub mod retry;
mod states;
mod stepping;
pub mod timestamp;

use std::sync::{Arc, Mutex, Weak};

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::env::Env;
use crate::error::ExecError;
use crate::history::HistoryEvent;
use crate::mock::Mocks;
use crate::model::StateMachine;
use crate::value::Value;

use engine::{
    Advance, Answer, Attempt, Compiled, Core, Engine, Given, MockTable, Outcome, Phase, ThreadId,
};
pub use io::ExecNames;
pub use stepping::RunStop;

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
    /// AWS's 256 KiB limit on one variable's value and on all the values of one `Assign`
    /// (`States.DataLimitExceeded`); `None` lifts it.
    pub variable_bytes: Option<usize>,
    /// AWS's 10 MiB limit on the variables an execution holds (counted per scope chain: a thread's
    /// own variables and those it reads from outer scopes); `None` lifts it.
    pub variables_total_bytes: Option<usize>,
    /// The workflow type's maximum execution time on the virtual clock (Standard: one year,
    /// Express: five minutes; see [`crate::workflow`]): past it the execution times out with
    /// `States.Timeout`, as with the machine's own `TimeoutSeconds`. `None` lifts it.
    pub max_duration_seconds: Option<u64>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_transitions: 100_000,
            max_history_events: 25_000,
            payload_bytes: Some(256 * 1024),
            variable_bytes: Some(256 * 1024),
            variables_total_bytes: Some(10 * 1024 * 1024),
            max_duration_seconds: Some(crate::workflow::ONE_YEAR_SECONDS),
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
            variable_bytes: None,
            variables_total_bytes: None,
            max_duration_seconds: None,
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
    /// Without a history, still keep every answer a caller gives (a [`TaskHandler`]'s or
    /// [`Execution::complete_task`]'s), so that [`Execution::record_from_start`] can record the
    /// history later by replaying the run: a caller that may never read the history (the JS
    /// API) runs at the speed of no history and pays for one only when it is asked for.
    pub keep_answers: bool,
    /// Events between snapshots for stepping back.
    pub snapshot_every: u32,
    pub names: ExecNames,
    /// Answers Task invocations in the caller's code, before mocks are consulted (see
    /// [`TaskHandler`]); `None` leaves every task to mocks or a pause.
    pub task_handler: Option<TaskHandler>,
}

impl Default for ExecOptions {
    fn default() -> Self {
        ExecOptions {
            env: Env::default(),
            mocks: Arc::new(Mocks::default()),
            limits: Limits::default(),
            record_history: true,
            record_stages: true,
            keep_answers: false,
            snapshot_every: 128,
            names: ExecNames::default(),
            task_handler: None,
        }
    }
}

impl ExecOptions {
    /// Whether callers' answers are kept by token: with a history (to replay after stepping
    /// back) or when asked to ([`ExecOptions::keep_answers`]).
    pub(crate) fn keeps_answers(&self) -> bool {
        self.record_history || self.keep_answers
    }
}

/// One Task invocation offered to a [`TaskHandler`]: everything borrowed from the execution.
#[derive(Clone, Copy, Debug)]
pub struct TaskRequest<'a> {
    pub state: &'a str,
    pub resource: &'a str,
    /// The effective request (after InputPath and Parameters).
    pub parameters: &'a Value,
    /// Map iteration indexes, outermost first.
    pub iterations: &'a [u32],
    /// Retries of this state so far in this visit (`$$.State.RetryCount`): 0 on the first attempt.
    pub retry_count: u32,
}

/// The caller's code answering tasks synchronously, for hybrid runs where some tasks are computed
/// by the caller and others are mocked or paused. Consulted for every Task invocation (retries
/// included) before mocks; `None` means "not mine": the task falls back to its mock, or pauses
/// for [`Execution::complete_task`]. An answer counts as returned at once (no virtual time
/// passes, so no timeout fires).
///
/// With a recorded history (or [`ExecOptions::keep_answers`]), each answer is kept by task
/// token, as `complete_task`'s are, so stepping back and replaying (or recording the history
/// afterwards) gives the same run even if the handler is not pure; otherwise nothing is
/// replayed and nothing is kept. A declined task (`None`) is offered again
/// on replay, so whether to answer should depend only on the request.
#[derive(Clone)]
pub struct TaskHandler(Arc<TaskHandlerFn>);

type TaskHandlerFn = dyn Fn(&TaskRequest<'_>) -> Option<TaskResult> + Send + Sync;

impl TaskHandler {
    pub fn new(f: impl Fn(&TaskRequest<'_>) -> Option<TaskResult> + Send + Sync + 'static) -> Self {
        TaskHandler(Arc::new(f))
    }

    pub fn call(&self, request: &TaskRequest<'_>) -> Option<TaskResult> {
        (self.0)(request)
    }
}

impl std::fmt::Debug for TaskHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TaskHandler(..)")
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
    /// The task's `TimeoutSeconds` (evaluated), if any.
    pub timeout_seconds: Option<u64>,
    /// The task's `HeartbeatSeconds` (evaluated), if any.
    pub heartbeat_seconds: Option<u64>,
    /// Virtual milliseconds the task has waited so far (heartbeats sent after some time).
    pub waited_ms: u64,
    /// `waited_ms` at the last heartbeat (0: since the task started).
    pub last_heartbeat_ms: u64,
    /// Virtual time (ms since the epoch) at which the task started waiting.
    pub since_ms: i64,
    #[serde(skip)]
    pub(crate) thread: ThreadId,
}

impl PendingTask {
    /// When the task times out if nothing arrives: `(waited ms, by HeartbeatSeconds)`. The
    /// heartbeat deadline wins only when strictly earlier, as for mocked durations.
    pub fn deadline(&self) -> Option<(u64, bool)> {
        let t = self.timeout_seconds.map(|t| t.saturating_mul(1000));
        let h = self.heartbeat_seconds.map(|h| {
            self.last_heartbeat_ms
                .saturating_add(h.saturating_mul(1000))
        });
        match (t, h) {
            (t, Some(h)) if t.is_none_or(|t| h < t) => Some((h, true)),
            (Some(t), _) => Some((t, false)),
            _ => None,
        }
    }

    /// Virtual time (ms since the epoch) after waiting `after_ms` more.
    pub fn time_after(&self, after_ms: u64) -> i64 {
        let waited = self.waited_ms.saturating_add(after_ms);
        self.since_ms
            .saturating_add(i64::try_from(waited).unwrap_or(i64::MAX))
    }

    /// Moves the task's wait on by `after_ms`; the deadline passed on the way, if any.
    fn wait(&mut self, after_ms: u64) -> Option<(u64, bool)> {
        let waited = self.waited_ms.saturating_add(after_ms);
        match self.deadline() {
            Some((at, hb)) if waited > at => Some((at, hb)),
            _ => {
                self.waited_ms = waited;
                None
            }
        }
    }
}

/// What became of a paused task after [`Execution::send_heartbeat`] or
/// [`Execution::complete_task_after`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TaskAnswer {
    /// Accepted (a heartbeat: the task keeps waiting; an answer: the task ends with it).
    Accepted,
    /// A deadline passed first: the task timed out (`States.HeartbeatTimeout` when `true`,
    /// else `States.Timeout`) and the answer was ignored, as AWS ignores a late token.
    TimedOut { heartbeat: bool },
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
    /// [`Execution::expire_task`] on a task without `TimeoutSeconds` or `HeartbeatSeconds`: it
    /// would wait forever.
    NoDeadline(String),
}

impl std::fmt::Display for CompleteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CompleteError::UnknownToken(t) => write!(f, "no paused task has the token '{t}'"),
            CompleteError::NoDeadline(t) => write!(
                f,
                "the task with the token '{t}' has no TimeoutSeconds or HeartbeatSeconds, so it never times out"
            ),
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
    /// The last mocks started with and their [`MockTable`], shared by clones: a caller starting
    /// one definition many times with the same `Arc<Mocks>` (the JS API's `withMocks`, a test
    /// suite) looks each Task state's mock up once. Held weakly: the mocks stay the caller's,
    /// and a live `Weak` keeps their address from being reused by other mocks.
    mock_tables: Arc<Mutex<Option<CachedMockTable>>>,
}

/// The mocks a [`MockTable`] was made from (weakly) and the table.
type CachedMockTable = (Weak<Mocks>, Arc<MockTable>);

impl Prepared {
    pub fn new(machine: Arc<StateMachine>) -> Prepared {
        let compiled = Arc::new(Compiled::new(&machine));
        Prepared {
            machine,
            compiled,
            mock_tables: Arc::default(),
        }
    }

    /// The [`MockTable`] of `mocks` for this definition: the cached one when `mocks` is the same
    /// `Arc` as last time, else made now (and cached); `None` without mocks.
    fn mock_table(&self, mocks: &Arc<Mocks>) -> Option<Arc<MockTable>> {
        if mocks.is_empty() {
            return None;
        }
        // A poisoned lock only means a panic elsewhere while it was held: the table is still
        // whole (it is replaced, never edited), so it is used.
        let mut cached = self
            .mock_tables
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((weak, table)) = &*cached
            && std::ptr::eq(weak.as_ptr(), Arc::as_ptr(mocks))
        {
            return Some(table.clone());
        }
        let table = Arc::new(MockTable::new(&self.machine, &self.compiled, mocks));
        *cached = Some((Arc::downgrade(mocks), table.clone()));
        Some(table)
    }

    pub fn machine(&self) -> &Arc<StateMachine> {
        &self.machine
    }

    /// Starts an execution of this definition.
    pub fn start(&self, input: Value, options: ExecOptions) -> Execution {
        self.start_in(input, options, Vec::new())
    }

    /// [`Prepared::start`], recording the history into `storage` (emptied first): the storage an
    /// earlier execution gave back ([`Execution::take_history_storage`]), so that a caller
    /// running one definition many times does not grow the history from nothing each run. In
    /// wasm, growing a large allocation copies it (no `mremap`): ~10% of a 40,000-event run
    /// (benches/README.md, "The JS API", §7).
    pub fn start_in(
        &self,
        input: Value,
        options: ExecOptions,
        storage: Vec<HistoryEvent>,
    ) -> Execution {
        let mock_table = self.mock_table(&options.mocks);
        Execution::fresh(
            self.machine.clone(),
            self.compiled.clone(),
            mock_table,
            input,
            options,
            storage,
        )
    }
}

/// One execution of a state machine (see the module doc).
#[derive(Clone, Debug)]
pub struct Execution {
    machine: Arc<StateMachine>,
    compiled: Arc<Compiled>,
    /// `options.mocks` by state ([`Prepared`]'s cached table).
    mock_table: Option<Arc<MockTable>>,
    options: Arc<ExecOptions>,
    core: Core,
    history: Vec<HistoryEvent>,
    /// `(events emitted, core, settled)` at regular intervals, ascending: `settled` is whether
    /// the work after that event had been done when it was taken ([`Execution::answer_due`]).
    snapshots: Vec<(u32, Core, bool)>,
    /// Every answer given to a paused task or by the task handler, by token: replayed after
    /// stepping back.
    answers: FxHashMap<Arc<str>, Given>,
    /// Whether the last step or run went on until nothing could run (rather than stopping right
    /// after an event): [`Execution::record_from_start`] does the same work after the event.
    settled: bool,
    /// The paused tasks answered since the last step or run, in order: their answers are given
    /// last when the history is recorded afterwards, as they were.
    answered_since_step: Vec<Arc<str>>,
}

impl Execution {
    /// An execution at its start, recording into `storage` (emptied first): what
    /// [`Prepared::start_in`] gives, and what [`Execution::record_from_start`] replays on.
    fn fresh(
        machine: Arc<StateMachine>,
        compiled: Arc<Compiled>,
        mock_table: Option<Arc<MockTable>>,
        input: Value,
        options: ExecOptions,
        mut storage: Vec<HistoryEvent>,
    ) -> Execution {
        storage.clear();
        Execution {
            machine,
            compiled,
            mock_table,
            core: Core::new(&options, input),
            options: Arc::new(options),
            history: storage,
            snapshots: Vec::new(),
            answers: FxHashMap::default(),
            settled: false,
            answered_since_step: Vec::new(),
        }
    }

    /// Starts an execution (no event yet: the first [`Execution::step`] emits `ExecutionStarted`).
    pub fn start(machine: Arc<StateMachine>, input: Value, options: ExecOptions) -> Execution {
        Prepared::new(machine).start(input, options)
    }

    fn engine(&mut self) -> Engine<'_> {
        Engine {
            machine: &self.machine,
            compiled: &self.compiled,
            options: &self.options,
            mock_table: self.mock_table.as_deref(),
            core: &mut self.core,
            history: if self.options.record_history {
                Some(&mut self.history)
            } else {
                None
            },
            answers: &mut self.answers,
            emitted: false,
            batch: false,
        }
    }

    fn maybe_snapshot(&mut self) {
        if !self.options.record_history {
            return;
        }
        let every = self.options.snapshot_every.max(1);
        let n = self.core.events;
        if n.is_multiple_of(every)
            && let Err(at) = self.snapshots.binary_search_by_key(&n, |(c, _, _)| *c)
        {
            self.snapshots
                .insert(at, (n, self.core.clone(), self.settled));
        }
    }

    /// Advances by exactly one history event.
    pub fn step(&mut self) -> Step {
        if self.core.outcome.is_some() {
            return Step::Finished;
        }
        self.answered_since_step.clear();
        self.answer_due();
        self.maybe_snapshot();
        let mut advance = self.engine().step();
        self.settled = advance == Advance::Stuck;
        // Replaying: a task that paused in this step's work may have an answer the caller gave
        // once the run had settled here; the step goes on with it, as the run did.
        while advance == Advance::Stuck && self.core.outcome.is_none() && self.answer_due() {
            advance = self.engine().step();
            self.settled = advance == Advance::Stuck;
        }
        match advance {
            Advance::Event => Step::Event(self.core.events),
            Advance::Stuck if self.core.outcome.is_some() => Step::Finished,
            Advance::Stuck => Step::Paused,
        }
    }

    /// Empties the history and gives back its storage (its capacity, no event), for
    /// [`Prepared::start_in`]. For a caller about to drop the execution: it is left with events
    /// counted but none recorded, so stepping back no longer works.
    pub fn take_history_storage(&mut self) -> Vec<HistoryEvent> {
        let mut storage = std::mem::take(&mut self.history);
        storage.clear();
        storage
    }

    /// Whether [`Execution::history`] holds every event so far.
    pub fn records_history(&self) -> bool {
        self.options.record_history
    }

    /// Turns the history on for an execution started without one: the run so far is replayed
    /// from its start with the history (and, with `stages`, every state's intermediate values)
    /// recorded into `storage` (emptied first), to the event it had reached, with the answers
    /// callers gave at the points they gave them; from then on it records as if started so.
    /// Exact when the execution kept its answers ([`ExecOptions::keep_answers`]): the run is
    /// deterministic given them (the conformance tests compare every case's history so made
    /// with the one recorded from the start). A [`TaskHandler`] is asked again only for the
    /// tasks it declined, as after stepping back. Costs about the run so far; does nothing when
    /// the history is already recorded.
    pub fn record_from_start(&mut self, storage: Vec<HistoryEvent>, stages: bool) {
        if self.options.record_history {
            return;
        }
        let reached = self.core.events;
        let mut options = (*self.options).clone();
        options.record_history = true;
        options.record_stages = stages;
        let mut answers = std::mem::take(&mut self.answers);
        // Answers given since the last step are held back until the replay has got as far.
        let since: Vec<(Arc<str>, Given)> = self
            .answered_since_step
            .iter()
            .filter_map(|t| answers.remove_entry(t))
            .collect();
        let mut replay = Execution::fresh(
            self.machine.clone(),
            self.compiled.clone(),
            self.mock_table.clone(),
            self.core.input.clone(),
            options,
            storage,
        );
        replay.answers = answers;
        let reached_again = replay.seek(reached);
        debug_assert!(reached_again, "the replay stopped before event {reached}");
        if self.settled && replay.core.outcome.is_none() {
            // The work after the last event, up to where this execution stopped: no event.
            replay.step();
        }
        for (token, given) in since {
            replay.answered_since_step.push(token.clone());
            replay.answers.insert(token, given);
        }
        replay.answer_due();
        replay.settled = self.settled;
        *self = replay;
    }

    /// Runs to the end or until a task needs an answer; returns the status.
    pub fn run(&mut self) -> Status {
        if self.options.record_history {
            while let Step::Event(_) = self.step() {}
        } else {
            self.answered_since_step.clear();
            let mut engine = self.engine();
            engine.batch = true;
            while engine.step() == Advance::Event {}
            self.settled = true;
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

    /// Answers a paused task at once (AWS's SendTaskSuccess/SendTaskFailure; for an unmocked
    /// task, its result); the execution can then continue.
    pub fn complete_task(&mut self, token: &str, result: TaskResult) -> Result<(), CompleteError> {
        self.complete_task_after(token, result, 0).map(|_| ())
    }

    /// Answers a paused task after it waited `after_ms` more virtual milliseconds. When its
    /// `TimeoutSeconds` or `HeartbeatSeconds` passes first, the task times out instead.
    pub fn complete_task_after(
        &mut self,
        token: &str,
        result: TaskResult,
        after_ms: u64,
    ) -> Result<TaskAnswer, CompleteError> {
        let i = self.pending_index(token)?;
        let p = &mut self.core.pending[i];
        let (attempt, answer) = match p.wait(after_ms) {
            Some((at, heartbeat)) => {
                p.waited_ms = at;
                (
                    Attempt::TimedOut { heartbeat },
                    TaskAnswer::TimedOut { heartbeat },
                )
            }
            None => (
                match result {
                    Ok(v) => Attempt::Succeeded(v),
                    Err(e) => Attempt::Failed(e.into()),
                },
                TaskAnswer::Accepted,
            ),
        };
        self.finish_pending(i, attempt);
        Ok(answer)
    }

    /// A heartbeat for a paused task (AWS's SendTaskHeartbeat), sent after it waited `after_ms`
    /// more virtual milliseconds: the `HeartbeatSeconds` clock starts again. When a deadline
    /// passed before the heartbeat, the task times out.
    pub fn send_heartbeat(
        &mut self,
        token: &str,
        after_ms: u64,
    ) -> Result<TaskAnswer, CompleteError> {
        let i = self.pending_index(token)?;
        let p = &mut self.core.pending[i];
        match p.wait(after_ms) {
            Some((at, heartbeat)) => {
                p.waited_ms = at;
                self.finish_pending(i, Attempt::TimedOut { heartbeat });
                Ok(TaskAnswer::TimedOut { heartbeat })
            }
            None => {
                p.last_heartbeat_ms = p.waited_ms;
                self.forget_future();
                Ok(TaskAnswer::Accepted)
            }
        }
    }

    /// No answer will come: the paused task times out at its first deadline in virtual time
    /// (`States.HeartbeatTimeout` or `States.Timeout`, as AWS reports them).
    pub fn expire_task(&mut self, token: &str) -> Result<TaskAnswer, CompleteError> {
        let i = self.pending_index(token)?;
        let p = &mut self.core.pending[i];
        let Some((at, heartbeat)) = p.deadline() else {
            return Err(CompleteError::NoDeadline(token.to_string()));
        };
        p.waited_ms = at;
        self.finish_pending(i, Attempt::TimedOut { heartbeat });
        Ok(TaskAnswer::TimedOut { heartbeat })
    }

    fn pending_index(&self, token: &str) -> Result<usize, CompleteError> {
        self.core
            .pending
            .iter()
            .position(|p| &*p.token == token)
            .ok_or_else(|| CompleteError::UnknownToken(token.to_string()))
    }

    /// Replaying after stepping back: gives the pending tasks whose answer was given at this
    /// point of the run (as many events in as now) that answer, as the caller did then. An
    /// answer the caller gave once the run had settled after this event comes after the same
    /// work here: the replay settles first (no event), so the branches that ran on meanwhile
    /// have moved their clocks as they had.
    /// Returns whether it gave any.
    fn answer_due(&mut self) -> bool {
        if self.answers.is_empty() {
            return false;
        }
        let mut gave = false;
        while let Some(i) = self.core.pending.iter().position(|p| {
            self.answers
                .get(&p.token)
                .is_some_and(|g| g.at_event <= self.core.events)
        }) {
            let Some(given) = self.answers.get(&self.core.pending[i].token).cloned() else {
                break;
            };
            if !given.due_unsettled(self.core.events) && !self.settled {
                // The run had got this far with no event: so does the replay. It may pause
                // further tasks, which are looked at again.
                let advance = self.engine().step();
                debug_assert_eq!(advance, Advance::Stuck, "a settled run emitted no event");
                self.settled = true;
                continue;
            }
            let p = self.core.pending.remove(i);
            self.engine().answer_task(p.thread, given.answer);
            gave = true;
        }
        gave
    }

    /// A caller answered a task or sent a heartbeat: the run goes on differently from here, so
    /// what was recorded past this point before stepping back belongs to another future: its
    /// events, its snapshots (one taken at this event may hold an answer of that future: a step
    /// takes it after giving the answers due) and its kept answers (their tokens would go to
    /// whichever tasks get them in the new future). A snapshot from it, restored by a later
    /// seek, brought that future back.
    fn forget_future(&mut self) {
        let now = self.core.events;
        let kept = self.snapshots.partition_point(|(n, _, _)| *n < now);
        self.snapshots.truncate(kept);
        self.history.truncate(now as usize);
        let (since, settled) = (&self.answered_since_step, self.settled);
        // At this event: a caller's answer since the last step is this future's, and so is a
        // handler's once this future has done the work after the event (it gave them then).
        self.answers.retain(|token, g| {
            g.at_event < now
                || (g.at_event == now
                    && if g.by_handler {
                        settled
                    } else {
                        since.contains(token)
                    })
        });
    }

    /// Ends pending task `i` with `attempt`, its thread's clock moved on by the time it waited.
    fn finish_pending(&mut self, i: usize, attempt: Attempt) {
        self.forget_future();
        let p = self.core.pending.remove(i);
        let answer = Answer {
            attempt,
            elapsed_ms: p.waited_ms,
        };
        if self.options.keeps_answers() {
            // Kept to replay after stepping back, or to record the history later.
            self.answered_since_step.push(p.token.clone());
            let at_event = self.core.events;
            self.answers.insert(
                p.token.clone(),
                Given {
                    answer: answer.clone(),
                    at_event,
                    settled: self.settled,
                    by_handler: false,
                },
            );
        }
        let mut engine = self.engine();
        engine.answer_task(p.thread, answer);
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
            // and answers to paused tasks are kept by token, so the same future is replayed
            // (until a caller answers otherwise: `forget_future`).
            let recorded = self.history.len() as u32;
            let pos = self.snapshots.partition_point(|(n, _, _)| *n <= event_id);
            match pos.checked_sub(1).and_then(|p| self.snapshots.get(p)) {
                Some((n, core, settled))
                    if event_id < current || (*n > current && *n <= recorded) =>
                {
                    self.core = core.clone();
                    // Taken as a step began, after giving the answers due (which may have
                    // settled the run first).
                    self.settled = *settled;
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
#[cfg(test)]
mod tests_jsonata;
