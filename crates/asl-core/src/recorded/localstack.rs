//! A LocalStack snapshot case of the conformance corpus (`../shared/conformance`) as a recorded
//! history: LocalStack's snapshot tool kept AWS's event types in order (`expected.events`), every
//! state's entered input and exited output (`expected.trace`), each task call's outcome
//! (`mock_calls`) and the execution's input and end (`input`, `expected`). That is a history
//! without ids, timestamps or iteration indexes: events follow each other (see the parent
//! module doc), time does not pass, and the snapshot's masked values (`placeholders`, and the
//! tool's own masks such as `<uuid:1>` and `<start-time>`) become the recording's wildcards. The execution's names are the placeholders the
//! snapshot tool replaced AWS's with.
//!
//! Not owned here: AWS's own JSON ([`super::import`]).

use std::collections::VecDeque;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::import::{ImportErrorKind, Raw};
use super::paths::{Scopes, assign};
use super::{Recording, Shape};
use crate::env::Env;
use crate::exec::ExecNames;
use crate::history::{EventDetails, EventType, HistoryEvent};
use crate::syntax::Node;
use crate::value::Value;

/// Whether the JSON is a conformance case (it has `expected` with `events`).
pub(super) fn is_case(node: &Node) -> bool {
    node.get("expected")
        .is_some_and(|m| m.value.get("events").is_some())
        && node.get("definition").is_some()
}

fn shape_error(node: &Node, msg: &str) -> Raw {
    (ImportErrorKind::NotAHistory, node.span, msg.to_string())
}

/// One recorded call of a task.
struct Call {
    request: Option<Value>,
    result: Option<Value>,
    error: Option<Arc<str>>,
    cause: Option<Arc<str>>,
}

pub(super) fn read(scopes: &Scopes, node: &Node) -> Result<Recording, Raw> {
    let expected = node
        .get("expected")
        .map(|m| &m.value)
        .ok_or_else(|| shape_error(node, "the case has no \"expected\""))?;
    let types = expected
        .get("events")
        .and_then(|m| m.value.as_array())
        .ok_or_else(|| shape_error(expected, "\"expected.events\" must be an array"))?;
    let mut trace: VecDeque<&Node> = expected
        .get("trace")
        .and_then(|m| m.value.as_array())
        .map(|t| t.iter().collect())
        .unwrap_or_default();
    let mut calls: FxHashMap<String, VecDeque<Call>> = FxHashMap::default();
    if let Some(mc) = node.get("mock_calls").and_then(|m| m.value.as_object()) {
        for m in mc {
            let list = m.value.as_array().unwrap_or_default();
            let q = list
                .iter()
                .map(|c| Call {
                    request: c.get("request").map(|r| r.value.to_value()),
                    result: c.get("result").map(|r| r.value.to_value()),
                    error: c.get("error").and_then(|e| e.value.as_str()).map(Arc::from),
                    cause: c.get("cause").and_then(|e| e.value.as_str()).map(Arc::from),
                })
                .collect();
            calls.insert(m.key.clone(), q);
        }
    }
    let input = node
        .get("input")
        .map(|m| m.value.to_value())
        .unwrap_or_else(Value::empty_object);
    let text = |key: &str| -> Option<Arc<str>> {
        expected
            .get(key)
            .and_then(|m| m.value.as_str())
            .map(Arc::from)
    };
    let start = Env::default().start_time_ms;
    let mut events: Vec<HistoryEvent> = Vec::with_capacity(types.len());
    // The state whose task events these are: the last one entered that has calls left.
    let mut task_state: Option<Arc<str>> = None;
    for (i, t) in types.iter().enumerate() {
        let name = t
            .as_str()
            .ok_or_else(|| shape_error(t, "an event type must be a string"))?;
        let kind = EventType::from_name(name).ok_or_else(|| {
            (
                ImportErrorKind::UnknownEventType,
                t.span,
                format!("\"{name}\" is not a Step Functions history event type"),
            )
        })?;
        let state_event =
            crate::inspect::is_state_entered(kind) || crate::inspect::is_state_exited(kind);
        let details = if state_event {
            let entry = trace.pop_front().ok_or_else(|| {
                shape_error(t, "the trace has fewer state events than the event list")
            })?;
            let s = entry
                .get("name")
                .and_then(|m| m.value.as_str())
                .unwrap_or_default();
            let name: Arc<str> = Arc::from(s);
            if crate::inspect::is_state_entered(kind) {
                if kind == EventType::TaskStateEntered {
                    task_state = Some(name.clone());
                }
                EventDetails::StateEntered {
                    name,
                    input: entry
                        .get("input")
                        .map(|m| m.value.to_value())
                        .unwrap_or(Value::Null),
                }
            } else {
                EventDetails::StateExited {
                    name,
                    output: entry
                        .get("output")
                        .map(|m| m.value.to_value())
                        .unwrap_or(Value::Null),
                    assigned_variables: entry.get("assignedVariables").map(|m| m.value.to_value()),
                    stages: None,
                }
            }
        } else {
            // The outcome event takes the state's next recorded call.
            let mut next_call =
                || -> Option<Call> { calls.get_mut(&**task_state.as_ref()?)?.pop_front() };
            use EventType::*;
            match kind {
                ExecutionStarted => EventDetails::ExecutionStarted {
                    input: input.clone(),
                    role_arn: ExecNames::conformance_placeholders().role_arn.into(),
                },
                ExecutionSucceeded => EventDetails::ExecutionSucceeded {
                    output: expected
                        .get("output")
                        .map(|m| m.value.to_value())
                        .unwrap_or(Value::Null),
                },
                ExecutionFailed | ExecutionTimedOut | ExecutionAborted => EventDetails::Failure {
                    error: text("error"),
                    cause: text("cause"),
                    resource: None,
                },
                LambdaFunctionScheduled | TaskScheduled => {
                    // The request is the next call's; the call itself is taken by its outcome.
                    let request = task_state
                        .as_ref()
                        .and_then(|s| calls.get(&**s))
                        .and_then(|q| q.front())
                        .and_then(|c| c.request.clone());
                    match request {
                        Some(r) if kind == LambdaFunctionScheduled => {
                            EventDetails::LambdaScheduled {
                                resource: "".into(),
                                input: r,
                                timeout_seconds: None,
                            }
                        }
                        Some(r) => EventDetails::TaskScheduled {
                            resource_type: "".into(),
                            resource: "".into(),
                            region: "".into(),
                            parameters: r,
                            timeout_seconds: None,
                            heartbeat_seconds: None,
                        },
                        None => EventDetails::None,
                    }
                }
                LambdaFunctionSucceeded | TaskSucceeded => match next_call() {
                    Some(Call {
                        result: Some(r), ..
                    }) if kind == LambdaFunctionSucceeded => {
                        EventDetails::LambdaSucceeded { output: r }
                    }
                    Some(Call {
                        result: Some(r), ..
                    }) => EventDetails::TaskSucceeded {
                        resource_type: "".into(),
                        resource: "".into(),
                        output: r,
                    },
                    _ => EventDetails::None,
                },
                LambdaFunctionFailed
                | LambdaFunctionTimedOut
                | TaskFailed
                | TaskTimedOut
                | LambdaFunctionStartFailed
                | TaskStartFailed => match next_call() {
                    Some(c) => EventDetails::Failure {
                        error: c.error,
                        cause: c.cause,
                        resource: None,
                    },
                    None => EventDetails::None,
                },
                _ => EventDetails::None,
            }
        };
        events.push(HistoryEvent {
            id: i as u32 + 1,
            previous_event_id: i as u32,
            timestamp_ms: start,
            kind,
            details,
            path: Arc::from(""),
            iterations: Arc::from([] as [u32; 0]),
        });
    }
    let prev: Vec<Option<usize>> = (0..events.len()).map(|i| i.checked_sub(1)).collect();
    let mut warnings = Vec::new();
    assign(scopes, &mut events, &prev, &mut warnings);
    let mut wildcards: Vec<Arc<str>> = node
        .get("placeholders")
        .and_then(|m| m.value.as_array())
        .map(|ps| ps.iter().filter_map(Node::as_str).map(Arc::from).collect())
        .unwrap_or_default();
    // The snapshot tool's own masks (times, request ids, generated ids).
    for t in [
        "<timestamp>",
        "<start-time>",
        "<entered-time>",
        "<request_id>",
    ] {
        wildcards.push(Arc::from(t));
    }
    for n in 0..10 {
        wildcards.push(format!("<uuid:{n}>").into());
        wildcards.push(format!("<json-input:{n}>").into());
    }
    Ok(Recording {
        events,
        input,
        names: ExecNames::conformance_placeholders(),
        start_time_ms: Some(start),
        described_status: text("status"),
        shape: Shape::LocalStackCase,
        wildcards,
        warnings,
    })
}
