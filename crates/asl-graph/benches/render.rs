//! Layout + SVG time for synthetic machines of 20, 200 and 1,000 states (goal: ≤ 20 ms for 200
//! states natively). Run with `cargo bench -p asl-graph`; prints the median and best of several runs.
//!
//! The machines look like real ones: stages of Task (with Retry, some with Catch back to an earlier
//! stage), Choice (skip ahead, some loop back), Pass, Wait, and every tenth stage a Parallel of two
//! short branches, so back edges, labels and nesting are all exercised.
//!
//! Rows `def-200` and `def-1000` measure the "def" mix of `shared/bench/gen-workloads.mjs` (`def-200.asl.json`,
//! also `tests/graph/samples/def-200.json`), read through asl-core like the CLI does: states cycling
//! Pass / Task (Retry, Catch to one shared Fail state) / Choice (two rules and a Default) / Wait.
//! All Catch edges converge on one node, which makes rows wide: layout-rs's crossing minimisation
//! took 13.5 s on 200 such states, so such scopes go to our bounded engine. Each row names the
//! engine of the root scope, its predicted layout-rs cost and the engines of all scopes; with
//! `--bench` a calibration table follows (layout-rs forced vs our engine forced, per cost unit),
//! the measurement behind `layout::LAYOUT_RS_BUDGET`.

// Harness code, not the library: it measures time.
#![allow(clippy::disallowed_methods)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use asl_graph::build::{ScopeSpec, StateSpec, build};
use asl_graph::graph::{EdgeKind, NodeKind};
use asl_graph::{RenderOptions, layout, svg};

/// A state that goes on to `next` (or ends).
fn step(name: String, kind: NodeKind, caption: &str, next: Option<usize>) -> StateSpec {
    StateSpec {
        name,
        kind: Some(kind),
        caption: caption.into(),
        transitions: next
            .map(|n| (n, EdgeKind::Next, String::new()))
            .into_iter()
            .collect(),
        terminal: next.is_none(),
        ..StateSpec::default()
    }
}

fn task(name: String, next: Option<usize>) -> StateSpec {
    StateSpec {
        retry: Some(("↻ 2×".into(), "Retry States.ALL".into())),
        ..step(name, NodeKind::Task, "Lambda: Invoke", next)
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
                    missing_start: None,
                };
                StateSpec {
                    children: vec![branch(0), branch(1)],
                    ..step(
                        format!("Fan Out {stage}"),
                        NodeKind::Parallel,
                        "Parallel · 2 branches",
                        next,
                    )
                }
            }
            2 => step(format!("Enrich {stage}"), NodeKind::Pass, "Pass", next),
            3 => step(format!("Pause {stage}"), NodeKind::Wait, "Wait 5 s", next),
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
        missing_start: None,
    }
}

/// The "def" mix of `gen-workloads.mjs` with `n` states, as ASL text.
fn def_mix(n: usize) -> String {
    use serde_json::json;
    let name = |i: usize| format!("S{i:03}");
    let mut states = serde_json::Map::new();
    for i in 0..n {
        let next = if i + 1 == n {
            "Fin".to_string()
        } else {
            name(i + 1)
        };
        let st = match i % 4 {
            0 => json!({"Type": "Pass", "Parameters": {"a.$": "$.a", "b.$": "$.b.c[0]", "k": i,
                "f.$": "States.Format('x{}', $.a)"}, "ResultPath": "$.p", "Next": next}),
            1 => {
                json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:mock",
                "TimeoutSeconds": 30, "ResultSelector": {"v.$": "$.value"}, "ResultPath": "$.t",
                "Retry": [{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 1, "MaxAttempts": 2,
                    "BackoffRate": 2}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Oops"}],
                "Next": next})
            }
            2 => json!({"Type": "Choice", "Choices": [
                {"And": [{"Variable": "$.a", "IsPresent": true},
                         {"Variable": "$.a", "NumericGreaterThan": 5}], "Next": next},
                {"Or": [{"Variable": "$.s", "StringEquals": "x"},
                        {"Not": {"Variable": "$.s", "StringMatches": "y*"}}], "Next": next}],
                "Default": next}),
            _ => json!({"Type": "Wait", "Seconds": 1, "Next": next}),
        };
        states.insert(name(i), st);
    }
    states.insert(
        "Oops".into(),
        json!({"Type": "Fail", "Error": "E", "Cause": "c"}),
    );
    states.insert("Fin".into(), json!({"Type": "Succeed"}));
    json!({"StartAt": "S000", "States": states}).to_string()
}

fn def_graph(n: usize) -> asl_graph::graph::Graph {
    let text = def_mix(n);
    let root = asl_core::syntax::parse(&text).expect("generated JSON");
    let (machine, diags) = asl_core::parse::parse(&root);
    let machine = machine.unwrap_or_else(|| panic!("generated definition parses: {diags:?}"));
    asl_graph::from_model::graph(&machine)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: run once quickly then.
    let quick = !std::env::args().any(|a| a == "--bench");
    println!(
        "{:>8} {:>7} {:>12} {:>12} {:>12} {:>10} {:>6}",
        "states", "nodes", "layout ms", "svg ms", "total ms", "svg KiB", "runs"
    );
    let mut cases: Vec<(String, asl_graph::graph::Graph)> = [20usize, 200, 1000]
        .into_iter()
        .map(|n| (format!("{n}"), build(&machine(n), "bench")))
        .collect();
    cases.extend(
        [200usize, 1000]
            .into_iter()
            .map(|n| (format!("def-{n}"), def_graph(n))),
    );
    for (label, graph) in cases {
        let n = graph.root.nodes.len();
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
        let lay = layout::layout(&graph);
        println!(
            "{:>8} {:>7} {:>12.2} {:>12.2} {:>12.2} {:>10.1} {:>6}   (median; best total {:.2} ms; {})",
            label,
            graph.root.node_count(),
            ms(median(lay_t)),
            ms(median(svg_t)),
            ms(median(tot_t.clone())),
            size as f64 / 1024.0,
            runs,
            ms(tot_t.iter().copied().min().unwrap_or_default()),
            engines(&lay.root),
        );
    }
    if !quick {
        calibrate();
    }
}

/// Which engines placed the scopes of a layout, and the root's predicted minimiser cost.
fn engines(root: &layout::ScopeGeom) -> String {
    fn walk(s: &layout::ScopeGeom, out: &mut std::collections::BTreeMap<String, usize>) {
        *out.entry(format!("{:?}", s.engine)).or_default() += 1;
        for n in &s.nodes {
            for c in &n.children {
                walk(c, out);
            }
        }
    }
    let mut m = std::collections::BTreeMap::new();
    walk(root, &mut m);
    let list: Vec<String> = m.iter().map(|(k, v)| format!("{k}×{v}")).collect();
    format!(
        "root {:?}, cost {}; scopes {}",
        root.engine,
        root.cost,
        list.join(" ")
    )
}

/// The calibration behind `layout::LAYOUT_RS_BUDGET`: layout time with layout-rs forced on every
/// scope against its predicted minimiser cost, and the same graph with our bounded engine.
fn calibrate() {
    println!(
        "\ncalibration: layout ms with layout-rs forced vs our engine forced (root scope cost)"
    );
    println!(
        "{:>10} {:>7} {:>12} {:>14} {:>14} {:>10}",
        "case", "nodes", "cost", "layout-rs ms", "ours ms", "ns/cost"
    );
    let mut cases: Vec<(String, asl_graph::graph::Graph)> = Vec::new();
    for n in [8usize, 12, 16, 24, 32, 40, 48, 56, 64] {
        cases.push((format!("def-{n}"), def_graph(n)));
    }
    for n in [20usize, 50, 100, 200, 400] {
        cases.push((format!("mach-{n}"), build(&machine(n), "bench")));
    }
    for (label, graph) in cases {
        let time = |budget: u64| {
            let mut t = Vec::new();
            let mut cost = 0;
            for _ in 0..5 {
                let t0 = Instant::now();
                let lay = layout::layout_with_budget(black_box(&graph), budget);
                t.push(t0.elapsed());
                cost = lay.root.cost;
            }
            (median(t).as_secs_f64() * 1000.0, cost)
        };
        let (rs, cost) = time(u64::MAX);
        let (ours, _) = time(0);
        println!(
            "{:>10} {:>7} {:>12} {:>14.2} {:>14.2} {:>10.1}",
            label,
            graph.root.node_count(),
            cost,
            rs,
            ours,
            (rs - ours) * 1e6 / cost.max(1) as f64
        );
    }
}
