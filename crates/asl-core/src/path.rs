//! JSONPath as AWS Step Functions evaluates it: compiled once, evaluated per state visit.
//!
//! Owns [`Path`] (a compiled JSONPath with its root: `$` the state input, `$$` the context
//! object, `$name` a workflow variable), its evaluation ([`Path::eval`], [`Path::find`]), the
//! ResultPath write ([`Path::set`]), and [`Scope`]/[`Variables`], what a path reads from.
//!
//! AWS evaluates JSONPath with Jayway JsonPath (Java). Its semantics differ from RFC 9535 in ways
//! users see: a *definite* path (only `.key` and `[n]` steps) yields the value itself and fails when
//! nothing matches, with Jayway's message (`No results for path: $['x']`, `Missing property in path
//! $['a']`); an *indefinite* path (wildcards, slices, unions, `..`, filters) always yields an array,
//! empty when nothing matches. Why by hand: no Rust crate implements Jayway's semantics and error
//! texts (`serde_json_path` and `jsonpath-rust` follow RFC 9535 or their own dialect), and none works
//! on our shared [`Value`] without converting whole documents per evaluation. A definite path here
//! walks borrowed values and allocates nothing but the final `Arc` clone.
//!
//! Jayway is lenient where AWS users rely on it, and so is this reader: trailing spaces after a
//! path are ignored (Jayway trims them; a deployed sample reads `"$$.Execution.Name "`), and an
//! unquoted word in a filter is a string (`[?(@.Status==Success)]` selects `"Status": "Success"`
//! in AWS's data flow simulator and in deployed samples).
//!
//! Not owned here: payload templates ([`crate::template`]), intrinsic functions
//! ([`crate::intrinsics`]), where each field's error prefix comes from (the executor).

use std::fmt::{self, Write as _};
use std::hash::BuildHasher;
use std::sync::Arc;

use crate::error::{ErrorName, ExecError};
use crate::value::{Array, Key, Number, Object, Value};

/// Where a path starts.
#[derive(Clone, Debug, PartialEq)]
pub enum Root {
    /// `$`: the state's (effective) input.
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: a workflow variable.
    Variable(Arc<str>),
}

/// A compiled JSONPath (see the module doc).
#[derive(Clone, Debug)]
pub struct Path {
    text: Arc<str>,
    root: Root,
    segments: Box<[Segment]>,
    definite: bool,
    /// Jayway's `toString` of the path (`$['a'][0]`), used in error causes.
    canonical: Arc<str>,
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq for Path {
    fn eq(&self, other: &Path) -> bool {
        self.text == other.text
    }
}

/// A parse failure: a message and the byte offset into the path text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathError {
    pub message: String,
    pub offset: usize,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at offset {})", self.message, self.offset)
    }
}

impl std::error::Error for PathError {}

#[derive(Clone, Debug)]
enum Segment {
    /// `.key` / `['key']`
    Child(Key),
    /// `['a','b']`
    Children(Box<[Key]>),
    /// `[n]`; negative counts from the end.
    Index(i64),
    /// `[0,2]`
    Indexes(Box<[i64]>),
    /// `.*` / `[*]`
    Wildcard,
    /// `[a:b]`
    Slice(Option<i64>, Option<i64>),
    /// `[?(...)]`
    Filter(Box<Expr>),
    /// `..` followed by a step, applied at every level.
    Descendant(Box<Segment>),
    /// `.length()` (Jayway's path function; only at the end).
    Length,
}

impl Segment {
    fn is_definite(&self) -> bool {
        matches!(
            self,
            Segment::Child(_) | Segment::Index(_) | Segment::Length
        )
    }
}

/// What a path reads: the state input, the context object and the variables in scope.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub input: &'a Value,
    pub context: &'a Value,
    pub vars: &'a dyn Variables,
}

impl<'a> Scope<'a> {
    pub fn new(input: &'a Value, context: &'a Value, vars: &'a dyn Variables) -> Self {
        Scope {
            input,
            context,
            vars,
        }
    }

    /// A scope over `input` alone (empty context, no variables), for tests and simple callers.
    pub fn input_only(input: &'a Value) -> Self {
        static NULL: Value = Value::Null;
        Scope {
            input,
            context: &NULL,
            vars: &NoVariables,
        }
    }
}

/// The workflow variables visible to a state.
pub trait Variables {
    fn get(&self, name: &str) -> Option<Value>;
}

/// No variables at all.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoVariables;

impl Variables for NoVariables {
    fn get(&self, _name: &str) -> Option<Value> {
        None
    }
}

impl Variables for () {
    fn get(&self, _name: &str) -> Option<Value> {
        None
    }
}

impl Variables for Object {
    fn get(&self, name: &str) -> Option<Value> {
        Object::get(self, name).cloned()
    }
}

impl<S: BuildHasher> Variables for std::collections::HashMap<Key, Value, S> {
    fn get(&self, name: &str) -> Option<Value> {
        std::collections::HashMap::get(self, name).cloned()
    }
}

/// Why a definite path found nothing: Jayway's message, without AWS's `Invalid path` prefix.
#[derive(Clone, Debug, PartialEq)]
pub struct NotFound {
    pub message: String,
}

impl Path {
    /// Compiles a path. Accepts `$`, `$$` and `$name` roots followed by JSONPath steps.
    pub fn parse(text: &str) -> Result<Path, PathError> {
        Parser {
            text,
            pos: 0,
            depth: 0,
        }
        .path()
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn root(&self) -> &Root {
        &self.root
    }

    /// Whether the path names at most one node (Jayway's "definite" path: only `.key` / `[n]`).
    pub fn is_definite(&self) -> bool {
        self.definite
    }

    /// A Reference Path (ResultPath, Choice `Variable`): one node, addressed by `.key` and `[n]`.
    pub fn is_reference(&self) -> bool {
        self.definite && !self.segments.iter().any(|s| matches!(s, Segment::Length))
    }

    /// Jayway's canonical form, e.g. `$['a'][0]`.
    pub fn canonical(&self) -> &str {
        &self.canonical
    }

    /// Evaluates the path; a definite path that matches nothing fails with AWS's
    /// `States.Runtime` cause `Invalid path '<path>' : <Jayway message>` (what InputPath,
    /// OutputPath and ItemsPath report).
    pub fn eval(&self, scope: &Scope) -> Result<Value, ExecError> {
        self.select(scope)
            .map_err(|nf| self.invalid_path_error(&nf))
    }

    /// Evaluates the path; when nothing matches, the error AWS reports for a field that names a
    /// path (`ErrorPath`, `CausePath`, a `key.$` in a payload template): `The JSONPath '<path>'
    /// specified for the field '<field>' could not be found in the input '<input>'`.
    pub fn eval_field(&self, scope: &Scope, field: &str) -> Result<Value, ExecError> {
        self.select(scope)
            .map_err(|_| self.field_error(scope, field))
    }

    /// The value, or `None` when a definite path matches nothing (Choice `IsPresent`).
    pub fn find(&self, scope: &Scope) -> Option<Value> {
        self.select(scope).ok()
    }

    /// `States.Runtime`: `Invalid path '<path>' : <why>`.
    pub fn invalid_path_error(&self, nf: &NotFound) -> ExecError {
        ExecError::runtime(format!("Invalid path '{}' : {}", self.text, nf.message))
    }

    /// `States.Runtime`: the field form of a missing path (see [`Path::eval_field`]).
    pub fn field_error(&self, scope: &Scope, field: &str) -> ExecError {
        ExecError::runtime(format!(
            "The JSONPath '{}' specified for the field '{}' could not be found in the input '{}'",
            self.text,
            field,
            scope.input.to_json_string()
        ))
    }

    /// Evaluates, reporting Jayway's reason when a definite path matches nothing.
    pub fn select(&self, scope: &Scope) -> Result<Value, NotFound> {
        let holder;
        let root = match &self.root {
            Root::Input => scope.input,
            Root::Context => scope.context,
            Root::Variable(name) => match scope.vars.get(name) {
                Some(v) => {
                    holder = v;
                    &holder
                }
                None => {
                    return Err(NotFound {
                        message: format!("The variable '${name}' is not defined"),
                    });
                }
            },
        };
        if self.definite {
            return self.select_definite(root);
        }
        let mut out = Vec::new();
        eval_segments(&self.segments, root, root, &mut out);
        Ok(Value::array(out))
    }

    /// The allocation-free walk of a definite path.
    fn select_definite(&self, root: &Value) -> Result<Value, NotFound> {
        let mut cur = root;
        let last = self.segments.len().saturating_sub(1);
        for (i, seg) in self.segments.iter().enumerate() {
            match seg {
                Segment::Child(key) => match cur {
                    Value::Object(o) => match o.get(key) {
                        Some(v) => cur = v,
                        None if i == last => return Err(self.no_results()),
                        None => {
                            return Err(NotFound {
                                message: format!("Missing property in path {}", self.prefix(i + 1)),
                            });
                        }
                    },
                    other => {
                        return Err(NotFound {
                            message: format!(
                                "Expected to find an object with property ['{}'] in path {} but found '{}'. This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JacksonJsonProvider'.",
                                key,
                                self.prefix(i),
                                java_class(other)
                            ),
                        });
                    }
                },
                Segment::Index(n) => match cur {
                    Value::Array(a) => match resolve_index(a, *n).and_then(|i| a.get(i)) {
                        Some(v) => cur = v,
                        None => return Err(self.no_results()),
                    },
                    Value::Null => {
                        return Err(NotFound {
                            message: format!("The path {} is null", self.prefix(i)),
                        });
                    }
                    other => {
                        return Err(NotFound {
                            message: format!(
                                "Filter: [{n}] can only be applied to arrays. Current context is: {}",
                                java_to_string(other)
                            ),
                        });
                    }
                },
                Segment::Length => {
                    return match cur {
                        Value::Array(a) => Ok(Value::from_i64(a.len() as i64)),
                        Value::Object(o) => Ok(Value::from_i64(o.len() as i64)),
                        Value::String(s) => Ok(Value::from_i64(s.chars().count() as i64)),
                        _ => Err(NotFound {
                            message: "Invalid property. Functions can only be applied to arrays, objects and strings"
                                .into(),
                        }),
                    };
                }
                // `definite` is computed from the segments at parse time; nothing else occurs.
                _ => return Err(self.no_results()),
            }
        }
        Ok(cur.clone())
    }

    fn no_results(&self) -> NotFound {
        NotFound {
            message: format!("No results for path: {}", self.canonical),
        }
    }

    /// Jayway's canonical text of the first `n` segments.
    fn prefix(&self, n: usize) -> String {
        let mut s = String::from("$");
        for seg in self.segments.iter().take(n) {
            write_canonical(&mut s, seg);
        }
        s
    }

    /// Writes `value` at this (reference) path into `target`, creating missing objects on the way
    /// as AWS does for ResultPath. `$` replaces the whole target. Fails with
    /// `States.ResultPathMatchFailure` when a step meets a non-object (or an array index out of
    /// range), or when the path is not a reference path on `$`.
    pub fn set(&self, target: Value, value: Value) -> Result<Value, ExecError> {
        self.check_set(&target)?;
        self.set_checked(target, value)
    }

    /// [`Path::set`] on a target that [`Path::check_set`] already accepted (the executor checks
    /// before it evaluates `Assign` and writes after): the write without a second walk.
    pub fn set_checked(&self, target: Value, value: Value) -> Result<Value, ExecError> {
        if self.segments.is_empty() {
            return Ok(value);
        }
        let mut target = target;
        if set_in(&mut target, &self.segments, value) {
            Ok(target)
        } else {
            // Only when the caller skipped the check: report what the check reports.
            self.check_set(&target).and(Err(ExecError::new(
                ErrorName::ResultPathMatchFailure,
                format!("Unable to apply ResultPath '{}'", self.text),
            )))
        }
    }

    /// Whether [`Path::set`] would succeed on `target`, with the error it would return: a
    /// read-only walk, so a failure leaves `target` untouched (for the message) and no copy is
    /// kept while writing (an unshared target is updated in place through `Arc::make_mut`).
    pub fn check_set(&self, target: &Value) -> Result<(), ExecError> {
        if self.root != Root::Input || !self.is_reference() {
            return Err(ExecError::new(
                ErrorName::ResultPathMatchFailure,
                format!(
                    "Invalid ResultPath '{}': only reference paths on '$' can be written",
                    self.text
                ),
            ));
        }
        if can_set(target, &self.segments) {
            Ok(())
        } else {
            Err(ExecError::new(
                ErrorName::ResultPathMatchFailure,
                format!(
                    "Unable to apply ReferencePath {} to input {}",
                    self.text,
                    target.to_json_string()
                ),
            ))
        }
    }

    /// An upper bound of how many bytes [`Path::set`] adds to the serialised target beyond the
    /// written value's own size (keys, colons, commas and braces of objects it creates).
    pub fn set_overhead_bound(&self) -> usize {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Child(k) => crate::value::string_json_len(k) + 4,
                _ => 1,
            })
            .sum()
    }
}

/// Whether [`set_in`] can write along `segs` (the same walk, read-only).
fn can_set(target: &Value, segs: &[Segment]) -> bool {
    let Some((first, rest)) = segs.split_first() else {
        return true;
    };
    match first {
        Segment::Child(key) => match target {
            Value::Object(obj) => match obj.get(key) {
                Some(v) => can_set(v, rest),
                // A missing key gets an empty object, through which only more keys can be made.
                None => rest.iter().all(|s| matches!(s, Segment::Child(_))),
            },
            _ => false,
        },
        Segment::Index(n) => match target {
            Value::Array(arr) => {
                resolve_index(arr, *n).is_some_and(|i| arr.get(i).is_some_and(|v| can_set(v, rest)))
            }
            _ => false,
        },
        _ => false,
    }
}

/// Writes along `segs`, creating objects for missing keys. Returns false when a step cannot apply.
fn set_in(target: &mut Value, segs: &[Segment], value: Value) -> bool {
    let Some((first, rest)) = segs.split_first() else {
        *target = value;
        return true;
    };
    match first {
        Segment::Child(key) => {
            let Some(obj) = target.as_object_mut() else {
                return false;
            };
            if rest.is_empty() {
                obj.set(key, value);
                return true;
            }
            if !obj.contains_key(key) {
                obj.insert(key.clone(), Value::empty_object());
            }
            obj.update(key, |slot| set_in(slot, rest, value))
                .unwrap_or(false)
        }
        Segment::Index(n) => {
            let Some(arr) = target.as_array_mut() else {
                return false;
            };
            let Some(i) = resolve_index(arr, *n) else {
                return false;
            };
            arr.update(i, |slot| set_in(slot, rest, value))
                .unwrap_or(false)
        }
        _ => false,
    }
}

fn resolve_index(a: &Array, n: i64) -> Option<usize> {
    let len = a.len() as i64;
    let i = if n < 0 { len + n } else { n };
    (0..len).contains(&i).then_some(i as usize)
}

/// Java's class name for a value as Jackson reads it, as Jayway prints it in errors.
fn java_class(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "java.lang.Boolean",
        Value::Number(n) if n.is_f64() => "java.lang.Double",
        Value::Number(n) if n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) => {
            "java.lang.Integer"
        }
        Value::Number(_) => "java.lang.Long",
        Value::String(_) => "java.lang.String",
        Value::Array(_) => "java.util.ArrayList",
        Value::Object(_) => "java.util.LinkedHashMap",
    }
}

/// Java's `toString` of a value read by Jackson into maps and lists: `{a=1, b=[x, y]}`. AWS prints
/// values this way in `States.Format` and in some error causes.
pub fn java_to_string(v: &Value) -> String {
    let mut s = String::new();
    write_java(&mut s, v);
    s
}

fn write_java(s: &mut String, v: &Value) {
    match v {
        Value::Null => s.push_str("null"),
        Value::Bool(b) => s.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_java_number(s, n),
        Value::String(t) => s.push_str(t),
        Value::Array(a) => {
            s.push('[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                write_java(s, item);
            }
            s.push(']');
        }
        Value::Object(o) => {
            s.push('{');
            for (i, (k, item)) in o.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                s.push_str(k);
                s.push('=');
                write_java(s, item);
            }
            s.push('}');
        }
    }
}

fn write_java_number(s: &mut String, n: &Number) {
    match n.as_f64() {
        Some(f) if n.is_f64() => write_java_double(s, f),
        // Integers (Java Integer/Long/BigInteger) print as written.
        _ => {
            let _ = write!(s, "{n}");
        }
    }
}

/// Java's `Double.toString`: plain decimal with at least one fractional digit for magnitudes in
/// [10^-3, 10^7), otherwise `d.dddE±n`; digits are the shortest that round-trip (as Rust's).
fn write_java_double(s: &mut String, f: f64) {
    let abs = f.abs();
    if abs == 0.0 || (1e-3..1e7).contains(&abs) {
        s.push_str(&crate::float_fmt::debug(f)); // `{:?}` keeps the `.0` of whole numbers, like Java.
        return;
    }
    let sci = crate::float_fmt::exp(f); // e.g. `1.2345e-5`, `1e21`
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    s.push_str(mantissa);
    if !mantissa.contains('.') {
        s.push_str(".0");
    }
    s.push('E');
    s.push_str(exp);
}

fn write_canonical(s: &mut String, seg: &Segment) {
    match seg {
        Segment::Child(k) => {
            let _ = write!(s, "['{k}']");
        }
        Segment::Children(ks) => {
            s.push('[');
            for (i, k) in ks.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                let _ = write!(s, "'{k}'");
            }
            s.push(']');
        }
        Segment::Index(n) => {
            let _ = write!(s, "[{n}]");
        }
        Segment::Indexes(ns) => {
            s.push('[');
            for (i, n) in ns.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                let _ = write!(s, "{n}");
            }
            s.push(']');
        }
        Segment::Wildcard => s.push_str("[*]"),
        Segment::Slice(a, b) => {
            s.push('[');
            if let Some(a) = a {
                let _ = write!(s, "{a}");
            }
            s.push(':');
            if let Some(b) = b {
                let _ = write!(s, "{b}");
            }
            s.push(']');
        }
        Segment::Filter(_) => s.push_str("[?]"),
        Segment::Descendant(inner) => {
            s.push_str("..");
            write_canonical(s, inner);
        }
        Segment::Length => s.push_str(".length()"),
    }
}

/// Applies `segs` to `v`, pushing every match (indefinite evaluation: missing steps are skipped).
fn eval_segments(segs: &[Segment], v: &Value, root: &Value, out: &mut Vec<Value>) {
    let Some((first, rest)) = segs.split_first() else {
        out.push(v.clone());
        return;
    };
    let mut next = |child: &Value, out: &mut Vec<Value>| eval_segments(rest, child, root, out);
    apply_step(first, v, root, out, &mut next);
}

/// Calls `next` on every node `seg` selects from `v`.
fn apply_step(
    seg: &Segment,
    v: &Value,
    root: &Value,
    out: &mut Vec<Value>,
    next: &mut dyn FnMut(&Value, &mut Vec<Value>),
) {
    match seg {
        Segment::Child(k) => {
            if let Some(c) = v.get(k) {
                next(c, out);
            }
        }
        Segment::Children(ks) => {
            if let Some(o) = v.as_object() {
                for k in ks.iter() {
                    if let Some(c) = o.get(k) {
                        next(c, out);
                    }
                }
            }
        }
        Segment::Index(n) => {
            if let Some(a) = v.as_array()
                && let Some(c) = resolve_index(a, *n).and_then(|i| a.get(i))
            {
                next(c, out);
            }
        }
        Segment::Indexes(ns) => {
            if let Some(a) = v.as_array() {
                for n in ns.iter() {
                    if let Some(c) = resolve_index(a, *n).and_then(|i| a.get(i)) {
                        next(c, out);
                    }
                }
            }
        }
        Segment::Wildcard => match v {
            Value::Array(a) => a.iter().for_each(|c| next(c, out)),
            Value::Object(o) => o.values().for_each(|c| next(c, out)),
            _ => {}
        },
        Segment::Slice(from, to) => {
            if let Some(a) = v.as_array() {
                let len = a.len() as i64;
                let norm = |x: i64| if x < 0 { (len + x).max(0) } else { x.min(len) };
                let start = from.map_or(0, norm);
                let end = to.map_or(len, norm);
                for i in start..end.max(start) {
                    if let Some(c) = a.get(i as usize) {
                        next(c, out);
                    }
                }
            }
        }
        Segment::Filter(expr) => match v {
            Value::Array(a) => {
                for c in a.iter() {
                    if expr.test(c, root) {
                        next(c, out);
                    }
                }
            }
            Value::Object(_) if expr.test(v, root) => next(v, out),
            _ => {}
        },
        Segment::Descendant(inner) => descend(inner, v, root, out, next),
        Segment::Length => {
            let n = match v {
                Value::Array(a) => a.len(),
                Value::Object(o) => o.len(),
                Value::String(s) => s.chars().count(),
                _ => return,
            };
            next(&Value::from_i64(n as i64), out);
        }
    }
}

/// Jayway's scan: applies `inner` at `v` and then at every container below it, pre-order.
fn descend(
    inner: &Segment,
    v: &Value,
    root: &Value,
    out: &mut Vec<Value>,
    next: &mut dyn FnMut(&Value, &mut Vec<Value>),
) {
    match v {
        Value::Array(a) => {
            apply_step(inner, v, root, out, next);
            for c in a.iter() {
                descend(inner, c, root, out, next);
            }
        }
        Value::Object(o) => {
            apply_step(inner, v, root, out, next);
            for c in o.values() {
                descend(inner, c, root, out, next);
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Filter expressions

#[derive(Clone, Debug)]
enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Compare(Operand, CmpOp, Operand),
    /// `@.x` alone: the path matches something.
    Exists(Operand),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Debug)]
enum Operand {
    Literal(Value),
    /// `@...` (relative to the current item) or `$...` (the document the path is evaluated on).
    Path {
        current: bool,
        segments: Box<[Segment]>,
        definite: bool,
    },
}

impl Operand {
    fn resolve(&self, item: &Value, root: &Value) -> Option<Value> {
        match self {
            Operand::Literal(v) => Some(v.clone()),
            Operand::Path {
                current,
                segments,
                definite,
            } => {
                let base = if *current { item } else { root };
                let mut out = Vec::new();
                eval_segments(segments, base, root, &mut out);
                if *definite {
                    out.pop()
                } else {
                    Some(Value::array(out))
                }
            }
        }
    }
}

impl Expr {
    fn test(&self, item: &Value, root: &Value) -> bool {
        match self {
            Expr::Or(a, b) => a.test(item, root) || b.test(item, root),
            Expr::And(a, b) => a.test(item, root) && b.test(item, root),
            Expr::Not(e) => !e.test(item, root),
            Expr::Exists(op) => match op.resolve(item, root) {
                Some(Value::Array(a))
                    if matches!(
                        op,
                        Operand::Path {
                            definite: false,
                            ..
                        }
                    ) =>
                {
                    !a.is_empty()
                }
                Some(_) => true,
                None => false,
            },
            Expr::Compare(l, op, r) => {
                let (Some(l), Some(r)) = (l.resolve(item, root), r.resolve(item, root)) else {
                    // Jayway: a missing operand compares unequal to everything.
                    return *op == CmpOp::Ne;
                };
                compare(&l, *op, &r)
            }
        }
    }
}

fn compare(l: &Value, op: CmpOp, r: &Value) -> bool {
    use std::cmp::Ordering;
    let ord = match (l, r) {
        (Value::Number(a), Value::Number(b)) => a
            .as_f64()
            .zip(b.as_f64())
            .and_then(|(a, b)| a.partial_cmp(&b)),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        _ => None,
    };
    match op {
        CmpOp::Eq => l == r,
        CmpOp::Ne => l != r,
        CmpOp::Lt => ord == Some(Ordering::Less),
        CmpOp::Le => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
        CmpOp::Gt => ord == Some(Ordering::Greater),
        CmpOp::Ge => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
    }
}

// ---------------------------------------------------------------------------------------------
// Parser

/// Deepest nesting of `(`/`!` in a filter: far beyond real use, and keeps hostile input from
/// exhausting the stack.
const MAX_FILTER_DEPTH: usize = 64;

struct Parser<'t> {
    text: &'t str,
    pos: usize,
    depth: usize,
}

impl<'t> Parser<'t> {
    fn err<T>(&self, message: impl Into<String>) -> Result<T, PathError> {
        Err(PathError {
            message: message.into(),
            offset: self.pos,
        })
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<u8> {
        self.text.as_bytes().get(self.pos + n).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn path(mut self) -> Result<Path, PathError> {
        // Jayway trims spaces (only U+0020) at the end of a path before reading it, and AWS runs
        // such paths: `"$$.Execution.Name "` in a deployed sample.
        let written = self.text;
        self.text = self.text.trim_end_matches(' ');
        if !self.eat(b'$') {
            return self.err("a path must start with '$'");
        }
        let root = if self.eat(b'$') {
            Root::Context
        } else if self.peek().is_some_and(is_var_start) {
            let start = self.pos;
            while self.peek().is_some_and(is_var_char) {
                self.pos += 1;
            }
            Root::Variable(self.text[start..self.pos].into())
        } else {
            Root::Input
        };
        let segments = self.segments(false)?;
        if self.pos < self.text.len() {
            return self.err(format!("unexpected '{}'", self.rest_char()));
        }
        if let Some(i) = segments.iter().position(|s| matches!(s, Segment::Length))
            && i + 1 != segments.len()
        {
            return Err(PathError {
                message: "length() must be the last step".into(),
                offset: self.pos,
            });
        }
        let definite = segments.iter().all(Segment::is_definite);
        let mut canonical = String::from("$");
        for seg in &segments {
            write_canonical(&mut canonical, seg);
        }
        Ok(Path {
            text: written.into(),
            root,
            segments: segments.into_boxed_slice(),
            definite,
            canonical: canonical.into(),
        })
    }

    fn rest_char(&self) -> char {
        // `get` so a position inside a character can never panic (it yields a blank instead).
        self.text
            .get(self.pos..)
            .and_then(|r| r.chars().next())
            .unwrap_or(' ')
    }

    /// Steps until the end, or (inside a filter) until a character that ends an operand.
    fn segments(&mut self, in_filter: bool) -> Result<Vec<Segment>, PathError> {
        let mut segs = Vec::new();
        loop {
            match self.peek() {
                Some(b'.') if self.peek_at(1) == Some(b'.') => {
                    self.pos += 2;
                    let inner = if self.peek() == Some(b'[') {
                        self.bracket()?
                    } else if self.eat(b'*') {
                        Segment::Wildcard
                    } else {
                        Segment::Child(self.dot_name(in_filter)?)
                    };
                    segs.push(Segment::Descendant(Box::new(inner)));
                }
                Some(b'.') => {
                    self.pos += 1;
                    if self.eat(b'*') {
                        segs.push(Segment::Wildcard);
                    } else if self.peek() == Some(b'[') {
                        // Jayway accepts `$.['a']`.
                        segs.push(self.bracket()?);
                    } else {
                        let start = self.pos;
                        let name = self.dot_name(in_filter)?;
                        if self.peek() == Some(b'(') {
                            if &*name == "length" && self.text[self.pos..].starts_with("()") {
                                self.pos += 2;
                                segs.push(Segment::Length);
                            } else {
                                self.pos = start;
                                return self.err(format!("unsupported path function '{name}'"));
                            }
                        } else {
                            segs.push(Segment::Child(name));
                        }
                    }
                }
                Some(b'[') => segs.push(self.bracket()?),
                _ => return Ok(segs),
            }
        }
    }

    /// A dot-notation name: everything up to the next `.`, `[`, `(` or space (Jayway's rule, so
    /// `$.input-value` and `$.a:b` are plain keys).
    fn dot_name(&mut self, in_filter: bool) -> Result<Key, PathError> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            let stop = matches!(
                b,
                b'.' | b'[' | b'(' | b' ' | b'\t' | b'\n' | b'\r' | b']' | b'\'' | b'"'
            ) || (in_filter
                && matches!(b, b')' | b'=' | b'!' | b'<' | b'>' | b'&' | b'|' | b','));
            if stop {
                break;
            }
            self.pos += self.rest_char().len_utf8();
        }
        if self.pos == start {
            return self.err("expected a property name");
        }
        Ok(self.text[start..self.pos].into())
    }

    fn bracket(&mut self) -> Result<Segment, PathError> {
        let open = self.pos;
        self.pos += 1; // '['
        self.skip_ws();
        let seg = match self.peek() {
            Some(b'*') => {
                self.pos += 1;
                Segment::Wildcard
            }
            Some(b'\'' | b'"') => {
                let mut keys = vec![self.quoted()?];
                loop {
                    self.skip_ws();
                    if !self.eat(b',') {
                        break;
                    }
                    self.skip_ws();
                    keys.push(self.quoted()?);
                }
                if keys.len() == 1 {
                    Segment::Child(keys.pop().unwrap_or_else(|| "".into()))
                } else {
                    Segment::Children(keys.into_boxed_slice())
                }
            }
            Some(b'?') => {
                self.pos += 1;
                self.skip_ws();
                if !self.eat(b'(') {
                    return self.err("expected '(' after '?'");
                }
                let e = self.expr_or()?;
                self.skip_ws();
                if !self.eat(b')') {
                    return self.err("expected ')' to close the filter");
                }
                Segment::Filter(Box::new(e))
            }
            Some(b'-' | b'0'..=b'9' | b':') => {
                let first = self.opt_int()?;
                self.skip_ws();
                if self.eat(b':') {
                    self.skip_ws();
                    let second = self.opt_int()?;
                    self.skip_ws();
                    if self.peek() == Some(b':') {
                        return self.err("slice steps are not supported");
                    }
                    Segment::Slice(first, second)
                } else {
                    let Some(first) = first else {
                        return self.err("expected an index");
                    };
                    let mut ns = vec![first];
                    loop {
                        self.skip_ws();
                        if !self.eat(b',') {
                            break;
                        }
                        self.skip_ws();
                        match self.opt_int()? {
                            Some(n) => ns.push(n),
                            None => return self.err("expected an index"),
                        }
                    }
                    if ns.len() == 1 {
                        Segment::Index(first)
                    } else {
                        Segment::Indexes(ns.into_boxed_slice())
                    }
                }
            }
            _ => return self.err("expected an index, a quoted name, '*' or a filter after '['"),
        };
        self.skip_ws();
        if !self.eat(b']') {
            if self.pos >= self.text.len() {
                self.pos = open;
                return self.err("unclosed '['");
            }
            return self.err("expected ']'");
        }
        Ok(seg)
    }

    fn opt_int(&mut self) -> Result<Option<i64>, PathError> {
        let start = self.pos;
        self.eat(b'-');
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let s = &self.text[start..self.pos];
        if s.is_empty() {
            return Ok(None);
        }
        match s.parse() {
            Ok(n) => Ok(Some(n)),
            Err(_) => {
                self.pos = start;
                self.err("invalid index")
            }
        }
    }

    fn quoted(&mut self) -> Result<Key, PathError> {
        let Some(q @ (b'\'' | b'"')) = self.peek() else {
            return self.err("expected a quoted name");
        };
        let start = self.pos;
        self.pos += 1;
        let mut s = String::new();
        loop {
            match self.peek() {
                None => {
                    self.pos = start;
                    return self.err("unterminated quoted name");
                }
                Some(b) if b == q => {
                    self.pos += 1;
                    return Ok(s.into());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(c) if c == q || c == b'\\' => {
                            s.push(c as char);
                            self.pos += 1;
                        }
                        _ => s.push('\\'),
                    }
                }
                Some(_) => {
                    let c = self.rest_char();
                    s.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn expr_or(&mut self) -> Result<Expr, PathError> {
        let mut left = self.expr_and()?;
        loop {
            self.skip_ws();
            if self.text[self.pos..].starts_with("||") {
                self.pos += 2;
                let right = self.expr_and()?;
                left = Expr::Or(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    fn expr_and(&mut self) -> Result<Expr, PathError> {
        let mut left = self.expr_unary()?;
        loop {
            self.skip_ws();
            if self.text[self.pos..].starts_with("&&") {
                self.pos += 2;
                let right = self.expr_unary()?;
                left = Expr::And(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    fn expr_unary(&mut self) -> Result<Expr, PathError> {
        if self.depth >= MAX_FILTER_DEPTH {
            return self.err("filter expression nested too deeply");
        }
        self.depth += 1;
        let e = self.expr_unary_inner();
        self.depth -= 1;
        e
    }

    fn expr_unary_inner(&mut self) -> Result<Expr, PathError> {
        self.skip_ws();
        if self.peek() == Some(b'!') && self.peek_at(1) != Some(b'=') {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.expr_unary()?)));
        }
        if self.eat(b'(') {
            let e = self.expr_or()?;
            self.skip_ws();
            if !self.eat(b')') {
                return self.err("expected ')'");
            }
            return Ok(e);
        }
        let left = self.operand()?;
        self.skip_ws();
        let rest = &self.text[self.pos..];
        let op = [
            ("==", CmpOp::Eq),
            ("!=", CmpOp::Ne),
            ("<=", CmpOp::Le),
            (">=", CmpOp::Ge),
            ("<", CmpOp::Lt),
            (">", CmpOp::Gt),
        ]
        .into_iter()
        .find(|(t, _)| rest.starts_with(t));
        match op {
            Some((t, op)) => {
                self.pos += t.len();
                self.skip_ws();
                let right = self.operand()?;
                Ok(Expr::Compare(left, op, right))
            }
            None if rest.starts_with("=~") => {
                self.err("regular expressions in filters are not supported")
            }
            None => match left {
                Operand::Path { .. } => Ok(Expr::Exists(left)),
                Operand::Literal(_) => self.err("expected a comparison operator"),
            },
        }
    }

    fn operand(&mut self) -> Result<Operand, PathError> {
        self.skip_ws();
        match self.peek() {
            Some(b'@') | Some(b'$') => {
                let current = self.peek() == Some(b'@');
                self.pos += 1;
                let segments = self.segments(true)?;
                let definite = segments.iter().all(Segment::is_definite);
                Ok(Operand::Path {
                    current,
                    segments: segments.into_boxed_slice(),
                    definite,
                })
            }
            Some(b'\'' | b'"') => Ok(Operand::Literal(Value::String(self.quoted()?.into()))),
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                self.eat(b'-');
                while self
                    .peek()
                    .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+'))
                {
                    self.pos += 1;
                }
                match Value::parse(&self.text[start..self.pos]) {
                    Ok(v @ Value::Number(_)) => Ok(Operand::Literal(v)),
                    _ => {
                        self.pos = start;
                        self.err("invalid number")
                    }
                }
            }
            _ => {
                // A bare word: `true`, `false`, `null`, or (as AWS reads it) an unquoted string.
                let start = self.pos;
                while let Some(b) = self.peek() {
                    if b.is_ascii_whitespace() || b"()&|=!<>[]'\"".contains(&b) {
                        break;
                    }
                    self.pos += self.rest_char().len_utf8();
                }
                Ok(Operand::Literal(match &self.text[start..self.pos] {
                    "" => {
                        return self
                            .err("expected '@', '$', a string, a number, true, false or null");
                    }
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" => Value::Null,
                    word => Value::string(word),
                }))
            }
        }
    }
}

fn is_var_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_var_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        Value::parse(s).expect("test JSON")
    }

    fn eval(path: &str, input: &str) -> Result<Value, ExecError> {
        let input = v(input);
        Path::parse(path)
            .expect("test path")
            .eval(&Scope::input_only(&input))
    }

    #[test]
    fn multibyte_characters_where_a_quote_belongs_are_an_error_not_a_panic() {
        // Found by the fuzzer: the union loop read the first byte of `õ` as a quote character.
        for text in ["$['a',õ]", "$[õ]", "$['a',😀'b']"] {
            assert!(Path::parse(text).is_err(), "{text}");
        }
        // In a filter an unquoted word is a string, multibyte or not.
        assert_eq!(
            ok("$[?(@.b == õ)].b", r#"[{"b": "õ"}, {"b": 1}]"#),
            r#"["õ"]"#
        );
        assert_eq!(ok("$['õ']", r#"{"õ": 1}"#), "1");
    }

    fn ok(path: &str, input: &str) -> String {
        eval(path, input)
            .map(|v| v.to_json_string())
            .unwrap_or_else(|e| format!("ERR {e}"))
    }

    const STORE: &str = r#"{"store":{"book":[
        {"category":"reference","author":"Nigel Rees","title":"Sayings","price":8.95},
        {"category":"fiction","author":"Evelyn Waugh","title":"Sword","price":12.99},
        {"category":"fiction","author":"Herman Melville","title":"Moby Dick","isbn":"0-553","price":8.99},
        {"category":"fiction","author":"J. R. R. Tolkien","title":"LOTR","isbn":"0-395","price":22.99}],
        "bicycle":{"color":"red","price":19.95}},"expensive":10}"#;

    #[test]
    fn definite_paths_select_one_value() {
        assert_eq!(ok("$", r#"{"a":1}"#), r#"{"a":1}"#);
        assert_eq!(ok("$.a.b", r#"{"a":{"b":[1,2]}}"#), "[1,2]");
        assert_eq!(ok("$['a']['b c']", r#"{"a":{"b c":3}}"#), "3");
        assert_eq!(ok(r#"$["a"]"#, r#"{"a":3}"#), "3");
        assert_eq!(
            ok(
                "$.items[10].k",
                r#"{"items":[0,1,2,3,4,5,6,7,8,9,{"k":10}]}"#
            ),
            "10"
        );
        assert_eq!(ok("$.a[-1]", r#"{"a":[1,2,3]}"#), "3");
        assert_eq!(ok("$.input-value", r#"{"input-value":0}"#), "0");
        assert_eq!(ok("$.a.length()", r#"{"a":[1,2,3]}"#), "3");
        // The result shares the input's container: no copy.
        let input = v(r#"{"a":{"b":{"c":[1,2]}}}"#);
        let got = Path::parse("$.a.b")
            .expect("path")
            .eval(&Scope::input_only(&input))
            .expect("eval");
        let inner = input.get("a").and_then(|a| a.get("b")).expect("a.b");
        assert!(got.ptr_eq(inner));
    }

    #[test]
    fn missing_definite_paths_fail_with_jayway_messages() {
        assert_eq!(
            eval("$.NoSuchInputPath", r#"{"int-literal":0}"#)
                .expect_err("should fail")
                .cause,
            "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"
        );
        let e = eval("$.no.such.result.path", "{}").expect_err("should fail");
        assert_eq!(e.error, ErrorName::Runtime);
        assert_eq!(
            e.cause,
            "Invalid path '$.no.such.result.path' : Missing property in path $['no']"
        );
        assert_eq!(
            eval("$.a[5]", r#"{"a":[1]}"#)
                .expect_err("should fail")
                .cause,
            "Invalid path '$.a[5]' : No results for path: $['a'][5]"
        );
        assert!(
            eval("$.a.b", r#"{"a":1}"#)
                .expect_err("should fail")
                .cause
                .contains("in path $['a'] but found 'java.lang.Integer'")
        );
    }

    #[test]
    fn indefinite_paths_always_give_arrays() {
        for p in [
            "$[*]",
            "$.items[*]",
            "$.items[1:]",
            "$.items[:1]",
            "$.item.items[*]",
            "$.items[1:].itemValue",
            "$.item.items[1:5].itemValue",
        ] {
            assert_eq!(ok(p, "{}"), "[]", "{p}");
        }
        assert_eq!(
            ok("$.store.book[*].author", STORE),
            r#"["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]"#
        );
        assert_eq!(
            ok("$..author", STORE),
            r#"["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]"#
        );
        assert!(ok("$.store.*", STORE).starts_with(r#"[[{"category""#));
        assert_eq!(ok("$.store..price", STORE), "[8.95,12.99,8.99,22.99,19.95]");
        assert_eq!(ok("$..book[2].title", STORE), r#"["Moby Dick"]"#);
        assert_eq!(ok("$..book[-1:].title", STORE), r#"["LOTR"]"#);
        assert_eq!(ok("$..book[0,1].title", STORE), r#"["Sayings","Sword"]"#);
        assert_eq!(ok("$..book[:2].title", STORE), r#"["Sayings","Sword"]"#);
        assert_eq!(ok("$.store.book[1:3].price", STORE), "[12.99,8.99]");
        assert_eq!(
            ok("$.store.bicycle['color','price']", STORE),
            r#"["red",19.95]"#
        );
        assert_eq!(
            ok("$..book[?(@.isbn)].title", STORE),
            r#"["Moby Dick","LOTR"]"#
        );
        assert_eq!(
            ok("$.store.book[?(@.price < 10)].title", STORE),
            r#"["Sayings","Moby Dick"]"#
        );
        assert_eq!(
            ok("$..book[?(@.price <= $['expensive'])].price", STORE),
            "[8.95,8.99]"
        );
        assert_eq!(
            ok(
                "$.store.book[?(@.category == 'fiction' && @.price > 10)].title",
                STORE
            ),
            r#"["Sword","LOTR"]"#
        );
        assert_eq!(
            ok(
                "$.store.book[?(@.price > 20 || @.author == \"Nigel Rees\")].price",
                STORE
            ),
            "[8.95,22.99]"
        );
        assert_eq!(
            ok("$.store.book[?(!(@.price > 10))].price", STORE),
            "[8.95,8.99]"
        );
        assert_eq!(
            ok("$.a[*].b", r#"{"a":[{"b":1},{"c":2},{"b":3}]}"#),
            "[1,3]"
        );
    }

    #[test]
    fn roots_context_and_variables() {
        let input = v(r#"{"a":1}"#);
        let ctx = v(r#"{"Execution":{"Name":"n","Input":{"a":1}}}"#);
        let mut vars = Object::new();
        vars.insert("count".into(), v(r#"{"x":[5]}"#));
        let scope = Scope::new(&input, &ctx, &vars);
        let get = |p: &str| Path::parse(p).expect("path").eval(&scope);
        assert_eq!(get("$$.Execution.Name").expect("ctx"), Value::from("n"));
        assert_eq!(get("$count.x[0]").expect("var"), Value::from_i64(5));
        assert_eq!(get("$count").expect("var").to_json_string(), r#"{"x":[5]}"#);
        assert!(
            get("$nope")
                .expect_err("should fail")
                .cause
                .contains("not defined")
        );
        assert_eq!(
            Path::parse("$$.Execution.Input.no_such_jsonpath")
                .expect("path")
                .eval_field(&scope, "value.$")
                .expect_err("should fail")
                .cause,
            r#"The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"a":1}'"#
        );
        assert_eq!(Path::parse("$$").expect("path").root(), &Root::Context);
        // `$` inside a filter is the document the path runs on (here the context object).
        let ctx = v(r#"{"L":[1,5],"T":2}"#);
        let scope = Scope::new(&input, &ctx, &vars);
        let filtered = Path::parse("$$.L[?(@ > $.T)]")
            .expect("path")
            .eval(&scope)
            .expect("filter");
        assert_eq!(filtered.to_json_string(), "[5]");
        assert_eq!(
            Path::parse("$v_1.a").expect("path").root(),
            &Root::Variable("v_1".into())
        );
    }

    #[test]
    fn classification_and_parse_errors() {
        let p = |s: &str| Path::parse(s).expect(s);
        assert!(p("$.a[0]['b']").is_reference());
        assert!(p("$").is_reference());
        assert!(!p("$.a[*]").is_definite());
        assert!(!p("$..a").is_reference());
        assert!(!p("$.a.length()").is_reference());
        assert_eq!(p("$.a[0].b").canonical(), "$['a'][0]['b']");
        let deep = format!("$[?({}@.a{})]", "(".repeat(100_000), ")".repeat(100_000));
        assert!(
            Path::parse(&deep)
                .expect_err("too deep")
                .message
                .contains("too deeply")
        );
        for (bad, offset) in [
            ("a.b", 0),
            ("$.", 2),
            ("$.a[", 4),
            ("$.a[x]", 4),
            ("$.a]", 3),
            ("$.a[?(@.b =~ /x/)]", 10),
            ("$[1:2:3]", 5),
        ] {
            let e = Path::parse(bad).expect_err(bad);
            assert_eq!(e.offset, offset, "{bad}: {e}");
        }
    }

    #[test]
    fn jayway_leniency_unquoted_words_and_trailing_spaces() {
        let items = r#"[{"Lang": "es", "Text": "hola"}, {"Lang": "fr", "Text": "salut"},
            {"Lang": "true", "Text": "quoted"}, {"Lang": true, "Text": "bool"}]"#;
        // Samples that run on AWS compare with unquoted words: Jayway reads them as strings.
        assert_eq!(ok("$[?(@.Lang==es)].Text", items), r#"["hola"]"#);
        assert_eq!(
            ok("$[?(@.Lang != es && @.Lang!=fr)].Text", items),
            r#"["quoted","bool"]"#
        );
        assert_eq!(
            ok(
                "$..QualityResults[?(@.constraint_status==Failure-1.x)].n",
                r#"{"a": {"QualityResults": [{"constraint_status": "Failure-1.x", "n": 1}, {"n": 2}]}}"#
            ),
            "[1]"
        );
        // `true`, `false` and `null` stay literals.
        assert_eq!(ok("$[?(@.Lang == true)].Text", items), r#"["bool"]"#);
        assert!(Path::parse("$[?(@.a == )]").is_err());
        // Jayway trims trailing spaces (only spaces) before reading a path; the text stays as written.
        let p = Path::parse("$$.Execution.Name  ").expect("trailing spaces");
        assert_eq!(p.as_str(), "$$.Execution.Name  ");
        assert_eq!(p.canonical(), "$['Execution']['Name']");
        assert_eq!(ok("$.a ", r#"{"a": 1}"#), "1");
        for bad in ["$.a\t", "$.a\n", "$.a b", " "] {
            assert!(Path::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn set_creates_objects_and_refuses_non_objects() {
        let set = |path: &str, target: &str, value: &str| {
            Path::parse(path)
                .expect("path")
                .set(v(target), v(value))
                .map(|v| v.to_json_string())
        };
        assert_eq!(set("$", r#"{"a":1}"#, "2").expect("set"), "2");
        assert_eq!(
            set("$.r", r#"{"a":1}"#, "2").expect("set"),
            r#"{"a":1,"r":2}"#
        );
        assert_eq!(
            set("$.x.y.z", r#"{"a":1}"#, "2").expect("set"),
            r#"{"a":1,"x":{"y":{"z":2}}}"#
        );
        assert_eq!(
            set("$.a[1].b", r#"{"a":[0,{}]}"#, "true").expect("set"),
            r#"{"a":[0,{"b":true}]}"#
        );
        assert_eq!(
            set("$.a", r#"{"a":{"old":1}}"#, "[]").expect("set"),
            r#"{"a":[]}"#
        );
        let e = set("$.a.b", r#"{"a":"str"}"#, "1").expect_err("should fail");
        assert_eq!(e.error, ErrorName::ResultPathMatchFailure);
        assert_eq!(
            e.cause,
            r#"Unable to apply ReferencePath $.a.b to input {"a":"str"}"#
        );
        assert!(set("$.a", r#""str""#, "1").is_err());
        assert!(set("$.a[3]", r#"{"a":[1]}"#, "1").is_err());
        assert!(set("$.a[*]", r#"{"a":[1]}"#, "1").is_err());
        // Copy on write: the original target is untouched.
        let target = v(r#"{"k":{"n":1}}"#);
        let out = Path::parse("$.k.m")
            .expect("path")
            .set(target.clone(), v("2"))
            .expect("set");
        assert_eq!(target.to_json_string(), r#"{"k":{"n":1}}"#);
        assert_eq!(out.to_json_string(), r#"{"k":{"n":1,"m":2}}"#);
    }

    #[test]
    fn java_to_string_matches_aws_format_output() {
        assert_eq!(
            java_to_string(&v(r#"{"Arg1":1,"Arg2":[]}"#)),
            "{Arg1=1, Arg2=[]}"
        );
        assert_eq!(
            java_to_string(&v(r#"[1,"a",null,1.1,{"x":true}]"#)),
            "[1, a, null, 1.1, {x=true}]"
        );
    }

    /// Every JSONPath and intrinsic call in the recorded definitions that ran compiles.
    #[test]
    #[allow(clippy::disallowed_methods)] // Test data is read from disk; the library itself reads no files.
    fn conformance_definitions_paths_all_parse() {
        fn walk(node: &serde_json::Value, jsonata: bool, out: &mut Vec<String>) {
            match node {
                serde_json::Value::Object(m) => {
                    let jsonata = match m.get("QueryLanguage").and_then(|q| q.as_str()) {
                        Some(q) => q == "JSONata",
                        None => jsonata,
                    };
                    for (k, v) in m {
                        let pathy = k.ends_with(".$")
                            || k == "Variable"
                            || (k.ends_with("Path") && k != "TimestampEqualsPath");
                        match v.as_str() {
                            Some(s) if pathy && !jsonata => out.push(s.to_string()),
                            _ => walk(v, jsonata, out),
                        }
                    }
                }
                serde_json::Value::Array(items) => items.iter().for_each(|i| walk(i, jsonata, out)),
                _ => {}
            }
        }
        let dir = crate::intrinsics::tests_support::conformance_dir();
        let mut strings = Vec::new();
        for file in ["localstack.jsonl", "aws-local-stepfunctions.jsonl"] {
            let text = std::fs::read_to_string(dir.join(file)).expect("read cases");
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let case: serde_json::Value = serde_json::from_str(line).expect("case JSON");
                // aws-local-stepfunctions' error cases were never accepted by AWS.
                if case["source"] != "localstack" && case["expected"]["status"] == "FAILED" {
                    continue;
                }
                walk(&case["definition"], false, &mut strings);
            }
        }
        strings.sort();
        strings.dedup();
        let bad: Vec<String> = strings
            .iter()
            .filter_map(|s| {
                let r = if crate::intrinsics::Call::looks_like_call(s) {
                    crate::intrinsics::Call::parse(s)
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                } else if s.starts_with('$') {
                    Path::parse(s).map(|_| ()).map_err(|e| e.to_string())
                } else {
                    Ok(())
                };
                r.err().map(|e| format!("{s}: {e}"))
            })
            .collect();
        println!(
            "{} distinct paths and calls in recorded definitions, {} rejected",
            strings.len(),
            bad.len()
        );
        assert!(strings.len() > 100, "too few paths found");
        assert!(bad.is_empty(), "rejected:\n{}", bad.join("\n"));
    }
}
