//! The evaluator: walks a compiled [`Node`] tree over [`JV`] values, as JSONata 2.0.6's
//! `evaluate` does. This module owns the [`Evaluator`] (its state: labels, variables, the frozen
//! clock and seed, the root input), the dispatch over node kinds, the depth limit and the step
//! budget (both `U1001`, which stop runaway recursion and loops before the native or browser
//! stack does), what follows every expression (predicates, group-by, sequence unwrapping), and
//! variables, blocks, bindings and conditions.
//!
//! Submodules, one concept each: `path` (path steps and their flattening), `fields` (a name, `*`,
//! `**` over one value), `tuples` (tuple streams for `@`/`#`/`%`), `predicate` (`[…]` filters
//! and indexes), `construct` (`[…]` and `{…}` constructors, group-by), `sort` (`^(…)` and the
//! merge sort `$sort` shares), `operators` (binary operators), `call` (function calls, lambdas
//! and closures, the trampoline that runs tail calls in constant stack, partial application,
//! `~>`), `transform` (`|…|…|`). Not owned here: the built-in functions ([`super::functions`]),
//! the value model ([`super::jv`]).

mod call;
mod construct;
mod fields;
mod operators;
mod path;
mod predicate;
mod sort;
mod transform;
mod tuples;

use std::rc::Rc;
use std::sync::Arc;

use super::ast::{Kind, Node, Stage};
use super::error::{JResult, err};
use super::functions;
use super::jv::{Env, Frame, Func, JV, Val, truthy};
use super::stack::StackGuard;
use super::{EvalEnv, Variables};
use crate::env::Rng;
use crate::value::{Key, Object, Value};

pub(crate) use fields::lookup;
use fields::{descendants, wildcard};
pub(crate) use operators::js_str_cmp;
pub(crate) use sort::merge_sort;
use tuples::{Stream, Tuple};

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

    /// A literal with nothing after it (`'k'`, `1`): its value without a call to [`Self::eval`]
    /// (object keys and operands are mostly literals), under the same budgets: `None` when it is
    /// not such a literal or a budget is spent (then `eval` gives the error).
    #[inline]
    pub(super) fn literal(&mut self, node: &'a Node) -> Option<Val<'a>> {
        if !self.literal_allowed(node) {
            return None;
        }
        let v = match &node.kind {
            Kind::Str(s, _) => JV::Str(s.clone()),
            Kind::Num(n) => JV::Num(*n),
            Kind::Bool(b) => JV::Bool(*b),
            Kind::Null => JV::Null,
            _ => return None,
        };
        self.steps += 1;
        Some(Some(v))
    }

    /// [`Self::literal`] of a string node, as an object key: made from the text directly (not
    /// through a [`JV::Str`]), as every constructed object's member takes one.
    pub(super) fn literal_key(&mut self, node: &'a Node) -> Option<Key> {
        let Kind::Str(_, key) = &node.kind else {
            return None;
        };
        if !self.literal_allowed(node) {
            return None;
        }
        self.steps += 1;
        Some(key.clone())
    }

    /// Whether a literal node evaluates to itself here (no predicate or group-by, and the
    /// evaluation's depth, step and time limits not reached: those report through `eval`).
    fn literal_allowed(&self, node: &Node) -> bool {
        node.predicate.is_empty()
            && node.group.is_none()
            && self.depth < self.env.max_depth
            && self.steps < self.env.max_steps
            && !self.guard.spent()
    }

    /// A path of plain field names (`qty`, `customer.tier`, see `Node::field_path`) over an
    /// input object: the value found without a call to [`Self::eval`] (operands, constructor
    /// values and group-by keys are mostly such paths), with `path`'s result (a missing member
    /// or a name over a scalar is undefined; the last value as it is, an array included) and
    /// under the same budgets, counting the one step `eval` would. `None` when it is not such a
    /// path over an input object, an array is met on the way (the path maps over it), or a
    /// budget is spent: then `eval` does the work.
    #[inline]
    pub(super) fn field(&mut self, node: &'a Node, input: &Val<'a>) -> Option<Val<'a>> {
        if !node.field_path {
            return None;
        }
        let (Kind::Path(steps), Some(JV::DObj(obj))) = (&node.kind, input) else {
            return None;
        };
        if self.depth >= self.env.max_depth
            || self.steps >= self.env.max_steps
            || self.guard.spent()
        {
            return None;
        }
        let (last, init) = steps.split_last()?;
        let mut o: &Object = obj;
        for step in init {
            let Kind::Name(n) = &step.kind else {
                return None;
            };
            o = match o.get(n) {
                Some(Value::Object(inner)) => inner,
                Some(Value::Array(_)) => return None,
                // Missing, or a scalar (a name over it selects nothing).
                _ => {
                    self.steps += 1;
                    return Some(None);
                }
            };
        }
        let Kind::Name(n) = &last.kind else {
            return None;
        };
        self.steps += 1;
        Some(o.get(n).map(JV::from_value))
    }

    /// An operand, constructor value or argument: a literal ([`Self::literal`]), a field path
    /// ([`Self::field`]), or whatever [`Self::eval`] gives.
    #[inline]
    pub(super) fn eval_operand(
        &mut self,
        node: &'a Node,
        input: &Val<'a>,
        env: &Env<'a>,
    ) -> JResult<Val<'a>> {
        if let Some(v) = self.literal(node) {
            return Ok(v);
        }
        if let Some(v) = self.field(node, input) {
            return Ok(v);
        }
        self.eval(node, input, env)
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
        // Most results need none of `finish`'s work: no predicate, no group-by, not an array.
        if node.predicate.is_empty()
            && (node.group.is_none() || node.is_path())
            && !matches!(result, Some(JV::Arr(_)))
        {
            return Ok(result);
        }
        self.finish(node, result, env)
    }

    #[inline(never)]
    fn eval_rest(&mut self, node: &'a Node, input: &Val<'a>, env: &Env<'a>) -> JResult<Val<'a>> {
        Ok(match &node.kind {
            Kind::Str(s, _) => Some(JV::Str(s.clone())),
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
    #[inline(never)]
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
        let found = match self.vars.get_ref(name) {
            Some(found) => found.map(JV::from_value),
            None => self.vars.get(name).map(|v| JV::from_value(&v)),
        };
        if found.is_some() {
            return found;
        }
        functions::lookup_builtin(name).map(|b| JV::Func(Rc::new(Func::Builtin(b))))
    }

    /// The name a call's function is written as (`f(…)`, a path whose first step is a name) when
    /// a variable of that name is bound: the user forgot the `$` (T1005, T1007).
    fn forgot_dollar(&self, proc_node: &'a Node, env: &Env<'a>) -> Option<&'a str> {
        let Kind::Path(steps) = &proc_node.kind else {
            return None;
        };
        let Some(Kind::Name(n)) = steps.first().map(|s| &s.kind) else {
            return None;
        };
        let bound = env.lookup(n).is_some_and(|v| v.is_some())
            || self.vars.get(n).is_some()
            || functions::lookup_builtin(n).is_some();
        bound.then_some(&**n)
    }

    pub fn next_random(&mut self) -> f64 {
        self.rng.next_f64()
    }
}
