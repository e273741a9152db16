//! Parallel and Map: starting child threads, collecting their results, failing together.
//!
//! Owns the fan-out states' phases: a Parallel starts one thread per branch at once; a Map
//! evaluates `ItemsPath`, `MaxConcurrency(Path)`, `ToleratedFailure…(Path)` and `ItemBatcher`,
//! then starts iterations lazily (the scheduler asks for the next one only when a slot is free
//! and its turn has come, so a 10,000-item Map does not hold 10,000 threads). `ItemSelector`
//! (or the legacy `Parameters`) is evaluated per item with `$$.Map.Item.Index/Value`. Inline Map
//! iterations and Parallel branches report in the parent's history (`MapIteration…`); the
//! iterations of a Distributed Map are child executions, so the parent history shows only
//! `MapRunStarted`/`MapRunSucceeded`/`MapRunFailed`.
//!
//! Not owned here: the scheduler and result delivery ([`super::engine`]), result processing and
//! Retry/Catch of the Parallel/Map state itself ([`super::states`]).

use std::sync::Arc;

use crate::error::{ErrorName, ExecError};
use crate::history::{EventDetails, EventType};
use crate::mock::MockOutcome;
use crate::model::{Dynamic, Map, MapMode, QueryLanguage, State, StateKind};
use crate::path::Scope;
use crate::value::{Object, Value};

use super::engine::{Engine, Fanout, Fault, Phase, Results, Thread, ThreadId, ThreadKind};
use super::io::{self, ContextExtras};
use super::jsonata;
use super::states::jsonata_unsupported;

/// A non-negative integer from a literal, or from a path (numbers or numeric strings).
fn int_field(
    d: Option<&Dynamic<u64>>,
    scope: &Scope,
    field: &str,
    st: &State,
) -> Result<Option<i64>, ExecError> {
    number_field(
        d,
        scope,
        field,
        st,
        "integer",
        |v| v as i64,
        |v| match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        },
    )
}

fn float_field(
    d: Option<&Dynamic<f64>>,
    scope: &Scope,
    field: &str,
    st: &State,
) -> Result<Option<f64>, ExecError> {
    number_field(
        d,
        scope,
        field,
        st,
        "float",
        |v| v,
        |v| match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => crate::text::parse_f64(s.trim()).filter(|f| f.is_finite()),
            _ => None,
        },
    )
}

/// A Map setting given as a literal, a `…Path` or an intrinsic: `literal` converts the first,
/// `read` the value the others produce (a `kind` in the error when it cannot).
fn number_field<T: Copy, N>(
    d: Option<&Dynamic<T>>,
    scope: &Scope,
    field: &str,
    st: &State,
    kind: &str,
    literal: impl Fn(T) -> N,
    read: impl Fn(&Value) -> Option<N>,
) -> Result<Option<N>, ExecError> {
    let (v, text) = match d {
        None => return Ok(None),
        Some(Dynamic::Literal(v)) => return Ok(Some(literal(v.value))),
        Some(Dynamic::Jsonata(_)) => return Err(jsonata_unsupported(st)),
        Some(Dynamic::Path(p)) => (p.value.eval(scope)?, p.value.as_str().to_string()),
        Some(Dynamic::Call(c)) => (
            c.value.eval(scope, &mut crate::env::Rng::new(0))?,
            field.to_string(),
        ),
    };
    match read(&v) {
        Some(n) => Ok(Some(n)),
        None => Err(ExecError::runtime(format!(
            "The {field}Path field refers to value \"{}\" which is not a valid {kind}: {text}",
            io::shown(&v),
        ))),
    }
}

/// `base` followed by `last`, as a shared slice: built on the stack and allocated once (not a
/// `Vec` grown and then copied), since every Map iteration's thread makes two.
fn extended(base: &[u32], last: u32) -> Arc<[u32]> {
    let mut buf = [0u32; 16];
    match buf.get_mut(..=base.len()) {
        Some(slot) => {
            slot[..base.len()].copy_from_slice(base);
            slot[base.len()] = last;
            Arc::from(&*slot)
        }
        None => base.iter().copied().chain([last]).collect(),
    }
}

impl<'a> Engine<'a> {
    fn child_thread(
        &self,
        parent: &Thread,
        slot: u32,
        branch: u32,
        phase: Phase,
        iteration: Option<u32>,
        silent: bool,
    ) -> Thread {
        let key = extended(&parent.key, slot);
        let iterations: Arc<[u32]> = match iteration {
            Some(i) => extended(&parent.iterations, i),
            None => parent.iterations.clone(),
        };
        Thread {
            key,
            parent: None,
            kind: if iteration.is_some() {
                ThreadKind::Iteration
            } else {
                ThreadKind::Branch
            },
            branch,
            time: parent.time,
            vars: parent.vars.child(),
            phase,
            visit: None,
            silent,
            iterations,
            last_event: parent.last_event,
        }
    }

    pub(crate) fn act_parallel(&mut self, id: ThreadId, st: &State) -> Result<(), ExecError> {
        let StateKind::Parallel(par) = &st.kind else {
            return Ok(());
        };
        let Some((_, info, sid)) = self.current(id) else {
            return Ok(());
        };
        let (input, vars, ctx) = self.fanout_scope(id);
        let params = if st.query_language == QueryLanguage::Jsonata {
            match &st.io.arguments {
                Some(a) => self.with_jsonata(id, &input, Default::default(), |cx| {
                    jsonata::template(a, "Arguments", cx)
                })?,
                None => input,
            }
        } else {
            let scope = Scope::new(&input, &ctx, &vars);
            let effective = io::input_path(st.io.input_path.as_ref(), &scope)?;
            match &st.io.parameters {
                Some(p) => self.eval_template(
                    p,
                    &Scope {
                        input: &effective,
                        ..scope
                    },
                )?,
                None => effective,
            }
        };
        self.record(id, |s| s.after_parameters = Some(params.clone()));
        let kids = info.children.get(sid as usize).cloned().unwrap_or_default();
        let mut live = Vec::with_capacity(kids.len());
        for (i, (bid, branch)) in kids.iter().zip(par.branches.iter()).enumerate() {
            let Some(parent) = self.core.thread(id) else {
                break;
            };
            let phase = match branch.start() {
                Some(s) => Phase::Enter {
                    state: s,
                    input: params.clone(),
                },
                None => Phase::Finish(Err(ExecError::runtime("StartAt names no state").into())),
            };
            let silent = parent.silent;
            let mut child = self.child_thread(parent, i as u32, *bid, phase, None, silent);
            child.parent = Some((id, i as u32));
            live.push(self.core.spawn(child));
        }
        let n = live.len();
        if let Some(t) = self.core.thread_mut(id) {
            if let Some(v) = t.visit.as_deref_mut() {
                v.effective = params;
                v.fanout = Some(Box::new(Fanout {
                    results: Results::new(n),
                    total: n,
                    live,
                    ..Fanout::default()
                }));
            }
            t.phase = if n == 0 {
                Phase::FanoutDone
            } else {
                Phase::Blocked
            };
        }
        self.emit(id, EventType::ParallelStateStarted, || EventDetails::None);
        Ok(())
    }

    /// The visit's input, variables and `$$` (with `State.RetryCount`), owned: Parallel and Map
    /// evaluate with them and then spawn threads, which needs the engine mutably.
    fn fanout_scope(&self, id: ThreadId) -> (Value, super::io::Vars, Value) {
        let ctx = self.context(
            id,
            ContextExtras {
                retry_count: Some(self.retry_count(id)),
                ..Default::default()
            },
        );
        (self.visit_input(id), self.vars(id), ctx)
    }

    pub(crate) fn act_map(&mut self, id: ThreadId, st: &State, m: &Map) -> Result<(), ExecError> {
        if st.query_language == QueryLanguage::Jsonata {
            return self.act_map_jsonata(id, st, m);
        }
        let (input, vars, ctx) = self.fanout_scope(id);
        let scope = Scope::new(&input, &ctx, &vars);
        let effective = io::input_path(st.io.input_path.as_ref(), &scope)?;
        let escope = Scope {
            input: &effective,
            ..scope
        };
        let items = match (&m.item_reader, &m.items_path) {
            (Some(reader), _) => self.read_items(id, st, reader, &escope)?,
            (None, None) => effective.clone(),
            (None, Some(crate::model::NullablePath::Null(_))) => Value::empty_object(),
            (None, Some(crate::model::NullablePath::Path(p))) => p.value.eval(&escope)?,
        };
        if !matches!(items, Value::Array(_)) {
            let path = match &m.items_path {
                Some(crate::model::NullablePath::Path(p)) => p.value.as_str().to_string(),
                _ => "$".into(),
            };
            return Err(ExecError::runtime(format!(
                "Item path {path} evaluated to a value of type {} where an array was expected: {}",
                items.type_name(),
                items.to_json_string()
            )));
        }
        let max =
            int_field(m.max_concurrency.as_ref(), &escope, "MaxConcurrency", st)?.unwrap_or(0);
        if max < 0 {
            return Err(ExecError::runtime("MaxConcurrency cannot be negative."));
        }
        self.start_map(id, st, m, items, max, &escope)
    }

    /// Map in JSONata mode: `Items` (default: the input) and `MaxConcurrency`; then as in
    /// JSONPath mode, with the input as the "effective input" ItemSelector reads as
    /// `$states.input`.
    fn act_map_jsonata(&mut self, id: ThreadId, st: &State, m: &Map) -> Result<(), ExecError> {
        let (input, vars, ctx) = self.fanout_scope(id);
        let items = self.jsonata_items(id, st, m, &input)?;
        let max = self.with_jsonata(id, &input, Default::default(), |cx| {
            jsonata::integer(m.max_concurrency.as_ref(), "MaxConcurrency", cx)
        })?;
        let max = max.unwrap_or(0);
        if max < 0 {
            return Err(ExecError::new(
                ErrorName::QueryEvaluationError,
                "MaxConcurrency cannot be negative.",
            ));
        }
        let scope = Scope::new(&input, &ctx, &vars);
        self.start_map(id, st, m, items, max, &scope)
    }

    /// The common part of a Map's start: batching, ItemSelector of batched items, the fan-out.
    fn start_map(
        &mut self,
        id: ThreadId,
        st: &State,
        m: &Map,
        items: Value,
        max: i64,
        escope: &Scope,
    ) -> Result<(), ExecError> {
        let escope = *escope;
        let effective = escope.input.clone();
        let batched = m.item_batcher.is_some();
        self.record(id, |s| {
            s.after_input_path = Some(effective.clone());
            s.after_items_path = Some(items.clone());
            s.max_concurrency = Some(max as u64);
        });
        let items = match &m.item_batcher {
            Some(b) => {
                let per = if st.query_language == QueryLanguage::Jsonata {
                    self.with_jsonata(id, escope.input, Default::default(), |cx| {
                        jsonata::integer(b.max_items_per_batch.as_ref(), "MaxItemsPerBatch", cx)
                    })?
                } else {
                    int_field(
                        b.max_items_per_batch.as_ref(),
                        &escope,
                        "MaxItemsPerBatch",
                        st,
                    )?
                };
                let batch_input = match &b.batch_input {
                    Some(t) => Some(self.map_template(id, st, t, "BatchInput", &escope, None)?),
                    None => None,
                };
                // AWS's order: ItemsPath → ItemSelector (per item) → ItemBatcher.
                let items = match (&m.item_selector, items.as_array()) {
                    (Some(sel), Some(arr)) => {
                        let mut selected = Vec::with_capacity(arr.len());
                        for (i, item) in arr.iter().enumerate() {
                            let ctx = self.context(
                                id,
                                ContextExtras {
                                    map_item: Some((i, item)),
                                    ..Default::default()
                                },
                            );
                            let _ = ctx;
                            selected.push(self.map_template(
                                id,
                                st,
                                sel,
                                "ItemSelector",
                                &escope,
                                Some((i, item)),
                            )?);
                        }
                        Value::array(selected)
                    }
                    _ => items,
                };
                batch(&items, per.map(|n| n.max(1) as usize), batch_input)
            }
            None => items,
        };
        if batched {
            self.record(id, |s| s.after_item_batcher = Some(items.clone()));
        }
        let total = items.as_array().map_or(0, |a| a.len());
        let distributed = m.mode() == MapMode::Distributed;
        if let Some(t) = self.core.thread_mut(id) {
            if let Some(v) = t.visit.as_deref_mut() {
                v.effective = effective;
                v.fanout = Some(Box::new(Fanout {
                    results: Results::new(total),
                    items: Some(items),
                    total,
                    max_concurrency: max as usize,
                    distributed,
                    is_map: true,
                    ..Fanout::default()
                }));
            }
            t.phase = Phase::MapSetup;
        }
        self.emit(id, EventType::MapStateStarted, || {
            EventDetails::MapStarted { length: total }
        });
        Ok(())
    }

    /// After `MapStateStarted`: tolerated failures, then the run starts.
    pub(crate) fn map_setup(&mut self, id: ThreadId) {
        let Some((st, _, _)) = self.current(id) else {
            return;
        };
        let StateKind::Map(m) = &st.kind else { return };
        let r = (|| {
            let input = self
                .core
                .thread(id)
                .and_then(|t| t.visit.as_ref())
                .map(|v| v.input.clone())
                .unwrap_or_default();
            let effective = self
                .core
                .thread(id)
                .and_then(|t| t.visit.as_ref())
                .map(|v| v.effective.clone())
                .unwrap_or_default();
            let vars = self
                .core
                .thread(id)
                .map(|t| t.vars.clone())
                .unwrap_or_default();
            let ctx = self.context(id, ContextExtras::default());
            let scope = Scope {
                input: &effective,
                context: &ctx,
                vars: &vars,
            };
            let jsonata = st.query_language == QueryLanguage::Jsonata;
            let (count, pct) = if jsonata {
                self.with_jsonata(id, &input, Default::default(), |cx| {
                    Ok::<_, ExecError>((
                        jsonata::integer(
                            m.tolerated_failure_count.as_ref(),
                            "ToleratedFailureCount",
                            cx,
                        )?,
                        jsonata::number(
                            m.tolerated_failure_percentage.as_ref(),
                            "ToleratedFailurePercentage",
                            cx,
                        )?,
                    ))
                })?
            } else {
                (
                    int_field(
                        m.tolerated_failure_count.as_ref(),
                        &scope,
                        "ToleratedFailureCount",
                        st,
                    )?,
                    float_field(
                        m.tolerated_failure_percentage.as_ref(),
                        &scope,
                        "ToleratedFailurePercentage",
                        st,
                    )?,
                )
            };
            if count.is_some_and(|c| c < 0) {
                return Err(ExecError::runtime(
                    "ToleratedFailureCount cannot be negative.",
                ));
            }
            if pct.is_some_and(|p| !(0.0..=100.0).contains(&p)) {
                return Err(ExecError::runtime(
                    "ToleratedFailurePercentage must be between 0 and 100.",
                ));
            }
            Ok((count.map(|c| c as u64), pct))
        })();
        let (count, pct) = match r {
            Ok(x) => x,
            Err(e) => {
                self.fail_state(id, e);
                return;
            }
        };
        self.record(id, |s| {
            s.tolerated_failure_count = count;
            s.tolerated_failure_percentage = pct;
        });
        let mut distributed = false;
        if let Some(t) = self.core.thread_mut(id) {
            let t_phase = &mut t.phase;
            if let Some(f) = t.visit.as_deref_mut().and_then(|v| v.fanout.as_deref_mut()) {
                f.tolerated_count = count;
                f.tolerated_percentage = pct;
                distributed = f.distributed;
                *t_phase = if f.total == 0 {
                    Phase::FanoutDone
                } else {
                    Phase::Blocked
                };
            }
        }
        if distributed {
            self.emit(id, EventType::MapRunStarted, || EventDetails::None);
        }
    }

    /// Starts the next iteration of a Map (no event: the iteration announces itself), and
    /// returns its thread (`None` when none started: the ItemSelector failed the state).
    pub(crate) fn spawn_iteration(&mut self, id: ThreadId) -> Option<ThreadId> {
        let (st, info, sid) = self.current(id)?;
        let StateKind::Map(m) = &st.kind else {
            return None;
        };
        let t = self.core.thread(id)?;
        let v = t.visit.as_ref()?;
        let f = v.fanout.as_ref()?;
        let index = f.next;
        let item = f
            .items
            .as_ref()
            .and_then(|a| a.as_array())
            .and_then(|a| a.get(index))
            .cloned()
            .unwrap_or_default();
        let effective = v.effective.clone();
        let vars = t.vars.clone();
        let distributed = f.distributed;
        let input = match &m.item_selector {
            Some(sel) if m.item_batcher.is_none() => {
                let ctx = Value::Null;
                let scope = Scope::new(&effective, &ctx, &vars);
                match self.map_template(id, st, sel, "ItemSelector", &scope, Some((index, &item))) {
                    Ok(v) => v,
                    Err(e) => {
                        let live = self
                            .core
                            .thread_mut(id)
                            .and_then(|t| t.visit.as_deref_mut())
                            .and_then(|v| v.fanout.take())
                            .map(|f| f.live)
                            .unwrap_or_default();
                        for c in live {
                            self.kill(c);
                        }
                        self.fail_state(id, e);
                        return None;
                    }
                }
            }
            _ => item,
        };
        let bid = info.children.get(sid as usize)?.first().copied()?;
        let parent = self.core.thread(id)?;
        let silent = parent.silent || distributed;
        let start = m.processor.start();
        let phase = match (silent, start) {
            (_, None) => Phase::Finish(Err(ExecError::runtime("StartAt names no state").into())),
            (true, Some(s)) => Phase::Enter {
                state: s,
                input: input.clone(),
            },
            (false, Some(_)) => Phase::IterationStart(input.clone()),
        };
        let mut child =
            self.child_thread(parent, index as u32, bid, phase, Some(index as u32), silent);
        child.parent = Some((id, index as u32));
        if distributed {
            // A Distributed Map's iterations are child executions: they cannot read the outer
            // workflow's variables.
            child.vars = super::io::Vars::default();
        }
        let cid = self.core.spawn(child);
        if let Some(f) = self
            .core
            .thread_mut(id)
            .and_then(|t| t.visit.as_deref_mut())
            .and_then(|v| v.fanout.as_deref_mut())
        {
            f.next += 1;
            f.active += 1;
            f.live.push(cid);
        }
        Some(cid)
    }

    /// A Map template (`ItemSelector`, `BatchInput`, reader/writer `Arguments`) in the state's
    /// query language: JSONPath reads `scope` (its context replaced when `item` is given), JSONata
    /// reads `$states.input` = `scope.input` and `$states.context` with `Map.Item`.
    fn map_template(
        &mut self,
        id: ThreadId,
        st: &State,
        t: &crate::template::Template,
        field: &str,
        scope: &Scope,
        item: Option<(usize, &Value)>,
    ) -> Result<Value, ExecError> {
        let extras = ContextExtras {
            map_item: item,
            ..Default::default()
        };
        if st.query_language == QueryLanguage::Jsonata {
            return self.with_jsonata(id, scope.input, extras, |cx| {
                jsonata::template(t, field, cx)
            });
        }
        match item {
            Some(_) => {
                let ctx = self.context(id, extras);
                self.eval_template(
                    t,
                    &Scope {
                        context: &ctx,
                        ..*scope
                    },
                )
            }
            None => self.eval_template(t, scope),
        }
    }

    /// `ItemReader`, simulated: the data comes from the mock of the Map state (by its name, else
    /// by the reader's resource): a JSON array, a `listObjectsV2`-shaped `{"Contents": [...]}`, or
    /// text read per `ReaderConfig.InputType` (JSON, JSONL, CSV with a header row or
    /// `CSVHeaders`). `ReaderConfig.MaxItems` limits the items.
    fn read_items(
        &mut self,
        id: ThreadId,
        st: &State,
        reader: &crate::model::ItemReader,
        scope: &Scope,
    ) -> Result<Value, ExecError> {
        if let Some(p) = &reader.parameters {
            // Evaluated for its errors, as AWS does before reading.
            self.map_template(id, st, p, "Arguments", scope, None)?;
        }
        let fail = |cause: String| ExecError::new(ErrorName::ItemReaderFailed, cause);
        let seq = self.options.mocks.sequence(&st.name, &reader.resource.value).ok_or_else(|| {
            fail(format!(
                "No data for the ItemReader of Map state '{}' ({}): mock the state's name with {{\"Return\": [items...]}}",
                st.name, reader.resource.value
            ))
        })?;
        let index = self.next_mock_index(id);
        let data = match seq.response(index).map(|r| &r.outcome) {
            Some(MockOutcome::Return(v)) => v.clone(),
            Some(MockOutcome::Throw { error, cause }) => {
                return Err(fail(format!("{error}: {}", cause.as_deref().unwrap_or(""))));
            }
            None => {
                return Err(fail(format!(
                    "No mocked ItemReader data for invocation {index} of '{}'",
                    st.name
                )));
            }
        };
        let config = reader.reader_config.as_ref().map(|c| &c.value);
        let input_type = config
            .and_then(|c| c.get("InputType"))
            .and_then(Value::as_str)
            .unwrap_or("JSON");
        let items = match data {
            Value::Array(_) => data,
            Value::Object(ref o) if o.contains_key("Contents") => {
                o.get("Contents").cloned().unwrap_or_default()
            }
            Value::String(ref text) => match input_type {
                "CSV" => parse_csv(
                    text,
                    config
                        .and_then(|c| c.get("CSVHeaders"))
                        .and_then(Value::as_array),
                ),
                "JSONL" => Value::array(
                    text.lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(Value::parse)
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|e| fail(format!("JSONL line is not JSON: {e}")))?,
                ),
                _ => {
                    Value::parse(text).map_err(|e| fail(format!("the object is not JSON: {e}")))?
                }
            },
            other => other,
        };
        if !matches!(items, Value::Array(_)) {
            return Err(fail(format!(
                "the ItemReader data is a {}, not an array of items",
                items.type_name()
            )));
        }
        let max = config
            .and_then(|c| c.get("MaxItems"))
            .and_then(Value::as_i64)
            .filter(|n| *n > 0);
        Ok(match (max, items.as_array()) {
            (Some(n), Some(a)) if (n as usize) < a.len() => {
                Value::array(a.as_slice()[..n as usize].to_vec())
            }
            _ => items,
        })
    }

    pub(crate) fn fanout_done(&mut self, id: ThreadId) {
        let Some(t) = self.core.thread_mut(id) else {
            return;
        };
        let Some(f) = t.visit.as_deref_mut().and_then(|v| v.fanout.as_deref_mut()) else {
            return;
        };
        if f.is_map && f.distributed && !f.run_reported {
            f.run_reported = true;
            t.phase = Phase::FanoutDone;
            self.emit(id, EventType::MapRunSucceeded, || EventDetails::None);
            return;
        }
        let mut results = std::mem::take(&mut f.results).into_value();
        let is_map = f.is_map;
        if is_map
            && let Some(StateKind::Map(m)) = self.current(id).map(|(st, _, _)| &st.kind)
            && let Some(w) = &m.result_writer
        {
            results = self.write_results(id, w);
        }
        let Some(t) = self.core.thread_mut(id) else {
            return;
        };
        t.phase = Phase::ProcessResult(results);
        if is_map {
            self.emit(id, EventType::MapStateSucceeded, || EventDetails::None);
        }
    }

    pub(crate) fn fanout_failed(&mut self, id: ThreadId, fault: Fault) {
        let aborted = self
            .core
            .thread_mut(id)
            .and_then(|t| t.visit.as_deref_mut())
            .and_then(|v| v.fanout.as_deref_mut())
            .and_then(|f| f.aborted.pop());
        if let Some(index) = aborted {
            let name = self
                .current(id)
                .map(|(st, _, _)| st.name.clone())
                .unwrap_or_else(|| "".into());
            self.set_phase(id, Phase::FanoutFailed(fault));
            self.emit(id, EventType::MapIterationAborted, || {
                EventDetails::MapIteration {
                    name,
                    index: index as usize,
                }
            });
            return;
        }
        // A retried Parallel/Map starts again without reporting the failure (as AWS records).
        if self.try_retry(id, &fault) {
            return;
        }
        let Some(t) = self.core.thread_mut(id) else {
            return;
        };
        let Some(f) = t.visit.as_deref_mut().and_then(|v| v.fanout.as_deref_mut()) else {
            t.phase = Phase::Recover(fault);
            return;
        };
        let (error, cause) = (fault.error.clone(), fault.cause.clone());
        if f.is_map && f.distributed && !f.run_reported {
            f.run_reported = true;
            t.phase = Phase::FanoutFailed(fault);
            self.emit(id, EventType::MapRunFailed, || EventDetails::Failure {
                error,
                cause,
                resource: None,
            });
            return;
        }
        let ev = if f.is_map {
            EventType::MapStateFailed
        } else {
            EventType::ParallelStateFailed
        };
        t.phase = Phase::Recover(fault);
        self.emit(id, ev, || EventDetails::Failure {
            error,
            cause,
            resource: None,
        });
    }
}

impl Engine<'_> {
    /// `ResultWriter`, simulated: what AWS returns once it wrote the results to S3.
    fn write_results(&mut self, id: ThreadId, w: &crate::model::ResultWriter) -> Value {
        let params = match &w.parameters {
            Some(p) => {
                let input = self
                    .core
                    .thread(id)
                    .and_then(|t| t.visit.as_ref())
                    .map(|v| v.effective.clone())
                    .unwrap_or_default();
                let vars = self
                    .core
                    .thread(id)
                    .map(|t| t.vars.clone())
                    .unwrap_or_default();
                let ctx = self.context(id, ContextExtras::default());
                let st = self.current(id).map(|(st, _, _)| st);
                match st {
                    Some(st) => self
                        .map_template(
                            id,
                            st,
                            p,
                            "Arguments",
                            &Scope::new(&input, &ctx, &vars),
                            None,
                        )
                        .unwrap_or_default(),
                    None => Value::Null,
                }
            }
            None => Value::Null,
        };
        let run_id = self.core.rng.uuid_v4();
        let names = &self.options.names;
        let map_run_arn = format!(
            "arn:{}:states:{}:{}:mapRun:{}/{}:{}",
            names.partition,
            names.region,
            names.account,
            names.state_machine_name,
            names.execution_name,
            run_id
        );
        let prefix = params.get("Prefix").and_then(Value::as_str).unwrap_or("");
        let key = if prefix.is_empty() {
            format!("{run_id}/manifest.json")
        } else {
            format!("{prefix}/{run_id}/manifest.json")
        };
        let mut details = Object::new();
        details.insert(
            "Bucket".into(),
            params.get("Bucket").cloned().unwrap_or_default(),
        );
        details.insert("Key".into(), Value::from(key));
        let mut out = Object::new();
        out.insert("MapRunArn".into(), Value::from(map_run_arn));
        out.insert("ResultWriterDetails".into(), Value::object(details));
        Value::object(out)
    }
}

/// CSV text into objects keyed by the header row (or `CSVHeaders`). Quoted fields may hold
/// commas and doubled quotes.
fn parse_csv(text: &str, headers: Option<&crate::value::Array>) -> Value {
    fn fields(line: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    cur.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => out.push(std::mem::take(&mut cur)),
                (c, _) => cur.push(c),
            }
        }
        out.push(cur);
        out
    }
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<String> = match headers {
        Some(h) => h
            .iter()
            .map(|v| v.as_str().unwrap_or("").to_string())
            .collect(),
        None => lines
            .next()
            .map(|l| fields(l.trim_end_matches('\r')))
            .unwrap_or_default(),
    };
    Value::array(
        lines
            .map(|l| {
                let vals = fields(l.trim_end_matches('\r'));
                let obj: Object = header
                    .iter()
                    .zip(vals.into_iter().chain(std::iter::repeat(String::new())))
                    .map(|(k, v)| (k.as_str().into(), Value::from(v)))
                    .collect();
                Value::object(obj)
            })
            .collect(),
    )
}

/// Groups items into `{"Items": [...]}` batches (plus `"BatchInput"`).
fn batch(items: &Value, per: Option<usize>, batch_input: Option<Value>) -> Value {
    let Some(arr) = items.as_array() else {
        return items.clone();
    };
    let per = per.unwrap_or(arr.len().max(1));
    let batches = arr
        .as_slice()
        .chunks(per.max(1))
        .map(|chunk| {
            let mut obj = Object::with_capacity(2);
            if let Some(bi) = &batch_input {
                obj.insert("BatchInput".into(), bi.clone());
            }
            obj.insert("Items".into(), Value::array(chunk.to_vec()));
            Value::object(obj)
        })
        .collect();
    Value::array(batches)
}
