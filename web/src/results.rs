//! The results pane: tabs for the execution's Input, the task Mocks, the Inspect view of a
//! state's visits, the Output and the event History. Input and mocks are edited here; the rest
//! shows what the core's execution returned at the stepper's current event. The History list is
//! windowed (only the rows in view exist in the DOM), so a 25,000-event run scrolls and steps
//! without rebuilding thousands of rows.

use std::sync::Arc;

use asl_core::model::StateMachine;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::core_api::{RunView, Settings};
use crate::editor::{Editor, Goto};
use crate::highlight;
use crate::inspector::InspectPane;
use crate::mocks_form::{MocksPane, MocksView};
use crate::run_report::RunReport;
use crate::stepper_bar::clock;
use crate::stepping::Stepper;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tab {
    Input,
    Mocks,
    Inspect,
    Output,
    History,
}

impl Tab {
    const ALL: [Tab; 5] = [
        Tab::Input,
        Tab::Mocks,
        Tab::Inspect,
        Tab::Output,
        Tab::History,
    ];

    fn label(self) -> &'static str {
        match self {
            Tab::Input => "Input",
            Tab::Mocks => "Mocks",
            Tab::Inspect => "Inspect",
            Tab::Output => "Output",
            Tab::History => "History",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Tab::Input => "input",
            Tab::Mocks => "mocks",
            Tab::Inspect => "inspect",
            Tab::Output => "output",
            Tab::History => "history",
        }
    }
}

#[component]
pub fn ResultsPane(
    input: RwSignal<String>,
    mocks: RwSignal<String>,
    tab: RwSignal<Tab>,
    run: Signal<Option<RunView>>,
    /// The last definition without errors (the mocks form lists its Task states).
    machine: Signal<Option<Arc<StateMachine>>>,
    stepper: Stepper,
    /// Set before the mocks change to keep the session (a paused task's answer saved as a mock).
    keep_session: StoredValue<bool>,
    definition: RwSignal<String>,
    settings: RwSignal<Settings>,
    goto: RwSignal<Option<Goto>>,
) -> impl IntoView {
    let mocks_view = RwSignal::new(MocksView::Form);
    view! {
        <section class="pane results-pane" aria-label="Execution">
            <div class="tabs" role="tablist">
                {Tab::ALL
                    .into_iter()
                    .map(|t| {
                        view! {
                            <button
                                role="tab"
                                class="tab"
                                class:active=move || tab.get() == t
                                aria-selected=move || (tab.get() == t).to_string()
                                data-testid=format!("tab-{}", t.id())
                                on:click=move |_| tab.set(t)
                            >
                                {t.label()}
                            </button>
                        }
                    })
                    .collect_view()}
                <span class="tabs-status">
                    {move || run.get().map(|r| view! { <StatusBadge status=r.status/> })}
                </span>
            </div>
            <div class="tab-body">
                {move || match tab.get() {
                    Tab::Input => {
                        view! {
                            <Editor text=input testid="input-editor" label="Execution input (JSON)" />
                        }
                            .into_any()
                    }
                    Tab::Mocks => {
                        view! { <MocksPane mocks=mocks machine=machine view=mocks_view /> }.into_any()
                    }
                    Tab::Inspect => view! { <InspectPane stepper=stepper mocks=mocks keep_session=keep_session /> }.into_any(),
                    Tab::Output => view! {
                        <div class="output-tab">
                            <Output run=run />
                            <RunReport stepper=stepper definition=definition settings=settings goto=goto/>
                        </div>
                    }.into_any(),
                    Tab::History => view! { <History stepper=stepper /> }.into_any(),
                }}
            </div>
        </section>
    }
}

#[component]
fn StatusBadge(status: String) -> impl IntoView {
    let class = format!("status status-{}", status.to_ascii_lowercase());
    view! {
        <span class=class data-testid="run-status">
            {status}
        </span>
    }
}

/// The run's final output, or its error and cause.
#[component]
fn Output(run: Signal<Option<RunView>>) -> impl IntoView {
    let show = move || {
        match run.get() {
        None => view! {
            <div class="placeholder" data-testid="output-panel">
                <p>"Press ▶ Run to execute the state machine with this input and these mocks."</p>
            </div>
        }
        .into_any(),
        Some(r) => view! {
            <div class="output" data-testid="output-panel">
                <div class="output-head">
                    <StatusBadge status=r.status.clone() />
                    <span class="muted">{format!("{} events", r.event_count)}</span>
                </div>
                {r.error.map(|e| view! {
                    <div class="run-error" data-testid="run-error">
                        <div class="run-error-name">{e}</div>
                        {r.cause.map(|c| view! { <div class="run-error-cause">{c}</div> })}
                    </div>
                })}
                {r.output.map(|o| view! {
                    <pre class="json" data-testid="run-output" inner_html=highlight::to_html(&o)></pre>
                })}
            </div>
        }
        .into_any(),
    }
    };
    view! { {move || show()} }
}

/// Height of one History row, px (the window's arithmetic depends on it; the CSS sets it too).
const ROW_PX: f64 = 26.0;

/// The recorded history, windowed: rows up to the current event are solid, later ones (after
/// stepping back) faded; the current one is highlighted and kept in view. Clicking a row goes
/// to that event and inspects its state's visit; its JSON (AWS's shape) shows below.
#[component]
fn History(stepper: Stepper) -> impl IntoView {
    let wrap = NodeRef::<leptos::html::Div>::new();
    // Whole pixels (the DOM gives integers), as `u32`: a signal type the page has already.
    let scroll = RwSignal::new(0u32);
    let height = RwSignal::new(360u32);
    let recorded = move || {
        stepper
            .view
            .with(|v| v.as_ref().map_or(0, |v| v.recorded as usize))
    };
    let current = move || stepper.view.with(|v| v.as_ref().map_or(0, |v| v.event));
    // The current event's row stays in the middle as the cursor moves: the scroll position is a
    // function of the cursor, so stepping on and back again shows exactly the same rows.
    Effect::new(move |_| {
        let e = current() as f64;
        if let Some(el) = wrap.get() {
            let top = (e - 1.0).max(0.0) * ROW_PX;
            let h = el.client_height().max(0) as f64;
            height.set(h.max(ROW_PX) as u32);
            el.set_scroll_top((top - (h - ROW_PX) / 2.0).max(0.0).round() as i32);
            scroll.set(el.scroll_top().max(0) as u32);
        }
    });
    let rows = move || {
        let first = (scroll.get() as f64 / ROW_PX) as usize;
        let from = first.saturating_sub(10);
        let to = first + (height.get() as f64 / ROW_PX) as usize + 10;
        let _ = stepper.view.with(|v| v.as_ref().map(|v| v.recorded));
        (
            from,
            stepper
                .with_session(|s| s.rows(from, to))
                .unwrap_or_default(),
        )
    };
    let selected_json = move || {
        stepper
            .event
            .get()
            .and_then(|id| stepper.with_session(|s| s.event_json(id)).flatten())
    };
    view! {
        <div class="history-pane" data-testid="history-panel">
            {move || ((recorded() == 0).then(|| view! { <p class="placeholder">"No run yet: press → to step, or ▶ Run."</p> })).into_any()}
            <div class="history-head"><span>"ID"</span><span>"Type"</span><span>"State"</span><span>"Time"</span></div>
            <div class="history-wrap" node_ref=wrap on:scroll=move |_| {
                if let Some(el) = wrap.get() { scroll.set(el.scroll_top().max(0) as u32); height.set(el.client_height().max(0) as u32); }
            }>
                <div class="history-spacer" style=move || format!("height:{}px", asl_core::float_fmt::display(recorded() as f64 * ROW_PX))>
                    {move || ({
                        let (from, rows) = rows();
                        let cur = current();
                        let selected = stepper.event.get();
                        // A moved window rebuilds every row in place, and with the type-erased
                        // views each attribute that is a closure or a listener is made anew: so
                        // one class string per row and one click listener for all rows
                        // (benches/README.md, "Where a seek's time goes").
                        view! {
                            <div class="history-rows" style=format!("transform:translateY({}px)", asl_core::float_fmt::display(from as f64 * ROW_PX))
                                on:click=move |ev| {
                                    let id = ev
                                        .target()
                                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                                        .and_then(|t| t.closest("[data-event]").ok().flatten())
                                        .and_then(|row| row.get_attribute("data-event")?.parse().ok());
                                    if let Some(id) = id {
                                        stepper.go_to_event(id);
                                    }
                                }>
                                {rows.into_iter().map(|e| {
                                    let kind_class = if e.kind.ends_with("Failed") || e.kind.ends_with("TimedOut") {
                                        "ev-type ev-bad"
                                    } else if e.kind.ends_with("Succeeded") {
                                        "ev-type ev-ok"
                                    } else {
                                        "ev-type"
                                    };
                                    let id = e.id;
                                    let mut class = String::from("history-row");
                                    for (on, name) in [(id == cur, " current"), (id > cur, " future"), (selected == Some(id), " selected")] {
                                        if on {
                                            class.push_str(name);
                                        }
                                    }
                                    view! {
                                        <div class=class data-testid="history-row" data-event=id>
                                            <span class="ev-id">{id}</span>
                                            <span class=kind_class data-testid="history-type">{e.kind}</span>
                                            <span class="ev-state">{e.path}</span>
                                            <span class="ev-time">{clock(e.elapsed_ms)}</span>
                                        </div>
                                    }
                                }).collect_view()}
                            </div>
                        }
                    }).into_any()}
                </div>
            </div>
            {move || (selected_json().map(|j| view! {
                <pre class="json event-json" data-testid="event-json" inner_html=highlight::to_html(&j)></pre>
            })).into_any()}
        </div>
    }
}
