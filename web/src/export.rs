//! The Export menu: the graph as SVG or PNG (with the current step's colours), the run's history
//! in GetExecutionHistory's JSON shape, the mocks as a Step Functions Local MockConfigFile, and
//! the session as an `asl test` case (its MockConfigFile, expectations and definition), each a
//! file download.
//!
//! What goes in each file is [`core_api::export`]'s (asl-core's formats); saving is
//! [`crate::download`]'s. This module only lays out the menu and says what happened.

use std::sync::Arc;

use asl_core::model::StateMachine;
use leptos::prelude::*;

use crate::when::When;

use crate::core_api::{Settings, export};
use crate::download;
use crate::stepping::Stepper;

#[component]
pub fn ExportMenu(
    stepper: Stepper,
    definition: RwSignal<String>,
    input: RwSignal<String>,
    mocks: RwSignal<String>,
    settings: RwSignal<Settings>,
    /// The definition's model when it has no errors.
    machine: Signal<Option<Arc<StateMachine>>>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    // What the last export did (a file saved, or why not).
    let note = RwSignal::new(None::<(bool, String)>);
    let report = move |r: Result<String, String>| {
        note.set(Some(match r {
            Ok(m) => (true, m),
            Err(e) => (false, e),
        }))
    };
    let has_run = Signal::derive(move || stepper.view.with(Option::is_some));
    let has_machine = Signal::derive(move || machine.with(Option::is_some));

    let save_svg = move |_| {
        report(download::graph_svg().and_then(|svg| {
            download::save_text("state-machine.svg", "image/svg+xml", &svg)
                .map(|()| "Saved state-machine.svg".into())
        }))
    };
    let save_png = move |_| {
        leptos::task::spawn_local(async move {
            let r = match download::graph_svg() {
                Ok(svg) => download::save_png("state-machine.png", &svg)
                    .await
                    .map(|()| "Saved state-machine.png".to_string()),
                Err(e) => Err(e),
            };
            report(r);
        })
    };
    let save_history = move |_| {
        let text = stepper.with_session(|s| export::history_json(s.recorded()));
        report(match text {
            Some(t) => download::save_text("history.json", "application/json", &t)
                .map(|()| "Saved history.json".into()),
            None => Err("No run yet: run or step the state machine first".into()),
        })
    };
    let save_mock_config = move |_| {
        let r = machine
            .get_untracked()
            .ok_or_else(|| "Fix the definition's errors first".to_string())
            .and_then(|m| mocks.with_untracked(|t| export::mock_config_json(&m, t)))
            .and_then(|text| {
                download::save_text(export::FILE_SFN_LOCAL, "application/json", &text)
                    .map(|()| format!("Saved {}", export::FILE_SFN_LOCAL))
            });
        report(r)
    };
    // The test case's two files come from one run of the session (see core_api::export).
    let test_case = move || {
        machine
            .get_untracked()
            .ok_or_else(|| "Fix the definition's errors first".to_string())
            .and_then(|m| {
                let ty = settings.with_untracked(|s| s.workflow_type);
                input.with_untracked(|i| mocks.with_untracked(|t| export::test_case(m, i, t, ty)))
            })
    };
    let save_test_mocks = move |_| {
        report(test_case().and_then(|case| {
            download::save_text(
                export::FILE_MOCK_CONFIG,
                "application/json",
                &case.mock_config,
            )
            .map(|()| format!("Saved {}", export::FILE_MOCK_CONFIG))
        }))
    };
    let save_expectations = move |_| {
        let r = test_case().and_then(|case| {
            download::save_text(
                export::FILE_EXPECTATIONS,
                "application/json",
                &case.expectations,
            )
            .map(|()| {
                format!(
                    "Saved {}. Run it with: {}",
                    export::FILE_EXPECTATIONS,
                    case.command
                )
            })
        });
        report(r)
    };
    let save_definition = move |_| {
        let r = definition.with_untracked(|d| {
            download::save_text(export::FILE_DEFINITION, "application/json", d)
                .map(|()| format!("Saved {}", export::FILE_DEFINITION))
        });
        report(r)
    };

    view! {
        <div class="menu-wrap">
            <button class="btn" data-testid="export-button" aria-expanded=move || open.get().to_string()
                title="Save the graph, the history, the mocks or the session as a test case"
                on:click=move |_| { open.update(|o| *o = !*o); note.set(None); }>
                "Export ▾"
            </button>
            <When when=move || open.get()>
                <div class="menu export-menu" data-testid="export-menu" role="menu">
                    <div class="menu-row">
                        <span class="menu-label">"Graph"<small>"as drawn now, the current step's colours included"</small></span>
                        <button class="btn btn-small" data-testid="export-svg" on:click=save_svg>"SVG"</button>
                        <button class="btn btn-small" data-testid="export-png" on:click=save_png>"PNG"</button>
                    </div>
                    <div class="menu-row">
                        <span class="menu-label">"History"<small>"GetExecutionHistory's JSON"</small></span>
                        <button class="btn btn-small" data-testid="export-history" disabled=move || !has_run.get() on:click=save_history>"history.json"</button>
                    </div>
                    <div class="menu-row">
                        <span class="menu-label">"Mocks"<small>"Step Functions Local MockConfigFile"</small></span>
                        <button class="btn btn-small" data-testid="export-mock-config" disabled=move || !has_machine.get() on:click=save_mock_config>"MockConfigFile"</button>
                    </div>
                    <div class="menu-row">
                        <span class="menu-label">"asl test case"<small>"how this input and these mocks end, to check in CI"</small></span>
                    </div>
                    <div class="menu-row menu-row-end">
                        <button class="btn btn-small" data-testid="export-test-mocks" disabled=move || !has_machine.get() on:click=save_test_mocks title="The mocks as this test case's MockConfigFile (virtual durations kept as DurationSeconds, which asl test reads)">"MockConfigFile"</button>
                        <button class="btn btn-small" data-testid="export-expectations" disabled=move || !has_machine.get() on:click=save_expectations>"Expectations"</button>
                        <button class="btn btn-small" data-testid="export-definition" on:click=save_definition>"Definition"</button>
                    </div>
                    <code class="menu-cmd">{format!("asl test {} --definition {} --expect {}", export::FILE_MOCK_CONFIG, export::FILE_DEFINITION, export::FILE_EXPECTATIONS)}</code>
                    {move || (note.get().map(|(ok, m)| view! {
                        <div class="menu-note" class:bad=!ok data-testid="export-note">{m}</div>
                    })).into_any()}
                </div>
            </When>
        </div>
    }
}
