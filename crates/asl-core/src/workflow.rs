//! The workflow type of a state machine: STANDARD or EXPRESS, and what it changes.
//!
//! Owns [`WorkflowType`] and the facts AWS documents per type: the execution quotas
//! ([`WorkflowType::limits`]: Standard keeps at most 25,000 history events and runs at most one
//! year; Express has no history-event quota and runs at most five minutes, after which "it will
//! fail with a `States.Timeout` error and emit a `ExecutionsTimedOut` CloudWatch metric", i.e. the
//! execution ends TIMED_OUT), the execution semantics ([`WorkflowType::delivery`]) and the
//! integration patterns Express rejects at `CreateStateMachine`
//! ([`express_unsupported_pattern`]), and which tasks an at-least-once execution could repeat
//! ([`repeat_sensitive_tasks`]). Sources: the Step Functions developer guide, "Standard vs.
//! Express Workflows" and "Quotas related to state machine executions".
//!
//! Not owned here: enforcing limits ([`crate::exec`]), validation diagnostics
//! ([`crate::validate_type`]), prices ([`crate::cost`]).

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::exec::Limits;

/// STANDARD (AWS's default) or EXPRESS.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum WorkflowType {
    #[default]
    Standard,
    Express,
}

/// One year in seconds as Step Functions counts its one-year maxima (`MaxDelaySeconds` tops
/// out at 31,622,400: 366 days).
pub const ONE_YEAR_SECONDS: u64 = 31_622_400;

/// Five minutes: the Express maximum execution time.
pub const EXPRESS_MAX_SECONDS: u64 = 300;

impl WorkflowType {
    /// `STANDARD` / `EXPRESS`, as the AWS API spells them.
    pub fn as_str(self) -> &'static str {
        match self {
            WorkflowType::Standard => "STANDARD",
            WorkflowType::Express => "EXPRESS",
        }
    }

    /// The execution quotas of this type on top of `base` (which keeps its loop guard
    /// `max_transitions` and payload limit): history events and maximum duration.
    pub fn limits(self, base: Limits) -> Limits {
        match self {
            WorkflowType::Standard => Limits {
                max_history_events: 25_000,
                max_duration_seconds: Some(ONE_YEAR_SECONDS),
                ..base
            },
            WorkflowType::Express => Limits {
                max_history_events: u32::MAX,
                max_duration_seconds: Some(EXPRESS_MAX_SECONDS),
                ..base
            },
        }
    }

    /// The loop guard front ends default to (state entries before `States.Runtime`): Standard
    /// hits its 25,000-event history quota long before 100,000 entries; Express has no such
    /// quota, so a 100,000-iteration loop needs room (its five minutes bound only waits), but a
    /// loop without end must still stop before its history fills a browser tab's memory.
    pub fn default_max_transitions(self) -> u64 {
        match self {
            WorkflowType::Standard => 100_000,
            WorkflowType::Express => 500_000,
        }
    }

    /// The limits every front end runs this type with: its quotas and a loop guard of
    /// `max_transitions` state entries, or [`Self::default_max_transitions`] when `None`.
    pub fn run_limits(self, max_transitions: Option<u64>) -> Limits {
        self.limits(Limits {
            max_transitions: max_transitions.unwrap_or(self.default_max_transitions()),
            ..Limits::default()
        })
    }

    /// Execution semantics, as the run summary shows them.
    pub fn delivery(self) -> Delivery {
        match self {
            WorkflowType::Standard => Delivery {
                semantics: "exactly-once",
                note: "Standard: each state runs exactly once unless your Retry says otherwise, so non-idempotent tasks (payments, emails) are safe.",
            },
            WorkflowType::Express => Delivery {
                semantics: "at-least-once",
                note: "Express (asynchronous): an execution may run more than once, so every task must be idempotent; synchronous Express runs at most once.",
            },
        }
    }
}

/// Tasks whose effect repeats if their execution runs twice: service calls that send, publish,
/// start or update (and Lambda functions, which may do anything). An at-least-once Express
/// execution can run them more than once; Standard runs them exactly once (plus your Retry).
pub fn repeat_sensitive_tasks(machine: &crate::model::StateMachine) -> Vec<RepeatRisk> {
    use crate::model::{Branch, StateKind};
    const ACTIONS: &[&str] = &[
        "publish", "send", "start", "put", "update", "create", "delete", "invoke", "execute",
        "charge", "write",
    ];
    fn walk(b: &Branch, out: &mut Vec<RepeatRisk>) {
        for (name, s) in &b.states {
            match &s.kind {
                StateKind::Task(t) => {
                    let r = &*t.resource.value;
                    // `arn:…:states:::sns:publish` → `publish`; a function ARN → a Lambda.
                    let action = r
                        .rsplit(':')
                        .next()
                        .unwrap_or("")
                        .split('.')
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    let lambda = r.split(':').nth(2) == Some("lambda");
                    if lambda || ACTIONS.iter().any(|a| action.starts_with(a)) {
                        out.push(RepeatRisk {
                            state: name.to_string(),
                            resource: r.to_string(),
                        });
                    }
                }
                StateKind::Parallel(p) => p.branches.iter().for_each(|b| walk(b, out)),
                StateKind::Map(m) => walk(&m.processor, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&machine.root, &mut out);
    out
}

/// A task that must be idempotent under at-least-once execution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RepeatRisk {
    pub state: String,
    pub resource: String,
}

/// How often an execution's work may happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// `exactly-once` or `at-least-once`.
    pub semantics: &'static str,
    /// One sentence on where it bites.
    pub note: &'static str,
}

impl fmt::Display for WorkflowType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for WorkflowType {
    type Err = String;

    /// `STANDARD` or `EXPRESS` (case-insensitive, as users type them).
    fn from_str(s: &str) -> Result<Self, String> {
        if s.eq_ignore_ascii_case("STANDARD") {
            Ok(WorkflowType::Standard)
        } else if s.eq_ignore_ascii_case("EXPRESS") {
            Ok(WorkflowType::Express)
        } else {
            Err(format!("workflow type \"{s}\" is not STANDARD or EXPRESS"))
        }
    }
}

/// The integration pattern suffix (`.sync`, `.sync:2`, `.waitForTaskToken`) of a `Resource`
/// that Express state machines do not support, as AWS names it in its message.
pub fn express_unsupported_pattern(resource: &str) -> Option<&'static str> {
    // Service integrations only (`arn:<partition>:states:::service:action.pattern`).
    if !resource.starts_with("arn:") || !resource.contains(":states:::") {
        return None;
    }
    let (_, tail) = resource.rsplit_once('.')?;
    if tail == "waitForTaskToken" {
        Some(".waitForTaskToken")
    } else if tail == "sync"
        || tail
            .strip_prefix("sync:")
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()))
    {
        Some(".sync")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        assert_eq!("express".parse::<WorkflowType>(), Ok(WorkflowType::Express));
        assert_eq!(
            "STANDARD".parse::<WorkflowType>(),
            Ok(WorkflowType::Standard)
        );
        assert!("FAST".parse::<WorkflowType>().is_err());
        assert_eq!(WorkflowType::default().to_string(), "STANDARD");
    }

    #[test]
    fn limits_per_type() {
        let s = WorkflowType::Standard.limits(Limits::default());
        assert_eq!(s.max_history_events, 25_000);
        assert_eq!(s.max_duration_seconds, Some(ONE_YEAR_SECONDS));
        let e = WorkflowType::Express.limits(Limits::default());
        assert_eq!(e.max_history_events, u32::MAX);
        assert_eq!(e.max_duration_seconds, Some(300));
        assert_eq!(e.payload_bytes, Some(256 * 1024));
    }

    fn run(text: &str, ty: WorkflowType) -> crate::exec::Status {
        use crate::exec::{ExecOptions, Execution};
        let m = std::sync::Arc::new(crate::load(text).machine.expect("machine"));
        let limits = ty.limits(crate::exec::Limits::default());
        let mut e = Execution::start(
            m,
            crate::value::Value::empty_object(),
            ExecOptions {
                limits,
                ..ExecOptions::default()
            },
        );
        e.run()
    }

    #[test]
    fn express_times_out_after_five_minutes_standard_after_a_year() {
        use crate::exec::Status;
        let wait = |s: u64| {
            format!(
                r#"{{"StartAt": "W", "States": {{"W": {{"Type": "Wait", "Seconds": {s}, "End": true}}}}}}"#
            )
        };
        let Status::TimedOut { error, cause } = run(&wait(301), WorkflowType::Express) else {
            panic!("an Express run past five minutes times out");
        };
        assert_eq!(
            error.map(|e| e.to_string()).as_deref(),
            Some("States.Timeout")
        );
        assert!(cause.is_some_and(|c| c.contains("300 seconds")));
        assert!(matches!(
            run(&wait(300), WorkflowType::Express),
            Status::Succeeded { .. }
        ));
        assert!(matches!(
            run(&wait(301), WorkflowType::Standard),
            Status::Succeeded { .. }
        ));
        assert!(matches!(
            run(&wait(ONE_YEAR_SECONDS + 1), WorkflowType::Standard),
            Status::TimedOut { .. }
        ));
        // The machine's own, shorter TimeoutSeconds keeps its cause.
        let own = r#"{"StartAt": "W", "TimeoutSeconds": 10, "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}}"#;
        let Status::TimedOut { cause, .. } = run(own, WorkflowType::Express) else {
            panic!("times out");
        };
        assert!(cause.is_some_and(|c| c.contains("TimeoutSeconds")));
    }

    #[test]
    fn side_effects_that_repeat_under_at_least_once() {
        let text = r#"{"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Next": "B"},
            "B": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem", "Next": "C"},
            "C": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge", "End": true}}}"#;
        let m = crate::load(text).machine.expect("machine");
        let names: Vec<String> = repeat_sensitive_tasks(&m)
            .into_iter()
            .map(|r| r.state)
            .collect();
        assert_eq!(names, ["A", "C"]);
    }

    #[test]
    fn unsupported_patterns() {
        let p = express_unsupported_pattern;
        assert_eq!(
            p("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
            Some(".waitForTaskToken")
        );
        assert_eq!(p("arn:aws:states:::ecs:runTask.sync"), Some(".sync"));
        assert_eq!(
            p("arn:aws:states:::states:startExecution.sync:2"),
            Some(".sync")
        );
        assert_eq!(p("arn:aws:states:::lambda:invoke"), None);
        assert_eq!(
            p("arn:aws:lambda:us-east-1:123456789012:function:sync"),
            None
        );
    }
}
