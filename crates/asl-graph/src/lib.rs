//! asl-graph: an Amazon States Language state machine drawn as a clear SVG graph.
//!
//! Data flows one way: [`asl_core::model::StateMachine`] → [`from_model`] → [`graph::Graph`] (what
//! is drawn) → [`layout`] (where; layout-rs plus our nesting, sizing and guards) → [`svg`] (how it
//! looks, with stable ids and status classes for a runtime overlay). [`metrics`] measures the result.
//! The crate is native Rust with no browser dependency: the CLI, the wasm API and the web app all
//! call [`render_svg`].

pub mod build;
pub mod fallback;
pub mod from_model;
pub mod geom;
pub mod graph;
pub mod layout;
pub mod measure;
pub mod metrics;
pub mod rows;
pub mod svg;

pub use svg::{RenderOptions, Status, Theme};

/// Draw a graph model as SVG.
pub fn render_graph(graph: &graph::Graph, opts: &RenderOptions) -> String {
    let lay = layout::layout(graph);
    svg::write(graph, &lay, opts)
}

/// Draw a state machine as SVG: the entry point for the CLI, the wasm API and the web app.
pub fn render_svg(machine: &asl_core::model::StateMachine, opts: &RenderOptions) -> String {
    render_graph(&from_model::graph(machine), opts)
}
