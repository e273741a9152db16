//! What one processing stage changed from the stage before: the keys added, removed or changed,
//! as JSON pointers, so the inspector can highlight them.
//!
//! Objects are compared key by key and arrays index by index, recursively; anything else, or a
//! change of type, is one change at that place. The list is capped ([`MAX_CHANGES`]) and so is
//! the depth ([`MAX_DEPTH`]): past either, the containing place is reported as changed, so a
//! megabyte payload or deep nesting costs bounded work and never recurses without end.

use serde::Serialize;

use crate::value::Value;

/// At most this many changes are listed.
pub const MAX_CHANGES: usize = 200;
/// Below this depth a difference is reported at the container.
pub const MAX_DEPTH: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One difference, at a JSON pointer into the later value (`""` is the whole value).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub pointer: String,
    pub kind: ChangeKind,
}

/// The differences from `before` to `after`, outermost first, in key order.
pub fn changes(before: &Value, after: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    let mut pointer = String::new();
    walk(before, after, &mut pointer, 0, &mut out);
    out
}

fn push(out: &mut Vec<Change>, pointer: &str, kind: ChangeKind) {
    if out.len() < MAX_CHANGES {
        out.push(Change {
            pointer: pointer.to_string(),
            kind,
        });
    }
}

/// RFC 6901: `~` → `~0`, `/` → `~1`.
fn escape_into(pointer: &mut String, key: &str) {
    pointer.push('/');
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

fn walk(a: &Value, b: &Value, pointer: &mut String, depth: usize, out: &mut Vec<Change>) {
    if out.len() >= MAX_CHANGES || a.ptr_eq(b) {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) if depth < MAX_DEPTH => {
            let len = pointer.len();
            for (k, vb) in y.iter() {
                escape_into(pointer, k);
                match x.get(k) {
                    Some(va) => walk(va, vb, pointer, depth + 1, out),
                    None => push(out, pointer, ChangeKind::Added),
                }
                pointer.truncate(len);
            }
            for (k, _) in x.iter() {
                if !y.contains_key(k) {
                    escape_into(pointer, k);
                    push(out, pointer, ChangeKind::Removed);
                    pointer.truncate(len);
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if depth < MAX_DEPTH => {
            let len = pointer.len();
            for i in 0..x.len().max(y.len()) {
                pointer.push('/');
                pointer.push_str(&i.to_string());
                match (x.get(i), y.get(i)) {
                    (Some(va), Some(vb)) => walk(va, vb, pointer, depth + 1, out),
                    (None, Some(_)) => push(out, pointer, ChangeKind::Added),
                    (Some(_), None) => push(out, pointer, ChangeKind::Removed),
                    (None, None) => {}
                }
                pointer.truncate(len);
                if out.len() >= MAX_CHANGES {
                    return;
                }
            }
        }
        _ if a == b => {}
        _ => push(out, pointer, ChangeKind::Changed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        Value::parse(s).expect("json")
    }

    fn list(a: &str, b: &str) -> Vec<(String, ChangeKind)> {
        changes(&v(a), &v(b))
            .into_iter()
            .map(|c| (c.pointer, c.kind))
            .collect()
    }

    #[test]
    fn added_removed_changed_keys_and_items() {
        assert_eq!(
            list(
                r#"{"a":1,"b":{"c":2,"gone":0},"l":[1,2]}"#,
                r#"{"a":1,"b":{"c":3,"n/e~w":true},"l":[1],"x":null}"#
            ),
            vec![
                ("/b/c".into(), ChangeKind::Changed),
                ("/b/n~1e~0w".into(), ChangeKind::Added),
                ("/b/gone".into(), ChangeKind::Removed),
                ("/l/1".into(), ChangeKind::Removed),
                ("/x".into(), ChangeKind::Added),
            ]
        );
        assert!(list(r#"{"a":[1,{"b":2}]}"#, r#"{"a":[1,{"b":2}]}"#).is_empty());
        assert_eq!(list("1", r#""1""#), vec![("".into(), ChangeKind::Changed)]);
    }

    #[test]
    fn bounded_in_count_and_depth() {
        let before = Value::array((0..1000).map(Value::from_i64).collect());
        let after = Value::array((1..1001).map(Value::from_i64).collect());
        assert_eq!(changes(&before, &after).len(), MAX_CHANGES);
        let deep = |leaf: &str| {
            let mut s = String::new();
            for _ in 0..100 {
                s.push_str("{\"k\":");
            }
            s.push_str(leaf);
            s.push_str(&"}".repeat(100));
            v(&s)
        };
        let c = changes(&deep("1"), &deep("2"));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].pointer.matches('/').count(), MAX_DEPTH);
    }
}
