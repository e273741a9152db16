//! Cost hot spots: a Standard run that billed more transitions than a threshold, with the
//! Express (or Distributed Map with Express children) alternative priced for this run.

use super::walk::StateRef;
use crate::cost::{estimate, format_usd};
use crate::diag::{Code, Diagnostic};
use crate::history::HistoryEvent;
use crate::model::StateMachine;
use crate::workflow::WorkflowType;

pub(super) fn check(
    machine: &StateMachine,
    states: &[StateRef<'_>],
    history: &[HistoryEvent],
    total_transitions: u64,
    definition_bytes: u64,
    opts: &super::LintOptions,
    out: &mut Vec<Diagnostic>,
) {
    if opts.workflow_type != WorkflowType::Standard {
        return;
    }
    let report = estimate(
        machine,
        history,
        total_transitions,
        opts.workflow_type,
        definition_bytes,
        1,
        &opts.prices,
    );
    let total = report.usage.execution.billed_transitions;
    if total <= opts.hot_spot_transitions {
        return;
    }
    let Some((name, count)) = report.usage.transitions_by_state.first() else {
        return;
    };
    // The hottest state; if it runs inside a Map iteration, point at that Map.
    let hot = super::find(states, name);
    let in_map = hot
        .is_some_and(|s| s.pointer.contains("/ItemProcessor/") || s.pointer.contains("/Iterator/"));
    let seconds = report.usage.execution.duration_ms / 1000;
    let alternative = if seconds > crate::workflow::EXPRESS_MAX_SECONDS {
        // Express is no way out for a run longer than five minutes.
        return out.push(Diagnostic::new(
            Code::LintCostHotSpot,
            format!(
                "this Standard run billed {} state transitions ({} of them in '{name}'): {} a run, {} for a million runs. It lasted {} s, too long for Express (five minutes), so poll less often (a longer Wait) or let the work call back (.waitForTaskToken) instead of polling",
                super::thousands(total),
                super::thousands(*count),
                format_usd(report.standard.per_run_usd),
                format_usd(report.standard.per_run_usd * 1e6),
                super::thousands(seconds),
            ),
            hot.map_or(String::new(), |s| s.pointer.clone()),
            hot.map_or(crate::source::Span::new(0, 0), |s| s.name_span),
        ));
    } else if in_map {
        "a Distributed Map with EXPRESS child executions, or running this workflow as Express"
    } else {
        "running this loop as an Express workflow (called from the Standard one), or as Express altogether"
    };
    let Some(target) = hot else {
        return;
    };
    out.push(Diagnostic::new(
        Code::LintCostHotSpot,
        format!(
            "this Standard run billed {} state transitions ({} of them in '{name}'): {} a run, {} for a million runs. Consider {alternative}: as Express this run would cost {} ({} for a million)",
            super::thousands(total),
            super::thousands(*count),
            format_usd(report.standard.per_run_usd),
            format_usd(report.standard.per_run_usd * 1e6),
            format_usd(report.express.per_run_usd),
            format_usd(report.express.per_run_usd * 1e6),
        ),
        target.pointer.clone(),
        target.name_span,
    ));
}
