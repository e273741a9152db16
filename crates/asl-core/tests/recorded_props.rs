//! No recorded history panics the importer or what follows it: a simulated run of a nested
//! definition (Parallel in Parallel, Map in Map, a retried task) exported in AWS's shape, then
//! mutated (truncated, characters deleted, tokens spliced in, events shuffled, ids and
//! `previousEventId`s rewired). Every rejection carries a line and column inside the text; every
//! accepted history replays to its end and back, derives mocks and compares.

use std::sync::{Arc, LazyLock};

use asl_core::exec::{ExecOptions, Execution};
use asl_core::inspect::{Inspector, Overlay, timeline};
use asl_core::mock::Mocks;
use asl_core::model::StateMachine;
use asl_core::recorded::{self, Replay};
use asl_core::value::Value;
use proptest::prelude::*;

mod common;

const DEF: &str = r#"{"StartAt": "P", "States": {
  "P": {"Type": "Parallel", "Next": "M", "ResultPath": null, "Branches": [
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
    {"StartAt": "Q", "States": {"Q": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
         "Retry": [{"ErrorEquals": ["Boom"]}]}}}]}}}]},
  "M": {"Type": "Map", "ItemsPath": "$.items", "Next": "W",
    "ItemProcessor": {"StartAt": "Inner", "States": {
      "Inner": {"Type": "Map", "ItemsPath": "$.xs", "End": true,
        "ItemProcessor": {"StartAt": "C", "States": {"C": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "End": true}}}}}}},
  "W": {"Type": "Wait", "Seconds": 5, "Next": "F"},
  "F": {"Type": "Fail", "Error": "Done", "Cause": "end"}}}"#;

static MACHINE: LazyLock<Arc<StateMachine>> =
    LazyLock::new(|| Arc::new(asl_core::load(DEF).machine.expect("machine")));

static HISTORY: LazyLock<String> = LazyLock::new(|| {
    let mocks = Mocks::parse(
        r#"{"B": {"0": {"Throw": {"Error": "Boom", "Cause": "first"}}, "1": {"Return": {"Payload": 1}}}, "C": {"Return": 7}}"#,
    )
    .expect("mocks");
    let mut e = Execution::start(
        MACHINE.clone(),
        Value::parse(r#"{"items": [{"xs": [1, 2]}, {"xs": [3]}]}"#).expect("input"),
        ExecOptions {
            mocks: Arc::new(mocks),
            ..ExecOptions::default()
        },
    );
    e.run();
    recorded::history_json(e.history()).to_json_pretty()
});

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "0",
    "-1",
    "1e999",
    "null",
    "\"id\"",
    "\"previousEventId\"",
    "\"type\"",
    "\"timestamp\"",
    "\"MapIterationStarted\"",
    "\"ParallelStateSucceeded\"",
    "\"TaskFailed\"",
    "\"ExecutionAborted\"",
    "\"stateEnteredEventDetails\"",
    "\"name\"",
    "\"index\"",
    "\"C\"",
    "\"Nope\"",
    "é",
    "\n",
    "\\u12",
];

fn check(text: &str) {
    match recorded::import(&MACHINE, text, None) {
        Err(e) => {
            let lines = text.split('\n').count() as u32;
            assert!(
                e.line >= 1 && e.line <= lines.max(1),
                "{e} in {lines} lines"
            );
            assert!(e.column >= 1 && !e.message.is_empty(), "{e}");
        }
        Ok(rec) => {
            let derived = recorded::mocks_from(&MACHINE, &rec.events);
            let _ = recorded::compare(MACHINE.clone(), &rec, derived.mocks);
            let _ = recorded::compare_recorded(MACHINE.clone(), &rec, Default::default());
            let mut r = Replay::new(MACHINE.clone(), rec);
            r.run();
            let _ = Overlay::at(r.history(), Some(&[0]));
            let _ = timeline(r.history());
            let inspector = Inspector::new(&MACHINE);
            for p in inspector.index().paths() {
                let _ = inspector.visits(r.history(), p);
            }
            let _ = r.position();
            while r.back_state() {}
            assert_eq!(r.event_count(), 0);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn mutated_histories_never_panic(
        at in any::<prop::sample::Index>(),
        token in prop::sample::select(TOKENS),
        op in 0u8..3,
    ) {
        check(&common::mutate(&HISTORY, op, &at, token));
    }

    /// Events kept but reordered, dropped and rewired: still no panic.
    #[test]
    fn rewired_events_never_panic(
        seed in prop::collection::vec((any::<prop::sample::Index>(), 0u32..60, 0u32..60, 0u8..4), 1..12),
    ) {
        let v: serde_json::Value = serde_json::from_str(&HISTORY).expect("json");
        let mut events = v["events"].as_array().expect("events").clone();
        for (i, id, prev, op) in seed {
            let n = events.len();
            if n == 0 { break; }
            let k = i.index(n);
            match op {
                0 => { events.remove(k); }
                1 => { events[k]["id"] = id.into(); }
                2 => { events[k]["previousEventId"] = prev.into(); }
                _ => { let e = events.remove(k); events.insert(i.index(events.len() + 1), e); }
            }
        }
        check(&serde_json::json!({"events": events}).to_string());
    }
}

#[test]
fn the_base_history_imports_and_compares_clean() {
    let rec = recorded::import(&MACHINE, &HISTORY, None).expect("import");
    assert_eq!(rec.status(), "FAILED");
    let derived = recorded::mocks_from(&MACHINE, &rec.events);
    let cmp = recorded::compare(MACHINE.clone(), &rec, derived.mocks);
    assert!(cmp.divergence.is_none(), "{:?}", cmp.divergence);
}
