//! Which recorded and simulated values count as the same in a comparison: equal JSON, except
//! what legitimately differs between a run on AWS and a simulation of it (the rule is stated in
//! [`super::compare`]'s module doc): RFC 3339 timestamps, UUIDs, ARNs of the same service and
//! resource type, and the recording's masked tokens. Objects compare without regard to key
//! order, numbers by value.
//!
//! Not owned here: which values of which events are compared ([`super::compare`]).

use std::sync::Arc;

use crate::value::Value;

/// Value equality with the normalisations of the module doc.
pub(super) fn values_match(r: &Value, s: &Value, wildcards: &[Arc<str>]) -> bool {
    match (r, s) {
        (Value::String(a), Value::String(b)) => strings_match(a, b, wildcards),
        (Value::Number(_), Value::Number(_)) => r.as_f64() == s.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b.iter())
                    .all(|(x, y)| values_match(x, y, wildcards))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, v)| b.get(k).is_some_and(|w| values_match(v, w, wildcards)))
        }
        (Value::String(a), _) => wildcards.iter().any(|w| **w == **a),
        _ => r == s,
    }
}

pub(super) fn strings_match(a: &str, b: &str, wildcards: &[Arc<str>]) -> bool {
    if a == b {
        return true;
    }
    if is_timestamp(a) && is_timestamp(b) {
        return true;
    }
    if is_uuid(a) && is_uuid(b) {
        return true;
    }
    if let (Some(x), Some(y)) = (arn_kind(a), arn_kind(b)) {
        return x == y;
    }
    wildcards.iter().any(|w| a.contains(&**w)) && glob(a, b, wildcards)
}

fn is_timestamp(s: &str) -> bool {
    s.len() >= 20 && crate::exec::timestamp::parse_nanos(s).is_some()
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// An ARN's service and resource type (`lambda`, `function`).
fn arn_kind(s: &str) -> Option<(&str, &str)> {
    let mut parts = s.splitn(7, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let _partition = parts.next()?;
    let service = parts.next()?;
    let _region = parts.next()?;
    let _account = parts.next()?;
    let resource = parts.next()?;
    let ty = resource.split('/').next().unwrap_or(resource);
    Some((service, ty))
}

/// Whether `actual` is `pattern` with each wildcard token standing for any text.
fn glob(pattern: &str, actual: &str, wildcards: &[Arc<str>]) -> bool {
    // Split the pattern into literal pieces around the tokens.
    let mut pieces: Vec<&str> = vec![pattern];
    for w in wildcards.iter().filter(|w| !w.is_empty()) {
        pieces = pieces.iter().flat_map(|p| p.split(&**w)).collect();
    }
    let Some((first, rest)) = pieces.split_first() else {
        return true;
    };
    let Some(mut tail) = actual.strip_prefix(first) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return tail.is_empty();
    };
    for p in middle {
        match tail.find(p) {
            Some(i) => tail = &tail[i + p.len()..],
            None => return false,
        }
    }
    tail.len() >= last.len() && tail.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        Value::parse(s).expect("json")
    }

    #[test]
    fn what_legitimately_differs_matches() {
        let none: &[Arc<str>] = &[];
        assert!(strings_match(
            "2024-05-01T10:00:00.123+02:00",
            "2024-01-01T00:00:00Z",
            none
        ));
        assert!(strings_match(
            "0f8fad5b-d9cb-469f-a165-70867728950e",
            "7c9e6679-7425-40de-944b-e07fc1f90ae7",
            none
        ));
        assert!(strings_match(
            "arn:aws:states:eu-west-1:210987654321:execution:Payments:run-42",
            "arn:aws:states:us-east-1:123456789012:execution:StateMachine:local",
            none
        ));
        // A different kind of resource, or plain text, is a difference.
        assert!(!strings_match(
            "arn:aws:states:eu-west-1:1:execution:M:x",
            "arn:aws:states:eu-west-1:1:stateMachine:M",
            none
        ));
        assert!(!strings_match("2024", "2025", none));
        // Masked tokens stand for any text, in place.
        let masks: &[Arc<str>] = &[Arc::from("<uuid:1>")];
        assert!(strings_match("id <uuid:1> done", "id abc done", masks));
        assert!(!strings_match("id <uuid:1> done", "id abc gone", masks));
        assert!(values_match(
            &v(r#"{"a": 1, "b": [1.0]}"#),
            &v(r#"{"b": [1], "a": 1}"#),
            none
        ));
        assert!(!values_match(
            &v(r#"{"a": 1}"#),
            &v(r#"{"a": 1, "b": 2}"#),
            none
        ));
    }
}
