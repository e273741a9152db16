//! The graph pane: the SVG that asl-graph draws for the last definition without errors, in the
//! page's theme. While the text has errors it keeps showing the last good graph, marked stale.

use std::sync::Arc;

use asl_core::model::StateMachine;
use leptos::prelude::*;

use crate::core_api::{self, StateStatus};
use crate::timing;

#[component]
pub fn GraphPane(
    /// The last machine without errors.
    machine: Signal<Option<Arc<StateMachine>>>,
    /// Whether the current text has errors (the pane then keeps the last valid definition).
    stale: Signal<bool>,
    /// Whether the page is dark.
    dark: Signal<bool>,
    /// Each state's status in the last run (empty: a plain diagram).
    status: Signal<Vec<(String, StateStatus)>>,
) -> impl IntoView {
    // The model is rebuilt per analysis (cheap); layout only when the model changed; the SVG when
    // the layout, theme or run colours changed. Each memo stops propagation when its value is
    // equal, so an edit the drawing does not show costs no layout and no DOM update.
    let model = Memo::new(move |_| machine.with(|m| m.as_deref().map(core_api::graph_model)));
    let laid_out = Memo::new(move |_| {
        model
            .get()
            .map(|g| timing::measure("layout", || core_api::lay_out(g)))
    });
    let svg = Memo::new(move |_| {
        laid_out.with(|g| {
            g.as_ref().map(|g| {
                status.with(|s| timing::measure("graph", || core_api::graph_svg(g, dark.get(), s)))
            })
        })
    });
    // Fit the whole graph in the pane (an overview), or draw it at its own size and scroll (a
    // large graph's labels stay readable).
    let fit = RwSignal::new(true);
    view! {
        <section class="pane graph-pane" data-testid="graph-pane" aria-label="Graph">
            <header class="pane-head">
                <h2>"Graph"</h2>
                <Show when=move || stale.get()>
                    <span class="badge badge-warn" data-testid="graph-stale">
                        "showing the last valid definition"
                    </span>
                </Show>
                <button class="btn btn-small graph-zoom" data-testid="graph-zoom"
                    title=move || if fit.get() { "Show the graph at full size (scroll to move around)" } else { "Fit the whole graph in the pane" }
                    on:click=move |_| fit.update(|f| *f = !*f)>
                    {move || if fit.get() { "100%" } else { "Fit" }}
                </button>
            </header>
            {move || match svg.get() {
                None => view! {
                    <div class="graph-body">
                        <p class="empty">"Fix the definition's errors to see its graph."</p>
                    </div>
                }.into_any(),
                Some(svg) => view! {
                    <div class="graph-body" class:actual=move || !fit.get() data-testid="graph" inner_html=svg></div>
                }.into_any(),
            }}
        </section>
    }
}
