//! Path steps (`a.b.c`, `$v.a[0].b`): each step maps over the previous step's sequence and the
//! results join, arrays flattening (but not `[…]` constructors), as JSONata's `evaluatePath` and
//! `evaluateStep` do; a fast way for the common path with no tuples, sorting or grouping.
//!
//! Not owned here: tuple steps ([`super::tuples`]), what a name, `*` or `**` selects from one
//! value ([`super::fields`]), predicates ([`super::predicate`]).

use std::rc::Rc;

use super::super::ast::{Kind, Node, Stage};
use super::super::error::JResult;
use super::super::jv::{Env, Func, JV, Seq, Val};
use super::{Evaluator, Stream, Tuple};

impl<'a> Evaluator<'a, '_> {
    #[inline(never)]
    pub(super) fn path(
        &mut self,
        node: &'a Node,
        steps: &'a [Node],
        input: &Val<'a>,
        env: &Env<'a>,
    ) -> JResult<Val<'a>> {
        if node.simple_path {
            return self.path_simple(steps, input, env);
        }
        let first_is_var = steps
            .first()
            .is_some_and(|s| matches!(s.kind, Kind::Var(_)));
        // JSONata wraps an undefined input as a one-item sequence: the first step runs once.
        let mut undefined_input = input.is_none();
        let mut input_seq: JV<'a> = match input {
            Some(v) if v.is_array() && !first_is_var => v.clone(),
            Some(v) => Seq::seq_with(vec![v.clone()]).into_jv(),
            None => Seq::empty_seq().into_jv(),
        };
        let mut result: Val<'a> = None;
        let mut tuples: Option<Vec<Tuple<'a>>> = None;
        let mut is_tuple = false;
        let last = steps.len().saturating_sub(1);
        for (i, step) in steps.iter().enumerate() {
            if step.tuple {
                is_tuple = true;
            }
            if i == 0 && step.consarray {
                result = self.eval(step, &Some(input_seq.clone()), env)?;
            } else if undefined_input && !is_tuple {
                result = Some(self.step_undefined(step, env, i == last)?);
            } else if is_tuple {
                tuples = Some(self.tuple_step(step, &input_seq, tuples.take(), env)?);
            } else {
                result = Some(self.step(step, &input_seq, env, i == last)?);
            }
            if !is_tuple {
                match &result {
                    None => break,
                    Some(r) if r.is_array() && r.arr_len() == 0 => break,
                    _ => {}
                }
            }
            undefined_input = false;
            if step.focus.is_none() {
                if let Some(r) = &result {
                    input_seq = r.clone();
                } else {
                    input_seq = Seq::empty_seq().into_jv();
                }
            }
        }
        if is_tuple {
            let ts = tuples.unwrap_or_default();
            if node.tuple {
                // A nested path in a `%` chain hands its tuples to the enclosing step.
                self.tuple_results.push(ts);
                let id = self.tuple_results.len() - 1;
                return Ok(Some(JV::Func(Rc::new(Func::Tuples(id)))));
            }
            let items: Vec<JV<'a>> = ts.iter().filter_map(|t| t.at.clone()).collect();
            result = Some(Seq::seq_with(items).into_jv());
            if let Some(g) = &node.group {
                return self.group(&g.0, g.1, Stream::Tuples(ts), env);
            }
        }
        if node.keep_singleton_array
            && let Some(r) = result.take()
        {
            let r = match &r {
                JV::Arr(s) if s.cons && !s.sequence => Seq::seq_with(vec![r.clone()]).into_jv(),
                JV::DArr(_) => Seq {
                    items: r.to_vec(),
                    ..Seq::default()
                }
                .into_jv(),
                _ if !r.is_array() => Seq::seq_with(vec![r.clone()]).into_jv(),
                _ => r,
            };
            let mut r = r;
            if let JV::Arr(s) = &mut r {
                Rc::make_mut(s).keep_singleton = true;
            }
            result = Some(r);
        }
        if !is_tuple && let Some(g) = &node.group {
            return self.group(&g.0, g.1, Stream::Values(result), env);
        }
        Ok(result)
    }

    /// The common path: no tuple steps, sorting, grouping or singleton-keeping. Same semantics as
    /// [`Self::path`] without building a sequence value per step.
    fn path_simple(
        &mut self,
        steps: &'a [Node],
        input: &Val<'a>,
        env: &Env<'a>,
    ) -> JResult<Val<'a>> {
        let first_is_var = steps
            .first()
            .is_some_and(|s| matches!(s.kind, Kind::Var(_)));
        let last = steps.len().saturating_sub(1);
        // Two buffers, swapped between steps: no allocation per step.
        let mut out: Vec<Val<'a>> = Vec::new();
        let mut cur: Vec<Val<'a>>;
        let mut start = 0;
        if let Some(v) = input
            && v.is_array()
            && !first_is_var
        {
            cur = v.items().map(Some).collect();
        } else {
            // One value down a chain of field names (`a.b.c`, `$v.a.b`): walked in place with no
            // buffers, until an array (which the loop below maps over) or a step with stages.
            let mut one = input.clone();
            loop {
                let Some(step) = steps.get(start) else {
                    return Ok(one);
                };
                if !step.stages.is_empty() || !step.predicate.is_empty() || step.group.is_some() {
                    break;
                }
                let next = match (&step.kind, &one) {
                    (Kind::Var(_), _) if start == 0 => self.eval(step, &one, env)?,
                    (Kind::Name(n), Some(JV::DObj(o))) => o.get(n).map(JV::from_value),
                    (Kind::Name(n), Some(JV::Obj(o))) => o.get(&**n).cloned(),
                    (
                        Kind::Name(_),
                        None | Some(JV::Null | JV::Bool(_) | JV::Num(_) | JV::Str(_)),
                    ) => None,
                    _ => break,
                };
                let Some(r) = next else {
                    return Ok(None);
                };
                start += 1;
                if r.is_array() {
                    if start == steps.len() && !r.is_sequence() {
                        return Ok(Some(r));
                    }
                    // As the loop below joins one step's result: flattened.
                    flatten_step(r, &mut out);
                    if out.is_empty() {
                        return Ok(None);
                    }
                    one = None;
                    break;
                }
                one = Some(r);
            }
            if out.is_empty() {
                // An undefined input is a one-item sequence: the first step runs once.
                cur = vec![one];
            } else {
                cur = std::mem::take(&mut out);
            }
        }
        for (i, step) in steps.iter().enumerate().skip(start) {
            out.clear();
            // At least one result per item for most steps: grown once, not by doubling.
            out.reserve(cur.len());
            let mut first: Option<JV<'a>> = None;
            let mut count = 0;
            // A field name over an object or a scalar is a lookup: done here, without a call
            // to `eval` per item (the bulk of a path's cost). Arrays and the rest go through it.
            let name = match &step.kind {
                Kind::Name(n) if step.predicate.is_empty() && step.group.is_none() => Some(n),
                _ => None,
            };
            for item in &cur {
                let mut res = match (name, item) {
                    (Some(n), Some(JV::DObj(o))) => o.get(n).map(JV::from_value),
                    (Some(n), Some(JV::Obj(o))) => o.get(&**n).cloned(),
                    (Some(_), None | Some(JV::Null | JV::Bool(_) | JV::Num(_) | JV::Str(_))) => {
                        None
                    }
                    _ => self.eval(step, item, env)?,
                };
                for stage in &step.stages {
                    if let Stage::Filter(p) = stage {
                        res = self.filter_values(p, res, env)?;
                    }
                }
                let Some(r) = res else { continue };
                count += 1;
                if count == 1 {
                    first = Some(r);
                } else {
                    if let Some(f) = first.take() {
                        flatten_step(f, &mut out);
                    }
                    flatten_step(r, &mut out);
                }
            }
            if let Some(f) = first {
                if i == last && f.is_array() && !f.is_sequence() {
                    return Ok(Some(f));
                }
                flatten_step(f, &mut out);
            }
            if out.is_empty() {
                return Ok(None);
            }
            std::mem::swap(&mut cur, &mut out);
        }
        if cur.len() == 1 {
            return Ok(cur.pop().flatten());
        }
        // Sized once (collecting through `flatten` would grow the vector by doubling).
        let mut items = Vec::with_capacity(cur.len());
        items.extend(cur.into_iter().flatten());
        Ok(Some(Seq::seq_with(items).into_jv()))
    }

    #[inline(never)]
    fn step(
        &mut self,
        step: &'a Node,
        input: &JV<'a>,
        env: &Env<'a>,
        last: bool,
    ) -> JResult<JV<'a>> {
        if let Kind::Sort(terms) = &step.kind {
            let sorted = self.sort_values(step, terms, input.to_vec(), env)?;
            let mut r = Some(Seq::seq_with(sorted).into_jv());
            for stage in &step.stages {
                if let Stage::Filter(p) = stage {
                    r = self.filter_values(p, r, env)?;
                }
            }
            return Ok(r.unwrap_or_else(|| Seq::empty_seq().into_jv()));
        }
        let mut results: Vec<JV<'a>> = Vec::with_capacity(input.arr_len());
        let items: Vec<JV<'a>> = match input {
            JV::Arr(s) => s.items.clone(),
            other if other.is_array() => other.to_vec(),
            other => vec![other.clone()],
        };
        for item in items {
            let mut res = self.eval(step, &Some(item), env)?;
            for stage in &step.stages {
                if let Stage::Filter(p) = stage {
                    res = self.filter_values(p, res, env)?;
                }
            }
            if let Some(r) = res {
                results.push(r);
            }
        }
        if last && results.len() == 1 && results[0].is_array() && !results[0].is_sequence() {
            return Ok(results.pop().unwrap_or(JV::Null));
        }
        let mut flat: Vec<JV<'a>> = Vec::with_capacity(results.len());
        for r in results {
            match &r {
                JV::Arr(s) if !s.cons => flat.extend(s.items.iter().cloned()),
                JV::DArr(a) => flat.extend(a.iter().map(JV::from_value)),
                _ => flat.push(r),
            }
        }
        Ok(Seq::seq_with(flat).into_jv())
    }

    /// A step over JSONata's `[undefined]` input sequence.
    #[inline(never)]
    fn step_undefined(&mut self, step: &'a Node, env: &Env<'a>, last: bool) -> JResult<JV<'a>> {
        if matches!(step.kind, Kind::Sort(_)) {
            return Ok(Seq::empty_seq().into_jv());
        }
        let mut res = self.eval(step, &None, env)?;
        for stage in &step.stages {
            if let Stage::Filter(p) = stage {
                res = self.filter_values(p, res, env)?;
            }
        }
        Ok(match res {
            None => Seq::empty_seq().into_jv(),
            Some(r) if last && r.is_array() && !r.is_sequence() => r,
            Some(JV::Arr(s)) if !s.cons => Seq::seq_with(s.items.clone()).into_jv(),
            Some(JV::DArr(a)) => Seq::seq_with(a.iter().map(JV::from_value).collect()).into_jv(),
            Some(r) => Seq::seq_with(vec![r]).into_jv(),
        })
    }
}

/// How a step's result joins the path's sequence: arrays (but not `[…]` constructors) flatten.
fn flatten_step<'a>(r: JV<'a>, out: &mut Vec<Val<'a>>) {
    match &r {
        JV::Arr(s) if !s.cons => out.extend(s.items.iter().cloned().map(Some)),
        JV::DArr(a) => out.extend(a.iter().map(|v| Some(JV::from_value(v)))),
        _ => out.push(Some(r)),
    }
}
