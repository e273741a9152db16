//! Readability of every sample, measured: node overlaps (must be zero), label overlaps and edge
//! crossings, printed per sample (`cargo test -p asl-graph --test readability -- --nocapture`).

// Harness code, not the library: it reads the sample files.
#![allow(clippy::disallowed_methods)]

mod common;

use asl_graph::metrics;

#[test]
fn samples_have_no_node_overlaps() {
    let mut bad = Vec::new();
    println!(
        "{:<24} {:>6} {:>6} {:>9} {:>10} {:>10}  engines (scopes)",
        "sample", "nodes", "edges", "crossings", "label-ovl", "node-ovl"
    );
    let mut total = 0;
    for (name, text) in common::samples() {
        let graph = common::graph_from_model(&text);
        let lay = asl_graph::layout::layout(&graph);
        let r = metrics::measure(&lay);
        println!(
            "{:<24} {:>6} {:>6} {:>9} {:>10} {:>10}  {}",
            name,
            r.nodes,
            r.edges,
            r.edge_crossings,
            r.label_overlaps,
            r.node_overlaps,
            engines(&lay.root)
        );
        total += r.edge_crossings;
        assert_eq!(
            r.nodes,
            graph.root.node_count(),
            "{name}: every node is placed"
        );
        if r.node_overlaps > 0 {
            bad.push(name);
        }
    }
    println!("total crossings: {total}");
    assert!(bad.is_empty(), "node overlaps in {bad:?}");
}

/// The engine and predicted layout-rs cost of every scope, outermost first (`LayoutRs/120`).
fn engines(s: &asl_graph::layout::ScopeGeom) -> String {
    let mut out = vec![format!("{:?}/{}", s.engine, s.cost)];
    for n in &s.nodes {
        for c in &n.children {
            out.push(engines(c));
        }
    }
    out.join(" ")
}
