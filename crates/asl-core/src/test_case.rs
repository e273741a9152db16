//! An `asl test` case written from a finished run, so an exploration in the playground becomes a
//! regression test in CI: the MockConfigFile holding the run's mocks as one test case (written by
//! [`MockConfig::export`]) and the expectations file `asl test --expect` reads, naming that test
//! case with the run's input and how it ended:
//!
//! ```text
//! {"<case>": {"input": <json>, "status": "SUCCEEDED", "output": <json>}}
//! {"<case>": {"input": <json>, "status": "FAILED" | "TIMED_OUT", "error"?: "<name>", "cause"?: "<text>"}}
//! ```
//!
//! Owns writing that shape; reading and checking it is `asl test`'s (asl-cli `test_cmd`), whose
//! format this follows. Not owned here: running the case, or choosing its names.

use crate::exec::Status;
use crate::mock::{MockConfig, Mocks};
use crate::model::StateMachine;
use crate::value::{Object, Value};

/// The two files of a test case: `asl test MOCK_CONFIG --definition … --expect EXPECTATIONS`.
#[derive(Clone, Debug, PartialEq)]
pub struct TestCaseFiles {
    pub mock_config: Value,
    pub expectations: Value,
}

/// Why a run cannot be written as a test case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotATestCase {
    /// The run has not ended (still running, or paused on a task without a mock).
    NotFinished,
}

impl std::fmt::Display for NotATestCase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotATestCase::NotFinished => f.write_str(
                "the run has not ended: run it to the end (every task mocked) to write a test case",
            ),
        }
    }
}

/// One case's expectation: the input it ran on and how it ended.
pub fn expectation(input: &Value, status: &Status) -> Result<Value, NotATestCase> {
    let mut e = Object::with_capacity(4);
    e.insert("input".into(), input.clone());
    e.insert("status".into(), Value::string(status.aws_name()));
    match status {
        Status::Succeeded { output } => {
            e.insert("output".into(), output.clone());
        }
        Status::Failed { error, cause } | Status::TimedOut { error, cause } => {
            if let Some(error) = error {
                e.insert("error".into(), Value::string(error.clone()));
            }
            if let Some(cause) = cause {
                e.insert("cause".into(), Value::string(cause.clone()));
            }
        }
        Status::Running | Status::Paused { .. } => return Err(NotATestCase::NotFinished),
    }
    Ok(Value::object(e))
}

/// The test case `case` of state machine `machine_name`: the run's mocks and its expectation.
pub fn write(
    machine: &StateMachine,
    machine_name: &str,
    case: &str,
    mocks: &Mocks,
    input: &Value,
    status: &Status,
) -> Result<TestCaseFiles, NotATestCase> {
    let mut expectations = Object::with_capacity(1);
    expectations.insert(case.into(), expectation(input, status)?);
    Ok(TestCaseFiles {
        mock_config: MockConfig::export(machine, machine_name, case, mocks).to_value(),
        expectations: Value::object(expectations),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::exec::{ExecOptions, Execution};

    const DEF: &str = r#"{"StartAt": "Charge", "States": {
        "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 1}], "End": true}}}"#;

    fn run(mocks: &str) -> (Arc<StateMachine>, Mocks, Value, Status) {
        let machine = Arc::new(crate::load(DEF).machine.expect("machine"));
        let mocks = Mocks::parse(mocks).expect("mocks");
        let input = Value::parse(r#"{"amount": 5}"#).expect("json");
        let mut exec = Execution::start(
            machine.clone(),
            input.clone(),
            ExecOptions {
                mocks: Arc::new(mocks.clone()),
                ..ExecOptions::default()
            },
        );
        let status = exec.run();
        (machine, mocks, input, status)
    }

    #[test]
    fn a_retried_success_is_written_with_its_mocks_and_output() {
        let (machine, mocks, input, status) = run(
            r#"{"Charge": {"0": {"Throw": {"Error": "Busy"}}, "1": {"Return": {"Payload": "ok"}}}}"#,
        );
        let files =
            write(&machine, "Playground", "Session", &mocks, &input, &status).expect("finished");
        assert_eq!(
            files.expectations.to_json_string(),
            r#"{"Session":{"input":{"amount":5},"status":"SUCCEEDED","output":{"Payload":"ok"}}}"#
        );
        let config = MockConfig::from_value(&files.mock_config).expect("a MockConfigFile");
        let back = config
            .mocks(Some("Playground"), "Session")
            .expect("the case");
        let seq = back.sequence("Charge", "").expect("Charge mocked");
        assert!(seq.response(0).is_some() && seq.response(1).is_some());
        assert!(
            seq.response(2).is_none(),
            "numbered responses stay numbered"
        );
    }

    #[test]
    fn a_failure_keeps_error_and_cause_and_an_unfinished_run_is_refused() {
        let (machine, mocks, input, status) =
            run(r#"{"Charge": {"Throw": {"Error": "Declined", "Cause": "card"}}}"#);
        let files = write(&machine, "M", "C", &mocks, &input, &status).expect("finished");
        assert_eq!(
            files.expectations.get("C").map(Value::to_json_string),
            Some(
                r#"{"input":{"amount":5},"status":"FAILED","error":"Declined","cause":"card"}"#
                    .into()
            )
        );
        let (machine, mocks, input, status) = run("{}");
        assert!(matches!(status, Status::Paused { .. }));
        assert_eq!(
            write(&machine, "M", "C", &mocks, &input, &status),
            Err(NotATestCase::NotFinished)
        );
    }
}
