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
//! Not owned here: Parallel and Map fan-out ([`super::fanout`]), scheduling ([`super::engine`]).

use std::sync::Arc;

use crate::choice;
use crate::error::{ErrorName, ExecError};
use crate::history::{EventDetails, EventType, Stages};
use crate::mock::MockOutcome;
use crate::model::{
    Dynamic, NullablePath, QueryLanguage, State, StateId, StateKind, Target, Transition, Wait,
};
use crate::path::{Path, Scope};
use crate::template::Template;
use crate::value::Value;

use super::engine::{Answer, Attempt, BranchInfo, Engine, Fault, Phase, ThreadId, Visit};
use super::integration::{Pattern, ResourceKind};
use super::io::{self, ContextExtras};
use super::{PendingTask, retry, timestamp};

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

/// A Wait state's `SecondsPath` / `TimestampPath` value. A path on the input or context that
/// matches nothing is AWS's `The SecondsPath parameter does not reference an input value: $.x`
/// (recorded: `tam/Feature.WaitValidation/008-missing-secondspath`), not the generic
/// `Invalid path` of InputPath.
fn wait_path(path: &Path, scope: &Scope, field: &str) -> Result<Value, ExecError> {
    path.select(scope).map_err(|nf| match path.root() {
        crate::path::Root::Variable(_) => path.invalid_path_error(&nf),
        _ => ExecError::runtime(format!(
            "The {field} parameter does not reference an input value: {}",
            path.as_str()
        )),
    })
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
            let Some(t) = self.core.thread_mut(id) else {
                return;
            };
            let time = t.time;
            let phase = std::mem::replace(&mut t.phase, Phase::Blocked);
            self.run_phase(id, phase);
            if !self.chains(id, time) {
                return;
            }
        }
    }

    /// Whether the scheduler's next pick would be this same thread with nothing checked
    /// differently, so its next phase may run at once: in a run to the end without history (no
    /// event boundary to stop at), with the root the only thread alive (no Parallel branch or Map
    /// iteration that could go first), the clock unchanged (the execution timeout was checked at
    /// this time) and the event limit not reached. Saves a scheduling round per phase; the order
    /// of work is exactly the scheduler's.
    fn chains(&self, id: ThreadId, time: i64) -> bool {
        self.batch
            && self.core.outcome.is_none()
            && self.core.root_alone()
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
        let (name, index) = self.iteration_label(id);
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
            EventDetails::MapIteration { name, index }
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
        let Some((st, _, _)) = self.current(id) else {
            return;
        };
        let n_retriers = st.retry_catch().0.len();
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

    fn act_pass(
        &mut self,
        id: ThreadId,
        st: &State,
        result: Option<&Value>,
    ) -> Result<(), ExecError> {
        let ctx = self.context(id, ContextExtras::default());
        let recording = self.recording_stages(id);
        let r = self.with_scope(id, &ctx, |scope, rng| {
            let effective = io::input_path(st.io.input_path.as_ref(), scope)?;
            let kept_effective = recording.then(|| effective.clone());
            let params = match &st.io.parameters {
                Some(p) => p.eval(
                    &Scope {
                        input: &effective,
                        ..*scope
                    },
                    rng,
                )?,
                None => effective,
            };
            let kept_params = recording.then(|| params.clone());
            let result = match result {
                Some(r) => r.clone(),
                None => params,
            };
            let assigned = match &st.assign {
                Some(a) => Some(a.eval(
                    &Scope {
                        input: &result,
                        ..*scope
                    },
                    rng,
                )?),
                None => None,
            };
            let kept_result = recording.then(|| result.clone());
            let after_rp = io::result_path(st.io.result_path.as_ref(), scope.input, result)?;
            let kept_rp = recording.then(|| after_rp.clone());
            let output = io::output_path(st.io.output_path.as_ref(), after_rp, scope)?;
            Ok::<_, ExecError>((
                output,
                assigned,
                [kept_effective, kept_params, kept_result, kept_rp],
            ))
        });
        let Some(r) = r else { return Ok(()) };
        let (output, assigned, [eff, params, result, rp]) = r?;
        if recording {
            self.record(id, |s| {
                s.after_input_path = eff;
                s.after_parameters = params;
                s.result = result;
                s.after_result_path = rp;
            });
        }
        self.exit_to_next(id, st, output, assigned);
        Ok(())
    }

    fn act_succeed(&mut self, id: ThreadId, st: &State) -> Result<(), ExecError> {
        let ctx = self.context(id, ContextExtras::default());
        let r = self.with_scope(id, &ctx, |scope, _| {
            let effective = io::input_path(st.io.input_path.as_ref(), scope)?;
            let output = io::output_path(st.io.output_path.as_ref(), effective.clone(), scope)?;
            Ok::<_, ExecError>((effective, output))
        });
        let Some(r) = r else { return Ok(()) };
        let (effective, output) = r?;
        self.record(id, |s| s.after_input_path = Some(effective));
        self.exit_state(id, st, output, None, Next::End);
        Ok(())
    }

    fn act_choice(
        &mut self,
        id: ThreadId,
        st: &State,
        c: &crate::model::Choice,
    ) -> Result<(), ExecError> {
        let ctx = self.context(id, ContextExtras::default());
        let recording = self.recording_stages(id);
        let r = self.with_scope(id, &ctx, |scope, rng| {
            let effective = io::input_path(st.io.input_path.as_ref(), scope)?;
            let escope = Scope {
                input: &effective,
                ..*scope
            };
            let mut chosen = None;
            for rule in &c.choices {
                let mut lookup = |p: &crate::path::Path| Ok(p.find(&escope));
                if choice::evaluate(&rule.condition, &mut lookup)? {
                    chosen = Some(rule);
                    break;
                }
            }
            let (next, assign_t) = match chosen {
                Some(rule) => (rule.next.id, rule.assign.as_ref().or(st.assign.as_ref())),
                None => match &c.default {
                    Some(d) => (d.id, st.assign.as_ref()),
                    // AWS raises `States.Runtime`, not the specification's
                    // `States.NoChoiceMatched` (recorded: `tam/Choice.And/006-no-default-no-match`).
                    None => {
                        return Err(ExecError::runtime(
                            "Failed to transition out of the state. The state does not point to a next state.",
                        ));
                    }
                },
            };
            let assigned = match assign_t {
                Some(a) => Some(a.eval(&escope, rng)?),
                None => None,
            };
            let kept = recording.then(|| effective.clone());
            let output = io::output_path(st.io.output_path.as_ref(), effective, scope)?;
            Ok((next, output, assigned, kept))
        });
        let Some(r) = r else { return Ok(()) };
        let (next, output, assigned, kept) = r?;
        if recording {
            self.record(id, |s| s.after_input_path = kept);
        }
        let next = match next {
            Some(n) => Next::State(n),
            None => return Err(ExecError::runtime("The Choice rule's Next names no state")),
        };
        self.exit_state(id, st, output, assigned, next);
        Ok(())
    }

    fn act_wait(&mut self, id: ThreadId, st: &State, w: &Wait) -> Result<(), ExecError> {
        let input = self.visit_input(id);
        let vars = self.vars(id);
        let ctx = self.context(id, ContextExtras::default());
        let scope = Scope::new(&input, &ctx, &vars);
        let effective = io::input_path(st.io.input_path.as_ref(), &scope)?;
        let escope = Scope {
            input: &effective,
            ..scope
        };
        let now = self.core.thread(id).map(|t| t.time).unwrap_or(0);
        const MAX_DELAY_S: i128 = i32::MAX as i128;
        let until_ms: i64 = match w {
            Wait::Seconds(Dynamic::Literal(s)) => {
                if s.value as i128 > MAX_DELAY_S {
                    return Err(ExecError::runtime("Wait state delay is too long."));
                }
                now.saturating_add(s.value as i64 * 1000)
            }
            Wait::Seconds(d @ (Dynamic::Path(_) | Dynamic::Call(_))) => {
                let (v, p_text) = match d {
                    Dynamic::Path(p) => (
                        wait_path(&p.value, &escope, "SecondsPath")?,
                        p.value.as_str().to_string(),
                    ),
                    Dynamic::Call(c) => (
                        c.value.eval(&escope, &mut self.core.rng)?,
                        "SecondsPath".to_string(),
                    ),
                    _ => (Value::Null, String::new()),
                };
                let shown = v.to_json_string();
                let secs = match &v {
                    Value::Number(n) => match n.as_i64() {
                        Some(i) if i < 0 => {
                            return Err(ExecError::runtime(format!(
                                "The SecondsPath parameter references a negative value: {} == {shown}",
                                p_text
                            )));
                        }
                        Some(i) => i,
                        None => {
                            return Err(ExecError::runtime(format!(
                                "The SecondsPath parameter cannot be parsed as a long value: {} == {shown}",
                                p_text
                            )));
                        }
                    },
                    _ => {
                        return Err(ExecError::runtime(format!(
                            "The SecondsPath parameter cannot be parsed as a long value: {} == {}",
                            p_text,
                            io::shown(&v)
                        )));
                    }
                };
                if secs as i128 > MAX_DELAY_S {
                    return Err(ExecError::runtime("Wait state delay is too long."));
                }
                now.saturating_add(secs * 1000)
            }
            Wait::Timestamp(d) => {
                let (text, path) = match d {
                    Dynamic::Literal(s) => (s.value.to_string(), None),
                    Dynamic::Path(p) => {
                        let v = wait_path(&p.value, &escope, "TimestampPath")?;
                        let text = io::shown(&v);
                        (text, Some(p.value.as_str().to_string()))
                    }
                    Dynamic::Call(c) => {
                        let v = c.value.eval(&escope, &mut self.core.rng)?;
                        let text = io::shown(&v);
                        (text, Some("TimestampPath".to_string()))
                    }
                    Dynamic::Jsonata(_) => return Err(jsonata_unsupported(st)),
                };
                let Some(nanos) = timestamp::parse_nanos(&text) else {
                    return Err(ExecError::runtime(match path {
                        Some(p) => format!(
                            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {p} == {text}"
                        ),
                        None => format!(
                            "The Timestamp '{text}' is not a valid ISO-8601 extended offset date-time"
                        ),
                    }));
                };
                let target_ms = (nanos / 1_000_000) as i64;
                if (target_ms as i128 - now as i128) / 1000 > MAX_DELAY_S {
                    return Err(ExecError::runtime("Wait state delay is too long."));
                }
                target_ms.max(now)
            }
            Wait::Seconds(Dynamic::Jsonata(_)) => return Err(jsonata_unsupported(st)),
            Wait::Missing => now,
        };
        self.record(id, |s| s.after_input_path = Some(effective.clone()));
        if let Some(t) = self.core.thread_mut(id) {
            t.time = until_ms.max(t.time);
            t.phase = Phase::WaitDone;
            if let Some(v) = t.visit.as_deref_mut() {
                v.effective = effective;
            }
        }
        Ok(())
    }

    fn wait_done(&mut self, id: ThreadId) {
        let Some((st, _, _)) = self.current(id) else {
            return;
        };
        if st.query_language == QueryLanguage::Jsonata {
            let input = self.visit_input(id);
            let states = self.jsonata_states(id, &input, ContextExtras::default(), None);
            let r = self.jsonata_output_assign(
                id,
                st.output.as_ref(),
                st.assign.as_ref(),
                states,
                input.clone(),
            );
            self.exit_or_fail(id, st, r);
            return;
        }
        let r = (|| {
            let input = self.visit_input(id);
            let effective = self
                .core
                .thread(id)
                .and_then(|t| t.visit.as_ref())
                .map(|v| v.effective.clone())
                .unwrap_or_default();
            let vars = self.vars(id);
            let ctx = self.context(id, ContextExtras::default());
            let scope = Scope::new(&input, &ctx, &vars);
            let output = io::output_path(st.io.output_path.as_ref(), effective.clone(), &scope)?;
            let assigned = self.assign(
                st.assign.as_ref(),
                &Scope {
                    input: &effective,
                    ..scope
                },
            )?;
            Ok::<_, ExecError>((output, assigned))
        })();
        self.exit_or_fail(id, st, r);
    }

    fn act_fail(&mut self, id: ThreadId, f: &crate::model::Fail) -> Result<(), ExecError> {
        let input = self.visit_input(id);
        let vars = self.vars(id);
        let ctx = self.context(id, ContextExtras::default());
        let scope = Scope::new(&input, &ctx, &vars);
        let rng = &mut self.core.rng;
        let mut field =
            |d: &Option<Dynamic<Arc<str>>>, name: &str| -> Result<Option<Arc<str>>, ExecError> {
                let v = match d {
                    None => return Ok(None),
                    Some(Dynamic::Literal(s)) => return Ok(Some(s.value.clone())),
                    Some(Dynamic::Path(p)) => p.value.eval_field(&scope, name)?,
                    Some(Dynamic::Call(c)) => c.value.eval(&scope, rng)?,
                    Some(Dynamic::Jsonata(_)) => {
                        return Err(ExecError::runtime(format!(
                            "The {name} field holds a JSONata expression in a JSONPath-mode state"
                        )));
                    }
                };
                Ok(Some(match v {
                    Value::String(s) => s,
                    other => other.to_json_string().into(),
                }))
            };
        let error = field(&f.error, "ErrorPath")?;
        let cause = field(&f.cause, "CausePath")?;
        self.set_phase(id, Phase::Finish(Err(Fault { error, cause })));
        Ok(())
    }

    // ---- Task -------------------------------------------------------------------------------

    fn act_task(&mut self, id: ThreadId, st: &State) -> Result<(), ExecError> {
        let StateKind::Task(task) = &st.kind else {
            return Ok(());
        };
        let retry_count = self.retry_count(id);
        let wants_token = self
            .visit_info(id)
            .and_then(|(info, sid)| info.waits_token.get(sid as usize).copied())
            .unwrap_or(false);
        // Tokens are numbered deterministically (replays after stepping back find the same
        // token); the text is made only when something needs it.
        self.core.next_token += 1;
        let token_seq = self.core.next_token;
        let token = wants_token.then(|| self.token_text(token_seq));
        let ctx = self.context(
            id,
            ContextExtras {
                retry_count: Some(retry_count),
                task_token: token.as_deref(),
                map_item: None,
            },
        );
        let stages = self.recording_stages(id);
        let recording = self.history.is_some();
        // The request, with the visit's input and variables borrowed rather than cloned. With
        // neither InputPath nor Parameters the request is the input itself, kept by reference
        // ([`Visit::request`]); copies are made only for the stages and the event.
        let plain = st.io.input_path.is_none() && st.io.parameters.is_none();
        let (request, after_input_path, event_params, timeout, heartbeat) =
            if st.query_language == QueryLanguage::Jsonata {
                // Arguments (default: the input), TimeoutSeconds and HeartbeatSeconds.
                let input = self.visit_input(id);
                let states = super::jsonata::states_value(&input, &ctx, None);
                let env = self.jsonata_env(id);
                let vars = self.vars(id);
                let cx = super::jsonata::Cx {
                    vars: &vars,
                    states,
                    env,
                };
                let request = match &st.io.arguments {
                    Some(a) => super::jsonata::template(a, "Arguments", &cx)?,
                    None => input,
                };
                let seconds = |d: Option<&Dynamic<u64>>, field: &str| match super::jsonata::integer(
                    d, field, &cx,
                )? {
                    Some(n) if n <= 0 => Err(ExecError::new(
                        ErrorName::QueryEvaluationError,
                        format!("The {field} field must be a positive integer but was: {n}"),
                    )),
                    n => Ok(n.map(|n| n as u64)),
                };
                let timeout = seconds(task.timeout_seconds.as_ref(), "TimeoutSeconds")?;
                let heartbeat = seconds(task.heartbeat_seconds.as_ref(), "HeartbeatSeconds")?;
                let event_params = (recording || stages).then(|| request.clone());
                (Some(request), None, event_params, timeout, heartbeat)
            } else {
                let core = &mut *self.core;
                let Some(t) = core.threads.get(id as usize).and_then(Option::as_ref) else {
                    return Ok(());
                };
                let Some(v) = t.visit.as_deref() else {
                    return Ok(());
                };
                let scope = Scope::new(&v.input, &ctx, &t.vars);
                let (request, after_input_path) = if plain {
                    (None, stages.then(|| v.input.clone()))
                } else {
                    let effective = io::input_path(st.io.input_path.as_ref(), &scope)?;
                    match &st.io.parameters {
                        Some(p) => {
                            let params = p.eval(
                                &Scope {
                                    input: &effective,
                                    ..scope
                                },
                                &mut core.rng,
                            )?;
                            (Some(params), stages.then_some(effective))
                        }
                        None if stages => (Some(effective.clone()), Some(effective)),
                        None => (Some(effective), None),
                    }
                };
                let timeout = dynamic_seconds(
                    task.timeout_seconds.as_ref(),
                    &scope,
                    &mut core.rng,
                    "TimeoutSeconds",
                )?;
                let heartbeat = dynamic_seconds(
                    task.heartbeat_seconds.as_ref(),
                    &scope,
                    &mut core.rng,
                    "HeartbeatSeconds",
                )?;
                let event_params =
                    (recording || stages).then(|| request.as_ref().unwrap_or(&v.input).clone());
                (request, after_input_path, event_params, timeout, heartbeat)
            };
        self.record(id, |s| {
            s.after_input_path = after_input_path;
            s.after_parameters = event_params.clone();
        });
        if let Some(v) = self.visit_mut(id) {
            v.request_is_input = request.is_none();
            v.effective = request.unwrap_or_default();
            v.token = token;
            v.token_seq = token_seq;
            v.timeout_ms = timeout.map(|t| t.saturating_mul(1000));
            v.heartbeat_ms = heartbeat.map(|t| t.saturating_mul(1000));
        }
        self.set_phase(id, Phase::TaskStart);
        // Only service integrations' events name the region; built only when recorded.
        let options = self.options;
        let params = || event_params.unwrap_or_default();
        let resource = || task.resource.value.clone();
        match self.resource_kind_of(id) {
            ResourceKind::LambdaFunction => {
                self.emit(id, EventType::LambdaFunctionScheduled, || {
                    EventDetails::LambdaScheduled {
                        resource: resource(),
                        input: params(),
                        timeout_seconds: timeout,
                    }
                })
            }
            ResourceKind::Service {
                resource_type,
                resource,
            } => self.emit(id, EventType::TaskScheduled, || {
                EventDetails::TaskScheduled {
                    resource_type: resource_type.clone(),
                    resource: resource.clone(),
                    region: options.names.region.as_str().into(),
                    parameters: params(),
                    timeout_seconds: timeout,
                    heartbeat_seconds: heartbeat,
                }
            }),
            ResourceKind::Activity => self.emit(id, EventType::ActivityScheduled, || {
                EventDetails::ActivityScheduled {
                    resource: resource(),
                    input: params(),
                    timeout_seconds: timeout,
                    heartbeat_seconds: heartbeat,
                }
            }),
        }
        Ok(())
    }

    fn task_start(&mut self, id: ThreadId) {
        let Some((st, _, _)) = self.current(id) else {
            return;
        };
        if !matches!(st.kind, StateKind::Task(_)) {
            return;
        }
        self.set_phase(id, Phase::TaskRun);
        match self.resource_kind_of(id) {
            ResourceKind::LambdaFunction => {
                self.emit(id, EventType::LambdaFunctionStarted, || EventDetails::None)
            }
            ResourceKind::Service {
                resource_type,
                resource,
            } => {
                if let StateKind::Task(t) = &st.kind
                    && super::integration::pattern(&t.resource.value) != Pattern::RequestResponse
                {
                    self.set_phase(id, Phase::TaskSubmit);
                }
                self.emit(id, EventType::TaskStarted, || EventDetails::TaskStarted {
                    resource_type: resource_type.clone(),
                    resource: resource.clone(),
                })
            }
            ResourceKind::Activity => {
                self.emit(id, EventType::ActivityStarted, || EventDetails::None)
            }
        }
    }

    /// `.sync` / `.waitForTaskToken`: the request was accepted; now the job runs or the token
    /// is awaited.
    fn task_submit(&mut self, id: ThreadId) {
        self.set_phase(id, Phase::TaskRun);
        if let ResourceKind::Service {
            resource_type,
            resource,
        } = self.resource_kind_of(id)
        {
            self.emit(id, EventType::TaskSubmitted, || EventDetails::TaskStarted {
                resource_type: resource_type.clone(),
                resource: resource.clone(),
            });
        }
    }

    fn task_run(&mut self, id: ThreadId) {
        let Some((st, info, sid)) = self.current(id) else {
            return;
        };
        let StateKind::Task(task) = &st.kind else {
            return;
        };
        let (token, timeout_ms, heartbeat_ms) =
            match self.core.thread(id).and_then(|t| t.visit.as_ref()) {
                Some(v) => ((v.token.clone(), v.token_seq), v.timeout_ms, v.heartbeat_ms),
                None => return,
            };
        if let Some(handler) = &self.options.task_handler {
            // Kept by token with a history, so a replay after stepping back gives the same answer.
            let key = self
                .history
                .is_some()
                .then(|| token.0.clone().unwrap_or_else(|| self.token_text(token.1)));
            if let Some(a) = key.as_ref().and_then(|k| self.answers.get(k)) {
                let a = a.clone();
                self.finish_wait(id, a);
                return;
            }
            // The request borrows the visit's parameters: the handler only reads them.
            let result = self.core.thread(id).and_then(|t| {
                let v = t.visit.as_ref()?;
                let request = super::TaskRequest {
                    state: &st.name,
                    resource: &task.resource.value,
                    parameters: v.request(),
                    iterations: &t.iterations[..],
                    retry_count: v.retry_count,
                };
                handler.call(&request)
            });
            if let Some(result) = result {
                let answer = Answer {
                    attempt: match result {
                        Ok(v) => Attempt::Succeeded(v),
                        Err(e) => Attempt::Failed(e.into()),
                    },
                    elapsed_ms: 0,
                };
                if let Some(k) = key {
                    self.answers.insert(k, answer.clone());
                }
                self.finish_wait(id, answer);
                return;
            }
        }
        // Borrowed from the options (not from `self`): only the answer's value is cloned.
        let options = self.options;
        let mock = options
            .mocks
            .sequence(&st.name, &task.resource.value)
            .map(|seq| {
                let index = self.next_mock_index(id);
                seq.response(index).ok_or(index)
            });
        let (attempt, duration) = match mock {
            // SFN Local fails an invocation its numbered entries do not cover.
            Some(Err(index)) => (
                Attempt::Failed(Fault {
                    error: Some(ErrorName::Runtime.as_str().into()),
                    cause: Some(
                        format!(
                            "The mock of state '{}' has no response for invocation {index} (indexes count from 0, retries and Map iterations included).",
                            st.name
                        )
                        .into(),
                    ),
                }),
                0,
            ),
            Some(Ok(resp)) => {
                let attempt = match &resp.outcome {
                    MockOutcome::Return(v)
                        if resp.wrap_payload
                            && super::integration::wraps_payload(&task.resource.value) =>
                    {
                        // Answered when the function returns: after the mocked duration.
                        let at = self.core.thread(id).map_or(0, |t| t.time).saturating_add(
                            i64::try_from(resp.duration_ms).unwrap_or(i64::MAX),
                        );
                        Attempt::Succeeded(super::integration::lambda_invoke_response(
                            v.clone(),
                            &mut self.core.rng,
                            at,
                        ))
                    }
                    MockOutcome::Return(v) => Attempt::Succeeded(v.clone()),
                    MockOutcome::Throw { error, cause } => Attempt::Failed(Fault {
                        error: Some(error.clone()),
                        cause: cause.clone(),
                    }),
                };
                (attempt, resp.duration_ms)
            }
            None => {
                let token = token.0.unwrap_or_else(|| self.token_text(token.1));
                match self.answers.get(&token) {
                    // Replaying a caller's answer: already decided against the deadlines.
                    Some(a) => {
                        let a = a.clone();
                        self.finish_wait(id, a);
                        return;
                    }
                    None => {
                        let iterations = self
                            .core
                            .thread(id)
                            .map(|t| t.iterations.to_vec())
                            .unwrap_or_default();
                        self.core.pending.push(PendingTask {
                            token,
                            state: st.name.clone(),
                            path: info
                                .paths
                                .get(sid as usize)
                                .cloned()
                                .unwrap_or_else(|| st.name.clone()),
                            resource: task.resource.value.clone(),
                            parameters: self
                                .core
                                .thread(id)
                                .and_then(|t| t.visit.as_ref())
                                .map(|v| v.request().clone())
                                .unwrap_or_default(),
                            iterations,
                            timeout_seconds: timeout_ms.map(|t| t / 1000),
                            heartbeat_seconds: heartbeat_ms.map(|h| h / 1000),
                            waited_ms: 0,
                            last_heartbeat_ms: 0,
                            since_ms: self.core.thread(id).map_or(0, |t| t.time),
                            thread: id,
                        });
                        self.set_phase(id, Phase::TaskAwait);
                        return;
                    }
                }
            }
        };
        // A mocked task sends no heartbeats: it times out at whichever limit comes first.
        let (attempt, elapsed) = match (timeout_ms, heartbeat_ms) {
            (t, Some(h)) if duration > h && t.is_none_or(|t| h < t) => {
                (Attempt::TimedOut { heartbeat: true }, h)
            }
            (Some(t), _) if duration > t => (Attempt::TimedOut { heartbeat: false }, t),
            _ => (attempt, duration),
        };
        if let Some(t) = self.core.thread_mut(id) {
            t.time = t
                .time
                .saturating_add(i64::try_from(elapsed).unwrap_or(i64::MAX));
            t.phase = Phase::TaskOutcome(attempt);
        }
    }

    /// A caller's answer for a paused task.
    pub(crate) fn answer_task(&mut self, thread: ThreadId, answer: Answer) {
        self.finish_wait(thread, answer);
    }

    /// The task's outcome arrives after it waited `elapsed_ms` of virtual time.
    fn finish_wait(&mut self, id: ThreadId, answer: Answer) {
        if let Some(t) = self.core.thread_mut(id) {
            t.time = t
                .time
                .saturating_add(i64::try_from(answer.elapsed_ms).unwrap_or(i64::MAX));
            t.phase = Phase::TaskOutcome(answer.attempt);
        }
    }

    fn task_outcome(&mut self, id: ThreadId, attempt: Attempt) {
        let Some((st, _, _)) = self.current(id) else {
            return;
        };
        let StateKind::Task(task) = &st.kind else {
            return;
        };
        let kind = self.resource_kind_of(id);
        let lambda = matches!(kind, ResourceKind::LambdaFunction);
        let activity = matches!(kind, ResourceKind::Activity);
        let res = match kind {
            ResourceKind::LambdaFunction | ResourceKind::Activity => None,
            ResourceKind::Service {
                resource_type,
                resource,
            } => Some((resource_type, resource)),
        };
        match attempt {
            Attempt::Succeeded(v) => {
                // Copies for the stages and the event only when they are recorded.
                let output = self.history.is_some().then(|| v.clone());
                self.record(id, |s| s.result = Some(v.clone()));
                let next = match io::check_size(
                    &v,
                    self.options.limits.payload_bytes,
                    &task.resource.value,
                ) {
                    Ok(()) => Phase::ProcessResult(v),
                    Err(e) => Phase::Recover(e.into()),
                };
                self.set_phase(id, next);
                let output = || output.unwrap_or_default();
                match res {
                    None if activity => self.emit(id, EventType::ActivitySucceeded, || {
                        EventDetails::LambdaSucceeded { output: output() }
                    }),
                    None => self.emit(id, EventType::LambdaFunctionSucceeded, || {
                        EventDetails::LambdaSucceeded { output: output() }
                    }),
                    Some((resource_type, resource)) => {
                        self.emit(id, EventType::TaskSucceeded, || {
                            EventDetails::TaskSucceeded {
                                resource_type: resource_type.clone(),
                                resource: resource.clone(),
                                output: output(),
                            }
                        })
                    }
                }
            }
            Attempt::Failed(f) => {
                let ev = if lambda {
                    EventType::LambdaFunctionFailed
                } else if activity {
                    EventType::ActivityFailed
                } else {
                    EventType::TaskFailed
                };
                self.task_failed(id, f, ev, res);
            }
            Attempt::TimedOut { heartbeat } => {
                let name = if heartbeat {
                    ErrorName::HeartbeatTimeout
                } else {
                    ErrorName::Timeout
                };
                let f = Fault {
                    error: Some(name.as_str().into()),
                    cause: None,
                };
                let ev = if lambda {
                    EventType::LambdaFunctionTimedOut
                } else if activity {
                    EventType::ActivityTimedOut
                } else {
                    EventType::TaskTimedOut
                };
                self.task_failed(id, f, ev, res);
            }
        }
    }

    /// A failed or timed-out task attempt: recover (retry / catch / fail) and record `ev`.
    fn task_failed(
        &mut self,
        id: ThreadId,
        f: Fault,
        ev: EventType,
        resource: Option<(&Arc<str>, &Arc<str>)>,
    ) {
        let event = self
            .history
            .is_some()
            .then(|| (f.error.clone(), f.cause.clone()));
        self.set_phase(id, Phase::Recover(f));
        self.emit(id, ev, || {
            let (error, cause) = event.unwrap_or_default();
            EventDetails::Failure {
                error,
                cause,
                resource: resource.map(|(t, r)| (t.clone(), r.clone())),
            }
        });
    }

    /// ResultSelector → ResultPath → OutputPath for Task, Parallel and Map, then exit.
    fn process_result(&mut self, id: ThreadId, result: Value) {
        let Some((st, _, _)) = self.current(id) else {
            return;
        };
        if st.query_language == QueryLanguage::Jsonata {
            // Output (default: the result) and Assign, with `$states.result`.
            let input = self.visit_input(id);
            // Task, Parallel and Map states' `$$.State` has `RetryCount` (recorded:
            // `tam/Task.State/007-aws-lambda-jsonata-result-observation`).
            let extras = ContextExtras {
                retry_count: Some(self.retry_count(id)),
                ..Default::default()
            };
            let states = self.jsonata_states(id, &input, extras, Some(("result", &result)));
            let r = self.jsonata_output_assign(
                id,
                st.output.as_ref(),
                st.assign.as_ref(),
                states,
                result.clone(),
            );
            self.record(id, |s| s.result = Some(result));
            self.exit_or_fail(id, st, r);
            return;
        }
        if let Some(NullablePath::Path(rp)) = &st.io.result_path
            && st.io.output_path.is_none()
        {
            self.process_result_in_place(id, st, &rp.value, result);
            return;
        }
        let r = (|| {
            let input = self.visit_input(id);
            let vars = self.vars(id);
            let ctx = self.context(id, ContextExtras::default());
            let scope = Scope::new(&input, &ctx, &vars);
            let selected = match &st.io.result_selector {
                Some(t) => self.eval_template(
                    t,
                    &Scope {
                        input: &result,
                        ..scope
                    },
                )?,
                None => result.clone(),
            };
            let after_rp = io::result_path(st.io.result_path.as_ref(), &input, selected.clone())?;
            let output = io::output_path(st.io.output_path.as_ref(), after_rp.clone(), &scope)?;
            let assigned = self.assign(
                st.assign.as_ref(),
                &Scope {
                    input: &selected,
                    ..scope
                },
            )?;
            self.record(id, |s| {
                s.result = Some(result.clone());
                s.after_result_selector = Some(selected);
                s.after_result_path = Some(after_rp);
            });
            Ok::<_, ExecError>((output, assigned))
        })();
        self.exit_or_fail(id, st, r);
    }

    /// [`Self::process_result`] for the usual shape (a ResultPath, no OutputPath), writing the
    /// result into the visit's input in place instead of into a copy: the input is taken out of
    /// the visit (so it is unshared when nothing else holds it) and put back unchanged whenever a
    /// step fails, so Retry and Catch still see the original. Errors come in the same order as
    /// in the general path (ResultSelector, ResultPath, Assign), and the write happens only once
    /// nothing after it can fail (the output's size is bounded below the payload limit first).
    fn process_result_in_place(&mut self, id: ThreadId, st: &State, rp: &Path, result: Value) {
        let is_task = matches!(st.kind, StateKind::Task(_));
        let Some(mut input) = self.visit_mut(id).map(|v| {
            if is_task {
                // The request sent (often the input itself): not needed once the task answered,
                // and holding it would force a copy of the input below.
                v.effective = Value::Null;
                v.request_is_input = false;
            }
            std::mem::take(&mut v.input)
        }) else {
            return;
        };
        let r = (|| {
            let vars = self.vars(id);
            let ctx = self.context(id, ContextExtras::default());
            let scope = Scope::new(&result, &ctx, &vars);
            let selected = match &st.io.result_selector {
                Some(t) => self.eval_template(t, &scope)?,
                None => result.clone(),
            };
            rp.check_set(&input)?;
            let assigned = self.assign(
                st.assign.as_ref(),
                &Scope {
                    input: &selected,
                    ..scope
                },
            )?;
            let fits = self.options.limits.payload_bytes.is_none_or(|limit| {
                input.json_len() + selected.json_len() + rp.set_overhead_bound() <= limit
            });
            Ok::<_, ExecError>((selected, assigned, fits))
        })();
        let (selected, assigned, fits) = match r {
            Ok(x) => x,
            Err(e) => {
                if let Some(v) = self.visit_mut(id) {
                    v.input = input;
                }
                self.fail_state(id, e);
                return;
            }
        };
        let after_rp = if fits {
            std::mem::take(&mut input)
        } else {
            // Near the payload limit the size check may fail and Retry/Catch need the original.
            input.clone()
        };
        let kept_selected = self.recording_stages(id).then(|| selected.clone());
        let after_rp = match rp.set_checked(after_rp, selected) {
            Ok(v) => v,
            // Unreachable: `check_set` passed on this same value.
            Err(e) => {
                if let Some(v) = self.visit_mut(id) {
                    v.input = input;
                }
                self.fail_state(id, e);
                return;
            }
        };
        if !fits && let Some(v) = self.visit_mut(id) {
            v.input = input;
        }
        self.record(id, |s| {
            s.result = Some(result);
            s.after_result_selector = kept_selected;
            s.after_result_path = Some(after_rp.clone());
        });
        self.exit_to_next(id, st, after_rp, assigned);
    }

    /// Retries the current state after its back-off if a retrier allows; true when it does.
    pub(crate) fn try_retry(&mut self, id: ThreadId, fault: &Fault) -> bool {
        let Some((st, _, _)) = self.current(id) else {
            return false;
        };
        let (retriers, _) = st.retry_catch();
        let error = fault.error_str();
        if !retriers.is_empty() {
            let core = &mut *self.core;
            let delay = core
                .threads
                .get_mut(id as usize)
                .and_then(Option::as_mut)
                .and_then(|t| {
                    let v = t.visit.as_deref_mut()?;
                    retry::retry_delay(retriers, &mut v.attempts, error, &mut core.rng)
                });
            if let Some(delay) = delay {
                if let Some(t) = self.core.thread_mut(id) {
                    t.time = t
                        .time
                        .saturating_add(i64::try_from(delay).unwrap_or(i64::MAX));
                    t.phase = Phase::Act;
                    if let Some(v) = t.visit.as_deref_mut() {
                        v.retry_count += 1;
                        v.fanout = None;
                    }
                }
                return true;
            }
        }
        false
    }

    /// After a failure: retry (same state, after the back-off), catch, or end the thread.
    fn recover(&mut self, id: ThreadId, fault: Fault) {
        let Some((st, _, _)) = self.current(id) else {
            self.finish(id, Err(fault));
            return;
        };
        if self.try_retry(id, &fault) {
            return;
        }
        let (_, catchers) = st.retry_catch();
        let error = fault.error_str().to_string();
        if let Some(c) = retry::catcher(catchers, &error) {
            let r = if st.query_language == QueryLanguage::Jsonata {
                // Output (default: the error output) and Assign, with `$states.errorOutput`.
                let input = self.visit_input(id);
                let err = io::error_output(fault.error.as_deref(), fault.cause.as_deref());
                let extras = ContextExtras {
                    retry_count: Some(self.retry_count(id)),
                    ..Default::default()
                };
                let states = self.jsonata_states(id, &input, extras, Some(("errorOutput", &err)));
                self.jsonata_output_assign(
                    id,
                    c.output.as_ref(),
                    c.assign.as_ref(),
                    states,
                    err.clone(),
                )
                .and_then(|(output, assigned)| {
                    io::check_size(&output, self.options.limits.payload_bytes, &st.name)?;
                    Ok((output, assigned))
                })
            } else {
                (|| {
                    let input = self.visit_input(id);
                    let err = io::error_output(fault.error.as_deref(), fault.cause.as_deref());
                    let output = io::result_path(c.result_path.as_ref(), &input, err.clone())?;
                    // Checked here, not on exit: an oversized catcher output fails the state for good
                    // instead of being offered to the same catcher again (which would loop forever).
                    io::check_size(&output, self.options.limits.payload_bytes, &st.name)?;
                    let vars = self.vars(id);
                    let ctx = self.context(id, ContextExtras::default());
                    let scope = Scope::new(&err, &ctx, &vars);
                    let assigned = self.assign(c.assign.as_ref(), &scope)?;
                    Ok::<_, ExecError>((output, assigned))
                })()
            };
            match r {
                Ok((output, assigned)) => {
                    let next = match c.next.id {
                        Some(n) => Next::State(n),
                        None => Next::End,
                    };
                    self.exit_state(id, st, output, assigned, next);
                }
                Err(e) => {
                    let f = self.state_fault(id, e);
                    self.set_phase(id, Phase::Finish(Err(f)));
                }
            }
            return;
        }
        self.set_phase(id, Phase::Finish(Err(fault)));
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

/// `TimeoutSeconds` / `HeartbeatSeconds` (or their `…Path`) in whole seconds.
fn dynamic_seconds(
    d: Option<&Dynamic<u64>>,
    scope: &Scope,
    rng: &mut crate::env::Rng,
    field: &str,
) -> Result<Option<u64>, ExecError> {
    match d {
        None => Ok(None),
        Some(Dynamic::Literal(v)) => Ok(Some(v.value)),
        Some(Dynamic::Call(c)) => {
            let v = c.value.eval(scope, rng)?;
            match v.as_i64() {
                Some(n) if n > 0 => Ok(Some(n as u64)),
                _ => Err(ExecError::runtime(format!(
                    "The {field} value {v} is not a valid positive integer"
                ))),
            }
        }
        Some(Dynamic::Path(p)) => {
            let v = p.value.eval(scope)?;
            match v.as_i64() {
                Some(n) if n > 0 => Ok(Some(n as u64)),
                _ => Err(ExecError::runtime(format!(
                    "The {field}Path field refers to value \"{}\" which is not a valid positive integer: {}",
                    io::shown(&v),
                    p.value.as_str()
                ))),
            }
        }
        Some(Dynamic::Jsonata(_)) => Err(ExecError::runtime(format!(
            "The {field} field holds a JSONata expression in a JSONPath-mode state"
        ))),
    }
}
