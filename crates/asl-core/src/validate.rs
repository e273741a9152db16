//! Whole-machine rules, checked on the typed model.
//!
//! Owns the checks that need more than one field: transition targets (`StartAt`, `Next`,
//! `Default`, Catcher `Next`) naming a state of the *same* branch, state names unique across the
//! whole machine, `States.ALL` being the last Retrier/Catcher, variables assigned inside a Parallel
//! branch or inline Map not re-using a name an enclosing scope assigns, reachability (warning), branches with
//! no terminal state (error) and states that can never reach one (warning). Nested Parallel
//! branches and Map item processors are checked recursively, each with its own `StartAt`.
//!
//! Not owned here: per-field rules (types, ranges, allowed fields, path syntax), checked while
//! reading the JSON ([`crate::parse`]).

use rustc_hash::FxHashMap;

use crate::diag::{Code, Diagnostic, pointer_segment};
use crate::error::ErrorName;
use crate::model::{
    Branch, Catcher, MapMode, Retrier, State, StateId, StateKind, StateMachine, Target, Transition,
};
use crate::source::Span;
use crate::template::Template;

/// Every whole-machine problem of `machine`.
pub fn validate(machine: &StateMachine) -> Vec<Diagnostic> {
    let mut v = Validator {
        diags: Vec::new(),
        names: FxHashMap::default(),
        branches: Vec::new(),
    };
    v.collect_names(&machine.root, "");
    v.branch(&machine.root, "", 0);
    v.variable_scopes(&machine.root, "", &[], 0);
    v.diags
}

/// The variables each `Assign` of a state sets, with the pointer of that `Assign` field: the
/// state's own, its Choice rules' and its Catchers'.
fn assigns<'m>(state: &'m State, sptr: impl Fn() -> String) -> Vec<(&'m str, String)> {
    let mut out: Vec<(&str, String)> = Vec::new();
    // Pointers are built only for an `Assign` that is there (most states have none).
    let mut add = |t: &'m Option<Template>, ptr: &dyn Fn() -> String| {
        let Some(t) = t else { return };
        let ptr = ptr();
        for k in t.keys() {
            out.push((k, ptr.clone()));
        }
    };
    add(&state.assign, &|| format!("{}/Assign", sptr()));
    if let StateKind::Choice(c) = &state.kind {
        for (j, r) in c.choices.iter().enumerate() {
            add(&r.assign, &|| format!("{}/Choices/{j}/Assign", sptr()));
        }
    }
    for (j, c) in state.retry_catch().1.iter().enumerate() {
        add(&c.assign, &|| format!("{}/Catch/{j}/Assign", sptr()));
    }
    out
}

struct Validator<'m> {
    diags: Vec<Diagnostic>,
    /// Every state name → the index of its branch in `branches` (of the type `parse::fields`
    /// uses: a `&str → usize` table is one hash table type the wasm already has).
    names: FxHashMap<&'m str, usize>,
    /// Pointer of each branch, in `collect_names` order.
    branches: Vec<String>,
}

pub(crate) fn state_ptr(branch_ptr: &str, name: &str) -> String {
    format!("{branch_ptr}/States/{}", pointer_segment(name))
}

/// The branches nested directly in a state, with their pointers.
pub(crate) fn nested<'m>(kind: &'m StateKind, ptr: &str) -> Vec<(&'m Branch, String)> {
    match kind {
        StateKind::Parallel(p) => p
            .branches
            .iter()
            .enumerate()
            .map(|(i, b)| (b, format!("{ptr}/Branches/{i}")))
            .collect(),
        StateKind::Map(m) => {
            let key = if m.legacy_iterator {
                "Iterator"
            } else {
                "ItemProcessor"
            };
            vec![(&m.processor, format!("{ptr}/{key}"))]
        }
        _ => Vec::new(),
    }
}

impl<'m> Validator<'m> {
    fn push(&mut self, code: Code, message: String, ptr: String, span: Span) {
        self.diags.push(Diagnostic::new(code, message, ptr, span));
    }

    /// Records every state name of the machine, reporting names used twice (names must be unique
    /// across branches too, since history events and Catch targets refer to states by name).
    fn collect_names(&mut self, branch: &'m Branch, ptr: &str) {
        let index = self.branches.len();
        self.branches.push(ptr.to_string());
        for (name, state) in &branch.states {
            let sptr = || state_ptr(ptr, name);
            if let Some(&other) = self.names.get(&**name) {
                if other != index {
                    let where_ = self.branches[other].clone();
                    let where_ = if where_.is_empty() {
                        "the top level".to_string()
                    } else {
                        where_
                    };
                    self.push(
                        Code::DuplicateStateName,
                        format!("Duplicate State name: '{name}' is also defined in {where_}; state names must be unique across the whole state machine"),
                        sptr(),
                        state.name_span,
                    );
                }
            } else {
                self.names.insert(name, index);
            }
            if matches!(state.kind, StateKind::Parallel(_) | StateKind::Map(_)) {
                for (b, bptr) in nested(&state.kind, &sptr()) {
                    self.collect_names(b, &bptr);
                }
            }
        }
    }

    /// A Parallel branch or inline Map item processor may read the variables of the scopes
    /// around it but not assign one of the same name: AWS rejects the definition with "The
    /// variable name 'x' was already defined in a parent scope." (recorded:
    /// `tam/Feature.JSONataComposition/006-parallel-branch-cannot-shadow-outer-variable-in-composed-flow`).
    /// A scope's names are those any of its states assigns, wherever in the branch. Distributed
    /// Map item processors run as child executions with their own variables and are not checked.
    fn variable_scopes(&mut self, branch: &'m Branch, ptr: &str, outer: &[&'m str], depth: usize) {
        if depth > 40 {
            return; // reported by `branch`
        }
        let mut here: Vec<&'m str> = outer.to_vec();
        for (name, state) in &branch.states {
            for (var, aptr) in assigns(state, || state_ptr(ptr, name)) {
                if outer.contains(&var) {
                    self.push(
                        Code::VariableRedefined,
                        format!("The variable name '{var}' was already defined in a parent scope."),
                        aptr,
                        state.span,
                    );
                }
                here.push(var);
            }
        }
        for (name, state) in &branch.states {
            if let StateKind::Map(m) = &state.kind
                && m.mode() == MapMode::Distributed
            {
                continue;
            }
            if !matches!(state.kind, StateKind::Parallel(_) | StateKind::Map(_)) {
                continue; // no nested branch: no pointer to build
            }
            for (b, bptr) in nested(&state.kind, &state_ptr(ptr, name)) {
                self.variable_scopes(b, &bptr, &here, depth + 1);
            }
        }
    }

    /// Reports `t` when it names no state of its branch; `ptr` is only built then.
    fn target(&mut self, t: &Target, ptr: impl FnOnce() -> String, field: &str) {
        if t.id.is_some() || t.name.is_empty() {
            return; // resolved, or missing (reported by the parser)
        }
        let message = match self.names.get(&*t.name) {
            Some(_) => format!(
                "Missing '{field}' target: '{}' is defined in another branch; transitions cannot cross Parallel/Map branch boundaries",
                t.name
            ),
            None => format!("Missing '{field}' target: no state is named '{}'", t.name),
        };
        self.push(Code::MissingTransitionTarget, message, ptr(), t.span);
    }

    fn states_all_last(&mut self, retry: &[Retrier], catch: &[Catcher], ptr: &dyn Fn() -> String) {
        let retriers: Vec<_> = retry.iter().map(|r| &r.error_equals[..]).collect();
        self.all_only_last(&retriers, "Retrier", "Retriers", "Retry", ptr);
        let catchers: Vec<_> = catch.iter().map(|c| &c.error_equals[..]).collect();
        self.all_only_last(&catchers, "Catcher", "Catchers", "Catch", ptr);
    }

    /// `States.ALL` in any but the last Retrier / Catcher of a list (`lists`: their ErrorEquals).
    fn all_only_last(
        &mut self,
        lists: &[&[crate::model::Spanned<ErrorName>]],
        one: &str,
        many: &str,
        field: &str,
        ptr: &dyn Fn() -> String,
    ) {
        let Some((_, all_but_last)) = lists.split_last() else {
            return;
        };
        for (i, names) in all_but_last.iter().enumerate() {
            if let Some(all) = names.iter().find(|n| n.value == ErrorName::All) {
                self.push(
                    Code::StatesAllPosition,
                    format!(
                        "A {one} with 'States.ALL' must be the last one (later {many} would never be used)"
                    ),
                    format!("{}/{field}/{i}/ErrorEquals", ptr()),
                    all.span,
                );
            }
        }
    }

    fn branch(&mut self, branch: &'m Branch, ptr: &str, depth: usize) {
        if depth > 40 {
            self.push(
                Code::TooDeeplyNested,
                "Parallel/Map states are nested more than 40 levels deep".into(),
                ptr.to_string(),
                branch.span,
            );
            return;
        }
        self.target(&branch.start_at, || format!("{ptr}/StartAt"), "StartAt");
        let n = branch.states.len();
        let mut successors: Vec<Vec<StateId>> = vec![Vec::new(); n];
        let mut terminal = vec![false; n];
        for (i, (name, state)) in branch.states.iter().enumerate() {
            let sptr = || state_ptr(ptr, name);
            let succ = &mut successors[i];
            match &state.transition {
                Transition::Next(t) => succ.extend(t.id),
                Transition::End(_) => terminal[i] = true,
                Transition::None => {}
            }
            if matches!(state.kind, StateKind::Succeed | StateKind::Fail(_)) {
                terminal[i] = true;
            }
            let (retry, catch) = state.retry_catch();
            succ.extend(catch.iter().filter_map(|c| c.next.id));
            if let StateKind::Choice(c) = &state.kind {
                succ.extend(c.choices.iter().filter_map(|r| r.next.id));
                succ.extend(c.default.as_ref().and_then(|d| d.id));
            }
            // Targets.
            if let Transition::Next(t) = &state.transition {
                self.target(t, || format!("{}/Next", sptr()), "Next");
            }
            for (j, c) in catch.iter().enumerate() {
                self.target(&c.next, || format!("{}/Catch/{j}/Next", sptr()), "Next");
            }
            if let StateKind::Choice(c) = &state.kind {
                for (j, r) in c.choices.iter().enumerate() {
                    self.target(&r.next, || format!("{}/Choices/{j}/Next", sptr()), "Next");
                }
                if let Some(d) = &c.default {
                    self.target(d, || format!("{}/Default", sptr()), "Default");
                }
            }
            self.states_all_last(retry, catch, &sptr);
            if matches!(state.kind, StateKind::Parallel(_) | StateKind::Map(_)) {
                for (b, bptr) in nested(&state.kind, &sptr()) {
                    self.branch(b, &bptr, depth + 1);
                }
            }
        }
        if n == 0 {
            return;
        }
        // Reachability from StartAt.
        let mut reached = vec![false; n];
        let mut stack: Vec<StateId> = branch.start().into_iter().collect();
        while let Some(s) = stack.pop() {
            let s = s as usize;
            if s >= n || reached[s] {
                continue;
            }
            reached[s] = true;
            stack.extend(successors[s].iter().copied());
        }
        // Which states can reach a terminal: walk edges backwards from the terminals.
        let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, succ) in successors.iter().enumerate() {
            for &s in succ {
                if let Some(p) = predecessors.get_mut(s as usize) {
                    p.push(i);
                }
            }
        }
        let mut can_end = terminal.clone();
        let mut stack: Vec<usize> = (0..n).filter(|&i| terminal[i]).collect();
        while let Some(s) = stack.pop() {
            for &p in &predecessors[s] {
                if !can_end[p] {
                    can_end[p] = true;
                    stack.push(p);
                }
            }
        }
        // A dangling transition (already an error) explains any missing way to the end.
        let dangling = branch.states.values().any(|s| {
            matches!(&s.transition, Transition::Next(t) if t.id.is_none())
                || s.retry_catch().1.iter().any(|c| c.next.id.is_none())
                || matches!(&s.kind, StateKind::Choice(c) if c.choices.iter().any(|r| r.next.id.is_none())
                    || c.default.as_ref().is_some_and(|d| d.id.is_none()))
        });
        if dangling {
            // Still warn about unreachable states: that does not depend on the missing target.
            for (i, (name, state)) in branch.states.iter().enumerate() {
                if !reached[i] && branch.start().is_some() {
                    self.push(
                        Code::UnreachableState,
                        format!(
                            "State '{name}' is not reachable from StartAt '{}'",
                            branch.start_at.name
                        ),
                        state_ptr(ptr, name),
                        state.name_span,
                    );
                }
            }
            return;
        }
        if !terminal.iter().any(|&t| t) {
            let span = branch.start_at.span;
            self.push(
                Code::MissingEndState,
                "Workflow has no terminal state: no state has \"End\": true and there is no Succeed or Fail state".into(),
                format!("{ptr}/States"),
                span,
            );
            return;
        }
        // A state whose own transition is missing was already reported; no extra warnings for it.
        for (i, (name, state)) in branch.states.iter().enumerate() {
            let sptr = || state_ptr(ptr, name);
            if !reached[i] && branch.start().is_some() {
                self.push(
                    Code::UnreachableState,
                    format!(
                        "State '{name}' is not reachable from StartAt '{}'",
                        branch.start_at.name
                    ),
                    sptr(),
                    state.name_span,
                );
            } else if reached[i] && !can_end[i] && !matches!(state.transition, Transition::None) {
                self.push(
                    Code::NoPathToEnd,
                    format!("No path from state '{name}' leads to an end: once entered, the execution can only loop"),
                    sptr(),
                    state.name_span,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Code;

    fn codes(text: &str) -> Vec<(Code, String)> {
        crate::load(text)
            .diagnostics
            .into_iter()
            .map(|d| (d.code, d.pointer))
            .collect()
    }

    #[test]
    fn transitions_stay_inside_their_branch() {
        let text = r#"{"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Next": "After", "Branches": [
                {"StartAt": "In", "States": {"In": {"Type": "Pass", "Next": "After"}}}]},
            "After": {"Type": "Succeed"}}}"#;
        let d = crate::load(text);
        let e = d.errors().next().expect("an error");
        assert_eq!(e.code, Code::MissingTransitionTarget);
        assert_eq!(e.pointer, "/States/P/Branches/0/States/In/Next");
        assert!(e.message.contains("another branch"), "{}", e.message);
    }

    #[test]
    fn state_names_are_unique_across_branches() {
        let text = r#"{"StartAt": "A", "States": {
            "A": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}]}}}"#;
        assert!(codes(text).contains(&(
            Code::DuplicateStateName,
            "/States/A/Branches/0/States/A".into()
        )));
    }

    #[test]
    fn states_all_must_be_last() {
        let text = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}, {"ErrorEquals": ["X"], "Next": "F"}]},
            "F": {"Type": "Fail"}}}"#;
        assert_eq!(
            codes(text),
            vec![(
                Code::StatesAllPosition,
                "/States/T/Catch/0/ErrorEquals".into()
            )]
        );
    }

    #[test]
    fn loops_without_exit_and_orphans_are_warnings() {
        let text = r#"{"StartAt": "A", "States": {
            "A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "Loop"}], "Default": "End"},
            "Loop": {"Type": "Pass", "Next": "Loop"},
            "End": {"Type": "Succeed"},
            "Orphan": {"Type": "Succeed"}}}"#;
        let d = crate::load(text);
        assert!(!d.has_errors());
        let got: Vec<_> = d
            .diagnostics
            .iter()
            .map(|d| (d.code, d.pointer.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (Code::NoPathToEnd, "/States/Loop"),
                (Code::UnreachableState, "/States/Orphan")
            ]
        );
    }

    #[test]
    fn a_machine_without_an_end_is_an_error() {
        let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A"}}}"#;
        assert_eq!(codes(text), vec![(Code::MissingEndState, "/States".into())]);
    }
}
