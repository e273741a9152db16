//! The `…EventDetails` of AWS's history events → [`EventDetails`], field by field, with the
//! position of anything malformed. Payloads (`input`, `output`, `parameters`,
//! `assignedVariables`' values) are JSON text; text that no longer parses (truncated) is kept as
//! a string with a warning.
//!
//! Not owned here: the event's own fields and order ([`super::import`]).

use std::sync::Arc;

use super::import::{ImportErrorKind, Raw};
use crate::history::{EventDetails, EventType};
use crate::source::Span;
use crate::syntax::{Kind, Node};
use crate::value::{Object, Value};

fn bad(span: Span, msg: String) -> Raw {
    (ImportErrorKind::BadEvent, span, msg)
}

pub(super) fn uint(node: &Node, what: &str) -> Result<u64, Raw> {
    match &node.kind {
        Kind::Number(n) => n
            .as_f64()
            .filter(|f| *f >= 0.0 && f.fract() == 0.0 && *f < 9.0e15)
            .map(|f| f as u64)
            .ok_or_else(|| bad(node.span, format!("\"{what}\" must be a whole number"))),
        _ => Err(bad(
            node.span,
            format!("\"{what}\" must be a number, not {}", node.type_name()),
        )),
    }
}

pub(super) fn opt_str(details: &Node, key: &str) -> Result<Option<Arc<str>>, Raw> {
    match details.get(key) {
        None => Ok(None),
        Some(m) => match &m.value.kind {
            Kind::String(s) => Ok(Some(Arc::from(s.as_str()))),
            Kind::Null => Ok(None),
            _ => Err(bad(
                m.value.span,
                format!("\"{key}\" must be a string, not {}", m.value.type_name()),
            )),
        },
    }
}

fn opt_u64(details: &Node, key: &str) -> Result<Option<u64>, Raw> {
    match details.get(key) {
        None => Ok(None),
        Some(m) => uint(&m.value, key).map(Some),
    }
}

/// A payload field: JSON text as AWS gives it. Text that is no longer JSON (truncated) is kept
/// as a string, with a warning.
pub(super) fn payload(
    details: &Node,
    key: &str,
    event_id: u64,
    warnings: &mut Vec<String>,
) -> Result<Value, Raw> {
    let Some(m) = details.get(key) else {
        // Fetched with `--no-include-execution-data`: the events carry no payloads.
        const NO_DATA: &str = "the history has no payloads (fetched with \
            --no-include-execution-data?): inputs and outputs read as null, and the execution's \
            input as {} unless describe-execution gives it";
        if !warnings.iter().any(|w| w == NO_DATA) {
            warnings.push(NO_DATA.to_string());
        }
        return Ok(Value::Null);
    };
    match &m.value.kind {
        Kind::String(s) => match Value::parse(s) {
            Ok(v) => Ok(v),
            Err(_) => {
                warnings.push(format!(
                    "event {event_id}: \"{key}\" is not JSON (truncated?); kept as text"
                ));
                Ok(Value::string(s.as_str()))
            }
        },
        // Some tools print payloads already parsed.
        _ => Ok(m.value.to_value()),
    }
}

pub(super) fn read_details(
    kind: EventType,
    d: &Node,
    event_id: u64,
    warnings: &mut Vec<String>,
) -> Result<EventDetails, Raw> {
    use EventType::*;
    if d.as_object().is_none() {
        return Err(bad(
            d.span,
            format!("event details must be an object, not {}", d.type_name()),
        ));
    }
    let name = |d: &Node| -> Result<Arc<str>, Raw> {
        opt_str(d, "name")?.ok_or_else(|| bad(d.span, "the details have no \"name\"".into()))
    };
    let resource = |d: &Node| -> Result<(Arc<str>, Arc<str>), Raw> {
        Ok((
            opt_str(d, "resourceType")?.unwrap_or_else(|| "".into()),
            opt_str(d, "resource")?.unwrap_or_else(|| "".into()),
        ))
    };
    Ok(match kind {
        ExecutionStarted => EventDetails::ExecutionStarted {
            // AWS's default input when the history does not say.
            input: match payload(d, "input", event_id, warnings)? {
                Value::Null if d.get("input").is_none() => Value::empty_object(),
                v => v,
            },
            role_arn: opt_str(d, "roleArn")?.unwrap_or_else(|| "".into()),
        },
        ExecutionSucceeded => EventDetails::ExecutionSucceeded {
            output: payload(d, "output", event_id, warnings)?,
        },
        LambdaFunctionSucceeded | ActivitySucceeded => EventDetails::LambdaSucceeded {
            output: payload(d, "output", event_id, warnings)?,
        },
        PassStateEntered | ChoiceStateEntered | WaitStateEntered | SucceedStateEntered
        | FailStateEntered | TaskStateEntered | ParallelStateEntered | MapStateEntered => {
            EventDetails::StateEntered {
                name: name(d)?,
                input: payload(d, "input", event_id, warnings)?,
            }
        }
        PassStateExited | ChoiceStateExited | WaitStateExited | SucceedStateExited
        | TaskStateExited | ParallelStateExited | MapStateExited => EventDetails::StateExited {
            name: name(d)?,
            output: payload(d, "output", event_id, warnings)?,
            assigned_variables: match d.get("assignedVariables") {
                Some(m) => Some(assigned(&m.value)?),
                None => None,
            },
            stages: None,
        },
        TaskScheduled => {
            let (resource_type, resource) = resource(d)?;
            EventDetails::TaskScheduled {
                resource_type,
                resource,
                region: opt_str(d, "region")?.unwrap_or_else(|| "".into()),
                parameters: payload(d, "parameters", event_id, warnings)?,
                timeout_seconds: opt_u64(d, "timeoutInSeconds")?,
                heartbeat_seconds: opt_u64(d, "heartbeatInSeconds")?,
            }
        }
        TaskStarted | TaskSubmitted => {
            let (resource_type, resource) = resource(d)?;
            EventDetails::TaskStarted {
                resource_type,
                resource,
            }
        }
        TaskSucceeded => {
            let (resource_type, resource) = resource(d)?;
            EventDetails::TaskSucceeded {
                resource_type,
                resource,
                output: payload(d, "output", event_id, warnings)?,
            }
        }
        LambdaFunctionScheduled => EventDetails::LambdaScheduled {
            resource: opt_str(d, "resource")?.unwrap_or_else(|| "".into()),
            input: payload(d, "input", event_id, warnings)?,
            timeout_seconds: opt_u64(d, "timeoutInSeconds")?,
        },
        ActivityScheduled => EventDetails::ActivityScheduled {
            resource: opt_str(d, "resource")?.unwrap_or_else(|| "".into()),
            input: payload(d, "input", event_id, warnings)?,
            timeout_seconds: opt_u64(d, "timeoutInSeconds")?,
            heartbeat_seconds: opt_u64(d, "heartbeatInSeconds")?,
        },
        MapStateStarted => EventDetails::MapStarted {
            length: opt_u64(d, "length")?.unwrap_or(0) as usize,
        },
        MapIterationStarted | MapIterationSucceeded | MapIterationFailed | MapIterationAborted => {
            EventDetails::MapIteration {
                name: name(d)?,
                index: opt_u64(d, "index")?.unwrap_or(0) as usize,
            }
        }
        ExecutionFailed
        | ExecutionTimedOut
        | ExecutionAborted
        | LambdaFunctionFailed
        | LambdaFunctionTimedOut
        | LambdaFunctionScheduleFailed
        | LambdaFunctionStartFailed
        | ActivityFailed
        | ActivityTimedOut
        | ActivityScheduleFailed
        | MapRunFailed
        | EvaluationFailed => EventDetails::Failure {
            error: opt_str(d, "error")?,
            cause: opt_str(d, "cause")?,
            resource: None,
        },
        TaskFailed | TaskTimedOut | TaskStartFailed | TaskSubmitFailed => {
            let (ty, res) = resource(d)?;
            EventDetails::Failure {
                error: opt_str(d, "error")?,
                cause: opt_str(d, "cause")?,
                resource: (!ty.is_empty() || !res.is_empty()).then_some((ty, res)),
            }
        }
        _ => EventDetails::None,
    })
}

/// `assignedVariables`: name → JSON text.
fn assigned(node: &Node) -> Result<Value, Raw> {
    let members = node.as_object().ok_or_else(|| {
        bad(
            node.span,
            format!(
                "\"assignedVariables\" must be an object, not {}",
                node.type_name()
            ),
        )
    })?;
    let mut o = Object::with_capacity(members.len());
    for m in members {
        let v = match m.value.as_str() {
            Some(s) => Value::parse(s).unwrap_or_else(|_| Value::string(s)),
            None => m.value.to_value(),
        };
        o.insert(m.key.as_str().into(), v);
    }
    Ok(Value::object(o))
}
