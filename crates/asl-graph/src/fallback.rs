//! A small, simpler layout of our own, used only if the main layered layout panics (natively; see
//! [`crate::layout`]).
//!
//! Owns node placement and straight-ish edge curves for one scope, given an acyclic edge list with
//! back edges already reversed. Longest-path ranks, nodes ordered within a rank by breadth-first
//! order, ranks centred. It makes no attempt at crossing minimisation: it exists so a layout bug
//! degrades the picture instead of killing the CLI, and it never overlaps nodes.

use crate::geom::{Point, Rect};
use crate::graph::Scope;
use crate::layout::{Placement, PrepEdge, reverse_path, straight, topo_order};

/// Vertical gap between ranks.
const RANK_GAP: f64 = 56.0;
/// Horizontal gap between nodes of a rank.
const NODE_GAP: f64 = 40.0;

/// Place a scope's nodes; see the module doc.
pub(crate) fn place(sizes: &[(f64, f64)], prep: &[PrepEdge], scope: &Scope) -> Placement {
    let n = sizes.len();
    let bfs = scope.node_order();
    let topo = topo_order(n, prep, &bfs);
    let mut rank = vec![0usize; n];
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in prep {
        if e.from != e.to {
            preds[e.to].push(e.from);
        }
    }
    for &v in &topo {
        // Labelled edges get an extra rank so their label has room.
        let r = prep
            .iter()
            .filter(|e| e.to == v && e.from != v)
            .map(|e| rank[e.from] + if e.label.is_some() { 2 } else { 1 })
            .max()
            .unwrap_or(0);
        rank[v] = r;
    }
    let ranks = rank.iter().copied().max().map_or(0, |m| m + 1);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); ranks];
    for &v in &bfs {
        rows[rank[v]].push(v);
    }
    let row_w: Vec<f64> = rows
        .iter()
        .map(|r| {
            r.iter().map(|&v| sizes[v].0).sum::<f64>() + NODE_GAP * r.len().saturating_sub(1) as f64
        })
        .collect();
    let max_w = row_w.iter().copied().fold(0.0, f64::max);
    let mut centers = vec![Point::default(); n];
    let mut y = 0.0;
    for (r, row) in rows.iter().enumerate() {
        let h = row.iter().map(|&v| sizes[v].1).fold(0.0, f64::max);
        let mut x = (max_w - row_w[r]) / 2.0;
        for &v in row {
            centers[v] = Point::new(x + sizes[v].0 / 2.0, y + h / 2.0);
            x += sizes[v].0 + NODE_GAP;
        }
        // Empty rows (reserved for labels) still take a gap.
        y += h + RANK_GAP;
    }
    let rect = |v: usize| Rect::centered(centers[v], sizes[v].0, sizes[v].1);
    let mut paths = Vec::with_capacity(prep.len());
    let mut label_centers = Vec::with_capacity(prep.len());
    for e in prep {
        let mut p = straight(&rect(e.from), &rect(e.to));
        if e.reversed {
            reverse_path(&mut p);
        }
        let mid = p[0][0].plus(p[p.len() - 1][3]).scale(0.5);
        label_centers.push(e.label.map(|_| mid));
        paths.push(p);
    }
    Placement {
        centers,
        paths,
        label_centers,
        trunked: Vec::new(),
        unrouted: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Edge, EdgeKind, Node, NodeKind};

    #[test]
    fn fallback_places_without_overlap() {
        let mut s = Scope::default();
        for i in 0..5 {
            s.nodes
                .push(Node::new(format!("n{i}"), NodeKind::Task, format!("S{i}")));
        }
        let mut prep = Vec::new();
        for (a, b) in [(0, 1), (0, 2), (1, 3), (2, 3), (3, 4)] {
            s.edges.push(Edge {
                id: format!("e{a}{b}"),
                from: a,
                to: b,
                kind: EdgeKind::Next,
                label: String::new(),
                title: String::new(),
            });
            prep.push(PrepEdge {
                from: a,
                to: b,
                reversed: false,
                label: None,
                weight: 1.0,
            });
        }
        let sizes = vec![(150.0, 50.0); 5];
        let p = place(&sizes, &prep, &s);
        for a in 0..5 {
            for b in a + 1..5 {
                let ra = Rect::centered(p.centers[a], 150.0, 50.0);
                let rb = Rect::centered(p.centers[b], 150.0, 50.0);
                assert!(!ra.overlaps(&rb), "{a} {b}");
            }
        }
        assert!(p.centers[4].y > p.centers[3].y && p.centers[3].y > p.centers[1].y);
    }
}
