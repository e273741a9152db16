//! Finding a state of the definition by its graph path (`Par/1/Inner`, `Map/0/Step`): the
//! same paths the executor puts on history events and asl-graph puts on `data-state`.
//!
//! Not owned here: making the paths (the executor compiles them once per definition; this index
//! follows the same rule: the state's name, with `{Parallel}/{branch}/` or `{Map}/0/` before a
//! nested state).

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::model::{Branch, State, StateKind, StateMachine};

/// Every state of a definition by path.
#[derive(Debug, Default)]
pub struct StateIndex<'m> {
    states: FxHashMap<Arc<str>, &'m State>,
    /// In definition order, for listings.
    order: Vec<Arc<str>>,
}

impl<'m> StateIndex<'m> {
    pub fn new(machine: &'m StateMachine) -> StateIndex<'m> {
        let mut index = StateIndex::default();
        index.add(&machine.root, "");
        index
    }

    fn add(&mut self, branch: &'m Branch, prefix: &str) {
        for (name, st) in &branch.states {
            let path: Arc<str> = format!("{prefix}{name}").into();
            self.order.push(path.clone());
            self.states.insert(path.clone(), st);
            match &st.kind {
                StateKind::Parallel(p) => {
                    for (i, b) in p.branches.iter().enumerate() {
                        self.add(b, &format!("{path}/{i}/"));
                    }
                }
                StateKind::Map(m) => self.add(&m.processor, &format!("{path}/0/")),
                _ => {}
            }
        }
    }

    pub fn get(&self, path: &str) -> Option<&'m State> {
        self.states.get(path).copied()
    }

    /// Every state path, in definition order.
    pub fn paths(&self) -> &[Arc<str>] {
        &self.order
    }

    /// The path of the Map whose item processor holds `path` most closely, if any.
    pub fn enclosing_map<'p>(&self, path: &'p str) -> Option<&'p str> {
        let mut end = path.len();
        // Candidates are the prefixes before each `/0/`; the longest that is a Map wins.
        while let Some(at) = path[..end].rfind("/0/") {
            let candidate = &path[..at];
            if let Some(st) = self.get(candidate)
                && matches!(st.kind, StateKind::Map(_))
            {
                return Some(candidate);
            }
            end = at;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_executor_and_graph() {
        let loaded = crate::load(
            r#"{"StartAt":"P","States":{
              "P":{"Type":"Parallel","Branches":[
                {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
                {"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"S","States":{"S":{"Type":"Pass","End":true}}},"End":true}}}
              ],"End":true}}}"#,
        );
        let m = loaded.machine.expect("machine");
        let idx = StateIndex::new(&m);
        assert_eq!(
            idx.paths().iter().map(|p| &**p).collect::<Vec<_>>(),
            ["P", "P/0/A", "P/1/M", "P/1/M/0/S"]
        );
        assert_eq!(idx.get("P/1/M/0/S").map(|s| &*s.name), Some("S"));
        assert_eq!(idx.enclosing_map("P/1/M/0/S"), Some("P/1/M"));
        assert_eq!(idx.enclosing_map("P/0/A"), None);
        assert!(idx.get("nope").is_none());
    }
}
