//! The scheduler: threads of execution, virtual time, and one history event per step.
//!
//! Owns [`Core`] (everything that changes while an execution runs; `Clone` is cheap because
//! payloads are shared [`Value`]s, which is what makes snapshots for stepping back cheap),
//! [`Thread`] (the top-level run, each Parallel branch, each Map iteration: its own virtual clock,
//! variables and current state visit), the pick of the next thread (smallest virtual time, ties by
//! the thread's position in the definition's tree, so iterations and branches interleave as they
//! would in time and every run is deterministic), event emission and thread completion (delivering
//! a branch's or iteration's result to its parent, failing the execution at the top), and the
//! per-definition tables the phases read ([`Compiled`], [`MockTable`]).
//!
//! Not owned here: what each state type does ([`super::states`], [`super::fanout`]), the public
//! API ([`super::Execution`]).

use std::cmp::Ordering;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::env::Rng;
use crate::error::{ErrorName, ExecError};
use crate::history::{EventDetails, EventType, HistoryEvent, Stages};
use crate::mock::{MockSequence, Mocks};
use crate::model::{Branch, StateId, StateKind, StateMachine};
use crate::value::Value;

use super::io::{self, Vars};
use super::{ExecOptions, PendingTask as Pending};

pub(crate) type ThreadId = u32;

/// One step from a branch to a nested branch.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Hop {
    Branch { state: StateId, index: u32 },
    Processor { state: StateId },
}

/// Static facts about one branch of the definition, computed once per execution.
#[derive(Debug)]
pub(crate) struct BranchInfo {
    pub route: Box<[Hop]>,
    /// `data-state` path of each state (`Par/0/Inner`).
    pub paths: Box<[Arc<str>]>,
    pub uses_context: Box<[bool]>,
    /// For each state, the ids of its nested branches (Parallel branches, Map processor).
    pub children: Box<[Box<[u32]>]>,
    /// For each Task state, how its resource appears in events.
    pub resources: Box<[Option<super::integration::ResourceKind>]>,
    /// For each state, whether it is a Task whose resource ends in `.waitForTaskToken` (it gets
    /// `$$.Task.Token`): decided once, not by reading the resource text on every attempt.
    pub waits_token: Box<[bool]>,
    /// For each state, whether it is a Task whose service integration runs a job or awaits a
    /// token (`.sync`, `.waitForTaskToken`: `TaskSubmitted` first): decided once, not by
    /// searching the resource text on every attempt (1.6% of the JS API's jsonata-task-heavy).
    pub submits: Box<[bool]>,
    /// For each state, its slot in [`Core::mock_counters`]: one per distinct state name, as
    /// mocks count invocations by name (retries and Map iterations included).
    pub name_slots: Box<[u32]>,
    /// For each state, what entering it and a JSONPath Task's attempt need from the boxed
    /// definition, so that a successful attempt answered by a mock reads no box (a cache miss per
    /// state in a run that starts with task-heavy's 1,000 states out of the caches;
    /// benches/README.md, §17). A task handler, a paused task and JSONata still read it.
    pub facts: Box<[StateFacts]>,
}

/// See [`BranchInfo::facts`].
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct StateFacts {
    /// How many Retry entries the state has (Task, Parallel and Map).
    pub retriers: u32,
    /// A Task's `TimeoutSeconds` and `HeartbeatSeconds` when each is a literal or absent;
    /// `None` when either is a path, a call or an expression (evaluated on each attempt), and
    /// for other kinds of state.
    pub seconds: Option<(Option<u64>, Option<u64>)>,
}

impl StateFacts {
    fn of(st: &crate::model::State) -> StateFacts {
        use crate::model::Dynamic;
        let literal = |d: Option<&Dynamic<u64>>| match d {
            None => Some(None),
            Some(Dynamic::Literal(v)) => Some(Some(v.value)),
            Some(_) => None,
        };
        let seconds = match &st.kind {
            StateKind::Task(t) => {
                literal(t.timeout_seconds.as_ref()).zip(literal(t.heartbeat_seconds.as_ref()))
            }
            _ => None,
        };
        StateFacts {
            retriers: u32::try_from(st.retry_catch().0.len()).unwrap_or(u32::MAX),
            seconds,
        }
    }
}

#[derive(Debug)]
pub(crate) struct Compiled {
    pub branches: Vec<BranchInfo>,
}

impl Compiled {
    pub fn new(machine: &StateMachine) -> Compiled {
        let mut out = Vec::new();
        let mut slots = FxHashMap::default();
        add_branch(&machine.root, Vec::new(), "", &mut out, &mut slots);
        Compiled { branches: out }
    }
}

fn add_branch(
    b: &Branch,
    route: Vec<Hop>,
    prefix: &str,
    out: &mut Vec<BranchInfo>,
    slots: &mut FxHashMap<Arc<str>, u32>,
) -> u32 {
    let id = out.len();
    out.push(BranchInfo {
        route: Box::new([]),
        paths: Box::new([]),
        uses_context: Box::new([]),
        children: Box::new([]),
        resources: Box::new([]),
        waits_token: Box::new([]),
        submits: Box::new([]),
        name_slots: Box::new([]),
        facts: Box::new([]),
    });
    let mut paths = Vec::with_capacity(b.states.len());
    let mut uses = Vec::with_capacity(b.states.len());
    let mut children = Vec::with_capacity(b.states.len());
    let mut resources = Vec::with_capacity(b.states.len());
    let mut name_slots = Vec::with_capacity(b.states.len());
    let mut waits_token = Vec::with_capacity(b.states.len());
    let mut submits = Vec::with_capacity(b.states.len());
    let mut facts = Vec::with_capacity(b.states.len());
    for (sid, (name, st)) in b.states.iter().enumerate() {
        let path: Arc<str> = format!("{prefix}{name}").into();
        let sid = sid as StateId;
        let kids: Vec<u32> = match &st.kind {
            StateKind::Parallel(p) => p
                .branches
                .iter()
                .enumerate()
                .map(|(i, cb)| {
                    let mut r = route.clone();
                    r.push(Hop::Branch {
                        state: sid,
                        index: i as u32,
                    });
                    add_branch(cb, r, &format!("{path}/{i}/"), out, slots)
                })
                .collect(),
            StateKind::Map(m) => {
                let mut r = route.clone();
                r.push(Hop::Processor { state: sid });
                vec![add_branch(
                    &m.processor,
                    r,
                    &format!("{path}/0/"),
                    out,
                    slots,
                )]
            }
            _ => Vec::new(),
        };
        let kind = match &st.kind {
            StateKind::Task(t) => Some(super::integration::resource_kind(&t.resource.value)),
            _ => None,
        };
        submits.push(match (&st.kind, &kind) {
            (StateKind::Task(t), Some(super::integration::ResourceKind::Service { .. })) => {
                super::integration::pattern(&t.resource.value)
                    != super::integration::Pattern::RequestResponse
            }
            _ => false,
        });
        resources.push(kind);
        waits_token.push(matches!(&st.kind, StateKind::Task(t) if t.resource.value.ends_with(".waitForTaskToken")));
        let next_slot = slots.len() as u32;
        name_slots.push(*slots.entry(name.clone()).or_insert(next_slot));
        paths.push(path);
        facts.push(StateFacts::of(st));
        uses.push(io::state_uses_context(st));
        children.push(kids.into_boxed_slice());
    }
    out[id] = BranchInfo {
        route: route.into_boxed_slice(),
        paths: paths.into_boxed_slice(),
        uses_context: uses.into_boxed_slice(),
        children: children.into_boxed_slice(),
        resources: resources.into_boxed_slice(),
        waits_token: waits_token.into_boxed_slice(),
        submits: submits.into_boxed_slice(),
        name_slots: name_slots.into_boxed_slice(),
        facts: facts.into_boxed_slice(),
    };
    id as u32
}

/// Each Task state's mock sequence, looked up once per definition and set of mocks (see
/// [`super::Prepared`]) rather than by name on every attempt: with 1,000 mocked states the
/// lookup (hashing the name, then reading the map's buckets and the key's bytes, none of them
/// in cache when the run reaches the state) was 13.5% of a native run's time with mocks
/// (benches/README.md, §11). The answer depends only on the state's name and resource and on
/// the mocks, which are shared immutably.
#[derive(Debug)]
pub(crate) struct MockTable {
    /// By branch id ([`Compiled::branches`]), then state id; `None` for a state with no mock.
    branches: Box<[Box<[Option<MockSequence>]>]>,
}

impl MockTable {
    pub fn new(machine: &StateMachine, compiled: &Compiled, mocks: &Mocks) -> MockTable {
        let branches = compiled
            .branches
            .iter()
            .map(|info| {
                route_branch(machine, &info.route)
                    .states
                    .iter()
                    .map(|(_, st)| match &st.kind {
                        StateKind::Task(t) => mocks.sequence(&st.name, &t.resource.value).cloned(),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        MockTable { branches }
    }

    /// The mock sequence of state `sid` of branch `branch` (as [`Mocks::sequence`] finds it).
    pub fn get(&self, branch: u32, sid: StateId) -> Option<&MockSequence> {
        self.branches
            .get(branch as usize)?
            .get(sid as usize)?
            .as_ref()
    }
}

/// The branch a route leads to.
pub(crate) fn route_branch<'m>(machine: &'m StateMachine, route: &[Hop]) -> &'m Branch {
    let mut b = &machine.root;
    for hop in route {
        let next = match *hop {
            Hop::Branch { state, index } => match b.state(state).map(|s| &s.kind) {
                Some(StateKind::Parallel(p)) => p.branches.get(index as usize),
                _ => None,
            },
            Hop::Processor { state } => match b.state(state).map(|s| &s.kind) {
                Some(StateKind::Map(m)) => Some(&m.processor),
                _ => None,
            },
        };
        // Routes are built from this same machine, so every hop exists.
        match next {
            Some(n) => b = n,
            None => return b,
        }
    }
    b
}

/// An error as it travels: AWS lets a Fail state have no Error or Cause at all.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Fault {
    pub error: Option<Arc<str>>,
    pub cause: Option<Arc<str>>,
}

impl Fault {
    pub fn error_str(&self) -> &str {
        self.error.as_deref().unwrap_or("")
    }
}

impl From<ExecError> for Fault {
    fn from(e: ExecError) -> Fault {
        let error = match e.error {
            // A custom name is already shared text: no copy.
            ErrorName::Custom(name) => name,
            other => other.as_str().into(),
        };
        Fault {
            error: Some(error),
            cause: Some(e.cause.into()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ThreadKind {
    Root,
    Branch,
    Iteration,
}

/// The results of a fan-out, in chunks shared between snapshots: a snapshot of a 10,000-item
/// Map copies 40 pointers, and a write copies one 256-value chunk, not the whole list.
#[derive(Clone, Debug, Default)]
pub(crate) struct Results {
    chunks: Vec<Arc<Vec<Value>>>,
    len: usize,
}

const CHUNK: usize = 256;

impl Results {
    pub fn new(len: usize) -> Results {
        let chunks = (0..len.div_ceil(CHUNK))
            .map(|i| Arc::new(vec![Value::Null; CHUNK.min(len - i * CHUNK)]))
            .collect();
        Results { chunks, len }
    }

    pub fn set(&mut self, index: usize, v: Value) {
        if index < self.len
            && let Some(slot) =
                Arc::make_mut(&mut self.chunks[index / CHUNK]).get_mut(index % CHUNK)
        {
            *slot = v;
        }
    }

    pub fn into_value(self) -> Value {
        let mut items = Vec::with_capacity(self.len);
        for c in self.chunks {
            match Arc::try_unwrap(c) {
                Ok(v) => items.extend(v),
                Err(shared) => items.extend(shared.iter().cloned()),
            }
        }
        Value::array(items)
    }
}

/// Children of a Parallel or Map state visit.
#[derive(Clone, Debug, Default)]
pub(crate) struct Fanout {
    pub results: Results,
    /// Items (Map) still to start from `next`.
    pub items: Option<Value>,
    pub next: usize,
    pub total: usize,
    pub done: usize,
    pub active: usize,
    /// 0 = unlimited.
    pub max_concurrency: usize,
    pub failures: usize,
    pub tolerated_count: Option<u64>,
    pub tolerated_percentage: Option<f64>,
    pub live: Vec<ThreadId>,
    pub distributed: bool,
    pub run_reported: bool,
    pub is_map: bool,
    /// Inline Map: indexes of iterations stopped by a sibling's failure, still to be reported
    /// as `MapIterationAborted` (last first).
    pub aborted: Vec<u32>,
}

/// One visit of a state by a thread.
#[derive(Clone, Debug)]
pub(crate) struct Visit {
    pub state: StateId,
    pub input: Value,
    pub entered_event: u32,
    pub entered_ms: i64,
    pub attempts: Vec<u32>,
    pub retry_count: u32,
    /// After InputPath (and Parameters, for states that have them).
    pub effective: Value,
    /// Task: the request is [`Visit::input`] itself (no InputPath, no Parameters), so
    /// `effective` holds no copy of it.
    pub request_is_input: bool,
    pub stages: Option<Box<Stages>>,
    pub token: Option<Arc<str>>,
    /// The task attempt's number, from which its token is made when one is needed.
    pub token_seq: u64,
    pub fanout: Option<Box<Fanout>>,
    /// Task: the outcome's virtual time and timeout deadline bookkeeping.
    pub timeout_ms: Option<u64>,
    pub heartbeat_ms: Option<u64>,
}

impl Visit {
    /// The Task request: the parameters as sent.
    pub fn request(&self) -> &Value {
        if self.request_is_input {
            &self.input
        } else {
            &self.effective
        }
    }
}

/// A caller's answer to a paused task, kept by token to replay after stepping back: the
/// outcome (already decided against the task's timeouts and heartbeats) and the virtual time
/// the task waited for it.
#[derive(Clone, Debug)]
pub(crate) struct Answer {
    pub attempt: Attempt,
    pub elapsed_ms: u64,
}

/// An answer kept to replay after stepping back, with the number of events the run had when it
/// was given: a replay gives it at that same point, so branches that ran on while the task
/// waited for it keep their place before it (its time may be earlier than theirs).
#[derive(Clone, Debug)]
pub(crate) struct Given {
    pub answer: Answer,
    pub at_event: u32,
    /// Given once the run had done all the work it could after that event (a run or step that
    /// ended paused), not right after the event: a replay does that work first, as it can move
    /// other branches' clocks and their parents' (a branch's end, which emits no event).
    pub settled: bool,
    /// Given by the [`crate::exec::TaskHandler`] (else by a caller).
    pub by_handler: bool,
}

impl Given {
    /// Whether a replay that has emitted `events` events may give this answer at a point where
    /// the work after its last event is still to be done (a task reaching its answer mid-run).
    pub fn due_unsettled(&self, events: u32) -> bool {
        self.at_event < events || (self.at_event == events && !self.settled)
    }
}

/// The outcome of one task attempt. A word-sized tag, as [`Value`]'s (see there): `TimedOut`'s
/// flag would sit at byte 1 and a move of an attempt would straddle the value behind it.
#[derive(Clone, Debug)]
#[repr(u64)]
pub(crate) enum Attempt {
    Succeeded(Value),
    Failed(Fault),
    /// No answer within `TimeoutSeconds` (false) or `HeartbeatSeconds` (true).
    TimedOut {
        heartbeat: bool,
    },
}

#[derive(Clone, Debug)]
pub(crate) enum Phase {
    /// Emit `MapIterationStarted`, then enter the start state with this input.
    IterationStart(Value),
    /// Emit `…StateEntered`.
    Enter { state: StateId, input: Value },
    /// Do the state's work (input processing, and for simple states everything up to the exit).
    Act,
    /// Task: emit `TaskStarted` / `LambdaFunctionStarted` / `ActivityStarted`.
    TaskStart,
    /// Task (`.sync`, `.waitForTaskToken`): emit `TaskSubmitted`.
    TaskSubmit,
    /// Task: find the outcome (mock or a caller's answer); no event.
    TaskRun,
    /// Task: waiting for [`super::Execution::complete_task`].
    TaskAwait,
    /// Task: emit the attempt's outcome event.
    TaskOutcome(Attempt),
    /// Task/Parallel/Map: ResultSelector → ResultPath → OutputPath, emit `…StateExited`.
    ProcessResult(Value),
    /// Wait: emit `WaitStateExited` once the clock reaches the thread's time.
    WaitDone,
    /// Map: evaluate tolerated-failure settings after `MapStateStarted`.
    MapSetup,
    /// Parallel/Map: waiting for children.
    Blocked,
    /// Parallel/Map: every child is done.
    FanoutDone,
    /// A Parallel/Map failed: emit its `…StateFailed` event, then recover.
    FanoutFailed(Fault),
    /// A JSONata expression failed: emit `EvaluationFailed`, then (Parallel/Map) `StateFailed`
    /// or recover.
    EvalFailed(Fault),
    /// Parallel/Map failed before fanning out: emit `…StateFailed`, then recover.
    StateFailed(Fault),
    /// Retry, catch or give up.
    Recover(Fault),
    /// The thread ends (emits `ExecutionSucceeded`/`Failed` or `MapIteration…`, or delivers
    /// silently to the parent).
    Finish(Result<Value, Fault>),
}

#[derive(Clone, Debug)]
pub(crate) struct Thread {
    /// Position in the definition tree, for deterministic tie-breaks.
    pub key: Arc<[u32]>,
    pub parent: Option<(ThreadId, u32)>,
    pub kind: ThreadKind,
    pub branch: u32,
    pub time: i64,
    pub vars: Vars,
    pub phase: Phase,
    pub visit: Option<Box<Visit>>,
    /// Children of a Distributed Map run: their events belong to child executions.
    pub silent: bool,
    /// Map iteration indexes, outermost first.
    pub iterations: Arc<[u32]>,
    pub last_event: u32,
}

/// How the execution ended.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Outcome {
    Succeeded(Value),
    Failed(Fault),
    TimedOut(Fault),
}

/// The mutable state of an execution.
#[derive(Clone, Debug)]
pub(crate) struct Core {
    pub threads: Vec<Option<Thread>>,
    free: Vec<ThreadId>,
    /// Threads alive (slots in `threads` that are `Some`): 1 means the root alone.
    live: u32,
    /// Threads started or ended so far: unchanged across a thread's phase, nothing but that
    /// thread changed what the scheduler would pick (see `Engine::chains`).
    reshaped: u64,
    pub rng: Rng,
    pub events: u32,
    pub transitions: u64,
    pub started: bool,
    pub outcome: Option<Outcome>,
    /// Mock invocations so far, by [`BranchInfo::name_slots`] (grown on first use).
    pub mock_counters: Vec<u64>,
    pub next_token: u64,
    pub pending: Vec<Pending>,
    pub exec_context: (Value, Value),
    pub input: Value,
    pub start_ms: i64,
}

impl Core {
    pub fn new(options: &ExecOptions, input: Value) -> Core {
        let start_ms = options.env.start_time_ms;
        let start_text = super::timestamp::format_millis(start_ms);
        let exec_context = io::execution_context(&options.names, &input, &start_text);
        let root = Thread {
            key: Arc::from([] as [u32; 0]),
            parent: None,
            kind: ThreadKind::Root,
            branch: 0,
            time: start_ms,
            vars: Vars::default(),
            phase: Phase::Finish(Ok(Value::Null)),
            visit: None,
            silent: false,
            iterations: Arc::from([] as [u32; 0]),
            last_event: 0,
        };
        Core {
            threads: vec![Some(root)],
            free: Vec::new(),
            live: 1,
            reshaped: 0,
            rng: Rng::new(options.env.seed),
            events: 0,
            transitions: 0,
            started: false,
            outcome: None,
            mock_counters: Vec::new(),
            next_token: 0,
            pending: Vec::new(),
            exec_context,
            input,
            start_ms,
        }
    }

    pub fn thread(&self, id: ThreadId) -> Option<&Thread> {
        self.threads.get(id as usize).and_then(Option::as_ref)
    }

    pub fn thread_mut(&mut self, id: ThreadId) -> Option<&mut Thread> {
        self.threads.get_mut(id as usize).and_then(Option::as_mut)
    }

    /// Threads started or ended so far.
    pub fn reshaped(&self) -> u64 {
        self.reshaped
    }

    /// Whether the root is the only thread alive (no Parallel branch or Map iteration running).
    pub fn root_alone(&self) -> bool {
        self.live == 1
    }

    pub fn spawn(&mut self, t: Thread) -> ThreadId {
        self.live += 1;
        self.reshaped += 1;
        match self.free.pop() {
            Some(id) => {
                self.threads[id as usize] = Some(t);
                id
            }
            None => {
                self.threads.push(Some(t));
                (self.threads.len() - 1) as ThreadId
            }
        }
    }

    pub fn remove(&mut self, id: ThreadId) -> Option<Thread> {
        let t = self.threads.get_mut(id as usize)?.take();
        if t.is_some() {
            self.free.push(id);
            self.live -= 1;
            self.reshaped += 1;
        }
        t
    }
}

/// What the scheduler picked.
#[derive(Clone, Copy, Debug)]
enum Pick {
    Thread(ThreadId),
    /// A Map thread that may start its next iteration.
    Spawn(ThreadId),
}

fn key_cmp(a: &[u32], a_extra: Option<u32>, b: &[u32], b_extra: Option<u32>) -> Ordering {
    // The common prefix as slices (the scheduler compares keys of every runnable thread each
    // step; chained iterators showed in profiles), then the short tails with the extras.
    let n = a.len().min(b.len());
    match a[..n].cmp(&b[..n]) {
        Ordering::Equal => {}
        other => return other,
    }
    let ai = a[n..].iter().copied().chain(a_extra);
    let bi = b[n..].iter().copied().chain(b_extra);
    ai.cmp(bi)
}

/// One step's context: the static parts borrowed, the core mutable.
pub(crate) struct Engine<'a> {
    pub machine: &'a StateMachine,
    pub compiled: &'a Compiled,
    pub options: &'a ExecOptions,
    /// The mocks of `options`, by state (`None`: no mocks, or a table not made).
    pub mock_table: Option<&'a MockTable>,
    pub core: &'a mut Core,
    pub history: Option<&'a mut Vec<HistoryEvent>>,
    pub answers: &'a mut FxHashMap<Arc<str>, Given>,
    pub emitted: bool,
    /// Running to the end with no history: a step need not stop at each event.
    pub batch: bool,
}

/// What `step` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Advance {
    /// One event was emitted.
    Event,
    /// Nothing can run: the execution ended or waits for task results.
    Stuck,
}

impl Engine<'_> {
    /// Runs until exactly one event is emitted (or nothing can run).
    pub fn step(&mut self) -> Advance {
        self.emitted = false;
        if !self.core.started {
            self.core.started = true;
            let too_deep = self.core.input.depth() as usize > super::io::MAX_VALUE_DEPTH;
            if too_deep
                || self
                    .options
                    .limits
                    .payload_bytes
                    .is_some_and(|limit| self.core.input.json_len() > limit)
            {
                {
                    let input = self.core.input.clone();
                    self.emit(0, EventType::ExecutionStarted, || {
                        EventDetails::ExecutionStarted {
                            input,
                            role_arn: "".into(),
                        }
                    });
                    self.fail_execution(Fault {
                        error: Some(if too_deep { "States.Runtime" } else { "States.DataLimitExceeded" }.into()),
                        cause: Some(if too_deep {
                            format!("The execution input is nested {} levels deep; this simulator supports at most {} levels.", self.core.input.depth(), super::io::MAX_VALUE_DEPTH).into()
                        } else {
                            "The execution input exceeds the maximum number of bytes service limit.".into()
                        }),
                    });
                    return Advance::Event;
                }
            }
            let input = self.core.input.clone();
            let role: Arc<str> = self.options.names.role_arn.as_str().into();
            self.emit(0, EventType::ExecutionStarted, || {
                EventDetails::ExecutionStarted {
                    input,
                    role_arn: role,
                }
            });
            let start = self.machine.root.start();
            let input = self.core.input.clone();
            if let Some(root) = self.core.thread_mut(0) {
                root.phase = match start {
                    Some(state) => Phase::Enter { state, input },
                    None => Phase::Finish(Err(ExecError::runtime("StartAt names no state").into())),
                };
            }
            return Advance::Event;
        }
        while !self.emitted {
            if self.core.outcome.is_some() {
                return Advance::Stuck;
            }
            if self.core.events + 1 >= self.options.limits.max_history_events {
                let max = self.options.limits.max_history_events;
                self.fail_execution(Fault {
                    error: Some("States.Runtime".into()),
                    cause: Some(
                        format!(
                            "The execution reached the maximum number of history events ({max})."
                        )
                        .into(),
                    ),
                });
                break;
            }
            let Some((pick, time)) = self.pick() else {
                return Advance::Stuck;
            };
            if let Some((deadline, by_limit)) = self.execution_deadline()
                && time > deadline
            {
                self.time_out_execution(deadline, by_limit);
                break;
            }
            let thread = match pick {
                Pick::Thread(id) => Some(id),
                // The new iteration is the next pick: its time and tree position equal the
                // spawn's (the least of all), the Map's next spawn comes after it, and no event,
                // clock or limit changed. Run at once, it spares a scan of every thread per
                // iteration; the order of work is exactly the scheduler's.
                Pick::Spawn(id) => self.spawn_iteration(id).inspect(|&child| {
                    debug_assert!(
                        matches!(self.pick(), Some((Pick::Thread(c), _)) if c == child),
                        "a new iteration is the scheduler's next pick"
                    );
                }),
            };
            // One call site: a second copy of `advance` and all it inlines made the
            // playground's bundle 0.6 KB gzip larger.
            if let Some(id) = thread {
                self.advance(id);
            }
        }
        Advance::Event
    }

    /// The runnable thread with the smallest (time, tree position).
    fn pick(&self) -> Option<(Pick, i64)> {
        let threads = &self.core.threads;
        if self.core.root_alone()
            && let Some(t) = threads.first().and_then(Option::as_ref)
        {
            match t.phase {
                Phase::Blocked => {}
                Phase::TaskAwait => return None,
                _ => return Some((Pick::Thread(0), t.time)),
            }
        }
        let mut best: Option<(Pick, i64, &[u32], Option<u32>)> = None;
        for (id, t) in threads.iter().enumerate() {
            let Some(t) = t else { continue };
            let cand = match &t.phase {
                Phase::TaskAwait => None,
                Phase::Blocked => t
                    .visit
                    .as_ref()
                    .and_then(|v| v.fanout.as_ref())
                    .and_then(|f| {
                        let can = f.is_map
                            && f.next < f.total
                            && (f.max_concurrency == 0 || f.active < f.max_concurrency);
                        can.then_some((Pick::Spawn(id as ThreadId), Some(f.next as u32)))
                    }),
                _ => Some((Pick::Thread(id as ThreadId), None)),
            };
            let Some((pick, extra)) = cand else { continue };
            let better = match &best {
                None => true,
                Some((_, bt, bk, be)) => match t.time.cmp(bt) {
                    Ordering::Less => true,
                    Ordering::Greater => false,
                    Ordering::Equal => key_cmp(&t.key, extra, bk, *be) == Ordering::Less,
                },
            };
            if better {
                best = Some((pick, t.time, &t.key, extra));
            }
        }
        best.map(|(p, t, _, _)| (p, t))
    }

    /// Records an event (when history is on) and marks the step done.
    pub fn emit(
        &mut self,
        thread: ThreadId,
        kind: EventType,
        details: impl FnOnce() -> EventDetails,
    ) {
        let (time, silent, prev, mut branch, mut state) = match self.core.thread(thread) {
            Some(t) => (
                t.time,
                t.silent,
                t.last_event,
                t.branch,
                t.visit.as_ref().map(|v| v.state),
            ),
            None => (self.core.start_ms, false, self.core.events, 0, None),
        };
        if silent {
            return;
        }
        self.core.events += 1;
        let id = self.core.events;
        self.emitted = true;
        if let Some(t) = self.core.thread_mut(thread) {
            t.last_event = id;
        }
        if let Some(history) = self.history.as_deref_mut() {
            if is_iteration_event(kind) {
                // An iteration's own thread reports its start and end, but they are events of
                // the Map state (the parent's visit): that is where the graph and inspector
                // show them.
                if let Some(p) = self
                    .core
                    .thread(thread)
                    .and_then(|t| t.parent)
                    .and_then(|(p, _)| self.core.thread(p))
                {
                    branch = p.branch;
                    state = p.visit.as_ref().map(|v| v.state);
                }
            }
            // Read only when recorded: with history off an event costs no reference counting.
            let mut iterations = match self.core.thread(thread) {
                Some(t) => t.iterations.clone(),
                None => Arc::from([] as [u32; 0]),
            };
            let details = details();
            if let (EventType::MapIterationAborted, EventDetails::MapIteration { index, .. }) =
                (kind, &details)
            {
                // The Map's own thread reports it: the iteration's indexes, as its other events
                // carry them (and as an imported history reads them from the index).
                iterations = iterations
                    .iter()
                    .copied()
                    .chain(u32::try_from(*index).ok())
                    .collect();
            }
            let path = match (state, is_execution_event(kind)) {
                (Some(s), false) => self
                    .compiled
                    .branches
                    .get(branch as usize)
                    .and_then(|b| b.paths.get(s as usize))
                    .cloned()
                    .unwrap_or_else(|| "".into()),
                _ => "".into(),
            };
            let ev = HistoryEvent {
                id,
                previous_event_id: if prev == 0 { id - 1 } else { prev },
                timestamp_ms: time,
                kind,
                details,
                path,
                iterations,
            };
            // After stepping back, the recorded future is replayed identically (deterministic).
            match history.get_mut(id as usize - 1) {
                Some(slot) => *slot = ev,
                None => history.push(ev),
            }
        }
    }

    /// Ends the whole execution with a failure (limits, uncaught errors at the top).
    pub fn fail_execution(&mut self, fault: Fault) {
        let (error, cause) = (fault.error.clone(), fault.cause.clone());
        self.emit(0, EventType::ExecutionFailed, || EventDetails::Failure {
            error,
            cause,
            resource: None,
        });
        self.core.outcome = Some(Outcome::Failed(fault));
        self.stop_all();
    }

    /// When the execution times out: the machine's `TimeoutSeconds` or the workflow type's
    /// maximum execution time, whichever comes first (`true` when it is the type's limit).
    fn execution_deadline(&self) -> Option<(i64, bool)> {
        let at = |seconds: u64| {
            self.core.start_ms.saturating_add(
                i64::try_from(seconds)
                    .unwrap_or(i64::MAX)
                    .saturating_mul(1000),
            )
        };
        let own = self
            .machine
            .timeout_seconds
            .as_ref()
            .map(|t| (at(t.value), false));
        let limit = self
            .options
            .limits
            .max_duration_seconds
            .map(|s| (at(s), true));
        match (own, limit) {
            (Some(o), Some(l)) => Some(if l.0 < o.0 { l } else { o }),
            (o, l) => o.or(l),
        }
    }

    fn time_out_execution(&mut self, deadline: i64, by_limit: bool) {
        if let Some(root) = self.core.thread_mut(0) {
            root.time = deadline;
        }
        let cause = match self.options.limits.max_duration_seconds {
            Some(s) if by_limit => format!(
                "The execution ran longer than the maximum execution time of its workflow type ({s} seconds)."
            ),
            _ => "The execution timed out (TimeoutSeconds of the state machine).".to_string(),
        };
        let fault = Fault {
            error: Some("States.Timeout".into()),
            cause: Some(cause.into()),
        };
        let (error, cause) = (fault.error.clone(), fault.cause.clone());
        self.emit(0, EventType::ExecutionTimedOut, || EventDetails::Failure {
            error,
            cause,
            resource: None,
        });
        self.core.outcome = Some(Outcome::TimedOut(fault));
        self.stop_all();
    }

    fn stop_all(&mut self) {
        // Keep the root (it carries the final time); drop every other thread.
        for id in 1..self.core.threads.len() {
            self.core.remove(id as ThreadId);
        }
        self.core.pending.clear();
        if let Some(root) = self.core.thread_mut(0) {
            root.phase = Phase::TaskAwait;
        }
    }

    /// Removes a thread and everything below it.
    pub fn kill(&mut self, id: ThreadId) {
        let children: Vec<ThreadId> = self
            .core
            .thread(id)
            .and_then(|t| t.visit.as_ref())
            .and_then(|v| v.fanout.as_ref())
            .map(|f| f.live.clone())
            .unwrap_or_default();
        for c in children {
            self.kill(c);
        }
        self.core.pending.retain(|p| p.thread != id);
        self.core.remove(id);
    }

    /// The branch a thread runs in.
    pub fn branch_of(&self, t: &Thread) -> (&'_ Branch, &'_ BranchInfo) {
        let info = &self.compiled.branches[t.branch as usize];
        (route_branch(self.machine, &info.route), info)
    }

    /// A thread ends with `result`: report it and hand it to the parent.
    pub fn finish(&mut self, id: ThreadId, result: Result<Value, Fault>) {
        let Some(t) = self.core.thread(id) else {
            return;
        };
        let (kind, parent, time, silent) = (t.kind, t.parent, t.time, t.silent);
        match kind {
            ThreadKind::Root => match result {
                Ok(output) => {
                    let out = output.clone();
                    self.emit(id, EventType::ExecutionSucceeded, || {
                        EventDetails::ExecutionSucceeded { output: out }
                    });
                    self.core.outcome = Some(Outcome::Succeeded(output));
                    self.stop_all();
                }
                Err(f) => self.fail_execution(f),
            },
            ThreadKind::Branch | ThreadKind::Iteration => {
                if kind == ThreadKind::Iteration && !silent {
                    let details = self.iteration_details(id);
                    let ev = if result.is_ok() {
                        EventType::MapIterationSucceeded
                    } else {
                        EventType::MapIterationFailed
                    };
                    // Succeeded or failed, AWS's details are MapIterationEventDetails (the
                    // Map's name and the item's index); the error is on the events before.
                    self.emit(id, ev, || details.unwrap_or(EventDetails::None));
                }
                self.core.remove(id);
                if let Some((pid, slot)) = parent {
                    self.deliver(pid, slot, id, time, result);
                }
            }
        }
    }

    /// An iteration event's details (AWS's MapIterationEventDetails: the Map's name and the
    /// item's index), made only when the event is recorded: it looks up the Map state through
    /// the parent thread and clones its name, 2% of a parallel-nested run in wasm when made with
    /// the history off too. `None` without a history, where `emit` never reads them.
    pub(crate) fn iteration_details(&self, id: ThreadId) -> Option<EventDetails> {
        self.history.as_ref()?;
        let Some(t) = self.core.thread(id) else {
            return Some(EventDetails::MapIteration {
                name: "".into(),
                index: 0,
            });
        };
        let index = t.iterations.last().copied().unwrap_or(0) as usize;
        let name = t
            .parent
            .and_then(|(p, _)| self.core.thread(p))
            .and_then(|p| {
                let (b, _) = self.branch_of(p);
                p.visit
                    .as_ref()
                    .and_then(|v| b.state(v.state))
                    .map(|s| s.name.clone())
            })
            .unwrap_or_else(|| "".into());
        Some(EventDetails::MapIteration { name, index })
    }

    /// A child thread's result reaches its Parallel/Map parent.
    fn deliver(
        &mut self,
        pid: ThreadId,
        slot: u32,
        child: ThreadId,
        time: i64,
        result: Result<Value, Fault>,
    ) {
        let mut kill_list = Vec::new();
        let Some(parent) = self.core.thread_mut(pid) else {
            return;
        };
        parent.time = parent.time.max(time);
        let Some(f) = parent.visit.as_mut().and_then(|v| v.fanout.as_mut()) else {
            return;
        };
        f.live.retain(|c| *c != child);
        f.active = f.active.saturating_sub(1);
        f.done += 1;
        let mut failed = None;
        match result {
            Ok(v) => {
                f.results.set(slot as usize, v);
            }
            Err(fault) => {
                f.failures += 1;
                let tolerated = f.distributed && within_tolerance(f);
                if tolerated {
                    f.results.set(
                        slot as usize,
                        io::error_output(fault.error.as_deref(), fault.cause.as_deref()),
                    );
                } else {
                    failed = Some(if f.distributed {
                        Fault {
                            error: Some(ErrorName::ExceedToleratedFailureThreshold.as_str().into()),
                            cause: Some(
                                "The specified tolerated failure threshold was exceeded".into(),
                            ),
                        }
                    } else {
                        fault
                    });
                    kill_list = std::mem::take(&mut f.live);
                }
            }
        }
        let all_done = f.done >= f.total;
        match failed {
            Some(fault) => {
                parent.phase = Phase::FanoutFailed(fault);
                let is_inline_map = f.is_map && !f.distributed;
                let mut aborted: Vec<u32> = Vec::new();
                for c in kill_list {
                    // Iterations that announced themselves are reported as aborted (AWS).
                    if is_inline_map
                        && let Some(t) = self.core.thread(c)
                        && !t.silent
                        && !matches!(t.phase, Phase::IterationStart(_))
                        && let Some(i) = t.iterations.last()
                    {
                        aborted.push(*i);
                    }
                    self.kill(c);
                }
                crate::sort::sort_by(&mut aborted, |a, b| b.cmp(a));
                if let Some(f) = self
                    .core
                    .thread_mut(pid)
                    .and_then(|p| p.visit.as_deref_mut())
                    .and_then(|v| v.fanout.as_deref_mut())
                {
                    f.aborted = aborted;
                }
            }
            None if all_done => parent.phase = Phase::FanoutDone,
            None => {}
        }
    }
}

fn within_tolerance(f: &Fanout) -> bool {
    let count_ok = f.tolerated_count.is_some_and(|c| f.failures as u64 <= c);
    let pct_ok = f
        .tolerated_percentage
        .is_some_and(|p| f.total > 0 && (f.failures as f64 * 100.0 / f.total as f64) <= p);
    count_ok || pct_ok
}

/// The events an iteration's own thread emits (`MapIterationAborted` comes from the Map's).
fn is_iteration_event(kind: EventType) -> bool {
    matches!(
        kind,
        EventType::MapIterationStarted
            | EventType::MapIterationSucceeded
            | EventType::MapIterationFailed
    )
}

fn is_execution_event(kind: EventType) -> bool {
    matches!(
        kind,
        EventType::ExecutionStarted
            | EventType::ExecutionSucceeded
            | EventType::ExecutionFailed
            | EventType::ExecutionTimedOut
    )
}
