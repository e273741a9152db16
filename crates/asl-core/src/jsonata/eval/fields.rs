//! What a field name, `*` and `**` select from one value: `lookup` (also `$lookup`), the
//! wildcard and the descendants, with their flattening.
//!
//! Not owned here: mapping them over a path's sequence ([`super::path`]).

use super::super::jv::{JV, MAX_VALUE_DEPTH, Seq, Val};

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

fn flatten_into<'a>(v: JV<'a>, out: &mut Vec<JV<'a>>) {
    flatten_at(v, out, 0);
}

fn flatten_at<'a>(v: JV<'a>, out: &mut Vec<JV<'a>>, depth: usize) {
    if v.is_array() && depth < MAX_VALUE_DEPTH {
        for x in v.items() {
            flatten_at(x, out, depth + 1);
        }
    } else {
        out.push(v);
    }
}

pub(super) fn wildcard<'a>(input: &Val<'a>) -> Val<'a> {
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

pub(super) fn descendants<'a>(input: &Val<'a>) -> Val<'a> {
    let v = input.as_ref()?;
    let mut out = Vec::new();
    fn rec<'a>(v: JV<'a>, out: &mut Vec<JV<'a>>, depth: usize) {
        if depth > MAX_VALUE_DEPTH {
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
