//! The fields particular to Pass, Task, Wait, Fail and Parallel states (Choice and Map have their
//! own modules): `Result`, `Resource`, timeouts and heartbeats, `Credentials`, Wait's one-of
//! `Seconds`/`Timestamp` fields with RFC 3339 timestamps, Fail's `Error`/`Cause`, and Parallel
//! `Branches`.
//!
//! Not owned here: fields every state shares ([`super::state`]), Retry/Catch ([`super::retry`]),
//! and the branches' own contents ([`super::machine`]).

use std::sync::Arc;

use super::fields::{Fields, index};
use super::machine::BranchKind;
use super::query_language::jsonata_text;
use super::{Cx, MAX_INT};
use crate::diag::Code;
use crate::model::{Dynamic, Fail, Parallel, Pass, QueryLanguage, Spanned, Task, Wait};
use crate::source::Span;
use crate::syntax::{Kind, Member, Node};

impl Cx {
    pub(super) fn pass(&mut self, f: &Fields) -> Pass {
        let result = f.get("Result").map(|m| {
            let ptr = f.ptr("Result");
            self.check_duplicates(&m.value, &ptr);
            if has_dollar_key(&m.value) {
                self.push(
                    Code::PassResultIsStatic,
                    "Result is never evaluated, so its '.$' keys stay literal (use Parameters to compute values)",
                    &ptr,
                    m.key_span,
                );
            }
            Spanned::new(m.value.to_value(), m.value.span)
        });
        Pass { result }
    }

    pub(super) fn task(&mut self, f: &Fields, ql: QueryLanguage) -> Task {
        let resource = match self.string(f, "Resource") {
            Some((s, ptr)) => {
                if !s.value.starts_with("arn:") {
                    self.push(
                        Code::InvalidResource,
                        format!(
                            "Resource '{}' is not an ARN (arn:partition:service:…)",
                            s.value
                        ),
                        &ptr.s(),
                        s.span,
                    );
                }
                s
            }
            None => {
                if !f.has("Resource") {
                    self.missing(f, "Resource");
                }
                Spanned::new(Arc::from(""), f.anchor)
            }
        };
        let positive =
            |cx: &mut Cx, m: &Member, ptr: &str| cx.int(m, ptr, 1, MAX_INT, Code::InvalidTimeout);
        let timeout_seconds = self.dynamic(f, ql, "TimeoutSeconds", "TimeoutSecondsPath", positive);
        let heartbeat_seconds =
            self.dynamic(f, ql, "HeartbeatSeconds", "HeartbeatSecondsPath", positive);
        if let (Some(Dynamic::Literal(t)), Some(Dynamic::Literal(h))) =
            (&timeout_seconds, &heartbeat_seconds)
            && h.value >= t.value
        {
            self.push(
                Code::HeartbeatNotBelowTimeout,
                format!(
                    "HeartbeatSeconds ({}) must be smaller than TimeoutSeconds ({})",
                    h.value, t.value
                ),
                &f.ptr("HeartbeatSeconds"),
                h.span,
            );
        }
        let credentials = f.get("Credentials").and_then(|m| {
            let ptr = f.ptr("Credentials");
            if let Some(members) = m.value.as_object() {
                if !members
                    .iter()
                    .any(|c| matches!(c.key.as_str(), "RoleArn" | "RoleArn.$"))
                {
                    self.push(
                        Code::MissingField,
                        "The field 'RoleArn' is required but was missing",
                        &ptr,
                        m.key_span,
                    );
                }
            } else if !(ql == QueryLanguage::Jsonata
                && m.value.as_str().and_then(jsonata_text).is_some())
            {
                self.wrong_type(m, &ptr, "a JSON object");
                return None;
            }
            self.template(f, "Credentials", ql)
        });
        let (retry, catch) = self.retry_catch(f, ql);
        Task {
            resource,
            timeout_seconds,
            heartbeat_seconds,
            retry,
            catch,
            credentials,
        }
    }

    pub(super) fn wait(&mut self, f: &Fields, ql: QueryLanguage) -> Wait {
        const FIELDS: [&str; 4] = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"];
        let present: Vec<&str> = FIELDS.iter().copied().filter(|k| f.has(k)).collect();
        if present.len() != 1 {
            let (msg, span) = if present.is_empty() {
                ("A Wait state needs exactly one of Seconds, SecondsPath, Timestamp or TimestampPath".to_string(), f.anchor)
            } else {
                let m = f.get(present[1]).map_or(f.anchor, |m| m.key_span);
                (
                    format!(
                        "A Wait state needs exactly one of Seconds, SecondsPath, Timestamp or TimestampPath, found {}",
                        present.join(", ")
                    ),
                    m,
                )
            };
            self.push(Code::WaitFieldCount, msg, &f.ptr, span);
        }
        let seconds = |cx: &mut Cx, m: &Member, ptr: &str| {
            cx.int(m, ptr, 0, MAX_INT, Code::InvalidWaitSeconds)
        };
        match present.first() {
            Some(&("Seconds" | "SecondsPath")) => self
                .dynamic(f, ql, "Seconds", "SecondsPath", seconds)
                .map_or(Wait::Missing, Wait::Seconds),
            Some(_) => {
                let timestamp = |cx: &mut Cx, m: &Member, ptr: &str| -> Option<Arc<str>> {
                    let Some(s) = m.value.as_str() else {
                        cx.wrong_type(m, ptr, "an RFC 3339 timestamp string");
                        return None;
                    };
                    if !is_rfc3339(s) {
                        cx.push(
                            Code::InvalidTimestamp,
                            "String does not match RFC3339 timestamp",
                            ptr,
                            m.value.span,
                        );
                        return None;
                    }
                    Some(Arc::from(s))
                };
                self.dynamic(f, ql, "Timestamp", "TimestampPath", timestamp)
                    .map_or(Wait::Missing, Wait::Timestamp)
            }
            None => Wait::Missing,
        }
    }

    pub(super) fn fail(&mut self, f: &Fields, ql: QueryLanguage) -> Fail {
        let text = |cx: &mut Cx, m: &Member, ptr: &str| -> Option<Arc<str>> {
            let Some(s) = m.value.as_str() else {
                cx.wrong_type(m, ptr, "a string");
                return None;
            };
            if ql == QueryLanguage::JsonPath && (s.starts_with("$.") || s.starts_with("$$.")) {
                cx.push(
                    Code::NoPath,
                    format!("'{s}' looks like a path but '{0}' is literal text: did you mean '{0}Path'?", m.key),
                    ptr,
                    m.value.span,
                );
            }
            Some(Arc::from(s))
        };
        Fail {
            error: self.dynamic(f, ql, "Error", "ErrorPath", text),
            cause: self.dynamic(f, ql, "Cause", "CausePath", text),
        }
    }

    pub(super) fn parallel(&mut self, f: &Fields, ql: QueryLanguage) -> Parallel {
        let mut branches = Vec::new();
        if let Some((items, ptr)) = self.non_empty_list(
            f,
            "Branches",
            "an array of branches",
            "Branches must contain at least one branch",
        ) {
            for (i, item) in items.iter().enumerate() {
                let anchor = Span::new(item.span.start, item.span.start + 1);
                if let Some(b) = self.branch(item, &index(&ptr, i), anchor, BranchKind::Parallel) {
                    branches.push(b);
                }
            }
        }
        let (retry, catch) = self.retry_catch(f, ql);
        Parallel {
            branches,
            retry,
            catch,
        }
    }
}

/// RFC 3339 `date-time` (`2016-03-14T01:59:00Z`, `…T01:59:00.123+01:00`), as AWS checks `Timestamp`.
pub fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        if part.iter().all(u8::is_ascii_digit) {
            Some(part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
        } else {
            None
        }
    };
    let (Some(year), Some(month), Some(day), Some(hour), Some(min), Some(sec)) = (
        digits(0..4),
        digits(5..7),
        digits(8..10),
        digits(11..13),
        digits(14..16),
        digits(17..19),
    ) else {
        return false;
    };
    if b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return false;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days || hour > 23 || min > 59 || sec > 60 {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit())
                && (h1 - b'0') * 10 + (h2 - b'0') <= 23
                && (m1 - b'0') * 10 + (m2 - b'0') <= 59
        }
        _ => false,
    }
}

pub(super) fn has_dollar_key(node: &Node) -> bool {
    match &node.kind {
        Kind::Object(members) => members
            .iter()
            .any(|m| m.key.ends_with(".$") || has_dollar_key(&m.value)),
        Kind::Array(items) => items.iter().any(has_dollar_key),
        _ => false,
    }
}
