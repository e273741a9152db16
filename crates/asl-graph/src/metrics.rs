//! Readability figures for a laid-out graph: node and label overlaps, edge crossings, edges that
//! run through a box, names cut short, total edge length, and how far terminal states (Fail,
//! Succeed, `End: true`) sit from the state that leads to them.
//!
//! Owns measurement only; tests and benchmarks print these per sample so layout changes are judged
//! by numbers, not by eye alone (`cargo test -p asl-graph --test readability -- --nocapture`).

use crate::geom::{Point, Rect, flatten, segments_cross};
use crate::graph::{Graph, NodeKind, Scope};
use crate::layout::{Layout, ScopeGeom, Shape};

/// What [`measure`] counts.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Readability {
    /// Nodes drawn.
    pub nodes: usize,
    /// Edges drawn.
    pub edges: usize,
    /// Pairs of nodes whose boxes intersect, where neither contains the other as a cluster member,
    /// plus nested nodes that stick out of their branch frame. Must be zero.
    pub node_overlaps: usize,
    /// Edge labels intersecting a node box or another label.
    pub label_overlaps: usize,
    /// Pairs of edges (not sharing an end node) whose curves cross, counted once per crossing point.
    pub edge_crossings: usize,
    /// (edge, node) pairs where the edge's curve enters the drawn shape of a node that is neither
    /// of its ends nor a container holding it. Must be zero.
    pub edges_through_boxes: usize,
    /// States whose name is not shown in full (wrapped to the line limit and still elided).
    pub names_cut: usize,
    /// Sum of the lengths of all edge curves, in px.
    pub edge_length: f64,
    /// Length of the longest edge curve, in px.
    pub longest_edge: f64,
    /// Terminal states (Fail, Succeed, `End: true`; see [`measure_graph`]) with more than
    /// [`TERMINAL_ROWS`] rows of boxes between them and the nearest state leading to them, or
    /// placed above it.
    pub terminals_far: usize,
    /// The largest vertical gap between a terminal state and the nearest state leading to it, px.
    pub terminal_gap: f64,
}

/// A terminal state counts as near the state leading to it when at most this many rows of boxes
/// lie between them: one, for the row that holds the edge's label beside other states (a Catch
/// into a Fail state beside the Choice that follows the Task).
pub const TERMINAL_ROWS: usize = 1;

struct FlatNode {
    rect: Rect,
    shape: Shape,
    /// Index of the enclosing container in the flat list, for each ancestor.
    ancestors: Vec<usize>,
}

struct FlatEdge {
    pts: Vec<Point>,
    ends: (usize, usize),
    /// Flat indices of the containers around the edge's scope.
    ancestors: Vec<usize>,
}

/// Everything [`measure`] counts, plus the terminal-state figures, which need to know which
/// nodes are terminal states.
pub fn measure_graph(graph: &Graph, lay: &Layout) -> Readability {
    let mut r = measure(lay);
    let mut gaps = Vec::new();
    terminal_gaps(&graph.root, &lay.root, &mut gaps);
    r.terminals_far = gaps.iter().filter(|g| g.0 > TERMINAL_ROWS).count();
    r.terminal_gap = gaps.iter().map(|g| g.1).fold(0.0, f64::max);
    r
}

/// Per terminal state of `s` and its nested scopes, for its nearest predecessor: the rows of boxes
/// between them (`usize::MAX` when the terminal sits above it) and the vertical gap in px from
/// the predecessor's bottom to the terminal's top.
fn terminal_gaps(s: &Scope, g: &ScopeGeom, out: &mut Vec<(usize, f64)>) {
    for (i, n) in s.nodes.iter().enumerate() {
        for (c, cg) in n.children.iter().zip(&g.nodes[i].children) {
            terminal_gaps(c, cg, out);
        }
        let to_end = s
            .edges
            .iter()
            .any(|e| e.from == i && s.nodes.get(e.to).is_some_and(|t| t.kind == NodeKind::End));
        let terminal = matches!(n.kind, NodeKind::Fail | NodeKind::Succeed) || to_end;
        if !terminal || n.kind.is_marker() {
            continue;
        }
        let me = g.nodes[i].rect;
        let nearest = s
            .edges
            .iter()
            .filter(|e| e.to == i && e.from != i && !s.nodes[e.from].kind.is_marker())
            .map(|e| {
                let p = g.nodes[e.from].rect;
                if me.y + 1.0 >= p.bottom() {
                    let between: Vec<(f64, f64)> = g
                        .nodes
                        .iter()
                        .map(|o| (o.rect.y, o.rect.bottom()))
                        .filter(|&(top, bottom)| top >= p.bottom() && bottom <= me.y + 1.0)
                        .collect();
                    (rows(between), me.y - p.bottom())
                } else if me.bottom() > p.y {
                    // Beside it (a loop, or a row of boxes of different heights): near.
                    (0, 0.0)
                } else {
                    (usize::MAX, p.y - me.bottom())
                }
            })
            .min_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        out.extend(nearest);
    }
}

/// How many rows the boxes (top, bottom) form: the most of them stacked without overlapping.
fn rows(mut boxes: Vec<(f64, f64)>) -> usize {
    asl_core::sort::sort_by(&mut boxes, |a, b| a.1.total_cmp(&b.1));
    let mut count = 0;
    let mut last = f64::NEG_INFINITY;
    for (top, bottom) in boxes {
        if top >= last {
            count += 1;
            last = bottom;
        }
    }
    count
}

/// Count overlaps, crossings, edges through boxes, cut names and edge length.
pub fn measure(lay: &Layout) -> Readability {
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    let mut labels = Vec::new();
    let mut r = Readability::default();
    flatten_scope(&lay.root, &[], &mut nodes, &mut edges, &mut labels, &mut r);
    r.nodes = nodes.len();
    r.edges = edges.len();
    for i in 0..nodes.len() {
        for j in i + 1..nodes.len() {
            let nested = nodes[j].ancestors.contains(&i) || nodes[i].ancestors.contains(&j);
            if !nested && nodes[i].rect.overlaps(&nodes[j].rect) {
                r.node_overlaps += 1;
            }
        }
    }
    for (k, l) in labels.iter().enumerate() {
        let (lr, scope_nodes): &(Rect, Vec<usize>) = l;
        let hits_node = nodes.iter().enumerate().any(|(i, n)| {
            // A label may sit inside the container that holds its scope.
            !scope_nodes.contains(&i) && n.rect.overlaps(lr)
        });
        let hits_label = labels[k + 1..].iter().any(|(o, _)| o.overlaps(lr));
        r.label_overlaps += usize::from(hits_node) + usize::from(hits_label);
    }
    for e in &edges {
        let len: f64 = e.pts.windows(2).map(|w| w[1].minus(w[0]).len()).sum();
        r.edge_length += len;
        r.longest_edge = r.longest_edge.max(len);
        // Sample points, not just the polyline's corners, so short cuts through a corner count.
        for (k, n) in nodes.iter().enumerate() {
            if k == e.ends.0 || k == e.ends.1 || e.ancestors.contains(&k) {
                continue;
            }
            if e.pts.windows(2).any(|w| segment_enters(n, w[0], w[1])) {
                r.edges_through_boxes += 1;
            }
        }
    }
    for i in 0..edges.len() {
        for j in i + 1..edges.len() {
            let (a, b) = (&edges[i], &edges[j]);
            if a.ends.0 == b.ends.0
                || a.ends.0 == b.ends.1
                || a.ends.1 == b.ends.0
                || a.ends.1 == b.ends.1
            {
                continue;
            }
            for s in a.pts.windows(2) {
                for t in b.pts.windows(2) {
                    if segments_cross(s[0], s[1], t[0], t[1]) {
                        r.edge_crossings += 1;
                    }
                }
            }
        }
    }
    r
}

fn flatten_scope(
    s: &ScopeGeom,
    ancestors: &[usize],
    nodes: &mut Vec<FlatNode>,
    edges: &mut Vec<FlatEdge>,
    labels: &mut Vec<(Rect, Vec<usize>)>,
    r: &mut Readability,
) {
    let base = nodes.len();
    let mut ids = Vec::with_capacity(s.nodes.len());
    for n in &s.nodes {
        ids.push(nodes.len());
        nodes.push(FlatNode {
            rect: n.rect,
            shape: n.shape,
            ancestors: ancestors.to_vec(),
        });
        if n.elided {
            r.names_cut += 1;
        }
    }
    let _ = base;
    for (k, n) in s.nodes.iter().enumerate() {
        let mut anc = ancestors.to_vec();
        anc.push(ids[k]);
        for (f, c) in n.frames.iter().zip(&n.children) {
            for cn in &c.nodes {
                if !f.contains(&cn.rect) {
                    r.node_overlaps += 1;
                }
            }
            flatten_scope(c, &anc, nodes, edges, labels, r);
        }
    }
    for e in &s.edges {
        // Ends are identified by the node of this scope whose box holds each end point (the
        // smallest, if several), else the one with the nearest centre.
        let pts = flatten(&e.path, 8);
        let near = |p: Point| {
            let holding = s
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| inflate(&n.rect, 2.0).contains(&Rect::new(p.x, p.y, 0.0, 0.0)))
                .min_by(|a, b| (a.1.rect.w * a.1.rect.h).total_cmp(&(b.1.rect.w * b.1.rect.h)));
            holding
                .or_else(|| {
                    s.nodes.iter().enumerate().min_by(|a, b| {
                        let da = a.1.rect.center().minus(p).len();
                        let db = b.1.rect.center().minus(p).len();
                        da.total_cmp(&db)
                    })
                })
                .map_or(0, |(i, _)| ids[i])
        };
        let ends = match (pts.first(), pts.last()) {
            (Some(&a), Some(&b)) => (near(a), near(b)),
            _ => (usize::MAX, usize::MAX),
        };
        if let Some((lr, _)) = &e.label {
            labels.push((*lr, ancestors.to_vec()));
        }
        edges.push(FlatEdge {
            pts,
            ends,
            ancestors: ancestors.to_vec(),
        });
    }
}

fn inflate(r: &Rect, d: f64) -> Rect {
    Rect::new(r.x - d, r.y - d, r.w + 2.0 * d, r.h + 2.0 * d)
}

/// The outline a node is drawn with, shrunk by a pixel so an edge grazing it does not count:
/// a diamond for Choice, the box for everything else (a pill's rounded ends are ignored).
fn outline(n: &FlatNode) -> [Point; 4] {
    let r = inflate(&n.rect, -1.0);
    let c = r.center();
    match n.shape {
        Shape::Diamond => [
            Point::new(c.x, r.y),
            Point::new(r.right(), c.y),
            Point::new(c.x, r.bottom()),
            Point::new(r.x, c.y),
        ],
        _ => [
            Point::new(r.x, r.y),
            Point::new(r.right(), r.y),
            Point::new(r.right(), r.bottom()),
            Point::new(r.x, r.bottom()),
        ],
    }
}

/// True if segment ab has a point strictly inside the node's outline.
fn segment_enters(n: &FlatNode, a: Point, b: Point) -> bool {
    let r = n.rect;
    if a.x.max(b.x) <= r.x || a.x.min(b.x) >= r.right() {
        return false;
    }
    if a.y.max(b.y) <= r.y || a.y.min(b.y) >= r.bottom() {
        return false;
    }
    let poly = outline(n);
    let inside = |p: Point| {
        // Clockwise in screen coordinates: inside when on the same side of every edge.
        (0..4).all(|k| {
            let (u, v) = (poly[k], poly[(k + 1) % 4]);
            (v.x - u.x) * (p.y - u.y) - (v.y - u.y) * (p.x - u.x) > 0.0
        })
    };
    if inside(a) || inside(b) || inside(a.plus(b).scale(0.5)) {
        return true;
    }
    // Convex outline: a segment with both ends outside passes through it iff it crosses two sides.
    (0..4)
        .filter(|&k| segments_cross(a, b, poly[k], poly[(k + 1) % 4]))
        .count()
        >= 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::Cubic;
    use crate::layout::{EdgeGeom, Engine, NodeGeom, Shape};

    fn node(x: f64, y: f64) -> NodeGeom {
        NodeGeom {
            rect: Rect::new(x, y, 40.0, 20.0),
            shape: Shape::Box,
            lines: vec![],
            elided: false,
            caption: String::new(),
            frames: vec![],
            children: vec![],
        }
    }

    fn line(a: Point, b: Point) -> Vec<Cubic> {
        vec![[a, a, b, b]]
    }

    #[test]
    fn counts_a_crossing_and_an_overlap() {
        // Two nodes on top, two below; edges top-left → bottom-right and top-right → bottom-left cross.
        let nodes = vec![
            node(0.0, 0.0),
            node(200.0, 0.0),
            node(0.0, 200.0),
            node(200.0, 200.0),
            node(210.0, 205.0),
        ];
        let edges = vec![
            EdgeGeom {
                path: line(Point::new(20.0, 20.0), Point::new(220.0, 200.0)),
                label: None,
            },
            EdgeGeom {
                path: line(Point::new(220.0, 20.0), Point::new(20.0, 200.0)),
                label: None,
            },
        ];
        let root = ScopeGeom {
            nodes,
            edges,
            bounds: Rect::new(0.0, 0.0, 260.0, 230.0),
            engine: Engine::Trivial,
            cost: 0,
            unrouted: Vec::new(),
        };
        let r = measure(&Layout {
            root,
            width: 300.0,
            height: 300.0,
        });
        assert_eq!(r.edge_crossings, 1);
        assert_eq!(r.node_overlaps, 1);
        assert_eq!((r.nodes, r.edges), (5, 2));
    }

    #[test]
    fn counts_an_edge_through_a_box_and_not_one_beside_it() {
        // 0 above 1 above 2; an edge 0 → 2 straight down runs through 1, one around it does not.
        let nodes = vec![node(0.0, 0.0), node(0.0, 100.0), node(0.0, 200.0)];
        let through = EdgeGeom {
            path: line(Point::new(20.0, 20.0), Point::new(20.0, 200.0)),
            label: None,
        };
        let around = EdgeGeom {
            path: vec![
                [
                    Point::new(40.0, 10.0),
                    Point::new(60.0, 10.0),
                    Point::new(60.0, 10.0),
                    Point::new(60.0, 110.0),
                ],
                [
                    Point::new(60.0, 110.0),
                    Point::new(60.0, 210.0),
                    Point::new(60.0, 210.0),
                    Point::new(40.0, 210.0),
                ],
            ],
            label: None,
        };
        let lay = |edges| Layout {
            root: ScopeGeom {
                nodes: nodes.clone(),
                edges,
                bounds: Rect::new(0.0, 0.0, 60.0, 220.0),
                engine: Engine::Trivial,
                cost: 0,
                unrouted: Vec::new(),
            },
            width: 100.0,
            height: 260.0,
        };
        assert_eq!(measure(&lay(vec![through])).edges_through_boxes, 1);
        let r = measure(&lay(vec![around]));
        assert_eq!(r.edges_through_boxes, 0);
        assert!(
            r.edge_length > 200.0 && r.edge_length < 240.0,
            "{}",
            r.edge_length
        );
    }

    #[test]
    fn rows_of_boxes_count_stacks_not_boxes() {
        assert_eq!(rows(vec![]), 0);
        // Two side by side, then one under them.
        assert_eq!(rows(vec![(0.0, 50.0), (10.0, 40.0), (60.0, 90.0)]), 2);
    }
}
