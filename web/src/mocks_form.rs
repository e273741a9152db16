//! The Mocks tab: a form with one row per Task state of the definition (nested ones included),
//! and the raw JSON view. Both edit the same mocks text; the form reads it through the core
//! ([`core_api::read_mocks_file`]) and writes every change back through it
//! ([`core_api::edit_mocks`]), so the JSON view always shows what the form did. Owns only the
//! widgets and which view is open.

use std::sync::Arc;

use asl_core::model::StateMachine;
use leptos::prelude::*;

use crate::when::When;

use crate::core_api::{
    self, EntryKind, MockEdit, MockEntry, MockRow, MockSource, MocksText, TaskSlot,
};
use crate::editor::Editor;

/// Which view of the mocks is open.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MocksView {
    Form,
    Json,
}

#[component]
pub fn MocksPane(
    mocks: RwSignal<String>,
    /// The last definition without errors (its Task states are the form's rows).
    machine: Signal<Option<Arc<StateMachine>>>,
    view: RwSignal<MocksView>,
) -> impl IntoView {
    let parsed = Memo::new(move |_| mocks.with(|t| core_api::read_mocks_file(t)));
    let tasks = Memo::new(move |_| {
        machine.with(|m| m.as_deref().map(core_api::task_states).unwrap_or_default())
    });
    let unused = Memo::new(move |_| {
        machine.with(|m| {
            m.as_deref()
                .map(|m| mocks.with(|t| core_api::unused_mocks(t, m)))
                .unwrap_or_default()
        })
    });
    let diagnostics = Signal::derive(move || {
        parsed.with(|p| match p {
            MocksText::Invalid(d) => vec![d.clone()],
            _ => Vec::new(),
        })
    });
    let seg = move |v: MocksView, label: &'static str, id: &'static str| {
        view! {
            <button class="seg-btn" class:on=move || view.get() == v data-testid=id
                aria-pressed=move || (view.get() == v).to_string() on:click=move |_| view.set(v)>
                {label}
            </button>
        }
    };
    view! {
        <div class="mocks-bar">
            <div class="seg">
                {seg(MocksView::Form, "Form", "mocks-view-form")}
                {seg(MocksView::Json, "JSON", "mocks-view-json")}
            </div>
            <MocksStatus parsed=parsed/>
        </div>
        {move || match view.get() {
            MocksView::Form => view! { <MocksForm mocks=mocks parsed=parsed tasks=tasks view=view/> }.into_any(),
            MocksView::Json => view! {
                <p class="hint">
                    <code>"{\"State\": {\"Return\": …}}"</code>
                    ", "
                    <code>"{\"Throw\": {\"Error\": …, \"Cause\": …}}"</code>
                    ", numbered calls "
                    <code>"{\"0-1\": …, \"2\": …}"</code>
                    ", or a Step Functions Local MockConfigFile."
                </p>
                <Editor text=mocks diagnostics=diagnostics testid="mocks-editor" label="Task mocks (JSON)"/>
            }.into_any(),
        }}
        <When when=move || unused.with(|u| !u.is_empty())>
            <ul class="mock-warnings" data-testid="mock-warnings">
                {move || (unused.get().into_iter().map(|w| view! { <li>{w}</li> }).collect_view()).into_any()}
            </ul>
        </When>
    }
}

/// One line saying how the core read the mocks text.
#[component]
fn MocksStatus(parsed: Memo<MocksText>) -> impl IntoView {
    view! {
        <span class="mock-status" data-testid="mocks-status">
            {move || parsed.with(|p| match p {
                MocksText::Native(m) => {
                    let n = m.by_state.len() + m.by_resource.len();
                    view! { <span class="ok">{format!("✓ {n} mock{}", if n == 1 { "" } else { "s" })}</span> }.into_any()
                }
                MocksText::Config { case: Some((machine, case)), mocks: Ok(_) } => view! {
                    <span>{format!("MockConfigFile: test case “{case}” of “{machine}”")}</span>
                }.into_any(),
                MocksText::Config { mocks, .. } => view! {
                    <span class="err">{format!("MockConfigFile: {}", mocks.as_ref().err().cloned().unwrap_or_default())}</span>
                }.into_any(),
                MocksText::Invalid(d) => view! {
                    <span class="err">{format!("{}:{} {}", d.line, d.column, d.message)}</span>
                }.into_any(),
            })}
        </span>
    }
}

/// The form: one row per Task state, or why there is none.
#[component]
fn MocksForm(
    mocks: RwSignal<String>,
    parsed: Memo<MocksText>,
    tasks: Memo<Vec<TaskSlot>>,
    view: RwSignal<MocksView>,
) -> impl IntoView {
    // Rows are rebuilt only when the text switches between forms, not on every edit (which
    // would take the focus from the field being typed in).
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Native,
        Config,
        Invalid,
    }
    let mode = Memo::new(move |_| {
        parsed.with(|p| match p {
            MocksText::Native(_) => Mode::Native,
            MocksText::Config { .. } => Mode::Config,
            MocksText::Invalid(_) => Mode::Invalid,
        })
    });
    let convert_error = RwSignal::new(None::<String>);
    let convert = move |_| match mocks.with_untracked(|t| core_api::convert_config(t)) {
        Ok(t) => {
            convert_error.set(None);
            mocks.set(t);
        }
        Err(e) => convert_error.set(Some(e)),
    };
    view! {
        <div class="mocks-form" data-testid="mocks-form">
            {move || match mode.get() {
                Mode::Invalid => view! {
                    <div class="mock-note err">
                        "The mocks JSON has a problem (above). "
                        <button class="link" on:click=move |_| view.set(MocksView::Json)>"Fix it in the JSON view"</button>
                    </div>
                }.into_any(),
                Mode::Config => view! {
                    <div class="mock-note">
                        "These mocks are a Step Functions Local MockConfigFile; runs use its first test case. "
                        <button class="btn btn-small" data-testid="mocks-convert" on:click=convert>"Convert to playground mocks"</button>
                        {move || (convert_error.get().map(|e| view! { <div class="err">{e}</div> })).into_any()}
                    </div>
                }.into_any(),
                Mode::Native => view! {
                    <When when=move || tasks.with(Vec::is_empty)>
                        <p class="mock-note">"This definition has no Task states: nothing to mock."</p>
                    </When>
                    <For each=move || tasks.get() key=|t| t.clone()
                        children=move |task| view! { <TaskRow task=task mocks=mocks parsed=parsed/> }/>
                }.into_any(),
            }}
        </div>
    }
}

/// One Task state's mock: its responses in call order, each a Return (JSON) or a Throw (error,
/// cause), and how many calls each answers.
#[component]
fn TaskRow(task: TaskSlot, mocks: RwSignal<String>, parsed: Memo<MocksText>) -> impl IntoView {
    let name = task.name.to_string();
    let place = task.place.clone();
    let resource = task.resource.to_string();
    let slot = StoredValue::new(task);
    let row = Memo::new(move |_| {
        parsed.with(|p| match p {
            MocksText::Native(m) => slot.with_value(|s| core_api::mock_row(m, s)),
            _ => MockRow {
                source: MockSource::None,
                entries: Vec::new(),
            },
        })
    });
    let edit = move |e: MockEdit| -> Result<(), String> {
        let t = mocks.with_untracked(|t| slot.with_value(|s| core_api::edit_mocks(t, s, e)))?;
        mocks.set(t);
        Ok(())
    };
    let error = RwSignal::new(None::<String>);
    let act = move |e: MockEdit| error.set(edit(e).err());
    let count = Memo::new(move |_| row.with(|r| r.entries.len()));
    let source = Memo::new(move |_| row.with(|r| r.source.clone()));
    view! {
        <div class="mock-row" data-testid=format!("mock-row-{name}")>
            <div class="mock-head">
                <span class="mock-name">{name.clone()}</span>
                {(!place.is_empty()).then(|| view! { <span class="mock-place">{format!("in {place}")}</span> })}
                <span class="mock-res" title=resource.clone()>{short_resource(&resource)}</span>
                {move || match source.get() {
                    MockSource::State => None,
                    MockSource::Resource => Some(view! {
                        <span class="badge" title="A Resources mock: editing it here makes one for this state only">"shared by resource"</span>
                    }.into_any()),
                    MockSource::None => Some(view! {
                        <span class="badge badge-warn">"not mocked: a run waits here"</span>
                    }.into_any()),
                }}
            </div>
            <For each=move || 0..count.get() key=|i| *i
                children=move |index| view! { <EntryEditor index=index row=row edit=edit act=act/> }/>
            <div class="mock-actions">
                <button class="btn btn-small" data-testid="mock-add-return" on:click=move |_| act(MockEdit::Add { throw: false })>
                    {move || String::from(if count.get() == 0 { "+ Return" } else { "+ then Return" })}
                </button>
                <button class="btn btn-small" data-testid="mock-add-throw" on:click=move |_| act(MockEdit::Add { throw: true })>
                    {move || String::from(if count.get() == 0 { "+ Throw" } else { "+ then Throw" })}
                </button>
                <When when=move || { count.get() > 1 }>
                    <span class="muted mock-after">"Calls past the last one fail (States.Runtime)."</span>
                </When>
            </div>
            {move || (error.get().map(|e| view! { <div class="field-error">{e}</div> })).into_any()}
        </div>
    }
}

/// The resource's last, telling part (`lambda:invoke`, `sns:publish`), or the ARN as is.
fn short_resource(arn: &str) -> String {
    match arn.strip_prefix("arn:aws:states:::") {
        Some(rest) => rest.to_string(),
        None => arn.rsplit(':').next().unwrap_or(arn).to_string(),
    }
}

/// One response of a row.
#[component]
fn EntryEditor(
    index: usize,
    row: Memo<MockRow>,
    edit: impl Fn(MockEdit) -> Result<(), String> + Copy + Send + Sync + 'static,
    act: impl Fn(MockEdit) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let entry = Memo::new(move |_| row.with(|r| r.entries.get(index).cloned()));
    let is_throw = Memo::new(move |_| {
        entry.with(|e| {
            matches!(
                e,
                Some(MockEntry {
                    kind: EntryKind::Throw { .. },
                    ..
                })
            )
        })
    });
    let calls = Memo::new(move |_| entry.with(|e| e.as_ref().and_then(|e| e.calls)));
    let calls_label = move || match calls.get() {
        None => "Every call".to_string(),
        Some((a, b)) if a == b => format!("Call {a}"),
        Some((a, b)) => format!("Calls {a}–{b}"),
    };
    let to_return = move |_| {
        if is_throw.get_untracked() {
            act(MockEdit::Return(index, "{}".into()));
        }
    };
    let to_throw = move |_| {
        if !is_throw.get_untracked() {
            act(MockEdit::Throw {
                index,
                error: "States.TaskFailed".into(),
                cause: String::new(),
            });
        }
    };
    view! {
        <div class="mock-entry" data-testid="mock-entry">
            <div class="mock-entry-head">
                <span class="mock-calls">{move || calls_label()}</span>
                <When when=move || calls.get().is_some()>
                    <label class="mock-times" title="How many consecutive calls this response answers">
                        "×"
                        <input type="number" min="1" data-testid="mock-calls"
                            prop:value=move || calls.get().map_or(1, |(a, b)| b - a + 1).to_string()
                            on:change=move |ev| {
                                if let Ok(n) = event_target_value(&ev).trim().parse::<u64>() {
                                    act(MockEdit::Calls(index, n));
                                }
                            }/>
                    </label>
                </When>
                <div class="seg seg-small">
                    <button class="seg-btn" class:on=move || !is_throw.get() data-testid="mock-kind-return" on:click=to_return>"Return"</button>
                    <button class="seg-btn" class:on=move || is_throw.get() data-testid="mock-kind-throw" on:click=to_throw>"Throw"</button>
                </div>
                <button class="btn-x" aria-label="Remove this response" title="Remove this response" data-testid="mock-remove"
                    on:click=move |_| act(MockEdit::Remove(index))>"✕"</button>
            </div>
            {move || if is_throw.get() {
                view! { <ThrowFields index=index entry=entry edit=edit/> }.into_any()
            } else {
                view! { <ReturnField index=index entry=entry edit=edit/> }.into_any()
            }}
        </div>
    }
}

/// The result JSON of a Return. The field keeps what the user typed (a draft) while it is not
/// JSON yet, and shows the parser's message; each valid value is written to the mocks at once.
#[component]
fn ReturnField(
    index: usize,
    entry: Memo<Option<MockEntry>>,
    edit: impl Fn(MockEdit) -> Result<(), String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let canonical = Memo::new(move |_| {
        entry.with(|e| match e {
            Some(MockEntry {
                kind: EntryKind::Return { json, .. },
                ..
            }) => json.clone(),
            _ => String::new(),
        })
    });
    let payload = Memo::new(move |_| {
        entry.with(|e| {
            matches!(
                e,
                Some(MockEntry {
                    kind: EntryKind::Return { payload: true, .. },
                    ..
                })
            )
        })
    });
    let draft = RwSignal::new(canonical.get_untracked());
    let problem = RwSignal::new(None::<String>);
    // A change from elsewhere (the JSON view) replaces the draft; the form's own writes don't.
    Effect::new(move |_| {
        let c = canonical.get();
        if !draft.with_untracked(|d| core_api::same_json(d, &c)) {
            draft.set(c);
            problem.set(None);
        }
    });
    let rows = move || draft.with(|d| d.lines().count().clamp(1, 8));
    view! {
        <label class="mock-field">
            <span class="mock-label">{move || String::from(if payload.get() { "Lambda function returns (ReturnPayload)" } else { "Result JSON" })}</span>
            <textarea class="mock-json" class:invalid=move || problem.with(Option::is_some) data-testid="mock-return"
                spellcheck="false" rows=rows
                prop:value=move || draft.get()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    draft.set(v.clone());
                    problem.set(edit(MockEdit::Return(index, v)).err());
                }></textarea>
        </label>
        {move || (problem.get().map(|p| view! { <div class="field-error" data-testid="mock-return-error">{p}</div> })).into_any()}
    }
}

/// The error name and cause of a Throw.
#[component]
fn ThrowFields(
    index: usize,
    entry: Memo<Option<MockEntry>>,
    edit: impl Fn(MockEdit) -> Result<(), String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let parts = Memo::new(move |_| {
        entry.with(|e| match e {
            Some(MockEntry {
                kind: EntryKind::Throw { error, cause },
                ..
            }) => (error.clone(), cause.clone()),
            _ => (String::new(), String::new()),
        })
    });
    let problem = RwSignal::new(None::<String>);
    let set = move |error: String, cause: String| {
        problem.set(
            edit(MockEdit::Throw {
                index,
                error,
                cause,
            })
            .err(),
        );
    };
    view! {
        <div class="mock-throw">
            <label class="mock-field">
                <span class="mock-label">"Error"</span>
                <input type="text" spellcheck="false" data-testid="mock-error" placeholder="States.TaskFailed"
                    prop:value=move || parts.with(|p| p.0.clone())
                    on:input=move |ev| set(event_target_value(&ev), parts.with_untracked(|p| p.1.clone()))/>
            </label>
            <label class="mock-field">
                <span class="mock-label">"Cause"</span>
                <input type="text" spellcheck="false" data-testid="mock-cause" placeholder="(optional)"
                    prop:value=move || parts.with(|p| p.1.clone())
                    on:input=move |ev| set(parts.with_untracked(|p| p.0.clone()), event_target_value(&ev))/>
            </label>
        </div>
        {move || (problem.get().map(|p| view! { <div class="field-error">{p}</div> })).into_any()}
    }
}
