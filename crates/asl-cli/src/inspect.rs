//! `asl run --inspect STATE[#N]`: one state's visits, stage by stage, for terminal users and CI.
//!
//! Owns only the selection (a state name or path, an optional 1-based visit number) and the
//! text layout on stderr; the visits, stages and error details are `asl_core::inspect`'s, the
//! same the playground and the JS API show.

use std::io::Write as _;

use asl_core::exec::Execution;
use asl_core::history::HistoryEvent;
use asl_core::inspect::{ChangeKind, Inspector, Visit};

/// The selected visits as JSON (`[{…visit}]` per selector), after printing them on stderr.
pub fn inspect(exec: &Execution, selectors: &[String]) -> Result<serde_json::Value, String> {
    inspect_history(&exec.inspector(), exec.history(), selectors)
}

/// [`inspect`] over any history (a simulated run's, or one recorded on AWS: `asl replay`).
pub fn inspect_history(
    inspector: &Inspector<'_>,
    history: &[HistoryEvent],
    selectors: &[String],
) -> Result<serde_json::Value, String> {
    let mut all = Vec::new();
    for sel in selectors {
        let (state, number) = match sel.rsplit_once('#') {
            Some((s, n)) => match n.parse::<usize>() {
                Ok(n) if n >= 1 => (s, Some(n)),
                _ => {
                    return Err(format!(
                        "--inspect {sel}: the visit after '#' is a number from 1"
                    ));
                }
            },
            None => (sel.as_str(), None),
        };
        let path = resolve(inspector.index().paths(), state)?;
        let visits = inspector.visits(history, &path);
        let chosen: Vec<&Visit> = match number {
            Some(n) => match visits.get(n - 1) {
                Some(v) => vec![v],
                None => {
                    return Err(format!(
                        "--inspect {sel}: '{path}' has {} visit(s) in this run",
                        visits.len()
                    ));
                }
            },
            None => visits.iter().collect(),
        };
        let mut err = std::io::stderr().lock();
        if chosen.is_empty() {
            let _ = writeln!(err, "== {path}: not visited in this run");
        }
        for v in &chosen {
            let _ = write!(err, "{}", describe(v));
        }
        all.extend(
            chosen
                .into_iter()
                .map(|v| serde_json::to_value(v).unwrap_or_default()),
        );
    }
    Ok(serde_json::Value::Array(all))
}

/// A state path from a name or a path: a path as given, else the one state with that name.
fn resolve(paths: &[std::sync::Arc<str>], state: &str) -> Result<String, String> {
    if paths.iter().any(|p| &**p == state) {
        return Ok(state.to_string());
    }
    let by_name: Vec<&str> = paths
        .iter()
        .map(|p| &**p)
        .filter(|p| p.rsplit('/').next() == Some(state))
        .collect();
    match by_name.as_slice() {
        [one] => Ok((*one).to_string()),
        [] => Err(format!("--inspect: no state '{state}' in the definition")),
        many => Err(format!(
            "--inspect: '{state}' names several states; give a path: {}",
            many.join(", ")
        )),
    }
}

/// The visit as readable text.
fn describe(v: &Visit) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let iter = if v.iterations.is_empty() {
        String::new()
    } else {
        format!(" (iteration {:?})", v.iterations)
    };
    let _ = writeln!(
        out,
        "== {} #{}{iter}: {} {:?}, events {}–{}",
        v.path,
        v.number,
        v.state_type,
        v.outcome,
        v.entered_event,
        v.exited_event.unwrap_or(v.last_event)
    );
    for s in &v.stages {
        let via = match (&s.field, &s.expression) {
            (&"", _) => String::new(),
            (f, Some(e)) => format!(" ← {f} {e}"),
            (f, None) => format!(" ← {f}"),
        };
        let changed: Vec<String> = s
            .changes
            .iter()
            .map(|c| {
                let sign = match c.kind {
                    ChangeKind::Added => '+',
                    ChangeKind::Removed => '-',
                    ChangeKind::Changed => '~',
                };
                format!(
                    "{sign}{}",
                    if c.pointer.is_empty() {
                        "/"
                    } else {
                        &c.pointer
                    }
                )
            })
            .collect();
        let changed = if changed.is_empty() {
            String::new()
        } else {
            format!("   [{}]", changed.join(" "))
        };
        let _ = writeln!(out, "  {}{via}{changed}", s.name);
        let _ = writeln!(out, "    {}", s.value.to_json_string());
    }
    for a in &v.attempts {
        if let Some(e) = &a.error {
            let retry = match (a.retry_index, a.retry_backoff_interval_seconds) {
                (Some(i), Some(b)) => format!(", retried by Retry[{i}] after {b}s"),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "  attempt {}: {e}: {}{retry}",
                a.number,
                a.cause.as_deref().unwrap_or("")
            );
        }
    }
    if let Some(i) = v.error_details.as_ref().and_then(|d| d.catch_index) {
        let _ = writeln!(out, "  caught by Catch[{i}]");
    }
    if let Some(n) = v.output_bytes {
        let _ = writeln!(
            out,
            "  output: {n} bytes ({:.1}% of the {} KiB limit)",
            n as f64 * 100.0 / v.payload_limit as f64,
            v.payload_limit / 1024
        );
    }
    out
}
