//! The machine and its branches: the top-level fields (`QueryLanguage`, `Version`,
//! `TimeoutSeconds`), `StartAt` and `States` of the root, of Parallel branches and of Map item
//! processors, and resolving each branch's transition targets to state ids.
//!
//! Not owned here: one state's fields ([`super::state`]), a processor's `ProcessorConfig`
//! ([`super::map`]), and whole-machine rules such as unknown targets or reachability
//! ([`crate::validate`]).

use std::sync::Arc;

use indexmap::IndexMap;
use rustc_hash::FxHashMap;

use super::fields::Fields;
use super::{Cx, MAX_INT};
use crate::diag::Code;
use crate::model::{Branch, Spanned, StateId, StateKind, StateMachine, Target, Transition};
use crate::source::Span;
use crate::syntax::Node;

impl Cx {
    pub(super) fn machine(&mut self, root: &Node) -> Option<StateMachine> {
        let f = self.fields(
            root,
            "",
            Span::new(root.span.start, root.span.start + 1),
            "Definition",
            Code::DuplicateKey,
        )?;
        self.machine_query_language(&f);
        let version = self.string(&f, "Version").map(|(s, ptr)| {
            if &*s.value != "1.0" {
                self.push(
                    Code::InvalidValue,
                    format!("Version must be \"1.0\", not \"{}\"", s.value),
                    &ptr.s(),
                    s.span,
                );
            }
            Spanned::new(s.value.to_string(), s.span)
        });
        let timeout_seconds = f.get("TimeoutSeconds").and_then(|m| {
            let v = self.int(
                m,
                &f.ptr("TimeoutSeconds"),
                1,
                MAX_INT,
                Code::InvalidTimeout,
            )?;
            Some(Spanned::new(v, m.value.span))
        });
        let mut root_branch = self.branch_fields(&f, BranchKind::Root);
        root_branch.span = root.span;
        Some(StateMachine {
            root: root_branch,
            version,
            timeout_seconds,
            query_language: self.machine_ql,
            span: root.span,
        })
    }

    pub(super) fn branch(
        &mut self,
        node: &Node,
        ptr: &str,
        anchor: Span,
        kind: BranchKind,
    ) -> Option<Branch> {
        let what = match kind {
            BranchKind::Root => "Definition",
            BranchKind::Parallel => "A Parallel branch",
            BranchKind::Processor => "ItemProcessor",
            BranchKind::Iterator => "Iterator",
        };
        let f = self.fields(node, ptr, anchor, what, Code::DuplicateKey)?;
        let mut b = self.branch_fields(&f, kind);
        b.span = node.span;
        Some(b)
    }

    pub(super) fn branch_fields(&mut self, f: &Fields, kind: BranchKind) -> Branch {
        let allowed: &[&str] = match kind {
            BranchKind::Root => &[
                "StartAt",
                "States",
                "Comment",
                "Version",
                "TimeoutSeconds",
                "QueryLanguage",
            ],
            BranchKind::Parallel => &["StartAt", "States", "Comment"],
            BranchKind::Processor | BranchKind::Iterator => {
                &["StartAt", "States", "Comment", "ProcessorConfig"]
            }
        };
        for m in &f.members {
            if allowed.contains(&m.key.as_str()) {
                continue;
            }
            if m.key == "QueryLanguage"
                && matches!(kind, BranchKind::Processor | BranchKind::Iterator)
            {
                self.push(
                    Code::InvalidQueryLanguage,
                    "QueryLanguage cannot be set on an ItemProcessor: its states use the state machine's language",
                    &f.ptr(&m.key),
                    m.key_span,
                );
            } else {
                self.push(
                    Code::UnknownField,
                    format!("Field '{}' is not supported here", m.key),
                    &f.ptr(&m.key),
                    m.key_span,
                );
            }
        }
        let comment = self.comment(f);
        let start_at = match self.string(f, "StartAt") {
            Some((s, _)) => Target {
                name: s.value,
                span: s.span,
                id: None,
            },
            None => Target {
                name: Arc::from(""),
                span: f.anchor,
                id: None,
            },
        };
        let processor_config = if matches!(kind, BranchKind::Processor | BranchKind::Iterator) {
            self.processor_config(f)
        } else {
            None
        };
        let mut states = IndexMap::new();
        match (f.has("StartAt"), f.has("States")) {
            (false, false) => self.push(
                Code::MissingField,
                "The fields 'StartAt' and 'States' are required but were missing".to_string(),
                &f.ptr,
                f.anchor,
            ),
            (false, true) => self.missing(f, "StartAt"),
            (true, false) => self.missing(f, "States"),
            (true, true) => {}
        }
        if let Some(m) = f.get("States") {
            let ptr = f.ptr("States");
            if let Some(sf) = self.fields(
                &m.value,
                &ptr,
                m.key_span,
                "States",
                Code::DuplicateStateName,
            ) {
                if sf.members.is_empty() {
                    self.push(
                        Code::EmptyList,
                        "States must contain at least one state",
                        &ptr,
                        m.value.span,
                    );
                }
                let adopt = kind == BranchKind::Root && !f.has("QueryLanguage");
                let misplaced = self.query_language_in_states(&sf, adopt);
                states.reserve(sf.members.len());
                for sm in &sf.members {
                    if misplaced.is_some_and(|q| std::ptr::eq(q, *sm)) {
                        continue;
                    }
                    let state = self.state(sm, &sf.ptr(&sm.key));
                    states.insert(state.name.clone(), state);
                }
            }
        }
        let mut branch = Branch {
            start_at,
            states,
            comment,
            processor_config,
            span: f.anchor,
        };
        resolve_targets(&mut branch);
        branch
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum BranchKind {
    Root,
    Parallel,
    Processor,
    Iterator,
}

/// Sets `id` on every transition target of the branch's own states (nested branches resolve
/// their own).
pub(super) fn resolve_targets(branch: &mut Branch) {
    let ids: FxHashMap<Arc<str>, StateId> = branch
        .states
        .keys()
        .enumerate()
        .map(|(i, k)| (k.clone(), i as StateId))
        .collect();
    let resolve = |t: &mut Target| t.id = ids.get(&t.name).copied();
    resolve(&mut branch.start_at);
    for state in branch.states.values_mut() {
        if let Transition::Next(t) = &mut state.transition {
            resolve(t);
        }
        let catch = match &mut state.kind {
            StateKind::Choice(c) => {
                for rule in &mut c.choices {
                    resolve(&mut rule.next);
                }
                if let Some(d) = &mut c.default {
                    resolve(d);
                }
                None
            }
            StateKind::Task(t) => Some(&mut t.catch),
            StateKind::Parallel(p) => Some(&mut p.catch),
            StateKind::Map(m) => Some(&mut m.catch),
            _ => None,
        };
        for c in catch.into_iter().flatten() {
            resolve(&mut c.next);
        }
    }
}
