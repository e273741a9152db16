//! JSONata-mode fields of a state: evaluating `{% … %}` expressions and templates with `$states`
//! and the workflow variables, and what each state type does with them.
//!
//! Owns [`Cx`] (one evaluation's variables: `$states` built once per state step from shared
//! values, the thread's variable scope read in place, the virtual clock and a seed drawn from the
//! execution's generator), the evaluation of compiled expressions ([`crate::model::Jsonata`]) and
//! templates ([`Template`] with [`TemplateNode::Jsonata`] nodes) with AWS's
//! `States.QueryEvaluationError` causes (`The JSONata expression '…' specified for the field
//! 'Output/a' returned nothing (undefined).`), and the JSONata flow of each state type: Pass,
//! Succeed, Choice (`Condition`, per-rule `Output`/`Assign`), Wait (`Seconds`/`Timestamp`), Fail
//! (`Error`/`Cause`), Task and Parallel (`Arguments`), Map (`Items`, `ItemSelector`, numeric
//! settings), result processing (`Output`/`Assign` with `$states.result`) and Catchers
//! (`$states.errorOutput`).
//!
//! Defaults as AWS records them: without `Output`, Task/Parallel/Map output their result, a
//! Catcher its error output, every other state its input; without `Arguments` the request is the
//! input. `Assign` and `Output` both see the variables as they were when the state was entered.
//!
//! Not owned here: the JSONata language ([`crate::jsonata`]), scheduling and events
//! ([`super::engine`]), the JSONPath-mode flow ([`super::states`], [`super::fanout`]).

use std::sync::Arc;

use crate::error::{ErrorName, ExecError};
use crate::jsonata::{self as jn, EvalEnv, Expr, UNSUPPORTED_RESULT};
use crate::model::{Condition, Dynamic, Jsonata, State, StateKind, Wait};
use crate::path::Variables as _;
use crate::template::{Template, TemplateNode};
use crate::value::{Array, Object, Value};

use super::engine::{Engine, Fault, Phase, ThreadId};
use super::io::{ContextExtras, NO_VARS, Vars};
use super::states::Next;

/// What one evaluation sees: `$states`, the workflow variables and the outside world.
pub(crate) struct Cx<'a> {
    pub vars: &'a Vars,
    pub states: States,
    pub env: EvalEnv,
}

/// Whether `a` is `b`, compared by words (`value::same_bytes`): in wasm, `==` on strings calls a
/// byte-by-byte `memcmp`, and every `$states.…` and `$variable` read starts with these tests.
fn is(a: &str, b: &str) -> bool {
    crate::value::same_bytes(a.as_bytes(), b.as_bytes())
}

impl jn::Variables for Cx<'_> {
    fn get(&self, name: &str) -> Option<Value> {
        if is(name, "states") {
            Some(self.states.value().clone())
        } else {
            self.vars.get(name)
        }
    }

    fn get_ref(&self, name: &str) -> Option<Option<&Value>> {
        Some(if is(name, "states") {
            Some(self.states.value())
        } else {
            self.vars.get_ref(name)
        })
    }

    fn get_member(&self, name: &str, key: &str) -> Option<Option<&Value>> {
        is(name, "states").then(|| self.states.member(key))
    }
}

/// `$states`: `input` and `context`, plus `result` (Task/Parallel/Map `Output` and `Assign`) or
/// `errorOutput` (a Catcher's). Members are shared values, never copies; the object itself is
/// built only if an expression reads `$states` whole (`$states.input` is answered directly).
pub(crate) struct States {
    input: Value,
    context: Value,
    extra: Option<(&'static str, Value)>,
    whole: std::cell::OnceCell<Value>,
}

impl States {
    fn member(&self, key: &str) -> Option<&Value> {
        if is(key, "input") {
            Some(&self.input)
        } else if is(key, "context") {
            Some(&self.context)
        } else {
            self.extra
                .as_ref()
                .filter(|(k, _)| is(k, key))
                .map(|(_, v)| v)
        }
    }

    fn value(&self) -> &Value {
        self.whole.get_or_init(|| {
            let mut obj = Object::with_capacity(3);
            obj.push_unique("input".into(), self.input.clone());
            obj.push_unique("context".into(), self.context.clone());
            if let Some((k, v)) = &self.extra {
                obj.push_unique((*k).into(), v.clone());
            }
            Value::object(obj)
        })
    }
}

/// `$states` of an evaluation (see [`States`]).
pub(crate) fn states_value(
    input: &Value,
    context: &Value,
    extra: Option<(&'static str, &Value)>,
) -> States {
    States {
        input: input.clone(),
        context: context.clone(),
        extra: extra.map(|(k, v)| (k, v.clone())),
        whole: std::cell::OnceCell::new(),
    }
}

/// Why an expression failed, before the field path is known.
enum Why {
    Undefined,
    Threw(String),
    Unsupported,
}

struct NodeError {
    source: String,
    why: Why,
    /// Keys and indexes from the failing node up to the field (innermost first).
    path: Vec<String>,
}

fn query_error(cause: String) -> ExecError {
    ExecError::new(ErrorName::QueryEvaluationError, cause)
}

impl NodeError {
    fn into_exec(self, field: &str) -> ExecError {
        let mut at = field.to_string();
        for seg in self.path.iter().rev() {
            at.push('/');
            at.push_str(seg);
        }
        let what = match self.why {
            Why::Undefined => "returned nothing (undefined).".to_string(),
            Why::Unsupported => "returned an unsupported result type.".to_string(),
            Why::Threw(e) => format!("threw an error during evaluation. {e}"),
        };
        query_error(format!(
            "The JSONata expression '{}' specified for the field '{at}' {what}",
            self.source
        ))
    }
}

fn eval_source(source: &str, expr: Option<&Expr>, cx: &Cx) -> Result<Value, NodeError> {
    // The source is copied only when the expression fails (it goes into the cause).
    let fail = |why| NodeError {
        source: source.into(),
        why,
        path: Vec::new(),
    };
    let Some(expr) = expr else {
        let msg = Expr::compile(source).err().map_or_else(
            || "the expression does not compile".into(),
            |e| e.to_string(),
        );
        return Err(fail(Why::Threw(msg)));
    };
    match expr.evaluate_opt(None, cx, &cx.env) {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(fail(Why::Undefined)),
        Err(e) if e.code == UNSUPPORTED_RESULT => Err(fail(Why::Unsupported)),
        Err(e) => Err(fail(Why::Threw(e.to_string()))),
    }
}

fn eval_node(node: &TemplateNode, cx: &Cx) -> Result<Value, NodeError> {
    match node {
        TemplateNode::Const(v) => Ok(v.clone()),
        TemplateNode::Object(members) | TemplateNode::ObjectWithRepeats(members) => {
            let distinct = matches!(node, TemplateNode::Object(_));
            let mut obj = Object::with_capacity(members.len());
            for (k, n) in members.iter() {
                let v = eval_node(n, cx).map_err(|mut e| {
                    e.path.push(k.to_string());
                    e
                })?;
                // Distinct keys (checked when compiled): no lookup per member.
                if distinct {
                    obj.push_unique(k.clone(), v);
                } else {
                    obj.insert(k.clone(), v);
                }
            }
            Ok(Value::object(obj))
        }
        TemplateNode::Array(items) => {
            let mut arr = Array::from_vec(Vec::with_capacity(items.len()));
            for (i, n) in items.iter().enumerate() {
                arr.push(eval_node(n, cx).map_err(|mut e| {
                    e.path.push(i.to_string());
                    e
                })?);
            }
            Ok(Value::Array(Arc::new(arr)))
        }
        TemplateNode::Jsonata { source, expr, .. } => eval_source(source, expr.as_deref(), cx),
        // `compile_jsonata` makes neither; a `.$` key is a plain key in JSONata mode.
        TemplateNode::Path { field, .. } | TemplateNode::Call { field, .. } => Err(NodeError {
            source: field.to_string(),
            why: Why::Threw("JSONPath is not evaluated in a JSONata state".into()),
            path: Vec::new(),
        }),
    }
}

/// Evaluates a JSONata-mode template (`Output`, `Assign`, `Arguments`, `ItemSelector`…) for
/// `field`.
pub(crate) fn template(t: &Template, field: &str, cx: &Cx) -> Result<Value, ExecError> {
    eval_node(t.root(), cx).map_err(|e| e.into_exec(field))
}

/// Evaluates a single expression for `field`.
pub(crate) fn expr(j: &Jsonata, field: &str, cx: &Cx) -> Result<Value, ExecError> {
    // Trimmed only for an error's cause (or to report why it does not compile): a Choice
    // evaluates its `Condition` on every visit.
    let source = match &j.expr {
        Some(_) => &j.source[..],
        None => j.source.trim(),
    };
    eval_source(source, j.expr.as_deref(), cx).map_err(|mut e| {
        e.source = e.source.trim().to_string();
        e.into_exec(field)
    })
}

/// `…returned an unexpected result type. Expected 'array', but was 'number' for value: 1`.
pub(crate) fn unexpected_type(source: &str, field: &str, expected: &str, v: &Value) -> ExecError {
    query_error(format!(
        "The JSONata expression '{}' specified for the field '{field}' returned an unexpected result type. Expected '{expected}', but was '{}' for value: {}",
        source.trim(),
        v.type_name(),
        v.to_json_string()
    ))
}

/// A whole-number field (`TimeoutSeconds`, `Seconds`, `MaxConcurrency`…): a literal or an
/// expression that must give a number with an integer value.
pub(crate) fn integer(
    d: Option<&Dynamic<u64>>,
    field: &str,
    cx: &Cx,
) -> Result<Option<i64>, ExecError> {
    match d {
        None => Ok(None),
        Some(Dynamic::Literal(v)) => Ok(Some(v.value as i64)),
        Some(Dynamic::Jsonata(j)) => {
            let v = expr(j, field, cx)?;
            let Value::Number(n) = &v else {
                return Err(unexpected_type(&j.source, field, "number", &v));
            };
            match n.as_i64() {
                Some(i) => Ok(Some(i)),
                None => match n.as_f64() {
                    Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
                    _ => Err(query_error(format!(
                        "The {field} field cannot be parsed as an integer: {n}"
                    ))),
                },
            }
        }
        Some(Dynamic::Path(_) | Dynamic::Call(_)) => Err(query_error(format!(
            "The {field} field of a JSONata state cannot be a path"
        ))),
    }
}

/// A number field (`ToleratedFailurePercentage`).
pub(crate) fn number(
    d: Option<&Dynamic<f64>>,
    field: &str,
    cx: &Cx,
) -> Result<Option<f64>, ExecError> {
    match d {
        None => Ok(None),
        Some(Dynamic::Literal(v)) => Ok(Some(v.value)),
        Some(Dynamic::Jsonata(j)) => {
            let v = expr(j, field, cx)?;
            match v.as_f64() {
                Some(f) => Ok(Some(f)),
                None => Err(unexpected_type(&j.source, field, "number", &v)),
            }
        }
        Some(Dynamic::Path(_) | Dynamic::Call(_)) => Err(query_error(format!(
            "The {field} field of a JSONata state cannot be a path"
        ))),
    }
}

/// A text field (Fail `Error`/`Cause`, Wait `Timestamp`): a literal or an expression giving a
/// string.
pub(crate) fn text(
    d: Option<&Dynamic<Arc<str>>>,
    field: &str,
    cx: &Cx,
) -> Result<Option<Arc<str>>, ExecError> {
    match d {
        None => Ok(None),
        Some(Dynamic::Literal(s)) => Ok(Some(s.value.clone())),
        Some(Dynamic::Jsonata(j)) => match expr(j, field, cx)? {
            Value::String(s) => Ok(Some(s)),
            other => Err(unexpected_type(&j.source, field, "string", &other)),
        },
        Some(Dynamic::Path(_) | Dynamic::Call(_)) => Err(query_error(format!(
            "The {field} field of a JSONata state cannot be a path"
        ))),
    }
}

impl Engine<'_> {
    /// Pass, Succeed, Choice, Wait and Fail in JSONata mode.
    pub(crate) fn act_jsonata(&mut self, id: ThreadId, st: &State) -> Result<(), ExecError> {
        let input = self.visit_input(id);
        match &st.kind {
            StateKind::Pass(_) => {
                let states = self.jsonata_states(id, &input, ContextExtras::default(), None);
                let (output, assigned) = self.jsonata_output_assign(
                    id,
                    st.output.as_ref(),
                    st.assign.as_ref(),
                    states,
                    input.clone(),
                )?;
                self.record(id, |s| s.result = Some(input));
                self.exit_to_next(id, st, output, assigned);
            }
            StateKind::Succeed => {
                let states = self.jsonata_states(id, &input, ContextExtras::default(), None);
                let (output, _) =
                    self.jsonata_output_assign(id, st.output.as_ref(), None, states, input)?;
                self.exit_state(id, st, output, None, Next::End);
            }
            StateKind::Choice(c) => {
                let states = self.jsonata_states(id, &input, ContextExtras::default(), None);
                let env = self.jsonata_env(id);
                let vars = self.core.thread(id).map_or(&NO_VARS, |t| &t.vars);
                let cx = Cx { vars, states, env };
                let mut chosen = None;
                for rule in &c.choices {
                    let Condition::Jsonata(j) = &rule.condition else {
                        continue;
                    };
                    match expr(j, "Condition", &cx)? {
                        Value::Bool(true) => {
                            chosen = Some(rule);
                            break;
                        }
                        Value::Bool(false) => {}
                        other => {
                            return Err(unexpected_type(&j.source, "Condition", "boolean", &other));
                        }
                    }
                }
                let (next, output_t, assign_t) = match chosen {
                    Some(rule) => (
                        rule.next.id,
                        rule.output.as_ref().or(st.output.as_ref()),
                        rule.assign.as_ref().or(st.assign.as_ref()),
                    ),
                    None => match &c.default {
                        Some(d) => (d.id, st.output.as_ref(), st.assign.as_ref()),
                        None => {
                            return Err(ExecError::runtime(
                                "Failed to transition out of the state. The state does not point to a next state.",
                            ));
                        }
                    },
                };
                let Cx { states, .. } = cx;
                let (output, assigned) =
                    self.jsonata_output_assign(id, output_t, assign_t, states, input)?;
                let Some(next) = next else {
                    return Err(ExecError::runtime("The Choice rule's Next names no state"));
                };
                self.exit_state(id, st, output, assigned, Next::State(next));
            }
            StateKind::Wait(w) => {
                let now = self.core.thread(id).map_or(0, |t| t.time);
                let until_ms = self.with_jsonata(id, &input, ContextExtras::default(), |cx| {
                    wait_until(w, now, cx)
                })?;
                if let Some(t) = self.core.thread_mut(id) {
                    t.time = until_ms.max(t.time);
                    t.phase = Phase::WaitDone;
                }
            }
            StateKind::Fail(f) => {
                let (error, cause) =
                    self.with_jsonata(id, &input, ContextExtras::default(), |cx| {
                        Ok::<_, ExecError>((
                            text(f.error.as_ref(), "Error", cx)?,
                            text(f.cause.as_ref(), "Cause", cx)?,
                        ))
                    })?;
                self.set_phase(id, Phase::Finish(Err(Fault { error, cause })));
            }
            _ => {}
        }
        Ok(())
    }

    /// The clock and seed of one JSONata evaluation: the thread's virtual time, and a seed
    /// drawn from the execution's generator (so runs repeat for a given execution seed).
    pub(crate) fn jsonata_env(&mut self, id: ThreadId) -> EvalEnv {
        EvalEnv {
            now_ms: self.core.thread(id).map_or(0, |t| t.time),
            seed: self.core.rng.next_u64(),
            ..EvalEnv::default()
        }
    }

    /// `$states` for the current visit (its input, `$$` with `extras`, and `extra`).
    pub(crate) fn jsonata_states(
        &self,
        id: ThreadId,
        input: &Value,
        extras: ContextExtras<'_>,
        extra: Option<(&'static str, &Value)>,
    ) -> States {
        let ctx = self.context(id, extras);
        states_value(input, &ctx, extra)
    }

    /// Evaluates `Assign` then `Output` (both with the same `$states` and the variables from
    /// state entry): the output (`default` without `Output`) and the assignment.
    pub(crate) fn jsonata_output_assign(
        &mut self,
        id: ThreadId,
        output: Option<&Template>,
        assign: Option<&Template>,
        states: States,
        default: Value,
    ) -> Result<(Value, Option<Value>), ExecError> {
        if output.is_none() && assign.is_none() {
            // Nothing to evaluate (a Choice without them, on every visit): no scope is set up,
            // but the seed is still drawn, so the generator's sequence is the same either way.
            self.core.rng.next_u64();
            return Ok((default, None));
        }
        let env = self.jsonata_env(id);
        // Borrowed from the thread, not cloned (no reference counts touched per evaluation).
        let vars = self.core.thread(id).map_or(&NO_VARS, |t| &t.vars);
        let cx = Cx { vars, states, env };
        let assigned = match assign {
            Some(a) => Some(template(a, "Assign", &cx)?),
            None => None,
        };
        let output = match output {
            Some(o) => template(o, "Output", &cx)?,
            None => default,
        };
        Ok((output, assigned))
    }

    /// Runs `f` with a [`Cx`] for the current visit: `$states.input` is `input`, `$$` has
    /// `extras`.
    pub(crate) fn with_jsonata<R>(
        &mut self,
        id: ThreadId,
        input: &Value,
        extras: ContextExtras<'_>,
        f: impl FnOnce(&Cx) -> R,
    ) -> R {
        let states = self.jsonata_states(id, input, extras, None);
        let env = self.jsonata_env(id);
        // Borrowed from the thread, not cloned (no reference counts touched per evaluation).
        let vars = self.core.thread(id).map_or(&NO_VARS, |t| &t.vars);
        let cx = Cx { vars, states, env };
        f(&cx)
    }

    /// A Map's items in JSONata mode: `Items` (an expression or an array template) or the
    /// input, which must be an array.
    pub(crate) fn jsonata_items(
        &mut self,
        id: ThreadId,
        st: &State,
        m: &crate::model::Map,
        input: &Value,
    ) -> Result<Value, ExecError> {
        let items = match &m.items {
            None => input.clone(),
            Some(t) => self.with_jsonata(id, input, ContextExtras::default(), |cx| {
                let v = template(t, "Items", cx)?;
                match (t.root(), &v) {
                    (_, Value::Array(_)) => Ok(v),
                    (TemplateNode::Jsonata { source, .. }, _) => {
                        Err(unexpected_type(source, "Items", "array", &v))
                    }
                    _ => Err(query_error(format!(
                        "The field 'Items' must be an array but was: {}",
                        v.to_json_string()
                    ))),
                }
            })?,
        };
        if !matches!(items, Value::Array(_)) {
            let _ = st;
            return Err(query_error(format!(
                "Map state input must be an array but was: {}",
                items.to_json_string()
            )));
        }
        Ok(items)
    }
}

/// When a JSONata Wait ends (ms since the epoch): `Seconds` or `Timestamp`, literal or expression.
fn wait_until(w: &Wait, now: i64, cx: &Cx) -> Result<i64, ExecError> {
    const MAX_DELAY_S: i64 = i32::MAX as i64;
    match w {
        Wait::Seconds(d) => {
            let secs = integer(Some(d), "Seconds", cx)?.unwrap_or(0);
            if secs < 0 {
                return Err(query_error(format!(
                    "The Seconds field references a negative value: {secs}"
                )));
            }
            if secs > MAX_DELAY_S {
                return Err(ExecError::runtime("Wait state delay is too long."));
            }
            Ok(now.saturating_add(secs * 1000))
        }
        Wait::Timestamp(d) => {
            let text = text(Some(d), "Timestamp", cx)?.unwrap_or_else(|| "".into());
            let Some(nanos) = super::timestamp::parse_nanos(&text) else {
                return Err(query_error(format!(
                    "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {text}"
                )));
            };
            let target_ms = (nanos / 1_000_000) as i64;
            if (target_ms as i128 - now as i128) / 1000 > MAX_DELAY_S as i128 {
                return Err(ExecError::runtime("Wait state delay is too long."));
            }
            Ok(target_ms.max(now))
        }
        Wait::Missing => Ok(now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax;

    fn cx<'a>(vars: &'a Vars, input: &str) -> Cx<'a> {
        let input = Value::parse(input).expect("json");
        Cx {
            vars,
            states: states_value(&input, &Value::Null, None),
            env: EvalEnv::default(),
        }
    }

    fn compile(text: &str) -> Template {
        Template::compile_jsonata(&syntax::parse(text).expect("json"))
    }

    #[test]
    fn templates_evaluate_at_any_depth_with_states_and_variables() {
        let mut vars = Vars::default();
        vars.assign(&Value::parse(r#"{"x": 5}"#).expect("json"));
        let t =
            compile(r#"{"a": "{% $states.input.n + $x %}", "b": [1, "{% 'k' %}"], "c": "{ % no"}"#);
        let out = template(&t, "Output", &cx(&vars, r#"{"n": 2}"#)).expect("eval");
        assert_eq!(out.to_json_string(), r#"{"a":7,"b":[1,"k"],"c":"{ % no"}"#);
        // `$states` whole (built on demand) and member by member agree.
        let t = compile(
            r#"["{% $states %}", "{% $states.input %}", "{% $states.context %}", "{% $keys($states) %}"]"#,
        );
        let out = template(&t, "Output", &cx(&vars, r#"{"n": 2}"#)).expect("eval");
        assert_eq!(
            out.to_json_string(),
            r#"[{"input":{"n":2},"context":null},{"n":2},null,["input","context"]]"#
        );
    }

    #[test]
    fn numbers_come_out_as_javascript_prints_them() {
        let vars = Vars::default();
        let t = compile(
            r#"{"a": "{% 1e21 %}", "b": "{% 123456789012345680000 %}", "c": "{% 2 * 4503599627370497 %}", "d": "{% $states.input.x * 1 %}", "e": "{% [0.1 + 0.2, 1e-7] %}"}"#,
        );
        let out = template(&t, "Output", &cx(&vars, r#"{"x": 1.0}"#)).expect("eval");
        assert_eq!(
            out.to_json_string(),
            r#"{"a":1e+21,"b":123456789012345680000,"c":9007199254740994,"d":1,"e":[0.30000000000000004,1e-7]}"#
        );
    }

    #[test]
    fn a_catastrophic_regex_on_a_long_input_fails_the_state_instead_of_hanging() {
        let vars = Vars::default();
        let t = compile(r#"{"m": "{% $match($states.input.s, /^(a+)+$/) %}"}"#);
        let input = format!(r#"{{"s": "{}!"}}"#, "a".repeat(60));
        let e = template(&t, "Output", &cx(&vars, &input)).expect_err("refused");
        assert_eq!(e.error, ErrorName::QueryEvaluationError);
        assert!(
            e.cause
                .contains("threw an error during evaluation. D1005: Regular expression /^(a+)+$/"),
            "{}",
            e.cause
        );
    }

    #[test]
    fn failures_name_the_field_path_as_aws_does() {
        let vars = Vars::default();
        let t = compile(r#"{"result": "{% $doesNotExist %}"}"#);
        let e = template(&t, "Output", &cx(&vars, "{}")).expect_err("undefined");
        assert_eq!(e.error, ErrorName::QueryEvaluationError);
        assert_eq!(
            e.cause,
            "The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined)."
        );
        let t = compile(r#"[0, {"k": "{% $hash() %}"}]"#);
        let e = template(&t, "Arguments", &cx(&vars, "{}")).expect_err("threw");
        assert!(
            e.cause.starts_with(
                "The JSONata expression '$hash()' specified for the field 'Arguments/1/k' threw an error during evaluation. T0410: Argument 1 of function"
            ),
            "{}",
            e.cause
        );
        let t = compile(r#""{% function($x){$x} %}""#);
        let e = template(&t, "Items", &cx(&vars, "{}")).expect_err("function");
        assert!(
            e.cause.ends_with("returned an unsupported result type."),
            "{}",
            e.cause
        );
    }
}
