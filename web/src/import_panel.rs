//! Importing an execution recorded on AWS: the Import dialog (paste or drop the output of
//! `aws stepfunctions get-execution-history`, and optionally `describe-execution`'s for the
//! input) replays it on the editor's definition with the stepper and inspector; the recording
//! bar above the stepper marks the session "recorded on AWS" and offers to derive mocks from it
//! (into the Mocks tab, or as a MockConfigFile) and to compare a simulation with it, the first
//! divergence marked on the graph and described.
//!
//! Reading, replaying, deriving and comparing are asl-core's (`recorded`, through
//! [`core_api::recorded`]); this module holds the texts and shows the results.

use asl_core::recorded::DivergenceKind;
use leptos::prelude::*;

use crate::when::When;

use crate::core_api::recorded::{self, ComparisonView};
use crate::core_api::stepper::Session;
use crate::core_api::{self, Settings};
use crate::download;
use crate::results::Tab;
use crate::stepping::Stepper;

/// A divergence's kind in a few words (the core's message says the rest).
fn what_differs(kind: DivergenceKind) -> &'static str {
    match kind {
        DivergenceKind::State => "a different state",
        DivergenceKind::Type => "a different event",
        DivergenceKind::Input => "the input differs",
        DivergenceKind::Output => "the output differs",
        DivergenceKind::Variables => "the variables assigned differ",
        DivergenceKind::Error => "the error differs",
        DivergenceKind::Cause => "the cause differs",
        DivergenceKind::Missing => "the simulation stopped before the recording did",
        DivergenceKind::Extra => "the simulation went on after the recording ended",
    }
}

/// The Import button and its dialog.
#[component]
pub fn ImportButton(
    stepper: Stepper,
    definition: RwSignal<String>,
    input: RwSignal<String>,
    settings: RwSignal<Settings>,
    tab: RwSignal<Tab>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <button class="btn" data-testid="import-button" title="Replay an execution recorded on AWS (get-execution-history output) on this definition"
            on:click=move |_| open.set(true)>"Import"</button>
        <When when=move || open.get()>
            <ImportDialog stepper=stepper definition=definition input=input settings=settings
                tab=tab close=move || open.set(false)/>
        </When>
    }
}

#[component]
fn ImportDialog(
    stepper: Stepper,
    definition: RwSignal<String>,
    input: RwSignal<String>,
    settings: RwSignal<Settings>,
    tab: RwSignal<Tab>,
    close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let history = RwSignal::new(String::new());
    let describe = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let on_escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            close();
        }
    });
    on_cleanup(move || on_escape.remove());
    let replay = move |_| {
        let s = settings.get_untracked();
        let Some(machine) = definition.with_untracked(|t| core_api::analyze(t, &s).machine) else {
            problem.set(Some(
                "The definition in the editor has errors: fix them (or paste the recorded execution's definition) first.".into(),
            ));
            return;
        };
        let imported = history
            .with_untracked(|h| describe.with_untracked(|d| recorded::import(&machine, h, d)));
        match imported {
            Err(e) => problem.set(Some(e.to_string())),
            Ok(rec) => {
                let recorded_input = rec.input.to_json_pretty();
                stepper.load(Session::replay(machine, rec, s.workflow_type));
                // The recorded input becomes the session's, for a simulation of it (a replay
                // outlives a change of the input).
                input.set(recorded_input);
                tab.set(Tab::History);
                close();
            }
        }
    };
    view! {
        <div class="gallery-backdrop" on:click=move |_| close()>
            <div class="gallery import" data-testid="import-dialog" role="dialog" aria-label="Import a recorded execution" on:click=|ev| ev.stop_propagation()>
                <header class="gallery-head">
                    <h2>"Import a real execution"</h2>
                    <button class="btn btn-icon" aria-label="Close" on:click=move |_| close()>"✕"</button>
                </header>
                <div class="import-body">
                    <p class="muted">"Paste or drop what the AWS CLI prints. It is replayed on the definition in the editor, with the stepper and the inspector; nothing leaves the browser."</p>
                    <label class="import-field">
                        <span><code>"aws stepfunctions get-execution-history --execution-arn …"</code></span>
                        <TextDrop text=history testid="import-history" placeholder="{\"events\": [ … ]}"/>
                    </label>
                    <label class="import-field">
                        <span><code>"aws stepfunctions describe-execution --execution-arn …"</code>" (optional: the input, the execution's names)"</span>
                        <TextDrop text=describe testid="import-describe" placeholder="{\"executionArn\": …, \"input\": …}"/>
                    </label>
                    {move || (problem.get().map(|p| view! { <div class="run-error" data-testid="import-error">{p}</div> })).into_any()}
                    <div class="import-actions">
                        <button class="btn btn-primary" data-testid="import-replay" on:click=replay
                            disabled=move || history.with(|h| h.trim().is_empty())>"Replay on the graph"</button>
                    </div>
                </div>
            </div>
        </div>
    }
}

/// A text area that also takes a dropped file's text.
#[component]
fn TextDrop(
    text: RwSignal<String>,
    testid: &'static str,
    placeholder: &'static str,
) -> impl IntoView {
    view! {
        <textarea class="import-text" data-testid=testid spellcheck="false" placeholder=placeholder
            prop:value=move || text.get()
            on:input=move |ev| text.set(event_target_value(&ev))
            on:dragover=|ev| ev.prevent_default()
            on:drop=move |ev| {
                let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) else { return };
                ev.prevent_default();
                leptos::task::spawn_local(async move {
                    if let Ok(t) = wasm_bindgen_futures::JsFuture::from(file.text()).await
                        && let Some(t) = t.as_string()
                    {
                        text.set(t);
                    }
                });
            }></textarea>
    }
}

/// Above the stepper while a recorded execution is replayed: its badge, and Derive mocks and
/// Compare with their results.
#[component]
pub fn RecordingBar(
    stepper: Stepper,
    mocks: RwSignal<String>,
    tab: RwSignal<Tab>,
) -> impl IntoView {
    let replaying = Memo::new(move |_| {
        stepper
            .view
            .with(|v| v.as_ref().is_some_and(|v| v.recorded_on_aws))
    });
    view! {
        <When when=move || replaying.get()>
            <RecordingTools stepper=stepper mocks=mocks tab=tab/>
        </When>
    }
}

#[component]
fn RecordingTools(stepper: Stepper, mocks: RwSignal<String>, tab: RwSignal<Tab>) -> impl IntoView {
    let comparison = RwSignal::new(None::<Result<ComparisonView, String>>);
    let notes = RwSignal::new(
        stepper
            .with_session(|s| s.recording().map(|r| r.warnings.clone()))
            .flatten()
            .unwrap_or_default(),
    );
    let summary = move || {
        stepper
            .with_session(|s| {
                s.recording()
                    .map(|r| format!("{} events · {}", r.events.len(), r.status()))
            })
            .flatten()
            .unwrap_or_default()
    };
    let derive = move |_| {
        let derived = stepper
            .with_session(|s| {
                s.recording()
                    .map(|r| recorded::derive_mocks(s.machine(), r))
            })
            .flatten();
        if let Some((text, more)) = derived {
            mocks.set(text);
            comparison.set(None);
            stepper.diverged.set(None);
            notes.update(|n| n.extend(more));
            tab.set(Tab::Mocks);
        }
    };
    let save_config = move |_| {
        let text = stepper
            .with_session(|s| {
                s.recording()
                    .map(|r| recorded::derived_mock_config(s.machine(), r))
            })
            .flatten();
        if let Some(text) = text
            && let Err(e) = download::save_text("recorded.mocks.json", "application/json", &text)
        {
            notes.update(|n| n.push(e));
        }
    };
    let compare = move |_| {
        let result = stepper
            .with_session(|s| {
                s.recording()
                    .map(|r| mocks.with_untracked(|m| recorded::compare(s.machine().clone(), r, m)))
            })
            .flatten();
        if let Some(r) = result {
            stepper.diverged.set(
                r.as_ref()
                    .ok()
                    .and_then(|c| c.divergence.as_ref())
                    .and_then(|d| d.path.clone()),
            );
            comparison.set(Some(r));
        }
    };
    view! {
        <div class="recording-bar" data-testid="recording-bar">
            <span class="badge badge-aws" data-testid="recorded-badge" title="These events were recorded on AWS: stepping moves through them, nothing is executed">"recorded on AWS"</span>
            <span class="muted">{move || summary()}</span>
            <button class="btn btn-small" data-testid="derive-mocks" title="Every task's recorded result or error, in order, into the Mocks tab" on:click=derive>"Derive mocks"</button>
            <button class="btn btn-small" data-testid="derived-mock-config" title="The same mocks as a Step Functions Local MockConfigFile" on:click=save_config>"as MockConfigFile"</button>
            <button class="btn btn-small" data-testid="compare" title="Simulate the recorded input with the Mocks tab's mocks and compare, event by event" on:click=compare>"Compare"</button>
            {move || comparison.get().map(|c| match c {
                Err(e) => view! { <span class="compare-result bad" data-testid="compare-result" data-diverged="error">{e}</span> }.into_any(),
                Ok(c) => match c.divergence {
                    None => view! {
                        <span class="compare-result ok" data-testid="compare-result" data-diverged="false">
                            {format!("✓ No divergence: all {} events match the simulation ({})", c.recorded_events, c.simulated_status)}
                        </span>
                    }.into_any(),
                    Some(d) => {
                        let at = d.recorded_event;
                        view! {
                            <span class="compare-result bad" data-testid="compare-result" data-diverged="true" data-state=d.path.as_deref().unwrap_or("").to_string()>
                                {format!("✗ First divergence{}{}: {}",
                                    at.map(|e| format!(" at event {e}")).unwrap_or_default(),
                                    d.state.as_deref().map(|s| format!(" ({s})")).unwrap_or_default(),
                                    what_differs(d.kind))}
                            </span>
                            {at.map(|e| view! {
                                <button class="btn btn-small" data-testid="divergence-go" title="Show the recording at that event" on:click=move |_| stepper.go_to_event(e)>"Go there"</button>
                            })}
                            <details class="compare-detail">
                                <summary>"what the recording and the simulation have there"</summary>
                                <div class="compare-message" data-testid="divergence-message">{d.message}</div>
                            </details>
                        }.into_any()
                    }
                },
            })}
            {move || ((!notes.with(Vec::is_empty)).then(|| view! {
                <ul class="recording-notes" data-testid="recording-notes">
                    {notes.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                </ul>
            })).into_any()}
        </div>
    }
}
