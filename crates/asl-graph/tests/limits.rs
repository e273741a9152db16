//! The renderer at the definition limits (see docs/limits.md): the deepest nesting the validator
//! accepts (40 Parallel/Map levels) is drawn without overflowing the stack, and state names with
//! odd Unicode or markup reach the SVG as escaped text. A megabyte definition is measured by
//! `cargo bench -p asl-graph --bench huge`.

use asl_graph::RenderOptions;

/// `levels` Parallel and Map states one inside the other (alternating).
fn nested(levels: usize) -> String {
    let mut inner =
        r#"{"StartAt": "Leaf", "States": {"Leaf": {"Type": "Pass", "End": true}}}"#.to_string();
    for i in 0..levels {
        inner = if i % 2 == 0 {
            format!(
                r#"{{"StartAt": "P{i}", "States": {{"P{i}": {{"Type": "Parallel", "Branches": [{inner}], "End": true}}}}}}"#
            )
        } else {
            format!(
                r#"{{"StartAt": "M{i}", "States": {{"M{i}": {{"Type": "Map", "ItemProcessor": {inner}, "End": true}}}}}}"#
            )
        };
    }
    inner
}

#[test]
fn the_deepest_accepted_nesting_is_drawn() {
    let loaded = asl_core::load(&nested(40));
    assert!(!loaded.has_errors(), "{:?}", loaded.errors().next());
    let svg = asl_graph::render_loaded(&loaded, &RenderOptions::default()).expect("drawn");
    assert!(
        svg.contains(r#"data-state="M39""#) && svg.contains("Leaf"),
        "{svg}"
    );
    // One level more is a diagnostic, and what was parsed is still drawn.
    let loaded = asl_core::load(&nested(41));
    assert!(loaded.has_errors());
    assert!(asl_graph::render_loaded(&loaded, &RenderOptions::default()).is_some());
}

#[test]
fn odd_names_reach_the_svg_as_text() {
    let names = [
        "\u{202e}evil\u{202c}",
        "a\u{200d}b",
        "\u{fffd}",
        "<script>alert(1)</script>",
        "</svg><foreignObject>",
        "a\"b'c&d",
    ];
    let states: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let next = names.get(i + 1).map_or(r#""End": true"#.to_string(), |m| {
                format!(r#""Next": {}"#, serde_json::json!(m))
            });
            format!(r#"{}: {{"Type": "Pass", {next}}}"#, serde_json::json!(n))
        })
        .collect();
    let text = format!(
        r#"{{"StartAt": {}, "States": {{{}}}}}"#,
        serde_json::json!(names[0]),
        states.join(", ")
    );
    let loaded = asl_core::load(&text);
    assert!(!loaded.has_errors(), "{:?}", loaded.errors().next());
    let svg = asl_graph::render_loaded(&loaded, &RenderOptions::default()).expect("drawn");
    assert!(!svg.contains("<script"), "markup in a name must be escaped");
    assert!(
        !svg.contains("<foreignObject"),
        "markup in a name must be escaped"
    );
    assert!(svg.contains("&lt;script&gt;"));
    assert!(svg.contains('\u{202e}') && svg.contains('\u{fffd}'));
    assert_eq!(svg.matches("</svg>").count(), 1);
}

/// `n` states in a chain, every third a Task whose Catch goes `reach` states ahead (or to the
/// last state; `reach = n`: a catch-all handler fed from everywhere, the shape of the megabyte
/// benchmark).
fn catches(n: usize, reach: usize) -> String {
    let states: Vec<String> = (0..n)
        .map(|i| {
            let next = if i + 1 < n {
                format!(r#""Next": "S{}""#, i + 1)
            } else {
                r#""End": true"#.to_string()
            };
            if i % 3 == 1 && i + 1 < n {
                format!(
                    r#""S{i}": {{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Catch": [{{"ErrorEquals": ["States.ALL"], "Next": "S{}"}}], {next}}}"#,
                    (i + reach).min(n - 1)
                )
            } else {
                format!(r#""S{i}": {{"Type": "Pass", {next}}}"#)
            }
        })
        .collect();
    format!(
        r#"{{"StartAt": "S0", "States": {{{}}}}}"#,
        states.join(", ")
    )
}

#[test]
fn catch_edges_into_one_far_handler_share_a_trunk() {
    // 400 states, 133 Catch edges into the last one: ~26,000 bend elements one per row, over the
    // budget, so they come down one shared trunk. (The megabyte benchmark's 5,000 states took
    // 43 s to draw before.)
    let loaded = asl_core::load(&catches(400, 400));
    assert!(!loaded.has_errors(), "{:?}", loaded.errors().next());
    let machine = loaded.machine.as_ref().expect("machine");
    let graph = asl_graph::from_model::graph(machine);
    let lay = asl_graph::layout::layout(&graph);
    let m = asl_graph::metrics::measure_graph(&graph, &lay);
    assert_eq!(m.nodes, 402);
    assert_eq!(
        (
            m.node_overlaps,
            m.label_overlaps,
            m.edges_through_boxes,
            m.edge_crossings
        ),
        (0, 0, 0, 0),
        "{m:?}"
    );
    // They share one port on the handler, and their paths are a few segments each, not one per
    // row passed.
    let handler = graph
        .root
        .nodes
        .iter()
        .position(|v| v.name == "S399")
        .expect("handler");
    let catches: Vec<&asl_graph::layout::EdgeGeom> = graph
        .root
        .edges
        .iter()
        .zip(&lay.root.edges)
        .filter(|(e, _)| e.to == handler && e.kind == asl_graph::graph::EdgeKind::Catch)
        .map(|(_, g)| g)
        .collect();
    assert_eq!(catches.len(), 133);
    let end = |g: &asl_graph::layout::EdgeGeom| g.path[g.path.len() - 1][3];
    let shared = catches.iter().filter(|g| end(g) == end(catches[0])).count();
    assert!(shared >= 130, "{shared} of 133 share the port");
    let segments: usize = catches.iter().map(|g| g.path.len()).sum();
    assert!(segments <= 133 * 16, "{segments} segments");
}

#[test]
fn past_the_cap_the_longest_edges_are_drawn_straight_and_the_drawing_says_so() {
    // 900 states, 150 Catch edges each 450 states ahead to a different state: no trunk can share
    // them, and one bend per row would be ~67,000 elements, over `BEND_CAP` (the 150 later ones
    // go to the last state and share a trunk).
    let loaded = asl_core::load(&catches(900, 450));
    assert!(!loaded.has_errors(), "{:?}", loaded.errors().next());
    let machine = loaded.machine.as_ref().expect("machine");
    let graph = asl_graph::from_model::graph(machine);
    let lay = asl_graph::layout::layout(&graph);
    let unrouted = asl_graph::layout::unrouted(&lay.root);
    assert!(unrouted > 0 && unrouted < 150, "{unrouted} unrouted");
    let svg = asl_graph::svg::write(&graph, &lay, &RenderOptions::default());
    assert!(svg.contains(&format!(
        "{unrouted} long edges are drawn straight, not routed"
    )));
    assert_eq!(
        svg.matches(r#" asl-edge-unrouted" opacity=".5" data-from=""#)
            .count(),
        unrouted
    );
    // Every tag's attributes are quoted in pairs.
    assert!(
        svg.split('<')
            .all(|tag| tag.split('>').next().unwrap_or("").matches('"').count() % 2 == 0)
    );
    // Under the cap nothing says so.
    let small = asl_core::load(&catches(60, 30));
    let svg = asl_graph::render_loaded(&small, &RenderOptions::default()).expect("drawn");
    assert!(!svg.contains("asl-note") && !svg.contains("asl-edge-unrouted"));
}
