//! Property tests: any valid model renders without panic, with no node overlap, and
//! deterministically. Two generators: random graph specs (any shape of transitions, nesting up to
//! three levels, self-loops, unreachable states, hostile names) straight into the drawing, and random
//! ASL JSON definitions through asl-core's parser into [`asl_graph::render_svg`].

// Harness code, not the library: it reads the sample files.
#![allow(clippy::disallowed_methods)]

mod common;

use asl_graph::build::{ScopeSpec, StateSpec, build};
use asl_graph::graph::{EdgeKind, NodeKind};
use asl_graph::{RenderOptions, layout, metrics, svg};
use proptest::prelude::*;

/// Reads numbers from proptest's random stream (so failures shrink), wrapping around.
struct Rng<'a> {
    data: &'a [u32],
    at: usize,
}

impl Rng<'_> {
    fn next(&mut self, below: u32) -> u32 {
        let v = self.data[self.at % self.data.len()]
            .wrapping_add(self.at as u32 / self.data.len() as u32);
        self.at += 1;
        if below == 0 { 0 } else { v % below }
    }
}

const NAMES: [&str; 8] = [
    "Step",
    "<b>&amp;",
    "Ünïcødé",
    "a\"b'c",
    "注文",
    "🚀",
    "A very long state name that needs wrapping or eliding",
    "",
];

fn spec(r: &mut Rng, depth: u32) -> ScopeSpec {
    let n = 1 + r.next(if depth == 0 { 14 } else { 5 }) as usize;
    let mut states = Vec::with_capacity(n);
    for i in 0..n {
        let kind = match r.next(10) {
            0 | 1 => NodeKind::Task,
            2 => NodeKind::Pass,
            3 | 4 => NodeKind::Choice,
            5 => NodeKind::Wait,
            6 => NodeKind::Succeed,
            7 => NodeKind::Fail,
            8 if depth < 3 => NodeKind::Parallel,
            9 if depth < 3 => NodeKind::Map,
            _ => NodeKind::Pass,
        };
        let name = format!("{} {i}", NAMES[r.next(NAMES.len() as u32) as usize]);
        let mut st = StateSpec {
            name,
            kind: Some(kind),
            caption: "caption".into(),
            ..Default::default()
        };
        let target = |r: &mut Rng| r.next(n as u32) as usize;
        match kind {
            NodeKind::Choice => {
                for k in 0..1 + r.next(4) {
                    st.transitions.push((
                        target(r),
                        EdgeKind::Choice,
                        format!("$.v{k} > {}", r.next(1000)),
                    ));
                }
                if r.next(2) == 0 {
                    st.transitions
                        .push((target(r), EdgeKind::Default, "Default".into()));
                }
            }
            NodeKind::Succeed | NodeKind::Fail => st.terminal = true,
            _ => {
                if r.next(4) == 0 {
                    st.terminal = true;
                } else {
                    st.transitions
                        .push((target(r), EdgeKind::Next, String::new()));
                }
                for _ in 0..r.next(3) {
                    st.transitions
                        .push((target(r), EdgeKind::Catch, "States.ALL".into()));
                }
                if r.next(3) == 0 {
                    st.retry = Some(("↻ 3×".into(), "Retry".into()));
                }
            }
        }
        if kind == NodeKind::Parallel {
            st.children = (0..1 + r.next(3)).map(|_| spec(r, depth + 1)).collect();
        } else if kind == NodeKind::Map {
            st.children = vec![spec(r, depth + 1)];
        }
        states.push(st);
    }
    ScopeSpec {
        states,
        start: Some(r.next(n as u32) as usize),
        missing_start: None,
    }
}

proptest! {
    // 300 cases by default; `PROPTEST_CASES=5000` for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_graph_renders_without_overlap(data in prop::collection::vec(any::<u32>(), 1..64)) {
        let mut r = Rng { data: &data, at: 0 };
        let graph = build(&spec(&mut r, 0), "<prop>");
        let lay = layout::layout(&graph);
        // The layered layout must never have panicked (natively we fall back; in wasm a panic kills the page).
        prop_assert!(!uses_fallback(&lay.root), "the layered layout panicked on this graph");
        let m = metrics::measure(&lay);
        prop_assert_eq!(m.node_overlaps, 0);
        prop_assert_eq!(m.nodes, graph.root.node_count());
        let opts = RenderOptions { id_prefix: Some("p".into()), ..RenderOptions::default() };
        let out = svg::write(&graph, &lay, &opts);
        prop_assert!(out.starts_with("<svg ") && out.ends_with("</svg>\n"));
        prop_assert!(!out.contains("NaN") && !out.contains("inf"));
        let mut ids = 0;
        graph.walk(|n, _| {
            ids += 1;
            assert_eq!(out.matches(&format!("id=\"p-{}\" class=\"asl-node", n.id)).count(), 1, "node {} drawn once", n.id);
        });
        prop_assert!(ids > 0);
        prop_assert_eq!(out, svg::write(&graph, &layout::layout(&graph), &opts));
    }

    #[test]
    fn any_parsed_definition_renders(data in prop::collection::vec(any::<u32>(), 1..48)) {
        let mut r = Rng { data: &data, at: 0 };
        let text = json_definition(&mut r, 0);
        let root = asl_core::syntax::parse(&text).expect("generator writes JSON");
        let (machine, _diags) = asl_core::parse::parse(&root);
        if let Some(m) = machine {
            let out = asl_graph::render_svg(&m, &RenderOptions::default());
            prop_assert!(out.ends_with("</svg>\n"));
        }
    }
}

fn uses_fallback(s: &layout::ScopeGeom) -> bool {
    s.engine == layout::Engine::Fallback
        || s.nodes.iter().any(|n| n.children.iter().any(uses_fallback))
}

/// A random ASL definition as JSON text: all state types, Choice rules with And/Or/Not and
/// `…Path` operands, Retry/Catch, nested Parallel/Map; targets may be missing or self-referencing.
fn json_definition(r: &mut Rng, depth: u32) -> String {
    let n = 1 + r.next(if depth == 0 { 10 } else { 4 }) as usize;
    let name = |i: usize| {
        serde_json::to_string(&format!("{} {i}", NAMES[i % NAMES.len()])).expect("string")
    };
    let mut states = Vec::new();
    for i in 0..n {
        let t = |r: &mut Rng| name(r.next(n as u32 + 1) as usize);
        let next_or_end = |r: &mut Rng| {
            if r.next(3) == 0 {
                "\"End\": true".to_string()
            } else {
                format!("\"Next\": {}", t(r))
            }
        };
        let retry_catch = |r: &mut Rng| {
            format!(
                "\"Retry\": [{{\"ErrorEquals\": [\"States.ALL\"], \"MaxAttempts\": {}}}], \"Catch\": [{{\"ErrorEquals\": [\"States.Timeout\", \"Custom.Err\"], \"Next\": {}}}]",
                r.next(5),
                t(r)
            )
        };
        let body = match r.next(8) {
            0 => format!(
                "\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::lambda:invoke\", {}, {}",
                retry_catch(r),
                next_or_end(r)
            ),
            1 => format!("\"Type\": \"Pass\", {}", next_or_end(r)),
            2 => {
                let rule = match r.next(4) {
                    0 => format!(
                        "{{\"Variable\": \"$.a\", \"NumericGreaterThan\": {}, \"Next\": {}}}",
                        r.next(99),
                        t(r)
                    ),
                    1 => format!(
                        "{{\"And\": [{{\"Variable\": \"$.b\", \"IsPresent\": true}}, {{\"Variable\": \"$.c\", \"StringEqualsPath\": \"$.d\"}}], \"Next\": {}}}",
                        t(r)
                    ),
                    2 => format!(
                        "{{\"Not\": {{\"Variable\": \"$.e\", \"BooleanEquals\": false}}, \"Next\": {}}}",
                        t(r)
                    ),
                    _ => format!(
                        "{{\"Or\": [{{\"Variable\": \"$.f\", \"StringMatches\": \"x*\"}}, {{\"Variable\": \"$.g\", \"TimestampLessThan\": \"2026-01-01T00:00:00Z\"}}], \"Next\": {}}}",
                        t(r)
                    ),
                };
                format!(
                    "\"Type\": \"Choice\", \"Choices\": [{rule}], \"Default\": {}",
                    t(r)
                )
            }
            3 => format!(
                "\"Type\": \"Wait\", \"SecondsPath\": \"$.w\", {}",
                next_or_end(r)
            ),
            4 => "\"Type\": \"Succeed\"".to_string(),
            5 => "\"Type\": \"Fail\", \"Error\": \"E\"".to_string(),
            6 if depth < 2 => format!(
                "\"Type\": \"Parallel\", \"Branches\": [{}, {}], {}, {}",
                json_definition(r, depth + 1),
                json_definition(r, depth + 1),
                retry_catch(r),
                next_or_end(r)
            ),
            7 if depth < 2 => format!(
                "\"Type\": \"Map\", \"ItemProcessor\": {}, {}",
                json_definition(r, depth + 1),
                next_or_end(r)
            ),
            _ => "\"Type\": \"Succeed\"".to_string(),
        };
        states.push(format!("{}: {{{body}}}", name(i)));
    }
    format!(
        "{{\"StartAt\": {}, \"States\": {{{}}}}}",
        name(r.next(n as u32) as usize),
        states.join(", ")
    )
}
