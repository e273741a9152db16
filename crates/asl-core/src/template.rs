//! Payload templates: `Parameters`, `ResultSelector`, `ItemSelector`, JSONPath-mode `Assign`, and
//! the JSONata-mode `Arguments`/`Output`/`Assign` shapes.
//!
//! Owns [`Template`]: a JSON tree compiled once from the definition's [`Node`]. A `"key.$"` member
//! becomes a compiled path (`$…`, `$$…`, `$variable…`) or intrinsic call, written to the output
//! under `key`; every subtree without such members is pre-built as one shared [`Value`], so
//! evaluating a template never rebuilds constants. Compile errors carry the [`Span`] of the
//! offending key or string and a [`TemplateErrorKind`] the validator maps to a diagnostic code.
//!
//! JSONata: [`Template::compile_jsonata`] compiles `{% … %}` strings once into
//! [`TemplateNode::Jsonata`] nodes; the executor evaluates such templates with `$states` and the
//! workflow variables (`exec::jsonata`). [`Template::eval`] is JSONPath-mode only: a JSONata node
//! reached there fails with `States.QueryEvaluationError` (never a guessed value).
//!
//! Not owned here: a Pass state's `Result` (a literal, never a template: use
//! [`Template::literal`] or the value itself), path semantics ([`crate::path`]), intrinsic
//! semantics ([`crate::intrinsics`]).

use std::fmt;
use std::sync::Arc;

use crate::env::Rng;
use crate::error::{ErrorName, ExecError};
use crate::intrinsics::{Call, IntrinsicErrorKind};
use crate::path::{Path, Scope};
use crate::source::Span;
use crate::syntax::{Kind, Node};
use crate::value::{Array, Key, Object, Value};

/// A compiled payload template.
///
/// The root is boxed so that an optional template is one pointer in the model: a state holds
/// up to six (`Parameters`, `Arguments`, `ResultSelector`, `Assign`, `Output`, a Task's
/// `Credentials`), mostly absent, and with them inline (96 bytes each) a Task state spanned
/// 1,016 bytes, so every visit read the absence of each from its own cache line.
#[derive(Clone, Debug)]
pub struct Template {
    root: Box<TemplateNode>,
}

/// One node of a compiled template.
#[derive(Clone, Debug)]
pub enum TemplateNode {
    /// A subtree with nothing to evaluate, built once.
    Const(Value),
    /// An object with at least one dynamic member somewhere below; its keys are distinct.
    Object(Box<[(Key, TemplateNode)]>),
    /// The same, for the rare object whose keys repeat (`"a"` and `"a.$"`): evaluated in order,
    /// a repeated key keeps its first position and takes the last value.
    ObjectWithRepeats(Box<[(Key, TemplateNode)]>),
    /// An array with at least one dynamic item somewhere below.
    Array(Box<[TemplateNode]>),
    /// `"key.$": "$.path"` (also `$$…` and `$var…`); `field` is the key as written (`key.$`).
    Path { path: Path, field: Arc<str> },
    /// `"key.$": "States.Fn(...)"`.
    Call { call: Box<Call>, field: Arc<str> },
    /// A JSONata `{% … %}` string (JSONata states only), compiled (`None`: it does not compile,
    /// which the validator reports).
    Jsonata {
        source: Arc<str>,
        span: Span,
        expr: Option<Arc<crate::jsonata::Expr>>,
    },
}

/// What is wrong with a template member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateErrorKind {
    /// A `.$` value that starts with `$` but does not parse as a path.
    InvalidPath,
    /// A `.$` value that looks like a call but does not parse.
    InvalidIntrinsic,
    UnknownFunction,
    /// Not a compile error but a warning ([`Template::arity_warnings`]): a call with a number of
    /// arguments its function does not take, which AWS accepts at creation and fails at run time.
    WrongArity,
    /// The value of a `key.$` member is not a string.
    NotAString,
    /// The value of a `key.$` member is a string that is neither a path nor an intrinsic call.
    NotAPathOrCall,
}

/// A compile error with the span of the offending token.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateError {
    pub kind: TemplateErrorKind,
    pub span: Span,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TemplateError {}

impl Template {
    /// Compiles a JSONPath-mode template (`Parameters`, `ResultSelector`, `ItemSelector`,
    /// `Assign`). Reports every bad member, not just the first.
    pub fn compile(node: &Node) -> Result<Template, Vec<TemplateError>> {
        let mut errors = Vec::new();
        let root = compile_node(node, &mut errors, false);
        if errors.is_empty() {
            Ok(Template {
                root: Box::new(root),
            })
        } else {
            Err(errors)
        }
    }

    /// The intrinsic calls of a JSONPath-mode template whose number of arguments their function
    /// does not take (kind [`TemplateErrorKind::WrongArity`]). AWS accepts such a definition and
    /// fails when the call runs (see [`crate::intrinsics`]), so these are warnings, not errors.
    pub fn arity_warnings(node: &Node) -> Vec<TemplateError> {
        let mut out = Vec::new();
        collect_arity_warnings(node, &mut out);
        out
    }

    /// Compiles a JSONata-mode template (`Arguments`, `Output`, `Assign`): `{% … %}` strings
    /// anywhere become expressions; `.$` keys have no meaning there and stay literal keys.
    pub fn compile_jsonata(node: &Node) -> Template {
        let mut errors = Vec::new();
        Template {
            root: Box::new(compile_node(node, &mut errors, true)),
        }
    }

    /// A template that always yields `value`.
    pub fn literal(value: Value) -> Template {
        Template {
            root: Box::new(TemplateNode::Const(value)),
        }
    }

    pub fn root(&self) -> &TemplateNode {
        &self.root
    }

    /// The top-level keys of an object template (for `Assign`: the variable names), `.$`
    /// suffixes removed; empty for any other template.
    pub fn keys(&self) -> Vec<&str> {
        match &*self.root {
            TemplateNode::Object(members) | TemplateNode::ObjectWithRepeats(members) => {
                members.iter().map(|(k, _)| &**k).collect()
            }
            TemplateNode::Const(Value::Object(o)) => o.keys().map(|k| &**k).collect(),
            _ => Vec::new(),
        }
    }

    /// The value, when the template has nothing to evaluate.
    pub fn as_constant(&self) -> Option<&Value> {
        match &*self.root {
            TemplateNode::Const(v) => Some(v),
            _ => None,
        }
    }

    /// Builds the payload. A path that matches nothing fails with AWS's `States.Runtime` cause
    /// `The JSONPath '…' specified for the field 'key.$' could not be found in the input '…'`;
    /// intrinsic failures are `States.Runtime` worded by [`Call::eval`].
    pub fn eval(&self, scope: &Scope, rng: &mut Rng) -> Result<Value, ExecError> {
        eval_node(&self.root, scope, rng)
    }
}

fn eval_node(node: &TemplateNode, scope: &Scope, rng: &mut Rng) -> Result<Value, ExecError> {
    match node {
        TemplateNode::Const(v) => Ok(v.clone()),
        TemplateNode::Object(members) => {
            let mut obj = Object::with_capacity(members.len());
            for (k, n) in members.iter() {
                // Distinct keys (checked when compiled): no lookup per member.
                obj.push_unique(k.clone(), eval_node(n, scope, rng)?);
            }
            Ok(Value::object(obj))
        }
        TemplateNode::ObjectWithRepeats(members) => {
            let mut obj = Object::with_capacity(members.len());
            for (k, n) in members.iter() {
                obj.insert(k.clone(), eval_node(n, scope, rng)?);
            }
            Ok(Value::object(obj))
        }
        TemplateNode::Array(items) => {
            let mut arr = Array::from_vec(Vec::with_capacity(items.len()));
            for n in items.iter() {
                arr.push(eval_node(n, scope, rng)?);
            }
            Ok(Value::Array(Arc::new(arr)))
        }
        TemplateNode::Path { path, field } => path.eval_field(scope, field),
        TemplateNode::Call { call, .. } => call.eval(scope, rng),
        TemplateNode::Jsonata { source, .. } => Err(ExecError::new(
            ErrorName::QueryEvaluationError,
            format!(
                "The JSONata expression '{source}' cannot be evaluated in a JSONPath-mode field"
            ),
        )),
    }
}

/// The span of bytes `offset..offset+len` inside a string node's text, when the JSON literal has
/// no escapes (so text offsets map 1:1 to source offsets); the whole literal otherwise.
fn inner_span(node: &Node, s: &str, offset: usize, len: usize) -> Span {
    if node.span.len() as usize == s.len() + 2 {
        let start = node.span.start + 1 + offset.min(s.len()) as u32;
        let end = (start + len as u32).min(node.span.end - 1).max(start);
        Span::new(start, end)
    } else {
        node.span
    }
}

fn compile_node(node: &Node, errors: &mut Vec<TemplateError>, jsonata: bool) -> TemplateNode {
    match &node.kind {
        Kind::Object(members) => {
            let mut out: Vec<(Key, TemplateNode)> = Vec::with_capacity(members.len());
            for m in members {
                let dynamic_key = if jsonata {
                    None
                } else {
                    m.key.strip_suffix(".$")
                };
                let compiled = match dynamic_key {
                    Some(_) => compile_dynamic(&m.key, &m.value, errors),
                    None => compile_node(&m.value, errors, jsonata),
                };
                let key = dynamic_key.unwrap_or(&m.key);
                out.push((Key::from(key), compiled));
            }
            if out.iter().all(|(_, n)| matches!(n, TemplateNode::Const(_))) {
                let obj: Object = out
                    .into_iter()
                    .map(|(k, n)| match n {
                        TemplateNode::Const(v) => (k, v),
                        _ => (k, Value::Null),
                    })
                    .collect();
                TemplateNode::Const(Value::object(obj))
            } else {
                let distinct =
                    !crate::syntax::repeated_keys(out.len(), &|i| &*out[i].0).contains(&true);
                if distinct {
                    TemplateNode::Object(out.into_boxed_slice())
                } else {
                    TemplateNode::ObjectWithRepeats(out.into_boxed_slice())
                }
            }
        }
        Kind::Array(items) => {
            let out: Vec<TemplateNode> = items
                .iter()
                .map(|n| compile_node(n, errors, jsonata))
                .collect();
            if out.iter().all(|n| matches!(n, TemplateNode::Const(_))) {
                let vals = out
                    .into_iter()
                    .map(|n| match n {
                        TemplateNode::Const(v) => v,
                        _ => Value::Null,
                    })
                    .collect();
                TemplateNode::Const(Value::array(vals))
            } else {
                TemplateNode::Array(out.into_boxed_slice())
            }
        }
        // The whole string, nothing outside the marks: `" {% x %} "` is a literal (recorded:
        // localstack `test_output::test_base_cases[BASE_LITERALS]`).
        Kind::String(s) if jsonata => match crate::parse::jsonata_text(s) {
            Some(expr) => TemplateNode::Jsonata {
                source: expr.trim().into(),
                span: node.span,
                expr: crate::jsonata::Expr::compile(expr).ok().map(Arc::new),
            },
            None => TemplateNode::Const(Value::from(s.as_str())),
        },
        _ => TemplateNode::Const(node.to_value()),
    }
}

fn collect_arity_warnings(node: &Node, out: &mut Vec<TemplateError>) {
    match &node.kind {
        Kind::Object(members) => {
            for m in members {
                match (&m.value.kind, m.key.ends_with(".$")) {
                    (Kind::String(s), true) if Call::looks_like_call(s) => {
                        let Ok(call) = Call::parse(s) else { continue };
                        for problem in call.arity_problems() {
                            out.push(TemplateError {
                                kind: TemplateErrorKind::WrongArity,
                                span: m.value.span,
                                message: format!(
                                    "In '{}': {problem}; AWS accepts the definition, but the call fails when it runs",
                                    m.key
                                ),
                            });
                        }
                    }
                    (_, true) => {}
                    (_, false) => collect_arity_warnings(&m.value, out),
                }
            }
        }
        Kind::Array(items) => items.iter().for_each(|i| collect_arity_warnings(i, out)),
        _ => {}
    }
}

/// Compiles the value of a `key.$` member.
fn compile_dynamic(key: &str, value: &Node, errors: &mut Vec<TemplateError>) -> TemplateNode {
    let placeholder = TemplateNode::Const(Value::Null);
    let Kind::String(s) = &value.kind else {
        errors.push(TemplateError {
            kind: TemplateErrorKind::NotAString,
            span: value.span,
            message: format!(
                "The value of '{key}' must be a string holding a path or an intrinsic function call"
            ),
        });
        return placeholder;
    };
    let field: Arc<str> = key.into();
    if s.starts_with('$') {
        match Path::parse(s) {
            Ok(path) => TemplateNode::Path { path, field },
            Err(e) => {
                errors.push(TemplateError {
                    kind: TemplateErrorKind::InvalidPath,
                    span: inner_span(value, s, e.offset, 1),
                    message: format!("Invalid JSONPath '{s}' in '{key}': {}", e.message),
                });
                placeholder
            }
        }
    } else if Call::looks_like_call(s) {
        match Call::parse(s) {
            Ok(call) => TemplateNode::Call {
                call: Box::new(call),
                field,
            },
            Err(e) => {
                let kind = match e.kind {
                    IntrinsicErrorKind::Syntax => TemplateErrorKind::InvalidIntrinsic,
                    IntrinsicErrorKind::UnknownFunction => TemplateErrorKind::UnknownFunction,
                    IntrinsicErrorKind::InvalidPath => TemplateErrorKind::InvalidPath,
                };
                errors.push(TemplateError {
                    kind,
                    span: inner_span(value, s, e.offset, 1),
                    message: format!("Invalid intrinsic function call in '{key}': {}", e.message),
                });
                placeholder
            }
        }
    } else {
        errors.push(TemplateError {
            kind: TemplateErrorKind::NotAPathOrCall,
            span: value.span,
            message: format!(
                "The value of '{key}' must be a JSONPath (starting with '$') or an intrinsic function call (States.…), not '{s}'"
            ),
        });
        placeholder
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::path::NoVariables;
    use crate::syntax;

    fn compile(text: &str) -> Result<Template, Vec<TemplateError>> {
        Template::compile(&syntax::parse(text).expect("test JSON"))
    }

    fn v(s: &str) -> Value {
        Value::parse(s).expect("test JSON")
    }

    #[test]
    fn constant_subtrees_are_built_once() {
        let t = compile(r#"{"a":[1,{"b":"$.not_a_path"}],"c":{"d":null}}"#).expect("template");
        let input = v("{}");
        let scope = Scope::input_only(&input);
        let first = t.eval(&scope, &mut Rng::new(0)).expect("eval");
        let second = t.eval(&scope, &mut Rng::new(0)).expect("eval");
        assert!(
            first.ptr_eq(&second),
            "a constant template must hand out the same shared value"
        );
        assert_eq!(
            first.to_json_string(),
            r#"{"a":[1,{"b":"$.not_a_path"}],"c":{"d":null}}"#
        );

        let t = compile(r#"{"k":{"big":[1,2,3]},"x.$":"$.x"}"#).expect("template");
        let input = v(r#"{"x":1}"#);
        let scope = Scope::input_only(&input);
        let a = t.eval(&scope, &mut Rng::new(0)).expect("eval");
        let b = t.eval(&scope, &mut Rng::new(0)).expect("eval");
        assert!(a.get("k").expect("k").ptr_eq(b.get("k").expect("k")));
    }

    #[test]
    fn dynamic_members_read_paths_context_variables_and_calls() {
        let t = compile(
            r#"{"a.$":"$.x","b":{"c.$":"States.Format('n={}', $.x)","d":[1,{"e.$":"$$.State.Name"}]},
                "f.$":"$v.y","all.$":"$","none.$":"$.list[*].q"}"#,
        )
        .expect("template");
        let input = v(r#"{"x":7,"list":[]}"#);
        let ctx = v(r#"{"State":{"Name":"S"}}"#);
        let mut vars = Object::new();
        vars.insert("v".into(), v(r#"{"y":"why"}"#));
        let out = t
            .eval(&Scope::new(&input, &ctx, &vars), &mut Rng::new(0))
            .expect("eval");
        assert_eq!(
            out.to_json_string(),
            r#"{"a":7,"b":{"c":"n=7","d":[1,{"e":"S"}]},"f":"why","all":{"x":7,"list":[]},"none":[]}"#
        );
        assert!(t.as_constant().is_none());
        assert_eq!(Template::literal(v("[1]")).as_constant(), Some(&v("[1]")));
    }

    #[test]
    fn missing_paths_fail_with_the_field_name() {
        let t = compile(r#"{"value.$":"$.no_such_jsonpath"}"#).expect("template");
        let input = v(r#"{"int-literal":0}"#);
        let e = t
            .eval(&Scope::input_only(&input), &mut Rng::new(0))
            .expect_err("missing");
        assert_eq!(e.error, ErrorName::Runtime);
        assert_eq!(
            e.cause,
            r#"The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'"#
        );
        let t = compile(r#"{"v.$":"States.ArrayGetItem($.a, 5)"}"#).expect("template");
        let input = v(r#"{"a":[]}"#);
        let e = t
            .eval(&Scope::input_only(&input), &mut Rng::new(0))
            .expect_err("out of range");
        // AWS names intrinsic failures `States.Runtime` (see `crate::intrinsics`).
        assert_eq!(e.error, ErrorName::Runtime);
    }

    #[test]
    fn wrong_argument_counts_are_warnings_not_errors() {
        let text = r#"{"a.$": "States.MathAdd(1, 2, 3)", "b": {"c.$": "States.Array(States.Hash())"}, "d.$": "States.MathAdd(1, 2)"}"#;
        let node = crate::syntax::parse(text).expect("json");
        assert!(Template::compile(&node).is_ok());
        let warnings = Template::arity_warnings(&node);
        let got: Vec<(&str, &str)> = warnings
            .iter()
            .map(|w| {
                (
                    &text[w.span.start as usize..w.span.end as usize],
                    w.message.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    r#""States.MathAdd(1, 2, 3)""#,
                    "In 'a.$': States.MathAdd takes 2 argument(s), 3 given; AWS accepts the definition, but the call fails when it runs"
                ),
                (
                    r#""States.Array(States.Hash())""#,
                    "In 'c.$': States.Hash takes 2 argument(s), 0 given; AWS accepts the definition, but the call fails when it runs"
                ),
            ]
        );
    }

    #[test]
    fn compile_errors_carry_kind_and_span() {
        let text = r#"{"a.$": 1, "b.$": "$.x[", "c": {"d.$": "States.Nope()"}, "e.$": "States.UUID(1)", "f.$": "hello", "g.$": "States.Array(1"}"#;
        let errors = compile(text).expect_err("bad template");
        let got: Vec<(TemplateErrorKind, &str)> = errors
            .iter()
            .map(|e| (e.kind, &text[e.span.start as usize..e.span.end as usize]))
            .collect();
        assert_eq!(
            got,
            vec![
                (TemplateErrorKind::NotAString, "1"),
                (TemplateErrorKind::InvalidPath, ""),
                (TemplateErrorKind::UnknownFunction, "S"),
                (TemplateErrorKind::NotAPathOrCall, "\"hello\""),
                (TemplateErrorKind::InvalidIntrinsic, ""),
            ],
            "{errors:#?}"
        );
        // The offending path's position is exact inside an unescaped string: `[` at offset 3.
        assert_eq!(
            errors[1].span.start as usize,
            text.find("$.x[").expect("path") + 4
        );
    }

    #[test]
    fn jsonata_strings_are_recorded_not_evaluated() {
        let node =
            syntax::parse(r#"{"a":"{% $x + 1 %}","b.$":"kept literally","c":[1]}"#).expect("json");
        let t = Template::compile_jsonata(&node);
        let TemplateNode::Object(members) = t.root() else {
            panic!("expected an object node")
        };
        assert!(
            matches!(&members[0].1, TemplateNode::Jsonata { source, .. } if &**source == "$x + 1")
        );
        assert_eq!(&*members[1].0, "b.$");
        let input = Value::Null;
        let e = t
            .eval(&Scope::input_only(&input), &mut Rng::new(0))
            .expect_err("no engine");
        assert_eq!(e.error, ErrorName::QueryEvaluationError);
    }

    /// The conformance cases that are one Pass state using only InputPath, Parameters, Result,
    /// ResultPath and OutputPath, run through paths and templates as AWS orders them.
    #[test]
    #[allow(clippy::disallowed_methods)] // Test data is read from disk; the library itself reads no files.
    fn conformance_single_pass_cases() {
        let dir = crate::intrinsics::tests_support::conformance_dir();
        const FIELDS: [&str; 9] = [
            "Type",
            "End",
            "Comment",
            "InputPath",
            "Parameters",
            "Result",
            "ResultPath",
            "OutputPath",
            "Next",
        ];
        let (mut passed, mut failed) = (0, Vec::new());
        for file in ["localstack.jsonl", "aws-local-stepfunctions.jsonl"] {
            let text = std::fs::read_to_string(dir.join(file)).expect("read cases");
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let case: serde_json::Value = serde_json::from_str(line).expect("case JSON");
                let def = &case["definition"];
                let states = def["States"].as_object().expect("States");
                let Some((name, state)) = states.iter().next().filter(|_| states.len() == 1) else {
                    continue;
                };
                let Some(fields) = state.as_object() else {
                    continue;
                };
                // Intrinsic cases are the intrinsics module's conformance test.
                if state["Type"] != "Pass"
                    || case["category"]
                        .as_str()
                        .is_some_and(|c| c.ends_with("intrinsic_functions"))
                    || def.get("QueryLanguage").is_some()
                    || !fields.keys().all(|k| FIELDS.contains(&k.as_str()))
                {
                    continue;
                }
                let id = case["id"].as_str().unwrap_or("?").to_string();
                let input = Value::from(&case["input"]);
                let ctx = crate::intrinsics::tests_support::context(&input, name);
                let result = run_pass(fields, &input, &ctx);
                let expected = &case["expected"];
                let good = match (expected["status"].as_str(), &result) {
                    (Some("SUCCEEDED"), Ok(got)) => *got == Value::from(&expected["output"]),
                    (Some("FAILED"), Err(e)) => {
                        // aws-local-stepfunctions' error names are that library's, not AWS's.
                        let name_ok = case["source"] != "localstack"
                            || expected["error"]
                                .as_str()
                                .is_none_or(|n| n == e.error.as_str());
                        // AWS's cause carries the executor's "An error occurred while executing the
                        // state …" prefix and the snapshot tool's `<json-input:N>` placeholder.
                        let cause_ok = expected["cause"].as_str().is_none_or(|c| {
                            let tail = c.split_once("). ").map_or(c, |(_, t)| t);
                            match tail.split_once("<json-input:") {
                                Some((head, _)) => e.cause.starts_with(head),
                                None => e.cause == tail,
                            }
                        });
                        name_ok && cause_ok
                    }
                    _ => false,
                };
                if good {
                    passed += 1;
                } else {
                    failed.push(format!("{id}: expected {expected}, got {result:?}"));
                }
            }
        }
        println!(
            "single-Pass conformance: {passed} passed, {} failed",
            failed.len()
        );
        assert!(passed >= 30, "too few cases found: {passed}");
        assert!(failed.is_empty(), "failing cases:\n{}", failed.join("\n"));
    }

    /// InputPath → Parameters → Result → ResultPath → OutputPath, as a Pass state applies them.
    fn run_pass(
        state: &serde_json::Map<String, serde_json::Value>,
        input: &Value,
        ctx: &Value,
    ) -> Result<Value, ExecError> {
        let path = |s: &str| Path::parse(s).map_err(|e| ExecError::runtime(e.to_string()));
        let scope = |v: &Value| -> Value { v.clone() };
        let effective = match state.get("InputPath") {
            None => input.clone(),
            Some(serde_json::Value::Null) => Value::empty_object(),
            Some(p) => {
                path(p.as_str().unwrap_or(""))?.eval(&Scope::new(input, ctx, &NoVariables))?
            }
        };
        let mut result = effective.clone();
        if let Some(params) = state.get("Parameters") {
            let node =
                syntax::parse(&params.to_string()).map_err(|_| ExecError::runtime("bad JSON"))?;
            let t = Template::compile(&node).map_err(|e| ExecError::runtime(format!("{e:?}")))?;
            result = t.eval(&Scope::new(&effective, ctx, &NoVariables), &mut Rng::new(0))?;
        }
        if let Some(r) = state.get("Result") {
            result = Value::from(r);
        }
        let after = match state.get("ResultPath") {
            None => result,
            Some(serde_json::Value::Null) => scope(input),
            Some(p) => path(p.as_str().unwrap_or(""))?.set(input.clone(), result)?,
        };
        match state.get("OutputPath") {
            None => Ok(after),
            Some(serde_json::Value::Null) => Ok(Value::empty_object()),
            Some(p) => path(p.as_str().unwrap_or(""))?.eval(&Scope::new(&after, ctx, &NoVariables)),
        }
    }
}
