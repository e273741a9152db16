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
