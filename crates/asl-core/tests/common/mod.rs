//! What the integration tests that read the recorded AWS cases share: where the cases live, and
//! what a case says of itself. One rule for every test, so `ASL_CONFORMANCE_DIR` moves them all.
//! Owns no test and no expectation; each test keeps its own known-failure list.

// Each test crate includes this module and uses only part of it.
#![allow(dead_code)]
// The tests read the shared case files; the core itself never does.
#![allow(clippy::disallowed_methods)]

use std::path::PathBuf;

use serde_json::Value as Json;

/// Where the recorded cases live: `$ASL_CONFORMANCE_DIR`, else the shared folder beside the
/// repository. Missing cases fail the test, never skip it.
pub fn conformance_dir() -> PathBuf {
    let dir = std::env::var("ASL_CONFORMANCE_DIR").map_or_else(
        |_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance"),
        PathBuf::from,
    );
    assert!(
        dir.join("localstack.jsonl").is_file(),
        "conformance cases not found in {} (set ASL_CONFORMANCE_DIR)",
        dir.display()
    );
    dir
}

/// The non-empty lines of one case file, each parsed as JSON.
pub fn read_cases(file: &str) -> Vec<Json> {
    let path = conformance_dir().join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {} ({e})", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a conformance line is JSON"))
        .collect()
}

/// The workflow type a case was recorded or validated as (`context.state_machine_type`;
/// STANDARD when unset).
pub fn workflow_type(case: &Json) -> asl_core::WorkflowType {
    case.pointer("/context/state_machine_type")
        .and_then(Json::as_str)
        .and_then(|t| t.parse().ok())
        .unwrap_or_default()
}

/// One edit of a text, as the property tests mutate their fixtures: `op` 0 keeps a prefix, 1
/// deletes a character, 2 splices `token` in; `at` picks the position (moved back to a character
/// boundary).
pub fn mutate(base: &str, op: u8, at: &proptest::sample::Index, token: &str) -> String {
    match op {
        0 => base[..base.floor_char_boundary(at.index(base.len() + 1))].to_string(),
        1 => {
            let i = base.floor_char_boundary(at.index(base.len().max(1)));
            let mut s = base.to_string();
            if i < s.len() {
                s.remove(i);
            }
            s
        }
        _ => {
            let i = base.floor_char_boundary(at.index(base.len() + 1));
            let mut s = base.to_string();
            s.insert_str(i, token);
            s
        }
    }
}
