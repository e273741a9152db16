//! The results pane: tabs for the execution's Input, the task Mocks, the Output and the event
//! History. Input and mocks are edited here; output and history show what the core's execution
//! returned.

use std::sync::Arc;

use asl_core::model::StateMachine;
use leptos::prelude::*;

use crate::core_api::RunView;
use crate::editor::Editor;
use crate::highlight;
use crate::mocks_form::{MocksPane, MocksView};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tab {
    Input,
    Mocks,
    Output,
    History,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Input, Tab::Mocks, Tab::Output, Tab::History];

    fn label(self) -> &'static str {
        match self {
            Tab::Input => "Input",
            Tab::Mocks => "Mocks",
            Tab::Output => "Output",
            Tab::History => "History",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Tab::Input => "input",
            Tab::Mocks => "mocks",
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
                    Tab::Output => view! { <Output run=run /> }.into_any(),
                    Tab::History => view! { <History run=run /> }.into_any(),
                }}
            </div>
        </section>
    }
}

#[component]
fn StatusBadge(status: String) -> impl IntoView {
    let class = format!("status status-{}", status.to_lowercase());
    view! {
        <span class=class data-testid="run-status">
            {status}
        </span>
    }
}

/// The run's final output, or its error and cause.
#[component]
fn Output(run: Signal<Option<RunView>>) -> impl IntoView {
    move || {
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
                    <span class="muted">{format!("{} events", r.events.len())}</span>
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
    }
}

/// The run's event history, in AWS's shape: one row per event, details expandable.
#[component]
fn History(run: Signal<Option<RunView>>) -> impl IntoView {
    move || {
        match run.get() {
        None => view! {
            <div class="placeholder" data-testid="history-panel">
                <p>"No run yet."</p>
            </div>
        }
        .into_any(),
        Some(r) => view! {
            <div class="history-wrap" data-testid="history-panel">
                <table class="history">
                    <thead>
                        <tr>
                            <th>"ID"</th>
                            <th>"Type"</th>
                            <th>"State"</th>
                            <th>"Time"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {r.events
                            .into_iter()
                            .map(|e| {
                                let kind_class = if e.kind.ends_with("Failed") || e.kind.ends_with("TimedOut") {
                                    "ev-type ev-bad"
                                } else if e.kind.ends_with("Succeeded") {
                                    "ev-type ev-ok"
                                } else {
                                    "ev-type"
                                };
                                view! {
                                    <tr data-testid="history-row">
                                        <td class="ev-id">{e.id}</td>
                                        <td>
                                            <details>
                                                <summary class=kind_class>{e.kind}</summary>
                                                <pre class="json" inner_html=highlight::to_html(&e.json)></pre>
                                            </details>
                                        </td>
                                        <td class="ev-state">{e.path}</td>
                                        <td class="ev-time">{format!("+{:.3} s", e.elapsed_ms as f64 / 1000.0)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any(),
    }
    }
}
