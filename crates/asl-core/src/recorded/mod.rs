//! Executions recorded on AWS: import a real history, replay it on the graph, turn it into mocks,
//! and check the simulator against it.
//!
//! Owns [`Recording`] (a history read from `aws stepfunctions get-execution-history` output,
//! optionally with `describe-execution`'s, or from a LocalStack snapshot case of the conformance
//! corpus) and the operations on it, one submodule each:
//!
//! - `import` ([`import`]): AWS's JSON → [`HistoryEvent`]s with the state paths and Map
//!   iteration indexes the inspector needs (AWS's events carry neither; see below, `paths`), with
//!   [`ImportError`]s at line:column for malformed input; `details` reads each event's details.
//! - `localstack`: a conformance case (`expected.events`, `expected.trace`, `mock_calls`) → the
//!   same events.
//! - `replay` ([`Replay`]): step, back and seek over the fixed history, with the same surface as
//!   [`crate::exec::Execution`]'s stepper (no execution happens).
//! - `mocks_from` ([`mocks_from`]): every task's recorded result or error, per state in
//!   invocation order → [`Mocks`](crate::mock::Mocks) and a MockConfigFile.
//! - `compare` ([`compare()`]): simulate with those mocks and the recorded input, compare event by
//!   event, report the first [`Divergence`].
//! - `export`: a history in `GetExecutionHistory`'s JSON shape, and a session as an `asl test`
//!   case (MockConfigFile + expectations).
//!
//! # Paths and iterations of recorded events
//!
//! AWS names the state only on `…StateEntered`/`…StateExited` (and a Map's iteration events);
//! every other event is tied to its state by `previousEventId`. State names are unique in a
//! whole state machine (AWS rejects duplicates), so a name gives the state's path; an unnamed
//! event belongs to the state its previous event belongs to, except that a Parallel's or Map's
//! own events (`…Started`, `…Succeeded`, `…Failed`, `…Aborted`) belong to the innermost
//! Parallel (Map) enclosing that state, and an event after a Parallel or Map has ended belongs
//! to the scope around it. Map iteration indexes come from `mapIteration…EventDetails.index`
//! and are inherited the same way. A trace without event ids (a LocalStack case) takes the event
//! before as the previous one, which is exact for sequential runs.
//!
//! Not owned here: what the events mean for the views ([`crate::inspect`]), running a definition
//! ([`crate::exec`]), the mock formats ([`crate::mock`]).

mod compare;
mod details;
mod export;
mod import;
mod localstack;
mod mocks_from;
mod normalise;
mod paths;
mod replay;

pub use compare::{
    Comparison, Divergence, DivergenceKind, compare, compare_recorded, compare_with,
};
pub use export::{TestCaseFiles, history_json, test_case};
pub use import::{ImportError, ImportErrorKind, import};
pub use mocks_from::{DerivedMocks, mock_config, mocks_from};
pub use replay::Replay;

use std::sync::Arc;

use serde::Serialize;

use crate::exec::ExecNames;
use crate::history::{EventDetails, EventType, HistoryEvent};
use crate::value::Value;

/// Which shape the imported text had.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Shape {
    /// `{"events": [...]}`, as `get-execution-history` prints it.
    GetExecutionHistory,
    /// A bare array of events.
    EventsArray,
    /// A LocalStack snapshot case of the conformance corpus (event types and state trace).
    LocalStackCase,
}

/// A history recorded on AWS, read into this crate's events (see the module doc).
#[derive(Clone, Debug)]
pub struct Recording {
    /// Numbered 1.. in order, `previousEventId` mapped to the same numbering.
    pub events: Vec<HistoryEvent>,
    /// The execution input: `describe-execution`'s, else `ExecutionStarted`'s, else `{}`.
    pub input: Value,
    /// Partition, region, account, names and role, from the ARNs when the recording has them
    /// (a simulation of it then builds the same `$$` values).
    pub names: ExecNames,
    /// `ExecutionStarted`'s time (ms since the epoch), when recorded.
    pub start_time_ms: Option<i64>,
    /// `describe-execution`'s status (`RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`).
    pub described_status: Option<Arc<str>>,
    pub shape: Shape,
    /// Tokens the recording masked (a snapshot's `<uuid:1>`): they match any text in a
    /// comparison.
    pub wildcards: Vec<Arc<str>>,
    /// Things worth telling the user: states the definition does not have, truncated payloads.
    pub warnings: Vec<String>,
}

impl Recording {
    /// How the recorded execution ended: `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`, or
    /// `RUNNING` when the history has no closing event.
    pub fn status(&self) -> &'static str {
        status_of(&self.events)
    }

    /// The recorded output, when the execution succeeded.
    pub fn output(&self) -> Option<&Value> {
        self.events.iter().rev().find_map(|e| match &e.details {
            EventDetails::ExecutionSucceeded { output } => Some(output),
            _ => None,
        })
    }

    /// The recorded error and cause, when the execution failed, timed out or was aborted.
    pub fn error(&self) -> Option<(Option<&str>, Option<&str>)> {
        let last = self
            .events
            .iter()
            .rev()
            .find(|e| is_execution_end(e.kind))?;
        match (&last.kind, &last.details) {
            (EventType::ExecutionSucceeded, _) => None,
            (_, EventDetails::Failure { error, cause, .. }) => {
                Some((error.as_deref(), cause.as_deref()))
            }
            _ => Some((None, None)),
        }
    }
}

/// Whether the event closes the execution.
pub fn is_execution_end(kind: EventType) -> bool {
    matches!(
        kind,
        EventType::ExecutionSucceeded
            | EventType::ExecutionFailed
            | EventType::ExecutionTimedOut
            | EventType::ExecutionAborted
    )
}

/// The status after `events`: how the last closing event ended it, else `RUNNING`.
pub fn status_of(events: &[HistoryEvent]) -> &'static str {
    match events
        .iter()
        .rev()
        .map(|e| e.kind)
        .find(|k| is_execution_end(*k))
    {
        Some(EventType::ExecutionSucceeded) => "SUCCEEDED",
        Some(EventType::ExecutionFailed) => "FAILED",
        Some(EventType::ExecutionTimedOut) => "TIMED_OUT",
        Some(EventType::ExecutionAborted) => "ABORTED",
        _ => "RUNNING",
    }
}

#[cfg(test)]
mod tests;
