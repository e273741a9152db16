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
