//! Rules that depend on the workflow type (STANDARD or EXPRESS), which a definition alone does
//! not say: AWS checks them at `CreateStateMachine` / `ValidateStateMachineDefinition` with the
//! type given beside the definition.
//!
//! Owns one rule today: an Express workflow, or the Express child workflow of a Distributed Map
//! (`ProcessorConfig.ExecutionType: EXPRESS`), cannot use the `.sync` or `.waitForTaskToken`
//! integration patterns. AWS reports `SCHEMA_VALIDATION_FAILED` at `/States/<name>/Resource`
//! with "Express state machine does not support '.waitForTaskToken' service integration"
//! (recorded in `../shared/conformance/localstack_validation.jsonl`, ILLEGAL_WFTT).
//!
//! Not owned here: the type's run-time limits ([`crate::workflow`], [`crate::exec`]).

use crate::diag::{Code, Diagnostic};
use crate::model::{Branch, MapMode, StateKind, StateMachine};
use crate::validate::{nested, state_ptr};
use crate::workflow::{WorkflowType, express_unsupported_pattern};

/// Every problem of `machine` that comes from running it as `ty`.
pub fn validate_type(machine: &StateMachine, ty: WorkflowType) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    branch(&machine.root, "", ty, &mut out);
    out
}

fn branch(b: &Branch, ptr: &str, ty: WorkflowType, out: &mut Vec<Diagnostic>) {
    for (name, state) in &b.states {
        let sptr = state_ptr(ptr, name);
        if let StateKind::Task(t) = &state.kind
            && ty == WorkflowType::Express
            && let Some(pattern) = express_unsupported_pattern(&t.resource.value)
        {
            out.push(Diagnostic::new(
                Code::ExpressUnsupportedIntegration,
                format!("Express state machine does not support '{pattern}' service integration"),
                format!("{sptr}/Resource"),
                t.resource.span,
            ));
        }
        // A Distributed Map's children are executions of their own type (STANDARD when unset).
        let child_ty = match &state.kind {
            StateKind::Map(m) => match m.processor.processor_config.as_ref() {
                Some(c) if c.mode == MapMode::Distributed => c
                    .execution_type
                    .as_ref()
                    .and_then(|t| t.value.parse().ok())
                    .unwrap_or(WorkflowType::Standard),
                _ => ty,
            },
            _ => ty,
        };
        for (inner, iptr) in nested(&state.kind, &sptr) {
            branch(inner, &iptr, child_ty, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diags(text: &str, ty: WorkflowType) -> Vec<Diagnostic> {
        let loaded = crate::load(text);
        let m = loaded.machine.expect("machine");
        validate_type(&m, ty)
    }

    const WFTT: &str = r#"{"StartAt": "S", "States": {"S": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}}}"#;

    #[test]
    fn express_rejects_callbacks_with_aws_message() {
        let d = diags(WFTT, WorkflowType::Express);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code.aws_code(), Some("SCHEMA_VALIDATION_FAILED"));
        assert_eq!(d[0].pointer, "/States/S/Resource");
        assert_eq!(
            d[0].message,
            "Express state machine does not support '.waitForTaskToken' service integration"
        );
        assert!(diags(WFTT, WorkflowType::Standard).is_empty());
    }

    #[test]
    fn distributed_map_children_have_their_own_type() {
        let text = |ty: &str| {
            format!(
                r#"{{"StartAt": "M", "States": {{"M": {{"Type": "Map", "End": true,
                "ItemProcessor": {{"ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "{ty}"}},
                "StartAt": "J", "States": {{"J": {{"Type": "Task",
                "Resource": "arn:aws:states:::ecs:runTask.sync", "End": true}}}}}}}}}}}}"#
            )
        };
        let d = diags(&text("EXPRESS"), WorkflowType::Standard);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].pointer, "/States/M/ItemProcessor/States/J/Resource");
        assert!(d[0].message.contains("'.sync'"));
        assert!(diags(&text("STANDARD"), WorkflowType::Standard).is_empty());
    }
}
