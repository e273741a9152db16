//! Unit tests of the executor over small definitions (the recorded AWS cases are in
//! `tests/conformance.rs`).

use std::sync::Arc;

use super::*;
use crate::history::{EventDetails, EventType};
use crate::mock::Mocks;

fn machine(def: &str) -> Arc<StateMachine> {
    let loaded = crate::load(def);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    Arc::new(loaded.machine.expect("machine"))
}

fn v(s: &str) -> Value {
    Value::parse(s).expect("json")
}

fn exec(def: &str, input: &str, mocks: &str) -> Execution {
    exec_limited(def, input, mocks, Limits::default())
}

fn exec_limited(def: &str, input: &str, mocks: &str, limits: Limits) -> Execution {
    let options = ExecOptions {
        mocks: Arc::new(Mocks::from_value(&v(mocks)).expect("mocks")),
        limits,
        ..ExecOptions::default()
    };
    Execution::start(machine(def), v(input), options)
}

fn types(e: &Execution) -> Vec<&'static str> {
    e.history().iter().map(|h| h.kind.as_str()).collect()
}

const LOOP: &str = r#"{"StartAt":"Check","States":{
  "Check":{"Type":"Choice","Choices":[{"Variable":"$.i","NumericLessThan":3,"Next":"Incr"}],"Default":"Done"},
  "Incr":{"Type":"Pass","Parameters":{"i.$":"States.MathAdd($.i, 1)"},"Next":"Check"},
  "Done":{"Type":"Succeed"}}}"#;

#[test]
fn step_emits_exactly_one_event_and_matches_run() {
    let mut stepped = exec(LOOP, r#"{"i":0}"#, "{}");
    let mut n = 0;
    while let Step::Event(id) = stepped.step() {
        n += 1;
        assert_eq!(id, n);
        assert_eq!(stepped.history().len() as u32, n);
    }
    let mut ran = exec(LOOP, r#"{"i":0}"#, "{}");
    assert_eq!(
        ran.run(),
        Status::Succeeded {
            output: v(r#"{"i":3}"#)
        }
    );
    assert_eq!(stepped.status(), ran.status());
    assert_eq!(types(&stepped), types(&ran));
    assert_eq!(ran.transitions(), 8);
    assert_eq!(stepped.step(), Step::Finished);
}

#[test]
fn back_and_seek_replay_the_same_history() {
    let mut e = exec(LOOP, r#"{"i":0}"#, "{}");
    let options = ExecOptions {
        snapshot_every: 4,
        ..ExecOptions::default()
    };
    e.options = Arc::new(options);
    e.run();
    let full: Vec<String> = e
        .history()
        .iter()
        .map(|h| serde_json::to_string(h).expect("json"))
        .collect();
    let total = e.event_count();
    for target in [total - 1, 3, 0, 11, 5, total] {
        assert!(e.seek(target), "seek {target}");
        assert_eq!(e.event_count(), target);
        let now: Vec<String> = e
            .history()
            .iter()
            .map(|h| serde_json::to_string(h).expect("json"))
            .collect();
        assert_eq!(now[..], full[..target as usize]);
    }
    assert!(e.seek(7));
    assert!(e.back());
    assert_eq!(e.event_count(), 6);
    assert_eq!(e.position().len(), 1);
    e.run();
    let again: Vec<String> = e
        .history()
        .iter()
        .map(|h| serde_json::to_string(h).expect("json"))
        .collect();
    assert_eq!(again, full);
}

#[test]
fn a_reused_history_storage_records_the_same_history() {
    let json = |e: &Execution| -> Vec<String> {
        e.history()
            .iter()
            .map(|h| serde_json::to_string(h).expect("json"))
            .collect()
    };
    let prepared = Prepared::new(machine(LOOP));
    let mut first = prepared.start(v(r#"{"i":0}"#), ExecOptions::default());
    first.run();
    let full = json(&first);
    let storage = first.take_history_storage();
    assert!(storage.is_empty());
    assert!(storage.capacity() >= full.len());
    assert!(first.history().is_empty());
    let capacity = storage.capacity();
    let mut second = prepared.start_in(v(r#"{"i":0}"#), ExecOptions::default(), storage);
    second.run();
    assert_eq!(json(&second), full);
    assert_eq!(second.take_history_storage().capacity(), capacity);
    // Storage still holding events (a longer run's) is emptied first.
    let mut other = prepared.start(v(r#"{"i":-2}"#), ExecOptions::default());
    other.run();
    let stale = other.history().to_vec();
    let mut third = prepared.start_in(v(r#"{"i":0}"#), ExecOptions::default(), stale);
    third.run();
    assert_eq!(json(&third), full);
}

#[test]
fn a_prepared_definition_answers_from_the_mocks_each_start_gives() {
    // Mocks are looked up once per definition and `Arc<Mocks>` (`Prepared`'s table): starts
    // with the same mocks, with other mocks (also by resource, and inside a Map), and with
    // none each get their own answers.
    let def = r#"{"StartAt":"A","States":{
      "A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Next":"M"},
      "M":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"B","States":{
        "B":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:g","End":true}}},
        "ResultPath":"$.m","End":true}}}"#;
    let prepared = Prepared::new(machine(def));
    let start = |mocks: &Arc<Mocks>| {
        let options = ExecOptions {
            mocks: mocks.clone(),
            ..ExecOptions::default()
        };
        let mut e = prepared.start(v("{}"), options);
        e.run()
    };
    let done = |out: &str| Status::Succeeded { output: v(out) };
    let first = Arc::new(
        Mocks::from_value(&v(r#"{"A":{"Return":{"items":[1,2]}},"B":{"Return":"b"}}"#))
            .expect("mocks"),
    );
    for _ in 0..2 {
        assert_eq!(start(&first), done(r#"{"items":[1,2],"m":["b","b"]}"#));
    }
    let by_resource = Arc::new(
        Mocks::from_value(&v(r#"{"States":{"A":{"Return":{"items":[3,4]}}},"Resources":{
          "arn:aws:lambda:us-east-1:123456789012:function:g":{"0":{"Return":"g0"},"1":{"Return":"g1"}}}}"#))
        .expect("mocks"),
    );
    assert_eq!(
        start(&by_resource),
        done(r#"{"items":[3,4],"m":["g0","g1"]}"#)
    );
    assert_eq!(start(&first), done(r#"{"items":[1,2],"m":["b","b"]}"#));
    let none = Arc::new(Mocks::default());
    assert!(matches!(start(&none), Status::Paused { .. }));
}

const TASK: &str = r#"{"StartAt":"T","States":{
  "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f","Payload.$":"$"},
       "ResultSelector":{"v.$":"$.Payload"},"ResultPath":"$.r","End":true}}}"#;

#[test]
fn unmocked_task_pauses_until_answered() {
    let mut e = exec(TASK, r#"{"x":1}"#, "{}");
    let Status::Paused { tasks } = e.run() else {
        panic!("expected a pause, got {:?}", e.status())
    };
    assert_eq!(tasks.len(), 1);
    assert_eq!(&*tasks[0].state, "T");
    assert_eq!(
        tasks[0].parameters,
        v(r#"{"FunctionName":"f","Payload":{"x":1}}"#)
    );
    assert_eq!(e.position()[0].activity, "awaitingTask");
    assert!(e.complete_task("nope", Ok(Value::Null)).is_err());
    e.complete_task(&tasks[0].token, Ok(v(r#"{"Payload":7}"#)))
        .expect("answer");
    assert_eq!(
        e.run(),
        Status::Succeeded {
            output: v(r#"{"x":1,"r":{"v":7}}"#)
        }
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
    // The inspector stages of the visit.
    let exited = e
        .history()
        .iter()
        .find(|h| h.kind == EventType::TaskStateExited)
        .expect("exited");
    let EventDetails::StateExited {
        stages: Some(st), ..
    } = &exited.details
    else {
        panic!("stages")
    };
    assert_eq!(
        st.after_parameters,
        Some(v(r#"{"FunctionName":"f","Payload":{"x":1}}"#))
    );
    assert_eq!(st.result, Some(v(r#"{"Payload":7}"#)));
    assert_eq!(st.after_result_selector, Some(v(r#"{"v":7}"#)));
    // Going back before the answer replays it.
    assert!(e.seek(3));
    assert_eq!(
        e.run(),
        Status::Succeeded {
            output: v(r#"{"x":1,"r":{"v":7}}"#)
        }
    );
}

#[test]
fn retry_backoff_advances_virtual_time_and_catch_routes() {
    let def = r#"{"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f",
           "Retry":[{"ErrorEquals":["Boom"],"IntervalSeconds":2,"MaxAttempts":2,"BackoffRate":3}],
           "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"H"}],"End":true},
      "H":{"Type":"Pass","End":true}}}"#;
    let mut e = exec(
        def,
        "{}",
        r#"{"T":{"0-2":{"Throw":{"Error":"Boom","Cause":"c"}}}}"#,
    );
    assert_eq!(
        e.run(),
        Status::Succeeded {
            output: v(r#"{"err":{"Error":"Boom","Cause":"c"}}"#)
        }
    );
    let scheduled: Vec<i64> = e
        .history()
        .iter()
        .filter(|h| h.kind == EventType::LambdaFunctionScheduled)
        .map(|h| h.timestamp_ms - e.options.env.start_time_ms)
        .collect();
    assert_eq!(scheduled, vec![0, 2000, 8000]);
}

#[test]
fn parallel_and_map_interleave_by_virtual_time() {
    let def = r#"{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":2,"ItemsPath":"$.xs",
      "ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$","End":true}}},"End":true}}}"#;
    let mut e = exec(def, r#"{"xs":[3,1,1]}"#, "{}");
    assert_eq!(
        e.run(),
        Status::Succeeded {
            output: v("[3,1,1]")
        }
    );
    // Item 1 (1 s) finishes before item 0 (3 s); item 2 starts when item 1's slot frees at 1 s.
    let iter_events: Vec<(i64, &str, usize)> = e
        .history()
        .iter()
        .filter_map(|h| match &h.details {
            EventDetails::MapIteration { index, .. } => Some((
                (h.timestamp_ms - e.options.env.start_time_ms) / 1000,
                h.kind.as_str(),
                *index,
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        iter_events,
        vec![
            (0, "MapIterationStarted", 0),
            (0, "MapIterationStarted", 1),
            (1, "MapIterationSucceeded", 1),
            (1, "MapIterationStarted", 2),
            (2, "MapIterationSucceeded", 2),
            (3, "MapIterationSucceeded", 0),
        ]
    );
    let par = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
      {"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":5,"End":true}}},
      {"StartAt":"B","States":{"B":{"Type":"Pass","Result":2,"End":true}}}]}}}"#;
    let mut p = exec(par, "{}", "{}");
    while p.position().iter().all(|a| a.state.as_ref() != "A") {
        p.step();
    }
    let paths: Vec<String> = p.position().iter().map(|a| a.path.to_string()).collect();
    assert!(paths.contains(&"P/0/A".to_string()), "{paths:?}");
    assert_eq!(
        p.run(),
        Status::Succeeded {
            output: v("[{},2]")
        }
    );
}

#[test]
fn limits_stop_runaway_and_oversized_executions() {
    let endless = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
      "B":{"Type":"Choice","Choices":[{"Variable":"$","IsPresent":true,"Next":"A"}],"Default":"C"},"C":{"Type":"Succeed"}}}"#;
    let options = ExecOptions {
        limits: Limits {
            max_transitions: 50,
            ..Limits::default()
        },
        ..ExecOptions::default()
    };
    let mut e = Execution::start(machine(endless), v("{}"), options);
    match e.run() {
        Status::Failed { error, cause } => {
            assert_eq!(error.as_deref(), Some("States.Runtime"));
            assert!(cause.is_some_and(|c| c.contains("maximum number of state transitions (50)")));
        }
        other => panic!("{other:?}"),
    }
    let mut e = Execution::start(machine(endless), v("{}"), ExecOptions::default());
    assert!(matches!(e.run(), Status::Failed { .. }));
    assert!(e.event_count() <= 25_000);
    let big = format!(
        r#"{{"StartAt":"A","States":{{"A":{{"Type":"Pass","Result":"{}","End":true}}}}}}"#,
        "x".repeat(300_000)
    );
    let mut e = exec(&big, "{}", "{}");
    assert!(
        matches!(e.run(), Status::Failed { error: Some(ref err), .. } if &**err == "States.DataLimitExceeded")
    );
    let timeout = r#"{"StartAt":"W","TimeoutSeconds":2,"States":{"W":{"Type":"Wait","Seconds":10,"End":true}}}"#;
    let mut e = exec(timeout, "{}", "{}");
    assert!(matches!(e.run(), Status::TimedOut { .. }));
    assert_eq!(types(&e).last(), Some(&"ExecutionTimedOut"));
}

#[test]
fn jitter_is_seeded() {
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f",
      "Retry":[{"ErrorEquals":["E"],"IntervalSeconds":10,"MaxAttempts":3,"JitterStrategy":"FULL"}],"End":true}}}"#;
    let run = |seed: u64| {
        let options = ExecOptions {
            env: crate::env::Env {
                seed,
                ..crate::env::Env::default()
            },
            mocks: Arc::new(
                Mocks::from_value(&v(
                    r#"{"T":{"0-2":{"Throw":{"Error":"E"}},"3":{"Return":1}}}"#,
                ))
                .expect("mocks"),
            ),
            ..ExecOptions::default()
        };
        let mut e = Execution::start(machine(def), v("{}"), options);
        e.run();
        e.history()
            .iter()
            .map(|h| h.timestamp_ms)
            .collect::<Vec<_>>()
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
}

#[test]
fn item_reader_and_result_writer_are_simulated_over_mocks() {
    let def = r#"{"StartAt":"M","States":{"M":{"Type":"Map",
      "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW","MaxItems":2},
                    "Parameters":{"Bucket":"b","Key":"k.csv"}},
      "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
        "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
      "End":true}}}"#;
    let mut e = exec(
        def,
        "{}",
        r#"{"M":{"Return":"id,name\n1,\"a, b\"\n2,c\n3,d\n"}}"#,
    );
    assert_eq!(
        e.run(),
        Status::Succeeded {
            output: v(r#"[{"id":"1","name":"a, b"},{"id":"2","name":"c"}]"#)
        }
    );
    assert_eq!(
        types(&e),
        [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapRunStarted",
            "MapRunSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
    );
    let mut unmocked = exec(def, "{}", "{}");
    assert!(
        matches!(unmocked.run(), Status::Failed { error: Some(ref err), .. } if &**err == "States.ItemReaderFailed")
    );
    let writer = r#"{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs",
      "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out","Prefix":"runs"}},
      "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
        "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}"#;
    let mut e = exec(writer, r#"{"xs":[1,2]}"#, "{}");
    let Status::Succeeded { output } = e.run() else {
        panic!("{:?}", e.status())
    };
    assert_eq!(
        output
            .get("ResultWriterDetails")
            .and_then(|d| d.get("Bucket")),
        Some(&v("\"out\""))
    );
    assert!(
        output
            .get("MapRunArn")
            .and_then(Value::as_str)
            .is_some_and(|a| a.contains(":mapRun:"))
    );
}

#[test]
fn heartbeat_and_timeout_fire_on_long_mocked_tasks() {
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "TimeoutSeconds":100,"HeartbeatSeconds":10,"End":true}}}"#;
    let mut e = exec(def, "{}", r#"{"T":{"Return":{},"DurationSeconds":50}}"#);
    assert!(
        matches!(e.run(), Status::Failed { error: Some(ref err), .. } if &**err == "States.HeartbeatTimeout")
    );
    let last = e.history().iter().rev().nth(1).expect("timed out event");
    assert_eq!(last.kind, EventType::TaskTimedOut);
    assert_eq!(last.timestamp_ms - e.options.env.start_time_ms, 10_000);
}

/// How a run ended: `("ok", "")`, the error and cause of a failure, or the status's name.
fn ending(status: Status) -> (String, String) {
    match status {
        Status::Succeeded { .. } => ("ok".to_string(), String::new()),
        Status::Failed { error, cause } => (
            error.as_deref().unwrap_or("").to_string(),
            cause.as_deref().unwrap_or("").to_string(),
        ),
        other => (other.aws_name().to_string(), String::new()),
    }
}

#[test]
fn literal_timeouts_come_from_the_definition_and_path_ones_from_the_input() {
    // A Task's literal timeouts come from the per-state facts, a path's from the attempt's
    // input: both must time out a mocked task that runs past them, and only past them.
    let timed = |timeout: &str, input: &str, secs: u32| {
        let def = format!(
            r#"{{"StartAt":"T","States":{{"T":{{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f",{timeout},"End":true}}}}}}"#
        );
        let mocks = format!(r#"{{"T":{{"Return":{{"ok":1}},"DurationSeconds":{secs}}}}}"#);
        ending(exec(&def, input, &mocks).run()).0
    };
    assert_eq!(timed(r#""TimeoutSeconds":5"#, "{}", 4), "ok");
    assert_eq!(timed(r#""TimeoutSeconds":5"#, "{}", 6), "States.Timeout");
    let path = r#""TimeoutSecondsPath":"$.t""#;
    assert_eq!(timed(path, r#"{"t":5}"#, 4), "ok");
    assert_eq!(timed(path, r#"{"t":5}"#, 6), "States.Timeout");
    assert_eq!(timed(path, r#"{"t":7}"#, 6), "ok");
    assert_eq!(timed(path, r#"{"t":0}"#, 1), "States.Runtime");
    // A literal timeout beside a path heartbeat: evaluated per attempt, both still apply (a
    // mocked task sends no heartbeats, so the first limit it runs past fires).
    let both = r#""TimeoutSeconds":5,"HeartbeatSecondsPath":"$.h""#;
    assert_eq!(timed(both, r#"{"h":3}"#, 4), "States.HeartbeatTimeout");
    assert_eq!(timed(both, r#"{"h":10}"#, 6), "States.Timeout");
    assert_eq!(timed(both, r#"{"h":10}"#, 4), "ok");
}

#[test]
fn a_task_result_over_the_limits_fails_naming_the_resource() {
    // The size and depth checks read the resource's name only for their error.
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}}"#;
    let outcome =
        |result: &str| ending(exec(def, "{}", &format!(r#"{{"T":{{"Return":{result}}}}}"#)).run());
    let resource = "'arn:aws:lambda:us-east-1:123456789012:function:f'";
    let at_limit = format!("\"{}\"", "x".repeat(256 * 1024 - 2));
    assert_eq!(outcome(&at_limit).0, "ok");
    let (error, cause) = outcome(&format!("\"{}\"", "x".repeat(256 * 1024 - 1)));
    assert_eq!(error, "States.DataLimitExceeded");
    assert!(cause.contains(resource), "{cause}");
    // Deeper than any text parses: built by a handler (a loop can build such a value too).
    let nested = |n: usize| (0..n).fold(Value::Null, |v, _| Value::array(vec![v]));
    let deep = |n: usize| {
        let options = ExecOptions {
            task_handler: Some(TaskHandler::new(move |_| Some(Ok(nested(n))))),
            ..ExecOptions::default()
        };
        ending(Execution::start(machine(def), v("{}"), options).run())
    };
    assert_eq!(deep(io::MAX_VALUE_DEPTH).0, "ok");
    let (error, cause) = deep(io::MAX_VALUE_DEPTH + 1);
    assert_eq!(error, "States.Runtime");
    assert!(cause.contains(resource), "{cause}");
}

#[test]
fn item_batcher_groups_selected_items() {
    let def = r#"{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs",
      "ItemSelector":{"v.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index"},
      "ItemBatcher":{"MaxItemsPerBatch":2,"BatchInput":{"tag":"t"}},
      "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
        "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}"#;
    let mut e = exec(def, r#"{"xs":["a","b","c"]}"#, "{}");
    assert_eq!(
        e.run(),
        Status::Succeeded {
            output: v(
                r#"[{"BatchInput":{"tag":"t"},"Items":[{"v":"a","i":0},{"v":"b","i":1}]},
                          {"BatchInput":{"tag":"t"},"Items":[{"v":"c","i":2}]}]"#
            )
        }
    );
}

#[test]
fn a_failing_iteration_aborts_its_running_siblings() {
    let def = r#"{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs",
      "ItemProcessor":{"StartAt":"C","States":{
        "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":0,"Next":"F"}],"Default":"W"},
        "W":{"Type":"Wait","Seconds":10,"End":true},
        "F":{"Type":"Fail","Error":"Boom"}}},"End":true}}}"#;
    let mut e = exec(def, r#"{"xs":[5,0,7]}"#, "{}");
    assert!(matches!(e.run(), Status::Failed { error: Some(ref err), .. } if &**err == "Boom"));
    let tail: Vec<(&str, Option<usize>)> = e
        .history()
        .iter()
        .skip_while(|h| h.kind != EventType::MapIterationFailed)
        .map(|h| {
            let index = match &h.details {
                EventDetails::MapIteration { index, .. } => Some(*index),
                _ => None,
            };
            (h.kind.as_str(), index)
        })
        .collect();
    assert_eq!(
        tail,
        vec![
            ("MapIterationFailed", Some(1)),
            // Item 0 was waiting; item 2 had not started (iterations start in item order).
            ("MapIterationAborted", Some(0)),
            ("MapStateFailed", None),
            ("ExecutionFailed", None),
        ]
    );
    assert!(e.position().is_empty());
}

#[test]
fn return_payload_mocks_are_wrapped_like_lambda_invoke() {
    let mut e = exec(TASK, r#"{"x":1}"#, r#"{"T":{"ReturnPayload":5}}"#);
    assert_eq!(
        e.run(),
        Status::Succeeded {
            output: v(r#"{"x":1,"r":{"v":5}}"#)
        }
    );
    let direct = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true}}}"#;
    let mut e = exec(direct, "{}", r#"{"T":{"ReturnPayload":5}}"#);
    assert_eq!(e.run(), Status::Succeeded { output: v("5") });
}

/// ResultPath is written into the visit's input in place (no copy); when a later step fails,
/// Retry and Catch must still see the original input, and near the payload limit the size check
/// still applies.
#[test]
fn result_path_in_place_keeps_the_original_input_for_recovery() {
    // Success: the result lands at $.r; the input handed in by the caller is not modified.
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f",
      "ResultSelector":{"v.$":"$.v"},"ResultPath":"$.r","End":true}}}"#;
    let input = v(r#"{"a":1}"#);
    let mut e = Execution::start(
        machine(def),
        input.clone(),
        ExecOptions {
            mocks: Arc::new(Mocks::from_value(&v(r#"{"T":{"Return":{"v":7}}}"#)).expect("mocks")),
            ..ExecOptions::default()
        },
    );
    assert_eq!(
        e.run(),
        Status::Succeeded {
            output: v(r#"{"a":1,"r":{"v":7}}"#)
        }
    );
    assert_eq!(input, v(r#"{"a":1}"#));

    // ResultSelector fails: AWS names intrinsic failures States.Runtime, which no catcher (not
    // even States.ALL) catches, so the execution fails.
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f",
      "ResultSelector":{"v.$":"States.ArrayLength($.w)"},"ResultPath":"$.r",
      "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Done"}],"End":true},
      "Done":{"Type":"Pass","End":true}}}"#;
    let mut e = exec(def, r#"{"a":1}"#, r#"{"T":{"Return":{"w":7}}}"#);
    let Status::Failed { error, .. } = e.run() else {
        panic!("expected failure, got {:?}", e.status())
    };
    assert_eq!(error.as_deref(), Some("States.Runtime"));

    // ResultPath cannot be applied (writing a key into a string): caught with the input intact.
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f",
      "ResultPath":"$.a.b",
      "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Done"}],"End":true},
      "Done":{"Type":"Pass","End":true}}}"#;
    let mut e = exec(def, r#"{"a":"text"}"#, r#"{"T":{"Return":{"w":7}}}"#);
    let Status::Succeeded { output } = e.run() else {
        panic!("expected success, got {:?}", e.status())
    };
    assert_eq!(output.get("a"), Some(&Value::from("text")));
    assert_eq!(
        output.get("err").and_then(|e| e.get("Error")),
        Some(&Value::from("States.ResultPathMatchFailure"))
    );

    // Near the payload limit (the result fits, input + result does not): the write goes to a
    // copy, so the catcher (ResultPath null: pass the input on) still sees the original input.
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f",
      "ResultPath":"$.r",
      "Catch":[{"ErrorEquals":["States.DataLimitExceeded"],"ResultPath":null,"Next":"Done"}],"End":true},
      "Done":{"Type":"Pass","End":true}}}"#;
    let input = format!(r#"{{"a":"{}"}}"#, "x".repeat(200));
    let mut e = exec_limited(
        def,
        &input,
        &format!(r#"{{"T":{{"Return":"{}"}}}}"#, "y".repeat(150)),
        Limits {
            payload_bytes: Some(300),
            ..Limits::default()
        },
    );
    assert_eq!(e.run(), Status::Succeeded { output: v(&input) });
}

#[test]
fn an_oversized_catcher_output_fails_instead_of_looping() {
    // The catcher for States.DataLimitExceeded writes the error into an input that is itself
    // near the limit: its own output is too large, and that must end the execution, not re-enter
    // the same catcher forever.
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f",
      "Catch":[{"ErrorEquals":["States.DataLimitExceeded"],"ResultPath":"$.err","Next":"Done"}],"End":true},
      "Done":{"Type":"Pass","End":true}}}"#;
    let input = format!(r#"{{"a":"{}"}}"#, "x".repeat(280));
    let mut e = exec_limited(
        def,
        &input,
        &format!(r#"{{"T":{{"Return":"{}"}}}}"#, "y".repeat(400)),
        Limits {
            payload_bytes: Some(300),
            ..Limits::default()
        },
    );
    let status = e.run();
    assert!(
        matches!(status, Status::Failed { error: Some(ref err), .. } if &**err == "States.DataLimitExceeded"),
        "{status:?}"
    );
}

#[test]
fn task_handler_answers_first_and_none_falls_back_to_mocks_or_pause() {
    use std::sync::atomic::{AtomicU64, Ordering};
    let def = r#"{"StartAt":"A","States":{
      "A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:a","Parameters":{"n.$":"$.n"},"ResultPath":"$.a","Next":"B"},
      "B":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:b","ResultPath":"$.b","Next":"C"},
      "C":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:c","ResultPath":"$.c","End":true}}}"#;
    let calls = Arc::new(AtomicU64::new(0));
    let counted = calls.clone();
    let options = ExecOptions {
        // A's mock must lose to the handler; B's is used because the handler declines B.
        mocks: Arc::new(
            Mocks::from_value(&v(r#"{"A":{"Return":"mock"},"B":{"Return":"mocked"}}"#))
                .expect("mocks"),
        ),
        // Not pure on purpose: each call answers differently, so a replay must reuse answers.
        task_handler: Some(TaskHandler::new(move |req| {
            let call = counted.fetch_add(1, Ordering::SeqCst);
            (req.state == "A").then(|| {
                assert!(req.resource.ends_with(":a"));
                let n = req.parameters.get("n").and_then(Value::as_i64).unwrap_or(0);
                Ok(Value::from_i64(n * 10 + call as i64))
            })
        })),
        ..ExecOptions::default()
    };
    let mut e = Execution::start(machine(def), v(r#"{"n":4}"#), options);
    let Status::Paused { tasks } = e.run() else {
        panic!("expected C to pause, got {:?}", e.status())
    };
    assert_eq!(&*tasks[0].state, "C");
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    e.complete_task(&tasks[0].token, Ok(v("true")))
        .expect("answer");
    let done = Status::Succeeded {
        output: v(r#"{"n":4,"a":40,"b":"mocked","c":true}"#),
    };
    assert_eq!(e.run(), done);
    // Stepping back to the start and replaying gives the same run: A's answer (and C's) are
    // replayed by token; only B, which the handler declined, is offered to it again.
    assert!(e.seek(0));
    assert!(e.seek(e.history().len() as u32));
    assert_eq!(e.run(), done);
    assert_eq!(calls.load(Ordering::SeqCst), 4);
    assert!(format!("{:?}", e.options()).contains("TaskHandler(..)"));
}

#[test]
fn a_history_recorded_afterwards_replays_the_answers_kept() {
    use std::sync::atomic::{AtomicU64, Ordering};
    let def = r#"{"StartAt":"A","States":{
      "A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:a","ResultPath":"$.a","Next":"B"},
      "B":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:b","ResultPath":"$.b","End":true}}}"#;
    let calls = Arc::new(AtomicU64::new(0));
    let counted = calls.clone();
    let options = ExecOptions {
        record_history: false,
        record_stages: false,
        keep_answers: true,
        // Not pure: a replay that asked again would record other answers.
        task_handler: Some(TaskHandler::new(move |req| {
            let call = counted.fetch_add(1, Ordering::SeqCst);
            (req.state == "A").then(|| Ok(Value::from_i64(100 + call as i64)))
        })),
        ..ExecOptions::default()
    };
    let mut e = Execution::start(machine(def), v("{}"), options);
    let Status::Paused { tasks } = e.run() else {
        panic!("expected B to pause, got {:?}", e.status())
    };
    e.complete_task(&tasks[0].token, Ok(v(r#""b""#)))
        .expect("answer");
    let done = Status::Succeeded {
        output: v(r#"{"a":100,"b":"b"}"#),
    };
    assert_eq!(e.run(), done);
    assert!(!e.records_history() && e.history().is_empty());
    let events = e.event_count();
    e.record_from_start(Vec::new(), true);
    assert!(e.records_history());
    assert_eq!(e.history().len() as u32, events);
    assert_eq!(e.status(), done);
    // Neither A (answered) nor B (declined, then answered by the caller by the time the replay
    // reaches it) was asked again.
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let outputs: Vec<String> = e
        .history()
        .iter()
        .filter_map(|ev| match &ev.details {
            EventDetails::LambdaSucceeded { output } => Some(output.to_json_string()),
            _ => None,
        })
        .collect();
    assert_eq!(outputs, ["100", r#""b""#]);
    // With stages, as asked; a second call changes nothing.
    assert!(format!("{:?}", e.history()).contains("stages: Some"));
    e.record_from_start(Vec::new(), false);
    assert_eq!(e.history().len() as u32, events);
    assert!(e.seek(2) && e.run() == done);
}

/// An answer given once the run had done all it could (here: the Wait branch ending, which moves
/// the Parallel's clock on) is given after that same work when the run is replayed, whether to
/// record the history afterwards or after stepping back. Found by the property tests (seed
/// 24021 of `PROPERTY_CASES=500000`): the replay gave it right after the event it came after,
/// before that work, and the Parallel failed 10 s early.
#[test]
fn an_answer_given_after_the_run_settled_is_replayed_after_the_same_work() {
    let def = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
      {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","OutputPath":"$[1]","End":true}}},
      {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}}]}}}"#;
    let answered = |record_history: bool| {
        let options = ExecOptions {
            record_history,
            keep_answers: true,
            snapshot_every: 3,
            ..ExecOptions::default()
        };
        let mut e = Execution::start(machine(def), v("{}"), options);
        let Status::Paused { tasks } = e.run() else {
            panic!("expected T to pause, got {:?}", e.status())
        };
        e.complete_task(&tasks[0].token, Ok(v("{}")))
            .expect("answer");
        assert!(matches!(e.run(), Status::Failed { .. }), "{:?}", e.status());
        e
    };
    let shown = |e: &Execution| format!("{:?}", e.history());
    let mut eager = answered(true);
    let from_start = shown(&eager);
    let failed_at = |e: &Execution| {
        e.history()
            .iter()
            .filter(|h| h.kind == EventType::ParallelStateFailed)
            .map(|h| h.timestamp_ms - e.history()[0].timestamp_ms)
            .collect::<Vec<_>>()
    };
    // After the Wait branch ended: its 10 s are on the Parallel's clock.
    assert_eq!(failed_at(&eager), [10_000]);
    let mut lazy = answered(false);
    lazy.record_from_start(Vec::new(), true);
    assert_eq!(shown(&lazy), from_start);
    // Back to before the answer (through a snapshot) and on again.
    let events = eager.event_count();
    for target in [7, 2, 0] {
        assert!(eager.seek(target), "seek {target}");
        assert!(matches!(eager.run(), Status::Failed { .. }));
        assert_eq!(eager.event_count(), events);
        assert_eq!(shown(&eager), from_start, "after seek({target})");
    }
}

/// Answering a task after stepping back starts another future: snapshots taken past that point
/// in the old one must not come back. Found by the `exec` fuzz target (seed 3735): a later
/// seek restored one and replayed the task's answer a second time.
#[test]
fn an_answer_after_stepping_back_forgets_the_old_future() {
    let def = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
      {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
      {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"C"},"C":{"Type":"Pass","End":true}}}]}}}"#;
    let options = ExecOptions {
        snapshot_every: 1,
        ..ExecOptions::default()
    };
    let mut e = Execution::start(machine(def), v("{}"), options);
    assert!(matches!(e.run(), Status::Paused { .. }));
    // Back to where branch B had only entered A, and answered there this time.
    assert!(e.seek(7));
    let token = e.pending()[0].token.clone();
    e.complete_task(&token, Ok(v("1"))).expect("answer");
    assert!(
        matches!(e.run(), Status::Succeeded { .. }),
        "{:?}",
        e.status()
    );
    let shown = |e: &Execution| format!("{:?}", e.history());
    let answered = shown(&e);
    let succeeded = |e: &Execution| {
        e.history()
            .iter()
            .filter(|h| h.kind == EventType::TaskSucceeded)
            .count()
    };
    assert_eq!(succeeded(&e), 1);
    for target in [10, 8, 12, 7] {
        assert!(e.seek(target), "seek {target}");
        assert!(matches!(e.run(), Status::Succeeded { .. }));
        assert_eq!(shown(&e), answered, "after seek({target})");
    }
}

/// Answering again, differently, where the old future had answered: the snapshot taken at that
/// event held the old answer (a step takes it after giving the answers due), and so did the
/// kept answers. Found in review of the fix above.
#[test]
fn an_answer_changed_after_stepping_back_is_the_one_replayed() {
    let def = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
      {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
      {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}}]}}}"#;
    let options = ExecOptions {
        snapshot_every: 1,
        ..ExecOptions::default()
    };
    let mut e = Execution::start(machine(def), v("{}"), options);
    let answer = |e: &mut Execution, n: i64| {
        let token = e.pending()[0].token.clone();
        e.complete_task(&token, Ok(Value::from_i64(n)))
            .expect("answer");
        let Status::Succeeded { output } = e.run() else {
            panic!("{:?}", e.status())
        };
        output
    };
    assert!(e.seek(7));
    assert_eq!(answer(&mut e, 1), v(r#"[1,{}]"#));
    assert!(e.seek(6));
    assert!(matches!(e.step(), Step::Event(7)));
    assert_eq!(e.pending().len(), 1, "T waits again where it was answered");
    assert_eq!(answer(&mut e, 2), v(r#"[2,{}]"#));
    let shown = format!("{:?}", e.history());
    for target in [7, 3] {
        assert!(e.seek(target), "seek {target}");
        assert_eq!(
            e.run(),
            Status::Succeeded {
                output: v(r#"[2,{}]"#)
            },
            "after seek({target})"
        );
        assert_eq!(format!("{:?}", e.history()), shown, "after seek({target})");
    }
}

/// Answering one of two paused tasks after stepping back forgets the old future's answer to
/// the other: its token would go to whichever task gets it in the new future. Found in review.
#[test]
fn an_answer_after_stepping_back_forgets_the_old_futures_other_answers() {
    let def = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
      {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
      {"StartAt":"U","States":{"U":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}]}}}"#;
    let options = ExecOptions {
        snapshot_every: 1,
        ..ExecOptions::default()
    };
    let mut e = Execution::start(machine(def), v("{}"), options);
    let Status::Paused { tasks } = e.run() else {
        panic!("{:?}", e.status())
    };
    let paused_at = e.event_count();
    for (t, n) in tasks.iter().zip([1, 2]) {
        e.complete_task(&t.token, Ok(Value::from_i64(n)))
            .expect("answer");
    }
    assert_eq!(e.run(), Status::Succeeded { output: v("[1,2]") });
    // Back to right after the event they were answered at (a snapshot there holds the answers:
    // they came before the next event), and answered differently.
    assert!(e.seek(paused_at - 1));
    assert_eq!(e.step(), Step::Event(paused_at));
    let first = e.pending()[0].token.clone();
    e.complete_task(&first, Ok(Value::from_i64(5)))
        .expect("answer");
    let Status::Paused { tasks } = e.run() else {
        panic!("the other task's old answer was reused: {:?}", e.status())
    };
    assert_eq!(tasks.len(), 1);
    e.complete_task(&tasks[0].token, Ok(Value::from_i64(6)))
        .expect("answer");
    assert_eq!(e.run(), Status::Succeeded { output: v("[5,6]") });
}

#[test]
fn map_iteration_events_name_their_map_whether_recorded_from_the_start_or_afterwards() {
    // Inside a Parallel branch, so the Map state's path is not its name alone.
    let def = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
      {"StartAt":"Inner","States":{"Inner":{"Type":"Map","ItemsPath":"$.xs","End":true,
        "ItemProcessor":{"StartAt":"Step","States":{"Step":{"Type":"Pass","End":true}}}}}}]}}}"#;
    let iteration_events = |e: &Execution| -> Vec<(&'static str, String, usize, String)> {
        e.history()
            .iter()
            .filter_map(|h| match &h.details {
                EventDetails::MapIteration { name, index } => Some((
                    h.kind.as_str(),
                    name.to_string(),
                    *index,
                    h.path.to_string(),
                )),
                _ => None,
            })
            .collect()
    };
    let mut recorded = exec(def, r#"{"xs":[1,2]}"#, "{}");
    recorded.run();
    let from_start = iteration_events(&recorded);
    let ev = |kind: &'static str, index: usize| {
        (kind, "Inner".to_string(), index, "P/0/Inner".to_string())
    };
    assert_eq!(
        from_start,
        vec![
            ev("MapIterationStarted", 0),
            ev("MapIterationSucceeded", 0),
            ev("MapIterationStarted", 1),
            ev("MapIterationSucceeded", 1),
        ]
    );
    // Run without a history (the JS API's default), then recorded from the start: the same.
    let options = ExecOptions {
        record_history: false,
        record_stages: false,
        keep_answers: true,
        ..ExecOptions::default()
    };
    let mut lazy = Execution::start(machine(def), v(r#"{"xs":[1,2]}"#), options);
    lazy.run();
    assert!(lazy.history().is_empty());
    lazy.record_from_start(Vec::new(), false);
    assert_eq!(iteration_events(&lazy), from_start);
}

#[test]
fn task_handler_sees_the_retry_count_and_the_input_as_the_plain_request() {
    use std::sync::Mutex;
    let def = r#"{"StartAt":"A","States":{
      "A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:a","ResultPath":"$.a",
           "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":1,"MaxAttempts":2}],"End":true}}}"#;
    for history in [false, true] {
        let seen: Arc<Mutex<Vec<(u32, String)>>> = Arc::default();
        let log = seen.clone();
        let options = ExecOptions {
            record_history: history,
            record_stages: history,
            task_handler: Some(TaskHandler::new(move |req| {
                if let Ok(mut l) = log.lock() {
                    l.push((req.retry_count, req.parameters.to_json_string()));
                }
                Some(if req.retry_count == 0 {
                    Err(crate::error::ExecError::new(
                        crate::error::ErrorName::Custom("Flaky".into()),
                        "first attempt",
                    ))
                } else {
                    Ok(Value::from_i64(i64::from(req.retry_count)))
                })
            })),
            ..ExecOptions::default()
        };
        let mut e = Execution::start(machine(def), v(r#"{"n":4}"#), options);
        assert_eq!(
            e.run(),
            Status::Succeeded {
                output: v(r#"{"n":4,"a":1}"#)
            },
            "history {history}"
        );
        let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
        assert_eq!(
            seen,
            vec![(0, r#"{"n":4}"#.to_string()), (1, r#"{"n":4}"#.to_string())],
            "history {history}"
        );
    }
}

/// AWS's names and causes where the specification says otherwise (see `docs/aws-vs-spec.md`).
#[test]
fn choice_without_match_and_wait_on_a_missing_path_fail_as_aws_does() {
    let failure = |def: &str, input: &str| match exec(def, input, "{}").run() {
        Status::Failed { error, cause } => (error.unwrap_or_default(), cause.unwrap_or_default()),
        other => panic!("expected a failure, got {other:?}"),
    };
    let (error, cause) = failure(
        r#"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.x","NumericEquals":1,"Next":"P"}]},"P":{"Type":"Pass","End":true}}}"#,
        r#"{"x":2}"#,
    );
    assert_eq!(error.as_ref(), "States.Runtime");
    assert_eq!(
        cause.as_ref(),
        "An error occurred while executing the state 'C' (entered at the event id #2). Failed to transition out of the state. The state does not point to a next state."
    );
    let (error, cause) = failure(
        r#"{"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","End":true}}}"#,
        "{}",
    );
    assert_eq!(error.as_ref(), "States.Runtime");
    assert!(
        cause.ends_with("The SecondsPath parameter does not reference an input value: $.s"),
        "{cause}"
    );
}

#[test]
fn variables_over_aws_size_limits_fail_with_data_limit_exceeded_in_both_languages() {
    let big = "x".repeat(256 * 1024);
    let input = format!(r#"{{"big":"{big}","half":"{}"}}"#, "y".repeat(140 * 1024));
    let limits = || Limits {
        payload_bytes: None,
        ..Limits::default()
    };
    let failed = |e: &mut Execution| match e.run() {
        Status::Failed { error, cause } => {
            assert_eq!(error.as_deref(), Some("States.DataLimitExceeded"));
            cause.unwrap_or_default().to_string()
        }
        other => panic!("expected a failure, got {other:?}"),
    };
    // One variable over 256 KiB (its JSON text: the string and its quotes).
    for def in [
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"v.$":"$.big"},"End":true}}}"#,
        r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"v":"{% $states.input.big %}"},"End":true}}}"#,
    ] {
        let cause = failed(&mut exec_limited(def, &input, "{}", limits()));
        assert!(cause.contains("the variable 'v'"), "{cause}");
        assert!(cause.contains("'A'"), "{cause}");
    }
    // Each under the limit, together over it.
    for def in [
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"a.$":"$.half","b.$":"$.half"},"End":true}}}"#,
        r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"a":"{% $states.input.half %}","b":"{% $states.input.half %}"},"End":true}}}"#,
    ] {
        let cause = failed(&mut exec_limited(def, &input, "{}", limits()));
        assert!(cause.contains("assigned variables"), "{cause}");
    }
    // Catchable like any States.DataLimitExceeded (the catcher passes the input on).
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f",
      "Assign":{"v.$":"$.big"},"Catch":[{"ErrorEquals":["States.DataLimitExceeded"],"ResultPath":null,"Next":"Done"}],"End":true},
      "Done":{"Type":"Pass","End":true}}}"#;
    let mut e = exec_limited(
        def,
        &input,
        &format!(r#"{{"T":{{"Return":{{"big":"{big}"}}}}}}"#),
        limits(),
    );
    assert_eq!(e.run(), Status::Succeeded { output: v(&input) });
    // Ten variables of 200 KiB each in turn are fine (each replaces the last); a growing set
    // passes 10 MiB.
    let step = "z".repeat(200 * 1024);
    let small = Limits {
        payload_bytes: None,
        variables_total_bytes: Some(1024 * 1024),
        ..Limits::default()
    };
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"v":"{% $states.input.s %}"},"Next":"B"},
      "B":{"Type":"Pass","Assign":{"v":"{% $states.input.s %}"},"End":true}}}"#;
    let ok_input = format!(r#"{{"s":"{step}"}}"#);
    assert!(matches!(
        exec_limited(def, &ok_input, "{}", small.clone()).run(),
        Status::Succeeded { .. }
    ));
    let names: Vec<String> = (0..6).map(|i| format!("v{i}")).collect();
    let states: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let next = if i + 1 < names.len() {
                format!(r#""Next":"S{}""#, i + 1)
            } else {
                r#""End":true"#.to_string()
            };
            format!(
                r#""S{i}":{{"Type":"Pass","Assign":{{"{n}":"{{% $states.input.s %}}"}},{next}}}"#
            )
        })
        .collect();
    let def = format!(
        r#"{{"QueryLanguage":"JSONata","StartAt":"S0","States":{{{}}}}}"#,
        states.join(",")
    );
    let cause = failed(&mut exec_limited(&def, &ok_input, "{}", small));
    assert!(cause.contains("'S5'"), "{cause}");
    // Lifted with the other limits.
    let def =
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"v.$":"$.big"},"End":true}}}"#;
    assert!(matches!(
        exec_limited(def, &input, "{}", Limits::unlimited()).run(),
        Status::Succeeded { .. }
    ));
}

/// Runs on the test thread itself (2 MiB of stack): the evaluator's depth limit and stack budget
/// end a runaway recursion or a deeply nested expression with AWS's error, never an overflow.
#[test]
fn deep_jsonata_recursion_fails_the_state_not_the_process() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass",
      "Output":"{% ($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1)}; $f(100000)) %}","End":true}}}"#;
    match exec(def, "{}", "{}").run() {
        Status::Failed { error, cause } => {
            assert_eq!(error.as_deref(), Some("States.QueryEvaluationError"));
            let cause = cause.unwrap_or_default();
            assert!(cause.contains("U1001"), "{cause}");
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    // Deeply nested syntax is refused when the definition is loaded.
    let nested = "(".repeat(10_000) + "1" + &")".repeat(10_000);
    let def = format!(
        r#"{{"QueryLanguage":"JSONata","StartAt":"A","States":{{"A":{{"Type":"Pass","Output":"{{% {nested} %}}","End":true}}}}}}"#
    );
    let loaded = crate::load(&def);
    assert!(loaded.has_errors(), "an invalid expression");
}

/// The playground prints one event through `serde_json::Value` (`event_json` in web's
/// `core_api::stepper`, so that the event's serialisation is the export's `to_value`): the text
/// must be what printing the event directly gives, for every kind of detail, stages included.
#[test]
fn events_print_the_same_through_a_json_value() {
    let def = r#"{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs",
      "ToleratedFailurePercentage":12.5,"MaxConcurrency":2,
      "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task",
        "Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}},
      "Next":"P"},
      "P":{"Type":"Parallel","Branches":[{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}}],
        "ResultPath":"$.p","Next":"F"},
      "F":{"Type":"Fail","Error":"E","Cause":"c"}}}"#;
    let mocks = r#"{"States":{"T":{"Return":{"n":1.5,"big":18446744073709551615,"neg":-3,"s":"é\u0001"}}}}"#;
    let mut e = exec(def, r#"{"xs":[1,2.25,"x"]}"#, mocks);
    e.run();
    let mut all = String::new();
    for ev in e.history() {
        let direct = serde_json::to_string_pretty(ev).expect("serialise");
        let value = serde_json::to_value(ev).expect("to_value");
        assert_eq!(serde_json::to_string_pretty(&value).expect("print"), direct);
        all += &direct;
    }
    for part in [
        "inspectionData",
        "12.5",
        "mapIterations",
        "LambdaFunctionSucceeded",
        "ExecutionFailed",
    ] {
        assert!(all.contains(part), "{part} in {all}");
    }
}
