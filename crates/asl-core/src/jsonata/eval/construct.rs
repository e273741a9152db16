//! Constructors: `[…]` (items flatten unless they are constructors themselves) and `{…}`, both
//! as an object constructor over one value and as group-by over a sequence or tuple stream (keys
//! collect their items; D1009 when two pairs give the same key).
//!
//! Not owned here: the paths that hand group-by its input ([`super::path`]).

use std::sync::Arc;

use super::super::ast::{Kind, Node};
use super::super::error::{JResult, JsonataError, err};
use super::super::functions;
use super::super::jv::{Env, Frame, JV, Seq, Val, make_distinct_object, to_js_string};
use super::{Evaluator, Stream, Tuple};
use crate::value::Key;

impl<'a> Evaluator<'a, '_> {
    #[inline(never)]
    pub(super) fn array(
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

    /// An object constructor's key for one item: a string, `None` (no key: the pair is skipped),
    /// or T1003.
    fn object_key(
        &mut self,
        k: &'a Node,
        input: &Val<'a>,
        env: &Env<'a>,
        pos: usize,
    ) -> JResult<Option<KeyText>> {
        if let Some(key) = self.literal_key(k) {
            return Ok(Some(KeyText::Key(key)));
        }
        let key = self.eval_operand(k, input, env)?;
        match key {
            None => Ok(None),
            Some(JV::Str(s)) => Ok(Some(KeyText::Text(s))),
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
    pub(super) fn group(
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
            /// The items given this key, each as `functions::append` would join them (joined
            /// once at the end: appending one at a time copied the group per item).
            data: Vec<JV<'a>>,
            tuples: Vec<Tuple<'a>>,
        }
        // One item (an object constructor on a single value): no grouping to do.
        if let Stream::Values(v) = &input
            && !v.as_ref().is_some_and(JV::is_array)
        {
            let mut members: Vec<(Key, JV<'a>)> = Vec::with_capacity(pairs.len());
            // Keys taken by a pair whose value was undefined: no member, but still D1009.
            let mut valueless: Vec<Key> = Vec::new();
            for (k, value_expr) in pairs.iter() {
                let Some(key) = self.object_key(k, v, env, pos)? else {
                    continue;
                };
                let key = key.into_key();
                if members.iter().any(|m| m.0 == key) || valueless.contains(&key) {
                    return Err(same_key(&key, pos));
                }
                match self.eval_operand(value_expr, v, env)? {
                    Some(val) => members.push((key, val)),
                    None => valueless.push(key),
                }
            }
            return Ok(Some(make_distinct_object(members)));
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
                        match find(&groups, key.as_str()) {
                            Some(gi) => {
                                if groups[gi].expr != pi {
                                    return Err(same_key(key.as_str(), pos));
                                }
                                groups[gi].data.extend(item.clone());
                            }
                            None => groups.push(Entry {
                                key: key.into_key(),
                                expr: pi,
                                data: item.clone().into_iter().collect(),
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
                        match find(&groups, key.as_str()) {
                            Some(gi) => {
                                if groups[gi].expr != pi {
                                    return Err(same_key(key.as_str(), pos));
                                }
                                groups[gi].tuples.push(t.clone());
                            }
                            None => groups.push(Entry {
                                key: key.into_key(),
                                expr: pi,
                                data: Vec::new(),
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
                self.eval(value_expr, &appended(g.data), env)?
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
        Ok(Some(make_distinct_object(members)))
    }
}

/// The items `functions::append` gives when it joins `parts` one after another: nothing, the one
/// part as it is, or an array of the parts with each array part flattened one level.
fn appended<'a>(mut parts: Vec<JV<'a>>) -> Val<'a> {
    if parts.len() <= 1 {
        return parts.pop();
    }
    let mut items = Vec::with_capacity(parts.len());
    for p in parts {
        if p.is_array() {
            items.extend(p.items());
        } else {
            items.push(p);
        }
    }
    Some(JV::array(items))
}

/// An object constructor's key for one item, made into a [`Key`] only when needed: group-by
/// finds most items' keys among the groups it has, and only a new group keeps one.
enum KeyText {
    /// A literal's key, made when parsed.
    Key(Key),
    /// An evaluated string.
    Text(Arc<str>),
}

impl KeyText {
    fn as_str(&self) -> &str {
        match self {
            KeyText::Key(k) => k,
            KeyText::Text(s) => s,
        }
    }

    fn into_key(self) -> Key {
        match self {
            KeyText::Key(k) => k,
            // Shares the text's allocation when it is too long to be held inline.
            KeyText::Text(s) => Key::from(s),
        }
    }
}

/// D1009: two pairs of one object constructor gave the same key.
fn same_key(key: &str, pos: usize) -> Box<JsonataError> {
    err(
        "D1009",
        format!("Multiple key definitions evaluate to same key: \"{key}\""),
    )
    .at(pos)
}
