//! Under a finished run's output: what it would cost as Standard and as Express (for this run
//! and for N runs a month, with the break-even volume), the delivery semantics of the type it
//! ran as, and the lints that need a run (payload near the limit, secrets in the input, cost
//! hot spots). The figures and lints are asl-core's (`cost`, `lint`, `workflow`).

use asl_core::cost::{Bill, format_usd, thousands};
use leptos::prelude::*;

use crate::when::When;

use crate::core_api::{Settings, lint_info};
use crate::editor::Goto;
use crate::stepping::Stepper;

#[component]
pub fn RunReport(
    stepper: Stepper,
    definition: RwSignal<String>,
    settings: RwSignal<Settings>,
    goto: RwSignal<Option<Goto>>,
) -> impl IntoView {
    let per_month = RwSignal::new(100_000u64);
    let finished = move || {
        stepper
            .view
            .with(|v| v.as_ref().is_some_and(|v| v.finished))
    };
    let report = move || {
        if !finished() {
            return None;
        }
        let n = per_month.get();
        let len = definition.with_untracked(String::len);
        stepper.with_session(|s| s.cost(len, n)).flatten()
    };
    let lints = move || {
        if !finished() {
            return Vec::new();
        }
        let st = settings.get();
        definition
            .with_untracked(|t| stepper.with_session(|s| s.run_lints(t, &st)))
            .unwrap_or_default()
    };
    let delivery = move || settings.with(|s| s.workflow_type.delivery());
    view! {
        <When when=finished>
            <div class="run-report">
                {move || (report().map(|r| {
                    let row = |name: &'static str, b: &Bill, ran: bool| view! {
                        <tr class:ran=ran data-testid=format!("cost-{}", name.to_ascii_lowercase())>
                            <th>{name}{ran.then_some(" (this run)")}</th>
                            <td>{if name == "Standard" { format!("{} transitions", thousands(b.transitions)) } else { format!("{} ms × {} MB", thousands(b.billed_duration_ms), b.billed_memory_mb) }}</td>
                            <td>{format_usd(b.per_run_usd)}</td>
                            <td>{format_usd(b.monthly_usd)}</td>
                        </tr>
                    };
                    let ty = r.workflow_type;
                    view! {
                        <div class="cost" data-testid="cost-panel">
                            <h3>"What it costs"</h3>
                            <table>
                                <thead><tr><th></th><th>"billed"</th><th>"per run"</th>
                                    <th>
                                        <input type="number" min="1" class="narrow" data-testid="cost-per-month" aria-label="Executions a month"
                                            prop:value=move || per_month.get().to_string()
                                            on:change=move |ev| { if let Ok(n) = event_target_value(&ev).parse::<u64>() { per_month.set(n.max(1)) } }/>
                                        " a month"
                                    </th></tr></thead>
                                <tbody>
                                    {row("Standard", &r.standard, ty == asl_core::workflow::WorkflowType::Standard)}
                                    {row("Express", &r.express, ty == asl_core::workflow::WorkflowType::Express)}
                                </tbody>
                            </table>
                            <p class="muted" data-testid="cost-break-even">{match (&r.express_blocker, r.break_even_executions_per_month) {
                                (Some(b), _) => format!("Express is not possible for this run: {b}"),
                                (None, Some(n)) => format!("Express is cheaper from {} runs a month.", thousands(n)),
                                (None, None) => "Standard stays cheaper at any volume.".to_string(),
                            }}</p>
                            <p class="muted small">{format!("us-east-1 prices of {}; estimates, not a bill.", r.prices.as_of)}</p>
                        </div>
                    }
                })).into_any()}
                <p class="delivery" data-testid="delivery">{move || { let d = delivery(); format!("Delivery: {} — {}", d.semantics, d.note) }}</p>
                {move || ({
                    let ls = lints();
                    (!ls.is_empty()).then(|| view! {
                        <div class="run-lints" data-testid="run-lints">
                            <h3>"Lints from this run"</h3>
                            {ls.into_iter().map(|d| {
                                let (line, column) = (d.line, d.column);
                                let info = lint_info(&d.code);
                                view! {
                                    <div class="problem warning" data-testid="run-lint" data-code=d.code.clone()>
                                        <button class="problem-pos" on:click=move |_| goto.set(Some(Goto { line, column }))>{format!("{line}:{column}")}</button>
                                        <span class="problem-code">{d.code.clone()}</span>
                                        <span class="problem-msg">{d.message.clone()}</span>
                                        {info.map(|i| view! { <a class="lint-doc" href=i.docs_url target="_blank" rel="noopener noreferrer" title=i.explanation>"why?"</a> })}
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                    })
                }).into_any()}
            </div>
        </When>
    }
}
