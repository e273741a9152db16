//! Binary operators: `and`/`or` (short-circuit), arithmetic, comparison, `=`/`!=` (deep),
//! `&`, `..` and `in`, with their type errors (T2001–T2010, D1001, D2014).
//!
//! Not owned here: `~>` (a function application, [`super::call`]), unary minus (in the
//! dispatch, [`super`]).

use std::rc::Rc;
use std::sync::Arc;

use super::super::ast::{BinOp, Node};
use super::super::error::{JResult, JsonataError, err};
use super::super::jv::{Env, JV, Seq, Val, deep_equal, to_js_string, truthy};
use super::Evaluator;

impl<'a> Evaluator<'a, '_> {
    #[inline(never)]
    pub(super) fn binary(
        &mut self,
        node: &'a Node,
        op: BinOp,
        l: &'a Node,
        r: &'a Node,
        input: &Val<'a>,
        env: &Env<'a>,
    ) -> JResult<Val<'a>> {
        let lhs = self.eval_operand(l, input, env)?;
        let at = |e: Box<JsonataError>| e.at(node.pos).token(op.token());
        match op {
            BinOp::And => {
                let lb = lhs.as_ref().is_some_and(truthy);
                if !lb {
                    return Ok(Some(JV::Bool(false)));
                }
                let rhs = self.eval(r, input, env)?;
                return Ok(Some(JV::Bool(rhs.as_ref().is_some_and(truthy))));
            }
            BinOp::Or => {
                let lb = lhs.as_ref().is_some_and(truthy);
                if lb {
                    return Ok(Some(JV::Bool(true)));
                }
                let rhs = self.eval(r, input, env)?;
                return Ok(Some(JV::Bool(rhs.as_ref().is_some_and(truthy))));
            }
            _ => {}
        }
        let rhs = self.eval_operand(r, input, env)?;
        match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => {
                numeric(op, &lhs, &rhs).map_err(at)
            }
            BinOp::Eq | BinOp::Ne => {
                let (Some(a), Some(b)) = (&lhs, &rhs) else {
                    return Ok(Some(JV::Bool(false)));
                };
                let eq = deep_equal(a, b);
                Ok(Some(JV::Bool(if op == BinOp::Eq { eq } else { !eq })))
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => compare(op, &lhs, &rhs).map_err(at),
            BinOp::Concat => {
                let ls = match &lhs {
                    None => String::new(),
                    Some(v) => to_js_string(v, false).map_err(at)?,
                };
                let rs = match &rhs {
                    None => String::new(),
                    Some(v) => to_js_string(v, false).map_err(at)?,
                };
                Ok(Some(JV::Str((ls + &rs).into())))
            }
            BinOp::Range => range(&lhs, &rhs).map_err(at),
            BinOp::In => {
                let (Some(a), Some(b)) = (&lhs, &rhs) else {
                    return Ok(Some(JV::Bool(false)));
                };
                let found = if b.is_array() {
                    b.items().any(|x| strict_equal(a, &x))
                } else {
                    strict_equal(a, b)
                };
                Ok(Some(JV::Bool(found)))
            }
            BinOp::And | BinOp::Or => Ok(None),
        }
    }
}

pub(super) fn check_finite(n: f64) -> JResult<()> {
    if n.is_finite() {
        Ok(())
    } else {
        Err(err("D1001", "Number out of range"))
    }
}

/// One operand of an arithmetic operator: a finite number, or nothing (undefined); `code` and
/// `side` name the error for anything else (T2001 left, T2002 right).
fn operand(v: &Val<'_>, op: BinOp, code: &'static str, side: &str) -> JResult<Option<f64>> {
    match v {
        None => Ok(None),
        Some(JV::Num(n)) => {
            check_finite(*n)?;
            Ok(Some(*n))
        }
        Some(_) => Err(err(
            code,
            format!(
                "The {side} side of the \"{}\" operator must evaluate to a number",
                op.token()
            ),
        )),
    }
}

fn numeric<'a>(op: BinOp, lhs: &Val<'a>, rhs: &Val<'a>) -> JResult<Val<'a>> {
    let l = operand(lhs, op, "T2001", "left")?;
    let r = operand(rhs, op, "T2002", "right")?;
    let (Some(a), Some(b)) = (l, r) else {
        return Ok(None);
    };
    Ok(Some(JV::Num(op.arith(a, b))))
}

fn compare<'a>(op: BinOp, lhs: &Val<'a>, rhs: &Val<'a>) -> JResult<Val<'a>> {
    let comparable = |v: &Val| matches!(v, None | Some(JV::Num(_)) | Some(JV::Str(_)));
    if !comparable(lhs) || !comparable(rhs) {
        return Err(err(
            "T2010",
            format!(
                "The expressions either side of operator \"{}\" must evaluate to numeric or string values",
                op.token()
            ),
        ));
    }
    let (Some(a), Some(b)) = (lhs, rhs) else {
        return Ok(None);
    };
    let ord = match (a, b) {
        (JV::Num(x), JV::Num(y)) => x.partial_cmp(y),
        (JV::Str(x), JV::Str(y)) => Some(js_str_cmp(x, y)),
        _ => {
            return Err(err(
                "T2009",
                format!(
                    "The values {} and {} either side of operator {} must be of the same data type",
                    to_js_string(a, false).unwrap_or_default(),
                    to_js_string(b, false).unwrap_or_default(),
                    op.token()
                ),
            ));
        }
    };
    use std::cmp::Ordering::*;
    let r = match (op, ord) {
        (_, None) => false,
        (BinOp::Lt, Some(o)) => o == Less,
        (BinOp::Le, Some(o)) => o != Greater,
        (BinOp::Gt, Some(o)) => o == Greater,
        (_, Some(o)) => o != Less,
    };
    Ok(Some(JV::Bool(r)))
}

/// JavaScript's string order (UTF-16 code units).
pub(crate) fn js_str_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

/// JavaScript's `===` as `in` uses it: by value for scalars, by identity for containers.
fn strict_equal<'a>(a: &JV<'a>, b: &JV<'a>) -> bool {
    match (a, b) {
        (JV::Null, JV::Null) => true,
        (JV::Bool(x), JV::Bool(y)) => x == y,
        (JV::Num(x), JV::Num(y)) => x == y,
        (JV::Str(x), JV::Str(y)) => x == y,
        (JV::DArr(x), JV::DArr(y)) => Arc::ptr_eq(x, y),
        (JV::DObj(x), JV::DObj(y)) => Arc::ptr_eq(x, y),
        (JV::Arr(x), JV::Arr(y)) => Rc::ptr_eq(x, y),
        (JV::Obj(x), JV::Obj(y)) => Rc::ptr_eq(x, y),
        (JV::Func(x), JV::Func(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

fn range<'a>(lhs: &Val<'a>, rhs: &Val<'a>) -> JResult<Val<'a>> {
    let int = |v: &Val| match v {
        None => Ok(None),
        Some(JV::Num(n)) if n.fract() == 0.0 && n.is_finite() => Ok(Some(*n)),
        Some(_) => Err(()),
    };
    let l = int(lhs).map_err(|_| {
        err(
            "T2003",
            "The left side of the range operator (..) must evaluate to an integer",
        )
    })?;
    let r = int(rhs).map_err(|_| {
        err(
            "T2004",
            "The right side of the range operator (..) must evaluate to an integer",
        )
    })?;
    let (Some(a), Some(b)) = (l, r) else {
        return Ok(None);
    };
    if a > b {
        return Ok(None);
    }
    let size = b - a + 1.0;
    if size > 1e7 {
        return Err(err(
            "D2014",
            format!(
                "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate {}.",
                crate::float_fmt::display(size)
            ),
        ));
    }
    let items: Vec<JV<'a>> = (0..size as i64).map(|i| JV::Num(a + i as f64)).collect();
    Ok(Some(Seq::seq_with(items).into_jv()))
}
