//! Service integrations as AWS presents them: how a Task's `Resource` shows in the history, and
//! what a real integration returns around a function's own result.
//!
//! Owns [`ResourceKind`] (a Lambda function ARN reports `LambdaFunction…` events; an
//! `arn:aws:states:::service:action[.sync|.waitForTaskToken]` resource and `aws-sdk:*` report
//! `Task…` events with `resourceType`/`resource`; an activity ARN reports `Activity…` events),
//! [`Pattern`] (request-response, `.sync`, `.waitForTaskToken`: the last two record
//! `TaskSubmitted` before the job's or callback's outcome) and [`lambda_invoke_response`]:
//! `arn:aws:states:::lambda:invoke` returns the whole Invoke response (`ExecutedVersion`,
//! `Payload`, `SdkHttpMetadata`, `SdkResponseMetadata`, `StatusCode`, with the headers AWS
//! records), while a plain function ARN returns the payload itself, so a mock written as "what my
//! function returns" (`ReturnPayload`) is wrapped the way AWS wraps it.
//!
//! Not owned here: running tasks or choosing their results ([`crate::exec`], [`crate::mock`]).

use std::sync::Arc;

use crate::env::Rng;
use crate::history::EventType;
use crate::value::{Object, Value};

/// How AWS reports a task resource in its events.
#[derive(Clone, Debug)]
pub enum ResourceKind {
    /// A Lambda function ARN: `LambdaFunction…` events.
    LambdaFunction,
    /// `arn:aws:states:::service:action[.pattern]` and everything else: `Task…` events.
    Service {
        resource_type: Arc<str>,
        resource: Arc<str>,
    },
    /// An activity ARN (`arn:aws:states:<region>:<account>:activity:<name>`): `Activity…`
    /// events. A worker polls for it, so it always waits like `.waitForTaskToken`.
    Activity,
}

/// A point in a task's life that each [`ResourceKind`] records under its own event name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskStep {
    Scheduled,
    Started,
    Succeeded,
    Failed,
    TimedOut,
}

impl ResourceKind {
    /// The event AWS records for `step` of a task on this resource: the one table of
    /// `LambdaFunction…` / `Activity…` / `Task…` names, so the executor never spells it out.
    pub fn event(&self, step: TaskStep) -> EventType {
        use EventType as E;
        match (self, step) {
            (Self::LambdaFunction, TaskStep::Scheduled) => E::LambdaFunctionScheduled,
            (Self::LambdaFunction, TaskStep::Started) => E::LambdaFunctionStarted,
            (Self::LambdaFunction, TaskStep::Succeeded) => E::LambdaFunctionSucceeded,
            (Self::LambdaFunction, TaskStep::Failed) => E::LambdaFunctionFailed,
            (Self::LambdaFunction, TaskStep::TimedOut) => E::LambdaFunctionTimedOut,
            (Self::Activity, TaskStep::Scheduled) => E::ActivityScheduled,
            (Self::Activity, TaskStep::Started) => E::ActivityStarted,
            (Self::Activity, TaskStep::Succeeded) => E::ActivitySucceeded,
            (Self::Activity, TaskStep::Failed) => E::ActivityFailed,
            (Self::Activity, TaskStep::TimedOut) => E::ActivityTimedOut,
            (Self::Service { .. }, TaskStep::Scheduled) => E::TaskScheduled,
            (Self::Service { .. }, TaskStep::Started) => E::TaskStarted,
            (Self::Service { .. }, TaskStep::Succeeded) => E::TaskSucceeded,
            (Self::Service { .. }, TaskStep::Failed) => E::TaskFailed,
            (Self::Service { .. }, TaskStep::TimedOut) => E::TaskTimedOut,
        }
    }

    /// `resourceType` and `resource` for the events of a service integration; `None` for a
    /// Lambda function or an activity, whose events name neither.
    pub fn service(&self) -> Option<(&Arc<str>, &Arc<str>)> {
        match self {
            Self::Service {
                resource_type,
                resource,
            } => Some((resource_type, resource)),
            Self::LambdaFunction | Self::Activity => None,
        }
    }
}

/// How a service integration waits: AWS's three integration patterns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// Call the API and continue with its response.
    RequestResponse,
    /// `.sync` / `.sync:2`: start a job and wait until it completes (`TaskSubmitted` first).
    Sync,
    /// `.waitForTaskToken`: send the request with `$$.Task.Token` and wait for a
    /// success/failure/heartbeat for that token (`TaskSubmitted` first).
    WaitForTaskToken,
}

/// The integration pattern a resource ARN asks for.
pub fn pattern(arn: &str) -> Pattern {
    // Only `arn:<partition>:states:::service:action.pattern` resources carry a pattern. Searched
    // from each ':' or '.' (a substring search set up per call showed in task-heavy's profile).
    let after = |sep: char, needle: &str| {
        arn.match_indices(sep)
            .map(|(i, _)| i)
            .find(|&i| arn[i..].starts_with(needle))
    };
    let Some(at) = after(':', ":states:::") else {
        return Pattern::RequestResponse;
    };
    let action = &arn[at + ":states:::".len()..];
    if action.ends_with(".waitForTaskToken") {
        Pattern::WaitForTaskToken
    } else if action
        .match_indices('.')
        .any(|(i, _)| action[i..].starts_with(".sync"))
    {
        Pattern::Sync
    } else {
        Pattern::RequestResponse
    }
}

pub fn resource_kind(arn: &str) -> ResourceKind {
    let parts: Vec<&str> = arn.split(':').collect();
    if parts.len() >= 7 && parts[2] == "lambda" && parts[5] == "function" {
        return ResourceKind::LambdaFunction;
    }
    if parts.len() >= 7 && parts[2] == "states" && parts[3].is_empty() && parts[4].is_empty() {
        let (ty, res) = if parts[5] == "aws-sdk" && parts.len() >= 8 {
            (format!("aws-sdk:{}", parts[6]), parts[7..].join(":"))
        } else {
            (parts[5].to_string(), parts[6..].join(":"))
        };
        return ResourceKind::Service {
            resource_type: ty.into(),
            resource: res.into(),
        };
    }
    if parts.len() >= 7 && parts[2] == "states" && parts[5] == "activity" {
        return ResourceKind::Activity;
    }
    ResourceKind::Service {
        resource_type: "unknown".into(),
        resource: arn.into(),
    }
}

/// Whether a resource is the optimised Lambda integration (`…:lambda:invoke`, any pattern).
pub fn is_lambda_invoke(arn: &str) -> bool {
    matches!(resource_kind(arn), ResourceKind::Service { ref resource_type, ref resource }
        if &**resource_type == "lambda" && resource.split('.').next() == Some("invoke"))
}

/// Whether a task's result is the Invoke response around the function's payload (so a
/// `ReturnPayload` mock is wrapped): `lambda:invoke` request-response only; with
/// `.waitForTaskToken` the result is what the callback sends.
pub fn wraps_payload(arn: &str) -> bool {
    is_lambda_invoke(arn) && pattern(arn) == Pattern::RequestResponse
}

/// The response `arn:aws:states:::lambda:invoke` returns for a function that returned `payload`
/// at virtual time `now_ms`, in the shape AWS records (header names and order as in recorded
/// executions; request and trace ids drawn from the execution's seeded generator).
pub fn lambda_invoke_response(payload: Value, rng: &mut Rng, now_ms: i64) -> Value {
    let request_id = rng.uuid_v4();
    let trace = rng.uuid_v4().replace('-', "");
    let trace_id = format!(
        "Root=1-{:08x}-{};Sampled=0",
        now_ms.div_euclid(1000).max(0),
        trace.get(..24).unwrap_or(&trace)
    );
    let date = super::timestamp::format_http_date(now_ms);
    let len = payload.json_len().to_string();
    let header = |v: &str| Value::from(v);
    let list = |v: &str| Value::array(vec![Value::from(v)]);
    let mut all = Object::with_capacity(8);
    all.insert("X-Amz-Executed-Version".into(), list("$LATEST"));
    all.insert("x-amzn-Remapped-Content-Length".into(), list("0"));
    all.insert("Connection".into(), list("keep-alive"));
    all.insert("x-amzn-RequestId".into(), list(&request_id));
    all.insert("Content-Length".into(), list(&len));
    all.insert("Date".into(), list(&date));
    all.insert("X-Amzn-Trace-Id".into(), list(&trace_id));
    all.insert("Content-Type".into(), list("application/json"));
    let mut headers = Object::with_capacity(8);
    headers.insert("Connection".into(), header("keep-alive"));
    headers.insert("Content-Length".into(), header(&len));
    headers.insert("Content-Type".into(), header("application/json"));
    headers.insert("Date".into(), header(&date));
    headers.insert("X-Amz-Executed-Version".into(), header("$LATEST"));
    headers.insert("x-amzn-Remapped-Content-Length".into(), header("0"));
    headers.insert("x-amzn-RequestId".into(), header(&request_id));
    headers.insert("X-Amzn-Trace-Id".into(), header(&trace_id));
    let mut http = Object::with_capacity(3);
    http.insert("AllHttpHeaders".into(), Value::object(all));
    http.insert("HttpHeaders".into(), Value::object(headers));
    http.insert("HttpStatusCode".into(), Value::from_i64(200));
    let mut meta = Object::with_capacity(1);
    meta.insert("RequestId".into(), Value::from(request_id.as_str()));
    let mut out = Object::with_capacity(5);
    out.insert("ExecutedVersion".into(), Value::from("$LATEST"));
    out.insert("Payload".into(), payload);
    out.insert("SdkHttpMetadata".into(), Value::object(http));
    out.insert("SdkResponseMetadata".into(), Value::object(meta));
    out.insert("StatusCode".into(), Value::from_i64(200));
    Value::object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_resources_and_wraps_invoke_results() {
        assert!(matches!(
            resource_kind("arn:aws:lambda:us-east-1:1:function:f"),
            ResourceKind::LambdaFunction
        ));
        assert!(is_lambda_invoke("arn:aws:states:::lambda:invoke"));
        assert!(is_lambda_invoke(
            "arn:aws:states:::lambda:invoke.waitForTaskToken"
        ));
        assert!(!is_lambda_invoke("arn:aws:states:::sqs:sendMessage"));
        assert!(wraps_payload("arn:aws:states:::lambda:invoke"));
        assert!(!wraps_payload(
            "arn:aws:states:::lambda:invoke.waitForTaskToken"
        ));
        match resource_kind("arn:aws:states:::aws-sdk:s3:getObject") {
            ResourceKind::Service {
                resource_type,
                resource,
            } => {
                assert_eq!((&*resource_type, &*resource), ("aws-sdk:s3", "getObject"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            resource_kind("arn:aws:states:us-east-1:123456789012:activity:approve"),
            ResourceKind::Activity
        ));
        assert_eq!(
            pattern("arn:aws:states:::glue:startJobRun.sync"),
            Pattern::Sync
        );
        assert_eq!(
            pattern("arn:aws:states:::states:startExecution.sync:2"),
            Pattern::Sync
        );
        assert_eq!(
            pattern("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
            Pattern::WaitForTaskToken
        );
        assert_eq!(
            pattern("arn:aws:states:::aws-sdk:s3:getObject"),
            Pattern::RequestResponse
        );
        let r = lambda_invoke_response(Value::from_i64(7), &mut Rng::new(1), 1_704_067_200_000);
        assert_eq!(r.get("Payload"), Some(&Value::from_i64(7)));
        assert_eq!(r.get("StatusCode"), Some(&Value::from_i64(200)));
        // The keys AWS records, in its order (see the conformance cases' lambda:invoke results).
        let keys = |v: Option<&Value>| -> Vec<String> {
            v.and_then(Value::as_object)
                .map(|o| o.keys().map(|k| k.to_string()).collect())
                .unwrap_or_default()
        };
        assert_eq!(
            keys(Some(&r)),
            [
                "ExecutedVersion",
                "Payload",
                "SdkHttpMetadata",
                "SdkResponseMetadata",
                "StatusCode"
            ]
        );
        let http = r.get("SdkHttpMetadata");
        assert_eq!(
            keys(http.and_then(|h| h.get("AllHttpHeaders"))),
            [
                "X-Amz-Executed-Version",
                "x-amzn-Remapped-Content-Length",
                "Connection",
                "x-amzn-RequestId",
                "Content-Length",
                "Date",
                "X-Amzn-Trace-Id",
                "Content-Type"
            ]
        );
        assert_eq!(
            http.and_then(|h| h.get("HttpHeaders"))
                .and_then(|h| h.get("Date")),
            Some(&Value::from("Mon, 01 Jan 2024 00:00:00 GMT"))
        );
        assert_eq!(
            http.and_then(|h| h.get("HttpHeaders"))
                .and_then(|h| h.get("Content-Length")),
            Some(&Value::from("1"))
        );
    }
}
