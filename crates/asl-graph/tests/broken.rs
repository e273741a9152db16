//! It always draws: a definition with errors still shows every state the parser kept, with the
//! broken ones marked (`has-error` and the message in the `<title>`) and transitions to missing
//! states drawn as dangling edges to a `? Name` node.

use asl_graph::{RenderOptions, render_loaded};

const BROKEN: &str = r#"{
  "StartAt": "Start Here",
  "States": {
    "Start Here": {"Type": "Pass", "Next": "Nowhere"},
    "Bad Wait": {"Type": "Wait", "Seconds": "soon", "Next": "Odd Task"},
    "Odd Task": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Bogus": 1,
                 "Next": "Pick", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Lost Handler"}]},
    "Pick": {"Type": "Choice",
             "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "Gone"}],
             "Default": "Start Here"},
    "Fan": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "Next": "Inner Missing"}}}
    ]}
  }
}"#;

fn svg() -> (asl_core::Loaded, String) {
    let loaded = asl_core::load(BROKEN);
    assert!(loaded.has_errors(), "{:?}", loaded.diagnostics);
    let opts = RenderOptions {
        id_prefix: Some("b".into()),
        ..RenderOptions::default()
    };
    let svg = render_loaded(&loaded, &opts).expect("a JSON object with States is drawn");
    (loaded, svg)
}

/// The opening tag of the node group for `state`.
fn node_tag<'a>(svg: &'a str, state: &str) -> &'a str {
    let at = svg
        .find(&format!(r#"data-state="{state}""#))
        .unwrap_or_else(|| panic!("{state} is drawn"));
    let start = svg[..at].rfind("<g ").expect("group start");
    &svg[start..at]
}

#[test]
fn every_state_is_drawn_and_broken_ones_are_marked() {
    let (loaded, svg) = svg();
    for s in [
        "Start Here",
        "Bad Wait",
        "Odd Task",
        "Pick",
        "Fan",
        "Fan/0/Inner",
    ] {
        node_tag(&svg, s);
    }
    for s in ["Start Here", "Bad Wait", "Odd Task", "Pick", "Fan/0/Inner"] {
        assert!(
            node_tag(&svg, s).contains("has-error"),
            "{s} is marked: {}",
            node_tag(&svg, s)
        );
    }
    assert!(!node_tag(&svg, "Fan").contains("has-error"));
    // The message is on hover, in the node's title.
    let bad_wait = loaded
        .diagnostics
        .iter()
        .find(|d| d.is_error() && d.pointer.starts_with("/States/Bad Wait"))
        .expect("an error for Bad Wait");
    let msg = asl_graph::svg::esc(&bad_wait.message);
    let at = svg.find(r#"data-state="Bad Wait""#).expect("Bad Wait");
    let title_end = svg[at..].find("</title>").expect("title") + at;
    assert!(
        svg[at..title_end].contains(&format!("Error: {msg}")),
        "{}",
        &svg[at..title_end]
    );
}

#[test]
fn transitions_to_missing_states_dangle() {
    let (_, svg) = svg();
    for (name, from) in [
        ("Nowhere", "Start Here"),
        ("Gone", "Pick"),
        ("Lost Handler", "Odd Task"),
        ("Inner Missing", "Fan/0/Inner"),
    ] {
        assert_eq!(
            svg.matches(&format!(r#"data-missing="{name}""#)).count(),
            1,
            "one ? node for {name}"
        );
        assert!(
            svg.contains(&format!(
                r#"asl-edge-dangling" data-from="{from}" data-to="?{name}""#
            )),
            "{from} → {name} dangles"
        );
    }
    // Transitions that resolve are ordinary edges.
    assert!(
        svg.contains(r#"class="asl-edge asl-edge-default" data-from="Pick" data-to="Start Here""#)
    );
}

#[test]
fn a_missing_start_dangles_from_the_start_marker() {
    let loaded = asl_core::load(r#"{"StartAt": "Nope", "States": {"A": {"Type": "Succeed"}}}"#);
    let svg = render_loaded(&loaded, &RenderOptions::default()).expect("drawn");
    assert!(
        svg.contains(r##"data-from="#start" data-to="?Nope""##),
        "{svg}"
    );
    assert!(svg.contains(r#"data-state="A""#));
}

#[test]
fn text_that_is_not_an_object_draws_nothing() {
    assert!(render_loaded(&asl_core::load("[1, 2"), &RenderOptions::default()).is_none());
}
