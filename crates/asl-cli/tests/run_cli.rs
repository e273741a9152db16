//! `asl run`: the output object and exit codes other tooling relies on.

#![allow(clippy::disallowed_methods)] // a CLI test writes files and reads the clock-free output

use std::path::PathBuf;

mod common;
use common::{asl, json};

fn scratch(name: &str, text: &str) -> PathBuf {
    common::scratch_in("asl-run-cli", name, text)
}

const DEF: &str = r#"{"StartAt":"T","States":{
  "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f",
       "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":1}],"ResultPath":"$.r","End":true}}}"#;

#[test]
fn succeeds_with_numbered_mocks_and_prints_history() {
    let def = scratch("ok.asl.json", DEF);
    let input = scratch("ok.input.json", r#"{"x":1}"#);
    let mocks = scratch(
        "ok.mocks.json",
        r#"{"T":{"0":{"Throw":{"Error":"Flaky","Cause":"c"}},"1":{"Return":{"y":2}}}}"#,
    );
    let out = asl(&[
        "run",
        def.to_str().expect("path"),
        "--input",
        input.to_str().expect("path"),
        "--mocks",
        mocks.to_str().expect("path"),
        "--history",
    ]);
    common::assert_exit(&out, 0);
    let v = json(&out);
    assert_eq!(v["status"], "SUCCEEDED");
    assert_eq!(v["output"], serde_json::json!({"x": 1, "r": {"y": 2}}));
    assert_eq!(v["error"], serde_json::Value::Null);
    assert_eq!(v["transitions"], 1);
    let types: Vec<&str> = v["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["type"].as_str())
        .collect();
    assert_eq!(
        types
            .iter()
            .filter(|t| **t == "LambdaFunctionScheduled")
            .count(),
        2
    );
    assert_eq!(types.last(), Some(&"ExecutionSucceeded"));
}

#[test]
fn unmocked_tasks_fail_by_default_and_echo_on_request() {
    let def = scratch("um.asl.json", DEF);
    let out = asl(&["run", def.to_str().expect("path")]);
    common::assert_exit(&out, 1);
    let v = json(&out);
    assert_eq!(v["status"], "FAILED");
    assert_eq!(v["error"], "States.Runtime");
    assert!(
        v["cause"]
            .as_str()
            .is_some_and(|c| c.contains("'T' has no mocked response"))
    );
    let out = asl(&["run", def.to_str().expect("path"), "--unmocked", "echo"]);
    common::assert_exit(&out, 0);
    assert_eq!(json(&out)["output"], serde_json::json!({"r": {}}));
}

#[test]
fn bad_inputs_exit_2_with_a_diagnostic() {
    let bad = scratch(
        "bad.asl.json",
        "{\n  \"StartAt\": \"Nope\",\n  \"States\": {}\n}",
    );
    let out = asl(&["run", bad.to_str().expect("path")]);
    common::assert_exit(&out, 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.asl.json:") && err.contains("error["),
        "{err}"
    );
    let def = scratch("ok2.asl.json", DEF);
    let input = scratch("bad.input.json", "{oops");
    let out = asl(&[
        "run",
        def.to_str().expect("path"),
        "--input",
        input.to_str().expect("path"),
    ]);
    common::assert_exit(&out, 2);
    let out = asl(&["run", "/nonexistent/definition.json"]);
    common::assert_exit(&out, 2);
    let mocks = scratch("bad.mocks.json", r#"{"T":{"1":{"Return":1}}}"#);
    let out = asl(&[
        "run",
        def.to_str().expect("path"),
        "--mocks",
        mocks.to_str().expect("path"),
    ]);
    common::assert_exit(&out, 2);
}

#[test]
fn runs_a_step_functions_local_mock_config_test_case() {
    let def = scratch("mc.asl.json", DEF);
    let config = scratch(
        "mc.mocks.json",
        r#"{"StateMachines":{"Demo":{"TestCases":{"Happy":{"T":"Ok"},"Retry":{"T":"FlakyThenOk"}}}},
            "MockedResponses":{"Ok":{"0":{"Return":{"n":1}}},
                               "FlakyThenOk":{"0":{"Throw":{"Error":"Flaky","Cause":"c"}},"1":{"Return":{"n":2}}}}}"#,
    );
    let run = |case: &str| {
        asl(&[
            "run",
            def.to_str().expect("path"),
            "--mocks",
            config.to_str().expect("path"),
            "--test-case",
            case,
        ])
    };
    assert_eq!(
        json(&run("Happy"))["output"],
        serde_json::json!({"r": {"n": 1}})
    );
    assert_eq!(
        json(&run("Retry"))["output"],
        serde_json::json!({"r": {"n": 2}})
    );
    assert_eq!(run("Missing").status.code(), Some(2));
}

#[test]
fn inspect_prints_a_visits_stages_and_retries() {
    let def = scratch("inspect.asl.json", DEF);
    let input = scratch("inspect.input.json", r#"{"x":1}"#);
    let mocks = scratch(
        "inspect.mocks.json",
        r#"{"T":{"0":{"Throw":{"Error":"Flaky","Cause":"c"}},"1":{"Return":{"y":2}}}}"#,
    );
    let (d, i, m) = (
        def.to_str().expect("path"),
        input.to_str().expect("path"),
        mocks.to_str().expect("path"),
    );
    let out = asl(&["run", d, "--input", i, "--mocks", m, "--inspect", "T#1"]);
    common::assert_exit(&out, 0);
    let v = json(&out);
    let visit = &v["inspect"][0];
    assert_eq!(visit["path"], "T");
    assert_eq!(visit["outcome"], "succeeded");
    assert_eq!(visit["attempts"][0]["error"], "Flaky");
    assert_eq!(visit["attempts"][0]["retryIndex"], 0);
    assert_eq!(visit["attempts"][0]["retryBackoffIntervalSeconds"], 1.0);
    let names: Vec<&str> = visit["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "input",
            "afterInputPath",
            "afterParameters",
            "result",
            "afterResultSelector",
            "afterResultPath",
            "output"
        ]
    );
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("== T #1: Task Succeeded"), "{text}");
    assert!(
        text.contains("afterResultPath ← ResultPath $.r   [+/x +/r -/y]"),
        "{text}"
    );
    assert!(text.contains("retried by Retry[0] after 1s"), "{text}");
    // A missing visit or state is a usage error (exit 2) that says what exists.
    let out = asl(&["run", d, "--input", i, "--mocks", m, "--inspect", "T#3"]);
    common::assert_exit(&out, 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("has 1 visit(s)"));
    let out = asl(&["run", d, "--inspect", "Nope"]);
    common::assert_exit(&out, 2);
}
