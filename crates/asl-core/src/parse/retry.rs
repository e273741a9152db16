//! `Retry` and `Catch`: Retriers with AWS's defaults (1 s interval, 3 attempts, backoff 2.0),
//! their ranges and `JitterStrategy`, Catchers with `Next`, `ResultPath`, `Assign` and `Output`,
//! and `ErrorEquals` (including `States.ALL` alone in its list).
//!
//! Not owned here: ordering across Retriers or Catchers (`States.ALL` must be last) and Catch
//! targets, which need the whole list or machine ([`crate::validate`]); retrying at run time
//! ([`crate::exec::retry`]).

use std::sync::Arc;

use super::fields::{Fields, article, index};
use super::{Cx, MAX_DELAY, MAX_INT};
use crate::diag::Code;
use crate::error::ErrorName;
use crate::model::{Catcher, Jitter, QueryLanguage, Retrier, Spanned, Target};
use crate::source::Span;
use crate::syntax::{Kind, Node};

impl Cx {
    pub(super) fn retry_catch(
        &mut self,
        f: &Fields,
        ql: QueryLanguage,
    ) -> (Vec<Retrier>, Vec<Catcher>) {
        let mut retry = Vec::new();
        if let Some(m) = f.get("Retry") {
            let ptr = f.ptr("Retry");
            match m.value.as_array() {
                None => self.wrong_type(m, &ptr, "an array of Retriers"),
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if let Some(r) = self.retrier(item, &index(&ptr, i)) {
                            retry.push(r);
                        }
                    }
                }
            }
        }
        let mut catch = Vec::new();
        if let Some(m) = f.get("Catch") {
            let ptr = f.ptr("Catch");
            match m.value.as_array() {
                None => self.wrong_type(m, &ptr, "an array of Catchers"),
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if let Some(c) = self.catcher(item, &index(&ptr, i), ql) {
                            catch.push(c);
                        }
                    }
                }
            }
        }
        (retry, catch)
    }

    pub(super) fn error_equals(&mut self, f: &Fields) -> Vec<Spanned<ErrorName>> {
        let Some(m) = f.get("ErrorEquals") else {
            self.missing(f, "ErrorEquals");
            return Vec::new();
        };
        let ptr = f.ptr("ErrorEquals");
        let Some(items) = m.value.as_array() else {
            self.wrong_type(m, &ptr, "an array of error names");
            return Vec::new();
        };
        if items.is_empty() {
            self.push(
                Code::EmptyList,
                "ErrorEquals must list at least one error name",
                &ptr,
                m.value.span,
            );
        }
        let mut names = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item.as_str() {
                Some(s) => names.push(Spanned::new(ErrorName::parse(s), item.span)),
                None => self.push(
                    Code::WrongType,
                    format!("error names must be strings, not {}", article(item)),
                    &index(&ptr, i),
                    item.span,
                ),
            }
        }
        if names.len() > 1
            && let Some(all) = names.iter().find(|n| n.value == ErrorName::All)
        {
            self.push(
                Code::StatesAllPosition,
                "'States.ALL' must appear alone in ErrorEquals",
                &ptr,
                all.span,
            );
        }
        names
    }

    pub(super) fn retrier(&mut self, node: &Node, ptr: &str) -> Option<Retrier> {
        let f = self.fields(
            node,
            ptr,
            Span::new(node.span.start, node.span.start + 1),
            "A Retrier",
            Code::DuplicateKey,
        )?;
        for m in &f.members {
            if !matches!(
                m.key.as_str(),
                "ErrorEquals"
                    | "IntervalSeconds"
                    | "MaxAttempts"
                    | "BackoffRate"
                    | "MaxDelaySeconds"
                    | "JitterStrategy"
                    | "Comment"
            ) {
                self.push(
                    Code::UnknownField,
                    format!("Field '{}' is not supported in a Retrier", m.key),
                    &f.ptr(&m.key),
                    m.key_span,
                );
            }
        }
        self.comment(&f);
        let error_equals = self.error_equals(&f);
        let mut r = Retrier {
            error_equals,
            interval_seconds: 1,
            max_attempts: 3,
            backoff_rate: 2.0,
            max_delay_seconds: None,
            jitter: Jitter::None,
            span: node.span,
        };
        if let Some(m) = f.get("IntervalSeconds") {
            r.interval_seconds = self
                .int(
                    m,
                    &f.ptr("IntervalSeconds"),
                    1,
                    MAX_INT,
                    Code::InvalidIntervalSeconds,
                )
                .unwrap_or(1);
        }
        if let Some(m) = f.get("MaxAttempts") {
            r.max_attempts = self
                .int(
                    m,
                    &f.ptr("MaxAttempts"),
                    0,
                    MAX_INT,
                    Code::InvalidMaxAttempts,
                )
                .unwrap_or(3);
        }
        if let Some(m) = f.get("MaxDelaySeconds") {
            r.max_delay_seconds = self.int(
                m,
                &f.ptr("MaxDelaySeconds"),
                1,
                MAX_DELAY,
                Code::InvalidMaxDelaySeconds,
            );
        }
        if let Some(m) = f.get("BackoffRate") {
            let ptr = f.ptr("BackoffRate");
            match &m.value.kind {
                Kind::Number(n) => match n.as_f64() {
                    Some(v) if v >= 1.0 && v.is_finite() => r.backoff_rate = v,
                    _ => self.push(
                        Code::InvalidBackoffRate,
                        format!("BackoffRate must be at least 1.0, not {n}"),
                        &ptr,
                        m.value.span,
                    ),
                },
                _ => self.wrong_type(m, &ptr, "a number"),
            }
        }
        if let Some((s, ptr)) = self.string(&f, "JitterStrategy") {
            match &*s.value {
                "FULL" => r.jitter = Jitter::Full,
                "NONE" => r.jitter = Jitter::None,
                other => self.push(
                    Code::InvalidJitterStrategy,
                    format!("JitterStrategy must be FULL or NONE, not '{other}'"),
                    &ptr.s(),
                    s.span,
                ),
            }
        }
        Some(r)
    }

    pub(super) fn catcher(&mut self, node: &Node, ptr: &str, ql: QueryLanguage) -> Option<Catcher> {
        let f = self.fields(
            node,
            ptr,
            Span::new(node.span.start, node.span.start + 1),
            "A Catcher",
            Code::DuplicateKey,
        )?;
        let f = self.only_allowed(
            f,
            &[
                "ErrorEquals",
                "Next",
                "ResultPath",
                "Assign",
                "Output",
                "Comment",
            ],
            ql,
            "a Catcher",
        );
        self.comment(&f);
        let error_equals = self.error_equals(&f);
        let next = match self.target(&f, "Next") {
            Some(t) => t,
            None => {
                if !f.has("Next") {
                    self.missing(&f, "Next");
                }
                Target {
                    name: Arc::from(""),
                    span: f.anchor,
                    id: None,
                }
            }
        };
        self.states_extra = Some("errorOutput");
        let assign = self.template(&f, "Assign", ql);
        let output = self.template(&f, "Output", ql);
        self.states_extra = None;
        Some(Catcher {
            error_equals,
            next,
            result_path: self.nullable_path(&f, "ResultPath", true),
            assign,
            output,
            span: node.span,
        })
    }
}
