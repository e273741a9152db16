//! Function calls: evaluating a call's function and arguments, applying lambdas (closures over
//! their frame and input, signatures checked), built-ins, partial applications, regexes, `~>`
//! chains and transforms, with the trampoline that runs tail calls in constant stack; partial
//! application (`f(?, x)`) and the `~>` operator.
//!
//! Not owned here: the built-ins themselves ([`super::super::functions`]), what a transform
//! does ([`super::transform`]).

use std::rc::Rc;

use super::super::ast::{Kind, Node};
use super::super::error::{JResult, err};
use super::super::functions;
use super::super::jv::{Env, Frame, Func, JV, Val};
use super::Evaluator;

impl<'a> Evaluator<'a, '_> {
    #[inline(never)]
    pub(super) fn call(
        &mut self,
        node: &'a Node,
        proc_node: &'a Node,
        arg_nodes: &'a [Node],
        input: &Val<'a>,
        env: &Env<'a>,
        applyto: Option<Val<'a>>,
    ) -> JResult<Val<'a>> {
        let proc = self.eval(proc_node, input, env)?;
        if proc.is_none()
            && let Some(n) = self.forgot_dollar(proc_node, env)
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
            args.push(self.eval_operand(a, input, env)?);
        }
        self.apply(proc, args, input, env).map_err(|e| {
            let e = e.at(node.pos);
            // The name is made only for an error (it is a `String`).
            match proc_name(proc_node) {
                Some(n) => e.token(n),
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
                super::super::regex::first_match(re, &s)
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
    pub(super) fn partial(
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
                if let Some(n) = self.forgot_dollar(proc_node, env) {
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
    pub(super) fn apply_op(
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
