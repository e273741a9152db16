//! Input and output processing of JSONPath-mode states, and what a state's paths can see.
//!
//! Owns the processing steps in AWS's order (InputPath → Parameters → task → ResultSelector →
//! ResultPath → OutputPath), the workflow-variable scopes (`Vars`: a Parallel branch or Map
//! iteration reads the variables of its parent scope and writes only its own) with AWS's size
//! limits on what an `Assign` stores (both query languages), the context object
//! (`$$`) and the analysis of which states need it (building `$$` costs a timestamp format, so
//! states that never read it skip that).
//!
//! Not owned here: path and template semantics ([`crate::path`], [`crate::template`]), which state
//! runs when (`exec::engine`).

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::error::{ErrorName, ExecError};
use crate::intrinsics::{Arg, Call};
use crate::model::{Dynamic, NullablePath};
use crate::path::{Path, Root, Scope, Variables};
use crate::template::{Template, TemplateNode};
use crate::value::{Key, Object, Value};

/// The variables visible to a thread: its own, then its parent scopes'.
#[derive(Clone, Default, Debug)]
pub(crate) struct Vars {
    own: Option<Arc<Own>>,
    parent: Option<Arc<Vars>>,
    /// [`Vars::visible`], made once per set of values: the inspector's stages record it on
    /// every state entry, and most states assign nothing.
    visible: std::sync::OnceLock<Option<Value>>,
}

/// No variables, borrowed where a scope is needed and the thread has none: a static, so an
/// evaluation does not make and drop an empty scope each time.
pub(crate) static NO_VARS: Vars = Vars {
    own: None,
    parent: None,
    visible: std::sync::OnceLock::new(),
};

/// A scope's own variables, in the order first assigned. A definition assigns a handful, which a
/// short scan finds faster than hashing the name (the JSONata Pass loop reads `$counter` on
/// every state); from [`Own::INDEX_FROM`] variables on, a name → position table keeps lookups
/// O(1).
#[derive(Clone, Default, Debug)]
struct Own {
    entries: Vec<(Key, Value)>,
    index: Option<FxHashMap<Key, usize>>,
}

impl Own {
    const INDEX_FROM: usize = 12;

    fn find(&self, name: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(name).copied(),
            // Names are short: compared by words, not through a call to `memcmp`.
            None => self
                .entries
                .iter()
                .position(|(k, _)| crate::value::same_bytes(k.as_bytes(), name.as_bytes())),
        }
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.find(name).map(|i| &self.entries[i].1)
    }

    fn set(&mut self, name: &Key, value: &Value) {
        if let Some(i) = self.find(name) {
            self.entries[i].1 = value.clone();
            return;
        }
        if let Some(index) = &mut self.index {
            index.insert(name.clone(), self.entries.len());
        }
        self.entries.push((name.clone(), value.clone()));
        if self.index.is_none() && self.entries.len() >= Self::INDEX_FROM {
            let index = self
                .entries
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (k.clone(), i))
                .collect();
            self.index = Some(index);
        }
    }

    fn iter(&self) -> impl Iterator<Item = (&Key, &Value)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl Vars {
    /// A nested scope (Parallel branch, Map iteration) that reads `self`.
    pub fn child(&self) -> Vars {
        if self.own.is_none() && self.parent.is_none() {
            return Vars::default();
        }
        Vars {
            own: None,
            parent: Some(Arc::new(self.clone())),
            visible: std::sync::OnceLock::new(),
        }
    }

    /// Assigns every member of `assigned` (an object) in this scope.
    pub fn assign(&mut self, assigned: &Value) {
        if let Value::Object(obj) = assigned {
            if obj.is_empty() {
                return;
            }
            self.visible = std::sync::OnceLock::new();
            let own = Arc::make_mut(self.own.get_or_insert_with(Default::default));
            for (k, v) in obj.iter() {
                own.set(k, v);
            }
        }
    }
}

impl Vars {
    /// Bytes of JSON text of every variable visible here (own and outer scopes).
    fn total_len(&self) -> usize {
        let own = self
            .own
            .as_ref()
            .map_or(0, |own| own.iter().map(|(_, v)| v.json_len()).sum());
        own + self.parent.as_ref().map_or(0, |p| p.total_len())
    }

    /// The size of the value `name` holds in this scope (0 when it has none).
    fn own_len(&self, name: &str) -> usize {
        self.own
            .as_ref()
            .and_then(|own| own.get(name))
            .map_or(0, Value::json_len)
    }

    /// AWS's variable limits for an assignment by `state` (`States.DataLimitExceeded`): each value
    /// and all the values of one `Assign` within `per_assign` bytes, and all the variables the
    /// thread holds after it within `total` bytes (sizes as compact JSON text, as AWS counts
    /// payloads).
    pub fn check_assign(
        &self,
        assigned: &Value,
        per_assign: Option<usize>,
        total: Option<usize>,
        state: &str,
    ) -> Result<(), ExecError> {
        let Value::Object(obj) = assigned else {
            return Ok(());
        };
        if per_assign.is_none() && total.is_none() {
            // Limits lifted: no sizes to add up.
            return Ok(());
        }
        let too_big = |what: String, size: usize, limit: usize| {
            ExecError::new(
                ErrorName::DataLimitExceeded,
                format!(
                    "The state/task '{state}' assigned {what} with a size of {size} bytes, exceeding the maximum of {limit} bytes."
                ),
            )
        };
        let mut sum = 0;
        for (k, v) in obj.iter() {
            let len = v.json_len();
            if let Some(limit) = per_assign
                && len > limit
            {
                return Err(too_big(format!("the variable '{k}'"), len, limit));
            }
            sum += len;
        }
        if let Some(limit) = per_assign
            && sum > limit
        {
            return Err(too_big("variables".into(), sum, limit));
        }
        if let Some(limit) = total {
            let replaced: usize = obj.iter().map(|(k, _)| self.own_len(k)).sum();
            let after = self.total_len() - replaced + sum;
            if after > limit {
                return Err(too_big(
                    "variables that bring the execution's variables".into(),
                    after,
                    limit,
                ));
            }
        }
        Ok(())
    }

    /// Every variable visible here, as an object sorted by name (a scope's own shadow its
    /// parents'); `None` when there are none. For the inspector: built only when recorded.
    pub fn visible(&self) -> Option<Value> {
        self.visible.get_or_init(|| self.collect_visible()).clone()
    }

    fn collect_visible(&self) -> Option<Value> {
        // One scope whose names were assigned in order (the common case): no sorting at all.
        if self.parent.is_none()
            && let Some(own) = &self.own
            && own.entries.is_sorted_by(|a, b| a.0 < b.0)
        {
            let mut obj = Object::with_capacity(own.entries.len());
            for (k, v) in &own.entries {
                obj.push_unique(k.clone(), v.clone());
            }
            return (!obj.is_empty()).then(|| Value::object(obj));
        }
        let mut all: Vec<(&Key, &Value)> = Vec::new();
        let mut scope = Some(self);
        while let Some(s) = scope {
            if let Some(own) = &s.own {
                all.extend(own.iter());
            }
            scope = s.parent.as_deref();
        }
        if all.is_empty() {
            return None;
        }
        // A scope's own come before its parents': the stable sort keeps them first among equal
        // names, and only the first of each name stays.
        crate::sort::sort_by(&mut all, |a, b| a.0.cmp(b.0));
        all.dedup_by(|later, earlier| later.0 == earlier.0);
        let mut obj = Object::with_capacity(all.len());
        for (k, v) in all {
            obj.push_unique(k.clone(), v.clone());
        }
        Some(Value::object(obj))
    }
}

impl Vars {
    /// The value `$name` holds here or in an outer scope, borrowed.
    pub fn get_ref(&self, name: &str) -> Option<&Value> {
        if let Some(v) = self.own.as_ref().and_then(|own| own.get(name)) {
            return Some(v);
        }
        self.parent.as_ref().and_then(|p| p.get_ref(name))
    }
}

impl Variables for Vars {
    fn get(&self, name: &str) -> Option<Value> {
        self.get_ref(name).cloned()
    }
}

/// Applies `InputPath` (absent = `$`, null = `{}`).
pub fn input_path(p: Option<&NullablePath>, scope: &Scope) -> Result<Value, ExecError> {
    match p {
        None => Ok(scope.input.clone()),
        Some(NullablePath::Null(_)) => Ok(Value::empty_object()),
        Some(NullablePath::Path(p)) => p.value.eval(scope),
    }
}

/// Applies `OutputPath` (absent = `$`, null = `{}`) to `output`.
pub fn output_path(
    p: Option<&NullablePath>,
    output: Value,
    scope: &Scope,
) -> Result<Value, ExecError> {
    match p {
        None => Ok(output),
        Some(NullablePath::Null(_)) => Ok(Value::empty_object()),
        Some(NullablePath::Path(p)) => p.value.eval(&Scope {
            input: &output,
            ..*scope
        }),
    }
}

/// Applies `ResultPath` (absent = `$`: the result replaces the input; null = keep the input).
pub fn result_path(
    p: Option<&NullablePath>,
    raw_input: &Value,
    result: Value,
) -> Result<Value, ExecError> {
    match p {
        None => Ok(result),
        Some(NullablePath::Null(_)) => Ok(raw_input.clone()),
        Some(NullablePath::Path(p)) => p.value.set(raw_input.clone(), result),
    }
}

/// Whether a path reads the context object.
pub fn path_uses_context(p: &Path) -> bool {
    matches!(p.root(), Root::Context)
}

fn nullable_uses_context(p: Option<&NullablePath>) -> bool {
    matches!(p, Some(NullablePath::Path(p)) if path_uses_context(&p.value))
}

fn call_uses_context(c: &Call) -> bool {
    c.args().iter().any(|a| match a {
        Arg::Path(p) => path_uses_context(p),
        Arg::Call(c) => call_uses_context(c),
        Arg::Literal(_) => false,
    })
}

fn node_uses_context(n: &TemplateNode) -> bool {
    match n {
        TemplateNode::Const(_) | TemplateNode::Jsonata { .. } => false,
        TemplateNode::Object(members) | TemplateNode::ObjectWithRepeats(members) => {
            members.iter().any(|(_, n)| node_uses_context(n))
        }
        TemplateNode::Array(items) => items.iter().any(node_uses_context),
        TemplateNode::Path { path, .. } => path_uses_context(path),
        TemplateNode::Call { call, .. } => call_uses_context(call),
    }
}

pub fn template_uses_context(t: Option<&Template>) -> bool {
    t.is_some_and(|t| node_uses_context(t.root()))
}

pub fn dynamic_uses_context<T>(d: Option<&Dynamic<T>>) -> bool {
    matches!(d, Some(Dynamic::Path(p)) if path_uses_context(&p.value))
}

/// Whether any of the state's JSONPath-mode fields reads `$$` (conservative).
pub fn state_uses_context(state: &crate::model::State) -> bool {
    use crate::model::{Condition, Operand, StateKind, Wait};
    if state.query_language == crate::model::QueryLanguage::Jsonata {
        return jsonata_state_uses_context(state);
    }
    let io = &state.io;
    let mut uses = nullable_uses_context(io.input_path.as_ref())
        || nullable_uses_context(io.output_path.as_ref())
        || template_uses_context(io.parameters.as_ref())
        || template_uses_context(io.result_selector.as_ref())
        || template_uses_context(state.assign.as_ref());
    fn cond(c: &Condition) -> bool {
        match c {
            Condition::And(cs, _) | Condition::Or(cs, _) => cs.iter().any(cond),
            Condition::Not(c, _) => cond(c),
            Condition::Compare(cmp) => {
                path_uses_context(&cmp.variable.value)
                    || matches!(&cmp.operand, Operand::Path(p) if path_uses_context(&p.value))
            }
            Condition::Jsonata(_) => false,
        }
    }
    uses |= match &state.kind {
        StateKind::Choice(c) => c
            .choices
            .iter()
            .any(|r| cond(&r.condition) || template_uses_context(r.assign.as_ref())),
        StateKind::Wait(Wait::Seconds(d)) => dynamic_uses_context(Some(d)),
        StateKind::Wait(Wait::Timestamp(d)) => dynamic_uses_context(Some(d)),
        StateKind::Fail(f) => {
            dynamic_uses_context(f.error.as_ref()) || dynamic_uses_context(f.cause.as_ref())
        }
        StateKind::Task(t) => {
            dynamic_uses_context(t.timeout_seconds.as_ref())
                || dynamic_uses_context(t.heartbeat_seconds.as_ref())
                || t.catch
                    .iter()
                    .any(|c| template_uses_context(c.assign.as_ref()))
        }
        StateKind::Map(m) => {
            nullable_uses_context(m.items_path.as_ref())
                || template_uses_context(m.item_selector.as_ref())
                || dynamic_uses_context(m.max_concurrency.as_ref())
                || dynamic_uses_context(m.tolerated_failure_count.as_ref())
                || dynamic_uses_context(m.tolerated_failure_percentage.as_ref())
                || m.catch
                    .iter()
                    .any(|c| template_uses_context(c.assign.as_ref()))
        }
        StateKind::Parallel(p) => p
            .catch
            .iter()
            .any(|c| template_uses_context(c.assign.as_ref())),
        _ => false,
    };
    uses
}

/// Whether an expression may read `$states.context`: any `$states` not followed by `.input`,
/// `.result` or `.errorOutput` counts (`$states.context`, `$states.*`, `$string($states)`), so
/// the answer errs towards building `$$`.
pub fn jsonata_reads_context(src: &str) -> bool {
    src.match_indices("$states").any(|(i, _)| {
        let rest = src[i + 7..].trim_start();
        let Some(member) = rest.strip_prefix('.') else {
            return true;
        };
        let member = member.trim_start();
        !["input", "result", "errorOutput"].iter().any(|m| {
            member
                .strip_prefix(m)
                .is_some_and(|t| !t.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
        })
    })
}

fn jsonata_node_uses_context(n: &TemplateNode) -> bool {
    match n {
        TemplateNode::Jsonata { source, .. } => jsonata_reads_context(source),
        TemplateNode::Object(members) | TemplateNode::ObjectWithRepeats(members) => {
            members.iter().any(|(_, n)| jsonata_node_uses_context(n))
        }
        TemplateNode::Array(items) => items.iter().any(jsonata_node_uses_context),
        TemplateNode::Const(_) | TemplateNode::Path { .. } | TemplateNode::Call { .. } => false,
    }
}

/// Whether any expression of a JSONata state may read `$states.context` (conservative).
fn jsonata_state_uses_context(state: &crate::model::State) -> bool {
    use crate::model::{Condition, StateKind, Wait};
    let t = |t: Option<&Template>| t.is_some_and(|t| jsonata_node_uses_context(t.root()));
    fn d<T>(d: Option<&Dynamic<T>>) -> bool {
        matches!(d, Some(Dynamic::Jsonata(j)) if jsonata_reads_context(&j.source))
    }
    let catchers = |cs: &[crate::model::Catcher]| {
        cs.iter()
            .any(|c| t(c.assign.as_ref()) || t(c.output.as_ref()))
    };
    let own =
        t(state.io.arguments.as_ref()) || t(state.assign.as_ref()) || t(state.output.as_ref());
    own || match &state.kind {
        StateKind::Choice(c) => c.choices.iter().any(|r| {
            matches!(&r.condition, Condition::Jsonata(j) if jsonata_reads_context(&j.source))
                || t(r.assign.as_ref())
                || t(r.output.as_ref())
        }),
        StateKind::Wait(Wait::Seconds(x)) => d(Some(x)),
        StateKind::Wait(Wait::Timestamp(x)) => d(Some(x)),
        StateKind::Fail(f) => d(f.error.as_ref()) || d(f.cause.as_ref()),
        StateKind::Task(k) => {
            d(k.timeout_seconds.as_ref()) || d(k.heartbeat_seconds.as_ref()) || catchers(&k.catch)
        }
        StateKind::Parallel(p) => catchers(&p.catch),
        StateKind::Map(m) => {
            t(m.items.as_ref())
                || t(m.item_selector.as_ref())
                || d(m.max_concurrency.as_ref())
                || d(m.tolerated_failure_count.as_ref())
                || d(m.tolerated_failure_percentage.as_ref())
                || m.item_reader
                    .as_ref()
                    .is_some_and(|r| t(r.parameters.as_ref()))
                || m.result_writer
                    .as_ref()
                    .is_some_and(|w| t(w.parameters.as_ref()))
                || m.item_batcher
                    .as_ref()
                    .is_some_and(|b| t(b.batch_input.as_ref()) || d(b.max_items_per_batch.as_ref()))
                || catchers(&m.catch)
        }
        _ => false,
    }
}

/// The execution-level names the context object and ARNs are built from.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ExecNames {
    pub partition: String,
    pub region: String,
    pub account: String,
    pub state_machine_name: String,
    pub execution_name: String,
    pub role_arn: String,
}

impl Default for ExecNames {
    fn default() -> Self {
        ExecNames {
            partition: "aws".into(),
            region: "us-east-1".into(),
            account: "123456789012".into(),
            state_machine_name: "StateMachine".into(),
            execution_name: "local-execution".into(),
            role_arn: "arn:aws:iam::123456789012:role/StepFunctionsRole".into(),
        }
    }
}

impl ExecNames {
    /// The names LocalStack's snapshot tool masks AWS's values with (see the conformance README).
    pub fn conformance_placeholders() -> ExecNames {
        ExecNames {
            partition: "<partition>".into(),
            region: "<region>".into(),
            account: "111111111111".into(),
            state_machine_name: "<ArnPart_0idx>".into(),
            execution_name: "<ExecArnPart_0idx>".into(),
            role_arn: "snf_role_arn".into(),
        }
    }

    pub fn state_machine_arn(&self) -> String {
        format!(
            "arn:{}:states:{}:{}:stateMachine:{}",
            self.partition, self.region, self.account, self.state_machine_name
        )
    }

    pub fn execution_arn(&self) -> String {
        format!(
            "arn:{}:states:{}:{}:execution:{}:{}",
            self.partition, self.region, self.account, self.state_machine_name, self.execution_name
        )
    }
}

/// `$$.Execution` and `$$.StateMachine`, built once per execution.
pub fn execution_context(names: &ExecNames, input: &Value, start_time: &str) -> (Value, Value) {
    let mut ex = Object::with_capacity(6);
    ex.insert("Id".into(), Value::from(names.execution_arn()));
    ex.insert("Input".into(), input.clone());
    ex.insert("StartTime".into(), Value::from(start_time));
    ex.insert("Name".into(), Value::from(names.execution_name.as_str()));
    ex.insert("RoleArn".into(), Value::from(names.role_arn.as_str()));
    ex.insert("RedriveCount".into(), Value::from_i64(0));
    let mut sm = Object::with_capacity(2);
    sm.insert("Id".into(), Value::from(names.state_machine_arn()));
    sm.insert(
        "Name".into(),
        Value::from(names.state_machine_name.as_str()),
    );
    (Value::object(ex), Value::object(sm))
}

/// Extra members of `$$` for one evaluation.
#[derive(Default)]
pub struct ContextExtras<'a> {
    pub retry_count: Option<u32>,
    pub task_token: Option<&'a str>,
    pub map_item: Option<(usize, &'a Value)>,
}

/// Builds `$$` for a state.
pub fn state_context(
    execution: &Value,
    state_machine: &Value,
    name: &Arc<str>,
    entered_time: &str,
    extras: ContextExtras<'_>,
) -> Value {
    let mut ctx = Object::with_capacity(5);
    ctx.insert("Execution".into(), execution.clone());
    ctx.insert("StateMachine".into(), state_machine.clone());
    let mut st = Object::with_capacity(3);
    st.insert("Name".into(), Value::String(name.clone()));
    st.insert("EnteredTime".into(), Value::from(entered_time));
    if let Some(n) = extras.retry_count {
        st.insert("RetryCount".into(), Value::from_i64(n as i64));
    }
    ctx.insert("State".into(), Value::object(st));
    if let Some(token) = extras.task_token {
        let mut task = Object::with_capacity(1);
        task.insert("Token".into(), Value::from(token));
        ctx.insert("Task".into(), Value::object(task));
    }
    if let Some((index, value)) = extras.map_item {
        let mut item = Object::with_capacity(2);
        item.insert("Index".into(), Value::from_i64(index as i64));
        item.insert("Value".into(), value.clone());
        let mut map = Object::with_capacity(1);
        map.insert("Item".into(), Value::object(item));
        ctx.insert("Map".into(), Value::object(map));
    }
    Value::object(ctx)
}

/// `{"Error": e, "Cause": c}`, the value a Catcher passes on.
pub fn error_output(error: Option<&str>, cause: Option<&str>) -> Value {
    let mut obj = Object::with_capacity(2);
    obj.insert("Error".into(), error.map_or(Value::Null, Value::from));
    obj.insert("Cause".into(), Value::from(cause.unwrap_or("")));
    Value::object(obj)
}

/// Whether [`check_size`] passes `v`, without naming the state (a caller whose name is costly
/// to read checks this first).
pub fn fits(v: &Value, limit: Option<usize>) -> bool {
    limit.is_none_or(|limit| v.json_len() <= limit) && v.depth() as usize <= MAX_VALUE_DEPTH
}

/// The payload size check (AWS: 256 KiB per state input/output).
pub fn check_size(v: &Value, limit: Option<usize>, state: &str) -> Result<(), ExecError> {
    match limit {
        Some(limit) if v.json_len() > limit => Err(ExecError::new(
            ErrorName::DataLimitExceeded,
            format!(
                "The state/task '{state}' returned a result with a size exceeding the maximum number of bytes service limit."
            ),
        )),
        _ => check_depth(v, state),
    }
}

/// Values nest at most [`MAX_VALUE_DEPTH`] levels. Not an AWS limit (AWS documents none): ours,
/// because a loop can nest a value one level deeper per pass while it stays under 256 KiB, and
/// everything that walks a value (printing it, dropping it, converting it for JavaScript)
/// recurses and would overflow the stack instead of failing the execution.
pub fn check_depth(v: &Value, state: &str) -> Result<(), ExecError> {
    let depth = v.depth();
    if depth as usize > MAX_VALUE_DEPTH {
        return Err(ExecError::runtime(format!(
            "The state/task '{state}' returned a result nested {depth} levels deep; this simulator supports at most {MAX_VALUE_DEPTH} levels."
        )));
    }
    Ok(())
}

/// The deepest value a state may output (see [`check_depth`]): the JSON parser's limit, so
/// everything an execution holds can also be written as text and read back.
pub const MAX_VALUE_DEPTH: usize = crate::syntax::MAX_DEPTH;

/// A value as AWS quotes it in an error: a string's text, anything else as JSON.
pub fn shown(v: &Value) -> String {
    v.as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_json_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Value {
        Value::parse(text).expect("json")
    }

    /// As text: the order of the names counts.
    fn json(vars: &Vars) -> Option<String> {
        vars.visible().map(|o| o.to_json_string())
    }

    #[test]
    fn fits_passes_exactly_what_check_size_passes() {
        // `fits` restates check_size's two conditions so a caller can skip naming the state:
        // the two must agree on either side of the size limit and of the depth limit.
        let nested = |n: usize| (0..n).fold(Value::Null, |v, _| Value::array(vec![v]));
        let text = |n: usize| Value::from("x".repeat(n).as_str());
        let values = [
            v("{}"),
            text(8),
            text(9),
            text(10),
            nested(MAX_VALUE_DEPTH - 1),
            nested(MAX_VALUE_DEPTH),
            nested(MAX_VALUE_DEPTH + 1),
        ];
        for value in &values {
            for limit in [None, Some(0), Some(10), Some(11), Some(usize::MAX)] {
                assert_eq!(
                    fits(value, limit),
                    check_size(value, limit, "S").is_ok(),
                    "{} bytes, depth {}, limit {limit:?}",
                    value.json_len(),
                    value.depth()
                );
            }
        }
        // Both sides of each limit are among the cases.
        assert!(fits(&text(9), Some(11)) && !fits(&text(10), Some(11)));
        assert!(fits(&nested(MAX_VALUE_DEPTH), None) && !fits(&nested(MAX_VALUE_DEPTH + 1), None));
    }

    #[test]
    fn visible_variables_are_sorted_with_a_scope_shadowing_its_parents_and_follow_assignments() {
        let mut root = Vars::default();
        assert_eq!(root.visible(), None);
        root.assign(&v(r#"{"b": 1, "a": 2}"#));
        assert_eq!(json(&root), Some(r#"{"a": 2, "b": 1}"#.replace(' ', "")));
        let mut child = root.child();
        assert_eq!(json(&child), Some(r#"{"a": 2, "b": 1}"#.replace(' ', "")));
        child.assign(&v(r#"{"b": "own", "c": null}"#));
        assert_eq!(
            json(&child),
            Some(r#"{"a": 2, "b": "own", "c": null}"#.replace(' ', ""))
        );
        // Read once (cached), then changed: the next read sees the change.
        root.assign(&v(r#"{"a": 3}"#));
        assert_eq!(json(&root), Some(r#"{"a": 3, "b": 1}"#.replace(' ', "")));
        assert_eq!(child.get_ref("a"), Some(&v("2")));
        // Enough variables for the name table: every one still found, in order.
        let many: String = (0..30)
            .map(|i| format!(r#""v{i:02}": {i}"#))
            .collect::<Vec<_>>()
            .join(",");
        root.assign(&v(&format!("{{{many}}}")));
        assert_eq!(root.get_ref("v17"), Some(&v("17")));
        root.assign(&v(r#"{"v17": "again"}"#));
        assert_eq!(root.get_ref("v17"), Some(&v(r#""again""#)));
        assert_eq!(
            root.visible().map(|o| o.as_object().map(Object::len)),
            Some(Some(32))
        );
    }
}
