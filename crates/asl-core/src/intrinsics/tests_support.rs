//! Test helpers shared with the template tests: where the recorded cases live, and the context
//! object they were recorded with.

use crate::value::Value;

/// Where the recorded cases live: `$ASL_CONFORMANCE_DIR`, the repository's `tests/conformance`,
/// or the shared folder beside the repository. Missing cases fail the test, never skip it.
pub(crate) fn conformance_dir() -> std::path::PathBuf {
    [
        std::env::var("ASL_CONFORMANCE_DIR").unwrap_or_default(),
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/conformance").to_string(),
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/conformance").to_string(),
    ]
    .into_iter()
    .filter(|d| !d.is_empty())
    .map(std::path::PathBuf::from)
    .find(|d| d.join("localstack.jsonl").exists())
    .expect("conformance cases not found (set ASL_CONFORMANCE_DIR, or tests/conformance, or ../shared/conformance)")
}

/// The context object the conformance cases were recorded with (their placeholder values).
pub(crate) fn context(input: &Value, state: &str) -> Value {
    let arn = "arn:<partition>:states:<region>:111111111111";
    Value::from(serde_json::json!({
        "Execution": {
            "Id": format!("{arn}:execution:<ArnPart_0idx>:<ExecArnPart_0idx>"),
            "Input": serde_json::Value::from(input),
            "Name": "<ExecArnPart_0idx>",
            "RoleArn": "snf_role_arn",
            "StartTime": "date",
            "RedriveCount": 0
        },
        "StateMachine": {"Id": format!("{arn}:stateMachine:<ArnPart_0idx>"), "Name": "<ArnPart_0idx>"},
        "State": {"Name": state, "EnteredTime": "date"}
    }))
}
