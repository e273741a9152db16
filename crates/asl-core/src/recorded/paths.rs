//! Giving recorded events the state paths and Map iteration indexes AWS's events lack, by the
//! rule in the [module doc](super): names give paths, everything else follows
//! `previousEventId`.
//!
//! Not owned here: reading the events (`import`, `localstack`), the path scheme itself
//! ([`crate::inspect::StateIndex`] and the executor share it).

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::history::{EventDetails, EventType, HistoryEvent};
use crate::model::{Branch, StateKind, StateMachine};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Container {
    Parallel,
    Map,
    Other,
}

/// Every state of a definition: paths by name, and what encloses each path.
#[derive(Debug, Default)]
pub(super) struct Scopes {
    by_name: FxHashMap<Arc<str>, Vec<Arc<str>>>,
    /// path → (its kind as a container, the path of the Parallel or Map around it).
    info: FxHashMap<Arc<str>, (Container, Option<Arc<str>>)>,
}

impl Scopes {
    pub(super) fn new(machine: &StateMachine) -> Scopes {
        let mut s = Scopes::default();
        s.add(&machine.root, "", None);
        s
    }

    fn add(&mut self, branch: &Branch, prefix: &str, parent: Option<&Arc<str>>) {
        for (name, st) in &branch.states {
            let path: Arc<str> = format!("{prefix}{name}").into();
            self.by_name
                .entry(name.clone())
                .or_default()
                .push(path.clone());
            let kind = match &st.kind {
                StateKind::Parallel(p) => {
                    for (i, b) in p.branches.iter().enumerate() {
                        self.add(b, &format!("{path}/{i}/"), Some(&path));
                    }
                    Container::Parallel
                }
                StateKind::Map(m) => {
                    self.add(&m.processor, &format!("{path}/0/"), Some(&path));
                    Container::Map
                }
                _ => Container::Other,
            };
            self.info.insert(path, (kind, parent.cloned()));
        }
    }

    /// The path of the state named `name`; with several (a definition AWS would reject), the
    /// one inside the scope of `near`.
    pub(super) fn path_of(&self, name: &str, near: &str) -> Option<Arc<str>> {
        let paths = self.by_name.get(name)?;
        if paths.len() > 1 {
            let mut scope = Some(near);
            while let Some(s) = scope {
                if let Some(p) = paths.iter().find(|p| p.starts_with(s) && !s.is_empty()) {
                    return Some(p.clone());
                }
                scope = self.parent(s);
            }
        }
        paths.first().cloned()
    }

    fn parent(&self, path: &str) -> Option<&str> {
        self.info.get(path).and_then(|(_, p)| p.as_deref())
    }

    fn kind(&self, path: &str) -> Option<Container> {
        self.info.get(path).map(|(k, _)| *k)
    }

    /// The innermost `want` container at or (when `inclusive` is false) strictly above `path`.
    fn enclosing(&self, path: &str, want: Container, inclusive: bool) -> Option<Arc<str>> {
        let mut at = if inclusive {
            Some(path)
        } else {
            self.parent(path)
        };
        while let Some(p) = at {
            if self.kind(p) == Some(want) {
                return self.info.get_key_value(p).map(|(k, _)| k.clone());
            }
            at = self.parent(p);
        }
        None
    }

    /// Maps strictly enclosing `path`: how many iteration indexes its events carry.
    fn map_depth(&self, path: &str) -> usize {
        let mut n = 0;
        let mut at = self.parent(path);
        while let Some(p) = at {
            if self.kind(p) == Some(Container::Map) {
                n += 1;
            }
            at = self.parent(p);
        }
        n
    }
}

/// Which container a Parallel's or Map's own (unnamed) event belongs to.
fn container_event(kind: EventType) -> Option<Container> {
    use EventType::*;
    match kind {
        ParallelStateStarted
        | ParallelStateSucceeded
        | ParallelStateFailed
        | ParallelStateAborted => Some(Container::Parallel),
        MapStateStarted | MapStateSucceeded | MapStateFailed | MapStateAborted | MapRunStarted
        | MapRunSucceeded | MapRunFailed | MapRunAborted | MapRunRedriven => Some(Container::Map),
        _ => None,
    }
}

/// Whether what follows the event is outside its state: a Parallel's or Map's work ended, or
/// the state was left.
fn closes_container(kind: EventType) -> bool {
    use EventType::*;
    crate::inspect::is_state_exited(kind)
        || matches!(
            kind,
            ParallelStateSucceeded
                | ParallelStateFailed
                | ParallelStateAborted
                | MapStateSucceeded
                | MapStateFailed
                | MapStateAborted
        )
}

/// Fills `path` and `iterations` of `events`; `prev[i]` is the index of event `i`'s previous
/// event (`None` for the first). Names the definition lacks are reported once each.
pub(super) fn assign(
    scopes: &Scopes,
    events: &mut [HistoryEvent],
    prev: &[Option<usize>],
    warnings: &mut Vec<String>,
) {
    let empty: Arc<[u32]> = Arc::from([] as [u32; 0]);
    // Iterations started per Map visit, for iteration events without an index.
    let mut started: FxHashMap<Arc<str>, u32> = FxHashMap::default();
    for i in 0..events.len() {
        let p = prev.get(i).copied().flatten().filter(|&p| p < i);
        let (prev_path, prev_iters, prev_kind) = match p {
            Some(p) => (
                events[p].path.clone(),
                events[p].iterations.clone(),
                Some(events[p].kind),
            ),
            None => (Arc::from(""), empty.clone(), None),
        };
        let ev = &events[i];
        let kind = ev.kind;
        let named = match &ev.details {
            EventDetails::StateEntered { name, .. } | EventDetails::StateExited { name, .. } => {
                Some(name.clone())
            }
            _ => None,
        };
        let truncate = |path: &str| -> Arc<[u32]> {
            let depth = scopes.map_depth(path);
            if prev_iters.len() <= depth {
                prev_iters.clone()
            } else {
                Arc::from(&prev_iters[..depth])
            }
        };
        let (path, iterations): (Arc<str>, Arc<[u32]>) = if kind.as_str().starts_with("Execution") {
            (Arc::from(""), empty.clone())
        } else if let Some(name) = named {
            let path = match scopes.path_of(&name, &prev_path) {
                Some(p) => p,
                None => {
                    let w = format!("the definition has no state named \"{name}\"");
                    if !warnings.contains(&w) {
                        warnings.push(w);
                    }
                    name
                }
            };
            let it = truncate(&path);
            (path, it)
        } else if matches!(
            kind,
            EventType::MapIterationStarted
                | EventType::MapIterationSucceeded
                | EventType::MapIterationFailed
                | EventType::MapIterationAborted
        ) {
            let (name, index) = match &ev.details {
                EventDetails::MapIteration { name, index } => (Some(name.clone()), Some(*index)),
                _ => (None, None),
            };
            let map = name
                .and_then(|n| scopes.path_of(&n, &prev_path))
                .or_else(|| {
                    let inclusive = !prev_kind.is_some_and(closes_container);
                    scopes.enclosing(&prev_path, Container::Map, inclusive)
                })
                .unwrap_or_else(|| prev_path.clone());
            let depth = scopes.map_depth(&map);
            let index = match index {
                Some(ix) => u32::try_from(ix).unwrap_or(u32::MAX),
                None if kind == EventType::MapIterationStarted => {
                    let n = started.entry(map.clone()).or_default();
                    *n += 1;
                    *n - 1
                }
                None => prev_iters.get(depth).copied().unwrap_or(0),
            };
            let mut it: Vec<u32> = prev_iters.iter().copied().take(depth).collect();
            it.push(index);
            (map, Arc::from(it))
        } else if let Some(want) = container_event(kind) {
            let inclusive = !prev_kind.is_some_and(closes_container);
            let path = scopes
                .enclosing(&prev_path, want, inclusive)
                .unwrap_or_else(|| prev_path.clone());
            if kind == EventType::MapStateStarted {
                started.remove(&path);
            }
            let it = truncate(&path);
            (path, it)
        } else {
            let it = truncate(&prev_path);
            (prev_path.clone(), it)
        };
        let ev = &mut events[i];
        ev.path = path;
        ev.iterations = iterations;
    }
}
