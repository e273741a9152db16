//! The graph model: what is drawn, before any geometry.
//!
//! Owns nodes (one per state plus Start/End markers), edges (Next, Choice rule, Default, Catch) and
//! nesting (a Parallel's branches and a Map's item processor are [`Scope`]s inside their node). It
//! knows nothing of ASL parsing (see [`crate::from_model`]) or of coordinates (see [`crate::layout`]).
//!
//! Ids are stable and derived from position, not from user text: the node for the state at path
//! `Process/0/Transcode` gets the id suffix `n2-0-1` (state index 2, branch 0, state index 1), so ids
//! are always valid XML/CSS names whatever the state is called, and the state path travels in
//! `data-state` instead.

/// What a node stands for; decides its shape and colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKind {
    /// The Start marker of the top-level machine.
    Start,
    /// The End marker of the top-level machine.
    End,
    /// A `Task` state.
    Task,
    /// A `Pass` state.
    Pass,
    /// A `Choice` state (drawn as a diamond).
    Choice,
    /// A `Wait` state.
    Wait,
    /// A `Succeed` state.
    Succeed,
    /// A `Fail` state.
    Fail,
    /// A `Parallel` state: a cluster holding one scope per branch.
    Parallel,
    /// A `Map` state: a cluster holding the item processor's scope.
    Map,
    /// Not a state: the broken end of a transition to a state that does not exist (its name is
    /// the missing target's). Drawn small and dashed with a `?`.
    Missing,
}

impl NodeKind {
    /// The lower-case name used in CSS classes (`asl-kind-task`, …).
    pub fn css(self) -> &'static str {
        match self {
            NodeKind::Start => "start",
            NodeKind::End => "end",
            NodeKind::Task => "task",
            NodeKind::Pass => "pass",
            NodeKind::Choice => "choice",
            NodeKind::Wait => "wait",
            NodeKind::Succeed => "succeed",
            NodeKind::Fail => "fail",
            NodeKind::Parallel => "parallel",
            NodeKind::Map => "map",
            NodeKind::Missing => "missing",
        }
    }

    /// True for the Start/End markers, which are not states.
    pub fn is_marker(self) -> bool {
        matches!(self, NodeKind::Start | NodeKind::End)
    }
}

/// One node: a state, or a Start/End marker.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Id suffix, unique in the whole graph (e.g. `n2-0-1`, `start`); valid in XML ids and CSS.
    pub id: String,
    /// What the node stands for.
    pub kind: NodeKind,
    /// The state name as written by the user (any text; escaped when drawn).
    pub name: String,
    /// The state path for `data-state`, e.g. `Process/0/Transcode`; empty for markers.
    pub path: String,
    /// A short second line, e.g. `Lambda: Invoke` or `Wait 10 s`.
    pub caption: String,
    /// Retry badge text such as `↻ 3×`, if the state has retriers.
    pub retry: Option<String>,
    /// Full retry description for the badge's tooltip.
    pub retry_title: Option<String>,
    /// Nested scopes: one per Parallel branch, one for a Map's item processor.
    pub children: Vec<Scope>,
}

impl Node {
    /// A node with no caption, retry or children.
    pub fn new(id: impl Into<String>, kind: NodeKind, name: impl Into<String>) -> Node {
        Node {
            id: id.into(),
            kind,
            name: name.into(),
            path: String::new(),
            caption: String::new(),
            retry: None,
            retry_title: None,
            children: Vec::new(),
        }
    }
}

/// What a transition means; decides line style and label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// `Next` (or Start → StartAt, terminal state → End).
    Next,
    /// A Choice rule's `Next`.
    Choice,
    /// A Choice state's `Default`.
    Default,
    /// A `Catch` clause's `Next` (drawn dashed).
    Catch,
}

impl EdgeKind {
    /// The lower-case name used in CSS classes.
    pub fn css(self) -> &'static str {
        match self {
            EdgeKind::Next => "next",
            EdgeKind::Choice => "choice",
            EdgeKind::Default => "default",
            EdgeKind::Catch => "catch",
        }
    }
}

/// A transition between two nodes of the same scope.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// Id suffix, unique in the whole graph (e.g. `e3` or `e2-0-1`).
    pub id: String,
    /// Index of the source node in its scope's `nodes`.
    pub from: usize,
    /// Index of the target node in its scope's `nodes`.
    pub to: usize,
    /// What the transition means.
    pub kind: EdgeKind,
    /// The label (a Choice rule, `Default`, caught error names), possibly empty.
    pub label: String,
    /// The full text for the label's tooltip when the label is a summary (e.g. a long Choice
    /// rule); empty when the label says it all.
    pub title: String,
}

/// A set of nodes whose transitions stay inside it: the machine, a Parallel branch or a Map
/// processor. ASL never lets a transition cross a scope boundary, which is what lets each scope
/// be laid out on its own and nested.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scope {
    /// Nodes in definition order.
    pub nodes: Vec<Node>,
    /// Edges; `from`/`to` index `nodes`.
    pub edges: Vec<Edge>,
    /// The node where execution enters the scope (Start marker or the `StartAt` state).
    pub entry: usize,
}

impl Scope {
    /// Number of nodes, nested scopes included.
    pub fn node_count(&self) -> usize {
        self.nodes
            .iter()
            .map(|n| 1 + n.children.iter().map(Scope::node_count).sum::<usize>())
            .sum()
    }

    /// Edges in breadth-first order from `entry`, then any edges from unreached nodes, each edge
    /// once, so the layout sees edges in a stable order.
    pub fn bfs_order(&self) -> Vec<usize> {
        let n = self.nodes.len();
        let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, e) in self.edges.iter().enumerate() {
            if e.from < n && e.to < n {
                out_edges[e.from].push(i);
            }
        }
        self.node_order()
            .into_iter()
            .flat_map(|v| out_edges[v].clone())
            .collect()
    }

    /// Nodes in breadth-first order from `entry`, then unreached nodes in definition order.
    pub fn node_order(&self) -> Vec<usize> {
        let n = self.nodes.len();
        let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
        for e in &self.edges {
            if e.from < n && e.to < n {
                succ[e.from].push(e.to);
            }
        }
        let mut seen = vec![false; n];
        let mut order = Vec::with_capacity(n);
        let mut roots: Vec<usize> = Vec::with_capacity(n);
        if self.entry < n {
            roots.push(self.entry);
        }
        roots.extend(0..n);
        for root in roots {
            if seen[root] {
                continue;
            }
            seen[root] = true;
            let mut head = order.len();
            order.push(root);
            while head < order.len() {
                let v = order[head];
                head += 1;
                for &w in &succ[v] {
                    if !seen[w] {
                        seen[w] = true;
                        order.push(w);
                    }
                }
            }
        }
        order
    }
}

/// The whole drawing: the top-level scope (with Start and End markers) and a title.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Graph {
    /// The machine's scope.
    pub root: Scope,
    /// The machine's `Comment`, shown as the SVG `<title>` if present.
    pub comment: String,
}

impl Graph {
    /// Visit every node with its depth, depth-first in definition order.
    pub fn walk<'a>(&'a self, mut f: impl FnMut(&'a Node, usize)) {
        fn go<'a>(s: &'a Scope, depth: usize, f: &mut dyn FnMut(&'a Node, usize)) {
            for n in &s.nodes {
                f(n, depth);
                for c in &n.children {
                    go(c, depth + 1, f);
                }
            }
        }
        go(&self.root, 0, &mut f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(from: usize, to: usize) -> Edge {
        Edge {
            id: format!("e{from}-{to}"),
            from,
            to,
            kind: EdgeKind::Next,
            label: String::new(),
            title: String::new(),
        }
    }

    #[test]
    fn bfs_order_starts_at_entry_and_keeps_every_edge_once() {
        let mut s = Scope::default();
        for i in 0..4 {
            s.nodes
                .push(Node::new(format!("n{i}"), NodeKind::Pass, format!("S{i}")));
        }
        s.entry = 2;
        s.edges = vec![edge(0, 1), edge(3, 0), edge(2, 3), edge(1, 2)];
        assert_eq!(s.node_order(), vec![2, 3, 0, 1]);
        assert_eq!(s.bfs_order(), vec![2, 1, 0, 3]);
    }

    #[test]
    fn unreachable_nodes_are_still_ordered() {
        let mut s = Scope::default();
        for i in 0..3 {
            s.nodes
                .push(Node::new(format!("n{i}"), NodeKind::Pass, format!("S{i}")));
        }
        s.edges = vec![edge(2, 1)];
        assert_eq!(s.node_order(), vec![0, 1, 2]);
        assert_eq!(s.bfs_order(), vec![0]);
    }
}
