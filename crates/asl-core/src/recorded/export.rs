//! Writing out: a history in `GetExecutionHistory`'s JSON shape (what `aws stepfunctions
//! get-execution-history` prints, so [`super::import`] reads it back), and a session as an
//! `asl test` case: a MockConfigFile with one test case plus the `--expect` file holding its
//! input and how it must end, so an exploration becomes a regression test in CI.
//!
//! [`HistoryEvent`]'s own serialisation is AWS's shape plus the fields the UI uses
//! (`statePath`, `mapIterations`, `inspectionData`, a failed Parallel's or Map's
//! `failureDetails`); the export leaves those out.
//!
//! Not owned here: the MockConfigFile model ([`crate::mock::MockConfig`]).

use serde::Serialize;

use crate::exec::Status;
use crate::history::HistoryEvent;
use crate::mock::{MockConfig, Mocks};
use crate::model::StateMachine;
use crate::value::{Object, Value};

/// Keys [`HistoryEvent`] serialises that AWS's events do not have.
const NOT_AWS: [&str; 3] = ["statePath", "mapIterations", "failureDetails"];

/// `{"events": [...]}` in AWS's shape (see the module doc).
pub fn history_json(events: &[HistoryEvent]) -> Value {
    let list = events
        .iter()
        .map(|ev| {
            let mut j = serde_json::to_value(ev).unwrap_or(serde_json::Value::Null);
            if let Some(o) = j.as_object_mut() {
                for k in NOT_AWS {
                    o.remove(k);
                }
                if let Some(d) = o
                    .get_mut("stateExitedEventDetails")
                    .and_then(serde_json::Value::as_object_mut)
                {
                    d.remove("inspectionData");
                }
            }
            Value::from(&j)
        })
        .collect();
    let mut o = Object::with_capacity(1);
    o.insert("events".into(), Value::array(list));
    Value::object(o)
}

/// The two files of an `asl test` case.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestCaseFiles {
    /// `asl test MOCKCONFIG`: the mocks as a MockConfigFile with one test case (durations
    /// kept as `DurationSeconds`, which `asl test` reads and Step Functions Local ignores).
    pub mock_config: Value,
    /// `--expect FILE`: `{"<case>": {"status", "output" | "error", "cause", "input"}}`.
    pub expect: Value,
}

/// The session (`input`, `mocks`, how it ended) as an `asl test` case named `test_case` of the
/// state machine `machine_name`. `None` when the run has not ended.
pub fn test_case(
    machine: &StateMachine,
    machine_name: &str,
    test_case: &str,
    input: &Value,
    mocks: &Mocks,
    status: &Status,
) -> Option<TestCaseFiles> {
    let mut config = MockConfig::export(machine, machine_name, test_case, mocks);
    // Keep the virtual durations: they decide timeouts.
    for (name, seq) in &mut config.responses {
        if let Some(orig) = mocks.by_state.get(name) {
            for (e, o) in seq.entries.iter_mut().zip(&orig.entries) {
                e.2.duration_ms = o.2.duration_ms;
            }
        }
    }
    let mut e = Object::with_capacity(5);
    e.insert("status".into(), Value::from(status.aws_name()));
    match status {
        Status::Succeeded { output } => {
            e.insert("output".into(), output.clone());
        }
        Status::Failed { error, cause } | Status::TimedOut { error, cause } => {
            if let Some(err) = error {
                e.insert("error".into(), Value::from(&**err));
            }
            if let Some(c) = cause {
                e.insert("cause".into(), Value::from(&**c));
            }
        }
        Status::Running | Status::Paused { .. } => return None,
    }
    e.insert("input".into(), input.clone());
    let mut expect = Object::with_capacity(1);
    expect.insert(test_case.into(), Value::object(e));
    Some(TestCaseFiles {
        mock_config: config.to_value(),
        expect: Value::object(expect),
    })
}
