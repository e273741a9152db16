//! Query-language rules: which fields belong to JSONPath or JSONata, the `QueryLanguage` field of
//! the machine and of a state (a state may choose JSONata under a JSONPath machine, not the
//! reverse) or written inside `States` by mistake, and `{% … %}` strings with the static checks
//! AWS makes on them.
//!
//! Not owned here: evaluating JSONata (the core has no engine yet), rejecting a field of the other
//! language (done where each object's fields are filtered: [`super::state`], [`super::map`],
//! [`super::choice`]), and `QueryLanguage` on an ItemProcessor ([`super::machine`]).

use super::Cx;
use super::fields::Fields;
use crate::diag::Code;
use crate::model::{Jsonata, QueryLanguage};
use crate::source::Span;
use crate::syntax::Member;

/// The text of a `{% … %}` string, if it is one (a whole string, nothing outside the marks).
pub fn jsonata_text(s: &str) -> Option<&str> {
    if s.len() >= 4 && s.starts_with("{%") && s.ends_with("%}") {
        s.get(2..s.len() - 2)
    } else {
        None
    }
}

/// What a JSONata expression reads at its top level when that is certainly unsupported: the whole
/// expression is `$`, `$$`, a `$.`/`$$.` path or a bare field name. (AWS also rejects field names
/// deeper inside; finding those needs a JSONata parser, which the core does not have yet.)
pub fn unsupported_top_level(expr: &str) -> Option<&str> {
    let e = expr.trim();
    let head = e.split(['.', '[']).next().unwrap_or(e);
    let ident = |s: &str| {
        s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    match head {
        "$" | "$$" => Some(head),
        "true" | "false" | "null" | "and" | "or" | "in" | "function" => None,
        h if ident(h) => Some(h),
        _ => None,
    }
}

/// Whether an expression reads `$states.<field>` (outside string literals and comments). A
/// text scan, not a parse: `$states` is a variable no expression can rebind at the top level in
/// a way AWS accepts, so its member accesses are recognisable as written.
pub(super) fn reads_states_field(expr: &str, field: &str) -> bool {
    let b = expr.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = expr[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            }
            b'$' if expr[i..].starts_with("$states")
                && !b
                    .get(i + 7)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') =>
            {
                let rest = expr[i + 7..].trim_start();
                if let Some(after) = rest.strip_prefix('.') {
                    let after = after.trim_start();
                    if let Some(tail) = after.strip_prefix(field)
                        && !tail
                            .bytes()
                            .next()
                            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
                    {
                        return true;
                    }
                }
                i += 7;
            }
            _ => i += 1,
        }
    }
    false
}

/// The query language a field belongs to, when it belongs to only one.
pub(super) fn field_language(field: &str) -> Option<QueryLanguage> {
    match field {
        "InputPath"
        | "OutputPath"
        | "Parameters"
        | "ResultSelector"
        | "ResultPath"
        | "Result"
        | "ItemsPath"
        | "SecondsPath"
        | "TimestampPath"
        | "TimeoutSecondsPath"
        | "HeartbeatSecondsPath"
        | "MaxConcurrencyPath"
        | "ToleratedFailureCountPath"
        | "ToleratedFailurePercentagePath"
        | "ErrorPath"
        | "CausePath"
        | "Variable"
        | "MaxItemsPerBatchPath"
        | "MaxInputBytesPerBatchPath" => Some(QueryLanguage::JsonPath),
        "Arguments" | "Output" | "Condition" | "Items" => Some(QueryLanguage::Jsonata),
        _ => None,
    }
}

pub(super) fn ql_name(ql: QueryLanguage) -> &'static str {
    match ql {
        QueryLanguage::JsonPath => "JSONPath",
        QueryLanguage::Jsonata => "JSONata",
    }
}

impl Cx {
    pub(super) fn jsonata(&mut self, s: &str, span: Span, ptr: &str) -> Option<Jsonata> {
        let inner = jsonata_text(s)?;
        self.check_jsonata(s, inner, span, ptr);
        Some(Jsonata::new(inner, span))
    }

    /// The static checks AWS makes on an expression (without a JSONata parser: see
    /// [`unsupported_top_level`]), and `$states.result` / `$states.errorOutput` read where they
    /// do not exist (recorded: AWS rejects `Field '$states.result' does not exist.`).
    pub(super) fn check_jsonata(&mut self, s: &str, inner: &str, span: Span, ptr: &str) {
        // A syntax error, at its place inside the string when the string has no escapes (its
        // text then maps byte for byte onto the source), else on the whole string.
        if !inner.trim().is_empty()
            && let Err(e) = crate::jsonata::Expr::compile(inner)
        {
            let prefix = (inner.as_ptr() as usize).saturating_sub(s.as_ptr() as usize);
            let exact = span.end.saturating_sub(span.start) as usize == s.len() + 2;
            let at = match e.position {
                Some(pos) if exact => {
                    let start = span.start + 1 + (prefix + pos.min(inner.len())) as u32;
                    let len = e.token.as_deref().map_or(1, str::len).max(1) as u32;
                    Span::new(start, (start + len).min(span.end - 1).max(start))
                }
                _ => span,
            };
            self.push(
                Code::InvalidJsonata,
                format!("The JSONata expression is not valid: {e}"),
                ptr,
                at,
            );
        }
        for field in ["result", "errorOutput"] {
            if self.states_extra != Some(field) && reads_states_field(inner, field) {
                let where_ = match field {
                    "result" => "only in the Output and Assign of a Task, Parallel or Map state",
                    _ => "only in the Output and Assign of a Catcher",
                };
                self.push(
                    Code::InvalidJsonata,
                    format!("Field '$states.{field}' does not exist. It exists {where_}"),
                    ptr,
                    span,
                );
            }
        }
        if inner.trim().is_empty() {
            self.push(
                Code::InvalidJsonata,
                "empty JSONata expression: write an expression between {% and %}",
                ptr,
                span,
            );
        } else if let Some(name) = unsupported_top_level(inner) {
            self.push(
                Code::UnsupportedJsonata,
                format!(
                    "Reference to '{name}' at the top level is not supported: read the input as $states.input"
                ),
                ptr,
                span,
            );
        }
    }

    /// The machine's `QueryLanguage` field: sets the default of every state.
    pub(super) fn machine_query_language(&mut self, f: &Fields) {
        if let Some((s, ptr)) = self.string(f, "QueryLanguage") {
            match &*s.value {
                "JSONPath" => {}
                "JSONata" => self.machine_ql = QueryLanguage::Jsonata,
                other => self.push(
                    Code::InvalidQueryLanguage,
                    format!("QueryLanguage must be 'JSONPath' or 'JSONata', not '{other}'"),
                    &ptr.s(),
                    s.span,
                ),
            }
        }
    }

    /// A state's language: its own `QueryLanguage` field, else the machine's. A JSONata machine
    /// cannot have JSONPath states.
    pub(super) fn state_query_language(&mut self, f: &Fields) -> QueryLanguage {
        let mut ql = self.machine_ql;
        if let Some((s, qptr)) = self.string(f, "QueryLanguage") {
            match &*s.value {
                "JSONata" => ql = QueryLanguage::Jsonata,
                "JSONPath" if self.machine_ql == QueryLanguage::Jsonata => self.push(
                    Code::InvalidQueryLanguage,
                    "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
                    &qptr.s(),
                    s.span,
                ),
                "JSONPath" => ql = QueryLanguage::JsonPath,
                other => self.push(
                    Code::InvalidQueryLanguage,
                    format!("QueryLanguage must be 'JSONPath' or 'JSONata', not '{other}'"),
                    &qptr.s(),
                    s.span,
                ),
            }
        }
        ql
    }

    /// `"QueryLanguage": "…"` written inside `States`, where it reads as a state named
    /// `QueryLanguage` (a state is an object, so a string there is never one). One diagnostic,
    /// at the key, says to move it; the entry returned is then not read as a state (no "must be
    /// a JSON object" or "not reachable" follow-ons). With `adopt` (the root's `States`, no
    /// top-level `QueryLanguage`), a valid value becomes the machine's language, so the states
    /// are checked in the language the author meant instead of each JSONata field being
    /// reported as one of the other language.
    pub(super) fn query_language_in_states<'a>(
        &mut self,
        states: &Fields<'a>,
        adopt: bool,
    ) -> Option<&'a Member> {
        let m = states.get("QueryLanguage")?;
        let value = m.value.as_str()?;
        self.push(
            Code::InvalidQueryLanguage,
            "'QueryLanguage' is not a state: it belongs at the top level of the definition, beside 'StartAt' and 'States'. Move it out of 'States'",
            &states.ptr("QueryLanguage"),
            m.key_span,
        );
        if adopt {
            match value {
                "JSONata" => self.machine_ql = QueryLanguage::Jsonata,
                "JSONPath" => self.machine_ql = QueryLanguage::JsonPath,
                _ => {}
            }
        }
        Some(m)
    }
}
