//! `asl validate` as other tooling sees it: the exact output lines, the summary and the exit
//! status, compared with golden files in `tests/golden/` (rewrite them with `UPDATE_GOLDEN=1`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// Runs `asl ARGS` from the repository root; returns (stdout, stderr, exit code).
fn asl(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_asl"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("run asl");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        actual,
        expected,
        "output differs from {} (UPDATE_GOLDEN=1 rewrites it)",
        path.display()
    );
}

#[test]
fn problems_are_listed_one_per_line_with_a_summary() {
    let (out, err, code) = asl(&[
        "validate",
        "tests/validate/many_problems.json",
        "tests/validate/invalid_json.json",
        "tests/validate/no_dollar.json",
    ]);
    golden("validate_problems.txt", &out);
    assert_eq!(err, "");
    assert_eq!(code, 1, "errors found → exit 1");
}

#[test]
fn a_valid_definition_exits_zero() {
    let (out, _, code) = asl(&["validate", "tests/validate/ok/hello.json"]);
    golden("validate_ok.txt", &out);
    assert_eq!(code, 0);
}

#[test]
fn warnings_alone_exit_zero() {
    let (out, _, code) = asl(&["validate", "tests/validate/unreachable_state.json"]);
    assert!(
        out.starts_with("tests/validate/unreachable_state.json:5:5: warning[UNREACHABLE_STATE]: "),
        "{out}"
    );
    assert_eq!(code, 0);
}

#[test]
fn an_unreadable_file_exits_two() {
    let (out, err, code) = asl(&[
        "validate",
        "tests/validate/ok/hello.json",
        "tests/validate/no-such-file.json",
    ]);
    assert!(
        err.starts_with("asl: cannot read tests/validate/no-such-file.json: "),
        "{err}"
    );
    assert!(
        out.ends_with("0 errors, 0 warnings in 2 files (1 could not be read)\n"),
        "{out}"
    );
    assert_eq!(code, 2);
}

#[test]
fn json_output_carries_pointers() {
    let (out, _, code) = asl(&[
        "validate",
        "--format",
        "json",
        "tests/validate/missing_transition_target.json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON output");
    let d = &v[0]["diagnostics"][0];
    assert_eq!(d["code"], "MISSING_TRANSITION_TARGET");
    assert_eq!(d["pointer"], "/States/A/Next");
    assert_eq!(d["start"]["line"], 6);
    assert_eq!(v[0]["valid"], false);
    assert_eq!(code, 1);
}

#[test]
fn help_explains_the_command_and_its_codes() {
    let (out, _, code) = asl(&["validate", "--help"]);
    assert_eq!(code, 0);
    for needle in [
        "FILE",
        "Exit status",
        "MISSING_TRANSITION_TARGET",
        "UNREACHABLE_STATE",
        "--format",
    ] {
        assert!(
            out.contains(needle),
            "`asl validate --help` should mention {needle}:\n{out}"
        );
    }
    let (top, _, _) = asl(&["--help"]);
    assert!(top.contains("validate"), "{top}");
}

// Placeholders, YAML and templates (tests/formats): positions point into the file given.

#[test]
fn yaml_definitions_warn_about_placeholders_at_their_line() {
    let (out, err, code) = asl(&["validate", "tests/formats/order.asl.yaml"]);
    assert_eq!(code, 0, "placeholders never block: {out}{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "tests/formats/order.asl.yaml:7:15: warning[TEMPLATE_PLACEHOLDER]: '${ProcessFunctionArn}' \
         is a template placeholder; checks on its value wait until it has one (skipped: \
         INVALID_RESOURCE: Resource '${ProcessFunctionArn}' is not an ARN (arn:partition:service:…))"
    );
    assert!(
        lines[1].starts_with(
            "tests/formats/order.asl.yaml:14:19: warning[TEMPLATE_PLACEHOLDER]: '${AWS::Partition}'"
        ),
        "{out}"
    );
    assert!(
        lines[2].starts_with(
            "tests/formats/order.asl.yaml:16:17: warning[TEMPLATE_PLACEHOLDER]: '${TopicArn}'"
        ),
        "{out}"
    );
    assert_eq!(lines[3], "0 errors, 3 warnings in 1 file");
}

#[test]
fn substitutions_fill_placeholders_and_their_values_are_checked() {
    let (out, _, code) = asl(&[
        "validate",
        "tests/formats/order.asl.yaml",
        "--substitutions",
        "tests/formats/substitutions.json",
    ]);
    // The lints run on the values: the Lambda ARN given makes `States.TaskFailed` a broad retry.
    assert_eq!(
        (out.as_str(), code),
        (
            "tests/formats/order.asl.yaml:9:23: warning[LAMBDA_RETRY_BROAD]: 'Process' retries every failure (States.TaskFailed); Lambda retries asynchronous invocations and event-source batches on its own too, so one failing event can run the product of both policies' attempts (3 × 3 = 9 with the defaults); keep retry policy in one place\n0 errors, 1 warning in 1 file\n",
            0
        )
    );
    // --substitute wins over the file; a bad value is reported where the placeholder was.
    let (out, _, code) = asl(&[
        "validate",
        "tests/formats/order.asl.yaml",
        "--substitutions",
        "tests/formats/substitutions.json",
        "--substitute",
        "ProcessFunctionArn=process",
    ]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("tests/formats/order.asl.yaml:7:15: error[INVALID_RESOURCE]: Resource 'process' is not an ARN"),
        "{out}"
    );
    let (_, err, code) = asl(&[
        "validate",
        "tests/formats/order.asl.yaml",
        "--substitute",
        "NoEquals",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("expected NAME=VALUE"), "{err}");
}

#[test]
fn templates_pick_a_state_machine_by_logical_id() {
    // The first state machine lives in a DefinitionUri file: positions point into that file, and
    // the template's literal DefinitionSubstitutions apply.
    let (out, err, code) = asl(&["validate", "tests/formats/sam/template.yaml"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("3 state machines (FromFile, Inline, Typed); checking FromFile"),
        "{err}"
    );
    assert!(
        out.contains(
            "tests/formats/sam/statemachine/process.asl.json:9:15: error[MISSING_TRANSITION_TARGET]"
        ),
        "{out}"
    );
    assert!(
        !out.contains("RetryCount"),
        "substituted from the template: {out}"
    );
    // DefinitionString (!Sub block): the line and column inside the template.
    let (out, _, code) = asl(&[
        "validate",
        "tests/formats/sam/template.yaml",
        "--logical-id",
        "Inline",
    ]);
    assert_eq!(code, 1);
    assert!(
        out.contains("tests/formats/sam/template.yaml:31:33: error[INVALID_TIMEOUT]"),
        "{out}"
    );
    assert!(out.contains("tests/formats/sam/template.yaml:30:28: warning[TEMPLATE_PLACEHOLDER]: '${ProcessFunction.Arn}'"), "{out}");
    // Definition (YAML object, !GetAtt inside).
    let (out, _, _) = asl(&[
        "validate",
        "tests/formats/sam/template.yaml",
        "--logical-id",
        "Typed",
    ]);
    assert!(
        out.contains("tests/formats/sam/template.yaml:49:23: warning[TEMPLATE_PLACEHOLDER]"),
        "{out}"
    );
    assert!(
        out.contains("tests/formats/sam/template.yaml:50:19: error[MISSING_TRANSITION_TARGET]"),
        "{out}"
    );
    let (out, _, code) = asl(&[
        "validate",
        "tests/formats/sam/template.yaml",
        "--logical-id",
        "Nope",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("5:1: error[INVALID_TEMPLATE]: the template has no state machine with logical id 'Nope' (it has: FromFile, Inline, Typed)"), "{out}");
}

#[test]
fn cdk_out_templates_join_their_definition_string() {
    let (out, _, code) = asl(&[
        "validate",
        "--format",
        "json",
        "tests/formats/cdk.out.template.json",
    ]);
    assert_eq!(code, 0, "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("json report");
    let names: Vec<&str> = report[0]["placeholders"]
        .as_array()
        .expect("placeholders")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, ["AWS::Partition", "OrderFn1A2B3C4D.Arn"]);
    assert_eq!(
        report[0]["source"]["logical_id"],
        "OrderStateMachineE3A5C1B2"
    );
    // The placeholder for `{"Ref": "AWS::Partition"}` is found on the template's line 14.
    assert_eq!(report[0]["diagnostics"][0]["start"]["line"], 14);
}

#[test]
fn run_and_render_take_the_same_inputs() {
    let (out, err, code) = asl(&[
        "run",
        "tests/formats/order.asl.yaml",
        "--substitutions",
        "tests/formats/substitutions.json",
        "--input",
        "tests/formats/order.input.json",
        "--unmocked",
        "echo",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:orders\""),
        "{out}"
    );
    // A placeholder a run would need (a Next target) stops `run`, not `validate`.
    let (out, err, code) = asl(&["run", "tests/formats/placeholder_next.json"]);
    assert_eq!((out.as_str(), code), ("", 2), "{err}");
    assert!(
        err.contains("placeholder_next.json:4:35: error[MISSING_TRANSITION_TARGET]")
            && err.contains("--substitute"),
        "{err}"
    );
    let (_, _, code) = asl(&["validate", "tests/formats/placeholder_next.json"]);
    assert_eq!(code, 0);
    let (out, _, code) = asl(&[
        "run",
        "tests/formats/placeholder_next.json",
        "--substitute",
        "Then=B",
    ]);
    assert_eq!(code, 0, "{out}");
    let (svg, err, code) = asl(&[
        "render",
        "tests/formats/sam/template.yaml",
        "--logical-id",
        "Inline",
    ]);
    // Inline has an error (TimeoutSeconds 0): render reports it on stderr.
    assert!(err.contains("template.yaml:31:33"), "{err}");
    let _ = (svg, code);
    let (svg, _, code) = asl(&["render", "tests/formats/order.asl.yaml"]);
    assert_eq!(code, 0);
    assert!(
        svg.contains("Lambda: ${ProcessFunctionArn}"),
        "the graph names the task by what is known"
    );
}
