//! The results pane: tabs for the execution's Input, the task Mocks, the Output and the event
//! History. Input and mocks are edited here; output and history show what the core's execution
//! returned (nothing until the engine is wired in `core_api`).

use leptos::prelude::*;

use crate::core_api;
use crate::editor::Editor;

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
) -> impl IntoView {
    let not_wired = "The execution engine (asl-core) is not wired into the playground yet: runs arrive with it.";
    view! {
        <section class="pane results-pane" aria-label="Execution">
            <div class="tabs" role="tablist">
                {Tab::ALL.into_iter().map(|t| view! {
                    <button
                        role="tab"
                        class="tab"
                        class:active=move || tab.get() == t
                        aria-selected=move || (tab.get() == t).to_string()
                        data-testid=format!("tab-{}", t.id())
                        on:click=move |_| tab.set(t)
                    >{t.label()}</button>
                }).collect_view()}
            </div>
            <div class="tab-body">
                {move || match tab.get() {
                    Tab::Input => view! {
                        <Editor text=input testid="input-editor" label="Execution input (JSON)"/>
                    }.into_any(),
                    Tab::Mocks => view! {
                        <Editor text=mocks testid="mocks-editor" label="Task mocks (JSON)"/>
                    }.into_any(),
                    Tab::Output => view! {
                        <div class="placeholder" data-testid="output-panel">
                            <p>{if core_api::ENGINE_READY { "Run the state machine to see its output." } else { not_wired }}</p>
                        </div>
                    }.into_any(),
                    Tab::History => view! {
                        <div class="placeholder" data-testid="history-panel">
                            <table class="history">
                                <thead><tr><th>"#"</th><th>"Type"</th><th>"State"</th><th>"Time"</th></tr></thead>
                                <tbody></tbody>
                            </table>
                            <p>{if core_api::ENGINE_READY { "No run yet." } else { not_wired }}</p>
                        </div>
                    }.into_any(),
                }}
            </div>
        </section>
    }
}
