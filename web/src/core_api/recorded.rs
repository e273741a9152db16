//! Executions recorded on AWS, as the Import panel uses them: read a pasted history (with
//! `describe-execution` output, optionally) for the current definition, derive mocks from it,
//! and compare a simulation with it. Every rule is asl-core's (`recorded`); this module turns
//! its results into text and view data.

use std::sync::Arc;

use asl_core::recorded::{self, Divergence, Recording};

use super::*;

/// An import that failed: the message, placed in the text it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportProblem {
    /// `history` or `describe`.
    pub document: &'static str,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}:{}: {}",
            self.document, self.line, self.column, self.message
        )
    }
}

/// Reads a recorded history for `machine`; `describe` is `describe-execution`'s output (or
/// empty).
pub fn import(
    machine: &StateMachine,
    history: &str,
    describe: &str,
) -> Result<Recording, ImportProblem> {
    let describe = Some(describe).filter(|d| !d.trim().is_empty());
    recorded::import(machine, history, describe).map_err(|e| ImportProblem {
        document: e.document,
        line: e.line,
        column: e.column,
        message: e.message,
    })
}

/// The mocks a recording implies, as the Mocks tab's text (our format), and what to know about
/// them.
pub fn derive_mocks(machine: &StateMachine, recording: &Recording) -> (String, Vec<String>) {
    let d = recorded::mocks_from(machine, &recording.events);
    (d.mocks.to_value().to_json_pretty(), d.notes)
}

/// The same mocks as a Step Functions Local MockConfigFile (timeouts as `Throw`, which is all
/// SFN Local can say).
pub fn derived_mock_config(machine: &StateMachine, recording: &Recording) -> String {
    let d = recorded::mocks_from(machine, &recording.events);
    recorded::mock_config(machine, &d, export::MACHINE_NAME, export::CASE_NAME)
        .to_value()
        .to_json_pretty()
}

/// A comparison, as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparisonView {
    pub divergence: Option<Divergence>,
    pub matched_events: usize,
    pub recorded_events: usize,
    pub simulated_events: usize,
    pub recorded_status: &'static str,
    pub simulated_status: &'static str,
}

/// Simulates the recording with the Mocks tab's mocks and compares, event by event.
pub fn compare(
    machine: Arc<StateMachine>,
    recording: &Recording,
    mocks_text: &str,
) -> Result<ComparisonView, String> {
    let mocks = read_mocks(mocks_text).map_err(|e| format!("The mocks are not valid: {e}"))?;
    let c = recorded::compare(machine, recording, mocks);
    Ok(ComparisonView {
        divergence: c.divergence,
        matched_events: c.matched_events,
        recorded_events: c.recorded_events,
        simulated_events: c.simulated_events,
        recorded_status: c.recorded_status,
        simulated_status: c.simulated_status,
    })
}

#[cfg(test)]
mod tests {
    use super::stepper::Session;
    use super::*;

    /// A recorded checkout: the task is throttled once, retried and succeeds (see the fixtures'
    /// README).
    const DEF: &str = include_str!("../../../tests/browser/fixtures/retry.asl.json");
    const HISTORY: &str = include_str!("../../../tests/browser/fixtures/retry.history.json");
    const DESCRIBE: &str = include_str!("../../../tests/browser/fixtures/retry.describe.json");

    #[test]
    fn a_recording_replays_derives_mocks_and_compares_without_divergence() {
        let machine = analyze(DEF, &Settings::default())
            .machine
            .expect("a valid definition");
        let rec = import(&machine, HISTORY, DESCRIBE).expect("a history");
        assert_eq!(rec.status(), "SUCCEEDED");
        let (mocks, _notes) = derive_mocks(&machine, &rec);
        let c = compare(machine.clone(), &rec, &mocks).expect("mocks read");
        assert_eq!(c.divergence, None, "{c:?}");
        assert_eq!(c.matched_events, c.recorded_events);
        // Without the mocks the simulation pauses on Charge: a divergence there.
        let c = compare(machine.clone(), &rec, "{}").expect("mocks read");
        let d = c.divergence.expect("a divergence");
        assert_eq!(d.path.as_deref(), Some("Charge"), "{d:?}");
        // The replay steps through the recorded events, marked as recorded.
        let mut s = Session::replay(machine, rec, WorkflowType::Standard);
        s.run_slice(u32::MAX);
        let v = s.view(None);
        assert!(v.recorded_on_aws);
        assert_eq!(v.run.status, "SUCCEEDED");
        assert_eq!(
            v.overlay.mark("Charge").map(|m| m.class()),
            Some("succeeded")
        );
        let visits = s.visits("Charge");
        assert_eq!(visits.len(), 1);
        assert_eq!(visits[0].attempts.len(), 2, "the failure and the retry");
        let bad = import(&machine_of(DEF), "{\n  \"events\": [", "").expect_err("malformed");
        assert_eq!((bad.document, bad.line), ("history", 2), "{bad}");
    }

    fn machine_of(def: &str) -> Arc<StateMachine> {
        analyze(def, &Settings::default()).machine.expect("valid")
    }
}
