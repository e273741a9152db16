//! A megabyte definition end to end: 5,000 states (about 1 MB of JSON, AWS's hard quota for a
//! definition is 1 MB), read as JSON and as YAML, validated, drawn, and run once. Prints the
//! size and the time of each stage (median of a few runs): the figures behind the "megabyte
//! definitions" row of docs/limits.md. Run with `cargo bench -p asl-graph --bench huge`.
//!
//! The states are a realistic mix: Tasks with Parameters, Retry and a Catch, Choices that skip
//! ahead, Pass states with results, a Parallel every 50 states; long, padded names and comments
//! bring the text to a megabyte.

// Harness code, not the library: it measures time.
#![allow(clippy::disallowed_methods)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use asl_core::exec::{ExecOptions, Execution, Limits};
use asl_core::value::Value;

/// States in the definition; `HUGE_STATES=n` draws another size.
fn states() -> usize {
    std::env::var("HUGE_STATES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5_000)
}

fn name(i: usize) -> String {
    format!("Stage {i:05} — process the order line and record its outcome")
}

/// Where the Catch of state `i` goes: the last state (a catch-all handler), or with
/// `HUGE_CATCH=spread` the state 1,000 further on (every Catch its own far target: nothing to
/// bundle, the worst case for the layered layout).
fn catch_target(i: usize, n: usize) -> usize {
    if std::env::var("HUGE_CATCH").is_ok_and(|v| v == "spread") {
        (i + 1_000).min(n - 1)
    } else {
        n - 1
    }
}

fn definition(n: usize) -> String {
    let mut states = Vec::with_capacity(n);
    for i in 0..n {
        let next = if i + 1 < n {
            format!(r#""Next": "{}""#, name(i + 1))
        } else {
            r#""End": true"#.to_string()
        };
        let body = match i % 50 {
            49 => format!(
                r#""Type": "Parallel", "Branches": [{{"StartAt": "Left {i}", "States": {{"Left {i}": {{"Type": "Pass", "End": true}}}}}}, {{"StartAt": "Right {i}", "States": {{"Right {i}": {{"Type": "Pass", "End": true}}}}}}], "ResultPath": null, {next}"#
            ),
            k if k % 5 == 0 && i + 3 < n => format!(
                r#""Type": "Choice", "Comment": "Skip ahead when the order line is flagged; {pad}", "Choices": [{{"Variable": "$.flag", "BooleanEquals": true, "Next": "{skip}"}}], "Default": "{nxt}""#,
                pad = "x".repeat(40),
                skip = name(i + 2),
                nxt = name(i + 1)
            ),
            k if k % 2 == 0 => format!(
                r#""Type": "Pass", "Comment": "A constant result; {pad}", "Result": {{"stage": {i}, "ok": true}}, "ResultPath": "$.last", {next}"#,
                pad = "y".repeat(60)
            ),
            _ => format!(
                r#""Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {{"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:stage-{i}", "Payload.$": "$"}}, "ResultSelector": {{"code.$": "$.StatusCode"}}, "ResultPath": "$.result", "Retry": [{{"ErrorEquals": ["Lambda.ServiceException"], "MaxAttempts": 2}}], "Catch": [{{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "{last}"}}], {next}"#,
                last = name(catch_target(i, n))
            ),
        };
        states.push(format!(r#"    "{}": {{{body}}}"#, name(i)));
    }
    format!(
        "{{\n  \"Comment\": \"{n} states\",\n  \"StartAt\": \"{}\",\n  \"States\": {{\n{}\n  }}\n}}\n",
        name(0),
        states.join(",\n")
    )
}

/// Median time of `runs` calls of `f`, and its last result.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(black_box(f()));
        times.push(t.elapsed());
    }
    times.sort();
    (times[runs / 2], last.expect("runs > 0"))
}

fn main() {
    let n = states();
    let json = definition(n);
    println!("{n} states, {} bytes of JSON", json.len());
    let (t, loaded) = time(5, || asl_core::load(&json));
    assert!(!loaded.has_errors(), "{:?}", loaded.errors().next());
    println!("  parse + validate (JSON)   {t:>10.1?}");
    let value = Value::parse(&json).expect("JSON");
    let yaml = to_yaml(&value, 0);
    let (t, from_yaml) = time(5, || asl_core::load(&yaml));
    assert!(!from_yaml.has_errors(), "{:?}", from_yaml.errors().next());
    println!(
        "  parse + validate (YAML)   {t:>10.1?}  ({} bytes)",
        yaml.len()
    );
    let opts = asl_graph::RenderOptions::default();
    let (t, svg) = time(3, || asl_graph::render_loaded(&loaded, &opts));
    let svg = svg.unwrap_or_default();
    println!(
        "  layout + SVG              {t:>10.1?}  ({} bytes of SVG)",
        svg.len()
    );
    // `HUGE_SVG=path` keeps the drawing to look at; `asl_graph::metrics` of it with
    // `HUGE_METRICS=1`.
    if let Some(path) = std::env::var_os("HUGE_SVG") {
        std::fs::write(&path, &svg).expect("write HUGE_SVG");
    }
    if std::env::var_os("HUGE_METRICS").is_some() {
        let graph = asl_graph::from_model::graph(loaded.machine.as_ref().expect("machine"));
        let lay = asl_graph::layout::layout(&graph);
        let m = asl_graph::metrics::measure_graph(&graph, &lay);
        println!(
            "  metrics: {} nodes, {} edges, overlaps {} nodes / {} labels, {} crossings, {} edges through boxes, {:.0} × {:.0} px, longest edge {:.0} px",
            m.nodes,
            m.edges,
            m.node_overlaps,
            m.label_overlaps,
            m.edge_crossings,
            m.edges_through_boxes,
            lay.width,
            lay.height,
            m.longest_edge
        );
    }
    let machine = Arc::new(loaded.machine.clone().expect("machine"));
    let (t, events) = time(3, || {
        let mut ex = Execution::start(
            machine.clone(),
            Value::parse(r#"{"flag": false}"#).expect("input"),
            ExecOptions {
                limits: Limits::unlimited(),
                ..ExecOptions::default()
            },
        );
        ex.run();
        ex.history().len()
    });
    println!("  run (no mocks: pauses)    {t:>10.1?}  ({events} events)");
}

/// Block YAML of a value (strings quoted), to read the same definition as YAML.
fn to_yaml(v: &Value, indent: usize) -> String {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(o) if !o.is_empty() => o
            .iter()
            .map(|(k, v)| match v {
                Value::Object(_) | Value::Array(_) if v.json_len() > 2 => {
                    format!("{pad}{}:\n{}", quote(k), to_yaml(v, indent + 2))
                }
                _ => format!("{pad}{}: {}\n", quote(k), v.to_json_string()),
            })
            .collect(),
        Value::Array(a) if !a.is_empty() => a
            .iter()
            .map(|v| match v {
                Value::Object(_) | Value::Array(_) if v.json_len() > 2 => {
                    format!("{pad}-\n{}", to_yaml(v, indent + 2))
                }
                _ => format!("{pad}- {}\n", v.to_json_string()),
            })
            .collect(),
        _ => format!("{pad}{}\n", v.to_json_string()),
    }
}

/// A key as YAML: plain when it is a plain word (a document must not start with `"`, which reads
/// as JSON).
fn quote(k: &str) -> String {
    if k.chars().all(|c| c.is_ascii_alphanumeric()) {
        k.to_string()
    } else {
        Value::from(k).to_json_string()
    }
}
