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
    /// An edge that joins a trunk lists only its join element and the trunk's last element there.
    pub chains: Vec<(usize, usize, usize, Vec<usize>)>,
    /// Shared trunks of bundled edges, each its bend elements from top to bottom (one per row,
    /// the last one right above the target); empty unless the graph is over [`BEND_BUDGET`].
    pub trunks: Vec<Vec<usize>>,
    /// Edges left out of the layers because even after bundling there were more than
    /// [`BEND_CAP`] bend elements: the longest ones, drawn straight and unrouted.
    pub unrouted: Vec<usize>,
}

/// Most bend elements a scope gets before the edges into its most converged-on targets are
/// bundled into trunks. Every later stage (ordering, placement, routing) is linear in the
/// elements, at a few µs each; the 79 real-world definitions need at most a few hundred (see
/// the module doc for the figures).
pub const BEND_BUDGET: usize = 20_000;

/// Most bend elements a scope gets at all: past it (edges that skip far ahead to many different
/// targets, which no trunk can share), the longest edges are left out of the layered layout and
/// drawn straight, and the drawing says so.
pub const BEND_CAP: usize = 50_000;

/// Which chains to bundle (as [`build`] ranks them: longest path, then sinking): none when all
/// of them together have at most `budget` bend elements; else all those with bends into the
/// targets where a trunk saves the most (ties: the earlier target), target by target, until the
/// rest fit in the budget. A trunk must at least halve the bends into its target.
fn bundle_plan(
    chains: &[(usize, usize, usize, Vec<usize>)],
    rank: &[usize],
    budget: usize,
) -> Vec<bool> {
    let bends: Vec<usize> = chains
        .iter()
        .map(|(_, _, _, c)| {
            c.windows(2)
                .map(|w| rank[w[1]].saturating_sub(rank[w[0]] + 1))
                .sum()
        })
        .collect();
    let mut total: usize = bends.iter().sum();
    let mut bundled = vec![false; chains.len()];
    if total <= budget {
        return bundled;
    }
    // Per target element: (bends coming in, edges with bends, the most bends of one). A trunk
    // is as long as the longest edge into it, so it saves the bends of all the others; it is
    // worth it when that at least halves them (not for a far Catch beside a short skip).
    // Indexed by element (every element has a rank): no map type in the wasm for it.
    let mut into = vec![(0usize, 0usize, 0usize); rank.len()];
    for ((_, _, _, c), &b) in chains.iter().zip(&bends) {
        if let (Some(e), true) = (c.last().and_then(|&t| into.get_mut(t)), b > 0) {
            e.0 += b;
            e.1 += 1;
            e.2 = e.2.max(b);
        }
    }
    let mut targets: Vec<(usize, usize)> = into
        .into_iter()
        .enumerate()
        .filter(|(_, (_, k, _))| *k >= 2)
        .filter(|(_, (b, _, longest))| b - longest >= *longest)
        .map(|(t, (b, _, longest))| (t, b - longest))
        .collect();
    asl_core::sort::sort_by(&mut targets, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (t, saved) in targets {
        if total <= budget {
            break;
        }
        for (k, (_, _, _, c)) in chains.iter().enumerate() {
            if c.last() == Some(&t) && bends[k] > 0 {
                bundled[k] = true;
            }
        }
        total -= saved;
    }
    bundled
}

/// Build the layers. `nodes` lists the nodes to lay out in the order that seeds the row order;
/// `edges` lists edge indices into `prep` in the order to add them (forward edges only, both ends
/// in `nodes`); `topo` is a topological order of all nodes; `connector[i]` says edge `i` gets a
/// label element; `pinned(v)` says node `v` must not sink (a terminal state stays next to the
/// state that leads to it; its edge to the End marker is what gets long). Past `bend_budget` bend
/// elements, edges into the targets they converge on share trunks ([`bundle_plan`];
/// [`BEND_BUDGET`] in the layout).
#[allow(clippy::too_many_arguments)]
pub(crate) fn build(
    sizes: &[(f64, f64)],
    prep: &[PrepEdge],
    nodes: &[usize],
    edges: &[usize],
    topo: &[usize],
    connector: &dyn Fn(usize) -> bool,
    pinned: &dyn Fn(usize) -> bool,
    (bend_budget, bend_cap): (usize, usize),
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
    let ranked = |fixed: &[bool]| -> (Vec<usize>, Vec<usize>, usize) {
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
        // Sink elements with no more predecessors than successors down to just above their
        // nearest successor (shorter edges, same rule as layout-rs's RankOptimizer). Each move
        // lowers a rank and ranks are bounded, so this ends; sunk elements go to the end of their
        // new row.
        let mut stamp: Vec<usize> = (0..kind.len()).collect();
        let mut next_stamp = kind.len();
        loop {
            let mut moved = false;
            for v in 0..kind.len() {
                if succ[v].is_empty()
                    || pred[v].len() > succ[v].len()
                    || fixed[v]
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
        (rank, stamp, next_stamp)
    };
    let (mut rank, mut stamp, mut next_stamp) = ranked(&vec![false; kind.len()]);
    // Edges that converge on one far target (a catch-all handler fed from everywhere) would
    // each need one bend element per row they pass: O(edges × rows) elements, and every later
    // stage is linear in those (5,000 states with 2,000 Catch edges into the last one: ~5 M
    // elements, 43 s). Past a budget they share a trunk instead (Graphviz's `concentrate`).
    let mut bundled = bundle_plan(&chains, &rank, bend_budget);
    if bundled.iter().any(|&b| b) {
        // Their labels stay under their source (the stub into the trunk is short) instead of
        // sinking to the target's row, where they would all sit side by side.
        let mut fixed = vec![false; kind.len()];
        for ((_, _, _, chain), _) in chains.iter().zip(&bundled).filter(|(_, b)| **b) {
            for &c in &chain[1..chain.len() - 1] {
                fixed[c] = true;
            }
        }
        (rank, stamp, next_stamp) = ranked(&fixed);
    }
    // Past the cap, the longest edges that no trunk shares are left out (drawn straight).
    let mut unrouted = Vec::new();
    {
        let mut own: Vec<(usize, usize)> = chains
            .iter()
            .zip(&bundled)
            .enumerate()
            .map(|(k, ((_, _, _, c), &b))| {
                let n = c.len();
                let bends = c
                    .windows(2)
                    .enumerate()
                    .filter(|&(j, w)| !(b && j + 2 == n && rank[w[1]] >= rank[w[0]] + 3))
                    .map(|(_, w)| rank[w[1]].saturating_sub(rank[w[0]] + 1))
                    .sum::<usize>();
                (bends, k)
            })
            .collect();
        // Trunks stay (they are what keeps the bundled edges cheap): count them first.
        let mut trunk_len = vec![0usize; rank.len()];
        for ((_, _, _, c), _) in chains.iter().zip(&bundled).filter(|(_, b)| **b) {
            let (last, t) = (c[c.len() - 2], c[c.len() - 1]);
            if let Some(len) = trunk_len.get_mut(t) {
                *len = (*len).max(rank[t].saturating_sub(rank[last] + 2));
            }
        }
        let mut total: usize =
            own.iter().map(|&(b, _)| b).sum::<usize>() + trunk_len.iter().sum::<usize>();
        if total > bend_cap {
            asl_core::sort::sort_by(&mut own, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut drop = vec![false; chains.len()];
            for (b, k) in own {
                if total <= bend_cap {
                    break;
                }
                drop[k] = true;
                total -= b;
            }
            let mut k = 0;
            chains.retain(|c| {
                k += 1;
                if drop[k - 1] {
                    unrouted.push(c.0);
                }
                !drop[k - 1]
            });
            let mut k = 0;
            bundled.retain(|_| {
                k += 1;
                !drop[k - 1]
            });
        }
    }
    // Bend elements for edges that skip rows; bundled edges join their target's trunk (one bend
    // element per row for all of them) in the row under their last own element.
    // Links between elements, each once: (upper, lower, weight).
    let mut links: Vec<(usize, usize, f64)> = Vec::new();
    let mut dummy_rank: Vec<usize> = Vec::new();
    let mut in_trunk: Vec<bool> = Vec::new();
    let mut trunks: Vec<Vec<usize>> = Vec::new();
    // Per bundled target element: its trunk (index into `trunks`) and the trunk's first rank.
    // Indexed by element, so the trunks are numbered in element order.
    let mut trunk_of: Vec<Option<(usize, usize)>> = vec![None; rank.len()];
    for ((_, _, _, chain), _) in chains.iter().zip(&bundled).filter(|(_, b)| **b) {
        let (last, t) = (chain[chain.len() - 2], chain[chain.len() - 1]);
        if rank[t] >= rank[last] + 3
            && let Some(e) = trunk_of.get_mut(t)
        {
            let e = e.get_or_insert((usize::MAX, rank[last] + 1));
            e.1 = e.1.min(rank[last] + 1);
        }
    }
    for (t, e) in trunk_of.iter_mut().enumerate() {
        let Some((id, first)) = e else { continue };
        *id = trunks.len();
        let mut trunk = Vec::with_capacity(rank[t] - *first);
        for r in *first..rank[t] {
            trunk.push(kind.len() + dummy_rank.len());
            dummy_rank.push(r);
            in_trunk.push(true);
        }
        trunks.push(trunk);
    }
    let mut trunk_weight = vec![0.0_f64; trunks.len()];
    for ((i, _, _, chain), &b) in chains.iter_mut().zip(&bundled) {
        let weight = prep[*i].weight;
        let mut out = Vec::with_capacity(chain.len());
        let n = chain.len();
        for (k, w) in chain.windows(2).enumerate() {
            out.push(w[0]);
            // The last stretch of a bundled edge goes into the trunk at the next row; it is drawn
            // down the trunk's line to its last element, then into the target.
            let joins = b && k + 2 == n && rank[w[1]] >= rank[w[0]] + 3;
            if let Some(&Some((id, first))) = trunk_of.get(w[1]).filter(|_| joins) {
                let trunk = &trunks[id];
                let join = trunk[rank[w[0]] + 1 - first];
                let end = trunk[trunk.len() - 1];
                links.push((w[0], join, weight));
                out.push(join);
                if end != join {
                    out.push(end);
                }
                trunk_weight[id] = trunk_weight[id].max(weight);
                continue;
            }
            let mut up = w[0];
            for r in rank[w[0]] + 1..rank[w[1]] {
                let d = kind.len() + dummy_rank.len();
                dummy_rank.push(r);
                in_trunk.push(false);
                links.push((up, d, weight));
                out.push(d);
                up = d;
            }
            links.push((up, w[1], weight));
        }
        out.extend(chain.last().copied());
        *chain = out;
    }
    let trunk_targets = trunk_of
        .iter()
        .enumerate()
        .filter_map(|(t, e)| Some((t, (*e)?.0)));
    for ((t, id), &w) in trunk_targets.zip(&trunk_weight) {
        let trunk = &trunks[id];
        for p in trunk.windows(2) {
            links.push((p[0], p[1], w));
        }
        if let Some(&end) = trunk.last() {
            links.push((end, t, w));
        }
    }
    let total = kind.len() + dummy_rank.len();
    for (r, t) in dummy_rank.into_iter().zip(in_trunk) {
        rank.push(r);
        kind.push(if t { Elem::Trunk } else { Elem::Dummy });
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
                Elem::Dummy | Elem::Trunk => (2.0, 2.0),
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
    for &(a, b, w) in &links {
        let ((r, k), (sr, sk)) = (slot[a], slot[b]);
        if r >= rows.len() || sr >= rows.len() {
            continue;
        }
        rows[r][k].down.push((sk, w));
        rows[sr][sk].up.push((k, w));
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
        trunks,
        unrouted,
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
            (BEND_BUDGET, BEND_CAP),
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
            (BEND_BUDGET, BEND_CAP),
        );
        assert_eq!(l.slot[5].0, 2);
        // Every link joins adjacent rows.
        for (r, row) in l.rows.iter().enumerate() {
            for it in row {
                assert!(it.down.iter().all(|&(k, _)| k < l.rows[r + 1].len()));
            }
        }
    }

    #[test]
    fn edges_into_one_far_target_share_a_trunk_past_the_budget() {
        // A chain 0 → 1 → … → 59, and a labelled "Catch" from every odd node to the last one.
        let n = 60;
        let mut prep: Vec<PrepEdge> = (0..n - 1).map(|i| edge(i, i + 1, false)).collect();
        prep.extend((1..n - 4).step_by(2).map(|i| edge(i, n - 1, true)));
        let sizes = vec![(100.0, 40.0); n];
        let nodes: Vec<usize> = (0..n).collect();
        let edges: Vec<usize> = (0..prep.len()).collect();
        let topo: Vec<usize> = (0..n).collect();
        let run = |budget| {
            build(
                &sizes,
                &prep,
                &nodes,
                &edges,
                &topo,
                &|i| prep[i].label.is_some(),
                &|_| false,
                (budget, usize::MAX),
            )
        };
        let elements = |l: &Layers| l.rows.iter().map(Vec::len).sum::<usize>();
        let within = run(usize::MAX);
        assert!(within.trunks.is_empty());
        // Each catch's label sinks to the row over the target, its bends above it.
        let bends = elements(&within) - n - 28;
        assert_eq!(
            bends,
            (1..n - 4).step_by(2).map(|i| n - 3 - i).sum::<usize>()
        );
        let over = run(bends - 1);
        assert_eq!(over.trunks.len(), 1);
        let trunk = &over.trunks[0];
        // One trunk element per row from under the first label to over the target.
        assert_eq!(trunk.len(), over.slot[n - 1].0 - over.slot[1].0 - 2);
        assert_eq!(elements(&over), n + 28 + trunk.len());
        for (i, from, to, chain) in &over.chains {
            if *to != n - 1 || *from == n - 2 {
                continue;
            }
            // Source, its label right under it, the join, the trunk's end, the target.
            let k = chain.len();
            assert!(
                matches!(over.rows[over.slot[chain[1]].0][over.slot[chain[1]].1].elem, Elem::Label(j) if j == *i)
            );
            assert_eq!(over.slot[chain[1]].0, over.slot[*from].0 + 1);
            assert_eq!(chain[k - 2], trunk[trunk.len() - 1]);
            assert!(trunk.contains(&chain[2]));
        }
        for l in [&within, &over] {
            for (r, row) in l.rows.iter().enumerate() {
                for it in row {
                    assert!(it.down.iter().all(|&(k, _)| k < l.rows[r + 1].len()));
                }
            }
        }
    }
}
