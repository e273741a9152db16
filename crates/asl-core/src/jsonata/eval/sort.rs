//! Sorting: the `^(…)` order-by step over values or tuples, and the stable merge sort with a
//! fallible comparison that `$sort` shares.
//!
//! Not owned here: `$sort` itself ([`super::super::functions`]).

use super::super::ast::{Node, SortTerm};
use super::super::error::{JResult, err};
use super::super::jv::{Env, JV, Val};
use super::operators::js_str_cmp;
use super::{Evaluator, Tuple};

impl<'a> Evaluator<'a, '_> {
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
    pub(super) fn sort_values(
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

    pub(super) fn sort_tuples(
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
