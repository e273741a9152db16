//! Walking the states of a definition's JSON (with spans), for the lints.
//!
//! Owns [`states`]: every state object wherever it is nested (Parallel branches, Map item
//! processors), with its JSON pointer, the span of its name, and the context lints need: whether
//! it runs repeatedly (on a cycle of its branch, or inside a Map iteration) and the Retry
//! policies of the Parallel/Map states around it. Reads the syntax tree rather than the model so
//! every field keeps its exact position.

use crate::diag::pointer_segment;
use crate::source::Span;
use crate::syntax::Node;

/// A Parallel or Map state around a state, with its worst-case attempts (1 + MaxAttempts).
#[derive(Clone, Debug)]
pub(crate) struct Around<'a> {
    pub name: &'a str,
    pub attempts: u64,
}

/// One state, found.
#[derive(Clone, Debug)]
pub(crate) struct StateRef<'a> {
    pub name: &'a str,
    pub name_span: Span,
    pub node: &'a Node,
    pub pointer: String,
    /// On a cycle of its branch (a loop) or inside a Map iteration.
    pub repeats: bool,
    /// Retrying Parallel/Map states around it, outermost first.
    pub around: Vec<Around<'a>>,
}

impl<'a> StateRef<'a> {
    pub fn field(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key).map(|m| &m.value)
    }

    pub fn str_field(&self, key: &str) -> Option<&'a str> {
        self.field(key).and_then(Node::as_str)
    }
}

/// Worst-case attempts of a `Retry` array: the first try plus the largest `MaxAttempts`
/// (default 3) of its retriers.
pub(crate) fn attempts(retry: Option<&Node>) -> u64 {
    let Some(list) = retry.and_then(Node::as_array) else {
        return 1;
    };
    let most = list
        .iter()
        .map(|r| match r.get("MaxAttempts").map(|m| &m.value.kind) {
            Some(crate::syntax::Kind::Number(n)) => n.as_u64().unwrap_or(0),
            _ => 3,
        })
        .max()
        .unwrap_or(0);
    1 + most
}

/// Every state of the definition `root`.
pub(crate) fn states(root: &Node) -> Vec<StateRef<'_>> {
    let mut out = Vec::new();
    branch(root, "", false, &[], &mut out);
    out
}

fn successors<'a>(state: &'a Node) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut push = |n: Option<&'a Node>| {
        if let Some(s) = n.and_then(Node::as_str) {
            out.push(s);
        }
    };
    push(state.get("Next").map(|m| &m.value));
    push(state.get("Default").map(|m| &m.value));
    for key in ["Choices", "Catch"] {
        if let Some(list) = state.get(key).and_then(|m| m.value.as_array()) {
            for item in list {
                push(item.get("Next").map(|m| &m.value));
            }
        }
    }
    out
}

/// Whether `from` can come back to itself inside its branch.
fn on_cycle(states: &[crate::syntax::Member], from: &str) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    let mut stack: Vec<&str> = states
        .iter()
        .find(|m| m.key == from)
        .map(|m| successors(&m.value))
        .unwrap_or_default();
    while let Some(s) = stack.pop() {
        if s == from {
            return true;
        }
        if seen.contains(&s) {
            continue;
        }
        seen.push(s);
        if let Some(m) = states.iter().find(|m| m.key == s) {
            stack.extend(successors(&m.value));
        }
    }
    false
}

fn branch<'a>(
    b: &'a Node,
    ptr: &str,
    repeats: bool,
    around: &[Around<'a>],
    out: &mut Vec<StateRef<'a>>,
) {
    let Some(states) = b.get("States").and_then(|m| m.value.as_object()) else {
        return;
    };
    for m in states {
        let pointer = format!("{ptr}/States/{}", pointer_segment(&m.key));
        let here_repeats = repeats || on_cycle(states, &m.key);
        let s = StateRef {
            name: &m.key,
            name_span: m.key_span,
            node: &m.value,
            pointer: pointer.clone(),
            repeats: here_repeats,
            around: around.to_vec(),
        };
        let ty = s.str_field("Type").unwrap_or("");
        let mut inner_around = around.to_vec();
        let tries = attempts(s.field("Retry"));
        if tries > 1 {
            inner_around.push(Around {
                name: &m.key,
                attempts: tries,
            });
        }
        out.push(s);
        match ty {
            "Parallel" => {
                if let Some(list) = m.value.get("Branches").and_then(|b| b.value.as_array()) {
                    for (i, inner) in list.iter().enumerate() {
                        let p = format!("{pointer}/Branches/{i}");
                        branch(inner, &p, here_repeats, &inner_around, out);
                    }
                }
            }
            "Map" => {
                for key in ["ItemProcessor", "Iterator"] {
                    if let Some(inner) = m.value.get(key) {
                        let p = format!("{pointer}/{key}");
                        branch(&inner.value, &p, true, &inner_around, out);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_states_loops_and_retries() {
        let text = r#"{"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "BooleanEquals": true, "Next": "A"}], "Default": "P"},
            "P": {"Type": "Parallel", "End": true, "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}],
                  "Branches": [{"StartAt": "In", "States": {"In": {"Type": "Pass", "End": true}}}]}}}"#;
        let root = crate::syntax::parse(text).expect("json");
        let s = states(&root);
        let names: Vec<_> = s.iter().map(|s| (s.name, s.repeats)).collect();
        assert_eq!(
            names,
            [("A", true), ("C", true), ("P", false), ("In", false)]
        );
        assert_eq!(s[3].pointer, "/States/P/Branches/0/States/In");
        assert_eq!(s[3].around[0].name, "P");
        assert_eq!(s[3].around[0].attempts, 4);
    }
}
