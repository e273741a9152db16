//! The evaluator: walks a compiled [`Node`] tree over [`JV`] values, as JSONata 2.0.6's
//! `evaluate` does — paths and their flattening, predicates, tuple streams for `@`/`#`/`%`,
//! operators, blocks, variables, lambdas and closures, partial application, `~>` chaining,
//! transforms, sorting and grouping, with the trampoline that runs tail calls in constant stack.
//!
//! Owns the depth limit and the step budget (both `U1001`), which stop runaway recursion and loops
//! before the native or browser stack does. Not owned here: the built-in functions
//! ([`super::functions`]).

use std::rc::Rc;
use std::sync::Arc;

use super::ast::{BinOp, Kind, Node, SortTerm, Stage};
use super::error::{JResult, JsonataError, err};
use super::functions;
use super::jv::{Env, Frame, Func, JV, Seq, Val, deep_equal, make_object, to_js_string, truthy};
use super::stack::StackGuard;
use super::{EvalEnv, Variables};
use crate::env::Rng;
use crate::value::Key;

/// One tuple of a tuple stream: the context item and the variables bound along the path.
#[derive(Clone)]
pub(crate) struct Tuple<'a> {
    pub at: Val<'a>,
    pub binds: Vec<(Arc<str>, JV<'a>)>,
}

impl<'a> Tuple<'a> {
    fn set(&mut self, name: &Arc<str>, v: JV<'a>) {
        if let Some(slot) = self.binds.iter_mut().find(|(k, _)| k == name) {
            slot.1 = v;
        } else {
            self.binds.push((name.clone(), v));
        }
    }
}

/// A value or a tuple stream (what a path step hands on).
enum Stream<'a> {
    Values(Val<'a>),
    Tuples(Vec<Tuple<'a>>),
}

pub(crate) struct Evaluator<'a, 'c> {
    pub labels: &'a [Arc<str>],
    pub vars: &'c dyn Variables,
    pub env: &'c EvalEnv,
    pub rng: Rng,
    /// `$now()` and `$millis()` of this evaluation (frozen).
    pub now_ms: i64,
    depth: usize,
    steps: u64,
    /// The stack's position when the evaluation began (a byte budget beside `max_depth`).
    guard: StackGuard,
    /// The evaluation's input (`$$`).
    pub root: Val<'a>,
    /// Tuple streams returned by paths marked `tuple` (rare: `%` inside a nested path).
    tuple_results: Vec<Vec<Tuple<'a>>>,
    /// Frames that `:=` gave an array, object or function: a lambda bound in the frame it
    /// captures is a reference cycle, broken when the evaluation ends (see `Drop`).
    bound_frames: Vec<Env<'a>>,
}

impl Drop for Evaluator<'_, '_> {
    fn drop(&mut self) {
        for frame in self.bound_frames.drain(..) {
            // Taken out first: dropping the values may drop other frames.
            let vars = std::mem::take(&mut *frame.vars.borrow_mut());
            drop(vars);
        }
    }
}

impl<'a, 'c> Evaluator<'a, 'c> {
    pub fn new(labels: &'a [Arc<str>], vars: &'c dyn Variables, env: &'c EvalEnv) -> Self {
        Evaluator {
            labels,
            vars,
            env,
            rng: Rng::new(env.seed),
            now_ms: env.now_ms,
            depth: 0,
            steps: 0,
            guard: StackGuard::new(),
            root: None,
            tuple_results: Vec::new(),
            bound_frames: Vec::new(),
        }
    }

    pub fn eval(&mut self, node: &'a Node, input: &Val<'a>, env: &Env<'a>) -> JResult<Val<'a>> {
        self.depth += 1;
        self.steps += 1;
        if self.depth > self.env.max_depth || self.guard.spent() {
            self.depth -= 1;
            return Err(err(
                "U1001",
                "Stack overflow error: Please check your expression for infinite recursion",
            )
            .at(node.pos));
        }
        if self.steps > self.env.max_steps {
            self.depth -= 1;
            return Err(err(
                "U1001",
                "Expression evaluation timeout: Check for infinite loop",
            )
            .at(node.pos));
        }
        let r = self.eval_inner(node, input, env);
        self.depth -= 1;
        r
    }

    fn eval_inner(&mut self, node: &'a Node, input: &Val<'a>, env: &Env<'a>) -> JResult<Val<'a>> {
        let result = match &node.kind {
            Kind::Path(steps) => self.path(node, steps, input, env)?,
            Kind::Binary(op, l, r) => self.binary(node, *op, l, r, input, env)?,
            Kind::Neg(e) => match self.eval(e, input, env)? {
                None => None,
                Some(JV::Num(n)) => Some(JV::Num(-n)),
                Some(_) => {
                    return Err(err("D1002", "Cannot negate a non-numeric value")
                        .at(node.pos)
                        .token("-"));
                }
            },
            Kind::Array(items) => self.array(node, items, input, env)?,
            Kind::Object(pairs) => {
                self.group(pairs, node.pos, Stream::Values(input.clone()), env)?
            }
            Kind::Name(name) => lookup(input, name),
            _ => self.eval_rest(node, input, env)?,
        };
        self.finish(node, result, env)
    }

    #[inline(never)]
    fn array(
        &mut self,
        node: &'a Node,
        items: &'a [Node],
        input: &Val<'a>,
        env: &Env<'a>,
    ) -> JResult<Val<'a>> {
        Ok({
            let mut out: Vec<JV<'a>> = Vec::with_capacity(items.len());
            for item in items {
                if let Some(v) = self.eval(item, input, env)? {
                    if matches!(item.kind, Kind::Array(_)) {
                        out.push(v);
                    } else if v.is_array() {
                        out.extend(v.items());
                    } else {
                        out.push(v);
                    }
                }
            }
            Some(
                Seq {
                    items: out,
                    cons: node.consarray,
                    ..Seq::default()
                }
                .into_jv(),
            )
        })
    }

    #[inline(never)]
    fn eval_rest(&mut self, node: &'a Node, input: &Val<'a>, env: &Env<'a>) -> JResult<Val<'a>> {
        Ok(match &node.kind {
            Kind::Str(s) => Some(JV::Str(s.clone())),
            Kind::Num(n) => Some(JV::Num(*n)),
            Kind::Bool(b) => Some(JV::Bool(*b)),
            Kind::Null => Some(JV::Null),
            Kind::Wildcard => wildcard(input),
            Kind::Descendant => descendants(input),
            Kind::Parent(slot) => {
                let label = &self.labels[*slot];
                env.lookup(label).flatten()
            }
            Kind::Var(name) => self.variable(name, input, env),
            Kind::Regex(re) => Some(JV::Func(Rc::new(Func::Regex(re.clone())))),
            Kind::Condition(c, t, e) => {
                let cond = self.eval(c, input, env)?;
                if cond.as_ref().is_some_and(truthy) {
                    self.eval(t, input, env)?
                } else if let Some(e) = e {
                    self.eval(e, input, env)?
                } else {
                    None
                }
            }
            Kind::Block(items) => {
                // A frame only for a block that binds (most are just parentheses).
                let own;
                let frame = if node.block_binds {
                    own = Frame::child(env);
                    &own
                } else {
                    env
                };
                let mut last = None;
                for item in items {
                    last = self.eval(item, input, frame)?;
                }
                last
            }
            Kind::Bind(name, rhs) => {
                let v = self.eval(rhs, input, env)?;
                if matches!(v, Some(JV::Arr(_) | JV::Obj(_) | JV::Func(_)))
                    && !self.bound_frames.last().is_some_and(|f| Rc::ptr_eq(f, env))
                {
                    self.bound_frames.push(env.clone());
                }
                env.bind(name.clone(), v.clone());
                v
            }
            Kind::Function(p, args) => self.call(node, p, args, input, env, None)?,
            Kind::Partial(p, args) => self.partial(node, p, args, input, env)?,
            Kind::Placeholder => None,
            Kind::Lambda(def) => Some(JV::Func(Rc::new(Func::Lambda {
                def,
                env: env.clone(),
                input: input.clone(),
            }))),
            Kind::Apply(l, r) => self.apply_op(node, l, r, input, env)?,
            Kind::Transform(..) => Some(JV::Func(Rc::new(Func::Transform {
                node,
                env: env.clone(),
            }))),
            Kind::Sort(_) => {
                // Only ever a path step; evaluated by `path`.
                input.clone()
            }
            _ => return Err(err("S0201", "Syntax error").at(node.pos)),
        })
    }

    /// Predicates, group-by and sequence unwrapping after any expression.
    fn finish(&mut self, node: &'a Node, mut result: Val<'a>, env: &Env<'a>) -> JResult<Val<'a>> {
        // A tuple stream handed up from a nested path (`%`): predicates filter its tuples.
        if !node.predicate.is_empty()
            && let Some(v) = &result
            && let Some(mut tuples) = self.take_tuples(v)
        {
            for stage in &node.predicate {
                if let Stage::Filter(p) = stage {
                    tuples = self.filter_tuples(p, tuples, env)?;
                }
            }
            self.tuple_results.push(tuples);
            let id = self.tuple_results.len() - 1;
            return Ok(Some(JV::Func(Rc::new(Func::Tuples(id)))));
        }
        for stage in &node.predicate {
            if let Stage::Filter(p) = stage {
                result = self.filter_values(p, result, env)?;
            }
        }
        if !node.is_path()
            && let Some(g) = &node.group
        {
            result = self.group(&g.0, g.1, Stream::Values(result), env)?;
        }
        if let Some(JV::Arr(s)) = &mut result
            && s.sequence
        {
            if node.keep_array {
                Rc::make_mut(s).keep_singleton = true;
            }
            match s.items.len() {
                0 => return Ok(None),
                1 if !s.keep_singleton => return Ok(Some(s.items[0].clone())),
                _ => {}
            }
        }
        Ok(result)
    }

    #[inline(never)]
    fn variable(&mut self, name: &str, input: &Val<'a>, env: &Env<'a>) -> Val<'a> {
        if name == "$" && env.lookup("$").is_none() {
            return self.root.clone();
        }
        if name.is_empty() {
            return match input {
                Some(JV::Arr(s)) if s.outer_wrapper => s.items.first().cloned(),
                other => other.clone(),
            };
        }
        if let Some(v) = env.lookup(name) {
            return v;
        }
        if let Some(v) = self.vars.get(name) {
            return Some(JV::from_value(&v));
        }
        functions::lookup_builtin(name).map(|b| JV::Func(Rc::new(Func::Builtin(b))))
    }

    /// Whether `name` is bound (for the "forgot the `$`" hint, T1005).
    fn is_bound(&self, name: &str, env: &Env<'a>) -> bool {
        env.lookup(name).is_some_and(|v| v.is_some())
            || self.vars.get(name).is_some()
            || functions::lookup_builtin(name).is_some()
    }

    // ----- paths -----

    #[inline(never)]
    fn path(
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
        if matches!(input, Some(v) if v.is_array() && !first_is_var) {
            cur = input.iter().flat_map(|v| v.items()).map(Some).collect();
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
                    (Kind::Name(n), Some(JV::Obj(o))) => o.get(n).cloned(),
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
                    (Some(n), Some(JV::Obj(o))) => o.get(n).cloned(),
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
        Ok(Some(
            Seq::seq_with(cur.into_iter().flatten().collect()).into_jv(),
        ))
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

    fn tuple_env(&self, env: &Env<'a>, t: &Tuple<'a>) -> Env<'a> {
        let frame = Frame::child(env);
        for (k, v) in &t.binds {
            frame.bind(k.clone(), Some(v.clone()));
        }
        frame
    }

    #[inline(never)]
    fn tuple_step(
        &mut self,
        step: &'a Node,
        input: &JV<'a>,
        tuples: Option<Vec<Tuple<'a>>>,
        env: &Env<'a>,
    ) -> JResult<Vec<Tuple<'a>>> {
        if let Kind::Sort(terms) = &step.kind {
            let mut result = match tuples {
                Some(ts) => self.sort_tuples(step, terms, ts, env)?,
                None => {
                    let sorted = self.sort_values(step, terms, input.to_vec(), env)?;
                    sorted
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let mut t = Tuple {
                                at: Some(v),
                                binds: Vec::new(),
                            };
                            if let Some(ix) = &step.index {
                                t.set(ix, JV::Num(i as f64));
                            }
                            t
                        })
                        .collect()
                }
            };
            result = self.stages_tuples(&step.stages, result, env)?;
            return Ok(result);
        }
        let tuples = tuples.unwrap_or_else(|| {
            input
                .items()
                .map(|v| Tuple {
                    at: Some(v),
                    binds: Vec::new(),
                })
                .collect()
        });
        let mut result = Vec::new();
        for t in &tuples {
            let step_env = self.tuple_env(env, t);
            let res = self.eval(step, &t.at, &step_env)?;
            let Some(res) = res else { continue };
            if let Some(ts) = self.take_tuples(&res) {
                for nt in ts {
                    let mut tuple = t.clone();
                    tuple.at = nt.at.clone();
                    for (k, v) in nt.binds {
                        tuple.set(&k, v);
                    }
                    result.push(tuple);
                }
                continue;
            }
            let items: Vec<JV<'a>> = if res.is_array() {
                res.to_vec()
            } else {
                vec![res]
            };
            for (bb, item) in items.into_iter().enumerate() {
                let mut tuple = t.clone();
                if let Some(f) = &step.focus {
                    tuple.set(f, item);
                    tuple.at = t.at.clone();
                } else {
                    tuple.at = Some(item);
                }
                if let Some(ix) = &step.index {
                    tuple.set(ix, JV::Num(bb as f64));
                }
                if let Some(anc) = step.ancestor
                    && let Some(at) = &t.at
                {
                    tuple.set(&self.labels[anc], at.clone());
                }
                result.push(tuple);
            }
        }
        self.stages_tuples(&step.stages, result, env)
    }

    fn take_tuples(&mut self, v: &JV<'a>) -> Option<Vec<Tuple<'a>>> {
        let JV::Func(f) = v else { return None };
        let Func::Tuples(id) = **f else { return None };
        self.tuple_results.get_mut(id).map(std::mem::take)
    }

    fn stages_tuples(
        &mut self,
        stages: &'a [Stage],
        mut tuples: Vec<Tuple<'a>>,
        env: &Env<'a>,
    ) -> JResult<Vec<Tuple<'a>>> {
        for stage in stages {
            match stage {
                Stage::Filter(p) => tuples = self.filter_tuples(p, tuples, env)?,
                Stage::Index(name) => {
                    for (i, t) in tuples.iter_mut().enumerate() {
                        t.set(name, JV::Num(i as f64));
                    }
                }
            }
        }
        Ok(tuples)
    }

    // ----- predicates -----

    #[inline(never)]
    fn filter_values(&mut self, pred: &'a Node, input: Val<'a>, env: &Env<'a>) -> JResult<Val<'a>> {
        let items: Vec<JV<'a>> = match &input {
            None => Vec::new(),
            Some(v) if v.is_array() => v.to_vec(),
            Some(v) => vec![v.clone()],
        };
        if let Kind::Num(n) = pred.kind
            && pred.predicate.is_empty()
            && pred.group.is_none()
        {
            let mut index = n.floor();
            if index < 0.0 {
                index += items.len() as f64;
            }
            if index >= 0.0
                && let Some(item) = items.get(index as usize)
            {
                if item.is_array() {
                    return Ok(Some(item.clone()));
                }
                return Ok(Some(Seq::seq_with(vec![item.clone()]).into_jv()));
            }
            return Ok(Some(Seq::empty_seq().into_jv()));
        }
        let len = items.len();
        let mut out = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            let res = self.eval(pred, &Some(item.clone()), env)?;
            if self.keep_by_predicate(&res, index, len)? {
                out.push(item);
            }
        }
        Ok(Some(Seq::seq_with(out).into_jv()))
    }

    fn keep_by_predicate(&self, res: &Val<'a>, index: usize, len: usize) -> JResult<bool> {
        let matches_index = |n: f64| {
            let mut ii = n.floor();
            if ii < 0.0 {
                ii += len as f64;
            }
            ii == index as f64
        };
        Ok(match res {
            None => false,
            Some(JV::Num(n)) => {
                check_finite(*n)?;
                matches_index(*n)
            }
            Some(v) if v.is_array() && v.items().all(|x| matches!(x, JV::Num(_))) => v
                .items()
                .any(|x| matches!(x, JV::Num(n) if matches_index(n))),
            Some(v) => truthy(v),
        })
    }

    fn filter_tuples(
        &mut self,
        pred: &'a Node,
        tuples: Vec<Tuple<'a>>,
        env: &Env<'a>,
    ) -> JResult<Vec<Tuple<'a>>> {
        if let Kind::Num(n) = pred.kind {
            let mut index = n.floor();
            if index < 0.0 {
                index += tuples.len() as f64;
            }
            if index >= 0.0
                && let Some(t) = tuples.get(index as usize)
            {
                return Ok(vec![t.clone()]);
            }
            return Ok(Vec::new());
        }
        let len = tuples.len();
        let mut out = Vec::new();
        for (index, t) in tuples.into_iter().enumerate() {
            let e = self.tuple_env(env, &t);
            let res = self.eval(pred, &t.at, &e)?;
            if self.keep_by_predicate(&res, index, len)? {
                out.push(t);
            }
        }
        Ok(out)
    }

    // ----- grouping and object constructors -----

    /// An object constructor's key for one item: a string, `None` (no key: the pair is skipped),
    /// or T1003.
    fn object_key(
        &mut self,
        k: &'a Node,
        input: &Val<'a>,
        env: &Env<'a>,
        pos: usize,
    ) -> JResult<Option<Key>> {
        match self.eval(k, input, env)? {
            None => Ok(None),
            Some(JV::Str(s)) => Ok(Some(s)),
            Some(other) => Err(err(
                "T1003",
                format!(
                    "Key in object structure must evaluate to a string; got: {}",
                    to_js_string(&other, false).unwrap_or_default()
                ),
            )
            .at(pos)),
        }
    }

    #[inline(never)]
    fn group(
        &mut self,
        pairs: &'a [(Node, Node)],
        pos: usize,
        input: Stream<'a>,
        env: &Env<'a>,
    ) -> JResult<Val<'a>> {
        // (key, expression index, items or tuples)
        struct Entry<'a> {
            key: Key,
            expr: usize,
            data: Val<'a>,
            tuples: Vec<Tuple<'a>>,
        }
        // One item (an object constructor on a single value): no grouping to do.
        if let Stream::Values(v) = &input
            && !v.as_ref().is_some_and(JV::is_array)
        {
            let mut members: Vec<(Key, JV<'a>, usize)> = Vec::with_capacity(pairs.len());
            for (pi, (k, value_expr)) in pairs.iter().enumerate() {
                let Some(key) = self.object_key(k, v, env, pos)? else {
                    continue;
                };
                if members.iter().any(|m| m.0 == key) {
                    return Err(same_key(&key, pos));
                }
                if let Some(val) = self.eval(value_expr, v, env)? {
                    members.push((key, val, pi));
                } else {
                    // Keep the key taken (for D1009) without a value.
                    members.push((key, JV::Func(Rc::new(Func::Undefined)), pi));
                }
            }
            return Ok(Some(make_object(
                members
                    .into_iter()
                    .filter(|m| !matches!(&m.1, JV::Func(f) if matches!(**f, Func::Undefined)))
                    .map(|m| (m.0, m.1))
                    .collect(),
            )));
        }
        let mut groups: Vec<Entry<'a>> = Vec::new();
        let find = |groups: &Vec<Entry<'a>>, key: &str| groups.iter().position(|g| &*g.key == key);
        match input {
            Stream::Values(v) => {
                let items: Vec<Val<'a>> = match &v {
                    None => vec![None],
                    Some(v) if v.is_array() => {
                        if v.arr_len() == 0 {
                            vec![None]
                        } else {
                            v.items().map(Some).collect()
                        }
                    }
                    Some(v) => vec![Some(v.clone())],
                };
                for item in items {
                    for (pi, (k, _)) in pairs.iter().enumerate() {
                        let Some(key) = self.object_key(k, &item, env, pos)? else {
                            continue;
                        };
                        match find(&groups, &key) {
                            Some(gi) => {
                                if groups[gi].expr != pi {
                                    return Err(same_key(&key, pos));
                                }
                                let data = groups[gi].data.take();
                                groups[gi].data = functions::append(data, item.clone());
                            }
                            None => groups.push(Entry {
                                key,
                                expr: pi,
                                data: item.clone(),
                                tuples: Vec::new(),
                            }),
                        }
                    }
                }
            }
            Stream::Tuples(ts) => {
                let ts = if ts.is_empty() {
                    vec![Tuple {
                        at: None,
                        binds: Vec::new(),
                    }]
                } else {
                    ts
                };
                for t in ts {
                    let e = self.tuple_env(env, &t);
                    for (pi, (k, _)) in pairs.iter().enumerate() {
                        let Some(key) = self.object_key(k, &t.at, &e, pos)? else {
                            continue;
                        };
                        match find(&groups, &key) {
                            Some(gi) => {
                                if groups[gi].expr != pi {
                                    return Err(same_key(&key, pos));
                                }
                                groups[gi].tuples.push(t.clone());
                            }
                            None => groups.push(Entry {
                                key,
                                expr: pi,
                                data: None,
                                tuples: vec![t.clone()],
                            }),
                        }
                    }
                }
            }
        }
        let mut members: Vec<(Key, JV<'a>)> = Vec::with_capacity(groups.len());
        for g in groups {
            let value_expr = &pairs[g.expr].1;
            let v = if g.tuples.is_empty() {
                self.eval(value_expr, &g.data, env)?
            } else {
                // Reduce the tuples: every binding becomes the append of its values.
                let mut at: Val<'a> = None;
                let mut binds: Vec<(Arc<str>, Val<'a>)> = Vec::new();
                for (i, t) in g.tuples.into_iter().enumerate() {
                    if i == 0 {
                        at = t.at;
                        binds = t.binds.into_iter().map(|(k, v)| (k, Some(v))).collect();
                        continue;
                    }
                    at = functions::append(at, t.at);
                    for (k, v) in t.binds {
                        if let Some(slot) = binds.iter_mut().find(|(n, _)| *n == k) {
                            slot.1 = functions::append(slot.1.take(), Some(v));
                        } else {
                            binds.push((k, Some(v)));
                        }
                    }
                }
                let frame = Frame::child(env);
                for (k, v) in binds {
                    frame.bind(k, v);
                }
                self.eval(value_expr, &at, &frame)?
            };
            if let Some(v) = v {
                members.push((g.key, v));
            }
        }
        Ok(Some(make_object(members)))
    }

    // ----- sorting -----

    fn sort_keys(
        &mut self,
        terms: &'a [SortTerm],
        context: &Val<'a>,
        env: &Env<'a>,
    ) -> JResult<Vec<Val<'a>>> {
        let mut keys = Vec::with_capacity(terms.len());
        for t in terms {
            keys.push(self.eval(&t.expr, context, env)?);
        }
        Ok(keys)
    }

    #[inline(never)]
    fn sort_values(
        &mut self,
        node: &'a Node,
        terms: &'a [SortTerm],
        items: Vec<JV<'a>>,
        env: &Env<'a>,
    ) -> JResult<Vec<JV<'a>>> {
        let mut keyed = Vec::with_capacity(items.len());
        for item in items {
            let k = self.sort_keys(terms, &Some(item.clone()), env)?;
            keyed.push((k, item));
        }
        let sorted = merge_sort(keyed, &mut |a, b| compare_keys(terms, &a.0, &b.0, node.pos))?;
        Ok(sorted.into_iter().map(|(_, v)| v).collect())
    }

    fn sort_tuples(
        &mut self,
        node: &'a Node,
        terms: &'a [SortTerm],
        tuples: Vec<Tuple<'a>>,
        env: &Env<'a>,
    ) -> JResult<Vec<Tuple<'a>>> {
        let mut keyed = Vec::with_capacity(tuples.len());
        for t in tuples {
            let e = self.tuple_env(env, &t);
            let k = self.sort_keys(terms, &t.at, &e)?;
            keyed.push((k, t));
        }
        let sorted = merge_sort(keyed, &mut |a, b| compare_keys(terms, &a.0, &b.0, node.pos))?;
        Ok(sorted.into_iter().map(|(_, v)| v).collect())
    }

    // ----- operators -----

    #[inline(never)]
    fn binary(
        &mut self,
        node: &'a Node,
        op: BinOp,
        l: &'a Node,
        r: &'a Node,
        input: &Val<'a>,
        env: &Env<'a>,
    ) -> JResult<Val<'a>> {
        let lhs = self.eval(l, input, env)?;
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
        let rhs = self.eval(r, input, env)?;
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

    // ----- functions -----

    #[inline(never)]
    fn call(
        &mut self,
        node: &'a Node,
        proc_node: &'a Node,
        arg_nodes: &'a [Node],
        input: &Val<'a>,
        env: &Env<'a>,
        applyto: Option<Val<'a>>,
    ) -> JResult<Val<'a>> {
        let proc = self.eval(proc_node, input, env)?;
        let proc_name = proc_name(proc_node);
        if proc.is_none()
            && let Kind::Path(steps) = &proc_node.kind
            && let Some(Kind::Name(n)) = steps.first().map(|s| &s.kind)
            && self.is_bound(n, env)
        {
            return Err(err(
                "T1005",
                format!("Attempted to invoke a non-function. Did you mean ${n}?"),
            )
            .at(node.pos)
            .token(n.to_string()));
        }
        let mut args = Vec::with_capacity(arg_nodes.len() + 1);
        if let Some(ctx) = applyto {
            args.push(ctx);
        }
        for a in arg_nodes {
            args.push(self.eval(a, input, env)?);
        }
        self.apply(proc, args, input, env).map_err(|e| {
            let e = e.at(node.pos);
            match &proc_name {
                Some(n) => e.token(n.clone()),
                None => e,
            }
        })
    }

    /// Applies a function to arguments, running tail calls in a loop (JSONata's trampoline).
    pub fn apply(
        &mut self,
        proc: Val<'a>,
        args: Vec<Val<'a>>,
        input: &Val<'a>,
        env: &Env<'a>,
    ) -> JResult<Val<'a>> {
        let mut result = self.apply_inner(proc, args, input, env)?;
        while let Some(JV::Func(f)) = &result {
            let (body, linput, lenv) = match &**f {
                Func::Lambda { def, env, input } if def.thunk => {
                    (&def.body, input.clone(), env.clone())
                }
                _ => break,
            };
            let Kind::Function(p, arg_nodes) = &body.kind else {
                break;
            };
            self.steps += 1;
            if self.steps > self.env.max_steps {
                return Err(err(
                    "U1001",
                    "Expression evaluation timeout: Check for infinite loop",
                )
                .at(body.pos));
            }
            let next = self.eval(p, &linput, &lenv)?;
            let mut args = Vec::with_capacity(arg_nodes.len());
            for a in arg_nodes {
                args.push(self.eval(a, &linput, &lenv)?);
            }
            result = self.apply_inner(next, args, input, env).map_err(|e| {
                let e = e.at(body.pos);
                match proc_name(p) {
                    Some(n) => e.token(n),
                    None => e,
                }
            })?;
        }
        Ok(result)
    }

    fn apply_inner(
        &mut self,
        proc: Val<'a>,
        args: Vec<Val<'a>>,
        input: &Val<'a>,
        env: &Env<'a>,
    ) -> JResult<Val<'a>> {
        let Some(JV::Func(f)) = proc else {
            return Err(err("T1006", "Attempted to invoke a non-function"));
        };
        match &*f {
            Func::Lambda {
                def,
                env: lenv,
                input: linput,
            } => {
                let args = match &def.signature {
                    Some(sig) => sig.validate(args, input)?,
                    None => args,
                };
                let frame = Frame::child(lenv);
                let mut args = args.into_iter();
                for p in &def.params {
                    frame.bind(p.clone(), args.next().flatten());
                }
                self.eval(&def.body, linput, &frame)
            }
            Func::Builtin(b) => {
                let args = functions::signature(*b).validate(args, input)?;
                functions::call(self, *b, args, input, env)
            }
            Func::Partial {
                target,
                args: bound,
            } => {
                let mut given = args.into_iter();
                let mut full = Vec::with_capacity(bound.len());
                for b in bound {
                    match b {
                        Some(v) => full.push(v.clone()),
                        None => full.push(given.next().flatten()),
                    }
                }
                self.apply(Some(target.clone()), full, input, env)
            }
            Func::Regex(re) => {
                let s = match args.first() {
                    Some(Some(JV::Str(s))) => s.clone(),
                    _ => return Ok(None),
                };
                Ok(super::regex::first_match(&**re, &s))
            }
            Func::Chain(f, g) => {
                let r = self.apply(Some(f.clone()), args, input, env)?;
                self.apply(Some(g.clone()), vec![r], input, env)
            }
            Func::Transform { node, env: tenv } => {
                let arg = args.into_iter().next().flatten();
                self.transform(node, arg, tenv)
            }
            Func::Undefined | Func::Tuples(_) => {
                Err(err("T1006", "Attempted to invoke a non-function"))
            }
        }
    }

    #[inline(never)]
    fn partial(
        &mut self,
        node: &'a Node,
        proc_node: &'a Node,
        arg_nodes: &'a [Node],
        input: &Val<'a>,
        env: &Env<'a>,
    ) -> JResult<Val<'a>> {
        let mut args = Vec::with_capacity(arg_nodes.len());
        for a in arg_nodes {
            if matches!(a.kind, Kind::Placeholder) {
                args.push(None);
            } else {
                args.push(Some(self.eval(a, input, env)?));
            }
        }
        let proc = self.eval(proc_node, input, env)?;
        match proc {
            Some(f @ JV::Func(_)) => Ok(Some(JV::Func(Rc::new(Func::Partial { target: f, args })))),
            _ => {
                if let Kind::Path(steps) = &proc_node.kind
                    && let Some(Kind::Name(n)) = steps.first().map(|s| &s.kind)
                    && self.is_bound(n, env)
                {
                    return Err(err(
                        "T1007",
                        format!("Attempted to partially apply a non-function. Did you mean ${n}?"),
                    )
                    .at(node.pos)
                    .token(n.to_string()));
                }
                Err(err("T1008", "Attempted to partially apply a non-function")
                    .at(node.pos)
                    .token(proc_name(proc_node).unwrap_or_default()))
            }
        }
    }

    #[inline(never)]
    fn apply_op(
        &mut self,
        node: &'a Node,
        l: &'a Node,
        r: &'a Node,
        input: &Val<'a>,
        env: &Env<'a>,
    ) -> JResult<Val<'a>> {
        let lhs = self.eval(l, input, env)?;
        if let Kind::Function(p, args) = &r.kind {
            return self.call(r, p, args, input, env, Some(lhs));
        }
        let func = self.eval(r, input, env)?;
        if !matches!(func, Some(JV::Func(_))) {
            return Err(err(
                "T2006",
                "The right side of the function application operator ~> must be a function",
            )
            .at(node.pos));
        }
        if let (Some(f @ JV::Func(_)), Some(g)) = (&lhs, &func) {
            return Ok(Some(JV::Func(Rc::new(Func::Chain(f.clone(), g.clone())))));
        }
        self.apply(func, vec![lhs], input, env)
    }

    // ----- transform -----

    #[inline(never)]
    fn transform(&mut self, node: &'a Node, arg: Val<'a>, env: &Env<'a>) -> JResult<Val<'a>> {
        let Kind::Transform(pattern, update, delete) = &node.kind else {
            return Ok(None);
        };
        let Some(obj) = arg else { return Ok(None) };
        if !(obj.is_object() || obj.is_array()) {
            return Err(err(
                "T0410",
                "Argument 1 of function transform does not match function signature",
            ));
        }
        // Copy the input so that every object in it has its own identity, then find the matches.
        let copy = super::transform::deep_copy(&obj);
        let matches = self.eval(pattern, &Some(copy.clone()), env)?;
        let matches: Vec<JV<'a>> = match matches {
            None => Vec::new(),
            Some(m) if m.is_array() => m.to_vec(),
            Some(m) => vec![m],
        };
        let mut edits = super::transform::Edits::default();
        for m in matches {
            let upd = self.eval(update, &Some(m.clone()), env)?;
            let mut set = Vec::new();
            if let Some(u) = upd {
                if !u.is_object() {
                    return Err(err(
                        "T2011",
                        format!(
                            "The insert/update clause of the transform expression must evaluate to an object: {}",
                            to_js_string(&u, false).unwrap_or_default()
                        ),
                    )
                    .at(update.pos));
                }
                set = u.obj_entries();
            }
            let mut remove = Vec::new();
            if let Some(d) = delete
                && let Some(dv) = self.eval(d, &Some(m.clone()), env)?
            {
                {
                    let list: Vec<JV<'a>> = if dv.is_array() {
                        dv.to_vec()
                    } else {
                        vec![dv.clone()]
                    };
                    if !list.iter().all(|x| matches!(x, JV::Str(_))) {
                        return Err(err(
                            "T2012",
                            format!(
                                "The delete clause of the transform expression must evaluate to a string or array of strings: {}",
                                to_js_string(&dv, false).unwrap_or_default()
                            ),
                        )
                        .at(d.pos));
                    }
                    remove = list
                        .into_iter()
                        .filter_map(|x| match x {
                            JV::Str(s) => Some(s),
                            _ => None,
                        })
                        .collect();
                }
            }
            edits.add(&m, set, remove);
        }
        Ok(Some(edits.apply(&copy)))
    }

    pub fn next_random(&mut self) -> f64 {
        self.rng.next_f64()
    }
}

fn proc_name(n: &Node) -> Option<String> {
    match &n.kind {
        Kind::Path(steps) => match steps.first().map(|s| &s.kind) {
            Some(Kind::Name(n)) => Some(n.to_string()),
            _ => None,
        },
        Kind::Var(v) => Some(v.to_string()),
        _ => None,
    }
}

fn check_finite(n: f64) -> JResult<()> {
    if n.is_finite() {
        Ok(())
    } else {
        Err(err("D1001", "Number out of range"))
    }
}

fn numeric<'a>(op: BinOp, lhs: &Val<'a>, rhs: &Val<'a>) -> JResult<Val<'a>> {
    let l = match lhs {
        None => None,
        Some(JV::Num(n)) => {
            check_finite(*n)?;
            Some(*n)
        }
        Some(_) => {
            return Err(err(
                "T2001",
                format!(
                    "The left side of the \"{}\" operator must evaluate to a number",
                    op.token()
                ),
            ));
        }
    };
    let r = match rhs {
        None => None,
        Some(JV::Num(n)) => {
            check_finite(*n)?;
            Some(*n)
        }
        Some(_) => {
            return Err(err(
                "T2002",
                format!(
                    "The right side of the \"{}\" operator must evaluate to a number",
                    op.token()
                ),
            ));
        }
    };
    let (Some(a), Some(b)) = (l, r) else {
        return Ok(None);
    };
    let v = match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => a / b,
        _ => a % b,
    };
    Ok(Some(JV::Num(v)))
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
                "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate {size}."
            ),
        ));
    }
    let items: Vec<JV<'a>> = (0..size as i64).map(|i| JV::Num(a + i as f64)).collect();
    Ok(Some(Seq::seq_with(items).into_jv()))
}

/// `fn.lookup`: a field of an object, or of every object in an array (flattened one level).
pub(crate) fn lookup<'a>(input: &Val<'a>, key: &str) -> Val<'a> {
    match input {
        Some(JV::DObj(o)) => o.get(key).map(JV::from_value),
        Some(JV::Obj(o)) => o.get(key).cloned(),
        Some(v) if v.is_array() => {
            let mut out = Vec::new();
            for item in v.items() {
                match lookup(&Some(item), key) {
                    None => {}
                    Some(r) if r.is_array() => out.extend(r.items()),
                    Some(r) => out.push(r),
                }
            }
            Some(Seq::seq_with(out).into_jv())
        }
        _ => None,
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

fn flatten_into<'a>(v: JV<'a>, out: &mut Vec<JV<'a>>) {
    flatten_at(v, out, 0);
}

fn flatten_at<'a>(v: JV<'a>, out: &mut Vec<JV<'a>>, depth: usize) {
    if v.is_array() && depth < super::jv::MAX_VALUE_DEPTH {
        for x in v.items() {
            flatten_at(x, out, depth + 1);
        }
    } else {
        out.push(v);
    }
}

fn wildcard<'a>(input: &Val<'a>) -> Val<'a> {
    let mut out = Vec::new();
    let v = match input {
        Some(JV::Arr(s)) if s.outer_wrapper && !s.items.is_empty() => Some(s.items[0].clone()),
        other => other.clone(),
    };
    match &v {
        Some(v) if v.is_object() => {
            for (_, val) in v.obj_entries() {
                if val.is_array() {
                    flatten_into(val, &mut out);
                } else {
                    out.push(val);
                }
            }
        }
        Some(v) if v.is_array() => {
            for val in v.items() {
                if val.is_array() {
                    flatten_into(val, &mut out);
                } else {
                    out.push(val);
                }
            }
        }
        _ => {}
    }
    Some(Seq::seq_with(out).into_jv())
}

fn descendants<'a>(input: &Val<'a>) -> Val<'a> {
    let v = input.as_ref()?;
    let mut out = Vec::new();
    fn rec<'a>(v: JV<'a>, out: &mut Vec<JV<'a>>, depth: usize) {
        if depth > super::jv::MAX_VALUE_DEPTH {
            return;
        }
        if v.is_array() {
            for x in v.items() {
                rec(x, out, depth + 1);
            }
        } else {
            let children = if v.is_object() {
                v.obj_entries()
            } else {
                Vec::new()
            };
            out.push(v);
            for (_, c) in children {
                rec(c, out, depth + 1);
            }
        }
    }
    rec(v.clone(), &mut out, 0);
    if out.len() == 1 {
        return out.pop();
    }
    Some(Seq::seq_with(out).into_jv())
}

fn compare_keys(terms: &[SortTerm], a: &[Val], b: &[Val], pos: usize) -> JResult<bool> {
    use std::cmp::Ordering;
    for (i, t) in terms.iter().enumerate() {
        let (aa, bb) = (&a[i], &b[i]);
        let comp = match (aa, bb) {
            (None, None) => Ordering::Equal,
            (None, _) => Ordering::Greater,
            (_, None) => Ordering::Less,
            (Some(x), Some(y)) => {
                let ok = |v: &JV| matches!(v, JV::Num(_) | JV::Str(_));
                if !ok(x) || !ok(y) {
                    return Err(err(
                        "T2008",
                        "The expressions within an order-by clause must evaluate to numeric or string values",
                    )
                    .at(pos));
                }
                match (x, y) {
                    (JV::Num(p), JV::Num(q)) => p.partial_cmp(q).unwrap_or(Ordering::Equal),
                    (JV::Str(p), JV::Str(q)) => js_str_cmp(p, q),
                    _ => {
                        return Err(err(
                            "T2007",
                            "Type mismatch within order-by clause. All values must be of the same type",
                        )
                        .at(pos));
                    }
                }
            }
        };
        // Undefined sorts last whatever the direction.
        let comp = if t.descending && aa.is_some() && bb.is_some() {
            comp.reverse()
        } else {
            comp
        };
        if comp != Ordering::Equal {
            return Ok(comp == Ordering::Greater);
        }
    }
    Ok(false)
}

/// A stable merge sort with a fallible "a goes after b" test (JSONata's `$sort` contract).
pub(crate) fn merge_sort<T: Clone>(
    items: Vec<T>,
    swap: &mut dyn FnMut(&T, &T) -> JResult<bool>,
) -> JResult<Vec<T>> {
    if items.len() <= 1 {
        return Ok(items);
    }
    let mid = items.len() / 2;
    let mut items = items;
    let right = items.split_off(mid);
    let left = merge_sort(items, swap)?;
    let right = merge_sort(right, swap)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if swap(&left[i], &right[j])? {
            out.push(right[j].clone());
            j += 1;
        } else {
            out.push(left[i].clone());
            i += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    Ok(out)
}

/// D1009: two pairs of one object constructor gave the same key.
fn same_key(key: &str, pos: usize) -> Box<JsonataError> {
    err(
        "D1009",
        format!("Multiple key definitions evaluate to same key: \"{key}\""),
    )
    .at(pos)
}
