//! The shortcut for the expressions Step Functions definitions are mostly made of: literals,
//! `$var.a.b` paths through objects, arithmetic, comparisons, `&`, `and`/`or`, `? :`, array and
//! object constructors and a few one-argument built-ins (`$string`, `$count`, `$uppercase`,
//! `$lowercase`, `$merge`), evaluated straight
//! over shared [`Value`]s with no evaluator, frame or sequence built.
//!
//! Owns lowering a compiled tree to [`Fast`] (at compile time, only when every node is one of the
//! forms above with none of JSONata's path decorations) and evaluating it. Whenever a value is
//! not the plain case (an array in the middle of a path, an operand of the wrong type, a
//! non-finite number, a variable that shadows a built-in…) evaluation gives up with [`Bail`] and
//! the caller runs the full evaluator ([`super::eval`]) on the same expression, which has no side
//! effects, so every error and corner case keeps exactly one implementation. The official suite
//! runs through here too.
//!
//! Not owned here: JSONata's semantics in general ([`super::eval`]).

use std::sync::Arc;

use super::Variables;
use super::ast::{BinOp, Kind, Node, Stage};
use super::functions::{Builtin, lookup_builtin};
use super::jv::{js_number, num_value, precision15};
use crate::value::{Key, Object, Value};

/// An expression in the shortcut's form.
#[derive(Debug)]
pub(crate) enum Fast {
    Lit(Value),
    /// `$name.k1.k2…` (no keys: the variable alone).
    Var(Arc<str>, Vec<Key>),
    Neg(Box<Fast>),
    Binary(BinOp, Box<Fast>, Box<Fast>),
    Cond(Box<Fast>, Box<Fast>, Option<Box<Fast>>),
    Call(Arc<str>, Builtin, Vec<Fast>),
    /// `$`: the item a predicate is testing.
    Context,
    /// `source[predicate]`: the items of `source` the predicate keeps (with `$` the item).
    Filter(Box<Fast>, Box<Fast>),
    /// `[…]`: each item with whether it is itself a constructor (kept whole, not flattened).
    Array(Vec<(Fast, bool)>),
    /// `{'k': v, …}` with distinct literal keys.
    Object(Vec<(Key, Fast)>),
}

/// The value is not the plain case: run the full evaluator.
#[derive(Debug)]
pub(crate) struct Bail;

/// An intermediate value (undefined included); numbers as JSONata holds them.
enum FV {
    Undef,
    Null,
    Bool(bool),
    Num(f64),
    Str(Arc<str>),
    /// An array or object, shared.
    Other(Value),
}

impl FV {
    fn of(v: &Value) -> FV {
        match v {
            Value::Null => FV::Null,
            Value::Bool(b) => FV::Bool(*b),
            Value::Number(n) => FV::Num(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => FV::Str(s.clone()),
            other => FV::Other(other.clone()),
        }
    }

    /// The JSON value (`None`: undefined); a non-finite number bails (the evaluator's D1001).
    fn into_value(self) -> Result<Option<Value>, Bail> {
        Ok(Some(match self {
            FV::Undef => return Ok(None),
            FV::Null => Value::Null,
            FV::Bool(b) => Value::Bool(b),
            FV::Num(n) if n.is_finite() => num_value(n),
            FV::Num(_) => return Err(Bail),
            FV::Str(s) => Value::String(s),
            FV::Other(v) => v,
        }))
    }

    /// JSONata's truthiness for scalars (arrays and objects bail: their rules are the
    /// evaluator's).
    fn truthy(&self) -> Result<bool, Bail> {
        Ok(match self {
            FV::Undef | FV::Null => false,
            FV::Bool(b) => *b,
            FV::Num(n) => *n != 0.0 && !n.is_nan(),
            FV::Str(s) => !s.is_empty(),
            FV::Other(_) => return Err(Bail),
        })
    }

    /// `$string` of a scalar (`None` for undefined).
    fn string(&self) -> Result<Option<Arc<str>>, Bail> {
        Ok(Some(match self {
            FV::Undef => return Ok(None),
            FV::Str(s) => s.clone(),
            FV::Num(n) if n.is_finite() => js_number(precision15(*n)).into(),
            FV::Bool(true) => "true".into(),
            FV::Bool(false) => "false".into(),
            FV::Null => "null".into(),
            FV::Num(_) | FV::Other(_) => return Err(Bail),
        }))
    }
}

/// Lowers a compiled expression, or `None` when some node is outside the shortcut's forms.
pub(crate) fn lower(node: &Node) -> Option<Fast> {
    lower_in(node, false)
}

/// `in_pred`: inside a predicate, where `$` is the item tested.
fn lower_in(node: &Node, in_pred: bool) -> Option<Fast> {
    let lower = |n: &Node| lower_in(n, in_pred);
    if !plain(node) {
        return None;
    }
    Some(match &node.kind {
        Kind::Str(s, _) => Fast::Lit(Value::String(s.clone())),
        Kind::Num(n) if n.is_finite() => Fast::Lit(num_value(*n)),
        Kind::Bool(b) => Fast::Lit(Value::Bool(*b)),
        Kind::Null => Fast::Lit(Value::Null),
        Kind::Var(name) if name.is_empty() && in_pred => Fast::Context,
        Kind::Var(name) => Fast::Var(var_name(name)?, Vec::new()),
        Kind::Path(steps) => {
            if !node.simple_path || node.keep_singleton_array {
                return None;
            }
            let (first, rest) = steps.split_first()?;
            let Kind::Var(name) = &first.kind else {
                return None;
            };
            if !plain(first) {
                return None;
            }
            let mut keys = Vec::with_capacity(rest.len());
            let mut filter = None;
            for (i, step) in rest.iter().enumerate() {
                let Kind::Name(k) = &step.kind else {
                    return None;
                };
                keys.push(Key::from(&**k));
                if plain(step) {
                    continue;
                }
                // One predicate on the last step, testing each item (not an index).
                match step.stages.as_slice() {
                    [Stage::Filter(p)]
                        if i + 1 == rest.len()
                            && step.predicate.is_empty()
                            && plain_but_stages(step)
                            && !matches!(p.kind, Kind::Num(_)) =>
                    {
                        filter = Some(lower_in(p, true)?);
                    }
                    _ => return None,
                }
            }
            let path = Fast::Var(var_name(name)?, keys);
            match filter {
                Some(p) => Fast::Filter(Box::new(path), Box::new(p)),
                None => path,
            }
        }
        Kind::Neg(e) => Fast::Neg(Box::new(lower(e)?)),
        Kind::Binary(op, l, r) => match op {
            BinOp::Range | BinOp::In => return None,
            _ => Fast::Binary(*op, Box::new(lower(l)?), Box::new(lower(r)?)),
        },
        Kind::Condition(c, t, e) => Fast::Cond(
            Box::new(lower(c)?),
            Box::new(lower(t)?),
            match e {
                Some(e) => Some(Box::new(lower(e)?)),
                None => None,
            },
        ),
        Kind::Function(p, args) => {
            let name = match &p.kind {
                Kind::Var(n) if plain(p) => n,
                _ => return None,
            };
            let b = lookup_builtin(name)?;
            let arity_ok = match b {
                Builtin::String
                | Builtin::Count
                | Builtin::Uppercase
                | Builtin::Lowercase
                | Builtin::Merge => args.len() == 1,
                Builtin::Join => matches!(args.len(), 1 | 2),
                _ => false,
            };
            if !arity_ok {
                return None;
            }
            Fast::Call(
                name.clone(),
                b,
                args.iter().map(lower).collect::<Option<_>>()?,
            )
        }
        Kind::Array(items) => Fast::Array(
            items
                .iter()
                .map(|i| Some((lower(i)?, matches!(i.kind, Kind::Array(_)))))
                .collect::<Option<_>>()?,
        ),
        Kind::Object(pairs) => {
            let mut members: Vec<(Key, Fast)> = Vec::with_capacity(pairs.len());
            for (k, v) in pairs {
                let Kind::Str(_, key) = &k.kind else {
                    return None;
                };
                // A repeated key is an error (D1009): the evaluator's to report.
                if !plain(k) || members.iter().any(|(m, _)| m == key) {
                    return None;
                }
                members.push((key.clone(), lower(v)?));
            }
            Fast::Object(members)
        }
        _ => return None,
    })
}

/// A variable the shortcut can read: not `$` (the input) or `$$` (the root).
fn var_name(name: &Arc<str>) -> Option<Arc<str>> {
    (!name.is_empty() && &**name != "$").then(|| name.clone())
}

/// No predicate, index, focus, grouping, sorting or tuple marks on the node.
fn plain(n: &Node) -> bool {
    n.stages.is_empty() && plain_but_stages(n)
}

/// [`plain`] but for the stages of a path step.
fn plain_but_stages(n: &Node) -> bool {
    !n.keep_array
        && !n.keep_singleton_array
        && n.predicate.is_empty()
        && n.group.is_none()
        && n.focus.is_none()
        && n.index.is_none()
        && !n.tuple
        && n.ancestor.is_none()
        && n.seeking_parent.is_empty()
        && !n.consarray
}

impl Fast {
    /// The result (`None`: undefined), or [`Bail`] for the full evaluator.
    pub(crate) fn evaluate(&self, vars: &dyn Variables) -> Result<Option<Value>, Bail> {
        self.eval(vars, None)?.into_value()
    }

    /// `ctx`: the item a predicate tests (`$`).
    fn eval(&self, vars: &dyn Variables, ctx: Option<&Value>) -> Result<FV, Bail> {
        match self {
            Fast::Lit(v) => Ok(FV::of(v)),
            Fast::Var(name, keys) => var_path(vars, name, keys),
            Fast::Neg(e) => match e.eval(vars, ctx)? {
                FV::Undef => Ok(FV::Undef),
                FV::Num(n) => Ok(FV::Num(-n)),
                _ => Err(Bail),
            },
            Fast::Binary(op, l, r) => binary(*op, l, r, vars, ctx),
            Fast::Cond(c, t, e) => {
                if c.eval(vars, ctx)?.truthy()? {
                    t.eval(vars, ctx)
                } else if let Some(e) = e {
                    e.eval(vars, ctx)
                } else {
                    Ok(FV::Undef)
                }
            }
            Fast::Call(name, b, args) => {
                // A variable of that name hides the built-in.
                if bound(vars, name) {
                    return Err(Bail);
                }
                // `$merge([…])`: the items merged as they are evaluated, without the array.
                if let (Builtin::Merge, [Fast::Array(items)]) = (b, args.as_slice()) {
                    return merge_items(items, vars, ctx);
                }
                // One or two arguments (see `lower`): no vector for them.
                let a = match args.first() {
                    Some(a) => a.eval(vars, ctx)?,
                    None => FV::Undef,
                };
                match b {
                    Builtin::String => Ok(a.string()?.map_or(FV::Undef, FV::Str)),
                    Builtin::Count => Ok(FV::Num(match &a {
                        FV::Undef => 0.0,
                        FV::Other(Value::Array(items)) => items.len() as f64,
                        _ => 1.0,
                    })),
                    Builtin::Uppercase | Builtin::Lowercase => match a {
                        FV::Undef => Ok(FV::Undef),
                        FV::Str(s) => Ok(FV::Str(if *b == Builtin::Uppercase {
                            crate::text::to_uppercase(&s).into()
                        } else {
                            crate::text::to_lowercase(&s).into()
                        })),
                        _ => Err(Bail),
                    },
                    Builtin::Merge => merge(a),
                    Builtin::Join => join(
                        a,
                        match args.get(1) {
                            Some(sep) => sep.eval(vars, ctx)?,
                            None => FV::Undef,
                        },
                    ),
                    _ => Err(Bail),
                }
            }
            Fast::Context => ctx.map(FV::of).ok_or(Bail),
            Fast::Filter(source, pred) => {
                let items = match source.eval(vars, ctx)? {
                    FV::Undef => return Ok(FV::Undef),
                    FV::Other(Value::Array(items)) => items,
                    other => Arc::new(crate::value::Array::from_vec(Vec::from_iter(
                        other.into_value()?,
                    ))),
                };
                let mut kept = Vec::new();
                for item in items.iter() {
                    // A number would select by index: the evaluator's case.
                    match pred.eval(vars, Some(item))? {
                        FV::Num(_) => return Err(Bail),
                        r if r.truthy()? => kept.push(item.clone()),
                        _ => {}
                    }
                }
                // A sequence: none is undefined, one is that item.
                Ok(match kept.len() {
                    0 => FV::Undef,
                    1 => FV::of(&kept[0]),
                    _ => FV::Other(Value::array(kept)),
                })
            }
            Fast::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (item, constructor) in items {
                    match item.eval(vars, ctx)? {
                        // An array from anything but a constructor joins item by item.
                        FV::Other(Value::Array(a)) if !constructor => out.extend(a.iter().cloned()),
                        v => out.extend(v.into_value()?),
                    }
                }
                Ok(FV::Other(Value::array(out)))
            }
            Fast::Object(members) => {
                let mut obj = Object::with_capacity(members.len());
                for (k, v) in members {
                    if let Some(v) = v.eval(vars, ctx)?.into_value()? {
                        obj.push_unique(k.clone(), v);
                    }
                }
                Ok(FV::Other(Value::object(obj)))
            }
        }
    }
}

/// `$join`: strings (one string counts as a list of one) joined with the separator.
fn join(list: FV, sep: FV) -> Result<FV, Bail> {
    let sep = match &sep {
        FV::Undef => "",
        FV::Str(s) => s,
        _ => return Err(Bail),
    };
    let out = match list {
        FV::Undef => return Ok(FV::Undef),
        FV::Str(s) => return Ok(FV::Str(s)),
        FV::Other(Value::Array(items)) => {
            let mut out = String::new();
            for (i, item) in items.iter().enumerate() {
                let Value::String(s) = item else {
                    return Err(Bail);
                };
                if i > 0 {
                    out.push_str(sep);
                }
                out.push_str(s);
            }
            out
        }
        _ => return Err(Bail),
    };
    Ok(FV::Str(out.into()))
}

/// `$merge`: the objects' members in order of first appearance, the last value of each; the
/// first object is shared and copied only if a later one adds or changes a member.
fn merge(arg: FV) -> Result<FV, Bail> {
    let items = match arg {
        FV::Undef => return Ok(FV::Undef),
        FV::Other(v @ Value::Object(_)) => return Ok(FV::Other(v)),
        FV::Other(Value::Array(items)) => items,
        _ => return Err(Bail),
    };
    let mut iter = items.iter();
    let mut out = match iter.next() {
        None => return Ok(FV::Other(Value::empty_object())),
        Some(v @ Value::Object(_)) => v.clone(),
        Some(_) => return Err(Bail),
    };
    for item in iter {
        let Value::Object(o) = item else {
            return Err(Bail);
        };
        if let Some(obj) = out.as_object_mut() {
            for (k, v) in o.iter() {
                obj.insert(k.clone(), v.clone());
            }
        }
    }
    Ok(FV::Other(out))
}

/// `$merge([i1, i2, …])` as [`merge`] of the array the constructor would build, item by item:
/// an object constructor's members go straight into the result (its own object is never made),
/// an array from anything but a constructor joins item by item, undefined items drop out.
fn merge_items(
    items: &[(Fast, bool)],
    vars: &dyn Variables,
    ctx: Option<&Value>,
) -> Result<FV, Bail> {
    // The merged object so far: the first object shared, copied only when a later one adds.
    let mut out: Option<Value> = None;
    for (item, constructor) in items {
        if let Fast::Object(members) = item {
            let target =
                out.get_or_insert_with(|| Value::object(Object::with_capacity(members.len())));
            for (k, v) in members {
                if let Some(v) = v.eval(vars, ctx)?.into_value()? {
                    target.as_object_mut().ok_or(Bail)?.insert(k.clone(), v);
                }
            }
            continue;
        }
        match item.eval(vars, ctx)? {
            FV::Undef => {}
            FV::Other(Value::Array(a)) if !constructor => {
                for v in a.iter() {
                    merge_into(&mut out, v)?;
                }
            }
            FV::Other(v) => merge_into(&mut out, &v)?,
            _ => return Err(Bail),
        }
    }
    Ok(FV::Other(out.unwrap_or_else(Value::empty_object)))
}

/// One item of [`merge_items`]: an object, merged into `out` (or shared as the first).
fn merge_into(out: &mut Option<Value>, item: &Value) -> Result<(), Bail> {
    let Value::Object(o) = item else {
        return Err(Bail);
    };
    match out {
        None => *out = Some(item.clone()),
        Some(target) => {
            let obj = target.as_object_mut().ok_or(Bail)?;
            for (k, v) in o.iter() {
                obj.insert(k.clone(), v.clone());
            }
        }
    }
    Ok(())
}

/// `$name.k1.k2…` through objects; an array on the way (which a path maps over) bails.
fn var_path(vars: &dyn Variables, name: &str, keys: &[Key]) -> Result<FV, Bail> {
    if let Some((first, rest)) = keys.split_first()
        && let Some(member) = vars.get_member(name, first)
    {
        return match member {
            Some(v) => walk(v, rest),
            None => Ok(FV::Undef),
        };
    }
    // Borrowed where the source allows it: no clone of the root to walk from.
    let owned;
    let root = match vars.get_ref(name) {
        Some(found) => found,
        None => {
            owned = vars.get(name);
            owned.as_ref()
        }
    };
    let Some(root) = root else {
        // Unbound: a built-in function's name gives the function (the evaluator's case).
        return if lookup_builtin(name).is_some() {
            Err(Bail)
        } else {
            Ok(FV::Undef)
        };
    };
    walk(root, keys)
}

/// Whether `$name` is bound (a variable of a built-in's name hides the built-in).
fn bound(vars: &dyn Variables, name: &str) -> bool {
    match vars.get_ref(name) {
        Some(found) => found.is_some(),
        None => vars.get(name).is_some(),
    }
}

/// `keys` down from `root` through objects; an array on the way bails.
fn walk(root: &Value, keys: &[Key]) -> Result<FV, Bail> {
    let mut cur = root;
    for k in keys {
        cur = match cur {
            Value::Object(o) => match o.get(k) {
                Some(v) => v,
                None => return Ok(FV::Undef),
            },
            Value::Array(_) => return Err(Bail),
            _ => return Ok(FV::Undef),
        };
    }
    Ok(FV::of(cur))
}

fn binary(
    op: BinOp,
    l: &Fast,
    r: &Fast,
    vars: &dyn Variables,
    ctx: Option<&Value>,
) -> Result<FV, Bail> {
    let lhs = l.eval(vars, ctx)?;
    match op {
        BinOp::And => {
            return Ok(FV::Bool(lhs.truthy()? && r.eval(vars, ctx)?.truthy()?));
        }
        BinOp::Or => {
            return Ok(FV::Bool(lhs.truthy()? || r.eval(vars, ctx)?.truthy()?));
        }
        _ => {}
    }
    let rhs = r.eval(vars, ctx)?;
    match op {
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => {
            let (a, b) = match (&lhs, &rhs) {
                (FV::Num(a), FV::Num(b)) => (*a, *b),
                (FV::Undef | FV::Num(_), FV::Undef | FV::Num(_)) => return Ok(FV::Undef),
                _ => return Err(Bail),
            };
            let v = op.arith(a, b);
            if v.is_finite() {
                Ok(FV::Num(v))
            } else {
                Err(Bail)
            }
        }
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let ord = match (&lhs, &rhs) {
                (FV::Num(a), FV::Num(b)) => a.partial_cmp(b).ok_or(Bail)?,
                // Strings compare by UTF-16 code units: equal to byte order for ASCII.
                (FV::Str(a), FV::Str(b)) if a.is_ascii() && b.is_ascii() => a.cmp(b),
                (FV::Undef, FV::Undef | FV::Num(_) | FV::Str(_))
                | (FV::Num(_) | FV::Str(_), FV::Undef) => return Ok(FV::Undef),
                _ => return Err(Bail),
            };
            use std::cmp::Ordering::*;
            Ok(FV::Bool(match op {
                BinOp::Lt => ord == Less,
                BinOp::Le => ord != Greater,
                BinOp::Gt => ord == Greater,
                _ => ord != Less,
            }))
        }
        BinOp::Eq | BinOp::Ne => {
            let eq = match (&lhs, &rhs) {
                (FV::Undef, _) | (_, FV::Undef) => return Ok(FV::Bool(false)),
                (FV::Other(_), _) | (_, FV::Other(_)) => return Err(Bail),
                (FV::Num(a), FV::Num(b)) => a == b,
                (FV::Str(a), FV::Str(b)) => a == b,
                (FV::Bool(a), FV::Bool(b)) => a == b,
                (FV::Null, FV::Null) => true,
                _ => false,
            };
            Ok(FV::Bool(if op == BinOp::Eq { eq } else { !eq }))
        }
        BinOp::Concat => {
            let mut s = String::new();
            for side in [&lhs, &rhs] {
                if let Some(t) = side.string()? {
                    s.push_str(&t);
                }
            }
            Ok(FV::Str(s.into()))
        }
        BinOp::And | BinOp::Or | BinOp::Range | BinOp::In => Err(Bail),
    }
}
