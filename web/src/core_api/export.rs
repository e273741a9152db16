//! What the Export menu writes, as text: the history in GetExecutionHistory's shape, the mocks as
//! a Step Functions Local MockConfigFile, and the session as an `asl test` case (MockConfigFile +
//! expectations). Every format is asl-core's (`recorded::history_json`, `mock::MockConfig::export`,
//! `recorded::test_case`); this module picks the names and runs the case.

use std::sync::Arc;

use asl_core::exec::{ExecOptions, Execution};
use asl_core::recorded;

use super::*;

/// The names a written MockConfigFile uses when the session's mocks are not one already.
pub const MACHINE_NAME: &str = "StateMachine";
pub const CASE_NAME: &str = "Playground";

/// A history as `aws stepfunctions get-execution-history` prints it.
pub fn history_json(events: &[HistoryEvent]) -> String {
    recorded::history_json(events).to_json_pretty()
}

/// The names to write: a MockConfigFile's own (the case runs use), else ours.
fn names(mocks_text: &str) -> (String, String) {
    match read_mocks_file(mocks_text) {
        MocksText::Config {
            case: Some(names), ..
        } => names,
        _ => (MACHINE_NAME.into(), CASE_NAME.into()),
    }
}

/// The session's mocks as a MockConfigFile with one test case.
pub fn mock_config_json(machine: &StateMachine, mocks_text: &str) -> Result<String, String> {
    let mocks = read_mocks(mocks_text)?;
    let (m, c) = names(mocks_text);
    Ok(MockConfig::export(machine, &m, &c, &mocks)
        .to_value()
        .to_json_pretty())
}

/// The session as an `asl test` case.
#[derive(Clone, Debug, PartialEq)]
pub struct TestCaseText {
    pub mock_config: String,
    pub expectations: String,
    /// The command that runs it, with these files saved under their suggested names.
    pub command: String,
}

/// Runs the session's definition on its input and mocks to the end, as `asl test` will (seed 0,
/// the default start time, the type's limits), and writes that run as a test case.
pub fn test_case(
    machine: Arc<StateMachine>,
    input_text: &str,
    mocks_text: &str,
    workflow_type: WorkflowType,
) -> Result<TestCaseText, String> {
    let input = Value::parse(if input_text.trim().is_empty() {
        "{}"
    } else {
        input_text
    })
    .map_err(|e| format!("The input is not JSON: {e}"))?;
    let mocks = read_mocks(mocks_text).map_err(|e| format!("The mocks are not valid: {e}"))?;
    let options = ExecOptions {
        mocks: Arc::new(mocks.clone()),
        limits: workflow_type.run_limits(None),
        record_history: false,
        record_stages: false,
        ..ExecOptions::default()
    };
    let mut exec = Execution::start(machine.clone(), input.clone(), options);
    let status = exec.run();
    if let asl_core::exec::Status::Paused { tasks } = &status {
        let names: Vec<&str> = tasks.iter().map(|t| &*t.state).collect();
        return Err(format!(
            "{} has no mock: a test case needs every task mocked (save a paused task's answer as a mock)",
            names.join(", ")
        ));
    }
    let (m, c) = names(mocks_text);
    let files = recorded::test_case(&machine, &m, &c, &input, &mocks, &status)
        .ok_or("the run did not end: it cannot be a test case")?;
    let ty = match workflow_type {
        WorkflowType::Standard => "",
        WorkflowType::Express => " --type EXPRESS",
    };
    Ok(TestCaseText {
        mock_config: files.mock_config.to_json_pretty(),
        expectations: files.expect.to_json_pretty(),
        command: format!(
            "asl test {} --definition {} --expect {}{ty}",
            FILE_MOCK_CONFIG, FILE_DEFINITION, FILE_EXPECTATIONS
        ),
    })
}

/// Suggested file names (the `asl test` command above uses them).
pub const FILE_MOCK_CONFIG: &str = "playground.mocks.json";
/// The mocks for Step Functions Local (no durations: it has none).
pub const FILE_SFN_LOCAL: &str = "MockConfigFile.json";
pub const FILE_EXPECTATIONS: &str = "playground.expect.json";
pub const FILE_DEFINITION: &str = "playground.asl.json";

#[cfg(test)]
mod tests {
    use super::*;

    const DEF: &str = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["Busy"]}],"End":true}}}"#;

    fn machine() -> Arc<StateMachine> {
        analyze(DEF, &Settings::default())
            .machine
            .expect("a valid definition")
    }

    #[test]
    fn a_test_case_carries_the_runs_end_and_its_mocks() {
        let mocks =
            r#"{"T":{"0":{"Throw":{"Error":"Busy","Cause":"try again"}},"1":{"Return":{"ok":1}}}}"#;
        let t = test_case(machine(), r#"{"a":1}"#, mocks, WorkflowType::Standard)
            .expect("a finished run");
        let e = Value::parse(&t.expectations).expect("JSON");
        assert_eq!(
            e.get(CASE_NAME).map(Value::to_json_string).as_deref(),
            Some(r#"{"status":"SUCCEEDED","output":{"ok":1},"input":{"a":1}}"#)
        );
        assert!(matches!(
            read_mocks_file(&t.mock_config),
            MocksText::Config {
                case: Some(_),
                mocks: Ok(_)
            }
        ));
        // Written again from the MockConfigFile, the names stay.
        let again = test_case(machine(), "{}", &t.mock_config, WorkflowType::Express)
            .expect("a finished run");
        assert!(
            again.command.ends_with("--type EXPRESS"),
            "{}",
            again.command
        );
        assert_eq!(again.mock_config, t.mock_config);
    }

    #[test]
    fn an_unmocked_task_is_named_and_history_has_aws_shape() {
        let e = test_case(machine(), "{}", "{}", WorkflowType::Standard).expect_err("paused");
        assert!(e.starts_with("T has no mock"), "{e}");
        let text = history_json(&[]);
        assert_eq!(text, "{\n  \"events\": []\n}");
    }
}
