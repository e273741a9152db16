//! The execution history, in the shape of AWS's `GetExecutionHistory`.
//!
//! Owns [`HistoryEvent`] (id, previousEventId, virtual timestamp, AWS event type and its
//! `<type>EventDetails`), [`EventType`] (AWS's event type names), [`EventDetails`] and the
//! per-state-visit [`Stages`] the inspector shows (input → afterInputPath → afterParameters →
//! result → afterResultSelector → afterResultPath → output, the TestState API's names).
//!
//! Events hold [`Value`]s (shared, never copied) and an integer timestamp; the JSON text AWS puts
//! in `input`/`output` strings is produced only when an event is serialised, so recording a
//! history costs one small allocation per event.
//!
//! Not owned here: producing events ([`crate::exec`]).

use std::sync::Arc;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::exec::timestamp;
use crate::value::Value;

/// Defines [`EventType`] from one list: the enum, [`EventType::ALL`] and [`EventType::as_str`]
/// (AWS's name is the variant's), so a type added to the list is read back and printed too.
macro_rules! event_types {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// AWS's history event types: every type `GetExecutionHistory` documents. The interpreter
        /// produces most of them; the rest (`…Aborted`, `…StartFailed`, `…ScheduleFailed`,
        /// `TaskSubmitFailed`, `…Redriven`) come only from a history recorded on AWS
        /// ([`crate::recorded`]).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
        pub enum EventType {
            $($(#[$doc])* $name,)*
        }

        impl EventType {
            /// Every event type, for reading a type name back ([`EventType::from_name`]).
            pub const ALL: &'static [EventType] = &[$(EventType::$name,)*];

            /// AWS's name of the type.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(EventType::$name => stringify!($name),)*
                }
            }
        }
    };
}

event_types! {
    ExecutionStarted,
    ExecutionSucceeded,
    ExecutionFailed,
    ExecutionTimedOut,
    PassStateEntered,
    PassStateExited,
    ChoiceStateEntered,
    ChoiceStateExited,
    WaitStateEntered,
    WaitStateExited,
    SucceedStateEntered,
    SucceedStateExited,
    FailStateEntered,
    TaskStateEntered,
    TaskStateExited,
    TaskScheduled,
    TaskStarted,
    TaskSubmitted,
    TaskSucceeded,
    TaskFailed,
    TaskTimedOut,
    LambdaFunctionScheduled,
    LambdaFunctionStarted,
    LambdaFunctionSucceeded,
    LambdaFunctionFailed,
    LambdaFunctionTimedOut,
    ActivityScheduled,
    ActivityStarted,
    ActivitySucceeded,
    ActivityFailed,
    ActivityTimedOut,
    ParallelStateEntered,
    ParallelStateStarted,
    ParallelStateSucceeded,
    ParallelStateFailed,
    ParallelStateExited,
    MapStateEntered,
    MapStateStarted,
    MapStateSucceeded,
    MapStateFailed,
    MapStateExited,
    MapIterationStarted,
    MapIterationSucceeded,
    MapIterationFailed,
    MapIterationAborted,
    MapRunStarted,
    MapRunSucceeded,
    MapRunFailed,
    /// A JSONata expression of the state failed (`States.QueryEvaluationError`).
    EvaluationFailed,
    ExecutionAborted,
    ExecutionRedriven,
    TaskStartFailed,
    TaskSubmitFailed,
    LambdaFunctionScheduleFailed,
    LambdaFunctionStartFailed,
    ActivityScheduleFailed,
    TaskStateAborted,
    WaitStateAborted,
    ParallelStateAborted,
    MapStateAborted,
    MapRunAborted,
    MapRunRedriven,
}

impl EventType {
    /// The type with AWS's name `name`.
    pub fn from_name(name: &str) -> Option<EventType> {
        EventType::ALL.iter().copied().find(|t| t.as_str() == name)
    }

    /// The `…EventDetails` key AWS uses for this type, if it has details.
    pub fn aws_details_key(self) -> Option<&'static str> {
        self.details_key()
    }

    /// The `…EventDetails` key AWS uses for this type, if it has details.
    fn details_key(self) -> Option<&'static str> {
        use EventType::*;
        Some(match self {
            ExecutionStarted => "executionStartedEventDetails",
            ExecutionSucceeded => "executionSucceededEventDetails",
            ExecutionFailed => "executionFailedEventDetails",
            ExecutionTimedOut => "executionTimedOutEventDetails",
            PassStateEntered | ChoiceStateEntered | WaitStateEntered | SucceedStateEntered
            | FailStateEntered | TaskStateEntered | ParallelStateEntered | MapStateEntered => {
                "stateEnteredEventDetails"
            }
            PassStateExited | ChoiceStateExited | WaitStateExited | SucceedStateExited
            | TaskStateExited | ParallelStateExited | MapStateExited => "stateExitedEventDetails",
            TaskScheduled => "taskScheduledEventDetails",
            TaskStarted => "taskStartedEventDetails",
            TaskSubmitted => "taskSubmittedEventDetails",
            TaskSucceeded => "taskSucceededEventDetails",
            TaskFailed => "taskFailedEventDetails",
            TaskTimedOut => "taskTimedOutEventDetails",
            LambdaFunctionScheduled => "lambdaFunctionScheduledEventDetails",
            LambdaFunctionStarted => return None,
            LambdaFunctionSucceeded => "lambdaFunctionSucceededEventDetails",
            LambdaFunctionFailed => "lambdaFunctionFailedEventDetails",
            LambdaFunctionTimedOut => "lambdaFunctionTimedOutEventDetails",
            ActivityScheduled => "activityScheduledEventDetails",
            ActivityStarted => "activityStartedEventDetails",
            ActivitySucceeded => "activitySucceededEventDetails",
            ActivityFailed => "activityFailedEventDetails",
            ActivityTimedOut => "activityTimedOutEventDetails",
            MapStateStarted => "mapStateStartedEventDetails",
            MapIterationStarted => "mapIterationStartedEventDetails",
            MapIterationSucceeded => "mapIterationSucceededEventDetails",
            MapIterationFailed => "mapIterationFailedEventDetails",
            MapIterationAborted => "mapIterationAbortedEventDetails",
            MapRunStarted => "mapRunStartedEventDetails",
            MapRunFailed => "mapRunFailedEventDetails",
            EvaluationFailed => "evaluationFailedEventDetails",
            ExecutionAborted => "executionAbortedEventDetails",
            ExecutionRedriven => "executionRedrivenEventDetails",
            TaskStartFailed => "taskStartFailedEventDetails",
            TaskSubmitFailed => "taskSubmitFailedEventDetails",
            LambdaFunctionScheduleFailed => "lambdaFunctionScheduleFailedEventDetails",
            LambdaFunctionStartFailed => "lambdaFunctionStartFailedEventDetails",
            ActivityScheduleFailed => "activityScheduleFailedEventDetails",
            MapRunRedriven => "mapRunRedrivenEventDetails",
            TaskStateAborted | WaitStateAborted | ParallelStateAborted | MapStateAborted
            | MapRunAborted => return None,
            ParallelStateStarted
            | ParallelStateSucceeded
            | ParallelStateFailed
            | MapStateSucceeded
            | MapStateFailed
            | MapRunSucceeded => return None,
        })
    }
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The intermediate values of one state visit (JSONPath processing order), for the inspector.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stages {
    pub input: Option<Value>,
    pub after_input_path: Option<Value>,
    pub after_parameters: Option<Value>,
    pub result: Option<Value>,
    pub after_result_selector: Option<Value>,
    pub after_result_path: Option<Value>,
    pub output: Option<Value>,
    /// Map: the items array (after `ItemsPath` or `ItemReader`), before ItemSelector/ItemBatcher.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_items_path: Option<Value>,
    /// Map with an `ItemBatcher`: the batches the iterations receive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_item_batcher: Option<Value>,
    /// Map: `MaxConcurrency` as evaluated (0: no limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_concurrency: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerated_failure_count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerated_failure_percentage: Option<f64>,
    /// The workflow variables visible when the state was entered (before its `Assign`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<Value>,
}

/// What an event says beyond its type.
#[derive(Clone, Debug, Default)]
pub enum EventDetails {
    #[default]
    None,
    ExecutionStarted {
        input: Value,
        role_arn: Arc<str>,
    },
    ExecutionSucceeded {
        output: Value,
    },
    /// ExecutionFailed/TimedOut, TaskFailed/TimedOut, LambdaFunctionFailed/TimedOut,
    /// ParallelStateFailed, MapStateFailed, MapIterationFailed…
    Failure {
        error: Option<Arc<str>>,
        cause: Option<Arc<str>>,
        resource: Option<(Arc<str>, Arc<str>)>,
    },
    StateEntered {
        name: Arc<str>,
        input: Value,
    },
    StateExited {
        name: Arc<str>,
        output: Value,
        assigned_variables: Option<Value>,
        stages: Option<Box<Stages>>,
    },
    TaskScheduled {
        resource_type: Arc<str>,
        resource: Arc<str>,
        region: Arc<str>,
        parameters: Value,
        timeout_seconds: Option<u64>,
        heartbeat_seconds: Option<u64>,
    },
    /// TaskStarted, and TaskSubmitted (`.sync`/`.waitForTaskToken`: the request was accepted;
    /// AWS adds the submit call's response, which a mock does not know, so it is left out).
    TaskStarted {
        resource_type: Arc<str>,
        resource: Arc<str>,
    },
    /// ActivityScheduled: the activity ARN and the input a worker receives.
    ActivityScheduled {
        resource: Arc<str>,
        input: Value,
        timeout_seconds: Option<u64>,
        heartbeat_seconds: Option<u64>,
    },
    TaskSucceeded {
        resource_type: Arc<str>,
        resource: Arc<str>,
        output: Value,
    },
    LambdaScheduled {
        resource: Arc<str>,
        input: Value,
        timeout_seconds: Option<u64>,
    },
    /// LambdaFunctionSucceeded and ActivitySucceeded (both carry only the output).
    LambdaSucceeded {
        output: Value,
    },
    MapStarted {
        length: usize,
    },
    MapIteration {
        name: Arc<str>,
        index: usize,
    },
}

/// One history event.
#[derive(Clone, Debug)]
pub struct HistoryEvent {
    pub id: u32,
    pub previous_event_id: u32,
    /// Virtual time, milliseconds since the Unix epoch.
    pub timestamp_ms: i64,
    pub kind: EventType,
    pub details: EventDetails,
    /// Where the event happened: the state path (`Parallel/1/Inner`, `Map/3/Step`), empty for
    /// execution-level events. Not part of AWS's shape; the UI highlights it.
    pub path: Arc<str>,
    /// The Map iteration indexes the event happened in, outermost first (empty outside Maps;
    /// a `MapIteration…` event carries its own iteration's index last). Not part of AWS's shape:
    /// the inspector follows one iteration with it.
    pub iterations: Arc<[u32]>,
}

struct JsonText<'a>(&'a Value);

impl Serialize for JsonText<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_json_string())
    }
}

struct Details<'a>(&'a EventDetails);

impl Serialize for Details<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match self.0 {
            EventDetails::None => {}
            EventDetails::ExecutionStarted { input, role_arn } => {
                m.serialize_entry("input", &JsonText(input))?;
                m.serialize_entry("roleArn", &**role_arn)?;
            }
            EventDetails::ExecutionSucceeded { output }
            | EventDetails::LambdaSucceeded { output } => {
                m.serialize_entry("output", &JsonText(output))?;
            }
            EventDetails::Failure {
                error,
                cause,
                resource,
            } => {
                if let Some((ty, res)) = resource {
                    m.serialize_entry("resourceType", &**ty)?;
                    m.serialize_entry("resource", &**res)?;
                }
                if let Some(e) = error {
                    m.serialize_entry("error", &**e)?;
                }
                if let Some(c) = cause {
                    m.serialize_entry("cause", &**c)?;
                }
            }
            EventDetails::StateEntered { name, input } => {
                m.serialize_entry("name", &**name)?;
                m.serialize_entry("input", &JsonText(input))?;
            }
            EventDetails::StateExited {
                name,
                output,
                assigned_variables,
                stages,
            } => {
                m.serialize_entry("name", &**name)?;
                m.serialize_entry("output", &JsonText(output))?;
                if let Some(Value::Object(vars)) = assigned_variables {
                    let texts: Vec<(&str, String)> = vars
                        .iter()
                        .map(|(k, v)| (&**k, v.to_json_string()))
                        .collect();
                    m.serialize_entry("assignedVariables", &AssignedVars(&texts))?;
                }
                if let Some(stages) = stages {
                    m.serialize_entry("inspectionData", stages)?;
                }
            }
            EventDetails::TaskScheduled {
                resource_type,
                resource,
                region,
                parameters,
                timeout_seconds,
                heartbeat_seconds,
            } => {
                m.serialize_entry("resourceType", &**resource_type)?;
                m.serialize_entry("resource", &**resource)?;
                m.serialize_entry("region", &**region)?;
                m.serialize_entry("parameters", &JsonText(parameters))?;
                if let Some(t) = timeout_seconds {
                    m.serialize_entry("timeoutInSeconds", t)?;
                }
                if let Some(h) = heartbeat_seconds {
                    m.serialize_entry("heartbeatInSeconds", h)?;
                }
            }
            EventDetails::TaskStarted {
                resource_type,
                resource,
            } => {
                m.serialize_entry("resourceType", &**resource_type)?;
                m.serialize_entry("resource", &**resource)?;
            }
            EventDetails::TaskSucceeded {
                resource_type,
                resource,
                output,
            } => {
                m.serialize_entry("resourceType", &**resource_type)?;
                m.serialize_entry("resource", &**resource)?;
                m.serialize_entry("output", &JsonText(output))?;
            }
            EventDetails::ActivityScheduled {
                resource,
                input,
                timeout_seconds,
                heartbeat_seconds,
            } => {
                m.serialize_entry("resource", &**resource)?;
                m.serialize_entry("input", &JsonText(input))?;
                if let Some(t) = timeout_seconds {
                    m.serialize_entry("timeoutInSeconds", t)?;
                }
                if let Some(h) = heartbeat_seconds {
                    m.serialize_entry("heartbeatInSeconds", h)?;
                }
            }
            EventDetails::LambdaScheduled {
                resource,
                input,
                timeout_seconds,
            } => {
                m.serialize_entry("resource", &**resource)?;
                m.serialize_entry("input", &JsonText(input))?;
                if let Some(t) = timeout_seconds {
                    m.serialize_entry("timeoutInSeconds", t)?;
                }
            }
            EventDetails::MapStarted { length } => {
                m.serialize_entry("length", length)?;
            }
            EventDetails::MapIteration { name, index } => {
                m.serialize_entry("name", &**name)?;
                m.serialize_entry("index", index)?;
            }
        }
        m.end()
    }
}

struct AssignedVars<'a>(&'a [(&'a str, String)]);

impl Serialize for AssignedVars<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl Serialize for HistoryEvent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &self.id)?;
        m.serialize_entry("previousEventId", &self.previous_event_id)?;
        m.serialize_entry("timestamp", &timestamp::format_millis(self.timestamp_ms))?;
        m.serialize_entry("type", self.kind.as_str())?;
        if let Some(key) = self.kind.details_key() {
            if !matches!(self.details, EventDetails::None) {
                m.serialize_entry(key, &Details(&self.details))?;
            }
        } else if let EventDetails::Failure { .. } = self.details {
            // ParallelStateFailed / MapStateFailed: AWS shows no details; the UI still wants them.
            m.serialize_entry("failureDetails", &Details(&self.details))?;
        }
        if !self.path.is_empty() {
            m.serialize_entry("statePath", &*self.path)?;
        }
        if !self.iterations.is_empty() {
            m.serialize_entry("mapIterations", &*self.iterations)?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_in_aws_shape() {
        let ev = HistoryEvent {
            id: 2,
            previous_event_id: 1,
            timestamp_ms: 1_704_067_200_123,
            kind: EventType::PassStateEntered,
            details: EventDetails::StateEntered {
                name: "A".into(),
                input: Value::parse(r#"{"x":1}"#).expect("json"),
            },
            path: "A".into(),
            iterations: Arc::from([] as [u32; 0]),
        };
        let text = serde_json::to_string(&ev).expect("serialise");
        assert_eq!(
            text,
            r#"{"id":2,"previousEventId":1,"timestamp":"2024-01-01T00:00:00.123Z","type":"PassStateEntered","stateEnteredEventDetails":{"name":"A","input":"{\"x\":1}"},"statePath":"A"}"#
        );
    }
}
