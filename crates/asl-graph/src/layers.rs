//! Ranks and row elements for one scope's acyclic edge list: which row each node goes in, and the
//! label and bend elements of the edges between rows.
//!
//! Owns ranking only; order within rows is [`crate::order`]'s and coordinates are
//! [`crate::rows`]'s. It does what layout-rs 0.1.3's `split_text_edges` + `split_long_edges` do
//! (longest-path ranks, an element for each edge label, "sinking" nodes towards their successors as
//! its `RankOptimizer` does, one bend element per row a long edge passes), in O(V + E + bends).
//! It is the ranking of our bounded engine and, because it is linear, also the input of the
//! engine choice in [`crate::layout`] (its row widths predict layout-rs's minimiser cost). We
//! cannot just ask layout-rs for ranks: it runs its crossing minimisation inside
//! `split_long_edges` unless its optimisations are off, and turning them off also turns off the
//! sinking, without which nodes on a short branch float up next to their source and their edges
//! cut through the boxes of the main flow.

use crate::layout::PrepEdge;
use crate::rows::{Elem, Item};

/// Rows of elements with their links, and how each edge runs through them.
pub(crate) struct Layers {
    /// `rows[r]` in initial order (nodes in the given order, then labels, then bends).
    pub rows: Vec<Vec<Item>>,
    /// Per element: (row, position in row).
    pub slot: Vec<(usize, usize)>,
    /// Per element: the node it is, if any.
    pub node: Vec<Option<usize>>,
    /// Per laid-out edge: (edge index, source node, target node, elements from source to target).
    pub chains: Vec<(usize, usize, usize, Vec<usize>)>,
}

/// Build the layers. `nodes` lists the nodes to lay out in the order that seeds the row order;
/// `edges` lists edge indices into `prep` in the order to add them (forward edges only, both ends
/// in `nodes`); `topo` is a topological order of all nodes; `connector[i]` says edge `i` gets a
/// label element; `pinned(v)` says node `v` must not sink (a terminal state stays next to the
/// state that leads to it; its edge to the End marker is what gets long).
pub(crate) fn build(
    sizes: &[(f64, f64)],
    prep: &[PrepEdge],
    nodes: &[usize],
    edges: &[usize],
    topo: &[usize],
    connector: &dyn Fn(usize) -> bool,
    pinned: &dyn Fn(usize) -> bool,
) -> Layers {
    let mut elem_of_node = vec![usize::MAX; sizes.len()];
    let mut kind: Vec<Elem> = Vec::new();
    for &v in nodes {
        elem_of_node[v] = kind.len();
        kind.push(Elem::Node(v));
    }
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); kind.len()];
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); kind.len()];
    let mut chains: Vec<(usize, usize, usize, Vec<usize>)> = Vec::new();
    for &i in edges {
        let e = &prep[i];
        let (a, b) = (elem_of_node[e.from], elem_of_node[e.to]);
        if a == usize::MAX || b == usize::MAX || a == b {
            continue;
        }
        let mut chain = vec![a];
        if connector(i) {
            let c = kind.len();
            kind.push(Elem::Label(i));
            succ.push(Vec::new());
            pred.push(Vec::new());
            chain.push(c);
        }
        chain.push(b);
        for w in chain.windows(2) {
            succ[w[0]].push(w[1]);
            pred[w[1]].push(w[0]);
        }
        chains.push((i, e.from, e.to, chain));
    }
    // Longest-path ranks, in topological order (a label element right after its source).
    let mut rank = vec![0usize; kind.len()];
    for &v in topo {
        let a = elem_of_node.get(v).copied().unwrap_or(usize::MAX);
        if a == usize::MAX {
            continue;
        }
        for k in 0..succ[a].len() {
            let s = succ[a][k];
            rank[s] = rank[s].max(rank[a] + 1);
            if matches!(kind[s], Elem::Label(_)) {
                for &t in &succ[s] {
                    rank[t] = rank[t].max(rank[s] + 1);
                }
            }
        }
    }
    // Sink elements with no more predecessors than successors down to just above their nearest
    // successor (shorter edges, same rule as layout-rs's RankOptimizer). Each move lowers a rank
    // and ranks are bounded, so this ends; sunk elements go to the end of their new row.
    let mut stamp: Vec<usize> = (0..kind.len()).collect();
    let mut next_stamp = kind.len();
    loop {
        let mut moved = false;
        for v in 0..kind.len() {
            if succ[v].is_empty()
                || pred[v].len() > succ[v].len()
                || matches!(kind[v], Elem::Node(n) if pinned(n))
            {
                continue;
            }
            let next = succ[v].iter().map(|&s| rank[s]).min().unwrap_or(0);
            if next > rank[v] + 1 {
                rank[v] = next - 1;
                stamp[v] = next_stamp;
                next_stamp += 1;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    // Bend elements for edges that skip rows.
    let mut dummy_rank: Vec<usize> = Vec::new();
    for (_, _, _, chain) in &mut chains {
        let mut out = Vec::with_capacity(chain.len());
        for w in chain.windows(2) {
            out.push(w[0]);
            for r in rank[w[0]] + 1..rank[w[1]] {
                out.push(kind.len() + dummy_rank.len());
                dummy_rank.push(r);
            }
        }
        out.extend(chain.last().copied());
        *chain = out;
    }
    let total = kind.len() + dummy_rank.len();
    for r in dummy_rank {
        rank.push(r);
        kind.push(Elem::Dummy);
        stamp.push(next_stamp);
        next_stamp += 1;
    }
    // Rows (empty ranks dropped), each in stamp order.
    let mut used: Vec<usize> = rank.clone();
    asl_core::sort::sort(&mut used);
    used.dedup();
    let mut by_rank: Vec<Vec<usize>> = vec![Vec::new(); used.len()];
    for (v, rv) in rank.iter().enumerate() {
        if let Ok(r) = used.binary_search(rv) {
            by_rank[r].push(v);
        }
    }
    let mut slot = vec![(usize::MAX, usize::MAX); total];
    let mut rows: Vec<Vec<Item>> = Vec::with_capacity(by_rank.len());
    for (r, mut members) in by_rank.into_iter().enumerate() {
        asl_core::sort::sort_by_key(&mut members, |&v| stamp[v]);
        let mut items = Vec::with_capacity(members.len());
        for (k, v) in members.into_iter().enumerate() {
            slot[v] = (r, k);
            let (w, h) = match kind[v] {
                Elem::Node(n) => sizes[n],
                Elem::Label(i) => prep[i].label.unwrap_or((2.0, 2.0)),
                Elem::Dummy => (2.0, 2.0),
            };
            items.push(Item {
                elem: kind[v],
                w,
                h,
                up: Vec::new(),
                down: Vec::new(),
            });
        }
        rows.push(items);
    }
    for (i, _, _, chain) in &chains {
        for w in chain.windows(2) {
            let ((r, k), (sr, sk)) = (slot[w[0]], slot[w[1]]);
            if r >= rows.len() || sr >= rows.len() {
                continue;
            }
            rows[r][k].down.push((sk, prep[*i].weight));
            rows[sr][sk].up.push((k, prep[*i].weight));
        }
    }
    let node = kind
        .iter()
        .map(|k| match k {
            Elem::Node(v) => Some(*v),
            _ => None,
        })
        .collect();
    Layers {
        rows,
        slot,
        node,
        chains,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(from: usize, to: usize, label: bool) -> PrepEdge {
        PrepEdge {
            from,
            to,
            reversed: false,
            label: label.then_some((40.0, 20.0)),
            weight: 1.0,
        }
    }

    #[test]
    fn ranks_sink_short_branches_and_long_edges_get_one_bend_per_row() {
        // 0 → 1 → 2 → 3 → 4 and a short branch 0 → 5 → 4: node 5 sinks next to 4, so the edge
        // 0 → 5 is the long one; a labelled edge takes a row for its label.
        let prep = vec![
            edge(0, 1, false),
            edge(1, 2, false),
            edge(2, 3, false),
            edge(3, 4, false),
            edge(0, 5, true),
            edge(5, 4, false),
        ];
        let sizes = vec![(100.0, 40.0); 6];
        let nodes: Vec<usize> = (0..6).collect();
        let edges: Vec<usize> = (0..prep.len()).collect();
        let topo = [0, 1, 2, 3, 5, 4];
        let l = build(
            &sizes,
            &prep,
            &nodes,
            &edges,
            &topo,
            &|i| prep[i].label.is_some(),
            &|_| false,
        );
        let row_of = |v: usize| l.slot[v].0;
        assert_eq!(row_of(4), 4);
        assert_eq!(row_of(5), 3, "sunk to just above its successor");
        // The label sinks too (as in layout-rs): 0 → bend (row 1) → label (row 2) → 5 (row 3).
        let (_, _, _, chain) = l.chains.iter().find(|c| c.0 == 4).expect("chain");
        assert_eq!(chain.len(), 4);
        assert_eq!(l.slot[chain[2]].0, 2);
        assert!(matches!(l.rows[2][l.slot[chain[2]].1].elem, Elem::Label(4)));
        assert!(matches!(l.rows[1][l.slot[chain[1]].1].elem, Elem::Dummy));
        // Pinned, node 5 stays right under its source's label instead.
        let l = build(
            &sizes,
            &prep,
            &nodes,
            &edges,
            &topo,
            &|i| prep[i].label.is_some(),
            &|v| v == 5,
        );
        assert_eq!(l.slot[5].0, 2);
        // Every link joins adjacent rows.
        for (r, row) in l.rows.iter().enumerate() {
            for it in row {
                assert!(it.down.iter().all(|&(k, _)| k < l.rows[r + 1].len()));
            }
        }
    }
}
