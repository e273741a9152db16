//! Layout + SVG time for synthetic machines of 20, 200 and 1,000 states (goal: ≤ 20 ms for 200
//! states natively). Run with `cargo bench -p asl-graph`; prints the median and best of several runs.
//!
//! The machines look like real ones: stages of Task (with Retry, some with Catch back to an earlier
//! stage), Choice (skip ahead, some loop back), Pass, Wait, and every tenth stage a Parallel of two
//! short branches, so back edges, labels and nesting are all exercised.

// Harness code, not the library: it measures time.
#![allow(clippy::disallowed_methods)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use asl_graph::build::{ScopeSpec, StateSpec, build};
use asl_graph::graph::{EdgeKind, NodeKind};
use asl_graph::{RenderOptions, layout, svg};

fn task(name: String, next: Option<usize>) -> StateSpec {
    StateSpec {
        name,
        kind: Some(NodeKind::Task),
        caption: "Lambda: Invoke".into(),
        retry: Some(("↻ 2×".into(), "Retry States.ALL".into())),
        transitions: next
            .map(|n| (n, EdgeKind::Next, String::new()))
            .into_iter()
            .collect(),
        terminal: next.is_none(),
        ..StateSpec::default()
    }
}

/// A machine of exactly `n` top-level states.
fn machine(n: usize) -> ScopeSpec {
    let mut states = Vec::with_capacity(n);
    for i in 0..n {
        let next = (i + 1 < n).then_some(i + 1);
        let stage = i / 5;
        let mut st = match i % 5 {
            1 if i + 2 < n => {
                let mut t = vec![(i + 2, EdgeKind::Choice, format!("$.s{stage} > {stage}"))];
                if stage % 5 == 4 && i >= 10 {
                    t.push((i - 10, EdgeKind::Choice, format!("$.retry{stage} == true")));
                }
                t.push((i + 1, EdgeKind::Default, "Default".into()));
                StateSpec {
                    name: format!("Check {stage}"),
                    kind: Some(NodeKind::Choice),
                    caption: "Choice".into(),
                    transitions: t,
                    ..Default::default()
                }
            }
            2 if stage % 10 == 9 => {
                let branch = |b: usize| ScopeSpec {
                    states: vec![
                        task(format!("Branch {stage}.{b} A"), Some(1)),
                        task(format!("Branch {stage}.{b} B"), None),
                    ],
                    start: Some(0),
                };
                StateSpec {
                    name: format!("Fan Out {stage}"),
                    kind: Some(NodeKind::Parallel),
                    caption: "Parallel · 2 branches".into(),
                    transitions: next
                        .map(|x| (x, EdgeKind::Next, String::new()))
                        .into_iter()
                        .collect(),
                    terminal: next.is_none(),
                    children: vec![branch(0), branch(1)],
                    ..Default::default()
                }
            }
            2 => StateSpec {
                name: format!("Enrich {stage}"),
                kind: Some(NodeKind::Pass),
                caption: "Pass".into(),
                transitions: next
                    .map(|x| (x, EdgeKind::Next, String::new()))
                    .into_iter()
                    .collect(),
                terminal: next.is_none(),
                ..Default::default()
            },
            3 => StateSpec {
                name: format!("Pause {stage}"),
                kind: Some(NodeKind::Wait),
                caption: "Wait 5 s".into(),
                transitions: next
                    .map(|x| (x, EdgeKind::Next, String::new()))
                    .into_iter()
                    .collect(),
                terminal: next.is_none(),
                ..Default::default()
            },
            _ => task(format!("Load {i}"), next),
        };
        if i % 5 == 0 && stage % 4 == 3 {
            st.transitions
                .push((i - 15, EdgeKind::Catch, "States.ALL".into()));
        }
        states.push(st);
    }
    ScopeSpec {
        states,
        start: Some(0),
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: run once quickly then.
    let quick = !std::env::args().any(|a| a == "--bench");
    println!(
        "{:>7} {:>7} {:>12} {:>12} {:>12} {:>10} {:>6}",
        "states", "nodes", "layout ms", "svg ms", "total ms", "svg KiB", "runs"
    );
    for n in [20usize, 200, 1000] {
        let graph = build(&machine(n), "bench");
        let runs = if quick {
            1
        } else if n >= 1000 {
            7
        } else {
            21
        };
        let (mut lay_t, mut svg_t, mut tot_t) = (Vec::new(), Vec::new(), Vec::new());
        let mut size = 0;
        for _ in 0..runs {
            let t0 = Instant::now();
            let lay = layout::layout(black_box(&graph));
            let t1 = Instant::now();
            let out = svg::write(&graph, &lay, &RenderOptions::default());
            let t2 = Instant::now();
            size = black_box(out).len();
            lay_t.push(t1 - t0);
            svg_t.push(t2 - t1);
            tot_t.push(t2 - t0);
        }
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{:>7} {:>7} {:>12.2} {:>12.2} {:>12.2} {:>10.1} {:>6}   (median; best total {:.2} ms)",
            n,
            graph.root.node_count(),
            ms(median(lay_t)),
            ms(median(svg_t)),
            ms(median(tot_t.clone())),
            size as f64 / 1024.0,
            runs,
            ms(tot_t.iter().copied().min().unwrap_or_default()),
        );
    }
}
