//! Service integration patterns as AWS presents them: what each resource kind records in the
//! history, what a task's request looks like in `TaskScheduled`, and how a paused task is
//! answered, kept alive with heartbeats or left to time out in virtual time.

use std::sync::Arc;

mod common;

use asl_core::exec::{CompleteError, ExecOptions, Execution, Status, TaskAnswer};
use asl_core::mock::Mocks;
use asl_core::value::Value;

fn v(s: &str) -> Value {
    Value::parse(s).expect("json")
}

fn start(def: &str, input: &str, mocks: &str) -> Execution {
    let loaded = asl_core::load(def);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let options = ExecOptions {
        mocks: Arc::new(Mocks::parse(mocks).expect("mocks")),
        ..ExecOptions::default()
    };
    Execution::start(
        Arc::new(loaded.machine.expect("machine")),
        v(input),
        options,
    )
}

fn events(e: &Execution) -> serde_json::Value {
    serde_json::to_value(e.history()).expect("serialise")
}

fn types(e: &Execution) -> Vec<String> {
    e.history()
        .iter()
        .map(|h| h.kind.as_str().to_string())
        .collect()
}

fn task(resource: &str, extra: &str) -> String {
    format!(
        r#"{{"StartAt":"T","States":{{"T":{{"Type":"Task","Resource":"{resource}",
            "Parameters":{{"Payload.$":"$","Token.$":"$$.Task.Token"}}{extra},"End":true}}}}}}"#
    )
}

#[test]
fn lambda_invoke_wraps_the_payload_and_a_function_arn_returns_it() {
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
        "Parameters":{"FunctionName":"f","Payload.$":"$"},"End":true}}}"#;
    let mut e = start(def, r#"{"x":1}"#, r#"{"T":{"ReturnPayload":{"ok":true}}}"#);
    let Status::Succeeded { output } = e.run() else {
        panic!("{:?}", e.status())
    };
    assert_eq!(output.get("Payload"), Some(&v(r#"{"ok":true}"#)));
    assert_eq!(output.get("StatusCode"), Some(&Value::from_i64(200)));
    assert_eq!(output.get("ExecutedVersion"), Some(&Value::from("$LATEST")));
    assert!(
        output
            .get("SdkHttpMetadata")
            .and_then(|m| m.get("HttpStatusCode"))
            .is_some()
    );
    assert_eq!(
        types(&e),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    let h = events(&e);
    let sched = &h[2]["taskScheduledEventDetails"];
    assert_eq!(sched["resourceType"], "lambda");
    assert_eq!(sched["resource"], "invoke");
    assert_eq!(sched["region"], "us-east-1");
    // The request, as AWS records it: a JSON string.
    assert_eq!(
        sched["parameters"],
        r#"{"FunctionName":"f","Payload":{"x":1}}"#
    );

    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task",
        "Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","TimeoutSeconds":30,"End":true}}}"#;
    let mut e = start(def, r#"{"x":1}"#, r#"{"T":{"ReturnPayload":{"ok":true}}}"#);
    assert_eq!(
        e.run(),
        Status::Succeeded {
            output: v(r#"{"ok":true}"#)
        }
    );
    let h = events(&e);
    assert_eq!(h[2]["type"], "LambdaFunctionScheduled");
    assert_eq!(
        h[2]["lambdaFunctionScheduledEventDetails"]["input"],
        r#"{"x":1}"#
    );
    assert_eq!(
        h[2]["lambdaFunctionScheduledEventDetails"]["timeoutInSeconds"],
        30
    );
}

#[test]
fn sync_jobs_are_submitted_then_run_to_completion() {
    let def = r#"{"StartAt":"Job","States":{"Job":{"Type":"Task",
        "Resource":"arn:aws:states:::glue:startJobRun.sync","Parameters":{"JobName":"etl"},
        "TimeoutSeconds":600,"End":true}}}"#;
    let mut e = start(
        def,
        "{}",
        r#"{"Job":{"Return":{"JobRunState":"SUCCEEDED"},"DurationSeconds":120}}"#,
    );
    assert!(matches!(e.run(), Status::Succeeded { .. }));
    assert_eq!(
        types(&e),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    let h = events(&e);
    assert_eq!(h[2]["taskScheduledEventDetails"]["resourceType"], "glue");
    assert_eq!(
        h[2]["taskScheduledEventDetails"]["resource"],
        "startJobRun.sync"
    );
    assert_eq!(h[2]["taskScheduledEventDetails"]["timeoutInSeconds"], 600);
    assert_eq!(h[4]["taskSubmittedEventDetails"]["resourceType"], "glue");
    // The job ran for its mocked duration in virtual time.
    let t = |i: usize| h[i]["timestamp"].as_str().map(str::to_string);
    assert_ne!(t(4), t(5));
    // Past TimeoutSeconds, the job times out instead.
    let mut e = start(def, "{}", r#"{"Job":{"Return":{},"DurationSeconds":601}}"#);
    assert!(
        matches!(e.run(), Status::Failed { error: Some(err), .. } if &*err == "States.Timeout")
    );
    assert!(types(&e).contains(&"TaskTimedOut".to_string()));
}

#[test]
fn wait_for_task_token_pauses_with_the_request_and_its_token() {
    let def = task(
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        r#","HeartbeatSeconds":10,"TimeoutSeconds":60"#,
    );
    let mut e = start(&def, r#"{"order":7}"#, "{}");
    let Status::Paused { tasks } = e.run() else {
        panic!("{:?}", e.status())
    };
    let t = &tasks[0];
    assert_eq!(t.state.as_ref(), "T");
    assert_eq!(t.heartbeat_seconds, Some(10));
    assert_eq!(t.timeout_seconds, Some(60));
    // The request carries the token, so a user can answer for it.
    assert_eq!(
        t.parameters.get("Token").and_then(Value::as_str),
        Some(&*t.token)
    );
    assert_eq!(
        types(&e)[2..],
        ["TaskScheduled", "TaskStarted", "TaskSubmitted"]
    );
    let h = events(&e);
    assert_eq!(h[2]["taskScheduledEventDetails"]["heartbeatInSeconds"], 10);
    assert!(
        h[2]["taskScheduledEventDetails"]["parameters"]
            .as_str()
            .is_some_and(|p| p.contains(&*t.token))
    );
    // Heartbeats every 8 s keep it alive past HeartbeatSeconds; the answer then lands.
    let token = t.token.clone();
    for _ in 0..3 {
        assert_eq!(e.send_heartbeat(&token, 8_000), Ok(TaskAnswer::Accepted));
    }
    assert_eq!(
        e.complete_task_after(&token, Ok(v(r#"{"done":true}"#)), 5_000),
        Ok(TaskAnswer::Accepted)
    );
    assert_eq!(
        e.run(),
        Status::Succeeded {
            output: v(r#"{"done":true}"#)
        }
    );
    // 29 s of virtual time passed while the task waited.
    let h = events(&e);
    let last = h.as_array().and_then(|a| a.last()).expect("events");
    assert_eq!(last["timestamp"], "2024-01-01T00:00:29.000Z", "{last}");
}

#[test]
fn heartbeat_seconds_fire_in_virtual_time_when_nothing_arrives() {
    let def = r#"{"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
             "Parameters":{"FunctionName":"f","Payload":{"token.$":"$$.Task.Token"}},
             "HeartbeatSeconds":10,"TimeoutSeconds":60,
             "Catch":[{"ErrorEquals":["States.HeartbeatTimeout"],"ResultPath":"$.err","Next":"Caught"}],
             "Next":"Caught"},
        "Caught":{"Type":"Pass","End":true}}}"#;
    let mut e = start(def, "{}", "{}");
    let Status::Paused { tasks } = e.run() else {
        panic!("{:?}", e.status())
    };
    let token = tasks[0].token.clone();
    // An answer 11 s later is too late: HeartbeatSeconds (10) passed first.
    assert_eq!(
        e.complete_task_after(&token, Ok(Value::Null), 11_000),
        Ok(TaskAnswer::TimedOut { heartbeat: true })
    );
    let Status::Succeeded { output } = e.run() else {
        panic!("{:?}", e.status())
    };
    assert_eq!(
        output.get("err").and_then(|x| x.get("Error")),
        Some(&Value::from("States.HeartbeatTimeout"))
    );
    assert!(types(&e).contains(&"TaskTimedOut".to_string()));

    // Nobody ever answers: expire_task fires the first deadline.
    let mut e = start(def, "{}", "{}");
    let Status::Paused { tasks } = e.run() else {
        panic!()
    };
    assert_eq!(
        e.expire_task(&tasks[0].token),
        Ok(TaskAnswer::TimedOut { heartbeat: true })
    );
    assert!(matches!(e.run(), Status::Succeeded { .. }));
    // Stepping back before the timeout and forward again replays it.
    let n = e.history().len() as u32;
    assert!(e.seek(3));
    assert!(e.seek(n));
    assert!(matches!(e.status(), Status::Succeeded { .. }));

    // Without TimeoutSeconds or HeartbeatSeconds, a task never times out.
    let plain = task("arn:aws:states:::sqs:sendMessage.waitForTaskToken", "");
    let mut e = start(&plain, "{}", "{}");
    let Status::Paused { tasks } = e.run() else {
        panic!()
    };
    assert!(matches!(
        e.expire_task(&tasks[0].token),
        Err(CompleteError::NoDeadline(_))
    ));
    assert!(matches!(
        e.send_heartbeat("nope", 0),
        Err(CompleteError::UnknownToken(_))
    ));
}

#[test]
fn timeout_seconds_bounds_the_whole_wait_despite_heartbeats() {
    let def = task(
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        r#","HeartbeatSeconds":10,"TimeoutSeconds":25"#,
    );
    let mut e = start(&def, "{}", "{}");
    let Status::Paused { tasks } = e.run() else {
        panic!()
    };
    let token = tasks[0].token.clone();
    assert_eq!(e.send_heartbeat(&token, 9_000), Ok(TaskAnswer::Accepted));
    assert_eq!(e.send_heartbeat(&token, 9_000), Ok(TaskAnswer::Accepted));
    // 18 s waited; the next heartbeat deadline is 28 s, but TimeoutSeconds is 25.
    assert_eq!(
        e.send_heartbeat(&token, 9_000),
        Ok(TaskAnswer::TimedOut { heartbeat: false })
    );
    assert!(
        matches!(e.run(), Status::Failed { error: Some(err), .. } if &*err == "States.Timeout")
    );
}

#[test]
fn activities_report_activity_events_and_can_be_mocked() {
    let def = r#"{"StartAt":"Approve","States":{"Approve":{"Type":"Task",
        "Resource":"arn:aws:states:us-east-1:123456789012:activity:approve",
        "Parameters":{"who.$":"$.who"},"HeartbeatSeconds":30,"ResultPath":"$.approval","End":true}}}"#;
    let mut e = start(
        def,
        r#"{"who":"ana"}"#,
        r#"{"Resources":{"arn:aws:states:us-east-1:123456789012:activity:approve":{"Return":{"ok":true}}}}"#,
    );
    assert_eq!(
        e.run(),
        Status::Succeeded {
            output: v(r#"{"who":"ana","approval":{"ok":true}}"#)
        }
    );
    assert_eq!(
        types(&e)[2..5],
        ["ActivityScheduled", "ActivityStarted", "ActivitySucceeded"]
    );
    let h = events(&e);
    let d = &h[2]["activityScheduledEventDetails"];
    assert_eq!(
        d["resource"],
        "arn:aws:states:us-east-1:123456789012:activity:approve"
    );
    assert_eq!(d["input"], r#"{"who":"ana"}"#);
    assert_eq!(d["heartbeatInSeconds"], 30);
    // A failing activity worker.
    let mut e = start(
        def,
        r#"{"who":"bo"}"#,
        r#"{"Approve":{"Throw":{"Error":"Rejected","Cause":"no"}}}"#,
    );
    assert!(matches!(e.run(), Status::Failed { .. }));
    assert_eq!(
        events(&e)[4]["activityFailedEventDetails"]["error"],
        "Rejected"
    );
}

#[test]
fn aws_sdk_tasks_show_service_and_action() {
    let def = r#"{"StartAt":"Get","States":{"Get":{"Type":"Task",
        "Resource":"arn:aws:states:::aws-sdk:s3:getObject",
        "Parameters":{"Bucket":"b","Key.$":"$.key"},"End":true}}}"#;
    let mut e = start(def, r#"{"key":"k"}"#, "{}");
    let Status::Paused { tasks } = e.run() else {
        panic!()
    };
    assert_eq!(tasks[0].parameters, v(r#"{"Bucket":"b","Key":"k"}"#));
    let h = events(&e);
    assert_eq!(
        h[2]["taskScheduledEventDetails"]["resourceType"],
        "aws-sdk:s3"
    );
    assert_eq!(h[2]["taskScheduledEventDetails"]["resource"], "getObject");
    assert_eq!(types(&e).len(), 4, "no TaskSubmitted for request-response");
}

#[test]
fn numbered_mocks_that_run_out_fail_the_task() {
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
        "Retry":[{"ErrorEquals":["E"],"IntervalSeconds":1,"MaxAttempts":5}],"End":true}}}"#;
    let mut e = start(
        def,
        "{}",
        r#"{"T":{"0-1":{"Throw":{"Error":"E","Cause":"c"}}}}"#,
    );
    let Status::Failed { error, cause } = e.run() else {
        panic!("{:?}", e.status())
    };
    assert_eq!(error.as_deref(), Some("States.Runtime"));
    assert!(cause.is_some_and(|c| c.contains("invocation 2")));
}

/// The recorded AWS executions (`shared/conformance`, see `tests/conformance.rs`).
fn recorded_cases() -> Vec<serde_json::Value> {
    common::read_cases("localstack.jsonl")
}

/// `got` has `want`'s shape and values; strings the snapshot tool masked (`"date"`, a header's
/// own name, `<uuid:N>`) stand for any value.
fn same_shape(
    want: &serde_json::Value,
    got: &serde_json::Value,
    key: &str,
    exact_length: bool,
) -> Result<(), String> {
    use serde_json::Value as J;
    match (want, got) {
        // The body's length depends on how the function's runtime wrote it (Python's json.dumps
        // adds spaces) and on masked values: compared only where that is unambiguous.
        (_, _) if key == "Content-Length" && !exact_length => Ok(()),
        (J::String(w), _)
            if w == "date" || w == key || (w.starts_with("<uuid:") && w.ends_with('>')) =>
        {
            Ok(())
        }
        (J::Object(w), J::Object(g)) => {
            let wk: Vec<&String> = w.keys().collect();
            let gk: Vec<&String> = g.keys().collect();
            let (mut ws, mut gs) = (wk.clone(), gk.clone());
            ws.sort();
            gs.sort();
            if ws != gs {
                return Err(format!("{key}: keys {wk:?}, got {gk:?}"));
            }
            for (k, wv) in w {
                same_shape(wv, &g[k], k, exact_length)?;
            }
            Ok(())
        }
        (J::Array(w), J::Array(g)) if w.len() == g.len() => w
            .iter()
            .zip(g)
            .try_for_each(|(a, b)| same_shape(a, b, key, exact_length)),
        _ if want == got => Ok(()),
        _ => Err(format!("{key}: expected {want}, got {got}")),
    }
}

#[test]
fn return_payload_reproduces_recorded_lambda_invoke_results() {
    let mut checked = 0;
    for case in recorded_cases() {
        let Some(calls) = case.get("mock_calls").and_then(|m| m.as_object()) else {
            continue;
        };
        let def = &case["definition"];
        if case["expected"]["status"] != "SUCCEEDED"
            || def.get("QueryLanguage").is_some()
            || def.to_string().contains("JSONata")
        {
            continue;
        }
        let all: Vec<&serde_json::Value> = calls
            .values()
            .flat_map(|c| c.as_array().into_iter().flatten())
            .collect();
        let invoke = all
            .iter()
            .all(|c| c["integration"] == "lambda:invoke" && c["outcome"] == "return");
        let direct = all
            .iter()
            .all(|c| c["integration"] == "lambda-direct" && c["outcome"] == "return");
        if all.is_empty() || !(invoke || direct) {
            continue;
        }
        // Mock what each function returned; the integration must add the rest.
        let mut states = serde_json::Map::new();
        for (state, calls) in calls {
            let mut numbered = serde_json::Map::new();
            for (i, c) in calls.as_array().into_iter().flatten().enumerate() {
                let payload = if invoke {
                    c["result"]["Payload"].clone()
                } else {
                    c["result"].clone()
                };
                numbered.insert(
                    i.to_string(),
                    serde_json::json!({ "ReturnPayload": payload }),
                );
            }
            states.insert(state.clone(), serde_json::Value::Object(numbered));
        }
        let mocks = serde_json::json!({ "States": states }).to_string();
        let mut e = start(&def.to_string(), &case["input"].to_string(), &mocks);
        let id = case["id"].as_str().unwrap_or("?");
        let Status::Succeeded { output } = e.run() else {
            panic!("{id}: {:?}", e.status());
        };
        let got: serde_json::Value = serde_json::to_value(&output).expect("output");
        let exact_length = calls
            .values()
            .flat_map(|c| c.as_array().into_iter().flatten())
            .all(|c| {
                let p = &c["result"]["Payload"];
                let text = p.to_string();
                !text.contains('<') && (text.len() <= 2 || !(p.is_object() || p.is_array()))
            });
        if let Err(why) = same_shape(&case["expected"]["output"], &got, "", exact_length) {
            panic!("{id}: {why}");
        }
        checked += 1;
    }
    println!("{checked} recorded Lambda executions reproduced from ReturnPayload mocks");
    assert!(checked >= 10, "only {checked} cases checked");
}
