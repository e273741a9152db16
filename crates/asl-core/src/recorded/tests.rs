use std::sync::Arc;

use super::*;
use crate::exec::{ExecOptions, Execution, Status, Step};
use crate::inspect::{Inspector, Overlay};
use crate::mock::{MockConfig, Mocks};
use crate::model::StateMachine;

fn machine(def: &str) -> Arc<StateMachine> {
    let loaded = crate::load(def);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    Arc::new(loaded.machine.expect("machine"))
}

fn simulate(m: &Arc<StateMachine>, input: &str, mocks: &str) -> Execution {
    let mut e = Execution::start(
        m.clone(),
        Value::parse(input).expect("input"),
        ExecOptions {
            mocks: Arc::new(Mocks::parse(mocks).expect("mocks")),
            ..ExecOptions::default()
        },
    );
    e.run();
    e
}

const NESTED: &str = r#"{"StartAt": "P", "States": {
  "P": {"Type": "Parallel", "Next": "M", "ResultPath": null, "Branches": [
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
    {"StartAt": "Q", "States": {"Q": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
         "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 2}]}}}]}}}]},
  "M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "End": true,
    "ItemProcessor": {"StartAt": "Inner", "States": {
      "Inner": {"Type": "Map", "ItemsPath": "$.xs", "End": true,
        "ItemProcessor": {"StartAt": "C", "States": {"C": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "End": true}}}}}}}}}"#;

const NESTED_INPUT: &str = r#"{"items": [{"xs": [1, 2]}, {"xs": [3]}, {"xs": []}]}"#;
const NESTED_MOCKS: &str = r#"{"B": {"0": {"Throw": {"Error": "Boom", "Cause": "first"}}, "1": {"Return": {"Payload": 1}}},
  "C": {"Return": 7}}"#;

/// Exporting a simulated run in AWS's shape and importing it gives back every event's state
/// path and Map iterations: the `previousEventId` rule recovers what AWS leaves out.
#[test]
fn import_recovers_paths_and_iterations_of_nested_runs() {
    let m = machine(NESTED);
    let run = simulate(&m, NESTED_INPUT, NESTED_MOCKS);
    assert_eq!(run.status().aws_name(), "SUCCEEDED");
    let text = history_json(run.history()).to_json_pretty();
    assert!(!text.contains("statePath"), "AWS's shape only");
    let rec = import(&m, &text, None).expect("import");
    assert_eq!(rec.shape, Shape::GetExecutionHistory);
    assert_eq!(rec.events.len(), run.history().len());
    for (got, want) in rec.events.iter().zip(run.history()) {
        assert_eq!(
            (got.kind, &*got.path, &*got.iterations),
            (want.kind, &*want.path, &*want.iterations),
            "event {}",
            want.id
        );
        assert_eq!(got.previous_event_id, want.previous_event_id);
    }
    assert_eq!(rec.status(), "SUCCEEDED");
    assert!(rec.warnings.is_empty(), "{:?}", rec.warnings);
    // The overlay and the visits read the recording as they read the run.
    let replayed = Overlay::at(&rec.events, None);
    let simulated = Overlay::at(run.history(), None);
    assert_eq!(replayed.states, simulated.states);
    assert_eq!(replayed.edges, simulated.edges);
    assert_eq!(replayed.maps, simulated.maps);
    let visits = Inspector::new(&m).visits(&rec.events, "P/1/Q/0/B");
    assert_eq!(visits.len(), 1);
    assert_eq!(visits[0].attempts.len(), 2);
    assert_eq!(visits[0].attempts[0].retry_index, Some(0));
}

#[test]
fn derived_mocks_reproduce_the_run_and_compare_clean() {
    let m = machine(NESTED);
    let run = simulate(&m, NESTED_INPUT, NESTED_MOCKS);
    let rec = import(&m, &history_json(run.history()).to_json_string(), None).expect("import");
    let derived = mocks_from(&m, &rec.events);
    assert_eq!(
        derived.mocks.to_value().to_json_string(),
        r#"{"States":{"B":{"0":{"Throw":{"Error":"Boom","Cause":"first"}},"1":{"Return":{"Payload":1}}},"C":{"0-2":{"Return":7}}}}"#
    );
    let cmp = compare(m.clone(), &rec, derived.mocks.clone());
    assert!(cmp.divergence.is_none(), "{:?}", cmp.divergence);
    assert_eq!(cmp.matched_events, rec.events.len());
    // The MockConfigFile form parses with our reader and gives the same responses.
    let config = mock_config(&m, &derived, "Machine", "Recorded");
    let text = config.to_value().to_json_pretty();
    let read = MockConfig::parse(&text).expect("parses");
    let mocks = read.mocks(None, "Recorded").expect("case");
    assert_eq!(mocks.by_state, derived.mocks.by_state);
}

#[test]
fn compare_reports_the_first_divergence_with_its_state() {
    let m = machine(NESTED);
    let run = simulate(&m, NESTED_INPUT, NESTED_MOCKS);
    let rec = import(&m, &history_json(run.history()).to_json_string(), None).expect("import");
    // B now fails for good: a different error at its first attempt.
    let mocks =
        Mocks::parse(r#"{"B": {"Throw": {"Error": "Other", "Cause": "c"}}, "C": {"Return": 7}}"#)
            .expect("mocks");
    let cmp = compare(m.clone(), &rec, mocks);
    let d = cmp.divergence.expect("diverges");
    assert_eq!(d.kind, DivergenceKind::Error);
    assert_eq!(d.path.as_deref(), Some("P/1/Q/0/B"));
    assert_eq!(d.recorded, Some(Value::from("Boom")));
    assert_eq!(d.simulated, Some(Value::from("Other")));
    // A changed result shows as the task's output.
    let mocks = Mocks::parse(
        r#"{"B": {"0": {"Throw": {"Error": "Boom", "Cause": "first"}}, "1": {"Return": {"Payload": 2}}}, "C": {"Return": 7}}"#,
    )
    .expect("mocks");
    let d = compare(m.clone(), &rec, mocks)
        .divergence
        .expect("diverges");
    assert_eq!(d.kind, DivergenceKind::Output);
    assert_eq!(d.state.as_deref(), Some("B"));
    // No mock for C: the simulation pauses, and the recording goes on.
    let mocks = Mocks::parse(
        r#"{"B": {"0": {"Throw": {"Error": "Boom", "Cause": "first"}}, "1": {"Return": {"Payload": 1}}}}"#,
    )
    .expect("mocks");
    let cmp = compare(m, &rec, mocks);
    assert_eq!(cmp.simulated_status, "PAUSED");
    let d = cmp.divergence.expect("diverges");
    assert_eq!(d.kind, DivergenceKind::Missing);
    assert!(d.message.contains("\"C\""), "{}", d.message);
}

/// What `aws stepfunctions get-execution-history` prints for a Lambda task that failed once and
/// was retried, with `describe-execution`'s output beside it.
const CLI_HISTORY: &str = r#"{
    "events": [
        {"timestamp": "2024-05-01T12:00:00.000000+02:00", "type": "ExecutionStarted", "id": 1, "previousEventId": 0,
         "executionStartedEventDetails": {"input": "{\"n\": 1}", "inputDetails": {"truncated": false},
           "roleArn": "arn:aws:iam::210987654321:role/sfn"}},
        {"timestamp": "2024-05-01T12:00:00.050000+02:00", "type": "TaskStateEntered", "id": 2, "previousEventId": 0,
         "stateEnteredEventDetails": {"name": "Charge", "input": "{\"n\": 1}", "inputDetails": {"truncated": false}}},
        {"timestamp": "2024-05-01T12:00:00.060000+02:00", "type": "TaskScheduled", "id": 3, "previousEventId": 2,
         "taskScheduledEventDetails": {"resourceType": "lambda", "resource": "invoke", "region": "eu-west-1",
           "parameters": "{\"FunctionName\":\"arn:aws:lambda:eu-west-1:210987654321:function:charge\",\"Payload\":{\"n\":1}}"}},
        {"timestamp": "2024-05-01T12:00:00.070000+02:00", "type": "TaskStarted", "id": 4, "previousEventId": 3,
         "taskStartedEventDetails": {"resourceType": "lambda", "resource": "invoke"}},
        {"timestamp": "2024-05-01T12:00:00.500000+02:00", "type": "TaskFailed", "id": 5, "previousEventId": 4,
         "taskFailedEventDetails": {"resourceType": "lambda", "resource": "invoke", "error": "Lambda.ServiceException", "cause": "busy"}},
        {"timestamp": "2024-05-01T12:00:01.500000+02:00", "type": "TaskScheduled", "id": 6, "previousEventId": 5,
         "taskScheduledEventDetails": {"resourceType": "lambda", "resource": "invoke", "region": "eu-west-1",
           "parameters": "{\"FunctionName\":\"arn:aws:lambda:eu-west-1:210987654321:function:charge\",\"Payload\":{\"n\":1}}"}},
        {"timestamp": "2024-05-01T12:00:01.510000+02:00", "type": "TaskStarted", "id": 7, "previousEventId": 6,
         "taskStartedEventDetails": {"resourceType": "lambda", "resource": "invoke"}},
        {"timestamp": "2024-05-01T12:00:01.900000+02:00", "type": "TaskSucceeded", "id": 8, "previousEventId": 7,
         "taskSucceededEventDetails": {"resourceType": "lambda", "resource": "invoke",
           "output": "{\"StatusCode\":200,\"Payload\":{\"ok\":true}}", "outputDetails": {"truncated": false}}},
        {"timestamp": "2024-05-01T12:00:01.910000+02:00", "type": "TaskStateExited", "id": 9, "previousEventId": 8,
         "stateExitedEventDetails": {"name": "Charge", "output": "{\"ok\":true}", "outputDetails": {"truncated": false}}},
        {"timestamp": "2024-05-01T12:00:01.920000+02:00", "type": "ExecutionSucceeded", "id": 10, "previousEventId": 9,
         "executionSucceededEventDetails": {"output": "{\"ok\":true}", "outputDetails": {"truncated": false}}}
    ]
}"#;

const CLI_DESCRIBE: &str = r#"{
    "executionArn": "arn:aws:states:eu-west-1:210987654321:execution:Payments:run-42",
    "stateMachineArn": "arn:aws:states:eu-west-1:210987654321:stateMachine:Payments",
    "name": "run-42", "status": "SUCCEEDED",
    "startDate": "2024-05-01T12:00:00+02:00", "input": "{\"n\": 1}", "output": "{\"ok\":true}"
}"#;

const CHARGE: &str = r#"{"StartAt": "Charge", "States": {"Charge": {"Type": "Task",
  "Resource": "arn:aws:states:::lambda:invoke", "OutputPath": "$.Payload",
  "Parameters": {"FunctionName": "arn:aws:lambda:eu-west-1:210987654321:function:charge", "Payload.$": "$"},
  "Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "IntervalSeconds": 1}], "End": true}}}"#;

#[test]
fn reads_the_cli_output_with_describe_execution() {
    let m = machine(CHARGE);
    let rec = import(&m, CLI_HISTORY, Some(CLI_DESCRIBE)).expect("import");
    assert_eq!(rec.names.region, "eu-west-1");
    assert_eq!(rec.names.state_machine_name, "Payments");
    assert_eq!(rec.names.execution_name, "run-42");
    assert_eq!(rec.names.role_arn, "arn:aws:iam::210987654321:role/sfn");
    assert_eq!(rec.described_status.as_deref(), Some("SUCCEEDED"));
    assert_eq!(rec.start_time_ms, Some(1_714_557_600_000));
    assert!(rec.events[2..8].iter().all(|e| &*e.path == "Charge"));
    // Replay: step, back, seek over the fixed history.
    let mut r = Replay::new(m.clone(), rec.clone());
    assert_eq!(r.step(), Step::Event(1));
    assert!(matches!(
        r.step_state(100),
        crate::exec::RunStop::Hit { event: 2 }
    ));
    assert_eq!(r.position().len(), 1);
    assert!(r.seek(5));
    let visits = r.inspector().visits(r.history(), "Charge");
    assert_eq!(
        visits[0].attempts[0].error.as_deref(),
        Some("Lambda.ServiceException")
    );
    assert!(matches!(r.run(), Status::Succeeded { .. }));
    assert_eq!(r.step(), Step::Finished);
    assert!(r.back_state());
    assert_eq!(r.event_count(), 2);
    assert!(!r.seek(11));
    // The retry's back-off, from the recorded times: one second.
    let v = &r.inspector().visits(r.recorded(), "Charge")[0];
    assert_eq!(v.attempts[0].retry_backoff_interval_seconds, Some(1.0));
    // Mocks and a clean comparison (the request's ARN and the recorded names agree).
    let derived = mocks_from(&m, &rec.events);
    let cmp = compare(m, &rec, derived.mocks);
    assert!(cmp.divergence.is_none(), "{:?}", cmp.divergence);
}

#[test]
fn malformed_input_is_an_error_at_its_position() {
    let m = machine(CHARGE);
    for (text, kind, line, column) in [
        ("", ImportErrorKind::Syntax, 1, 1),
        ("{\"events\": [", ImportErrorKind::Syntax, 1, 13),
        ("{\"x\": 1}", ImportErrorKind::NotAHistory, 1, 1),
        ("{\"events\": 3}", ImportErrorKind::NotAHistory, 1, 12),
        ("[1]", ImportErrorKind::BadEvent, 1, 2),
        (
            "[{\"id\": 1, \"timestamp\": 0,\n \"type\": \"Nope\"}]",
            ImportErrorKind::UnknownEventType,
            2,
            10,
        ),
        (
            "[{\"id\": 1, \"timestamp\": \"yesterday\", \"type\": \"ExecutionStarted\"}]",
            ImportErrorKind::BadTimestamp,
            1,
            25,
        ),
        (
            "[{\"id\": 1, \"timestamp\": 0, \"type\": \"ExecutionStarted\"},\n {\"id\": 1, \"timestamp\": 0, \"type\": \"ExecutionSucceeded\"}]",
            ImportErrorKind::BadEventId,
            2,
            2,
        ),
        (
            "[{\"id\": 2, \"previousEventId\": 5, \"timestamp\": 0, \"type\": \"ExecutionStarted\"}]",
            ImportErrorKind::BadEventId,
            1,
            2,
        ),
        (
            "[{\"id\": 1, \"timestamp\": 0, \"type\": \"TaskStateEntered\", \"stateEnteredEventDetails\": {\"input\": \"{}\"}}]",
            ImportErrorKind::BadEvent,
            1,
            84,
        ),
    ] {
        let e = import(&m, text, None).expect_err(text);
        assert_eq!(
            (e.kind, e.line, e.column),
            (kind, line, column),
            "{text}: {e}"
        );
    }
    let e = import(&m, CLI_HISTORY, Some("[")).expect_err("describe");
    assert_eq!(e.document, "describe");
}

#[test]
fn timed_out_tasks_become_durations_and_config_throws() {
    let def = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f",
      "TimeoutSeconds": 5, "Retry": [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 1}], "End": true}}}"#;
    let m = machine(def);
    let run = simulate(
        &m,
        "{}",
        r#"{"T": {"0": {"Return": 1, "DurationSeconds": 9}, "1": {"Return": 2}}}"#,
    );
    assert_eq!(run.status().aws_name(), "SUCCEEDED");
    let rec = import(&m, &history_json(run.history()).to_json_string(), None).expect("import");
    let derived = mocks_from(&m, &rec.events);
    let cmp = compare(m.clone(), &rec, derived.mocks.clone());
    assert!(cmp.divergence.is_none(), "{:?}", cmp.divergence);
    let config = mock_config(&m, &derived, "M", "C")
        .to_value()
        .to_json_string();
    assert!(config.contains("States.Timeout"), "{config}");
}

#[test]
fn test_case_export_runs_back_to_the_same_end() {
    let m = machine(CHARGE);
    let rec = import(&m, CLI_HISTORY, Some(CLI_DESCRIBE)).expect("import");
    let derived = mocks_from(&m, &rec.events);
    let status = Replay::new(m.clone(), rec.clone()).run();
    let files = test_case(
        &m,
        "Payments",
        "Recorded",
        &rec.input,
        &derived.mocks,
        &status,
    )
    .expect("finished");
    assert_eq!(
        files.expect.to_json_string(),
        r#"{"Recorded":{"status":"SUCCEEDED","output":{"ok":true},"input":{"n":1}}}"#
    );
    let config = MockConfig::parse(&files.mock_config.to_json_string()).expect("parses");
    assert_eq!(
        config.mocks(None, "Recorded").expect("case").by_state,
        derived.mocks.by_state
    );
}

/// An execution stopped by the user: the API's shape (epoch-second timestamps), newest first
/// (`--reverse-order`), with the Wait it was in aborted.
#[test]
fn reads_an_aborted_execution_in_reverse_order_with_epoch_seconds() {
    let m = machine(
        r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}"#,
    );
    let text = r#"[
      {"id": 4, "previousEventId": 3, "timestamp": 1714557660.5, "type": "ExecutionAborted",
       "executionAbortedEventDetails": {"error": "Stopped", "cause": "by hand"}},
      {"id": 3, "previousEventId": 2, "timestamp": 1714557660.5, "type": "WaitStateAborted"},
      {"id": 2, "previousEventId": 0, "timestamp": 1714557600.25, "type": "WaitStateEntered",
       "stateEnteredEventDetails": {"name": "W", "input": "{}"}},
      {"id": 1, "previousEventId": 0, "timestamp": 1714557600, "type": "ExecutionStarted",
       "executionStartedEventDetails": {"input": "{}", "roleArn": "arn:aws:iam::1:role/r"}}
    ]"#;
    let rec = import(&m, text, None).expect("import");
    assert_eq!(rec.shape, Shape::EventsArray);
    assert_eq!(rec.events[0].kind, EventType::ExecutionStarted);
    assert_eq!(rec.events[1].timestamp_ms, 1_714_557_600_250);
    assert_eq!(&*rec.events[2].path, "W");
    assert_eq!(rec.status(), "ABORTED");
    assert_eq!(rec.error(), Some((Some("Stopped"), Some("by hand"))));
    let mut r = Replay::new(m.clone(), rec.clone());
    assert!(r.seek(2));
    assert_eq!(r.position().len(), 1);
    r.run();
    assert_eq!(r.aws_status(), "ABORTED");
    assert!(matches!(r.status(), Status::Failed { .. }));
    assert!(r.position().is_empty());
    let o = Overlay::at(r.history(), None);
    assert_eq!(o.status, "ABORTED");
    assert_eq!(o.elapsed_ms, 60_500);
    assert_eq!(o.mark("W"), Some(crate::inspect::Mark::Failed));
    // The export writes AWS's shape back, abort details included, and reads back the same.
    let out = history_json(&rec.events).to_json_string();
    assert!(
        out.contains(r#""executionAbortedEventDetails":{"error":"Stopped","cause":"by hand"}"#),
        "{out}"
    );
    let again = import(&m, &out, None).expect("round trip");
    assert_eq!(again.events.len(), 4);
    assert_eq!(again.status(), "ABORTED");
}

#[test]
fn every_event_type_reads_back_by_name() {
    for &t in EventType::ALL {
        assert_eq!(EventType::from_name(t.as_str()), Some(t));
    }
    assert_eq!(EventType::from_name("Nope"), None);
}

#[test]
fn a_running_recording_is_a_prefix_and_assigned_variables_are_compared() {
    let m = machine(CHARGE);
    // The first five events: the execution is still running (retrying) when the history ends.
    let v: serde_json::Value = serde_json::from_str(CLI_HISTORY).expect("json");
    let first: Vec<_> = v["events"].as_array().expect("events")[..5].to_vec();
    let text = serde_json::json!({ "events": first }).to_string();
    let rec = import(&m, &text, None).expect("import");
    assert_eq!(rec.status(), "RUNNING");
    let derived = mocks_from(&m, &rec.events);
    // The second attempt has no recorded outcome, so no response: the simulation runs past the
    // last one (States.Runtime, as Step Functions Local), which is past the recording too.
    let cmp = compare(m, &rec, derived.mocks);
    assert!(cmp.divergence.is_none(), "{:?}", cmp.divergence);
    assert_eq!(cmp.matched_events, 5);
    assert!(cmp.simulated_events > 5);

    let assign = |x: u32| {
        format!(
            r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Pass", "Assign": {{"x": {x}}}, "End": true}}}}}}"#
        )
    };
    let one = machine(&assign(1));
    let run = simulate(&one, "{}", "{}");
    let rec = import(&one, &history_json(run.history()).to_json_string(), None).expect("import");
    let d = compare(machine(&assign(2)), &rec, Mocks::default())
        .divergence
        .expect("diverges");
    assert_eq!(d.kind, DivergenceKind::Variables);
    assert_eq!(d.recorded, Value::parse(r#"{"x":1}"#).ok());
}

/// Whether a Parallel's or Map's closing event points back at its `…Started` event or at the
/// last event of its last child, the paths come out the same.
#[test]
fn paths_do_not_depend_on_which_earlier_event_previous_event_id_names() {
    let m = machine(NESTED);
    let run = simulate(&m, NESTED_INPUT, NESTED_MOCKS);
    let mut v: serde_json::Value =
        serde_json::from_str(&history_json(run.history()).to_json_string()).expect("json");
    for e in v["events"].as_array_mut().expect("events") {
        let id = e["id"].as_u64().expect("id");
        e["previousEventId"] = (id - 1).into();
    }
    let rec = import(&m, &v.to_string(), None).expect("import");
    for (got, want) in rec.events.iter().zip(run.history()) {
        assert_eq!(
            (&*got.path, &*got.iterations),
            (&*want.path, &*want.iterations),
            "event {} {}",
            want.id,
            want.kind
        );
    }
}

#[test]
fn reads_python_timestamps_and_histories_without_execution_data() {
    let m = machine(CHARGE);
    let text = r#"{"events": [
      {"id": 1, "previousEventId": 0, "timestamp": "2024-05-01 10:00:00.500000+00:00", "type": "ExecutionStarted",
       "executionStartedEventDetails": {"roleArn": "arn:aws:iam::1:role/r"}},
      {"id": 2, "previousEventId": 0, "timestamp": "2024-05-01 10:00:01+00:00", "type": "TaskStateEntered",
       "stateEnteredEventDetails": {"name": "Charge"}}]}"#;
    let rec = import(&m, text, None).expect("import");
    assert_eq!(rec.start_time_ms, Some(1_714_557_600_500));
    assert_eq!(rec.input, Value::empty_object());
    assert_eq!(rec.warnings.len(), 1, "{:?}", rec.warnings);
    assert!(rec.warnings[0].contains("no payloads"));
    assert_eq!(rec.status(), "RUNNING");
}

/// AWS ran the second iteration's task first: a per-state mock counter then hands each
/// iteration the other's result, while answering by iteration replays the recording exactly.
#[test]
fn compare_recorded_answers_each_map_iteration_as_recorded() {
    let m = machine(
        r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "C",
          "States": {"C": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "End": true}}}}}}"#,
    );
    let run = simulate(
        &m,
        "[1, 2]",
        r#"{"C": {"0": {"Return": "a"}, "1": {"Return": "b"}}}"#,
    );
    let v: serde_json::Value =
        serde_json::from_str(&history_json(run.history()).to_json_string()).expect("json");
    let events = v["events"].as_array().expect("events").clone();
    // The blocks of iteration 0 and 1 (each from its MapIterationStarted to its end), swapped.
    let starts: Vec<usize> = events
        .iter()
        .enumerate()
        .filter(|(_, e)| e["type"] == "MapIterationStarted")
        .map(|(i, _)| i)
        .collect();
    let end1 = events
        .iter()
        .rposition(|e| e["type"] == "MapIterationSucceeded")
        .expect("end");
    let mut order: Vec<serde_json::Value> = events[..starts[0]].to_vec();
    order.extend_from_slice(&events[starts[1]..=end1]);
    order.extend_from_slice(&events[starts[0]..starts[1]]);
    order.extend_from_slice(&events[end1 + 1..]);
    let new_id: std::collections::HashMap<u64, u64> = order
        .iter()
        .enumerate()
        .map(|(i, e)| (e["id"].as_u64().expect("id"), i as u64 + 1))
        .collect();
    for e in &mut order {
        let id = new_id[&e["id"].as_u64().expect("id")];
        let prev = e["previousEventId"].as_u64().expect("prev");
        e["id"] = id.into();
        e["previousEventId"] = new_id.get(&prev).copied().unwrap_or(0).into();
    }
    let text = serde_json::json!({ "events": order }).to_string();
    let rec = import(&m, &text, None).expect("import");
    assert_eq!(
        rec.output(),
        Some(&Value::parse(r#"["a", "b"]"#).expect("json"))
    );
    let derived = mocks_from(&m, &rec.events);
    assert_eq!(
        derived.mocks.to_value().to_json_string(),
        r#"{"States":{"C":{"0":{"Return":"b"},"1":{"Return":"a"}}}}"#
    );
    assert!(
        derived
            .notes
            .iter()
            .any(|n| n.contains("out of their order")),
        "{:?}",
        derived.notes
    );
    let by_counter = compare(m.clone(), &rec, derived.mocks)
        .divergence
        .expect("diverges");
    assert_eq!(by_counter.kind, DivergenceKind::Output);
    // First in the recording: iteration 1, which AWS ran first.
    assert_eq!(by_counter.iterations, [1]);
    let exact = compare_recorded(m, &rec, ExecOptions::default());
    assert!(exact.divergence.is_none(), "{:?}", exact.divergence);
}

/// A Map iteration failing while a sibling waits: the aborted sibling's event carries its
/// iteration's indexes, as its other events do and as an imported history reads them from its
/// index, so the recording compares clean. Found by the `recorded` fuzz target (seed 37367 and
/// others): the event carried the Map's indexes, and the comparison found it nowhere.
#[test]
fn an_aborted_map_iteration_carries_its_indexes_and_compares_clean() {
    let m = machine(
        r#"{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs","End":true,
      "ItemProcessor":{"StartAt":"C","States":{
        "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":0,"Next":"F"}],"Default":"W"},
        "W":{"Type":"Wait","Seconds":10,"End":true},
        "F":{"Type":"Fail","Error":"Boom"}}}}}}"#,
    );
    let run = simulate(&m, r#"{"xs":[5,0,7]}"#, "{}");
    assert_eq!(run.status().aws_name(), "FAILED");
    let aborted: Vec<&[u32]> = run
        .history()
        .iter()
        .filter(|h| h.kind == EventType::MapIterationAborted)
        .map(|h| &*h.iterations)
        .collect();
    assert_eq!(aborted, [&[0][..]]);
    let rec = import(&m, &history_json(run.history()).to_json_string(), None).expect("import");
    for (got, want) in rec.events.iter().zip(run.history()) {
        assert_eq!(&*got.iterations, &*want.iterations, "event {}", want.id);
    }
    let c = compare_recorded(m.clone(), &rec, ExecOptions::default());
    assert!(c.divergence.is_none(), "{:?}", c.divergence);
}
