//! Properties of the executor and the renderer over generated definitions, mocks and inputs
//! (the fuzz generators, on seeded bytes: the same cases on every run):
//! - `run` equals repeated `step` (same history, same status), and a run without a history
//!   ends the same way;
//! - a run without a history that kept its answers, recorded afterwards
//!   (`record_from_start`), has the history recorded from the start, with a task handler
//!   answering some tasks and declining others and paused tasks answered by the caller;
//! - `back` after `step` restores an identical state, and stepping again gives the same event;
//! - the same seed gives an identical history;
//! - every finished history is well formed (ids 1..n, `previousEventId` earlier, one
//!   `ExecutionStarted` first and one end event last);
//! - render is deterministic;
//! - `share(decode(link)) == link` for every link `share` writes, and the session comes back
//!   unchanged.
//!
//! Each prints how many cases it checked (`-- --nocapture`); `PROPERTY_CASES` sets how many
//! definitions are generated (default 400).

use std::sync::Arc;

use asl_core::env::Env;
use asl_core::error::{ErrorName, ExecError};
use asl_core::exec::{ExecOptions, Execution, Limits, Status, Step, TaskHandler};
use asl_core::history::{EventType, HistoryEvent};
use asl_core::mock::Mocks;
use asl_core::model::StateMachine;
use asl_core::value::Value;
use fuzz_gen::choices::{Gen, seeded_bytes};
use fuzz_gen::targets::check_history;
use fuzz_gen::{asl, json, mocks};

fn cases() -> u64 {
    std::env::var("PROPERTY_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(400)
}

/// A valid generated machine with its mocks, input and options; `None` when the generated
/// definition has errors (about half of them).
struct Case {
    machine: Arc<StateMachine>,
    input: Value,
    options: ExecOptions,
}

fn case(seed: u64) -> Option<Case> {
    let bytes = seeded_bytes(seed, 64 + (seed as usize * 53) % 1500);
    let mut g = Gen::new(&bytes);
    let def = asl::definition(&mut g, 2, 4);
    let loaded = asl_core::load(&def.tree.to_json());
    if loaded.has_errors() {
        return None;
    }
    let machine = Arc::new(loaded.machine?);
    let mocks = Mocks::parse(&mocks::native(&mut g, &def.tasks).to_json()).unwrap_or_default();
    let input =
        Value::parse(&json::value(&mut g, 3).to_json()).unwrap_or_else(|_| Value::empty_object());
    let options = ExecOptions {
        env: Env {
            seed,
            ..Env::default()
        },
        mocks: Arc::new(mocks),
        limits: Limits {
            max_transitions: 300,
            max_history_events: 3_000,
            ..Limits::default()
        },
        snapshot_every: 1 + (seed % 13) as u32,
        ..ExecOptions::default()
    };
    Some(Case {
        machine,
        input,
        options,
    })
}

impl Case {
    fn start(&self) -> Execution {
        Execution::start(
            self.machine.clone(),
            self.input.clone(),
            self.options.clone(),
        )
    }
}

fn texts(events: &[HistoryEvent]) -> Vec<String> {
    events.iter().map(|e| format!("{e:?}")).collect()
}

/// Everything observable about an execution at this moment (the history by its length and last
/// event: earlier events are not rewritten, `replay` compares whole histories).
fn state(ex: &Execution) -> String {
    format!(
        "{} {:?}\n{:?}\n{:?}\n{:?}\n{} {}",
        ex.history().len(),
        ex.history().last(),
        ex.status(),
        ex.position(),
        ex.pending(),
        ex.event_count(),
        ex.transitions()
    )
}

#[test]
fn run_equals_repeated_step() {
    let (mut checked, mut finished) = (0, 0);
    for seed in 0..cases() {
        let Some(c) = case(seed) else { continue };
        let mut stepped = c.start();
        while let Step::Event(_) = stepped.step() {}
        let mut ran = c.start();
        let status = ran.run();
        assert_eq!(
            texts(ran.history()),
            texts(stepped.history()),
            "seed {seed}"
        );
        assert_eq!(status, stepped.status(), "seed {seed}");
        // Without a history (the fast path) the execution ends the same way.
        let mut options = c.options.clone();
        options.record_history = false;
        options.record_stages = false;
        options.keep_answers = true;
        let mut bare = Execution::start(c.machine.clone(), c.input.clone(), options);
        assert_eq!(bare.run(), status, "seed {seed} without history");
        assert_eq!(bare.event_count(), ran.event_count(), "seed {seed}");
        // Its history recorded afterwards by replaying it is the one recorded from the start,
        // stages included (Debug shows every field), and it goes on as the other would.
        bare.record_from_start(Vec::new(), true);
        assert_eq!(state(&bare), state(&ran), "seed {seed} recorded afterwards");
        assert_eq!(
            format!("{:?}", bare.history()),
            format!("{:?}", ran.history()),
            "seed {seed} recorded afterwards"
        );
        if bare.event_count() > 0 {
            assert!(bare.back(), "seed {seed}: back after recording afterwards");
            assert!(ran.back());
            assert_eq!(state(&bare), state(&ran), "seed {seed} back");
        }
        checked += 1;
        finished += usize::from(status.is_finished());
    }
    println!("run == repeated step: {checked} executions ({finished} finished, the rest paused)");
    assert!(checked > 100, "too few valid definitions: {checked}");
}

/// Drives `ex` to its end as a caller would: runs, then answers every paused task (by its
/// position: a result, a failure, or a result after virtual time that may pass a deadline),
/// again until it ends or 50 rounds pass.
fn drive(ex: &mut Execution) {
    for round in 0..50u64 {
        let Status::Paused { tasks } = ex.run() else {
            return;
        };
        for (i, t) in tasks.iter().enumerate() {
            let answer = match (round + i as u64) % 3 {
                0 => Ok(t.parameters.clone()),
                1 => Err(ExecError::new(
                    ErrorName::parse("Custom.Failure"),
                    "failed by the caller",
                )),
                _ => Ok(Value::from(i as i64)),
            };
            let after = if (round + i as u64) % 3 == 2 {
                90_000
            } else {
                0
            };
            assert!(ex.complete_task_after(&t.token, answer, after).is_ok());
        }
    }
}

#[test]
fn recording_afterwards_equals_recording_from_the_start() {
    let (mut checked, mut answered, mut paused) = (0, 0, 0);
    for seed in 0..cases() {
        let Some(c) = case(seed) else { continue };
        // The handler answers the tasks of states whose name has an even length (every other
        // attempt fails), and declines the rest (mocked or paused).
        let handler = TaskHandler::new(|req| {
            (req.state.len() % 2 == 0).then(|| {
                if req.retry_count % 2 == 1 {
                    Err(ExecError::new(
                        ErrorName::parse("Handler.Flaky"),
                        "odd attempt",
                    ))
                } else {
                    Ok(Value::from(i64::from(req.retry_count)))
                }
            })
        });
        let mut eager_options = c.options.clone();
        eager_options.task_handler = Some(handler);
        let mut lazy_options = eager_options.clone();
        lazy_options.record_history = false;
        lazy_options.record_stages = false;
        lazy_options.keep_answers = true;
        let mut eager = Execution::start(c.machine.clone(), c.input.clone(), eager_options.clone());
        let mut lazy = Execution::start(c.machine.clone(), c.input.clone(), lazy_options.clone());
        drive(&mut eager);
        drive(&mut lazy);
        assert_eq!(lazy.status(), eager.status(), "seed {seed}");
        assert!(!lazy.records_history());
        lazy.record_from_start(Vec::new(), true);
        assert!(lazy.records_history());
        assert_eq!(state(&lazy), state(&eager), "seed {seed}");
        assert_eq!(
            texts(lazy.history()),
            texts(eager.history()),
            "seed {seed}: recorded afterwards"
        );
        // Recording again changes nothing; stepping back works as on the eager run.
        lazy.record_from_start(Vec::new(), true);
        assert_eq!(texts(lazy.history()), texts(eager.history()), "seed {seed}");
        let n = eager.event_count();
        assert!(lazy.seek(n / 2) && eager.seek(n / 2), "seed {seed}");
        assert_eq!(state(&lazy), state(&eager), "seed {seed}: seek {}", n / 2);
        answered += usize::from(
            eager
                .history()
                .iter()
                .any(|e| e.kind.as_str().starts_with("Task")),
        );
        // Recorded while paused, right after an answer the run has not gone on with yet.
        let mut eager = Execution::start(c.machine.clone(), c.input.clone(), eager_options.clone());
        let mut lazy = Execution::start(c.machine.clone(), c.input.clone(), lazy_options.clone());
        for ex in [&mut eager, &mut lazy] {
            if let Status::Paused { tasks } = ex.run() {
                let t = &tasks[0];
                assert!(
                    ex.complete_task_after(&t.token, Ok(Value::Null), 1_000)
                        .is_ok()
                );
                paused += 1;
            }
        }
        lazy.record_from_start(Vec::new(), true);
        assert_eq!(
            state(&lazy),
            state(&eager),
            "seed {seed}: recorded when answered"
        );
        drive(&mut lazy);
        drive(&mut eager);
        assert_eq!(
            texts(lazy.history()),
            texts(eager.history()),
            "seed {seed}: then run"
        );
        checked += 1;
    }
    println!(
        "recorded afterwards: {checked} executions ({answered} with tasks; {} paused, answered, then recorded)",
        paused / 2
    );
    assert!(checked > 100, "too few valid definitions: {checked}");
}

#[test]
fn back_after_step_restores_the_state() {
    let (mut checked, mut moves) = (0, 0);
    for seed in 0..cases() {
        let Some(c) = case(seed) else { continue };
        let mut ex = c.start();
        // Step back at every event: restore, then the same event again.
        loop {
            let before = state(&ex);
            let id = match ex.step() {
                Step::Event(id) => id,
                _ => break,
            };
            let event = format!("{:?}", ex.history().last());
            assert!(ex.back(), "seed {seed}: back from event {id}");
            assert_eq!(state(&ex), before, "seed {seed}: back after event {id}");
            assert_eq!(ex.step(), Step::Event(id), "seed {seed}");
            assert_eq!(format!("{:?}", ex.history().last()), event, "seed {seed}");
            moves += 1;
        }
        // And from the end, seek to the middle and forward again.
        let end = state(&ex);
        let history = texts(ex.history());
        let n = ex.event_count();
        assert!(ex.seek(n / 2), "seed {seed}: seek {}", n / 2);
        assert_eq!(ex.history().len() as u32, n / 2);
        while let Step::Event(_) = ex.step() {}
        assert_eq!(state(&ex), end, "seed {seed}: replay after seek");
        assert_eq!(
            texts(ex.history()),
            history,
            "seed {seed}: replay after seek"
        );
        checked += 1;
    }
    println!("back after step: {checked} executions, {moves} step/back pairs");
    assert!(checked > 100);
}

#[test]
fn the_same_seed_gives_the_same_history() {
    let mut checked = 0;
    for seed in 0..cases() {
        let Some(c) = case(seed) else { continue };
        let (mut a, mut b) = (c.start(), c.start());
        a.run();
        b.run();
        assert_eq!(state(&a), state(&b), "seed {seed}");
        checked += 1;
    }
    println!("same seed, same history: {checked} pairs of executions");
    assert!(checked > 100);
}

#[test]
fn finished_histories_are_well_formed() {
    let mut checked = 0;
    for seed in 0..cases() {
        let Some(c) = case(seed) else { continue };
        let mut ex = c.start();
        if !ex.run().is_finished() {
            continue;
        }
        let h = ex.history();
        check_history(h);
        let ends = [
            EventType::ExecutionSucceeded,
            EventType::ExecutionFailed,
            EventType::ExecutionTimedOut,
        ];
        assert_eq!(
            h.first().map(|e| e.kind),
            Some(EventType::ExecutionStarted),
            "seed {seed}"
        );
        assert!(
            h.last().is_some_and(|e| ends.contains(&e.kind)),
            "seed {seed}"
        );
        let starts = h
            .iter()
            .filter(|e| e.kind == EventType::ExecutionStarted)
            .count();
        let stops = h.iter().filter(|e| ends.contains(&e.kind)).count();
        assert_eq!((starts, stops), (1, 1), "seed {seed}");
        assert_eq!(
            h.last().map(|e| e.kind == EventType::ExecutionSucceeded),
            Some(matches!(ex.status(), Status::Succeeded { .. })),
            "seed {seed}"
        );
        checked += 1;
    }
    println!("well-formed histories: {checked} finished executions");
    assert!(checked > 100);
}

#[test]
fn render_is_deterministic() {
    let opts = asl_graph::RenderOptions::default();
    let mut checked = 0;
    for seed in 0..cases() {
        let bytes = seeded_bytes(seed, 64 + (seed as usize * 53) % 1500);
        let mut g = Gen::new(&bytes);
        let text = asl::definition(&mut g, 2, 5).tree.to_json();
        let (a, b) = (asl_core::load(&text), asl_core::load(&text));
        let Some(svg) = asl_graph::render_loaded(&a, &opts) else {
            continue;
        };
        assert_eq!(
            Some(&svg),
            asl_graph::render_loaded(&b, &opts).as_ref(),
            "seed {seed}"
        );
        assert_eq!(
            Some(svg),
            asl_graph::render_loaded(&a, &opts),
            "seed {seed}"
        );
        checked += 1;
    }
    println!("render deterministic: {checked} definitions drawn three times");
    assert!(checked > 100);
}

#[test]
fn share_links_round_trip() {
    use asl_core::share::{SharedSession, decode, encode};
    let mut checked = 0;
    for seed in 0..cases() {
        let bytes = seeded_bytes(seed, 64 + (seed as usize * 53) % 1500);
        let mut g = Gen::new(&bytes);
        let def = asl::definition(&mut g, 2, 5);
        let session = SharedSession {
            definition: def.tree.to_json(),
            input: json::value(&mut g, 3).to_json(),
            mocks: mocks::native(&mut g, &def.tasks).to_json(),
            step: Some(seed as u32),
            state: def.names.last().cloned(),
            ..SharedSession::default()
        };
        let link = encode(&session);
        let decoded = decode(&link).expect("a written link decodes");
        assert_eq!(decoded, session, "seed {seed}");
        assert_eq!(encode(&decoded), link, "seed {seed}");
        checked += 1;
    }
    println!("share(decode(link)) == link: {checked} sessions");
}
