//! Predicates (`[…]` after a step or expression) over values: a number is an index (negative
//! from the end), an array of numbers a set of indexes, anything else a truth test per item.
//!
//! Not owned here: predicates over tuple streams ([`super::tuples`], which shares
//! [`Evaluator::keep_by_predicate`]'s rule).

use super::super::ast::{Kind, Node};
use super::super::error::JResult;
use super::super::jv::{Env, JV, Seq, Val, truthy};
use super::Evaluator;
use super::operators::check_finite;

impl<'a> Evaluator<'a, '_> {
    #[inline(never)]
    pub(super) fn filter_values(
        &mut self,
        pred: &'a Node,
        input: Val<'a>,
        env: &Env<'a>,
    ) -> JResult<Val<'a>> {
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
            let res = self.eval_operand(pred, &Some(item.clone()), env)?;
            if self.keep_by_predicate(&res, index, len)? {
                out.push(item);
            }
        }
        Ok(Some(Seq::seq_with(out).into_jv()))
    }

    pub(super) fn keep_by_predicate(
        &self,
        res: &Val<'a>,
        index: usize,
        len: usize,
    ) -> JResult<bool> {
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
}
