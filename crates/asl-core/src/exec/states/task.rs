//! Task states: the request (Parameters/Arguments, the integration's pattern), the answer from a
//! mock, a handler or the user, timeouts and heartbeats, and the result's processing
//! (ResultSelector, ResultPath, Output) up to the exit.
//!
//! Not owned here: which integration a resource is ([`crate::exec::integration`]), Retry/Catch
//! ([`super::retry_catch`]).

use std::sync::Arc;

use crate::error::{ErrorName, ExecError};
use crate::history::{EventDetails, EventType};
use crate::mock::MockOutcome;
use crate::model::{Dynamic, NullablePath, QueryLanguage, State, StateKind};
use crate::path::{Path, Scope};
use crate::value::Value;

use crate::exec::PendingTask;
use crate::exec::engine::{Answer, Attempt, Engine, Fault, Given, Phase, ThreadId};
use crate::exec::integration::{ResourceKind, TaskStep};
use crate::exec::io::{self, ContextExtras};

impl Engine<'_> {
    // ---- Task -------------------------------------------------------------------------------

    pub(super) fn act_task(&mut self, id: ThreadId, st: &State) -> Result<(), ExecError> {
        let StateKind::Task(task) = &st.kind else {
            return Ok(());
        };
        let retry_count = self.retry_count(id);
        let (wants_token, literal_seconds) = self
            .visit_info(id)
            .map(|(info, sid)| {
                let sid = sid as usize;
                let facts = info.facts.get(sid).and_then(|f| f.seconds);
                (info.waits_token.get(sid).copied().unwrap_or(false), facts)
            })
            .unwrap_or((false, None));
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
                let states = crate::exec::jsonata::states_value(&input, &ctx, None);
                let env = self.jsonata_env(id);
                let vars = self.vars(id);
                let cx = crate::exec::jsonata::Cx {
                    vars: &vars,
                    states,
                    env,
                };
                let request = match &st.io.arguments {
                    Some(a) => crate::exec::jsonata::template(a, "Arguments", &cx)?,
                    None => input,
                };
                let seconds =
                    |d: Option<&Dynamic<u64>>, field: &str| match crate::exec::jsonata::integer(
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
                let (timeout, heartbeat) = match literal_seconds {
                    Some(literal) => literal,
                    None => (
                        dynamic_seconds(
                            task.timeout_seconds.as_ref(),
                            &scope,
                            &mut core.rng,
                            "TimeoutSeconds",
                        )?,
                        dynamic_seconds(
                            task.heartbeat_seconds.as_ref(),
                            &scope,
                            &mut core.rng,
                            "HeartbeatSeconds",
                        )?,
                    ),
                };
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

    pub(super) fn task_start(&mut self, id: ThreadId) {
        let Some((st, _, _)) = self.current(id) else {
            return;
        };
        if !matches!(st.kind, StateKind::Task(_)) {
            return;
        }
        self.set_phase(id, Phase::TaskRun);
        let kind = self.resource_kind_of(id);
        let submits = self
            .visit_info(id)
            .and_then(|(info, sid)| info.submits.get(sid as usize).copied())
            .unwrap_or(false);
        if submits {
            self.set_phase(id, Phase::TaskSubmit);
        }
        let ev = kind.event(TaskStep::Started);
        self.emit(id, ev, || match kind.service() {
            Some((resource_type, resource)) => EventDetails::TaskStarted {
                resource_type: resource_type.clone(),
                resource: resource.clone(),
            },
            None => EventDetails::None,
        });
    }

    /// The answer kept for `token` (by the task handler or a caller) if it was given by this
    /// point of the run: a replay gives each answer where it was given, no earlier. One a caller
    /// gave once the run had settled after this event waits: the task pauses, and
    /// `Execution::answer_due` gives it once the replay has settled too.
    /// (`token` is the map's own key type: a lookup by `&str` is a second copy of the map's
    /// lookup code, which made the playground's bundle 0.4 KB gzip larger.)
    fn kept_answer(&self, token: &Arc<str>) -> Option<Answer> {
        self.answers
            .get(token)
            .filter(|g| g.due_unsettled(self.core.events))
            .map(|g| g.answer.clone())
    }

    /// `.sync` / `.waitForTaskToken`: the request was accepted; now the job runs or the token
    /// is awaited.
    pub(super) fn task_submit(&mut self, id: ThreadId) {
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

    pub(super) fn task_run(&mut self, id: ThreadId) {
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
            // Kept by token with a history (or when asked to), so a replay after stepping back
            // or recording the history later gives the same answer.
            let key = self
                .options
                .keeps_answers()
                .then(|| token.0.clone().unwrap_or_else(|| self.token_text(token.1)));
            // Only an answer given by now: one a caller gave later to this task, paused after
            // the handler declined it, waits for its point of the run (below).
            if let Some(a) = key.as_ref().and_then(|k| self.kept_answer(k)) {
                self.finish_wait(id, a);
                return;
            }
            // A kept answer not due yet is a caller's (a handler's is due where it gave it): the
            // handler declined this task then, so it is not asked again; the task pauses for
            // the answer (below).
            let awaited = key.as_ref().is_some_and(|k| self.answers.contains_key(k));
            // The request borrows the visit's parameters: the handler only reads them.
            let result = self.core.thread(id).filter(|_| !awaited).and_then(|t| {
                let v = t.visit.as_ref()?;
                let request = crate::exec::TaskRequest {
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
                    let at_event = self.core.events;
                    self.answers.insert(
                        k,
                        Given {
                            answer: answer.clone(),
                            at_event,
                            // Given by the handler in the middle of the run's work.
                            settled: false,
                            by_handler: true,
                        },
                    );
                }
                self.finish_wait(id, answer);
                return;
            }
        }
        // Borrowed from the table or the options (not from `self`): only the answer's value is
        // cloned.
        let sequence = match self.mock_table {
            Some(table) => {
                let branch = self.core.thread(id).map_or(0, |t| t.branch);
                table.get(branch, sid)
            }
            None => self.options.mocks.sequence(&st.name, &task.resource.value),
        };
        let mock = sequence.map(|seq| {
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
                            && crate::exec::integration::wraps_payload(&task.resource.value) =>
                    {
                        // Answered when the function returns: after the mocked duration.
                        let at = self.core.thread(id).map_or(0, |t| t.time).saturating_add(
                            i64::try_from(resp.duration_ms).unwrap_or(i64::MAX),
                        );
                        Attempt::Succeeded(crate::exec::integration::lambda_invoke_response(
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
                // Replaying a caller's answer given no later than now: already decided against
                // the deadlines. One given later waits, pending, for its point of the run.
                match self.kept_answer(&token) {
                    Some(a) => {
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
    pub(super) fn finish_wait(&mut self, id: ThreadId, answer: Answer) {
        if let Some(t) = self.core.thread_mut(id) {
            t.time = t
                .time
                .saturating_add(i64::try_from(answer.elapsed_ms).unwrap_or(i64::MAX));
            t.phase = Phase::TaskOutcome(answer.attempt);
        }
    }

    pub(super) fn task_outcome(&mut self, id: ThreadId, attempt: Attempt) {
        let Some((st, _, _)) = self.current(id) else {
            return;
        };
        let StateKind::Task(task) = &st.kind else {
            return;
        };
        let kind = self.resource_kind_of(id);
        let res = kind.service();
        match attempt {
            Attempt::Succeeded(v) => {
                // Copies for the stages and the event only when they are recorded.
                let output = self.history.is_some().then(|| v.clone());
                self.record(id, |s| s.result = Some(v.clone()));
                // The resource, in the boxed definition, is read only for the error.
                let limit = self.options.limits.payload_bytes;
                let checked = if io::fits(&v, limit) {
                    Ok(())
                } else {
                    io::check_size(&v, limit, &task.resource.value)
                };
                let next = match checked {
                    Ok(()) => Phase::ProcessResult(v),
                    Err(e) => Phase::Recover(e.into()),
                };
                self.set_phase(id, next);
                let output = || output.unwrap_or_default();
                let ev = kind.event(TaskStep::Succeeded);
                self.emit(id, ev, || match res {
                    Some((resource_type, resource)) => EventDetails::TaskSucceeded {
                        resource_type: resource_type.clone(),
                        resource: resource.clone(),
                        output: output(),
                    },
                    // Lambda functions and activities record the same details.
                    None => EventDetails::LambdaSucceeded { output: output() },
                });
            }
            Attempt::Failed(f) => {
                let ev = kind.event(TaskStep::Failed);
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
                let ev = kind.event(TaskStep::TimedOut);
                self.task_failed(id, f, ev, res);
            }
        }
    }

    /// A failed or timed-out task attempt: recover (retry / catch / fail) and record `ev`.
    pub(super) fn task_failed(
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
    pub(super) fn process_result(&mut self, id: ThreadId, result: Value) {
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
    pub(super) fn process_result_in_place(
        &mut self,
        id: ThreadId,
        st: &State,
        rp: &Path,
        result: Value,
    ) {
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
