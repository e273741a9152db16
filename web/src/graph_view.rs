//! The graph pane: the SVG that asl-graph draws for the current definition, in the page's
//! theme. A definition with errors is still drawn, every state the parser could read, the ones
//! with problems marked (their messages on hover) and transitions to missing states dangling;
//! only text that is no definition at all keeps the last drawing, marked stale.
//!
//! A run's overlay (each state's mark, the edges taken, breakpoints, the inspected state) is a
//! set of classes put on the existing SVG's nodes and edges after every move: a step never lays
//! the graph out or writes the SVG again. Clicking a state inspects it; Shift+click toggles a
//! breakpoint.

use std::collections::HashMap;
use std::sync::Arc;

use asl_core::model::StateMachine;
use leptos::prelude::*;

use crate::when::When;
use wasm_bindgen::JsCast;

use crate::core_api;
use crate::results::Tab;
use crate::stepping::Stepper;
use crate::timing;

/// Every class the overlay may put on a node (removed before the new ones are set).
const NODE_CLASSES: [&str; 10] = [
    "not-run",
    "active",
    "succeeded",
    "failed",
    "caught",
    "retrying",
    "bp",
    "selected",
    "visited",
    "diverged",
];

#[component]
pub fn GraphPane(
    /// The current definition as far as it could be read (else the last one that could).
    machine: Signal<Option<Arc<StateMachine>>>,
    /// Whether the current text could not be read at all (the pane then keeps the last drawing).
    stale: Signal<bool>,
    /// Whether the drawn definition has errors (marked on its states).
    broken: Signal<bool>,
    problems: Signal<Vec<asl_graph::Problem>>,
    /// Whether the page is dark.
    dark: Signal<bool>,
    stepper: Stepper,
    tab: RwSignal<Tab>,
) -> impl IntoView {
    // The model is rebuilt per analysis (cheap); layout only when the model changed; the SVG when
    // the layout or theme changed. Each memo stops propagation when its value is equal, so an
    // edit the drawing does not show costs no layout and no DOM update.
    let model = Memo::new(move |_| machine.with(|m| m.as_deref().map(core_api::graph_model)));
    let laid_out = Memo::new(move |_| {
        model
            .get()
            .map(|g| timing::measure("layout", || core_api::lay_out(g)))
    });
    let svg = Memo::new(move |_| {
        laid_out.with(|g| {
            g.as_ref().map(|g| {
                problems
                    .with(|p| timing::measure("graph", || core_api::graph_svg(g, dark.get(), p)))
            })
        })
    });
    let body = NodeRef::<leptos::html::Div>::new();
    // The overlay: after every move, and after the SVG is written again.
    Effect::new(move |_| {
        svg.track();
        let overlay = stepper.view.with(|v| v.as_ref().map(|v| v.overlay.clone()));
        let breakpoints = stepper.breakpoints.get();
        let selected = stepper.selected.get();
        let diverged = stepper.diverged.get();
        let Some(root) = body.get() else { return };
        let marks: HashMap<&str, &'static str> = overlay
            .as_ref()
            .map(|o| {
                o.states
                    .iter()
                    .map(|s| (&*s.path, s.mark.class()))
                    .collect()
            })
            .unwrap_or_default();
        let taken: HashMap<(&str, &str), u32> = overlay
            .as_ref()
            .map(|o| {
                o.edges
                    .iter()
                    .map(|e| ((&*e.from, &*e.to), e.count))
                    .collect()
            })
            .unwrap_or_default();
        if let Ok(nodes) = root.query_selector_all(".asl-node[data-state]") {
            for i in 0..nodes.length() {
                let Some(el) = nodes
                    .item(i)
                    .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                else {
                    continue;
                };
                let path = el.get_attribute("data-state").unwrap_or_default();
                let list = el.class_list();
                for c in NODE_CLASSES {
                    let _ = list.remove_1(c);
                }
                match (marks.get(path.as_str()), overlay.is_some()) {
                    (Some(c), _) => {
                        let _ = list.add_1(c);
                    }
                    (None, true) => {
                        let _ = list.add_1("not-run");
                    }
                    (None, false) => {}
                }
                if breakpoints.states.iter().any(|p| **p == *path) {
                    let _ = list.add_1("bp");
                }
                if selected.as_deref() == Some(path.as_str()) {
                    let _ = list.add_1("selected");
                }
                if diverged.as_deref() == Some(path.as_str()) {
                    let _ = list.add_1("diverged");
                }
            }
        }
        if let Ok(edges) = root.query_selector_all(".asl-edge[data-from][data-to]") {
            for i in 0..edges.length() {
                let Some(el) = edges
                    .item(i)
                    .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                else {
                    continue;
                };
                let from = el.get_attribute("data-from").unwrap_or_default();
                let to = el.get_attribute("data-to").unwrap_or_default();
                let on = taken.contains_key(&(from.as_str(), to.as_str()));
                let _ = el.class_list().toggle_with_force("taken", on);
            }
        }
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let Ok(Some(node)) = target.closest(".asl-node[data-state]") else {
            return;
        };
        let Some(path) = node.get_attribute("data-state") else {
            return;
        };
        if ev.shift_key() {
            stepper.toggle_breakpoint(&path);
        } else {
            stepper.inspect(Some(path.into()), None);
            tab.set(Tab::Inspect);
        }
    };
    // Fit the whole graph in the pane (an overview), or draw it at its own size and scroll (a
    // large graph's labels stay readable).
    let fit = RwSignal::new(true);
    view! {
        <section class="pane graph-pane" data-testid="graph-pane" aria-label="Graph">
            <header class="pane-head">
                <h2>"Graph"</h2>
                <When when=move || stale.get()>
                    <span class="badge badge-warn" data-testid="graph-stale">
                        "showing the last definition that could be read"
                    </span>
                </When>
                <When when=move || broken.get() && !stale.get()>
                    <span class="badge badge-err" data-testid="graph-broken" title="States with errors are marked; hover one for its problem. Fix them to run.">
                        "has errors: marked in red"
                    </span>
                </When>
                <span class="muted graph-hint">"click a state to inspect it · Shift+click: breakpoint"</span>
                <button class="btn btn-small graph-zoom" data-testid="graph-zoom"
                    title=move || String::from(if fit.get() { "Show the graph at full size (scroll to move around)" } else { "Fit the whole graph in the pane" })
                    on:click=move |_| fit.update(|f| *f = !*f)>
                    {move || String::from(if fit.get() { "100%" } else { "Fit" })}
                </button>
            </header>
            {move || match svg.get() {
                None => view! {
                    <div class="graph-body">
                        <p class="empty">"Fix the definition's errors to see its graph."</p>
                    </div>
                }.into_any(),
                Some(svg) => view! {
                    <div class="graph-body" class:actual=move || !fit.get() data-testid="graph" node_ref=body inner_html=svg on:click=on_click></div>
                }.into_any(),
            }}
        </section>
    }
}
