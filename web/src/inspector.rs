//! The Inspect tab: a state's visits at the current event (every visit and attempt, Map
//! iterations included), the data after each processing stage with what it changed, the error
//! details (which Retry rule, the back-off, which Catch), `$$`, and the output's size against
//! AWS's 256 KiB limit; above them, any task waiting for an answer, with the form to answer it.
//!
//! Everything shown comes from asl-core (`inspect::Visit`); the component lays it out.

use std::sync::Arc;

use asl_core::error::{ErrorName, ExecError};
use asl_core::exec::PendingTask;
use asl_core::inspect::{ChangeKind, Visit, VisitOutcome};
use asl_core::value::Value;
use leptos::prelude::*;

use crate::when::When;

use crate::core_api::stepper::Answer;
use crate::core_api::{SavedAnswer, save_answer};
use crate::json_view;
use crate::stepper_bar::clock;
use crate::stepping::Stepper;

#[component]
pub fn InspectPane(
    stepper: Stepper,
    mocks: RwSignal<String>,
    keep_session: StoredValue<bool>,
) -> impl IntoView {
    let pending = Memo::new(move |_| {
        stepper
            .view
            .with(|v| v.as_ref().map(|v| v.pending.clone()).unwrap_or_default())
    });
    // The selected state's visits up to the current event (recomputed on every move).
    let visits = Memo::new(move |_| {
        let _ = stepper.view.with(|v| v.as_ref().map(|v| v.event));
        stepper
            .selected
            .get()
            .and_then(|p| stepper.with_session(|s| s.visits(&p)))
            .unwrap_or_default()
    });
    let errors_text = RwSignal::new(String::new());
    view! {
        <div class="inspect" data-testid="inspect-panel">
            {move || pending.get().into_iter().map(|t| view! { <PausedTask task=t stepper=stepper mocks=mocks keep_session=keep_session/> }).collect_view().into_any()}
            <div class="inspect-bar">
                <label class="error-bp" title="Stop running when an event reports one of these errors (States.ALL: any; States.TaskFailed: any but States.Timeout)">
                    "Break on errors "
                    <input type="text" data-testid="error-breakpoints" placeholder="e.g. States.TaskFailed"
                        prop:value=move || errors_text.get()
                        on:change=move |ev| { let t = event_target_value(&ev); stepper.set_error_breakpoints(&t); errors_text.set(t); }/>
                </label>
            </div>
            {move || match stepper.selected.get() {
                None => view! {
                    <p class="placeholder" data-testid="inspect-hint">"Click a state in the graph (or an event in History) to inspect its visits. Shift+click a state toggles a breakpoint."</p>
                }.into_any(),
                Some(path) => view! { <StateVisits path=path visits=visits stepper=stepper/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn StateVisits(path: Arc<str>, visits: Memo<Vec<Visit>>, stepper: Stepper) -> impl IntoView {
    let bp_path = path.clone();
    let is_bp = Signal::derive(move || stepper.breakpoints.with(|b| b.states.contains(&bp_path)));
    let toggle_path = path.clone();
    // The visit shown: the one picked, else the latest so far.
    let current = move || {
        visits.with(|vs| {
            let i = stepper
                .visit
                .get()
                .filter(|i| *i < vs.len())
                .or(vs.len().checked_sub(1));
            i.map(|i| (i, vs[i].clone()))
        })
    };
    view! {
        <div class="visits" data-testid="inspect-state" data-state=path.to_string()>
            <header class="inspect-head">
                <h3>{path.to_string()}</h3>
                <button class="btn btn-small" class:bp-on=move || is_bp.get() data-testid="toggle-breakpoint"
                    on:click=move |_| stepper.toggle_breakpoint(&toggle_path)>
                    {move || String::from(if is_bp.get() { "● Breakpoint set" } else { "○ Set breakpoint" })}
                </button>
            </header>
            <div class="visit-chips">
                {move || visits.with(|vs| if vs.is_empty() {
                    view! { <span class="muted" data-testid="no-visits">"Not visited yet at this event."</span> }.into_any()
                } else {
                    vs.iter().enumerate().map(|(i, v)| {
                        let label = match v.iterations.last() {
                            Some(it) => format!("#{} · iteration {it}", v.number),
                            None => format!("#{}", v.number),
                        };
                        let outcome = outcome_class(v.outcome);
                        view! {
                            <button class=format!("chip {outcome}") data-testid="visit-chip"
                                class:current=move || current().map(|c| c.0) == Some(i)
                                on:click=move |_| stepper.visit.set(Some(i))>{label}</button>
                        }
                    }).collect_view().into_any()
                })}
            </div>
            {move || current().map(|(_, v)| view! { <VisitDetail v=v/> })}
        </div>
    }
}

fn outcome_class(o: VisitOutcome) -> &'static str {
    match o {
        VisitOutcome::Running => "running",
        VisitOutcome::Succeeded => "succeeded",
        VisitOutcome::Caught => "caught",
        VisitOutcome::Failed => "failed",
    }
}

#[component]
fn VisitDetail(v: Visit) -> impl IntoView {
    let outcome = outcome_class(v.outcome);
    let meter = v.output_bytes.map(|n| {
        let pct = n as f64 * 100.0 / v.payload_limit.max(1) as f64;
        let level = if pct >= 90.0 { "meter-bad" } else if pct >= 50.0 { "meter-warn" } else { "meter-ok" };
        view! {
            <div class=format!("size-meter {level}") data-testid="size-meter" title="The output's size against AWS's 256 KiB payload limit">
                <div class="size-bar"><div class="size-fill" style=format!("width:{}%", asl_core::float_fmt::fixed(pct.min(100.0), 2))></div></div>
                <span>{format!("output {} of 256 KiB ({}%)", human_bytes(n), asl_core::float_fmt::fixed(pct, 1))}</span>
            </div>
        }
    });
    let error = v.error_details.clone().map(|d| view! {
        <div class="error-details" data-testid="error-details">
            <div><b>{d.error.as_deref().unwrap_or("").to_string()}</b>" "<span class="muted">{d.cause.as_deref().unwrap_or("").to_string()}</span></div>
            <dl>
                {d.retry_index.map(|i| view! { <dt>"retryIndex"</dt><dd data-testid="retry-index">{i}</dd> })}
                {d.retry_backoff_interval_seconds.map(|s| view! { <dt>"retryBackoffIntervalSeconds"</dt><dd>{asl_core::float_fmt::display(s)}</dd> })}
                {d.catch_index.map(|i| view! { <dt>"catchIndex"</dt><dd data-testid="catch-index">{i}</dd> })}
            </dl>
        </div>
    });
    let attempts = (v.attempts.len() > 1 || v.attempts.iter().any(|a| a.error.is_some())).then(|| {
        view! {
            <ol class="attempts" data-testid="attempts">
                {v.attempts.iter().map(|a| {
                    let text = match (&a.error, a.retry_index, a.retry_backoff_interval_seconds) {
                        (Some(e), Some(i), Some(b)) => format!("{e} ({}) → Retry[{i}] after {} s", a.cause.as_deref().unwrap_or(""), asl_core::float_fmt::display(b)),
                        (Some(e), _, _) => format!("{e} ({})", a.cause.as_deref().unwrap_or("")),
                        (None, _, _) => format!("{:?}", a.outcome).to_ascii_lowercase(),
                    };
                    view! { <li>{format!("attempt {}: {text}", a.number)}</li> }
                }).collect_view()}
            </ol>
        }
    });
    let context = v.context.clone();
    let settings = v.map_settings.clone();
    let assigned = v.assigned_variables.clone();
    let vars_before = v.variables_before.clone();
    let vars_after = v.variables_after.clone();
    view! {
        <div class="visit" data-testid="visit-detail">
            <div class="visit-meta">
                <span class=format!("badge outcome-{outcome}") data-testid="visit-outcome">{outcome}</span>
                <span class="muted">{format!("{} · events {}–{} · entered {}", v.state_type, v.entered_event, v.exited_event.unwrap_or(v.last_event), clock(v.entered_ms))}</span>
            </div>
            {error}
            {attempts}
            <div class="stages">
                {v.stages.into_iter().map(|s| {
                    let via = match (s.field, &s.expression) {
                        ("", _) => String::new(),
                        (f, Some(e)) => format!("{f}: {e}"),
                        (f, None) => f.to_string(),
                    };
                    let html = json_view::to_html(&s.value, &s.changes);
                    let chips = s.changes.iter().take(12).map(|c| {
                        let (cls, sign) = match c.kind {
                            ChangeKind::Added => ("chg-chip added", "+"),
                            ChangeKind::Removed => ("chg-chip removed", "−"),
                            ChangeKind::Changed => ("chg-chip changed", "~"),
                        };
                        let at = if c.pointer.is_empty() { "/".to_string() } else { c.pointer.clone() };
                        view! { <span class=cls>{format!("{sign}{at}")}</span> }
                    }).collect_view();
                    view! {
                        <section class="stage" data-testid="stage" data-stage=s.name>
                            <header><b>{s.name}</b><span class="stage-via">{via}</span>{chips}</header>
                            <pre class="json" data-testid="stage-value" inner_html=html></pre>
                        </section>
                    }
                }).collect_view()}
            </div>
            {settings.map(|s| view! { <div class="map-settings"><b>"Map settings "</b><code>{s.to_json_string()}</code></div> })}
            {(vars_before.is_some() || assigned.is_some()).then(|| {
                let changes = match (&vars_before, &vars_after) {
                    (Some(b), Some(a)) => asl_core::inspect::changes(b, a),
                    _ => Vec::new(),
                };
                view! {
                    <section class="stage" data-testid="variables">
                        <header><b>"variables"</b><span class="stage-via">"before → after Assign"</span></header>
                        <pre class="json" data-testid="variables-before" inner_html=json_view::to_html(&vars_before.clone().unwrap_or_else(Value::empty_object), &[])></pre>
                        <pre class="json" data-testid="variables-after" inner_html=json_view::to_html(&vars_after.clone().unwrap_or_else(Value::empty_object), &changes)></pre>
                    </section>
                }
            })}
            {meter}
            <details class="context">
                <summary>"Context object $$"</summary>
                <pre class="json" data-testid="context" inner_html=json_view::to_html(&context, &[])></pre>
            </details>
        </div>
    }
}

fn human_bytes(n: usize) -> String {
    if n < 1024 {
        format!("{n} B")
    } else {
        format!("{} KiB", asl_core::float_fmt::fixed(n as f64 / 1024.0, 1))
    }
}

/// A task waiting for an answer: what it would send, and the ways to answer it.
#[component]
fn PausedTask(
    task: PendingTask,
    stepper: Stepper,
    mocks: RwSignal<String>,
    keep_session: StoredValue<bool>,
) -> impl IntoView {
    let result = RwSignal::new("{}".to_string());
    let error = RwSignal::new("States.TaskFailed".to_string());
    let cause = RwSignal::new(String::new());
    let heartbeat_s = RwSignal::new("10".to_string());
    let save = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let token = task.token.clone();
    let state = task.state.clone();
    let resource = task.resource.clone();
    let callback = task.resource.ends_with(".waitForTaskToken") || task.heartbeat_seconds.is_some();
    let has_deadline = task.deadline().is_some();
    let params = json_view::to_html(&task.parameters, &[]);
    let answer = move |a: Answer, saved: Option<SavedAnswer<'_>>| {
        let outcome = stepper.answer(&token, a);
        if let (Ok(_), true, Some(saved)) = (&outcome, save.get_untracked(), saved) {
            match mocks.with_untracked(|m| save_answer(m, &state, &resource, saved)) {
                Ok(text) => {
                    // The session goes on with the answer given; the mock serves the next run.
                    keep_session.set_value(true);
                    mocks.set(text);
                }
                Err(e) => message.set(Some(format!("Not saved as a mock: {e}"))),
            }
        }
        if let Err(e) = outcome {
            message.set(Some(e));
        }
    };
    let answer_return = answer.clone();
    let answer_throw = answer.clone();
    let answer_hb = answer.clone();
    let answer_expire = answer;
    view! {
        <div class="paused-task" data-testid="paused-task" data-state=task.state.to_string()>
            <header>
                <b>{format!("Paused: {} is waiting for an answer", task.state)}</b>
                <span class="muted">{task.resource.to_string()}</span>
            </header>
            <div class="muted">"It would send:"</div>
            <pre class="json" data-testid="paused-request" inner_html=params></pre>
            <div class="answer-row">
                <textarea data-testid="answer-result" spellcheck="false" aria-label="Result JSON"
                    prop:value=move || result.get() on:input=move |ev| result.set(event_target_value(&ev))></textarea>
                <button class="btn btn-primary btn-small" data-testid="answer-return"
                    on:click=move |_| {
                        let text = result.get_untracked();
                        match Value::parse(&text) {
                            Ok(v) => answer_return(Answer::Result(Ok(v)), Some(SavedAnswer::Return(&text))),
                            Err(e) => message.set(Some(format!("The result is not JSON: {e}"))),
                        }
                    }>"Return result"</button>
            </div>
            <div class="answer-row">
                <input type="text" data-testid="answer-error" aria-label="Error" prop:value=move || error.get() on:input=move |ev| error.set(event_target_value(&ev))/>
                <input type="text" data-testid="answer-cause" aria-label="Cause" placeholder="cause" prop:value=move || cause.get() on:input=move |ev| cause.set(event_target_value(&ev))/>
                <button class="btn btn-small" data-testid="answer-throw"
                    on:click=move |_| {
                        let (e, c) = (error.get_untracked(), cause.get_untracked());
                        let err = ExecError::new(ErrorName::parse(&e), c.clone());
                        answer_throw(Answer::Result(Err(err)), Some(SavedAnswer::Throw { error: &e, cause: &c }));
                    }>"Throw error"</button>
            </div>
            <When when=move || callback>
                <div class="answer-row">
                    <input type="number" min="0" class="narrow" data-testid="heartbeat-after" aria-label="Seconds before the heartbeat"
                        prop:value=move || heartbeat_s.get() on:input=move |ev| heartbeat_s.set(event_target_value(&ev))/>
                    <button class="btn btn-small" data-testid="answer-heartbeat"
                        on:click={let answer_hb = answer_hb.clone(); move |_| {
                            let s = asl_core::text::parse_f64(&heartbeat_s.get_untracked()).unwrap_or(0.0).max(0.0);
                            answer_hb(Answer::Heartbeat { after_ms: (s * 1000.0) as u64 }, None);
                        }}>"Send heartbeat after s"</button>
                    <button class="btn btn-small" data-testid="answer-expire" disabled=move || !has_deadline
                        title="No answer ever comes: TimeoutSeconds or HeartbeatSeconds fires in virtual time"
                        on:click={let answer_expire = answer_expire.clone(); move |_| answer_expire(Answer::Expire, None)}>"Let it time out"</button>
                </div>
            </When>
            <label class="save-mock"><input type="checkbox" data-testid="save-as-mock" prop:checked=move || save.get() on:change=move |ev| save.set(event_target_checked(&ev))/>" Save the answer as a mock (the next run won't pause here)"</label>
            {move || (message.get().map(|m| view! { <div class="run-error" data-testid="answer-message">{m}</div> })).into_any()}
        </div>
    }
}
