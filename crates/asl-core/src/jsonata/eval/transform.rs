//! The transform operator `| pattern | update, delete |` applied to a value: copy it, find the
//! matches, and apply the updates and deletions to the copy.
//!
//! Not owned here: the copy and the edits themselves ([`super::super::transform`]), making the
//! transform a function value (the dispatch, [`super`]).

use super::super::ast::{Kind, Node};
use super::super::error::{JResult, err};
use super::super::jv::{Env, JV, Val, to_js_string};
use super::Evaluator;

impl<'a> Evaluator<'a, '_> {
    #[inline(never)]
    pub(super) fn transform(
        &mut self,
        node: &'a Node,
        arg: Val<'a>,
        env: &Env<'a>,
    ) -> JResult<Val<'a>> {
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
        let copy = super::super::transform::deep_copy(&obj);
        let matches = self.eval(pattern, &Some(copy.clone()), env)?;
        let matches: Vec<JV<'a>> = match matches {
            None => Vec::new(),
            Some(m) if m.is_array() => m.to_vec(),
            Some(m) => vec![m],
        };
        let mut edits = super::super::transform::Edits::default();
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
}
