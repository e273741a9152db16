//! Readability of every sample in `tests/graph/samples/` and every real-world definition in
//! `../shared/real-world/definitions`, measured and printed per definition:
//!
//! ```text
//! cargo test -p asl-graph --test readability -- --nocapture
//! ```
//!
//! Held: no node overlaps, no edge through a box, no name cut, every terminal state near the state
//! leading to it. Reported: edge crossings, total and longest edge length, label overlaps.

// Harness code, not the library: it reads the sample files.
#![allow(clippy::disallowed_methods)]

mod common;

use asl_graph::metrics::{self, Readability};

fn header() {
    println!(
        "{:<44} {:>5} {:>5} {:>5} {:>5} {:>4} {:>8} {:>6} {:>5} {:>6} {:>5} {:>5}  engines (scopes)",
        "definition",
        "nodes",
        "edges",
        "cross",
        "thru",
        "cut",
        "length",
        "max",
        "tfar",
        "tgap",
        "l-ovl",
        "n-ovl"
    );
}

fn row(name: &str, r: &Readability, engines: &str) {
    // Long names keep their end, which tells definitions apart.
    let skip = name.chars().count().saturating_sub(44);
    let name: String = name.chars().skip(skip).collect();
    println!(
        "{:<44} {:>5} {:>5} {:>5} {:>5} {:>4} {:>8.0} {:>6.0} {:>5} {:>6.0} {:>5} {:>5}  {}",
        name,
        r.nodes,
        r.edges,
        r.edge_crossings,
        r.edges_through_boxes,
        r.names_cut,
        r.edge_length,
        r.longest_edge,
        r.terminals_far,
        r.terminal_gap,
        r.label_overlaps,
        r.node_overlaps,
        engines
    );
}

/// Measure every definition, print the table and totals, and return the names that break `held`.
fn table(
    title: &str,
    defs: &[(String, asl_graph::graph::Graph)],
    held: &dyn Fn(&Readability) -> Vec<&'static str>,
) -> Vec<String> {
    println!("\n{title}");
    header();
    let mut total = Readability::default();
    let mut bad = Vec::new();
    for (name, graph) in defs {
        let lay = asl_graph::layout::layout(graph);
        let r = metrics::measure_graph(graph, &lay);
        row(name, &r, &engines(&lay.root));
        assert_eq!(
            r.nodes,
            graph.root.node_count(),
            "{name}: every node is placed"
        );
        for what in held(&r) {
            bad.push(format!("{name}: {what}"));
        }
        total.nodes += r.nodes;
        total.edges += r.edges;
        total.edge_crossings += r.edge_crossings;
        total.edges_through_boxes += r.edges_through_boxes;
        total.names_cut += r.names_cut;
        total.edge_length += r.edge_length;
        total.longest_edge = total.longest_edge.max(r.longest_edge);
        total.terminals_far += r.terminals_far;
        total.terminal_gap = total.terminal_gap.max(r.terminal_gap);
        total.label_overlaps += r.label_overlaps;
        total.node_overlaps += r.node_overlaps;
    }
    row("TOTAL", &total, "");
    bad
}

/// What must hold for every definition.
fn held(r: &Readability) -> Vec<&'static str> {
    let mut out = Vec::new();
    if r.node_overlaps > 0 {
        out.push("node overlaps");
    }
    if r.names_cut > 0 {
        out.push("names cut");
    }
    if r.edges_through_boxes > 0 {
        out.push("edge through a box");
    }
    if r.terminals_far > 0 {
        out.push("terminal far");
    }
    out
}

#[test]
fn samples_and_real_world_definitions_read_well() {
    let samples: Vec<_> = common::samples()
        .into_iter()
        .map(|(n, t)| {
            let g = common::graph_from_model(&t);
            (n, g)
        })
        .collect();
    let real: Vec<_> = common::real_world()
        .into_iter()
        .map(|(n, t)| {
            let g = common::graph_from_load(&t);
            (n, g)
        })
        .collect();
    assert!(
        real.len() >= 79,
        "the real-world set is beside the worktree"
    );
    let mut bad = table("samples (tests/graph/samples)", &samples, &held);
    bad.extend(table(
        "real world (../shared/real-world/definitions)",
        &real,
        &held,
    ));
    println!(
        "\ncross: edge crossings; thru: (edge, box) pairs where an edge runs through a box; cut: \
         names not shown in full; length/max: total and longest edge, px; tfar: terminal states \
         with more than {} row(s) of boxes between them and their nearest predecessor (or above \
         it); tgap: the largest gap between a terminal state and its nearest predecessor, px; \
         l-ovl/n-ovl: label and node overlaps",
        metrics::TERMINAL_ROWS
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
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
