//! What each state type does, one phase at a time: Pass, Choice, Wait, Succeed, Fail and Task,
//! plus the shared parts of every visit (entering, result processing, exiting, Retry/Catch).
//!
//! Every function here advances one thread by one phase and emits at most one history event, so
//! the stepper can stop between any two events. Errors raised while a state processes its data
//! become AWS's `States.Runtime` with AWS's cause prefix (`An error occurred while executing the
//! state 'X' (entered at the event id #N). …`).
//!
//! Where AWS departs from the specification (recordings in `shared/conformance`; the table is
//! `docs/aws-vs-spec.md`):
//! - A Choice state with no matching rule and no `Default` fails with `States.Runtime`, cause
//!   `Failed to transition out of the state. The state does not point to a next state.`, not the
//!   specification's `States.NoChoiceMatched` (`tam/Choice.And/006-no-default-no-match`).
//! - A Wait state's `SecondsPath` / `TimestampPath` that matches nothing reads `The SecondsPath
//!   parameter does not reference an input value: $.x` (`tam/Feature.WaitValidation/008` and
//!   `/009`).
//!
//! A state whose query language is JSONata takes the JSONata flow at each phase (its fields'
//! evaluation lives in [`super::jsonata`]); a `States.QueryEvaluationError` from it is recorded
//! as an `EvaluationFailed` event (and `MapStateFailed`/`ParallelStateFailed` for those types)
//! before Retry/Catch, as AWS records it.
//!
//! Split by concern: [`simple`] (Pass, Succeed, Choice, Wait, Fail), [`task`] (Task, and the
//! result processing every state shares), [`retry_catch`] (after an error).
//!
//! Not owned here: Parallel and Map fan-out ([`super::fanout`]), scheduling ([`super::engine`]).

mod retry_catch;
mod simple;
mod task;

use std::sync::Arc;

use crate::error::{ErrorName, ExecError};
use crate::history::{EventDetails, EventType, Stages};
use crate::model::{QueryLanguage, State, StateId, StateKind, Target, Transition};
use crate::path::Scope;
use crate::template::Template;
use crate::value::Value;

use super::engine::{BranchInfo, Engine, Fault, Phase, ThreadId, Visit};
use super::integration::ResourceKind;
use super::io::{self, ContextExtras};
use super::timestamp;

/// Where a state goes after it exits.
pub(crate) enum Next {
    State(StateId),
    End,
}

impl Next {
    pub(super) fn from_transition(t: &Transition) -> Next {
        match t {
            Transition::Next(Target { id: Some(id), .. }) => Next::State(*id),
            _ => Next::End,
        }
    }
}

fn entered_kind(k: &StateKind) -> EventType {
    match k {
        StateKind::Pass(_) => EventType::PassStateEntered,
        StateKind::Task(_) => EventType::TaskStateEntered,
        StateKind::Choice(_) => EventType::ChoiceStateEntered,
        StateKind::Wait(_) => EventType::WaitStateEntered,
        StateKind::Succeed => EventType::SucceedStateEntered,
        StateKind::Fail(_) => EventType::FailStateEntered,
        StateKind::Parallel(_) => EventType::ParallelStateEntered,
        StateKind::Map(_) => EventType::MapStateEntered,
    }
}

fn exited_kind(k: &StateKind) -> EventType {
    match k {
        StateKind::Pass(_) => EventType::PassStateExited,
        StateKind::Task(_) => EventType::TaskStateExited,
        StateKind::Choice(_) => EventType::ChoiceStateExited,
        StateKind::Wait(_) => EventType::WaitStateExited,
        StateKind::Succeed => EventType::SucceedStateExited,
        StateKind::Fail(_) => EventType::FailStateEntered,
        StateKind::Parallel(_) => EventType::ParallelStateExited,
        StateKind::Map(_) => EventType::MapStateExited,
    }
}

impl<'a> Engine<'a> {
    /// The branch facts and state id of a thread's visit, without resolving the state itself
    /// (cheaper than [`Self::current`] for the per-state tables).
    #[inline]
    fn visit_info(&self, id: ThreadId) -> Option<(&'a BranchInfo, StateId)> {
        let compiled: &'a super::engine::Compiled = self.compiled;
        let t = self.core.thread(id)?;
        let sid = t.visit.as_ref()?.state;
        Some((compiled.branches.get(t.branch as usize)?, sid))
    }

    /// The index of this invocation among the mock responses of the thread's current state
    /// (counted per state name), and advances the count.
    pub(crate) fn next_mock_index(&mut self, id: ThreadId) -> u64 {
        let Some(slot) = self
            .visit_info(id)
            .and_then(|(info, sid)| info.name_slots.get(sid as usize).copied())
        else {
            return 0;
        };
        let counters = &mut self.core.mock_counters;
        if counters.len() <= slot as usize {
            counters.resize(slot as usize + 1, 0);
        }
        let index = counters[slot as usize];
        counters[slot as usize] += 1;
        index
    }

    /// The state a thread is visiting, with its branch facts.
    #[inline]
    pub(crate) fn current(&self, id: ThreadId) -> Option<(&'a State, &'a BranchInfo, StateId)> {
        let machine: &'a crate::model::StateMachine = self.machine;
        let compiled: &'a super::engine::Compiled = self.compiled;
        let t = self.core.thread(id)?;
        let sid = t.visit.as_ref()?.state;
        let info = compiled.branches.get(t.branch as usize)?;
        let branch = super::engine::route_branch(machine, &info.route);
        Some((branch.state(sid)?, info, sid))
    }

    /// A task token: the execution name and the attempt's number.
    fn token_text(&self, seq: u64) -> Arc<str> {
        // Built by hand on the stack, then one allocation: one token per paused task, and
        // `format!` (and a `String` then copied into the `Arc`) showed in profiles.
        let name = &self.options.names.execution_name;
        let mut digits = [0u8; 20];
        let mut n = seq;
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let digits = &digits[i..];
        let mut buf = [0u8; 128];
        let len = name.len() + 6 + digits.len();
        if len > buf.len() {
            let mut s = String::with_capacity(len);
            s.push_str(name);
            s.push_str("-task-");
            s.extend(digits.iter().map(|&d| d as char));
            return s.into();
        }
        buf[..name.len()].copy_from_slice(name.as_bytes());
        buf[name.len()..name.len() + 6].copy_from_slice(b"-task-");
        buf[name.len() + 6..len].copy_from_slice(digits);
        // ASCII digits after a valid name: always UTF-8.
        std::str::from_utf8(&buf[..len]).map_or_else(|_| Arc::from(""), Arc::from)
    }

    /// The current Task state's resource kind (computed once per execution, in `Compiled`),
    /// borrowed: events clone its names only when they are recorded.
    fn resource_kind_of(&self, id: ThreadId) -> &'a ResourceKind {
        static LAMBDA: ResourceKind = ResourceKind::LambdaFunction;
        self.visit_info(id)
            .and_then(|(info, sid)| info.resources.get(sid as usize))
            .and_then(Option::as_ref)
            .unwrap_or(&LAMBDA)
    }

    /// Advances thread `id` by one phase (several in a batch run, see [`Self::chains`]).
    pub(crate) fn advance(&mut self, id: ThreadId) {
        loop {
            let reshaped = self.core.reshaped();
            let Some(t) = self.core.thread_mut(id) else {
                return;
            };
            let time = t.time;
            let phase = std::mem::replace(&mut t.phase, Phase::Blocked);
            self.run_phase(id, phase);
            if !self.chains(id, time, reshaped) {
                return;
            }
        }
    }

    /// Whether the scheduler's next pick would be this same thread with nothing checked
    /// differently, so its next phase may run at once: in a run to the end without history (no
    /// event boundary to stop at), with no thread started or ended by the phase (the scheduler
    /// picked this thread as the runnable one with the smallest time and tree position; only
    /// starting or ending a thread changes another thread: a child's end wakes its parent), the
    /// clock unchanged (the execution timeout was checked at this time) and the event limit not
    /// reached. Saves a scheduling round, a scan of every thread, per phase; the order of work
    /// is exactly the scheduler's.
    fn chains(&self, id: ThreadId, time: i64, reshaped: u64) -> bool {
        self.batch
            && self.core.outcome.is_none()
            && (self.core.root_alone() || self.core.reshaped() == reshaped)
            && self.core.events + 1 < self.options.limits.max_history_events
            && self.core.thread(id).is_some_and(|t| {
                t.time == time && !matches!(t.phase, Phase::Blocked | Phase::TaskAwait)
            })
    }

    fn run_phase(&mut self, id: ThreadId, phase: Phase) {
        match phase {
            Phase::IterationStart(input) => self.iteration_start(id, input),
            Phase::Enter { state, input } => self.enter(id, state, input),
            Phase::Act => self.act(id),
            Phase::TaskStart => self.task_start(id),
            Phase::TaskSubmit => self.task_submit(id),
            Phase::TaskRun => self.task_run(id),
            Phase::TaskAwait => self.set_phase(id, Phase::TaskAwait),
            Phase::TaskOutcome(a) => self.task_outcome(id, a),
            Phase::ProcessResult(v) => self.process_result(id, v),
            Phase::WaitDone => self.wait_done(id),
            Phase::MapSetup => self.map_setup(id),
            Phase::Blocked => {}
            Phase::FanoutDone => self.fanout_done(id),
            Phase::FanoutFailed(f) => self.fanout_failed(id, f),
            Phase::EvalFailed(f) => self.evaluation_failed(id, f),
            Phase::StateFailed(f) => self.state_failed(id, f),
            Phase::Recover(f) => self.recover(id, f),
            Phase::Finish(r) => self.finish(id, r),
        }
    }

    pub(crate) fn set_phase(&mut self, id: ThreadId, phase: Phase) {
        if let Some(t) = self.core.thread_mut(id) {
            t.phase = phase;
        }
    }

    fn visit_mut(&mut self, id: ThreadId) -> Option<&mut Visit> {
        self.core
            .thread_mut(id)
            .and_then(|t| t.visit.as_deref_mut())
    }

    fn recording_stages(&self, id: ThreadId) -> bool {
        self.core
            .thread(id)
            .and_then(|t| t.visit.as_ref())
            .is_some_and(|v| v.stages.is_some())
    }

    fn stages_mut(&mut self, id: ThreadId) -> Option<&mut Stages> {
        self.visit_mut(id).and_then(|v| v.stages.as_deref_mut())
    }

    pub(super) fn record(&mut self, id: ThreadId, f: impl FnOnce(&mut Stages)) {
        if let Some(s) = self.stages_mut(id) {
            f(s);
        }
    }

    fn iteration_start(&mut self, id: ThreadId, input: Value) {
        let details = self.iteration_details(id);
        let Some(t) = self.core.thread(id) else {
            return;
        };
        let start = self.branch_of(t).0.start();
        let phase = match start {
            Some(state) => Phase::Enter { state, input },
            None => Phase::Finish(Err(ExecError::runtime("StartAt names no state").into())),
        };
        self.set_phase(id, phase);
        self.emit(id, EventType::MapIterationStarted, || {
            details.unwrap_or(EventDetails::None)
        });
    }

    fn enter(&mut self, id: ThreadId, state: StateId, input: Value) {
        self.core.transitions += 1;
        if self.core.transitions > self.options.limits.max_transitions {
            let max = self.options.limits.max_transitions;
            self.fail_execution(Fault {
                error: Some("States.Runtime".into()),
                cause: Some(
                    format!(
                        "The execution exceeded the maximum number of state transitions ({max}); raise the limit or check for a loop without end."
                    )
                    .into(),
                ),
            });
            return;
        }
        let recording = self.history.is_some();
        let record = self.options.record_stages && recording;
        let entered_event = self.core.events + 1;
        let Some(t) = self.core.thread_mut(id) else {
            return;
        };
        let event_input = recording.then(|| input.clone());
        let stages = record.then(|| {
            Box::new(Stages {
                input: Some(input.clone()),
                variables: t.vars.visible(),
                ..Stages::default()
            })
        });
        let time = t.time;
        match t.visit.as_deref_mut() {
            // Reuse the visit's allocation: most fields are already empty.
            Some(v) => {
                v.state = state;
                v.input = input;
                v.entered_event = entered_event;
                v.entered_ms = time;
                v.attempts.clear();
                v.retry_count = 0;
                v.effective = Value::Null;
                v.request_is_input = false;
                v.stages = stages;
                v.token = None;
                v.token_seq = 0;
                v.fanout = None;
                v.timeout_ms = None;
                v.heartbeat_ms = None;
            }
            None => {
                t.visit = Some(Box::new(Visit {
                    state,
                    input,
                    entered_event,
                    entered_ms: time,
                    attempts: Vec::new(),
                    retry_count: 0,
                    effective: Value::Null,
                    request_is_input: false,
                    stages,
                    token: None,
                    token_seq: 0,
                    fanout: None,
                    timeout_ms: None,
                    heartbeat_ms: None,
                }))
            }
        }
        t.phase = Phase::Act;
        let Some((st, info, sid)) = self.current(id) else {
            return;
        };
        let n_retriers = info
            .facts
            .get(sid as usize)
            .map_or_else(|| st.retry_catch().0.len(), |f| f.retriers as usize);
        if n_retriers > 0
            && let Some(v) = self.visit_mut(id)
        {
            // Reuses the visit's vector (cleared above): no allocation per state entry.
            v.attempts.resize(n_retriers, 0);
        }
        self.emit(id, entered_kind(&st.kind), || EventDetails::StateEntered {
            name: st.name.clone(),
            input: event_input.unwrap_or_default(),
        });
    }

    /// `$$` for the current state (or `null` when the state never reads it).
    pub(crate) fn context(&self, id: ThreadId, extras: ContextExtras<'_>) -> Value {
        // Checked first from the per-state table alone: most states never read `$$`.
        let needed = extras.map_item.is_some()
            || extras.task_token.is_some()
            || self.visit_info(id).is_none_or(|(info, sid)| {
                info.uses_context.get(sid as usize).copied().unwrap_or(true)
            });
        if !needed {
            return Value::Null;
        }
        let Some((st, _, _)) = self.current(id) else {
            return Value::Null;
        };
        let Some(v) = self.core.thread(id).and_then(|t| t.visit.as_ref()) else {
            return Value::Null;
        };
        let entered = timestamp::format_millis(v.entered_ms);
        let (ex, sm) = &self.core.exec_context;
        io::state_context(ex, sm, &st.name, &entered, extras)
    }

    /// Converts an error raised while the state processes data into a fault, prefixing
    /// `States.Runtime` causes as AWS does.
    pub(crate) fn state_fault(&self, id: ThreadId, e: ExecError) -> Fault {
        if !matches!(
            e.error,
            ErrorName::Runtime | ErrorName::QueryEvaluationError
        ) {
            return e.into();
        }
        let (name, entered) = match (
            self.current(id),
            self.core.thread(id).and_then(|t| t.visit.as_ref()),
        ) {
            (Some((st, _, _)), Some(v)) => (st.name.clone(), v.entered_event),
            _ => return e.into(),
        };
        Fault {
            error: Some(e.error.as_str().into()),
            cause: Some(
                format!(
                    "An error occurred while executing the state '{name}' (entered at the event id #{entered}). {}",
                    e.cause
                )
                .into(),
            ),
        }
    }

    pub(crate) fn fail_state(&mut self, id: ThreadId, e: ExecError) {
        let evaluation = e.error == ErrorName::QueryEvaluationError;
        let f = self.state_fault(id, e);
        // AWS records a failed JSONata evaluation as its own event before the state fails.
        self.set_phase(
            id,
            if evaluation {
                Phase::EvalFailed(f)
            } else {
                Phase::Recover(f)
            },
        );
    }

    /// `EvaluationFailed` (recorded: `Pass/Wait/TaskStateEntered, EvaluationFailed,
    /// ExecutionFailed`; a Map adds `MapStateFailed`).
    fn evaluation_failed(&mut self, id: ThreadId, f: Fault) {
        let fanout = self.current(id).is_some_and(|(st, _, _)| {
            matches!(st.kind, StateKind::Map(_) | StateKind::Parallel(_))
        });
        let (error, cause) = (f.error.clone(), f.cause.clone());
        self.set_phase(
            id,
            if fanout {
                Phase::StateFailed(f)
            } else {
                Phase::Recover(f)
            },
        );
        self.emit(id, EventType::EvaluationFailed, || EventDetails::Failure {
            error,
            cause,
            resource: None,
        });
    }

    /// `MapStateFailed` / `ParallelStateFailed` for a failure before any child started.
    fn state_failed(&mut self, id: ThreadId, f: Fault) {
        let ev = match self.current(id).map(|(st, _, _)| &st.kind) {
            Some(StateKind::Parallel(_)) => EventType::ParallelStateFailed,
            _ => EventType::MapStateFailed,
        };
        let (error, cause) = (f.error.clone(), f.cause.clone());
        self.set_phase(id, Phase::Recover(f));
        self.emit(id, ev, || EventDetails::Failure {
            error,
            cause,
            resource: None,
        });
    }

    fn act(&mut self, id: ThreadId) {
        let Some((st, _, _)) = self.current(id) else {
            return;
        };
        let r = match &st.kind {
            StateKind::Pass(_)
            | StateKind::Choice(_)
            | StateKind::Wait(_)
            | StateKind::Succeed
            | StateKind::Fail(_)
                if st.query_language == QueryLanguage::Jsonata =>
            {
                self.act_jsonata(id, st)
            }
            StateKind::Pass(p) => self.act_pass(id, st, p.result.as_ref().map(|r| &r.value)),
            StateKind::Choice(c) => self.act_choice(id, st, c),
            StateKind::Wait(w) => self.act_wait(id, st, w),
            StateKind::Succeed => self.act_succeed(id, st),
            StateKind::Fail(f) => self.act_fail(id, f),
            StateKind::Task(_) => self.act_task(id, st),
            StateKind::Parallel(_) => self.act_parallel(id, st),
            StateKind::Map(m) => self.act_map(id, st, m),
        };
        if let Err(e) = r {
            self.fail_state(id, e);
        }
    }

    pub(crate) fn visit_input(&self, id: ThreadId) -> Value {
        self.core
            .thread(id)
            .and_then(|t| t.visit.as_ref())
            .map(|v| v.input.clone())
            .unwrap_or_default()
    }

    pub(crate) fn vars(&self, id: ThreadId) -> super::io::Vars {
        self.core
            .thread(id)
            .map(|t| t.vars.clone())
            .unwrap_or_default()
    }

    /// How many times the current state has been retried (`$$.State.RetryCount`).
    pub(crate) fn retry_count(&self, id: ThreadId) -> u32 {
        self.core
            .thread(id)
            .and_then(|t| t.visit.as_ref())
            .map_or(0, |v| v.retry_count)
    }

    /// Evaluates a template (`Parameters`, `ResultSelector`, `ItemSelector`, `Assign`).
    pub(crate) fn eval_template(
        &mut self,
        t: &Template,
        scope: &Scope,
    ) -> Result<Value, ExecError> {
        t.eval(scope, &mut self.core.rng)
    }

    /// Emits `…StateExited`, applies the assignment and moves on.
    pub(crate) fn exit_state(
        &mut self,
        id: ThreadId,
        st: &State,
        output: Value,
        assigned: Option<Value>,
        next: Next,
    ) {
        if let Err(e) = io::check_size(&output, self.options.limits.payload_bytes, &st.name) {
            self.set_phase(id, Phase::Recover(e.into()));
            return;
        }
        if let Some(a) = &assigned {
            let limits = &self.options.limits;
            let checked = self.core.thread(id).map_or(Ok(()), |t| {
                t.vars.check_assign(
                    a,
                    limits.variable_bytes,
                    limits.variables_total_bytes,
                    &st.name,
                )
            });
            if let Err(e) = checked {
                self.set_phase(id, Phase::Recover(e.into()));
                return;
            }
        }
        let mut stages = None;
        let event_output = self.history.is_some().then(|| output.clone());
        if let Some(t) = self.core.thread_mut(id) {
            if let Some(a) = &assigned {
                t.vars.assign(a);
            }
            if let Some(v) = t.visit.as_deref_mut() {
                if let Some(s) = v.stages.as_deref_mut() {
                    s.output = Some(output.clone());
                }
                stages = v.stages.take();
            }
            t.phase = match next {
                Next::State(s) => Phase::Enter {
                    state: s,
                    input: output,
                },
                Next::End => Phase::Finish(Ok(output)),
            };
        }
        self.emit(id, exited_kind(&st.kind), || EventDetails::StateExited {
            name: st.name.clone(),
            output: event_output.unwrap_or_default(),
            assigned_variables: assigned,
            stages,
        });
    }

    /// [`Self::exit_state`] to the state's own `Next` / `End`.
    pub(super) fn exit_to_next(
        &mut self,
        id: ThreadId,
        st: &State,
        output: Value,
        assigned: Option<Value>,
    ) {
        self.exit_state(
            id,
            st,
            output,
            assigned,
            Next::from_transition(&st.transition),
        );
    }

    /// Exits to `Next` with the processed output, or fails the state with the processing error.
    fn exit_or_fail(
        &mut self,
        id: ThreadId,
        st: &State,
        r: Result<(Value, Option<Value>), ExecError>,
    ) {
        match r {
            Ok((output, assigned)) => self.exit_to_next(id, st, output, assigned),
            Err(e) => self.fail_state(id, e),
        }
    }

    fn assign(&mut self, t: Option<&Template>, scope: &Scope) -> Result<Option<Value>, ExecError> {
        match t {
            None => Ok(None),
            Some(t) => self.eval_template(t, scope).map(Some),
        }
    }

    /// Runs `f` with the current visit's scope (input, `$$`, variables) borrowed, not cloned,
    /// and the execution's random generator.
    fn with_scope<R>(
        &mut self,
        id: ThreadId,
        ctx: &Value,
        f: impl FnOnce(&Scope, &mut crate::env::Rng) -> R,
    ) -> Option<R> {
        let core = &mut *self.core;
        let t = core.threads.get(id as usize)?.as_ref()?;
        let v = t.visit.as_deref()?;
        let scope = Scope::new(&v.input, ctx, &t.vars);
        Some(f(&scope, &mut core.rng))
    }
}

/// A JSONata expression reached by the JSONPath-mode flow: only a state of the other language
/// gets there (the parser gives JSONata fields to JSONata states alone), so this is a definition
/// the validator rejects.
pub(crate) fn jsonata_unsupported(st: &State) -> ExecError {
    ExecError::runtime(format!(
        "State '{}' has a JSONata expression in a JSONPath-mode field.",
        st.name
    ))
}
