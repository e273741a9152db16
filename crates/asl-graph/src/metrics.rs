//! Readability figures for a laid-out graph: node overlaps, label overlaps and edge crossings.
//!
//! Owns measurement only; tests and benchmarks print these per sample so layout changes are judged
//! by numbers, not by eye alone.

use crate::geom::{Point, Rect, flatten, segments_cross};
use crate::layout::{Layout, ScopeGeom};

/// What [`measure`] counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
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
}

struct FlatNode {
    rect: Rect,
    /// Index of the enclosing container in the flat list, for each ancestor.
    ancestors: Vec<usize>,
}

struct FlatEdge {
    pts: Vec<Point>,
    ends: (usize, usize),
}

/// Count overlaps and crossings.
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
            ancestors: ancestors.to_vec(),
        });
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
        // Ends are identified by the nearest node of this scope to each end point.
        let pts = flatten(&e.path, 8);
        let near = |p: Point| {
            s.nodes
                .iter()
                .enumerate()
                .min_by(|a, b| {
                    let da = a.1.rect.center().minus(p).len();
                    let db = b.1.rect.center().minus(p).len();
                    da.total_cmp(&db)
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
        edges.push(FlatEdge { pts, ends });
    }
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
}
