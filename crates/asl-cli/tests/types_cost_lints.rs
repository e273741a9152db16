//! `asl run/validate/test --type`, `asl run --cost` and the lints with their positions, on the
//! gallery examples that teach them (`web/examples/*.json`).

#![allow(clippy::disallowed_methods)] // a CLI test writes files

use std::path::PathBuf;

mod common;
use common::{asl, json};
use std::process::Output;

fn scratch(name: &str, text: &str) -> PathBuf {
    common::scratch_in("asl-types-cli", name, text)
}

/// An example's definition, input and mocks as files: (definition, input, mocks).
fn example(name: &str) -> (String, String, String) {
    let path =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/examples/").to_string() + name + ".json";
    let text = std::fs::read_to_string(&path).expect("example");
    let v: serde_json::Value = serde_json::from_str(&text).expect("example JSON");
    let file = |part: &str| {
        let body = serde_json::to_string_pretty(&v[part]).expect("serialise");
        scratch(&format!("{name}.{part}.json"), &body)
            .to_str()
            .expect("path")
            .to_string()
    };
    (file("definition"), file("input"), file("mocks"))
}

#[test]
fn express_lets_the_long_loop_finish_where_standard_hits_the_history_quota() {
    let (d, i, _) = example("standard-vs-express-loop");
    let standard = json(&asl(&["run", &d, "--input", &i]));
    assert_eq!(standard["status"], "FAILED");
    assert_eq!(standard["workflowType"], "STANDARD");
    assert_eq!(standard["delivery"]["semantics"], "exactly-once");
    assert!(standard["cause"].as_str().expect("cause").contains("25000"));
    let out = asl(&["run", &d, "--input", &i, "--type", "EXPRESS"]);
    common::assert_exit(&out, 0);
    let express = json(&out);
    assert_eq!(express["status"], "SUCCEEDED");
    assert_eq!(express["output"]["count"], 100_000);
    assert_eq!(express["delivery"]["semantics"], "at-least-once");
    assert_eq!(
        express["delivery"]["mustBeIdempotent"],
        serde_json::json!([])
    );
    let (d, i, m) = example("video-pipeline");
    let v = json(&asl(&[
        "run", &d, "--input", &i, "--mocks", &m, "--type", "EXPRESS",
    ]));
    let risky: Vec<&str> = v["delivery"]["mustBeIdempotent"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|r| r["state"].as_str())
        .collect();
    assert_eq!(
        risky,
        [
            "Validate",
            "Transcode",
            "Thumbnails",
            "SaveMetadata",
            "NotifyUser"
        ]
    );
}

#[test]
fn express_times_out_after_five_minutes_of_virtual_time() {
    let d = scratch(
        "wait.asl.json",
        r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 400, "End": true}}}"#,
    );
    let d = d.to_str().expect("path");
    let v = json(&asl(&["run", d, "--type", "express"]));
    assert_eq!(v["status"], "TIMED_OUT");
    assert_eq!(v["error"], "States.Timeout");
    assert_eq!(json(&asl(&["run", d]))["status"], "SUCCEEDED");
}

#[test]
fn express_rejects_callback_patterns_at_validation() {
    let d = scratch(
        "wftt.asl.json",
        "{\n  \"StartAt\": \"S\",\n  \"States\": {\n    \"S\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::sqs:sendMessage.waitForTaskToken\", \"End\": true}\n  }\n}\n",
    );
    let d = d.to_str().expect("path");
    let out = asl(&["validate", d, "--type", "EXPRESS"]);
    common::assert_exit(&out, 1);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(":4:39: error[EXPRESS_UNSUPPORTED_INTEGRATION]: Express state machine does not support '.waitForTaskToken' service integration"),
        "{text}"
    );
    assert_eq!(asl(&["validate", d]).status.code(), Some(0));
    assert_eq!(asl(&["run", d, "--type", "EXPRESS"]).status.code(), Some(2));
    assert_eq!(
        asl(&["validate", d, "--type", "FAST"]).status.code(),
        Some(2)
    );
}

#[test]
fn cost_compares_standard_and_express_for_the_video_pipeline() {
    let (d, i, m) = example("video-pipeline");
    let out = asl(&[
        "run",
        &d,
        "--input",
        &i,
        "--mocks",
        &m,
        "--cost",
        "--executions-per-month",
        "100000",
    ]);
    common::assert_exit(&out, 0);
    let v = json(&out);
    let cost = &v["cost"];
    // Validate, Process, Transcode, Thumbnails, SaveMetadata, NotifyUser.
    assert_eq!(cost["usage"]["execution"]["billedTransitions"], 6);
    let standard = cost["standard"]["perRunUsd"].as_f64().expect("usd");
    assert!((standard - 6.0 * 0.000025).abs() < 1e-12);
    let express = cost["express"]["perRunUsd"].as_f64().expect("usd");
    assert!(express < standard);
    assert!(cost["breakEvenExecutionsPerMonth"].as_u64().is_some());
    assert_eq!(cost["prices"]["region"], "us-east-1");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("STANDARD: $0.00015000 per run"), "{stderr}");
    assert!(stderr.contains("100,000 runs a month"), "{stderr}");
    // Editable prices: twice the transition price doubles Standard's bill.
    let prices = scratch(
        "prices.json",
        r#"{"region": "eu-west-3", "perTransition": 0.00005}"#,
    );
    let v = json(&asl(&[
        "run",
        &d,
        "--input",
        &i,
        "--mocks",
        &m,
        "--cost",
        "--prices",
        prices.to_str().expect("path"),
    ]));
    assert_eq!(v["cost"]["prices"]["region"], "eu-west-3");
    let doubled = v["cost"]["standard"]["perRunUsd"].as_f64().expect("usd");
    assert!((doubled - 2.0 * standard).abs() < 1e-12);
    let bad = scratch("bad-prices.json", r#"{"perTransition": "cheap"}"#);
    assert_eq!(
        asl(&["run", &d, "--cost", "--prices", bad.to_str().expect("path")])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn lints_have_codes_positions_and_can_be_allowed() {
    let (d, i, m) = example("retries-multiply");
    let out = asl(&["validate", &d]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(":18:13: warning[RETRY_MULTIPLIES]: 'Charge' can run up to 4 × 3 = 12 times"),
        "{text}"
    );
    let quiet = asl(&["validate", &d, "--allow", "RETRY_MULTIPLIES"]);
    assert!(!String::from_utf8_lossy(&quiet.stdout).contains("RETRY_MULTIPLIES"));
    assert_eq!(
        asl(&["validate", &d, "--allow", "NOPE"]).status.code(),
        Some(2)
    );
    // After a run: the twelve attempts really happen.
    let v = json(&asl(&[
        "run",
        &d,
        "--input",
        &i,
        "--mocks",
        &m,
        "--lint",
        "--history",
    ]));
    let attempts = v["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["type"] == "TaskScheduled")
        .count();
    assert_eq!(attempts, 12);
    assert_eq!(v["lints"][0]["code"], "RETRY_MULTIPLIES");
    assert_eq!(v["lints"][0]["start"]["line"], 18);
}

#[test]
fn payload_lints_before_and_after_the_run() {
    let (d, i, _) = example("payload-grows");
    let out = asl(&["run", &d, "--input", &i, "--lint"]);
    let v = json(&out);
    assert_eq!(v["error"], "States.DataLimitExceeded");
    let codes: Vec<(&str, u64)> = v["lints"]
        .as_array()
        .expect("lints")
        .iter()
        .map(|l| {
            (
                l["code"].as_str().unwrap_or(""),
                l["start"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(codes.contains(&("PAYLOAD_GROWS_IN_LOOP", 9)), "{codes:?}");
    assert!(codes.contains(&("PAYLOAD_NEAR_LIMIT", 5)), "{codes:?}");
}

#[test]
fn secrets_in_the_input_and_the_quick_fix_in_json() {
    let d = scratch(
        "lambda.asl.json",
        "{\n  \"StartAt\": \"Call\",\n  \"States\": {\n    \"Call\": {\n      \"Type\": \"Task\",\n      \"Resource\": \"arn:aws:states:::lambda:invoke\",\n      \"End\": true\n    }\n  }\n}\n",
    );
    let d = d.to_str().expect("path");
    let input = scratch(
        "secret.input.json",
        r#"{"user": "ada", "password": "hunter2"}"#,
    );
    let v = json(&asl(&[
        "run",
        d,
        "--input",
        input.to_str().expect("path"),
        "--unmocked",
        "echo",
        "--lint",
    ]));
    let codes: Vec<&str> = v["lints"]
        .as_array()
        .expect("lints")
        .iter()
        .filter_map(|l| l["code"].as_str())
        .collect();
    assert_eq!(codes, ["SECRET_IN_INPUT", "LAMBDA_TRANSIENT_RETRY_MISSING"]);
    let out = asl(&["validate", d, "--format", "json"]);
    let report = json(&out);
    let fix = &report[0]["diagnostics"][0]["fix"];
    assert!(
        fix["replacement"]
            .as_str()
            .expect("replacement")
            .contains("Lambda.ServiceException")
    );
    assert_eq!(fix["span"]["start"], fix["span"]["end"]);
}

#[test]
fn asl_test_takes_a_type() {
    let (d, i, _) = example("standard-vs-express-loop");
    let config = scratch(
        "loop.mockconfig.json",
        r#"{"StateMachines": {"Loop": {"TestCases": {"Big": {}}}}, "MockedResponses": {}}"#,
    );
    let c = config.to_str().expect("path");
    let express = asl(&[
        "test",
        c,
        "--definition",
        &d,
        "--input",
        &i,
        "--type",
        "EXPRESS",
    ]);
    assert_eq!(
        express.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&express.stdout)
    );
    let standard = asl(&["test", c, "--definition", &d, "--input", &i]);
    common::assert_exit(&standard, 1);
    assert!(String::from_utf8_lossy(&standard.stdout).contains("maximum number of history events"));
}

#[test]
fn polling_run_is_a_cost_hot_spot_too_long_for_express_with_secrets() {
    let (d, i, m) = example("polling-cost-secrets");
    let out = asl(&["run", &d, "--input", &i, "--mocks", &m, "--lint", "--cost"]);
    common::assert_exit(&out, 0);
    let v = json(&out);
    assert_eq!(v["cost"]["usage"]["execution"]["billedTransitions"], 1503);
    assert!(
        v["cost"]["expressBlocker"]
            .as_str()
            .expect("blocker")
            .contains("5,000 s")
    );
    assert!(v["cost"]["breakEvenExecutionsPerMonth"].is_null());
    let lints: Vec<(String, u64)> = v["lints"]
        .as_array()
        .expect("lints")
        .iter()
        .map(|l| {
            (
                l["code"].as_str().unwrap_or("").to_string(),
                l["start"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let expect = [
        ("SECRET_IN_INPUT", 1),
        ("COST_HOT_SPOT", 5),
        ("SECRET_IN_DEFINITION", 14),
        ("LAMBDA_RETRY_BROAD", 25),
    ];
    let expect: Vec<(String, u64)> = expect.iter().map(|(c, l)| (c.to_string(), *l)).collect();
    assert_eq!(lints, expect);
    assert_eq!(v["lints"][0]["pointer"], "/apiKey");
}

/// The workflow type, the lints and a template's placeholders, all on one command line: the
/// type's rules run on the substituted value, in the state machine `--logical-id` picks.
#[test]
fn express_checks_a_template_placeholder_once_substituted() {
    let tpl = scratch(
        "two-machines.yaml",
        "Resources:\n  Other:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition: {StartAt: P, States: {P: {Type: Pass, End: true}}}\n  Main:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition:\n        StartAt: Ask\n        States:\n          Ask:\n            Type: Task\n            Resource: ${QueueIntegration}\n            Parameters:\n              password: hunter2\n            End: true\n",
    );
    let tpl = tpl.to_str().expect("path");
    let stdout = |out: &Output| String::from_utf8_lossy(&out.stdout).to_string();

    // Unsubstituted: a warning where the placeholder is, and the lint; no error either way.
    let out = asl(&["validate", tpl, "--type", "EXPRESS", "--logical-id", "Main"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains(":14:23: warning[TEMPLATE_PLACEHOLDER]"),
        "{text}"
    );
    assert!(
        text.contains(":16:15: warning[SECRET_IN_DEFINITION]"),
        "{text}"
    );

    // Substituted with a callback pattern: Express rejects it, at the placeholder's position.
    let wftt = "QueueIntegration=arn:aws:states:::sqs:sendMessage.waitForTaskToken";
    let out = asl(&[
        "validate",
        tpl,
        "--type",
        "EXPRESS",
        "--substitute",
        wftt,
        "--logical-id",
        "Main",
        "--allow",
        "SECRET_IN_DEFINITION",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains(":14:23: error[EXPRESS_UNSUPPORTED_INTEGRATION]"),
        "{text}"
    );
    assert!(!text.contains("SECRET_IN_DEFINITION"), "{text}");
    assert!(!text.contains("TEMPLATE_PLACEHOLDER"), "{text}");
    // The same value is fine for Standard, and the other machine has no such task.
    assert_eq!(
        asl(&[
            "validate",
            tpl,
            "--substitute",
            wftt,
            "--logical-id",
            "Main"
        ])
        .status
        .code(),
        Some(0)
    );
    let other = asl(&[
        "validate",
        tpl,
        "--type",
        "EXPRESS",
        "--substitute",
        wftt,
        "--logical-id",
        "Other",
    ]);
    assert_eq!(other.status.code(), Some(0), "{}", stdout(&other));

    // A run as Express with the plain integration: its type and lints, read from the template.
    let mocks = scratch("two-machines.mocks.json", r#"{"Ask": {"Return": {}}}"#);
    let out = asl(&[
        "run",
        tpl,
        "--type",
        "EXPRESS",
        "--substitute",
        "QueueIntegration=arn:aws:states:::sqs:sendMessage",
        "--logical-id",
        "Main",
        "--mocks",
        mocks.to_str().expect("path"),
        "--lint",
    ]);
    common::assert_exit(&out, 0);
    let v = json(&out);
    assert_eq!(v["status"], "SUCCEEDED");
    assert_eq!(v["workflowType"], "EXPRESS");
    let lints: Vec<(String, u64)> = v["lints"]
        .as_array()
        .expect("lints")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["start"]["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert!(
        lints.contains(&("SECRET_IN_DEFINITION".to_string(), 16)),
        "{lints:?}"
    );
}
