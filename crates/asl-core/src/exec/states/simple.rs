//! Pass, Succeed, Choice, Wait and Fail: their one phase of work each (Wait's two: waiting and
//! done), in both query languages.
//!
//! Not owned here: entering and exiting a state, result processing and Retry/Catch (the parent
//! module), Task ([`super::task`]).

use std::sync::Arc;

use crate::choice;
use crate::error::ExecError;
use crate::model::{Dynamic, QueryLanguage, State, Wait};
use crate::path::{Path, Scope};
use crate::value::Value;

use super::{Next, jsonata_unsupported};
use crate::exec::engine::{Engine, Fault, Phase, ThreadId};
use crate::exec::io::{self, ContextExtras};
use crate::exec::timestamp;

impl Engine<'_> {
    pub(super) fn act_pass(
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

    pub(super) fn act_succeed(&mut self, id: ThreadId, st: &State) -> Result<(), ExecError> {
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

    pub(super) fn act_choice(
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

    pub(super) fn act_wait(&mut self, id: ThreadId, st: &State, w: &Wait) -> Result<(), ExecError> {
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

    pub(super) fn wait_done(&mut self, id: ThreadId) {
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

    pub(super) fn act_fail(
        &mut self,
        id: ThreadId,
        f: &crate::model::Fail,
    ) -> Result<(), ExecError> {
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
