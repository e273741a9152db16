//! Tuple streams: what a path hands on once a step binds a focus (`@`), an index (`#`) or a
//! parent label (`%`) — each tuple the context item plus the variables bound along the path —
//! and their steps, stages and predicates.
//!
//! Not owned here: sorting tuples ([`super::sort`]), grouping them ([`super::construct`]).

use std::sync::Arc;

use super::super::ast::{Kind, Node, Stage};
use super::super::error::JResult;
use super::super::jv::{Env, Frame, Func, JV, Val};
use super::Evaluator;

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
pub(super) enum Stream<'a> {
    Values(Val<'a>),
    Tuples(Vec<Tuple<'a>>),
}

impl<'a> Evaluator<'a, '_> {
    pub(super) fn tuple_env(&self, env: &Env<'a>, t: &Tuple<'a>) -> Env<'a> {
        let frame = Frame::child(env);
        for (k, v) in &t.binds {
            frame.bind(k.clone(), Some(v.clone()));
        }
        frame
    }

    #[inline(never)]
    pub(super) fn tuple_step(
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

    pub(super) fn take_tuples(&mut self, v: &JV<'a>) -> Option<Vec<Tuple<'a>>> {
        let JV::Func(f) = v else { return None };
        let Func::Tuples(id) = **f else { return None };
        self.tuple_results.get_mut(id).map(std::mem::take)
    }

    pub(super) fn stages_tuples(
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

    pub(super) fn filter_tuples(
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
}
