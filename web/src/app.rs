//! The root component: the page's layout (header, editor with its problems list, graph, stepper,
//! results) and the app state that ties them together — the three texts (definition, input,
//! mocks), their persistence, the debounced analysis of the definition, the stepper session and
//! its keys (→ ← step, Shift+→/← by state, Space plays or pauses, Home/End, Esc stops).

use std::time::Duration;

use leptos::prelude::*;

use crate::when::When;

use std::sync::Arc;

use asl_core::model::StateMachine;

use crate::core_api::{self, Analysis, Diagnostic, RunView, Settings, Severity};
use crate::editor::{Editor, Goto, Hover};
use crate::examples::{self, Example};
use crate::export::ExportMenu;
use crate::graph_view::GraphPane;
use crate::import_panel::{ImportButton, RecordingBar};
use crate::results::{ResultsPane, Tab};
use crate::share::{ShareButtons, ShareCx, ShareLayer};
use crate::stepper_bar::StepperBar;
use crate::stepping::Stepper;
use crate::storage::{self, Key};
use crate::tabs::StorageNotices;
use crate::theme;
use crate::timing;
use asl_core::workflow::WorkflowType;

/// How long typing must pause before the definition is analysed again.
const DEBOUNCE: Duration = Duration::from_millis(200);
/// How long typing must pause before the texts are saved (see `save` in [`App`]).
const SAVE_DELAY: Duration = Duration::from_millis(300);
/// How long the cursor must rest before the field under it is explained.
const CURSOR_REST: Duration = Duration::from_millis(150);

#[component]
pub fn App() -> impl IntoView {
    // The texts: what was saved, else the first example (so a first visit never shows an empty graph).
    let first = examples::by_id(examples::FIRST);
    let saved_or = |key: Key, pick: fn(&Example) -> String| {
        storage::get(key).unwrap_or_else(|| first.as_ref().map(pick).unwrap_or_default())
    };
    let definition = RwSignal::new(saved_or(Key::Definition, |e| e.definition.clone()));
    let input = RwSignal::new(saved_or(Key::Input, |e| e.input.clone()));
    let mocks = RwSignal::new(saved_or(Key::Mocks, |e| e.mocks.clone()));
    let current_example =
        RwSignal::new(storage::get(Key::Example).or_else(|| Some(examples::FIRST.to_string())));

    // The texts are saved once typing pauses, not per keystroke (in a 41 KB definition the
    // compare-and-set read and the write of the whole text were most of the input handler's own
    // work), and at once when the page is hidden or left, so nothing typed is lost on a reload
    // or a closed tab; after a crash, boot.js saves what the textareas hold.
    let unsaved = StoredValue::new(Vec::<Key>::new());
    let save = move || {
        for key in unsaved.try_update_value(std::mem::take).unwrap_or_default() {
            let text = match key {
                Key::Input => input,
                Key::Mocks => mocks,
                _ => definition,
            };
            text.with_untracked(|t| storage::set(key, t));
        }
    };
    let save_later = timing::debounce(SAVE_DELAY, save);
    for (key, text) in [
        (Key::Definition, definition),
        (Key::Input, input),
        (Key::Mocks, mocks),
    ] {
        Effect::new(move |prev: Option<()>| {
            text.track();
            unsaved.update_value(|u| {
                if !u.contains(&key) {
                    u.push(key);
                }
            });
            if prev.is_none() {
                save();
            } else {
                save_later();
            }
        });
    }
    // `pagehide` comes on a reload, a navigation and a closed tab (a `beforeunload` listener
    // would add nothing, and keeps pages out of some browsers' back/forward cache);
    // `visibilitychange` (fired at the document, it bubbles to the window) on a tab put in the
    // background, which the browser may discard without a `pagehide`.
    let flush = [
        window_event_listener(leptos::ev::pagehide, move |_| save()),
        window_event_listener(leptos::ev::visibilitychange, move |_| save()),
    ];
    on_cleanup(move || flush.into_iter().for_each(|h| h.remove()));
    Effect::new(move |_| {
        storage::set(
            Key::Example,
            current_example.read().as_deref().unwrap_or(""),
        )
    });

    // The workflow type and the silenced lints, kept with the session.
    let settings = RwSignal::new(Settings {
        workflow_type: storage::get(Key::WorkflowType)
            .and_then(|t| t.parse().ok())
            .unwrap_or_default(),
        allow: storage::get(Key::AllowedLints)
            .map(|t| t.split(',').filter_map(core_api::code_named).collect())
            .unwrap_or_default(),
        substitutions: storage::get(Key::Substitutions)
            .and_then(|t| asl_core::placeholder::parse_substitutions(&t).ok())
            .unwrap_or_default(),
        logical_id: storage::get(Key::LogicalId).filter(|s| !s.is_empty()),
    });
    Effect::new(move |_| {
        settings.with(|s| {
            storage::set(Key::WorkflowType, s.workflow_type.as_str());
            let names: Vec<&str> = s.allow.iter().map(|c| c.as_str()).collect();
            storage::set(Key::AllowedLints, &names.join(","));
            storage::set(
                Key::Substitutions,
                &serde_json::to_string(&s.substitutions).unwrap_or_default(),
            );
            storage::set(Key::LogicalId, s.logical_id.as_deref().unwrap_or(""));
        })
    });

    // Analysis, debounced: the first runs at once, later ones once typing pauses.
    let analysis = RwSignal::new(
        definition.with_untracked(|t| settings.with_untracked(|s| core_api::analyze(t, s))),
    );
    // A new type or a silenced lint: analyse again at once.
    Effect::new(move |prev: Option<()>| {
        settings.track();
        if prev.is_some() {
            analysis.set(
                definition.with_untracked(|t| settings.with_untracked(|s| core_api::analyze(t, s))),
            );
        }
    });
    let last_good: RwSignal<Option<Arc<StateMachine>>> = RwSignal::new(None);
    let analyze_later = timing::debounce(DEBOUNCE, move || {
        let a = timing::measure("analyze", || {
            definition.with_untracked(|t| settings.with_untracked(|s| core_api::analyze(t, s)))
        });
        analysis.set(a);
    });
    Effect::new(move |prev: Option<()>| {
        definition.track();
        if prev.is_some() {
            analyze_later();
        }
    });
    // The graph draws the current definition whenever it has a shape, errors marked; only text
    // that is not a definition at all keeps the last drawing (marked stale).
    let last_drawable: RwSignal<Option<Arc<StateMachine>>> = RwSignal::new(None);
    Effect::new(move |_| {
        analysis.with(|a: &Analysis| {
            if let Some(m) = &a.machine {
                last_good.set(Some(m.clone()));
            }
            if let Some(m) = &a.drawable {
                last_drawable.set(Some(m.clone()));
            }
        })
    });
    let problems = Memo::new(move |_| analysis.with(|a| a.problems.clone()));
    let broken = Signal::derive(move || analysis.with(|a| a.drawable.is_some() && a.has_errors()));
    // The stepper runs the current definition (when it has no errors); any change of the
    // definition, input or mocks ends the session, except a paused task's answer saved as a mock,
    // and a change of the input or mocks while a recorded execution is replayed (it uses
    // neither: they are what Compare simulates it with).
    let stepper = Stepper::new(definition, input, mocks, settings);
    let keep_session = StoredValue::new(false);
    Effect::new(move |prev: Option<()>| {
        definition.track();
        settings.track();
        if prev.is_some() {
            stepper.reset();
        }
    });
    Effect::new(move |prev: Option<()>| {
        input.track();
        mocks.track();
        if prev.is_some() {
            if keep_session.get_value() {
                keep_session.set_value(false);
            } else if !stepper.replaying() {
                stepper.reset();
            }
        }
    });
    Effect::new(move |_| {
        analysis.track();
        if analysis.with_untracked(|a| a.machine.is_none()) {
            stepper.reset();
        }
    });
    let can_run = Signal::derive(move || analysis.with(|a| a.machine.is_some()));
    let run: Signal<Option<RunView>> = Signal::derive(move || {
        stepper
            .invalid
            .get()
            .or_else(|| stepper.view.with(|v| v.as_ref().map(|v| v.run.clone())))
    });

    // A memo: an analysis with the same diagnostics (most keystrokes) repaints nothing.
    let diagnostics = Memo::new(move |_| analysis.with(|a| a.diagnostics.clone()));
    let stale = Signal::derive(move || {
        analysis.with(|a| a.drawable.is_none()) && last_drawable.with(Option::is_some)
    });

    // Read once per choice of example, not per keystroke (it parses and prints every example).
    let example =
        Memo::new(move |_| current_example.with(|id| id.as_deref().and_then(examples::by_id)));

    let goto = RwSignal::new(None::<Goto>);
    let cursor = RwSignal::new((1usize, 1usize));
    let hover = RwSignal::new(None::<Hover>);
    let tab = RwSignal::new(Tab::Input);
    let gallery_open = RwSignal::new(false);
    // Share links, deep links and embeds (crate::share): reads and restores these signals.
    let share = ShareCx::new(
        definition,
        input,
        mocks,
        settings,
        current_example,
        stepper,
        tab,
    );

    let theme_sig = RwSignal::new(theme::initial());
    theme::apply(theme_sig.get_untracked(), false);
    let dark = Signal::derive(move || theme_sig.get() == theme::Theme::Dark);
    let toggle_theme = move |_| {
        let t = theme_sig.get_untracked().toggled();
        theme_sig.set(t);
        theme::apply(t, true);
    };

    let on_run = move |_: ()| {
        // The analysis may lag the text by the debounce: run what is in the editor now.
        let a = definition.with_untracked(|t| settings.with_untracked(|s| core_api::analyze(t, s)));
        if a.machine.is_some() {
            analysis.set(a);
            stepper.reset();
            stepper.run();
            tab.set(Tab::Output);
        }
    };

    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) && can_run.get_untracked() {
            ev.prevent_default();
            on_run(());
            return;
        }
        if ev.ctrl_key()
            || ev.meta_key()
            || ev.alt_key()
            || typing_in(&ev)
            || !can_run.get_untracked()
        {
            return;
        }
        let shift = ev.shift_key();
        match ev.key().as_str() {
            "ArrowRight" if shift => stepper.step_state(),
            "ArrowRight" => stepper.step(),
            "ArrowLeft" if shift => stepper.back_state(),
            "ArrowLeft" => stepper.back(),
            " " => stepper.toggle_play(),
            "Home" => stepper.home(),
            "End" => stepper.run(),
            "Escape" => stepper.stop(),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || keys.remove());

    let load_example = move |e: Example| {
        definition.set(e.definition);
        input.set(e.input);
        mocks.set(e.mocks);
        current_example.set(Some(e.id.to_string()));
        gallery_open.set(false);
        tab.set(Tab::Input);
    };

    view! {
        <div class="app">
            <header class="topbar">
                <div class="brand">
                    <Logo/>
                    <span class="brand-name">"ASL Playground"</span>
                    <span class="brand-sub">"Step Functions, in your browser"</span>
                </div>
                <div class="actions">
                    <label class="type-switch" title="The workflow type: Standard (exactly-once, 25,000-event history, up to a year) or Express (at-least-once, no history quota, five minutes)">
                        <select data-testid="workflow-type" on:change=move |ev| {
                            let ty = if event_target_value(&ev) == "EXPRESS" { WorkflowType::Express } else { WorkflowType::Standard };
                            settings.update(|s| s.workflow_type = ty);
                        }>
                            <option value="STANDARD" selected=move || settings.with(|s| s.workflow_type == WorkflowType::Standard)>"Standard"</option>
                            <option value="EXPRESS" selected=move || settings.with(|s| s.workflow_type == WorkflowType::Express)>"Express"</option>
                        </select>
                    </label>
                    <ShareButtons cx=share/>
                    <button class="btn" data-testid="examples-button" on:click=move |_| gallery_open.update(|o| *o = !*o)>
                        "Examples"
                    </button>
                    <ImportButton stepper=stepper definition=definition input=input settings=settings tab=tab/>
                    <ExportMenu stepper=stepper definition=definition input=input mocks=mocks settings=settings machine=last_good.into()/>
                    <button
                        class="btn btn-primary"
                        data-testid="run-button"
                        disabled=move || !can_run.get()
                        title=move || String::from(if can_run.get() { "Run the state machine: mocked tasks, virtual clock (Ctrl+Enter)" } else { "Fix the definition's errors to run it" })
                        on:click=move |_| on_run(())
                    >
                        "▶ Run"
                    </button>
                    <button
                        class="btn btn-icon"
                        data-testid="theme-toggle"
                        aria-label="Toggle dark mode"
                        title="Toggle dark mode"
                        on:click=toggle_theme
                    >
                        {move || String::from(if theme_sig.get() == theme::Theme::Dark { "☀" } else { "☾" })}
                    </button>
                </div>
            </header>

            <When when=move || gallery_open.get()>
                <Gallery on_pick=load_example current=current_example close=move || gallery_open.set(false)/>
            </When>
            <ShareLayer cx=share/>

            <main class="workspace">
                <section class="pane editor-pane" aria-label="Definition"
                    on:dragover=|ev| ev.prevent_default()
                    on:drop=move |ev| drop_file(ev, definition)>
                    <header class="pane-head">
                        <h2>"Definition"</h2>
                        {move || (analysis.with(|a| a.yaml).then(|| view! { <span class="badge" data-testid="format-yaml" title="Read as YAML (a definition or a SAM/CloudFormation template)">"YAML"</span> })).into_any()}
                        <span class="muted" data-testid="example-name">
                            // The example's title only while the text is the example's: a
                            // definition pasted over it, dropped or imported is not that example.
                            {move || example.with(|e| e.as_ref()
                                .filter(|e| definition.with(|d| *d == e.definition))
                                .map(|e| e.title.clone()).unwrap_or_default())}
                        </span>
                    </header>
                    <Editor text=definition diagnostics=Signal::from(diagnostics) goto=goto cursor=cursor hover=hover testid="definition-editor" label="State machine definition (ASL JSON)"/>
                    <Problems diagnostics=diagnostics.into() goto=goto definition=definition settings=settings/>
                    <Placeholders analysis=analysis settings=settings goto=goto/>
                    <FieldDoc definition=definition cursor=cursor/>
                    <HoverDoc definition=definition hover=hover/>
                    <footer class="statusbar">
                        <span data-testid="cursor">{move || { let (l, c) = cursor.get(); format!("Ln {l}, Col {c}") }}</span>
                        <span>{move || definition.with(|t| format!("{} lines", t.split('\n').count()))}</span>
                    </footer>
                </section>
                <div class="right">
                    <GraphPane machine=last_drawable.into() stale=stale broken=broken problems=problems.into() dark=dark stepper=stepper tab=tab/>
                    <RecordingBar stepper=stepper mocks=mocks tab=tab/>
                    <StepperBar stepper=stepper can_run=can_run/>
                    <ResultsPane input=input mocks=mocks tab=tab run=run machine=last_good.into() stepper=stepper keep_session=keep_session definition=definition settings=settings goto=goto/>
                </div>
            </main>
            <StorageNotices definition=definition input=input mocks=mocks/>
        </div>
    }
}

/// A file dropped on the editor (a JSON or YAML definition, a SAM/CloudFormation template)
/// replaces its text; the core reads whichever it is.
fn drop_file(ev: leptos::ev::DragEvent, definition: RwSignal<String>) {
    let Some(file) = ev
        .data_transfer()
        .and_then(|d| d.files())
        .and_then(|f| f.get(0))
    else {
        return;
    };
    ev.prevent_default();
    leptos::task::spawn_local(async move {
        if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await
            && let Some(text) = text.as_string()
        {
            definition.set(text);
        }
    });
}

/// Whether a key event is typing into a field (the stepper's keys then stay out of the way).
fn typing_in(ev: &leptos::ev::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.closest("[contenteditable]").ok().flatten().is_some()
        })
}

/// The problems list under the editor; clicking one moves the cursor to it. A lint can be
/// allowed for the session, and a quick fix applied.
#[component]
fn Problems(
    diagnostics: Signal<Vec<Diagnostic>>,
    goto: RwSignal<Option<Goto>>,
    definition: RwSignal<String>,
    settings: RwSignal<Settings>,
) -> impl IntoView {
    view! {
        <div class="problems" data-testid="problems">
            {move || {
                let ds = diagnostics.get();
                if ds.is_empty() {
                    view! { <div class="problem ok" data-testid="no-problems">"✓ No problems"</div> }.into_any()
                } else {
                    ds.into_iter().map(|d| {
                        let (line, column) = (d.line, d.column);
                        let sev = if d.severity == Severity::Error { "error" } else { "warning" };
                        let info = d.lint.then(|| core_api::lint_info(&d.code)).flatten();
                        let code = d.code.clone();
                        view! {
                            <div class=format!("problem {sev}") data-testid="problem" data-line=line data-column=column data-code=d.code.clone()>
                                <button class="problem-go" on:click=move |_| goto.set(Some(Goto { line, column }))>
                                    <span class="problem-pos">{format!("{line}:{column}")}</span>
                                    <span class="problem-code">{d.code.clone()}</span>
                                    <span class="problem-msg">{d.message.clone()}</span>
                                </button>
                                {d.fix.map(|f| {
                                    let title = f.title.clone();
                                    view! {
                                        <button class="btn btn-small" data-testid="apply-fix" title=title.clone()
                                            on:click=move |_| definition.update(|t| *t = f.apply(t))>"Fix"</button>
                                    }
                                })}
                                {info.map(|i| view! {
                                    <a class="lint-doc" href=i.docs_url target="_blank" rel="noopener noreferrer" title=i.explanation>"why?"</a>
                                    <button class="btn btn-small" data-testid="allow-lint" title="Silence this lint in this session"
                                        on:click=move |_| {
                                            if let Some(c) = core_api::code_named(&code) {
                                                settings.update(|s| if !s.allow.contains(&c) { s.allow.push(c) });
                                            }
                                        }>"Allow"</button>
                                })}
                            </div>
                        }
                    }).collect_view().into_any()
                }
            }}
        </div>
    }
}

/// A template's placeholders (`${Name}`): one row per name with a value to fill in (kept with
/// the session, as CloudFormation's DefinitionSubstitutions), and the state machine picker of a
/// template with several.
#[component]
fn Placeholders(
    analysis: RwSignal<Analysis>,
    settings: RwSignal<Settings>,
    goto: RwSignal<Option<Goto>>,
) -> impl IntoView {
    let rows = Memo::new(move |_| analysis.with(|a| a.placeholders.clone()));
    let machines =
        Memo::new(move |_| analysis.with(|a| (a.state_machines.clone(), a.logical_id.clone())));
    view! {
        <When when=move || !machines.with(|m| m.0.is_empty())>
            <div class="placeholders">
                <label>"State machine "
                    <select data-testid="logical-id" on:change=move |ev| {
                        let id = event_target_value(&ev);
                        settings.update(|s| s.logical_id = Some(id));
                    }>
                        {move || ({ let (ids, current) = machines.get(); ids.into_iter().map(|id| {
                            let selected = current.as_deref() == Some(id.as_str());
                            view! { <option value=id.clone() selected=selected>{id.clone()}</option> }
                        }).collect_view() }).into_any()}
                    </select>
                </label>
            </div>
        </When>
        <When when=move || !rows.with(Vec::is_empty)>
            <div class="placeholders" data-testid="placeholders">
                <div class="placeholders-head">"Template placeholders: give values to check and run what depends on them"</div>
                {move || (rows.get().into_iter().map(|r| {
                    let name = r.name.clone();
                    let key = r.name.clone();
                    let (line, column) = (r.line, r.column);
                    view! {
                        <div class="placeholder-row" data-testid="placeholder" data-name=r.name.clone()>
                            <button class="problem-pos" title="Go to its first use" on:click=move |_| goto.set(Some(Goto { line, column }))>{format!("{line}:{column}")}</button>
                            <code>{format!("${{{}}}", r.name)}</code>
                            {(r.count > 1).then(|| view! { <span class="muted">{format!("×{}", r.count)}</span> })}
                            <input type="text" data-testid="placeholder-value" placeholder=r.deploy_time.clone().map(|d| format!("deploy time: {d}")).unwrap_or_else(|| "value".into())
                                prop:value=move || settings.with(|s| s.substitutions.get(&name).cloned().unwrap_or_default())
                                on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    let key = key.clone();
                                    // An emptied value is left out by rebuilding the map (`extend` and
                                    // `into_iter`, which loading a definition uses too), not `remove`: the
                                    // B-tree's remove and rebalancing code would be in the wasm for this alone.
                                    settings.update(|s| if v.is_empty() {
                                        let old = std::mem::take(&mut s.substitutions);
                                        s.substitutions.extend(old.into_iter().filter(|(k, _)| *k != key));
                                    } else {
                                        s.substitutions.insert(key, v);
                                    });
                                }/>
                        </div>
                    }
                }).collect_view()).into_any()}
            </div>
        </When>
    }
}

/// Hovering a field or a state type explains it, beside the mouse.
#[component]
fn HoverDoc(definition: RwSignal<String>, hover: RwSignal<Option<Hover>>) -> impl IntoView {
    let at = Memo::new(move |_| hover.get().map(|h| (h.line, h.column)));
    let doc = Memo::new(move |_| {
        at.get().and_then(|(line, column)| {
            definition.with_untracked(|t| {
                let line_text = t.split('\n').nth(line - 1)?;
                // Only over text (not past a line's end).
                (column <= line_text.chars().count()).then_some(())?;
                crate::editor::byte_offset(t, line, column).and_then(|o| core_api::field_doc(t, o))
            })
        })
    });
    let show = move || {
        let (Some(d), Some(h)) = (doc.get(), hover.get()) else {
            return None;
        };
        let name = d.field.clone().or(d.state_type.clone()).unwrap_or_default();
        Some(view! {
            <div class="hover-doc" data-testid="hover-doc" role="tooltip"
                style=format!("left:{}px;top:{}px", asl_core::float_fmt::display(h.x + 12.0), asl_core::float_fmt::display(h.y + 16.0))>
                <b>{name}</b>" "{d.doc.clone()}
                {d.default.clone().map(|v| view! { <div class="muted">{format!("Default: {v}")}</div> })}
            </div>
        })
    };
    view! { {move || show().into_any()} }
}

/// What the field at the cursor means, from the core's field docs: once the cursor rests (finding
/// the field parses the whole definition, which is no work for every keystroke).
#[component]
fn FieldDoc(definition: RwSignal<String>, cursor: RwSignal<(usize, usize)>) -> impl IntoView {
    let rested = RwSignal::new(cursor.get_untracked());
    let rest = timing::debounce(CURSOR_REST, move || rested.set(cursor.get_untracked()));
    Effect::new(move |prev: Option<()>| {
        cursor.track();
        if prev.is_some() {
            rest();
        }
    });
    let doc = Memo::new(move |_| {
        let (line, column) = rested.get();
        definition.with_untracked(|t| {
            crate::editor::byte_offset(t, line, column).and_then(|o| core_api::field_doc(t, o))
        })
    });
    let show = move || {
        doc.get().map(|d| {
            let name = match (&d.state_type, &d.field) {
                (Some(t), Some(f)) => format!("{t} · {f}"),
                (Some(t), None) => t.clone(),
                (None, Some(f)) => f.clone(),
                (None, None) => String::new(),
            };
            view! {
                <div class="field-doc" data-testid="field-doc">
                    <b>{name}</b>" "{d.doc.clone()}
                    {d.default.clone().map(|v| view! { <span class="muted">{format!(" Default: {v}.")}</span> })}
                    " "<a href=d.docs_url.clone() target="_blank" rel="noopener noreferrer">"AWS docs"</a>
                </div>
            }
        })
    };
    view! { {move || show().into_any()} }
}

/// The examples gallery: a panel of cards, one per example.
#[component]
fn Gallery(
    on_pick: impl Fn(Example) + Copy + Send + Sync + 'static,
    current: RwSignal<Option<String>>,
    close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let on_escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            close();
        }
    });
    on_cleanup(move || on_escape.remove());
    view! {
        <div class="gallery-backdrop" on:click=move |_| close()>
            <div class="gallery" data-testid="gallery" role="dialog" aria-label="Examples" on:click=|ev| ev.stop_propagation()>
                <header class="gallery-head">
                    <h2>"Examples"</h2>
                    <button class="btn btn-icon" aria-label="Close" on:click=move |_| close()>"✕"</button>
                </header>
                <div class="cards">
                    {examples::all().into_iter().map(|e| {
                        let id = e.id;
                        let picked = e.clone();
                        view! {
                            <button class="card" class:current=move || current.get().as_deref() == Some(id)
                                data-testid=format!("example-{id}") on:click=move |_| on_pick(picked.clone())>
                                <span class="card-title">{e.title}</span>
                                <span class="card-desc">{e.description}</span>
                            </button>
                        }
                    }).collect_view()}
                </div>
            </div>
        </div>
    }
}

/// The brand mark (the favicon's drawing, inline so it needs no request).
#[component]
fn Logo() -> impl IntoView {
    view! {
        <svg class="logo" viewBox="0 0 32 32" width="26" height="26" aria-hidden="true">
            <rect width="32" height="32" rx="7" fill="#4f46e5"></rect>
            <circle cx="9" cy="9" r="3.2" fill="#fff"></circle>
            <circle cx="23" cy="16" r="3.2" fill="#fff"></circle>
            <circle cx="9" cy="23" r="3.2" fill="#fff"></circle>
            <path d="M11.5 10.5 20.5 15M20.5 17 11.5 21.5" stroke="#fff" stroke-width="2" stroke-linecap="round"></path>
        </svg>
    }
}
