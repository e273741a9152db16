//! The layout-rs engine: ranks, label connectors, rank "sinking" and crossing minimisation from
//! layout-rs 0.1.3, read back as our [`Layers`] so that placement ([`crate::rows`]) and routing
//! ([`crate::layout`]) are the same whichever engine ordered the rows.
//!
//! Owns the calls into layout-rs and nothing else; which engine runs is decided in
//! [`crate::layout`] from [`minimiser_cost`]. Inputs are prepared so the known hazards
//! (`shared/reference/layout-rs.md`) cannot trigger: validation off (its reachability check is
//! exponential), an acyclic edge list added in topological order of the source (back edges and
//! self-loops are routed by us and never reach it, so `is_reachable` returns at once), never an
//! empty graph, and an unlabelled edge beside a labelled one between the same two nodes gets a
//! connector too (that pair made its `edge_fixer` assert). Its placer is never run (it asserts on
//! some graphs and was ~85 % of its time). A panic that slips through is caught natively by the
//! guard in [`crate::layout`]; the property test fails if that guard was ever needed.

use layout::adt::dag::NodeHandle;
use layout::core::base::Orientation;
use layout::core::geometry::{Point as LPoint, Position};
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;

use crate::layers::Layers;
use crate::layout::PrepEdge;
use crate::rows::{Elem, Item};

/// Font size we pretend labels have, so layout-rs reserves `digits × LABEL_FONT + 10` px.
const LABEL_FONT: usize = 10;

/// Predicted work of layout-rs's `EdgeCrossOptimizer` for rows of these widths: it recounts all
/// crossings 51 times by checking every pair of elements of a row against every element of the
/// next row, so one count costs Σ C(wᵣ, 2) · wᵣ₊₁; every pass also copies and scans each row, a
/// cost per element that dominates on narrow graphs. This returns Σ C(wᵣ, 2) · wᵣ₊₁ + Σ wᵣ (one
/// unit is a few µs, see the calibration in [`crate::layout`]). Saturates instead of overflowing.
pub(crate) fn minimiser_cost(widths: &[usize]) -> u64 {
    let pairs = widths
        .windows(2)
        .map(|w| {
            let (a, b) = (w[0] as u64, w[1] as u64);
            (a.saturating_mul(a.saturating_sub(1)) / 2).saturating_mul(b)
        })
        .fold(0u64, u64::saturating_add);
    let elements = widths
        .iter()
        .map(|&w| w as u64)
        .fold(0u64, u64::saturating_add);
    pairs.saturating_add(elements)
}

/// Rank and order with layout-rs. `nodes` lists the nodes to lay out (BFS order), `edges` the
/// forward edges to add (indices into `prep`, both ends in `nodes`, in topological order of the
/// source); `connector(i)` says edge `i` gets a label element. `nodes` must not be empty.
pub(crate) fn layers(
    sizes: &[(f64, f64)],
    prep: &[PrepEdge],
    nodes: &[usize],
    edges: &[usize],
    connector: &dyn Fn(usize) -> bool,
) -> Layers {
    let n = sizes.len();
    let mut vg = VisualGraph::new(Orientation::TopToBottom);
    vg.dag.set_validate(false);
    let mut handle: Vec<Option<NodeHandle>> = vec![None; n];
    for &v in nodes {
        let (w, h) = sizes[v];
        let mut el = Element::create(
            ShapeKind::Box(String::new()),
            StyleAttr::simple(),
            Orientation::TopToBottom,
            LPoint::new(w, h),
        );
        el.pos = Position::new(
            LPoint::zero(),
            LPoint::new(w, h),
            LPoint::zero(),
            LPoint::zero(),
        );
        handle[v] = Some(vg.add_node(el));
    }
    let mut added = vec![false; prep.len()];
    for &i in edges {
        let e = &prep[i];
        let (Some(from), Some(to)) = (handle[e.from], handle[e.to]) else {
            continue;
        };
        if e.reversed || from == to {
            continue;
        }
        let mut arrow = Arrow::simple("");
        if connector(i) {
            // The connector's text length sets the reserved width (we size it ourselves later);
            // its value names the edge, so we can find it again.
            let w = e.label.map_or(0.0, |(w, _)| w);
            let digits = i.to_string().len();
            let want = ((w - 10.0) / LABEL_FONT as f64).ceil().max(1.0) as usize;
            arrow.text = format!("{:0>width$}", i, width = want.max(digits));
            arrow.look.font_size = LABEL_FONT;
        }
        vg.add_edge(arrow, from, to);
        added[i] = true;
    }
    vg.to_valid_dag();
    vg.split_text_edges();
    // With optimisations on: rank sinking and the crossing minimiser.
    vg.split_long_edges(false);

    let total = vg.num_nodes();
    let mut node = vec![None; total];
    for (v, h) in handle.iter().enumerate() {
        if let Some(h) = h {
            node[h.get_index()] = Some(v);
        }
    }
    let elem_of = |h: NodeHandle| -> Elem {
        if let Some(v) = node[h.get_index()] {
            return Elem::Node(v);
        }
        match &vg.element(h).shape {
            ShapeKind::Connector(Some(text)) => text
                .parse::<usize>()
                .ok()
                .filter(|&i| i < prep.len())
                .map_or(Elem::Dummy, Elem::Label),
            _ => Elem::Dummy,
        }
    };
    // Follow each node's out-edges through connectors to recover every edge's chain; unlabelled
    // edges between the same two nodes cannot exist (they would all get connectors).
    let mut unlabelled: std::collections::HashMap<(usize, usize), Vec<usize>> = Default::default();
    for &i in edges.iter().rev() {
        if added[i] && !connector(i) {
            unlabelled
                .entry((prep[i].from, prep[i].to))
                .or_default()
                .push(i);
        }
    }
    let mut chains: Vec<(usize, usize, usize, Vec<usize>)> = Vec::new();
    let mut seen = vec![false; prep.len()];
    for &v in nodes {
        let Some(hu) = handle[v] else { continue };
        for &first in vg.dag.successors(hu) {
            let mut chain = vec![hu.get_index(), first.get_index()];
            let mut cur = first;
            let mut edge = None;
            while node[cur.get_index()].is_none() {
                if let Elem::Label(i) = elem_of(cur) {
                    edge = Some(i);
                }
                match vg.dag.successors(cur).first() {
                    Some(&nx) if chain.len() <= total + 1 => {
                        cur = nx;
                        chain.push(cur.get_index());
                    }
                    _ => break,
                }
            }
            let Some(t) = node[cur.get_index()] else {
                continue;
            };
            let edge = edge.or_else(|| unlabelled.get_mut(&(v, t)).and_then(Vec::pop));
            let Some(i) = edge.filter(|&i| i < prep.len() && !seen[i]) else {
                continue;
            };
            seen[i] = true;
            chains.push((i, v, t, chain));
        }
    }
    // Chains in the order the edges were given, so placement is independent of handle order.
    let mut order_of = vec![usize::MAX; prep.len()];
    for (k, &i) in edges.iter().enumerate() {
        order_of[i] = k;
    }
    asl_core::sort::sort_by_key(&mut chains, |c| order_of[c.0]);

    let levels = vg.dag.num_levels();
    let mut slot = vec![(usize::MAX, usize::MAX); total];
    let mut rows: Vec<Vec<Item>> = Vec::with_capacity(levels);
    for r in 0..levels {
        let row = vg.dag.row(r);
        let mut items = Vec::with_capacity(row.len());
        for (k, &h) in row.iter().enumerate() {
            slot[h.get_index()] = (rows.len(), k);
            let elem = elem_of(h);
            let (w, hh) = match elem {
                Elem::Node(v) => sizes[v],
                Elem::Label(i) => prep[i].label.unwrap_or((2.0, 2.0)),
                Elem::Dummy | Elem::Trunk => (2.0, 2.0),
            };
            items.push(Item {
                elem,
                w,
                h: hh,
                up: Vec::new(),
                down: Vec::new(),
            });
        }
        // Empty levels (left by sinking) are dropped, as in `crate::layers`.
        if !items.is_empty() {
            rows.push(items);
        }
    }
    for (i, _, _, chain) in &chains {
        for pair in chain.windows(2) {
            let ((r, k), (sr, sk)) = (slot[pair[0]], slot[pair[1]]);
            if r >= rows.len() || sr >= rows.len() || sr != r + 1 {
                continue;
            }
            rows[r][k].down.push((sk, prep[*i].weight));
            rows[sr][sk].up.push((k, prep[*i].weight));
        }
    }
    Layers {
        rows,
        slot,
        node,
        chains,
        trunks: Vec::new(),
        unrouted: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_is_pairs_times_next_row() {
        assert_eq!(minimiser_cost(&[]), 0);
        assert_eq!(minimiser_cost(&[1, 1, 1]), 3);
        // C(3,2)·4 + C(4,2)·1 = 12 + 6, plus 8 elements
        assert_eq!(minimiser_cost(&[3, 4, 1]), 26);
        assert_eq!(minimiser_cost(&[usize::MAX, usize::MAX]), u64::MAX);
    }
}
