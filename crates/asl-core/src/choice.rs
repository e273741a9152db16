//! Choice rules: evaluating a [`Condition`] against a state's input.
//!
//! Owns the comparison semantics AWS applies: a comparison whose `Variable` holds a value of the
//! wrong type is simply false (never an error), but a `Variable` (or `…Path` operand) that matches
//! nothing is `States.Runtime` (`Invalid path '$.x': The choice state's condition path references
//! an invalid value.`) for every operator except `IsPresent`, type tests included and even when the
//! state has a `Default` (recorded: `tam/Choice.IsTimestamp/009-missing-path-runtime`,
//! `tam/Choice.IsString/009-missing-path-no-default`); strings compare by UTF-16 code units (as Java's
//! `String.compareTo`, which AWS uses); numbers by value (`1 == 1.0`); timestamps are parsed
//! (AWS's RFC 3339 profile) and compared as instants, so offsets do not matter; `StringMatches`
//! is a glob where `*` matches any run of characters and `\*`, `\\` are a literal star and
//! backslash; `Is…` tests compare the test's outcome with their Boolean operand.
//!
//! Not owned here: JSONPath evaluation (the caller passes a lookup, so this module does not depend
//! on how paths are evaluated) and choosing the next state ([`crate::exec`]).

use std::cmp::Ordering;

use crate::error::ExecError;
use crate::exec::timestamp;
use crate::model::{CompareOp, Comparison, Condition, Operand};
use crate::path::Path;
use crate::value::Value;

/// Looks a path up in the state's input/context/variables. `Ok(None)` when it matches nothing.
pub type Lookup<'a> = dyn FnMut(&Path) -> Result<Option<Value>, ExecError> + 'a;

/// Evaluates a condition.
pub fn evaluate(cond: &Condition, lookup: &mut Lookup<'_>) -> Result<bool, ExecError> {
    match cond {
        Condition::And(items, _) => {
            for c in items {
                if !evaluate(c, lookup)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Condition::Or(items, _) => {
            for c in items {
                if evaluate(c, lookup)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Condition::Not(inner, _) => Ok(!evaluate(inner, lookup)?),
        Condition::Compare(cmp) => compare(cmp, lookup),
        // JSONata rules are evaluated by the executor's JSONata flow (`exec::jsonata`), which
        // has `$states` and the variables; a JSONPath-mode Choice never holds one.
        Condition::Jsonata(_) => Err(ExecError::runtime(
            "A JSONata Condition in a JSONPath-mode Choice state",
        )),
    }
}

fn compare(cmp: &Comparison, lookup: &mut Lookup<'_>) -> Result<bool, ExecError> {
    let found = lookup(&cmp.variable.value)?;
    // Only `IsPresent` may look at a path that matches nothing; every other test, `IsNull` and
    // `IsString` included, fails on it as a comparison does.
    if found.is_none() && cmp.op != CompareOp::IsPresent {
        return Err(invalid_value(&cmp.variable.value));
    }
    if cmp.op.is_type_test() {
        let expected = match &cmp.operand {
            Operand::Literal(v) => v.value.as_bool().unwrap_or(true),
            Operand::Path(p) => lookup(&p.value)?.and_then(|v| v.as_bool()).unwrap_or(true),
        };
        let outcome = match (cmp.op, &found) {
            (CompareOp::IsPresent, v) => v.is_some(),
            (CompareOp::IsNull, Some(v)) => v.is_null(),
            (CompareOp::IsNumeric, Some(v)) => matches!(v, Value::Number(_)),
            (CompareOp::IsString, Some(v)) => matches!(v, Value::String(_)),
            (CompareOp::IsBoolean, Some(v)) => matches!(v, Value::Bool(_)),
            (CompareOp::IsTimestamp, Some(v)) => v
                .as_str()
                .is_some_and(|s| timestamp::parse_nanos(s).is_some()),
            _ => false,
        };
        return Ok(outcome == expected);
    }
    let Some(value) = found else {
        return Err(invalid_value(&cmp.variable.value));
    };
    let operand = match &cmp.operand {
        Operand::Literal(v) => v.value.clone(),
        Operand::Path(p) => lookup(&p.value)?.ok_or_else(|| invalid_value(&p.value))?,
    };
    Ok(compare_values(cmp.op, &value, &operand))
}

/// AWS's error for a rule whose path matches nothing.
fn invalid_value(p: &Path) -> ExecError {
    ExecError::runtime(format!(
        "Invalid path '{}': The choice state's condition path references an invalid value.",
        p.as_str()
    ))
}

/// The comparison itself, for a present variable and operand.
pub fn compare_values(op: CompareOp, value: &Value, operand: &Value) -> bool {
    use CompareOp::*;
    match op {
        StringEquals
        | StringLessThan
        | StringGreaterThan
        | StringLessThanEquals
        | StringGreaterThanEquals => match (value, operand) {
            (Value::String(a), Value::String(b)) => {
                ordering_holds(op, a.encode_utf16().cmp(b.encode_utf16()))
            }
            _ => false,
        },
        StringMatches => match (value, operand) {
            (Value::String(a), Value::String(p)) => glob_matches(p, a),
            _ => false,
        },
        NumericEquals
        | NumericLessThan
        | NumericGreaterThan
        | NumericLessThanEquals
        | NumericGreaterThanEquals => match (value, operand) {
            (Value::Number(a), Value::Number(b)) => match compare_numbers(a, b) {
                Some(ord) => ordering_holds(op, ord),
                None => false,
            },
            _ => false,
        },
        BooleanEquals => matches!((value, operand), (Value::Bool(a), Value::Bool(b)) if a == b),
        TimestampEquals
        | TimestampLessThan
        | TimestampGreaterThan
        | TimestampLessThanEquals
        | TimestampGreaterThanEquals => match (value, operand) {
            (Value::String(a), Value::String(b)) => {
                match (timestamp::parse_nanos(a), timestamp::parse_nanos(b)) {
                    (Some(x), Some(y)) => ordering_holds(op, x.cmp(&y)),
                    _ => false,
                }
            }
            _ => false,
        },
        IsNull | IsPresent | IsNumeric | IsString | IsBoolean | IsTimestamp => false,
    }
}

fn ordering_holds(op: CompareOp, ord: Ordering) -> bool {
    use CompareOp::*;
    match op {
        StringEquals | NumericEquals | TimestampEquals => ord == Ordering::Equal,
        StringLessThan | NumericLessThan | TimestampLessThan => ord == Ordering::Less,
        StringGreaterThan | NumericGreaterThan | TimestampGreaterThan => ord == Ordering::Greater,
        StringLessThanEquals | NumericLessThanEquals | TimestampLessThanEquals => {
            ord != Ordering::Greater
        }
        StringGreaterThanEquals | NumericGreaterThanEquals | TimestampGreaterThanEquals => {
            ord != Ordering::Less
        }
        _ => false,
    }
}

fn compare_numbers(a: &serde_json::Number, b: &serde_json::Number) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return Some(x.cmp(&y));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

/// One token of a `StringMatches` pattern.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Tok {
    Star,
    Char(char),
}

fn tokens(pattern: &str) -> Vec<Tok> {
    let mut out = Vec::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n) => out.push(Tok::Char(n)),
                None => out.push(Tok::Char('\\')),
            },
            '*' => out.push(Tok::Star),
            c => out.push(Tok::Char(c)),
        }
    }
    out
}

/// `StringMatches`: `*` matches any run (also empty); `\*` and `\\` are literal.
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let pat = tokens(pattern);
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0usize, 0usize);
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        match pat.get(p) {
            Some(Tok::Star) => {
                backtrack = Some((p, t));
                p += 1;
            }
            Some(Tok::Char(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match backtrack {
                Some((bp, bt)) => {
                    p = bp + 1;
                    t = bt + 1;
                    backtrack = Some((bp, bt + 1));
                }
                None => return false,
            },
        }
    }
    pat[p..].iter().all(|tok| *tok == Tok::Star)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        Value::parse(s).expect("json")
    }

    #[test]
    fn globs_with_escapes() {
        assert!(glob_matches("log-*.txt", "log-2024.txt"));
        assert!(glob_matches("*", ""));
        assert!(glob_matches("a*b*c", "aXXbYYc"));
        assert!(!glob_matches("a*b*c", "aXXbYY"));
        assert!(glob_matches(r"a\*b", "a*b"));
        assert!(!glob_matches(r"a\*b", "aXb"));
        assert!(glob_matches(r"a\\*", r"a\anything"));
        assert!(!glob_matches("abc", "abcd"));
    }

    fn rule(op: CompareOp, operand: &str) -> Condition {
        let span = crate::source::Span::new(0, 0);
        Condition::Compare(Box::new(Comparison {
            variable: crate::model::Spanned::new(Path::parse("$.missing").expect("path"), span),
            op,
            operand: Operand::Literal(crate::model::Spanned::new(v(operand), span)),
            span,
        }))
    }

    #[test]
    fn a_missing_variable_fails_every_test_but_is_present() {
        let mut nothing = |_: &Path| Ok(None);
        for op in [
            CompareOp::IsNull,
            CompareOp::IsString,
            CompareOp::IsTimestamp,
            CompareOp::StringEquals,
        ] {
            let operand = if op.is_type_test() { "true" } else { "\"x\"" };
            let e = evaluate(&rule(op, operand), &mut nothing).expect_err("missing variable");
            assert_eq!(
                e.cause,
                "Invalid path '$.missing': The choice state's condition path references an invalid value."
            );
        }
        assert_eq!(
            evaluate(&rule(CompareOp::IsPresent, "false"), &mut nothing),
            Ok(true)
        );
    }

    #[test]
    fn comparisons_follow_types() {
        use CompareOp::*;
        assert!(compare_values(NumericEquals, &v("1"), &v("1.0")));
        assert!(!compare_values(NumericEquals, &v("\"1\""), &v("1")));
        assert!(compare_values(NumericLessThan, &v("-1"), &v("0.5")));
        assert!(compare_values(StringLessThan, &v("\"a\""), &v("\"b\"")));
        assert!(!compare_values(StringEquals, &v("null"), &v("\"\"")));
        assert!(compare_values(BooleanEquals, &v("true"), &v("true")));
        assert!(compare_values(
            TimestampEquals,
            &v("\"2016-03-14T01:59:00Z\""),
            &v("\"2016-03-14T02:59:00+01:00\"")
        ));
        assert!(!compare_values(
            TimestampEquals,
            &v("\"x\""),
            &v("\"2016-03-14T01:59:00Z\"")
        ));
    }
}
