//! Scenario tests of the overlay, visits and breakpoints over real executions.

use std::sync::Arc;

use super::*;
use crate::exec::{ExecOptions, Execution, RunStop, Status};
use crate::mock::Mocks;
use crate::value::Value;

fn v(s: &str) -> Value {
    Value::parse(s).expect("json")
}

fn exec(def: &str, input: &str, mocks: &str) -> Execution {
    let loaded = crate::load(def);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let mocks = Mocks::from_value(&v(mocks)).expect("mocks");
    Execution::start(
        Arc::new(loaded.machine.expect("machine")),
        v(input),
        ExecOptions {
            mocks: Arc::new(mocks),
            ..ExecOptions::default()
        },
    )
}

const RETRY_CATCH: &str = r#"{"StartAt":"T","States":{
  "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
       "Parameters":{"FunctionName":"f","Payload.$":"$"},
       "Retry":[{"ErrorEquals":["Other"],"MaxAttempts":1},
                {"ErrorEquals":["Boom"],"IntervalSeconds":3,"MaxAttempts":2,"BackoffRate":2}],
       "Catch":[{"ErrorEquals":["Nope"],"Next":"H"},{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"H"}],
       "Next":"H"},
  "H":{"Type":"Pass","End":true}}}"#;

#[test]
fn retries_and_the_catch_are_explained_with_testates_names() {
    let mut e = exec(
        RETRY_CATCH,
        r#"{"a":1}"#,
        r#"{"T":{"Throw":{"Error":"Boom","Cause":"bad"}}}"#,
    );
    assert!(matches!(e.run(), Status::Succeeded { .. }));
    let insp = e.inspector();
    let visits = insp.visits(e.history(), "T");
    assert_eq!(visits.len(), 1);
    let t = &visits[0];
    assert_eq!(t.outcome, VisitOutcome::Caught);
    assert_eq!(t.attempts.len(), 3);
    assert_eq!(t.attempts[0].retry_index, Some(1));
    assert_eq!(t.attempts[0].retry_backoff_interval_seconds, Some(3.0));
    assert_eq!(t.attempts[1].retry_backoff_interval_seconds, Some(6.0));
    assert_eq!(t.attempts[2].retry_index, None);
    assert_eq!(
        t.attempts[0].request,
        Some(v(r#"{"FunctionName":"f","Payload":{"a":1}}"#))
    );
    let d = t.error_details.as_ref().expect("error details");
    assert_eq!(d.error.as_deref(), Some("Boom"));
    assert_eq!(d.retry_index, Some(1));
    assert_eq!(d.catch_index, Some(1));
    // The stages of a caught error: the error output placed by the Catch's ResultPath.
    let out = t
        .stages
        .iter()
        .find(|s| s.name == "output")
        .expect("output");
    assert_eq!(
        out.value,
        v(r#"{"a":1,"err":{"Error":"Boom","Cause":"bad"}}"#)
    );
    assert_eq!(
        t.context.get("State").and_then(|s| s.get("RetryCount")),
        Some(&Value::from_i64(2))
    );

    let o = Overlay::at(e.history(), None);
    assert_eq!(o.status, "SUCCEEDED");
    assert_eq!(o.mark("T"), Some(Mark::Caught));
    assert_eq!(o.states[0].retries, 2);
    assert_eq!(o.mark("H"), Some(Mark::Succeeded));
    assert_eq!(
        o.edges,
        vec![EdgeTaken {
            from: "T".into(),
            to: "H".into(),
            count: 1
        }]
    );
    let kinds: Vec<TimelineKind> = timeline(e.history()).iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        [
            TimelineKind::Failure,
            TimelineKind::Retry,
            TimelineKind::Failure,
            TimelineKind::Retry,
            TimelineKind::Failure,
            TimelineKind::Catch
        ]
    );
    // Mid-way: after the first failure and before the retry, T has failed; after the retry
    // starts, it is retrying.
    let failed_at = t.attempts[0].ended_event.expect("ended") as usize;
    assert_eq!(
        Overlay::at(&e.history()[..failed_at], None).mark("T"),
        Some(Mark::Failed)
    );
    let retry_at = t.attempts[1].started_event as usize;
    assert_eq!(
        Overlay::at(&e.history()[..retry_at], None).mark("T"),
        Some(Mark::Retrying)
    );
}

#[test]
fn stages_show_each_transformation_and_what_changed() {
    let def = r#"{"StartAt":"Validate","States":{"Validate":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","InputPath":"$.upload",
      "Parameters":{"FunctionName":"v","Payload":{"key.$":"$.key"}},
      "ResultSelector":{"valid.$":"$.Payload.valid","durationSeconds.$":"$.Payload.d"},
      "ResultPath":"$.validation","OutputPath":"$.validation","End":true}}}"#;
    let mut e = exec(
        def,
        r#"{"upload":{"key":"k"}}"#,
        r#"{"Validate":{"Return":{"Payload":{"valid":true,"d":42}}}}"#,
    );
    e.run();
    let visits = e.inspector().visits(e.history(), "Validate");
    let names: Vec<(&str, &str, Option<&str>)> = visits[0]
        .stages
        .iter()
        .map(|s| (s.name, s.field, s.expression.as_deref()))
        .collect();
    assert_eq!(
        names,
        [
            ("input", "", None),
            ("afterInputPath", "InputPath", Some("$.upload")),
            ("afterParameters", "Parameters", None),
            ("result", "Resource", None),
            ("afterResultSelector", "ResultSelector", None),
            ("afterResultPath", "ResultPath", Some("$.validation")),
            ("output", "OutputPath", Some("$.validation")),
        ]
    );
    let st = |n: &str| visits[0].stages.iter().find(|s| s.name == n).expect(n);
    assert_eq!(
        st("afterResultSelector").value,
        v(r#"{"valid":true,"durationSeconds":42}"#)
    );
    assert_eq!(
        st("afterResultPath").value,
        v(r#"{"upload":{"key":"k"},"validation":{"valid":true,"durationSeconds":42}}"#)
    );
    assert_eq!(
        st("afterResultPath").changes,
        vec![
            Change {
                pointer: "/upload".into(),
                kind: ChangeKind::Added
            },
            Change {
                pointer: "/validation".into(),
                kind: ChangeKind::Added
            },
            Change {
                pointer: "/valid".into(),
                kind: ChangeKind::Removed
            },
            Change {
                pointer: "/durationSeconds".into(),
                kind: ChangeKind::Removed
            },
        ]
    );
    assert_eq!(
        visits[0].output_bytes,
        Some(r#"{"valid":true,"durationSeconds":42}"#.len())
    );
    // The event → visit lookup: every event of the visit leads back to it.
    let insp = e.inspector();
    for id in visits[0].entered_event..=visits[0].exited_event.expect("exited") {
        assert_eq!(
            insp.visit_of_event(e.history(), id),
            Some(("Validate".into(), 0)),
            "event {id}"
        );
    }
    assert_eq!(insp.visit_of_event(e.history(), 1), None);
}

const MAP: &str = r#"{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",
  "ItemSelector":{"n.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index"},"MaxConcurrency":2,
  "ItemProcessor":{"StartAt":"Check","States":{
    "Check":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":2,"Next":"Big"}],"Default":"Small"},
    "Big":{"Type":"Pass","End":true},"Small":{"Type":"Pass","End":true}}},"End":true}}}"#;

#[test]
fn map_progress_iterations_and_following_one() {
    let mut e = exec(MAP, r#"{"items":[1,5,2,7]}"#, "{}");
    // Part-way, some iterations are running.
    let mut saw_running = false;
    while let crate::exec::Step::Event(_) = e.step() {
        let o = Overlay::at(e.history(), None);
        if o.maps.first().is_some_and(|m| m.running > 0) {
            saw_running = true;
            assert!(o.maps[0].running <= 2, "MaxConcurrency 2: {:?}", o.maps[0]);
        }
    }
    assert!(saw_running);
    let o = Overlay::at(e.history(), None);
    assert_eq!(
        o.maps,
        vec![MapProgress {
            path: "M".into(),
            total: 4,
            succeeded: 4,
            failed: 0,
            aborted: 0,
            running: 0
        }]
    );
    assert_eq!(o.mark("M/0/Big"), Some(Mark::Succeeded));
    assert_eq!(o.mark("M/0/Small"), Some(Mark::Succeeded));
    // Following iteration 1 (item 5) shows only its path: Check → Big.
    let one = Overlay::at(e.history(), Some(&[1]));
    assert_eq!(one.mark("M/0/Big"), Some(Mark::Succeeded));
    assert_eq!(one.mark("M/0/Small"), None);
    assert_eq!(one.edges.len(), 1);
    assert_eq!(&*one.edges[0].to, "M/0/Big");
    // Following iteration 2 (item 2): Check → Small.
    let two = Overlay::at(e.history(), Some(&[2]));
    assert_eq!(two.mark("M/0/Big"), None);
    assert_eq!(two.mark("M/0/Small"), Some(Mark::Succeeded));

    let insp = e.inspector();
    let m = &insp.visits(e.history(), "M")[0];
    let st = |n: &str| m.stages.iter().find(|s| s.name == n).expect(n);
    assert_eq!(st("afterItemsPath").value, v("[1,5,2,7]"));
    assert_eq!(
        st("afterItemSelector").value,
        v(r#"[{"n":1,"i":0},{"n":5,"i":1},{"n":2,"i":2},{"n":7,"i":3}]"#)
    );
    assert_eq!(m.map_settings, Some(v(r#"{"maxConcurrency":2}"#)));
    let checks = insp.visits(e.history(), "M/0/Check");
    assert_eq!(checks.len(), 4);
    let third = checks
        .iter()
        .find(|c| *c.iterations == [2])
        .expect("iteration 2");
    assert_eq!(
        third.context.get("Map"),
        Some(&v(r#"{"Item":{"Index":2,"Value":2}}"#))
    );
}

#[test]
fn breakpoints_stop_on_states_and_errors_and_stepping_by_state() {
    let mut bp = Breakpoints::default();
    assert!(bp.toggle_state("H"));
    let mut e = exec(
        RETRY_CATCH,
        "{}",
        r#"{"T":{"Throw":{"Error":"Boom","Cause":"bad"}}}"#,
    );
    let hit = e.run_until(10_000, |ev| bp.hit(ev));
    let RunStop::Hit { event } = hit else {
        panic!("{hit:?}")
    };
    assert_eq!(&*e.history()[event as usize - 1].path, "H");
    assert_eq!(e.run_until(10_000, |ev| bp.hit(ev)), RunStop::Finished);

    let errors = Breakpoints {
        errors: vec!["States.TaskFailed".into()],
        ..Breakpoints::default()
    };
    let mut e = exec(
        RETRY_CATCH,
        "{}",
        r#"{"T":{"Throw":{"Error":"Boom","Cause":"bad"}}}"#,
    );
    let RunStop::Hit { event } = e.run_until(10_000, |ev| errors.hit(ev)) else {
        panic!("no error breakpoint hit")
    };
    assert_eq!(event_error(&e.history()[event as usize - 1]), Some("Boom"));
    // A budget stops a long run in slices.
    let mut e = exec(RETRY_CATCH, "{}", r#"{"T":{"Return":{}}}"#);
    assert_eq!(e.run_until(2, |_| false), RunStop::Budget);
    assert_eq!(e.event_count(), 2);

    // By state: forward lands on each entry, back returns to the one before.
    let mut e = exec(RETRY_CATCH, "{}", r#"{"T":{"Return":{}}}"#);
    let RunStop::Hit { event: t } = e.step_state(100) else {
        panic!("T entered")
    };
    let RunStop::Hit { event: h } = e.step_state(100) else {
        panic!("H entered")
    };
    assert!(h > t);
    assert!(e.back_state());
    assert_eq!(e.event_count(), t);
    assert!(e.back_state());
    assert_eq!(e.event_count(), 0);
    assert!(!e.back_state());
}

#[test]
fn a_failed_visit_without_exit_shows_what_the_events_say() {
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
      "Parameters":{"FunctionName":"f"},"End":true}}}"#;
    let mut e = exec(def, "{}", r#"{"T":{"Throw":{"Error":"Boom","Cause":"c"}}}"#);
    assert!(matches!(e.run(), Status::Failed { .. }));
    let t = &e.inspector().visits(e.history(), "T")[0];
    assert_eq!(t.outcome, VisitOutcome::Failed);
    assert_eq!(
        t.error_details.as_ref().and_then(|d| d.error.as_deref()),
        Some("Boom")
    );
    assert_eq!(t.error_details.as_ref().and_then(|d| d.catch_index), None);
    assert!(t.stages.iter().any(|s| s.name == "afterParameters"));
    let o = Overlay::at(e.history(), None);
    assert_eq!(o.status, "FAILED");
    assert_eq!(o.mark("T"), Some(Mark::Failed));
}

#[test]
fn the_overlay_built_event_by_event_equals_the_one_built_at_once() {
    for (def, input, mocks) in [
        (MAP, r#"{"items":[1,5,2,7]}"#, "{}"),
        (
            RETRY_CATCH,
            "{}",
            r#"{"T":{"Throw":{"Error":"Boom","Cause":"bad"}}}"#,
        ),
    ] {
        let mut e = exec(def, input, mocks);
        e.run();
        let h = e.history();
        for follow in [None, Some(&[1u32][..])] {
            let mut b = OverlayBuilder::new(follow);
            let mut t = Timeline::default();
            for n in 0..=h.len() {
                b.extend(&h[..n]);
                t.extend(&h[..n]);
                assert_eq!(
                    b.overlay(),
                    Overlay::at(&h[..n], follow),
                    "after {n} events"
                );
                assert_eq!(t.marks, timeline(&h[..n]));
            }
        }
    }
}

#[test]
fn variables_before_and_after_assign() {
    let def = r#"{"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"x":1,"y":"a"},"Next":"B"},
      "B":{"Type":"Pass","Assign":{"y.$":"$$.State.Name","z":true},"End":true}}}"#;
    let mut e = exec(def, "{}", "{}");
    e.run();
    let insp = e.inspector();
    let a = &insp.visits(e.history(), "A")[0];
    assert_eq!(a.variables_before, None);
    assert_eq!(a.variables_after, Some(v(r#"{"x":1,"y":"a"}"#)));
    let b = &insp.visits(e.history(), "B")[0];
    assert_eq!(b.variables_before, Some(v(r#"{"x":1,"y":"a"}"#)));
    assert_eq!(b.variables_after, Some(v(r#"{"x":1,"y":"B","z":true}"#)));
}
