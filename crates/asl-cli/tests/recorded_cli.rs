//! `asl replay`, `asl mocks-from` and `asl compare` on recorded histories: LocalStack cases of
//! the conformance corpus (AWS's traces) and `get-execution-history` output (`tests/recorded/`).

mod common;

use common::{asl, json, scratch_in};

fn fixture(name: &str) -> String {
    format!("{}/tests/recorded/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn replay_prints_the_recorded_run() {
    let out = asl(&[
        "replay",
        &fixture("lambda-retry-caught.case.json"),
        "--definition",
        &fixture("lambda-retry-caught.asl.json"),
    ]);
    common::assert_exit(&out, 0);
    let j = json(&out);
    assert_eq!(j["status"], "SUCCEEDED");
    assert_eq!(j["events"], 18);
    assert_eq!(j["transitions"], 2);
    assert_eq!(j["output"]["Error"], "Exception");
    let states = j["states"].as_array().expect("states");
    assert_eq!(states[0]["path"], "InvokeLambdaWithRetry");
    assert_eq!(states[0]["mark"], "caught");
    assert_eq!(states[0]["retries"], 3);
    assert_eq!(states[1]["path"], "HandleError");
}

#[test]
fn replay_inspects_a_recorded_state() {
    let out = asl(&[
        "replay",
        &fixture("charge.history.json"),
        "--definition",
        &fixture("charge.asl.json"),
        "--describe",
        &fixture("charge.describe.json"),
        "--inspect",
        "Charge#1",
        "--history",
    ]);
    common::assert_exit(&out, 0);
    let j = json(&out);
    assert_eq!(j["status"], "SUCCEEDED");
    assert_eq!(j["input"], serde_json::json!({"n": 1}));
    let visit = &j["inspect"][0];
    assert_eq!(visit["attempts"].as_array().map(Vec::len), Some(2));
    assert_eq!(visit["attempts"][0]["error"], "Lambda.ServiceException");
    assert_eq!(visit["attempts"][0]["retryIndex"], 0);
    assert_eq!(visit["attempts"][0]["retryBackoffIntervalSeconds"], 1.0);
    assert!(stderr(&out).contains("== Charge #1"), "{}", stderr(&out));
    let history = j["history"].as_array().expect("history");
    assert_eq!(history.len(), 10);
    assert_eq!(history[4]["type"], "TaskFailed");
    assert_eq!(history[4]["statePath"], "Charge");
}

#[test]
fn mocks_from_gives_every_recorded_outcome_in_order() {
    let out = asl(&[
        "mocks-from",
        &fixture("lambda-retry-caught.case.json"),
        "--definition",
        &fixture("lambda-retry-caught.asl.json"),
    ]);
    common::assert_exit(&out, 0);
    let j = json(&out);
    let seq = j["States"]["InvokeLambdaWithRetry"]
        .as_object()
        .expect("numbered");
    // Four failures, each with its own request id in the cause: four entries.
    assert_eq!(
        seq.keys().map(String::as_str).collect::<Vec<_>>(),
        ["0", "1", "2", "3"]
    );
    assert_eq!(seq["0"]["Throw"]["Error"], "Exception");
    // The MockConfigFile form, read back by `asl run`.
    let out = asl(&[
        "mocks-from",
        &fixture("charge.history.json"),
        "--definition",
        &fixture("charge.asl.json"),
        "--describe",
        &fixture("charge.describe.json"),
        "--format",
        "mock-config",
    ]);
    common::assert_exit(&out, 0);
    let config = json(&out);
    assert_eq!(
        config["StateMachines"]["Payments"]["TestCases"]["Recorded"]["Charge"],
        "Charge"
    );
    assert_eq!(
        config["MockedResponses"]["Charge"]["0"]["Throw"]["Error"],
        "Lambda.ServiceException"
    );
    let path = scratch_in("recorded-cli", "charge-mocks.json", &config.to_string());
    let input = scratch_in("recorded-cli", "charge-input.json", r#"{"n": 1}"#);
    let run = asl(&[
        "run",
        &fixture("charge.asl.json"),
        "--input",
        input.to_str().expect("utf-8"),
        "--mocks",
        path.to_str().expect("utf-8"),
        "--test-case",
        "Recorded",
    ]);
    common::assert_exit(&run, 0);
    assert_eq!(json(&run)["output"], serde_json::json!({"ok": true}));
}

#[test]
fn compare_finds_no_divergence_with_derived_mocks() {
    for name in [
        "lambda-retry-caught",
        "parallel-retry",
        "map",
        "catch-runtime",
    ] {
        let history = fixture(&format!("{name}.case.json"));
        let def = fixture(&format!("{name}.asl.json"));
        let mocks = asl(&["mocks-from", &history, "--definition", &def]);
        let mocks = scratch_in(
            "recorded-cli",
            &format!("{name}-mocks.json"),
            &String::from_utf8_lossy(&mocks.stdout),
        );
        let out = asl(&[
            "compare",
            &history,
            "--definition",
            &def,
            "--mocks",
            mocks.to_str().expect("utf-8"),
        ]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let j = json(&out);
        assert!(j["divergence"].is_null(), "{name}: {j}");
        assert_eq!(j["matchedEvents"], j["recordedEvents"], "{name}");
    }
    let out = asl(&[
        "compare",
        &fixture("charge.history.json"),
        "--definition",
        &fixture("charge.asl.json"),
        "--describe",
        &fixture("charge.describe.json"),
    ]);
    common::assert_exit(&out, 0);
    assert!(stderr(&out).starts_with("no divergence: 10 recorded events"));
}

#[test]
fn compare_reports_the_first_divergence_and_exits_1() {
    // The retry now fails too: the run goes elsewhere at the second attempt's outcome.
    let mocks = scratch_in(
        "recorded-cli",
        "charge-wrong.json",
        r#"{"Charge": {"0": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "busy"}},
            "1": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "still busy"}}}}"#,
    );
    let out = asl(&[
        "compare",
        &fixture("charge.history.json"),
        "--definition",
        &fixture("charge.asl.json"),
        "--mocks",
        mocks.to_str().expect("utf-8"),
    ]);
    common::assert_exit(&out, 1);
    let d = &json(&out)["divergence"];
    assert_eq!(d["kind"], "type");
    assert_eq!(d["recordedEvent"], 8);
    assert_eq!(d["path"], "Charge");
    assert_eq!(d["recorded"], "TaskSucceeded");
    assert_eq!(d["simulated"], "TaskFailed");
    assert!(
        stderr(&out).starts_with("diverges at recorded event 8"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn malformed_histories_are_reported_at_their_position() {
    let bad = scratch_in(
        "recorded-cli",
        "bad-history.json",
        "{\"events\": [\n  {\"id\": 1, \"timestamp\": 0, \"type\": \"ExecutionBegun\"}\n]}",
    );
    for cmd in ["replay", "mocks-from", "compare"] {
        let out = asl(&[
            cmd,
            bad.to_str().expect("utf-8"),
            "--definition",
            &fixture("charge.asl.json"),
        ]);
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        let err = stderr(&out);
        assert!(
            err.contains("bad-history.json:2:37: \"ExecutionBegun\" is not a Step Functions history event type"),
            "{cmd}: {err}"
        );
    }
}

#[test]
fn a_recorded_execution_becomes_an_asl_test_case() {
    for name in ["lambda-retry-caught", "catch-runtime"] {
        let expect = scratch_in("recorded-cli", &format!("{name}-expect.json"), "");
        let out = asl(&[
            "mocks-from",
            &fixture(&format!("{name}.case.json")),
            "--definition",
            &fixture(&format!("{name}.asl.json")),
            "--format",
            "mock-config",
            "--expect",
            expect.to_str().expect("utf-8"),
        ]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let config = scratch_in(
            "recorded-cli",
            &format!("{name}-config.json"),
            &String::from_utf8_lossy(&out.stdout),
        );
        let test = asl(&[
            "test",
            config.to_str().expect("utf-8"),
            "--definition",
            &fixture(&format!("{name}.asl.json")),
            "--expect",
            expect.to_str().expect("utf-8"),
        ]);
        let text = String::from_utf8_lossy(&test.stdout);
        assert_eq!(
            test.status.code(),
            Some(0),
            "{name}: {text}{}",
            stderr(&test)
        );
        assert!(text.contains("1 passed, 0 failed"), "{name}: {text}");
    }
}
