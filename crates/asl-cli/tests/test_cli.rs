//! `asl test` over the Step Functions Local mock configurations in `tests/mocks/` (modelled on
//! AWS's documentation examples: happy path, retry path, catch path, Map with per-iteration
//! responses), malformed mock files, and `asl run`'s mock and `--unmocked ask` contracts.

#![allow(clippy::disallowed_methods)] // a CLI test reads fixtures and writes scratch files

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

mod common;
use common::asl;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/mocks")
}

fn fixture(rel: &str) -> String {
    fixtures().join(rel).display().to_string()
}

fn scratch(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("asl-test-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write scratch file");
    p.display().to_string()
}

fn asl_with_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_asl"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn asl");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn run_fixture(dir: &str, expect: bool) -> Output {
    let config = fixture(&format!("{dir}/MockConfigFile.json"));
    let def = fixture(&format!("{dir}/definition.asl.json"));
    let input = fixture(&format!("{dir}/input.json"));
    let exp = fixture(&format!("{dir}/expect.json"));
    let mut args = vec!["test", &config, "--definition", &def, "--input", &input];
    if expect {
        args.extend(["--expect", &exp]);
    }
    asl(&args)
}

#[test]
fn documented_examples_reproduce_their_outcomes() {
    for (dir, cases) in [
        ("lambda-sqs", 3),
        ("lead-generation", 5),
        ("map-iterations", 4),
    ] {
        let out = run_fixture(dir, true);
        let stdout = text(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{dir}:\n{stdout}{}",
            text(&out.stderr)
        );
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), cases + 1, "{stdout}");
        assert!(
            lines[..cases].iter().all(|l| l.starts_with("PASS ")),
            "{stdout}"
        );
        assert_eq!(lines[cases], format!("{cases} passed, 0 failed"));
    }
}

#[test]
fn without_expectations_a_case_passes_only_when_it_succeeds() {
    let out = run_fixture("lead-generation", false);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains(
        "FAIL LeadGenerationStateMachine/CustomValidationFailedCatchTest: FAILED CustomValidationError"
    ));
    assert!(
        stdout.contains("PASS LeadGenerationStateMachine/RetryOnServiceExceptionTest: SUCCEEDED")
    );
    assert!(stdout.ends_with("3 passed, 2 failed\n"), "{stdout}");
}

#[test]
fn a_wrong_expectation_fails_with_the_difference() {
    let exp = scratch(
        "wrong.expect.json",
        r#"{"HappyPath": {"status": "SUCCEEDED", "output": {"MessageId": "other"}}}"#,
    );
    let out = asl(&[
        "test",
        &fixture("lambda-sqs/MockConfigFile.json"),
        "--definition",
        &fixture("lambda-sqs/definition.asl.json"),
        "--expect",
        &exp,
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAIL LambdaSQSIntegration/HappyPath: SUCCEEDED (expected output"),
        "{stdout}"
    );
    assert!(stdout.ends_with("1 passed, 2 failed\n"), "{stdout}");
    // An expectation for a case the file does not have is a usage error.
    let exp = scratch(
        "unknown.expect.json",
        "{\n  \"Nope\": {\"status\": \"FAILED\"}\n}",
    );
    let out = asl(&[
        "test",
        &fixture("lambda-sqs/MockConfigFile.json"),
        "--definition",
        &fixture("lambda-sqs/definition.asl.json"),
        "--expect",
        &exp,
    ]);
    common::assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("unknown.expect.json:2:3: no test case \"Nope\""));
}

#[test]
fn malformed_mock_files_get_line_and_column() {
    for (file, at) in [
        ("trailing-comma.json", ":6:30: malformed JSON"),
        (
            "unknown-response.json",
            ":3:36: MockedResponses has no \"Missing\"",
        ),
        (
            "index-gap.json",
            ":8:7: MockedResponses \"R\": invocation indexes must be consecutive",
        ),
        (
            "throw-without-error.json",
            ":6:26: MockedResponses \"R\": \"Throw\" needs an \"Error\"",
        ),
    ] {
        let path = fixture(&format!("malformed/{file}"));
        for args in [
            vec![
                "test",
                path.as_str(),
                "--definition",
                &fixture("lambda-sqs/definition.asl.json"),
            ],
            vec![
                "run",
                &fixture("lambda-sqs/definition.asl.json"),
                "--mocks",
                path.as_str(),
                "--test-case",
                "C",
            ],
        ] {
            let out = asl(&args);
            let stderr = text(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{file}: {stderr}");
            assert!(stderr.contains(&format!("{file}{at}")), "{file}: {stderr}");
        }
    }
    // Native mocks too.
    let bad = scratch("bad-native.json", "{\n  \"T\": {\"Retrun\": 1}\n}");
    let out = asl(&[
        "run",
        &fixture("lambda-sqs/definition.asl.json"),
        "--mocks",
        &bad,
    ]);
    common::assert_exit(&out, 2);
    assert!(
        text(&out.stderr).contains("bad-native.json:2:9: state \"T\": unknown field \"Retrun\""),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_state_machine_must_be_named_when_ambiguous() {
    let two = scratch(
        "two.json",
        r#"{"StateMachines": {"A": {"TestCases": {}}, "B": {"TestCases": {}}}, "MockedResponses": {}}"#,
    );
    let def = fixture("lambda-sqs/definition.asl.json");
    let out = asl(&["test", &two, "--definition", &def]);
    common::assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("choose one with --state-machine"));
    let out = asl(&["test", &two, "--definition", &def, "--state-machine", "B"]);
    common::assert_exit(&out, 0);
    assert_eq!(text(&out.stdout), "0 passed, 0 failed\n");
    let out = asl(&["test", &two, "--definition", &def, "--state-machine", "C"]);
    common::assert_exit(&out, 2);
}

#[test]
fn run_shows_every_request_in_the_history() {
    let out = asl(&[
        "run",
        &fixture("lambda-sqs/definition.asl.json"),
        "--mocks",
        &fixture("lambda-sqs/MockConfigFile.json"),
        "--test-case",
        "RetryPath",
        "--input",
        &fixture("lambda-sqs/input.json"),
        "--history",
    ]);
    common::assert_exit(&out, 0);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let scheduled: Vec<&serde_json::Value> = v["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["type"] == "TaskScheduled")
        .collect();
    // Four Lambda invocations (three consumed by Retry) and one SQS message.
    assert_eq!(scheduled.len(), 5);
    let lambda: serde_json::Value = serde_json::from_str(
        scheduled[0]["taskScheduledEventDetails"]["parameters"]
            .as_str()
            .expect("parameters string"),
    )
    .expect("parameters JSON");
    assert_eq!(
        lambda,
        serde_json::json!({"Payload": {"orderId": "o-1001", "amount": 42},
            "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:HelloWorldFunction"})
    );
    let sqs = &scheduled[4]["taskScheduledEventDetails"];
    assert_eq!(sqs["resourceType"], "sqs");
    assert_eq!(sqs["resource"], "sendMessage");
    assert!(
        sqs["parameters"]
            .as_str()
            .is_some_and(|p| p.contains("Hello from Lambda!"))
    );
}

#[test]
fn ask_reads_json_answers_from_a_pipe() {
    let def = scratch(
        "ask.asl.json",
        r#"{"StartAt":"Wait","States":{"Wait":{"Type":"Task",
            "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters":{"MessageBody":{"token.$":"$$.Task.Token","order.$":"$.order"}},
            "HeartbeatSeconds":10,"Next":"Ship"},
            "Ship":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
            "Parameters":{"FunctionName":"ship","Payload.$":"$"},"OutputPath":"$.Payload","End":true}}}"#,
    );
    let answers = "{\"Heartbeat\": true, \"DurationSeconds\": 8}\n{\"Return\": {\"approved\": true}, \"DurationSeconds\": 5}\n{\"ReturnPayload\": {\"shipped\": 1}}\n";
    let out = asl_with_stdin(&["run", &def, "--unmocked", "ask", "--input", "-"], "");
    // The input came from stdin too and was empty: a diagnostic, not a hang.
    common::assert_exit(&out, 2);
    let input = scratch("ask.input.json", r#"{"order": 5}"#);
    let out = asl_with_stdin(
        &["run", &def, "--unmocked", "ask", "--input", &input],
        answers,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["output"], serde_json::json!({"shipped": 1}));
    // Each question is one JSON line with the task's request.
    let asked: Vec<serde_json::Value> = stderr
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(asked.len(), 3, "{stderr}");
    assert_eq!(asked[0]["pendingTask"]["state"], "Wait");
    assert_eq!(asked[0]["pendingTask"]["heartbeatSeconds"], 10);
    assert_eq!(
        asked[0]["pendingTask"]["parameters"]["MessageBody"]["order"],
        5
    );
    assert_eq!(asked[1]["pendingTask"]["waitedMs"], 8000);
    assert_eq!(
        asked[2]["pendingTask"]["parameters"]["Payload"],
        serde_json::json!({"approved": true})
    );

    // Too late: HeartbeatSeconds passed before the answer; `TimeOut` when nothing comes.
    for answer in [
        "{\"Return\": 1, \"DurationSeconds\": 11}\n",
        "{\"TimeOut\": true}\n",
    ] {
        let out = asl_with_stdin(
            &["run", &def, "--unmocked", "ask", "--input", &input],
            answer,
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(v["error"], "States.HeartbeatTimeout", "{answer}");
    }
    // A malformed answer on a pipe is an error, not a retry loop.
    let out = asl_with_stdin(
        &["run", &def, "--unmocked", "ask", "--input", &input],
        "{oops\n",
    );
    common::assert_exit(&out, 2);
}

#[test]
fn native_mocks_by_resource_and_state() {
    let mocks = scratch(
        "grouped.json",
        r#"{"States": {"SQSState": {"Return": {"MessageId": "by-state"}}},
            "Resources": {"arn:aws:states:::lambda:invoke": {"ReturnPayload": {"hi": 1}},
                          "arn:aws:states:::sqs:sendMessage": {"Return": {"MessageId": "by-resource"}}}}"#,
    );
    let out = asl(&[
        "run",
        &fixture("lambda-sqs/definition.asl.json"),
        "--mocks",
        &mocks,
    ]);
    common::assert_exit(&out, 0);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["output"], serde_json::json!({"MessageId": "by-state"}));
    // A misspelt state name is worth a warning: that task then runs unmocked.
    let typo = scratch("typo.json", r#"{"LambdaStat": {"Return": 1}}"#);
    let out = asl(&[
        "run",
        &fixture("lambda-sqs/definition.asl.json"),
        "--mocks",
        &typo,
    ]);
    common::assert_exit(&out, 1);
    assert!(
        text(&out.stderr).contains("warning: ")
            && text(&out.stderr).contains(
                "state \"LambdaStat\" is mocked but the definition has no Task state of that name"
            ),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn native_mocks_export_to_a_mock_config_that_runs_the_same() {
    let mocks = scratch(
        "export-native.json",
        r#"{"States": {"LambdaState": {"0": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "slow down"}}, "1": {"ReturnPayload": {"ok": true}}}},
            "Resources": {"arn:aws:states:::sqs:sendMessage": {"Return": {"MessageId": "m-1"}}}}"#,
    );
    let exported = scratch("exported.json", "");
    let def = fixture("lambda-sqs/definition.asl.json");
    let run = |extra: &[&str]| {
        let mut args = vec!["run", def.as_str()];
        args.extend_from_slice(extra);
        let out = asl(&args);
        common::assert_exit(&out, 0);
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("json")
    };
    let native = run(&[
        "--mocks",
        &mocks,
        "--export-mocks",
        &exported,
        "--state-machine",
        "LambdaSQSIntegration",
        "--test-case",
        "Exported",
    ]);
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&exported).expect("exported")).expect("json");
    assert_eq!(
        config["StateMachines"]["LambdaSQSIntegration"]["TestCases"]["Exported"],
        serde_json::json!({"LambdaState": "LambdaState", "SQSState": "SQSState"})
    );
    let lambda = &config["MockedResponses"]["LambdaState"];
    assert_eq!(
        lambda["0"]["Throw"]["Error"],
        "Lambda.TooManyRequestsException"
    );
    assert_eq!(
        lambda["1"]["Return"]["Payload"],
        serde_json::json!({"ok": true})
    );
    assert_eq!(lambda["1"]["Return"]["StatusCode"], 200);
    assert_eq!(
        config["MockedResponses"]["SQSState"]["0-99999"]["Return"]["MessageId"],
        "m-1"
    );
    let imported = run(&["--mocks", &exported, "--test-case", "Exported"]);
    assert_eq!(imported["output"], native["output"]);
    assert_eq!(imported["output"], serde_json::json!({"MessageId": "m-1"}));
}
