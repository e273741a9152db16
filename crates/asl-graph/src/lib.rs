//! asl-graph: an Amazon States Language state machine drawn as a clear SVG graph.
//!
//! Data flows one way: [`asl_core::model::StateMachine`] → [`from_model`] (+ [`build`]) →
//! [`graph::Graph`] (what is drawn) → [`layout`] (where: ranks and order within rows from layout-rs
//! where its crossing minimiser is affordable, else from our bounded engine ([`order`]);
//! coordinates ([`rows`]), nesting, sizing, loops and guards of our own) → [`svg`]
//! (how it looks, with stable ids and status classes for a runtime overlay). [`metrics`] measures
//! readability. The crate is native Rust with no browser dependency; the CLI, the wasm API and the
//! web app all call [`render_svg`].
//!
//! ```
//! let text = r#"{"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "End": true}}}"#;
//! let root = asl_core::syntax::parse(text).expect("JSON");
//! let (machine, _diagnostics) = asl_core::parse::parse(&root);
//! let svg = asl_graph::render_svg(&machine.expect("valid"), &asl_graph::RenderOptions::default());
//! assert!(svg.contains(r#"data-state="Hello""#));
//! ```
//!
//! State paths (`data-state`) are the state names from the top, with the branch index in between
//! for nested scopes: `Process/0/Transcode` is state `Transcode` in branch 0 of Parallel `Process`;
//! a Map's item processor is branch 0 of the Map (`Per Image/0/Resize`).
//!
//! Figures (see `benches/render.rs`, `tests/readability.rs`): layout + SVG of a 200-state machine
//! takes about 4 ms natively with layout-rs, 7 ms for the benchmark kit's `def-200` (50 Catch edges
//! into one Fail state; 13.5 s with layout-rs's minimiser, so it goes to our engine); the samples
//! and the 79 real-world definitions in `../shared/real-world` have no node or label overlap, no
//! edge through a box, no name cut and every terminal state next to the state leading to it
//! (`cargo test -p asl-graph --test readability -- --nocapture` prints the table).
//!
//! Definitions with errors are drawn too ([`render_loaded`]): whatever the parser kept, broken
//! states marked and transitions to missing states dangling (see [`svg`]).

pub mod build;
pub mod fallback;
pub mod from_model;
pub mod geom;
pub mod graph;
mod lanes;
mod layers;
pub mod layout;
mod layout_rs;
pub mod measure;
pub mod metrics;
pub mod order;
pub mod problems;
pub mod rows;
pub mod svg;

pub use problems::problems;
pub use svg::{Problem, RenderOptions, Status, Theme};

/// Draw a graph model as SVG (lay it out, then write it). Same graph and options, same bytes.
pub fn render_graph(graph: &graph::Graph, opts: &RenderOptions) -> String {
    let lay = layout::layout(graph);
    svg::write(graph, &lay, opts)
}

/// Draw a state machine as SVG: the entry point for the CLI, the wasm API and the web app.
pub fn render_svg(machine: &asl_core::model::StateMachine, opts: &RenderOptions) -> String {
    render_graph(&from_model::graph(machine), opts)
}

/// Draw whatever [`asl_core::load`] kept of a definition, errors or not, with its diagnostics on
/// the states they concern (added to `opts.problems`). `None` only when there is no machine to
/// draw (the text is not a JSON object).
///
/// ```
/// let loaded = asl_core::load(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Gone"}}}"#);
/// assert!(loaded.has_errors());
/// let svg = asl_graph::render_loaded(&loaded, &asl_graph::RenderOptions::default()).expect("drawn");
/// assert!(svg.contains(r#"data-state="A""#) && svg.contains("has-error"));
/// assert!(svg.contains(r#"data-missing="Gone""#) && svg.contains("asl-edge-dangling"));
/// ```
pub fn render_loaded(loaded: &asl_core::Loaded, opts: &RenderOptions) -> Option<String> {
    let machine = loaded.machine.as_ref()?;
    let mut opts = opts.clone();
    opts.problems.extend(problems(&loaded.diagnostics));
    Some(render_svg(machine, &opts))
}
