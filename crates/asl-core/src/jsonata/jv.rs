//! The values an evaluation works on: asl-core's shared [`Value`]s as they come (arrays and objects
//! are never converted or copied, only pointed at), plus what JSONata adds: numbers as `f64`,
//! sequences with JSONata's flags, objects that hold functions, and functions themselves.
//!
//! Owns [`JV`], conversion to and from [`Value`], deep equality, truthiness (`$boolean`) and the
//! JSON text `$string` writes. Not owned here: evaluation ([`super::eval`]).

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use indexmap::IndexMap;
use rustc_hash::FxBuildHasher;

use crate::value::{Array, Key, Object, Value};

use super::ast::{LambdaDef, Node};
use super::error::{JResult, err};
use super::functions::Builtin;

/// A JSONata value (undefined is `None` in an `Option<JV>`).
///
/// The tag is a whole word (`repr(u64)`) so that every variant's data starts 8 bytes in: with a
/// one-byte tag, `Bool` sat at byte 1, and moving a value whose variant the compiler does not
/// know copied bytes 1..24 in 16- and 8-byte pieces straddling the pointer stored at byte 8, a
/// store-forwarding stall on every field read (`Evaluator::field`'s largest cost). Same size,
/// and `Option<JV>` still fits in the tag.
#[derive(Clone)]
#[repr(u64)]
pub(crate) enum JV<'a> {
    Null,
    Bool(bool),
    Num(f64),
    Str(Arc<str>),
    /// An array of the input (or built and converted), shared.
    DArr(Arc<Array>),
    /// An object of the input (or built and converted), shared.
    DObj(Arc<Object>),
    /// An array or sequence built during evaluation.
    Arr(Rc<Seq<'a>>),
    /// An object that holds a function (any other built object is a [`JV::DObj`]).
    Obj(Rc<JObj<'a>>),
    Func(Rc<Func<'a>>),
}

pub(crate) type Val<'a> = Option<JV<'a>>;

pub(crate) type JObj<'a> = IndexMap<Key, JV<'a>, FxBuildHasher>;

/// An array built during evaluation, with JSONata's flags.
#[derive(Clone, Default)]
pub(crate) struct Seq<'a> {
    pub items: Vec<JV<'a>>,
    /// A sequence (result of a path), flattened and unwrapped when singleton.
    pub sequence: bool,
    pub keep_singleton: bool,
    /// Built by an array constructor (`[…]`): not flattened into a path's result.
    pub cons: bool,
    /// The evaluation's input array, wrapped so that it counts as one item.
    pub outer_wrapper: bool,
}

impl<'a> Seq<'a> {
    pub fn empty_seq() -> Self {
        Seq {
            sequence: true,
            ..Seq::default()
        }
    }

    pub fn seq_with(items: Vec<JV<'a>>) -> Self {
        Seq {
            items,
            sequence: true,
            ..Seq::default()
        }
    }

    pub fn into_jv(self) -> JV<'a> {
        JV::Arr(Rc::new(self))
    }
}

/// A variable frame (a block, a lambda call, a tuple of `@`/`#` bindings).
pub(crate) struct Frame<'a> {
    pub vars: RefCell<Vec<(Arc<str>, JV<'a>)>>,
    pub parent: Option<Rc<Frame<'a>>>,
}

pub(crate) type Env<'a> = Rc<Frame<'a>>;

impl<'a> Frame<'a> {
    pub fn root() -> Env<'a> {
        Rc::new(Frame {
            vars: RefCell::new(Vec::new()),
            parent: None,
        })
    }

    pub fn child(parent: &Env<'a>) -> Env<'a> {
        Rc::new(Frame {
            vars: RefCell::new(Vec::new()),
            parent: Some(parent.clone()),
        })
    }

    pub fn bind(&self, name: Arc<str>, value: Val<'a>) {
        let mut vars = self.vars.borrow_mut();
        match value {
            Some(v) => {
                if let Some(slot) = vars.iter_mut().find(|(k, _)| *k == name) {
                    slot.1 = v;
                } else {
                    vars.push((name, v));
                }
            }
            // Binding undefined hides an outer binding of the same name.
            None => {
                vars.retain(|(k, _)| *k != name);
                vars.push((name, JV::Func(Rc::new(Func::Undefined))));
            }
        }
    }

    /// `Some(None)` when bound to undefined; `None` when not bound here or above.
    pub fn lookup(&self, name: &str) -> Option<Val<'a>> {
        let mut frame = self;
        loop {
            if let Some((_, v)) = frame.vars.borrow().iter().find(|(k, _)| &**k == name) {
                if let JV::Func(f) = v
                    && matches!(**f, Func::Undefined)
                {
                    return Some(None);
                }
                return Some(Some(v.clone()));
            }
            match &frame.parent {
                Some(p) => frame = p,
                None => return None,
            }
        }
    }
}

pub(crate) enum Func<'a> {
    Lambda {
        def: &'a LambdaDef,
        env: Env<'a>,
        input: Val<'a>,
    },
    Builtin(Builtin),
    /// A partially applied function: `None` marks a `?` still to be filled.
    Partial {
        target: JV<'a>,
        args: Vec<Option<Val<'a>>>,
    },
    /// A regex literal, callable as a matcher.
    Regex(Arc<super::regex::Regex>),
    /// `f ~> g` of two functions.
    Chain(JV<'a>, JV<'a>),
    /// `| pattern | update, delete |`.
    Transform {
        node: &'a Node,
        env: Env<'a>,
    },
    /// Marker for a variable bound to undefined (never escapes a frame).
    Undefined,
    /// Marker for a tuple stream a nested path hands to the step around it (JSONata passes the
    /// tuples themselves; they live in the evaluator's side table, this is their index).
    Tuples(usize),
}

impl<'a> Func<'a> {
    /// The number of parameters (for `$map`-like functions that pass 1 to 3 arguments).
    pub fn arity(&self) -> usize {
        match self {
            Func::Lambda { def, .. } => def.params.len(),
            Func::Builtin(b) => b.arity(),
            Func::Partial { args, .. } => args.iter().filter(|a| a.is_none()).count(),
            Func::Regex(_) => 1,
            Func::Chain(..) | Func::Transform { .. } => 1,
            Func::Undefined | Func::Tuples(_) => 0,
        }
    }
}

impl<'a> JV<'a> {
    #[inline]
    pub fn from_value(v: &Value) -> JV<'a> {
        match v {
            Value::Null => JV::Null,
            Value::Bool(b) => JV::Bool(*b),
            Value::Number(n) => JV::Num(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => JV::Str(s.clone()),
            Value::Array(a) => JV::DArr(a.clone()),
            Value::Object(o) => JV::DObj(o.clone()),
        }
    }

    pub fn str(s: &str) -> JV<'a> {
        JV::Str(Arc::from(s))
    }

    pub fn is_array(&self) -> bool {
        matches!(self, JV::Arr(_) | JV::DArr(_))
    }

    pub fn is_object(&self) -> bool {
        matches!(self, JV::Obj(_) | JV::DObj(_))
    }

    pub fn is_sequence(&self) -> bool {
        matches!(self, JV::Arr(s) if s.sequence)
    }

    pub fn num(&self) -> Option<f64> {
        match self {
            JV::Num(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            JV::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn arr_len(&self) -> usize {
        match self {
            JV::Arr(s) => s.items.len(),
            JV::DArr(a) => a.len(),
            _ => 0,
        }
    }

    pub fn arr_get(&self, i: usize) -> Option<JV<'a>> {
        match self {
            JV::Arr(s) => s.items.get(i).cloned(),
            JV::DArr(a) => a.get(i).map(JV::from_value),
            _ => None,
        }
    }

    /// The items of an array (empty for anything else).
    pub fn items(&self) -> ArrIter<'_, 'a> {
        match self {
            JV::Arr(s) => ArrIter::J(s.items.iter()),
            JV::DArr(a) => ArrIter::D(a.iter()),
            _ => ArrIter::J([].iter()),
        }
    }

    pub fn to_vec(&self) -> Vec<JV<'a>> {
        self.items().collect()
    }

    pub fn obj_get(&self, key: &str) -> Option<JV<'a>> {
        match self {
            JV::DObj(o) => o.get(key).map(JV::from_value),
            JV::Obj(o) => o.get(key).cloned(),
            _ => None,
        }
    }

    pub fn obj_len(&self) -> usize {
        match self {
            JV::DObj(o) => o.len(),
            JV::Obj(o) => o.len(),
            _ => 0,
        }
    }

    pub fn obj_entries(&self) -> Vec<(Key, JV<'a>)> {
        match self {
            JV::DObj(o) => o
                .iter()
                .map(|(k, v)| (k.clone(), JV::from_value(v)))
                .collect(),
            JV::Obj(o) => o.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            _ => Vec::new(),
        }
    }

    pub fn obj_keys(&self) -> Vec<Key> {
        match self {
            JV::DObj(o) => o.keys().cloned().collect(),
            JV::Obj(o) => o.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    /// JSONata's type name (`$type`).
    pub fn type_name(&self) -> &'static str {
        match self {
            JV::Null => "null",
            JV::Bool(_) => "boolean",
            JV::Num(_) => "number",
            JV::Str(_) => "string",
            JV::Arr(_) | JV::DArr(_) => "array",
            JV::Obj(_) | JV::DObj(_) => "object",
            JV::Func(_) => "function",
        }
    }

    /// A plain array value from items.
    pub fn array(items: Vec<JV<'a>>) -> JV<'a> {
        Seq {
            items,
            ..Seq::default()
        }
        .into_jv()
    }

    /// Converts to a [`Value`]; `None` for a function (which JSON cannot hold).
    pub fn to_value(&self) -> Option<Value> {
        Some(match self {
            JV::Null => Value::Null,
            JV::Bool(b) => Value::Bool(*b),
            JV::Num(n) => num_value(*n),
            JV::Str(s) => Value::String(s.clone()),
            JV::DArr(a) => Value::Array(a.clone()),
            JV::DObj(o) => Value::Object(o.clone()),
            JV::Arr(s) => Value::Array(Arc::new(Array::from_vec(
                s.items.iter().filter_map(JV::to_value).collect(),
            ))),
            JV::Obj(o) => {
                let mut obj = Object::with_capacity(o.len());
                for (k, v) in o.iter() {
                    if let Some(v) = v.to_value() {
                        obj.push_unique(k.clone(), v);
                    }
                }
                Value::Object(Arc::new(obj))
            }
            JV::Func(_) => return None,
        })
    }

    /// Whether the value holds a function anywhere (so it cannot become a [`Value`]).
    pub fn holds_func(&self) -> bool {
        match self {
            JV::Func(_) | JV::Obj(_) => true,
            // Kept as JSONata values so that `$string` can report D1001 for them.
            JV::Num(n) => !n.is_finite(),
            JV::Arr(s) => s.items.iter().any(JV::holds_func),
            _ => false,
        }
    }
}

/// A JSON number from an `f64` (integers exactly; `-0` as `0`).
pub(crate) fn num_value(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        Value::from_i64(n as i64)
    } else {
        Value::from_f64(n)
    }
}

pub(crate) enum ArrIter<'b, 'a> {
    D(std::slice::Iter<'b, Value>),
    J(std::slice::Iter<'b, JV<'a>>),
}

impl<'a> Iterator for ArrIter<'_, 'a> {
    type Item = JV<'a>;
    #[inline]
    fn next(&mut self) -> Option<JV<'a>> {
        match self {
            ArrIter::D(it) => it.next().map(JV::from_value),
            ArrIter::J(it) => it.next().cloned(),
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            ArrIter::D(it) => it.size_hint(),
            ArrIter::J(it) => it.size_hint(),
        }
    }
}

/// JSONata's deep equality (`=`, `$distinct`).
pub(crate) fn deep_equal<'a>(a: &JV<'a>, b: &JV<'a>) -> bool {
    deep_equal_at(a, b, 0)
}

fn deep_equal_at<'a>(a: &JV<'a>, b: &JV<'a>, depth: usize) -> bool {
    if depth > MAX_VALUE_DEPTH {
        return false;
    }
    match (a, b) {
        (JV::Null, JV::Null) => true,
        (JV::Bool(x), JV::Bool(y)) => x == y,
        (JV::Num(x), JV::Num(y)) => x == y,
        (JV::Str(x), JV::Str(y)) => x == y,
        (JV::DArr(x), JV::DArr(y)) => Arc::ptr_eq(x, y) || x.as_slice() == y.as_slice(),
        (JV::DObj(x), JV::DObj(y)) => {
            Arc::ptr_eq(x, y) || Value::Object(x.clone()) == Value::Object(y.clone())
        }
        (x, y) if x.is_array() && y.is_array() => {
            x.arr_len() == y.arr_len()
                && x.items()
                    .zip(y.items())
                    .all(|(p, q)| deep_equal_at(&p, &q, depth + 1))
        }
        (x, y) if x.is_object() && y.is_object() => {
            x.obj_len() == y.obj_len()
                && x.obj_entries().iter().all(|(k, v)| {
                    y.obj_get(k)
                        .is_some_and(|w| deep_equal_at(v, &w, depth + 1))
                })
        }
        (JV::Func(x), JV::Func(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

/// `$boolean`: JSONata's truthiness.
pub(crate) fn truthy(v: &JV) -> bool {
    match v {
        JV::Null => false,
        JV::Bool(b) => *b,
        JV::Num(n) => *n != 0.0 && !n.is_nan(),
        JV::Str(s) => !s.is_empty(),
        JV::Arr(_) | JV::DArr(_) => match v.arr_len() {
            0 => false,
            1 => v.arr_get(0).is_some_and(|x| truthy(&x)),
            _ => v.items().any(|x| truthy(&x)),
        },
        JV::Obj(_) | JV::DObj(_) => v.obj_len() > 0,
        JV::Func(_) => false,
    }
}

/// A number as JavaScript's `String(n)` prints it.
pub(crate) fn js_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n == 0.0 {
        return "0".into();
    }
    if n.fract() == 0.0 && n.abs() < 1e21 && n.abs() < 9.007_199_254_740_992e15 {
        return (n as i64).to_string();
    }
    let mut buf = ryu_js::Buffer::new();
    buf.format(n).to_string()
}

/// `Number(n.toPrecision(15))`: how `$string` rounds numbers.
pub(crate) fn precision15(n: f64) -> f64 {
    if !n.is_finite() || n == 0.0 {
        return n;
    }
    // Most numbers are unchanged by the rounding, and finding that out is far cheaper than the
    // exact 15-digit formatting (a tenth of a Map item's or a Task's time went there). An integer
    // below 1e15 has at most 15 digits. A normal number whose shortest round-trip decimal has at
    // most 15 significant digits is within half an ulp of that decimal, which is less than half
    // a unit of the 15th digit (an ulp is below 2.3e-16 of the value), so rounding to 15 digits
    // gives that decimal, which reads back as `n`.
    if (n.fract() == 0.0 && n.abs() < 1e15)
        || (n.is_normal() && significant_digits(ryu_js::Buffer::new().format(n)) <= 15)
    {
        return n;
    }
    crate::text::parse_f64(&crate::float_fmt::exp_fixed(n, 14)).unwrap_or(n)
}

/// The significant digits of a number as ryu writes it (`-1.25e-7`: 3, `0.0120`: 2).
fn significant_digits(text: &str) -> usize {
    let mantissa = text.split(['e', 'E']).next().unwrap_or(text);
    let (mut count, mut first, mut last) = (0, None, 0);
    for d in mantissa.bytes().filter(u8::is_ascii_digit) {
        if d != b'0' {
            first.get_or_insert(count);
            last = count + 1;
        }
        count += 1;
    }
    first.map_or(0, |f| last - f)
}

/// `$string` of a value: strings as they are, everything else as JSON with numbers rounded to 15
/// significant digits, functions as `""`.
pub(crate) fn to_js_string(v: &JV, pretty: bool) -> JResult<String> {
    match v {
        JV::Str(s) => Ok(s.to_string()),
        JV::Func(_) => Ok(String::new()),
        JV::Num(n) if !n.is_finite() => Err(err(
            "D3001",
            "Attempting to invoke string function on Infinity or NaN",
        )),
        _ => {
            let mut out = String::new();
            let v = match v {
                JV::Arr(s) if s.outer_wrapper && !s.items.is_empty() => &s.items[0],
                _ => v,
            };
            write_json(&mut out, v, pretty, 0)?;
            Ok(out)
        }
    }
}

pub(crate) fn write_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn newline(out: &mut String, pretty: bool, depth: usize) {
    if pretty {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
}

/// Values nested deeper than this (only an expression can build them; parsed JSON stops at 128)
/// are refused by the recursive walks here rather than risking the stack.
pub(crate) const MAX_VALUE_DEPTH: usize = 1000;

fn write_json(out: &mut String, v: &JV, pretty: bool, depth: usize) -> JResult<()> {
    if depth > MAX_VALUE_DEPTH {
        return Err(err("U1001", "Value nested too deeply to stringify"));
    }
    match v {
        JV::Null => out.push_str("null"),
        JV::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        JV::Num(n) => {
            if !n.is_finite() {
                return Err(err("D1001", "Number out of range"));
            }
            out.push_str(&js_number(precision15(*n)));
        }
        JV::Str(s) => write_json_str(out, s),
        JV::Func(_) => out.push_str("\"\""),
        JV::Arr(_) | JV::DArr(_) => {
            if v.arr_len() == 0 {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, item) in v.items().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, pretty, depth + 1);
                write_json(out, &item, pretty, depth + 1)?;
            }
            newline(out, pretty, depth);
            out.push(']');
        }
        JV::Obj(_) | JV::DObj(_) => {
            if v.obj_len() == 0 {
                out.push_str("{}");
                return Ok(());
            }
            out.push('{');
            for (i, (k, val)) in v.obj_entries().iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, pretty, depth + 1);
                write_json_str(out, k);
                out.push(':');
                if pretty {
                    out.push(' ');
                }
                write_json(out, val, pretty, depth + 1)?;
            }
            newline(out, pretty, depth);
            out.push('}');
        }
    }
    Ok(())
}

/// Builds an object value from members: a shared [`Value`] object unless a member is a function.
/// A later member with the key of an earlier one replaces its value.
pub(crate) fn make_object<'a>(members: Vec<(Key, JV<'a>)>) -> JV<'a> {
    build_object(members, false)
}

/// [`make_object`] for members whose keys the caller has made distinct (an object constructor,
/// group-by): no lookup per member.
pub(crate) fn make_distinct_object<'a>(members: Vec<(Key, JV<'a>)>) -> JV<'a> {
    build_object(members, true)
}

fn build_object<'a>(members: Vec<(Key, JV<'a>)>, distinct: bool) -> JV<'a> {
    if members.iter().any(|(_, v)| v.holds_func()) {
        let mut o = JObj::default();
        for (k, v) in members {
            o.insert(k, v);
        }
        return JV::Obj(Rc::new(o));
    }
    let mut obj = Object::with_capacity(members.len());
    for (k, v) in members {
        if let Some(v) = v.to_value() {
            if distinct {
                obj.push_unique(k, v);
            } else {
                obj.insert(k, v);
            }
        }
    }
    JV::DObj(Arc::new(obj))
}
