//! What a finished run would cost on AWS: Standard and Express side by side.
//!
//! Owns [`Prices`] (editable assumptions; defaults are AWS's published us-east-1 prices),
//! [`usage`] (what a run consumed, read from its history) and [`estimate`] (the bill for one
//! run and for N runs a month, both ways, with the break-even volume).
//!
//! AWS's rules, from aws.amazon.com/step-functions/pricing and the developer guide:
//! - Standard bills state transitions: "a state transition is counted each time a step in your
//!   execution is completed", "including retries" ("each retry will be charged as an additional
//!   state transition"). Here: one per state entered (also in Parallel branches and Map
//!   iterations) plus one per retry attempt. The first 4,000 transitions a month are free.
//! - Express bills requests (one per execution started) and duration × memory: duration from
//!   start to end "rounded up to the nearest 100ms", memory "billed in 64-MB chunks", estimated
//!   as AWS's pricing example does: 50 MB + definition size + execution data size × the number
//!   of Parallel or Map steps. GB-hours are priced by monthly tiers.
//! - A Distributed Map's child executions are executions of their own `ExecutionType`: each is
//!   priced as such (Express: a request and its own duration; Standard: its transitions).
//!
//! Not owned here: running ([`crate::exec`]), the cost lint ([`crate::lint`]), formatting.

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::history::{EventType, HistoryEvent};
use crate::model::{Branch, MapMode, StateKind, StateMachine};
use crate::workflow::WorkflowType;

/// Prices in US dollars. Editable: the defaults are assumptions with a date on them.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Prices {
    pub region: String,
    /// When these figures were read from AWS's pricing page.
    pub as_of: String,
    /// Standard: per state transition ($0.025 per 1,000).
    pub per_transition: f64,
    /// Standard: free state transitions per month.
    pub free_transitions_per_month: u64,
    /// Express: per request ($1.00 per million).
    pub per_request: f64,
    /// Express duration tiers: (GB-hours in this tier per month, price per GB-hour); the last
    /// tier's size is ignored (it is everything above).
    pub gb_hour_tiers: Vec<(f64, f64)>,
}

impl Default for Prices {
    fn default() -> Self {
        Prices {
            region: "us-east-1".into(),
            as_of: "2026-12-06".into(),
            per_transition: 0.025 / 1000.0,
            free_transitions_per_month: 4000,
            per_request: 1.0 / 1_000_000.0,
            gb_hour_tiers: vec![(1000.0, 0.06), (4000.0, 0.03), (f64::INFINITY, 0.01642)],
        }
    }
}

impl Prices {
    /// The Express duration charge for `gb_hours` in one month, tier by tier.
    pub fn gb_hours_charge(&self, gb_hours: f64) -> f64 {
        let mut left = gb_hours.max(0.0);
        let mut total = 0.0;
        let last = self.gb_hour_tiers.len().saturating_sub(1);
        for (i, &(size, price)) in self.gb_hour_tiers.iter().enumerate() {
            let here = if i == last { left } else { left.min(size) };
            total += here * price;
            left -= here;
            if left <= 0.0 {
                break;
            }
        }
        total
    }

    /// The first tier's price per GB-second (one run alone is priced at it).
    fn first_gb_second(&self) -> f64 {
        self.gb_hour_tiers.first().map_or(0.0, |t| t.1) / 3600.0
    }
}

/// What one execution (or one Distributed Map child) consumed.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    /// States entered plus retries: what Standard bills.
    pub billed_transitions: u64,
    pub retries: u64,
    /// Virtual duration from the first to the last event, in milliseconds.
    pub duration_ms: u64,
    /// Largest state input or output, in bytes (JSON text).
    pub max_payload_bytes: u64,
    /// Map iterations and Parallel branches started (the "Parallel or Map steps" of AWS's
    /// memory estimate).
    pub fanout_steps: u64,
}

/// A run's usage: the execution itself and each Distributed Map child execution.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunUsage {
    pub execution: Usage,
    /// Per Distributed Map state: its children's type and each child's usage.
    pub children: Vec<ChildRuns>,
    /// Billed transitions per state name (parent and children), for hot spots.
    pub transitions_by_state: Vec<(String, u64)>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChildRuns {
    pub map_state: String,
    pub execution_type: WorkflowType,
    pub runs: Vec<Usage>,
}

/// Distributed Map state name → its children's type; a name given twice keeps its last entry
/// (looked up from the end). A list, not a hash table: a machine has a few Distributed Maps, and
/// each map type is code of its own in the playground's wasm.
fn distributed_maps(machine: &StateMachine) -> Vec<(&str, WorkflowType)> {
    fn walk<'m>(b: &'m Branch, out: &mut Vec<(&'m str, WorkflowType)>) {
        for (name, s) in &b.states {
            match &s.kind {
                StateKind::Map(m) => {
                    if let Some(c) = &m.processor.processor_config
                        && c.mode == MapMode::Distributed
                    {
                        let ty = c
                            .execution_type
                            .as_ref()
                            .and_then(|t| t.value.parse().ok())
                            .unwrap_or_default();
                        out.push((name, ty));
                    }
                    walk(&m.processor, out);
                }
                StateKind::Parallel(p) => p.branches.iter().for_each(|b| walk(b, out)),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&machine.root, &mut out);
    out
}

fn is_entered(kind: EventType) -> bool {
    kind.as_str().ends_with("StateEntered")
}

/// An attempt of a state's work begins: a second one in the same visit is a retry.
fn is_attempt(kind: EventType) -> bool {
    matches!(
        kind,
        EventType::TaskScheduled
            | EventType::LambdaFunctionScheduled
            | EventType::ActivityScheduled
            | EventType::ParallelStateStarted
            | EventType::MapStateStarted
    )
}

/// The state name an event path ends in (`Map/3/Step` → `Step`).
fn state_of(path: &str) -> &str {
    path.rsplit('/')
        .find(|s| s.parse::<u64>().is_err())
        .unwrap_or(path)
}

#[derive(Default)]
struct Acc {
    usage: Usage,
    first_ms: Option<i64>,
    last_ms: i64,
}

impl Acc {
    fn see(&mut self, e: &HistoryEvent) {
        self.first_ms.get_or_insert(e.timestamp_ms);
        self.last_ms = self.last_ms.max(e.timestamp_ms);
    }

    fn finish(mut self) -> Usage {
        let first = self.first_ms.unwrap_or(self.last_ms);
        self.usage.duration_ms = u64::try_from(self.last_ms - first).unwrap_or(0);
        self.usage
    }
}

/// Reads what a run consumed from its recorded history. `total_transitions` is every state
/// the run entered ([`crate::exec::Execution::transitions`]), Distributed Map children
/// included: their events are not in the parent's history (on AWS they are executions of their
/// own), so the children's share is what the history does not show, split evenly across the
/// items of each Map Run, and each child is given the Map Run's duration (an upper bound).
pub fn usage<'h>(
    machine: &StateMachine,
    history: &'h [HistoryEvent],
    total_transitions: u64,
) -> RunUsage {
    use crate::history::EventDetails as D;
    let dmaps = distributed_maps(machine);
    let mut parent = Acc::default();
    // Both tables are `&str → usize`, one hash table type (`parse::fields` has it too) rather
    // than one per value type in the playground's wasm.
    // Path → attempts begun in the state's current visit.
    let mut attempted: FxHashMap<&str, usize> = FxHashMap::default();
    // State name → its row in `transitions_by_state`.
    let mut by_state: FxHashMap<&'h str, usize> = FxHashMap::default();
    let mut transitions_by_state: Vec<(String, u64)> = Vec::new();
    let mut bill = |name: &'h str, n: u64| {
        let i = *by_state.entry(name).or_insert_with(|| {
            transitions_by_state.push((name.to_string(), 0));
            transitions_by_state.len() - 1
        });
        transitions_by_state[i].1 += n;
    };
    let mut entered = 0u64;
    // Map Runs: (map state, items, start ms, end ms).
    let mut runs: Vec<(&str, u64, i64, i64)> = Vec::new();
    let mut last_length: u64 = 0;
    for e in history {
        parent.see(e);
        let acc = &mut parent;
        let mut billed = 0;
        if is_entered(e.kind) {
            billed = 1;
            entered += 1;
            attempted.insert(&e.path, 0);
        } else if is_attempt(e.kind) {
            let begun = attempted.entry(&e.path).or_insert(0);
            if *begun > 0 {
                billed = 1;
                acc.usage.retries += 1;
            }
            *begun += 1;
        }
        if matches!(
            e.kind,
            EventType::MapIterationStarted | EventType::ParallelStateStarted
        ) {
            acc.usage.fanout_steps += 1;
        }
        match (&e.kind, &e.details) {
            (_, D::MapStarted { length }) => last_length = *length as u64,
            (EventType::MapRunStarted, _) => {
                runs.push((
                    state_of(&e.path),
                    last_length,
                    e.timestamp_ms,
                    e.timestamp_ms,
                ));
            }
            (EventType::MapRunSucceeded | EventType::MapRunFailed, _) => {
                let name = state_of(&e.path);
                if let Some(r) = runs.iter_mut().rev().find(|r| r.0 == name) {
                    r.3 = e.timestamp_ms;
                }
            }
            _ => {}
        }
        let payload = match &e.details {
            D::StateEntered { input, .. } => input.json_len(),
            D::StateExited { output, .. } => output.json_len(),
            _ => 0,
        };
        acc.usage.max_payload_bytes = acc.usage.max_payload_bytes.max(payload as u64);
        if billed > 0 {
            acc.usage.billed_transitions += billed;
            bill(state_of(&e.path), billed);
        }
    }
    // The children's transitions, split by items.
    let hidden = total_transitions.saturating_sub(entered);
    // Saturating: a recorded history (`Replay.cost()`) can claim any item count.
    let items: u64 = runs.iter().fold(0u64, |sum, r| sum.saturating_add(r.1));
    let mut children: Vec<ChildRuns> = Vec::new();
    for (map, n, start, end) in runs {
        let ty = dmaps
            .iter()
            .rev()
            .find(|d| d.0 == map)
            .map(|d| d.1)
            .unwrap_or_default();
        let share = (u128::from(hidden) * u128::from(n))
            .checked_div(u128::from(items))
            .map_or(0, |v| u64::try_from(v).unwrap_or(u64::MAX));
        let per_child = share.checked_div(n).unwrap_or(0);
        let child = Usage {
            billed_transitions: per_child,
            retries: 0,
            duration_ms: u64::try_from(end - start).unwrap_or(0),
            max_payload_bytes: parent.usage.max_payload_bytes,
            fanout_steps: 0,
        };
        if share > 0 {
            bill(map, share);
        }
        let runs = vec![child; usize::try_from(n).unwrap_or(0)];
        match children.iter_mut().find(|g| g.map_state == map) {
            Some(g) => g.runs.extend(runs),
            None => children.push(ChildRuns {
                map_state: map.to_string(),
                execution_type: ty,
                runs,
            }),
        }
    }
    crate::sort::sort_by(&mut transitions_by_state, |a, b| {
        b.1.cmp(&a.1).then(a.0.cmp(&b.0))
    });
    RunUsage {
        execution: parent.finish(),
        children,
        transitions_by_state,
    }
}

/// The bill of one execution of one type.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bill {
    pub workflow_type: WorkflowType,
    /// Standard: billed transitions of the execution itself.
    pub transitions: u64,
    /// Express: billed duration (rounded up to 100 ms) and memory (64 MB chunks).
    pub billed_duration_ms: u64,
    pub billed_memory_mb: u64,
    pub gb_seconds: f64,
    /// The execution itself (first-tier Express price; Standard without the free tier).
    pub execution_usd: f64,
    /// Its Distributed Map children, each by its own type.
    pub children_usd: f64,
    /// One run: execution + children.
    pub per_run_usd: f64,
    /// `executions_per_month` runs, with the free tier and Express tiers applied.
    pub monthly_usd: f64,
}

/// Standard vs Express for this run.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CostReport {
    /// The type the run was made as.
    pub workflow_type: WorkflowType,
    pub executions_per_month: u64,
    pub usage: RunUsage,
    pub standard: Bill,
    pub express: Bill,
    /// Why this run could not be an Express execution (longer than five minutes, or a
    /// `.sync`/`.waitForTaskToken` task); `None` when it could. The Express bill is still shown.
    pub express_blocker: Option<String>,
    /// The monthly volume from which Express is cheaper than Standard (`None`: never, up to
    /// 10^12 executions a month, or Express is not possible for this run).
    pub break_even_executions_per_month: Option<u64>,
    pub prices: Prices,
    /// What the estimate leaves out.
    pub notes: Vec<String>,
}

fn round_up(v: u64, step: u64) -> u64 {
    v.div_ceil(step).max(1) * step
}

/// Express duration × memory of one execution, in GB-seconds (and the billed figures).
fn express_gb_seconds(u: &Usage, definition_bytes: u64) -> (u64, u64, f64) {
    const MB: f64 = 1024.0 * 1024.0;
    let duration = round_up(u.duration_ms, 100);
    let memory = 50.0 * MB
        + definition_bytes as f64
        + u.max_payload_bytes as f64 * u.fanout_steps.max(1) as f64;
    let chunks = (memory / (64.0 * MB)).ceil().max(1.0) as u64;
    let billed_mb = chunks * 64;
    let gb_s = duration as f64 / 1000.0 * billed_mb as f64 / 1024.0;
    (duration, billed_mb, gb_s)
}

/// The monthly bill of `n` runs when the execution is `ty` (children keep their own type).
fn monthly(
    ty: WorkflowType,
    n: u64,
    usage: &RunUsage,
    definition_bytes: u64,
    prices: &Prices,
) -> f64 {
    let n = n as f64;
    let mut transitions = 0.0;
    let mut requests = 0.0;
    let mut gb_s = 0.0;
    let mut add = |ty: WorkflowType, u: &Usage, times: f64| match ty {
        WorkflowType::Standard => transitions += u.billed_transitions as f64 * times,
        WorkflowType::Express => {
            requests += times;
            gb_s += express_gb_seconds(u, definition_bytes).2 * times;
        }
    };
    add(ty, &usage.execution, n);
    for g in &usage.children {
        for run in &g.runs {
            add(g.execution_type, run, n);
        }
    }
    let billed_transitions = (transitions - prices.free_transitions_per_month as f64).max(0.0);
    billed_transitions * prices.per_transition
        + requests * prices.per_request
        + prices.gb_hours_charge(gb_s / 3600.0)
}

fn one_run(ty: WorkflowType, u: &Usage, definition_bytes: u64, prices: &Prices) -> f64 {
    match ty {
        WorkflowType::Standard => u.billed_transitions as f64 * prices.per_transition,
        WorkflowType::Express => {
            prices.per_request
                + express_gb_seconds(u, definition_bytes).2 * prices.first_gb_second()
        }
    }
}

fn bill(
    ty: WorkflowType,
    usage: &RunUsage,
    definition_bytes: u64,
    n: u64,
    prices: &Prices,
) -> Bill {
    let (billed_duration_ms, billed_memory_mb, gb_seconds) = match ty {
        WorkflowType::Express => express_gb_seconds(&usage.execution, definition_bytes),
        WorkflowType::Standard => (0, 0, 0.0),
    };
    let execution_usd = one_run(ty, &usage.execution, definition_bytes, prices);
    let children_usd = usage
        .children
        .iter()
        .flat_map(|g| g.runs.iter().map(move |r| (g.execution_type, r)))
        .map(|(t, r)| one_run(t, r, definition_bytes, prices))
        .sum::<f64>();
    Bill {
        workflow_type: ty,
        transitions: usage.execution.billed_transitions,
        billed_duration_ms,
        billed_memory_mb,
        gb_seconds,
        execution_usd,
        children_usd,
        per_run_usd: execution_usd + children_usd,
        monthly_usd: monthly(ty, n, usage, definition_bytes, prices),
    }
}

/// The smallest monthly volume at which Express costs less than Standard.
fn break_even(usage: &RunUsage, definition_bytes: u64, prices: &Prices) -> Option<u64> {
    let cheaper = |n: u64| {
        monthly(WorkflowType::Express, n, usage, definition_bytes, prices)
            < monthly(WorkflowType::Standard, n, usage, definition_bytes, prices)
    };
    let mut hi = 1u64;
    while !cheaper(hi) {
        if hi >= 1_000_000_000_000 {
            return None;
        }
        hi *= 2;
    }
    let mut lo = hi / 2;
    if lo == 0 {
        return Some(1);
    }
    // cheaper(hi) holds and cheaper(lo) does not: bisect.
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if cheaper(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

/// The estimate for a finished run of `machine` (its `history` recorded, `total_transitions`
/// from [`crate::exec::Execution::transitions`]), made as `ty`, with
/// `definition_bytes` the definition's size and `executions_per_month` runs a month.
pub fn estimate(
    machine: &StateMachine,
    history: &[HistoryEvent],
    total_transitions: u64,
    ty: WorkflowType,
    definition_bytes: u64,
    executions_per_month: u64,
    prices: &Prices,
) -> CostReport {
    let usage = usage(machine, history, total_transitions);
    let standard = bill(
        WorkflowType::Standard,
        &usage,
        definition_bytes,
        executions_per_month,
        prices,
    );
    let express = bill(
        WorkflowType::Express,
        &usage,
        definition_bytes,
        executions_per_month,
        prices,
    );
    let notes = vec![
        "Step Functions charges only; the services your tasks call (Lambda, S3, …) bill separately."
            .to_string(),
        "Distributed Map children are not in the parent's history: their transitions are the run's total minus the parent's, split evenly across items, each lasting the Map Run's duration."
            .to_string(),
        "Express memory is estimated as AWS's pricing example does (50 MB + definition + payload × Map/Parallel steps); task durations are the mocks' virtual time."
            .to_string(),
    ];
    let express_blocker = if usage.execution.duration_ms
        > crate::workflow::EXPRESS_MAX_SECONDS * 1000
    {
        Some(format!(
            "this run lasted {} s; an Express execution times out after five minutes (States.Timeout)",
            thousands(usage.execution.duration_ms / 1000)
        ))
    } else if crate::validate_type::validate_type(machine, WorkflowType::Express).len()
        > crate::validate_type::validate_type(machine, WorkflowType::Standard).len()
    {
        // More problems as Express than as Standard: the execution itself (not a Distributed
        // Map child, which keeps its own type) uses a pattern Express lacks.
        Some("it uses .sync or .waitForTaskToken, which Express workflows do not support".into())
    } else {
        None
    };
    let break_even = if express_blocker.is_some() {
        None
    } else {
        break_even(&usage, definition_bytes, prices)
    };
    CostReport {
        workflow_type: ty,
        executions_per_month,
        express_blocker,
        break_even_executions_per_month: break_even,
        usage,
        standard,
        express,
        prices: prices.clone(),
        notes,
    }
}

/// Groups digits: 12345 → "12,345".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Dollars with enough digits to see a fraction of a cent.
pub fn format_usd(v: f64) -> String {
    if v == 0.0 {
        "$0".into()
    } else if v >= 100.0 {
        let cents = (v * 100.0).round() as u64;
        format!("${}.{:02}", thousands(cents / 100), cents % 100)
    } else if v >= 0.01 {
        format!("${}", crate::float_fmt::fixed(v, 4))
    } else {
        format!("${}", crate::float_fmt::fixed(v, 8))
    }
}

impl CostReport {
    /// A few readable lines (the CLI prints them on stderr).
    pub fn to_text(&self) -> String {
        let u = &self.usage.execution;
        let mut s = format!(
            "cost estimate ({} prices as of {}; this run was {}):\n",
            self.prices.region, self.prices.as_of, self.workflow_type
        );
        s.push_str(&format!(
            "  run: {} billed state transitions ({} retries), {} ms, largest payload {} bytes\n",
            thousands(u.billed_transitions),
            thousands(u.retries),
            thousands(u.duration_ms),
            thousands(u.max_payload_bytes)
        ));
        for g in &self.usage.children {
            let t: u64 = g.runs.iter().map(|r| r.billed_transitions).sum();
            s.push_str(&format!(
                "  Distributed Map '{}': {} {} child executions, {} transitions in all\n",
                g.map_state,
                g.runs.len(),
                g.execution_type,
                t
            ));
        }
        let n = self.executions_per_month;
        s.push_str(&format!(
            "  STANDARD: {} per run; {} for {} runs a month (after the free tier)\n",
            format_usd(self.standard.per_run_usd),
            format_usd(self.standard.monthly_usd),
            thousands(n)
        ));
        s.push_str(&format!(
            "  EXPRESS:  {} per run ({} ms × {} MB); {} for {} runs a month\n",
            format_usd(self.express.per_run_usd),
            thousands(self.express.billed_duration_ms),
            self.express.billed_memory_mb,
            format_usd(self.express.monthly_usd),
            thousands(n)
        ));
        if let Some(why) = &self.express_blocker {
            s.push_str(&format!("  Express is not possible for this run: {why}\n"));
            return s;
        }
        match self.break_even_executions_per_month {
            Some(v) => s.push_str(&format!(
                "  break-even: Express is cheaper from {} execution{} a month\n",
                thousands(v),
                if v == 1 { "" } else { "s" }
            )),
            None => s.push_str("  break-even: Standard is cheaper at every volume\n"),
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::{ExecOptions, Execution};
    use crate::value::Value;
    use std::sync::Arc;

    fn run(text: &str, input: &str, mocks: &str) -> (Arc<StateMachine>, Vec<HistoryEvent>, u64) {
        let m = Arc::new(crate::load(text).machine.expect("machine"));
        let mocks =
            crate::mock::Mocks::from_value(&Value::parse(mocks).expect("json")).expect("mocks");
        let mut e = Execution::start(
            m.clone(),
            Value::parse(input).expect("json"),
            ExecOptions {
                mocks: Arc::new(mocks),
                ..ExecOptions::default()
            },
        );
        e.run();
        (m, e.history().to_vec(), e.transitions())
    }

    #[test]
    fn dollars_read_well() {
        assert_eq!(format_usd(5_000_049.9), "$5,000,049.90");
        assert_eq!(format_usd(0.3125), "$0.3125");
        assert_eq!(format_usd(0.0000011), "$0.00000110");
        assert_eq!(format_usd(0.0), "$0");
    }

    #[test]
    fn tiers_apply_in_order() {
        let p = Prices::default();
        // AWS's pricing example: 17,361.11 GB-hours → 60 + 120 + 202.97.
        let c = p.gb_hours_charge(17_361.11);
        assert!((c - 382.97).abs() < 0.01, "{c}");
    }

    #[test]
    fn retries_are_billed_transitions() {
        let text = r#"{"StartAt": "T", "States": {"T": {"Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke", "End": true,
            "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2, "IntervalSeconds": 1}]}}}"#;
        let mocks = r#"{"T": {"0": {"Throw": {"Error": "E", "Cause": "c"}},
            "1": {"Throw": {"Error": "E", "Cause": "c"}}, "2": {"Return": {}}}}"#;
        let (m, h, t) = run(text, "{}", mocks);
        let u = usage(&m, &h, t);
        assert_eq!(u.execution.retries, 2);
        assert_eq!(u.execution.billed_transitions, 3);
        let r = estimate(
            &m,
            &h,
            t,
            WorkflowType::Standard,
            200,
            1,
            &Prices::default(),
        );
        assert!((r.standard.per_run_usd - 3.0 * 0.000025).abs() < 1e-12);
        // 1 request + 3 s (1 s + 2 s backoff) × 64 MB.
        assert_eq!(r.express.billed_memory_mb, 64);
        assert_eq!(r.express.billed_duration_ms, 3000);
        let expected = 0.000001 + 3.0 * 0.0625 * 0.06 / 3600.0;
        assert!((r.express.per_run_usd - expected).abs() < 1e-12, "{r:?}");
    }

    #[test]
    fn distributed_children_are_priced_by_their_type() {
        let text = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            "StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": true}}}}}}"#;
        let (m, h, t) = run(text, "[1, 2, 3]", "{}");
        let u = usage(&m, &h, t);
        assert_eq!(u.children.len(), 1);
        assert_eq!(u.children[0].runs.len(), 3);
        assert!(u.children[0].runs.iter().all(|r| r.billed_transitions == 2));
        // Only the Map state itself is the parent's.
        assert_eq!(u.execution.billed_transitions, 1);
        let r = estimate(
            &m,
            &h,
            t,
            WorkflowType::Standard,
            300,
            1000,
            &Prices::default(),
        );
        assert!(r.standard.children_usd > 3.0 * 0.000001);
    }

    #[test]
    fn break_even_is_where_express_gets_cheaper() {
        let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Pass", "End": true}}}"#;
        let (m, h, t) = run(text, "{}", "{}");
        let r = estimate(
            &m,
            &h,
            t,
            WorkflowType::Standard,
            100,
            1_000_000,
            &Prices::default(),
        );
        let n = r.break_even_executions_per_month.expect("a break-even");
        // Below 2,000 runs the free tier makes Standard free.
        assert!(n > 2000, "{n}");
        assert!(r.express.monthly_usd < r.standard.monthly_usd);
        assert!(r.express_blocker.is_none());
    }

    #[test]
    fn express_is_not_possible_past_five_minutes_or_with_callbacks() {
        let wait =
            r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 301, "End": true}}}"#;
        let (m, h, t) = run(wait, "{}", "{}");
        let r = estimate(
            &m,
            &h,
            t,
            WorkflowType::Standard,
            100,
            10,
            &Prices::default(),
        );
        assert!(r.express_blocker.is_some_and(|b| b.contains("301 s")));
        assert_eq!(r.break_even_executions_per_month, None);
        let sync = r#"{"StartAt": "J", "States": {"J": {"Type": "Task", "Resource": "arn:aws:states:::glue:startJobRun.sync", "End": true}}}"#;
        let (m, h, t) = run(sync, "{}", r#"{"J": {"Return": {}}}"#);
        let r = estimate(
            &m,
            &h,
            t,
            WorkflowType::Standard,
            100,
            10,
            &Prices::default(),
        );
        assert!(r.express_blocker.is_some_and(|b| b.contains(".sync")));
    }
}
