//! Test helpers shared with the template tests: where the recorded cases live, and the context
//! object they were recorded with.

use crate::value::Value;

/// Where the recorded cases live: `$ASL_CONFORMANCE_DIR`, else the shared folder beside the
/// repository (the rule of `tests/common/mod.rs`). Missing cases fail the test, never skip it.
pub(crate) fn conformance_dir() -> std::path::PathBuf {
    let dir = std::env::var("ASL_CONFORMANCE_DIR").map_or_else(
        |_| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance")
        },
        std::path::PathBuf::from,
    );
    assert!(
        dir.join("localstack.jsonl").is_file(),
        "conformance cases not found in {} (set ASL_CONFORMANCE_DIR)",
        dir.display()
    );
    dir
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
